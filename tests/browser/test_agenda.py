"""The klantmanager's agenda in real Chromium: the week view, a free slot, planning an
appointment for a participant, seeing it on the start page and in the dossier, and recording
"niet verschenen" with one click and its count."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_rollen import assert_past_in_breedte, assert_toegankelijk

pytestmark = pytest.mark.browser


def _niet_verschenen(page) -> int:
    return int(page.get_by_test_id("niet-verschenen").inner_text())


def test_agenda_van_de_klantmanager(page, inloggen):
    page.set_default_timeout(10_000)
    inloggen(page, "klantmanager")

    # The week view, next week (its slots lie ahead whatever today is), the user's own agenda.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    page.get_by_role("link", name="Volgende week").click()
    page.get_by_label("Agenda van").select_option(label="Karin de Jong")
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Karin de Jong")
    assert_toegankelijk(page)

    # On a tablet the week scrolls inside its own box; the page itself does not widen.
    assert_past_in_breedte(page, 768, 1024)

    # A free slot opens the form with its date, hour and the user as staff.
    page.get_by_role("link", name=re.compile(r"plan een afspraak op maandag")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Afspraak plannen")
    assert page.get_by_label("Begin").input_value() == "08:00"
    assert page.get_by_label("Karin de Jong").is_checked()
    # Colleagues are found by name, not listed all (over htmx); the planner stays ticked.
    from reintegratie.accounts.models import Gebruiker, Rol

    collega = (
        Gebruiker.objects.filter(organisatie__naam="Ferm Werk", rol=Rol.TRAJECTBEGELEIDER)
        .order_by("pk")
        .first()
    )
    page.get_by_label("Zoek een persoon").fill(collega.last_name)
    expect(page.get_by_label(str(collega), exact=True).first).to_be_visible()
    expect(page.get_by_label("Karin de Jong")).to_be_checked()
    keuze = page.get_by_label("Deelnemer").locator("option").nth(1)
    naam = keuze.inner_text()
    page.get_by_label("Deelnemer").select_option(label=naam)
    page.get_by_label("Soort afspraak").select_option(label="Evaluatie")
    # Tomorrow, so that it is among the start page's coming days whatever today is.
    morgen = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Datum").fill(morgen.isoformat())
    page.get_by_label("Plaats").fill("Werkplein, kamer 2.07")
    assert_toegankelijk(page)
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De afspraak is opgeslagen")

    # The start page lists it under "Mijn afspraken"; the dossier under "Komende afspraken".
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn caseload"
    ).click()
    mijn = page.get_by_role("region", name="Mijn afspraken")
    item = mijn.get_by_role("listitem").filter(has_text="Werkplein, kamer 2.07")
    expect(item).to_contain_text(f"Evaluatie met {naam}")
    assert_toegankelijk(page)
    item.get_by_role("link", name=naam).click()
    afspraken = page.get_by_role("region", name="Afspraken")
    expect(afspraken).to_contain_text("Werkplein, kamer 2.07")

    # An overdue appointment (demo data): one click from the start page records the outcome.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn caseload"
    ).click()
    te_laat = (
        page.get_by_role("region", name="Mijn te late afspraken").get_by_role("listitem").first
    )
    wie = te_laat.get_by_role("link").first.inner_text()
    te_laat.get_by_role("link", name=wie).click()
    voor = _niet_verschenen(page)
    page.go_back()
    te_laat = (
        page.get_by_role("region", name="Mijn te late afspraken").get_by_role("listitem").first
    )
    expect(te_laat).to_contain_text(wie)
    item_id = te_laat.get_attribute("id")
    te_laat.get_by_role("button", name="Niet verschenen, zonder bericht").click()
    # Swapped in place by htmx: the same item now shows the outcome, without the buttons.
    bijgewerkt = page.locator(f"#{item_id}")
    expect(bijgewerkt).to_contain_text("Niet verschenen, zonder bericht")
    expect(bijgewerkt.get_by_role("button")).to_have_count(0)
    bijgewerkt.get_by_role("link", name=wie).click()
    expect(page.get_by_test_id("niet-verschenen")).to_have_text(str(voor + 1))
