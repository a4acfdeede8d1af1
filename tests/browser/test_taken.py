"""The klantmanager's tasks in real Chromium: a next action in the journal becomes a task on
the start page, finished with one click; a task by hand for a colleague; part of the caseload
handed to that colleague, who then finds the tasks and the participant as his own."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import DEMO_WACHTWOORD
from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser


@pytest.fixture
def collega(demo):
    """A second klantmanager of Ferm Werk, the demo klantmanager's organisation."""
    from reintegratie.accounts.models import Gebruiker

    karin = Gebruiker.objects.get(username="klantmanager")
    collega = Gebruiker.objects.create_user(
        username="collega",
        first_name="Chris",
        last_name="Collega",
        password=DEMO_WACHTWOORD,
        organisatie=karin.organisatie,
        rol=karin.rol,
    )
    # Karin starts with her demo backlog done: the start page shows ten tasks, the oldest
    # first, and the one this test makes must be among them.
    from reintegratie.taken.models import Taak

    Taak.objects.open().filter(eigenaar=karin).update(afgerond_op=timezone.now())
    return collega


def _eigen_deelnemer():
    from deelnemers.models import Deelnemer

    return (
        Deelnemer.objects.filter(klantmanager__username="klantmanager", regie__naam="Ferm Werk")
        .order_by("pk")
        .first()
    )


def test_taken_van_journaal_tot_overdracht(page, demo, inloggen, collega):
    page.set_default_timeout(10_000)
    vandaag = timezone.localdate()
    deelnemer = _eigen_deelnemer()
    inloggen(page, "klantmanager")

    # A next action in the journal, due today.
    dossier = f"{demo.url}/deelnemers/{deelnemer.pk}/"
    page.goto(dossier)
    page.get_by_label("Soort").select_option(label="Telefonisch contact")
    page.get_by_label("Onderwerp").fill("Gebeld over de werkplek")
    page.get_by_label(re.compile(r"^Volgende actie \(niet")).fill("Proefwerkgever terugbellen")
    page.get_by_label(re.compile(r"^Volgende actie op")).fill(vandaag.isoformat())
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("list", name="Contactmomenten, nieuwste eerst")).to_contain_text(
        "Proefwerkgever terugbellen"
    )

    # On the start page under "Vandaag en te laat"; one click finishes it, in place.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn caseload"
    ).click()
    vandaag_lijst = page.get_by_role("list", name="Taken voor vandaag of eerder, de oudste eerst")
    expect(vandaag_lijst).to_contain_text("Proefwerkgever terugbellen")
    assert_toegankelijk(page)
    item = vandaag_lijst.get_by_role("listitem").filter(has_text="Proefwerkgever terugbellen")
    item.get_by_role("button", name=re.compile("^Afronden")).click()
    expect(item.get_by_role("status")).to_have_text("Afgerond.")
    expect(item.get_by_role("button")).to_have_count(0)

    # Tasks by hand in the dossier: one for the colleague, one for herself.
    page.goto(dossier)
    taak = page.get_by_role("group", name="Taak toevoegen")
    for omschrijving, voor in (
        ("Proefplaatsing regelen", "Chris Collega"),
        ("Reiskosten nagaan", "Karin de Jong"),
    ):
        taak.get_by_label("Omschrijving").fill(omschrijving)
        taak.get_by_label("Uiterlijk op").fill((vandaag + timedelta(days=3)).isoformat())
        taak.get_by_label("Voor", exact=True).select_option(label=voor)
        taak.get_by_role("button", name="Taak toevoegen").click()
        expect(page.get_by_role("status").first).to_contain_text("De taak voor")
    open_taken = page.get_by_role("list", name="Open taken, de oudste eerst")
    expect(open_taken).to_contain_text("Proefplaatsing regelen")
    expect(open_taken).to_contain_text("Chris Collega")
    assert_toegankelijk(page)

    # Hand this participant over from the caseload list.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Deelnemers").click()
    page.get_by_label("Zoek op naam of BSN").fill(deelnemer.achternaam)
    page.get_by_role("button", name="Filteren").click()
    page.get_by_label(f"{deelnemer.naam} overdragen").check()
    page.get_by_role("button", name="Gekozen deelnemers overdragen…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload overdragen")
    page.get_by_label("Aan klantmanager").select_option(label="Chris Collega")
    expect(page.get_by_label(deelnemer.naam)).to_be_checked()
    assert_toegankelijk(page)
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_role("status").first).to_contain_text("1 deelnemer(s) overgedragen")

    # The colleague finds both open tasks as his, and the handover in the journal.
    page.context.clear_cookies()
    inloggen(page, "collega")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn taken").click()
    mijn = page.get_by_role("list", name="Mijn open taken")
    expect(mijn).to_contain_text("Proefplaatsing regelen")
    expect(mijn).to_contain_text("Reiskosten nagaan")
    assert_toegankelijk(page)
    mijn.get_by_role("link", name=deelnemer.naam).first.click()
    expect(page.get_by_role("list", name="Contactmomenten, nieuwste eerst")).to_contain_text(
        "Overgedragen van Karin de Jong aan Chris Collega"
    )
