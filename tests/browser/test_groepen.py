"""The trajectbegeleider at a group session, on a phone: open the group's last session, mark
who came, save, and find the hours on the participant's hours and phase budget."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reintegratie.groepen.models import Groepsbijeenkomst, Lidmaatschap
from reintegratie.templatetags.opmaak import datum, uren
from trajecten.models import Fase

from .test_privacy import TELEFOON
from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser


def _lid_met_ruimte(bijeenkomst):
    """A member whose phase has room for the session's hours (the demo fills budgets)."""
    for lid in Lidmaatschap.objects.lopend_op(bijeenkomst.datum).filter(groep=bijeenkomst.groep):
        traject = lid.deelnemer.trajecten.filter(einddatum__isnull=True).first()
        fase = traject and traject.fasen.filter(einddatum__isnull=True).first()
        if fase and fase.uren_budget and traject.ruimte(fase) >= bijeenkomst.duur_uren:
            return lid.deelnemer
    pytest.fail("Geen lid met ruimte in de fase: demodata klopt niet")


def _budget(deelnemer):
    """The running phase's budget as the dossier writes it: "12,5 van 100 uur"."""
    fase = Fase.objects.get(traject__deelnemer=deelnemer, einddatum__isnull=True)
    return f"{uren(fase.uren_gebruikt)} van {uren(fase.uren_budget)} uur"


def test_aanwezigheid_op_de_telefoon_boekt_de_uren_op_het_budget(page, inloggen):
    page.set_default_timeout(10_000)
    page.set_viewport_size(TELEFOON)
    inloggen(page, "trajectbegeleider")
    bijeenkomst = (
        Groepsbijeenkomst.objects.filter(
            groep__naam="Sollicitatiegroep dinsdag",
            begin__lt=timezone.now(),
            status=Groepsbijeenkomst.Status.GEPLAND,
        )
        .order_by("-begin")
        .first()
    )
    deelnemer = _lid_met_ruimte(bijeenkomst)
    basis = page.url.rstrip("/").rsplit("/", 1)[0] if "/start" in page.url else page.url
    basis = basis.rstrip("/")
    dossier = f"{basis}/deelnemers/{deelnemer.pk}/"
    page.goto(dossier)
    budget_voor = _budget(deelnemer)
    expect(page.locator(".app-budget", has_text=budget_voor).first).to_be_visible()

    page.goto(f"{basis}/")
    # On a phone the menu is the same links, in the page's header.
    page.get_by_role("link", name="Groepen").click()
    page.get_by_role("link", name="Sollicitatiegroep dinsdag").click()
    page.get_by_role("link", name=f"Aanwezigheid {datum(bijeenkomst.begin)}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sollicitatiegroep dinsdag")
    assert_toegankelijk(page)

    rij = page.get_by_role("group", name=deelnemer.naam)
    rij.get_by_label("Aanwezig", exact=True).check()
    rij.get_by_label(f"Uren {deelnemer.naam}").fill("2")
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Aanwezigheid opgeslagen")
    expect(page.get_by_label(f"Uren {deelnemer.naam}")).to_have_value("2")

    page.goto(f"{dossier}uren/")
    # The registrations come first, the changes to them (2,5 -> 2) below.
    regel = (
        page.locator("table")
        .first.locator("tr", has_text=datum(bijeenkomst.datum))
        .filter(has_text="Scholing")
    )
    expect(regel).to_contain_text(bijeenkomst.groep.werkplek.naam)
    expect(regel).to_contain_text("2")
    assert_toegankelijk(page)
    # The phase's budget on the dossier moved with the booking (2,5 to 2, or none to 2).
    budget_na = _budget(deelnemer)
    assert budget_na != budget_voor
    page.goto(dossier)
    expect(page.locator(".app-budget", has_text=budget_na).first).to_be_visible()
    expect(page.get_by_role("heading", name="Groepen")).to_be_visible()
