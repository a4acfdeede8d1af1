"""The detacheringsbaan in real Chromium, as the klantmanager keeps it: the first contract of
the chain refused one day past its seven months and then recorded, the second ending within
the warning weeks so the dossier and the caseload signal it, then ended early with its
reason, ESF recorded as a financier and
its hours statement opened, and the trajectory closed with uitstroom to permanent work."""

import re
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser


@pytest.fixture
def detachering(demo):
    """A participant of the demo klantmanager, eight months into a detacheringsbaan, working
    at a building firm."""
    from reintegratie.accounts.models import Gebruiker, Organisatie
    from tests.factories import (
        DeelnemerFactory,
        PlaatsingFactory,
        TrajectFactory,
        WerkplekFactory,
    )

    km = Gebruiker.objects.get(username="klantmanager")
    ferm = Organisatie.objects.get(naam="Ferm Werk")
    bouw = Organisatie.objects.create(naam="Bouwbedrijf Stapel", soort=Organisatie.Soort.WERKGEVER)
    deelnemer = DeelnemerFactory(
        voornaam="Dirk", achternaam="Detacheer", klantmanager=km, regie=ferm, verwijzer=ferm
    )
    traject = TrajectFactory(
        deelnemer=deelnemer,
        detachering=True,
        aanbieder=ferm,
        klantmanager=km,
        startdatum=timezone.localdate() - relativedelta(months=8),
    )
    PlaatsingFactory(
        deelnemer=deelnemer,
        traject=traject,
        werkplek=WerkplekFactory(organisatie=bouw, naam="Bouwplaats Zuid"),
        startdatum=traject.startdatum,
    )
    return traject


def _contract(main, *, start, eind):
    main.get_by_label("Werkgever").select_option(label="Bouwbedrijf Stapel")
    main.get_by_label("Tijdelijk contract").check()
    main.get_by_label("Startdatum").fill(start.isoformat())
    main.get_by_label("Einddatum").fill(eind.isoformat())
    main.get_by_role("button", name="Vastleggen").click()


def test_de_keten_van_een_detacheringsbaan_met_zijn_signaal(page, demo, inloggen, detachering):
    page.set_default_timeout(10_000)
    inloggen(page, "klantmanager")
    dossier = f"{demo.url}/deelnemers/{detachering.deelnemer_id}/"
    page.goto(dossier)
    main = page.get_by_role("main")

    # The first link: seven months at most. One day more is refused at the field.
    main.get_by_role("link", name="Contract vastleggen").click()
    expect(main.get_by_role("heading", name="Contract vastleggen")).to_be_visible()
    expect(main).to_contain_text("contract 1 van 3")
    assert_toegankelijk(page)
    start = detachering.startdatum
    einde = start + relativedelta(months=7) - timedelta(days=1)
    _contract(main, start=start, eind=einde + timedelta(days=1))
    expect(main.get_by_text("Contract 1 van de keten duurt hoogstens 7 maanden")).to_be_visible()
    assert_toegankelijk(page)
    main.get_by_label("Einddatum").fill(einde.isoformat())
    main.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het contract bij Bouwbedrijf Stapel is vastgelegd.")).to_be_visible()

    # The second ends in under four weeks: the trajectory asks for a decision.
    main.get_by_role("link", name="Contract vastleggen").click()
    expect(main).to_contain_text("contract 2 van 3")
    _contract(main, start=einde + timedelta(days=1), eind=timezone.localdate() + timedelta(days=20))
    expect(main.get_by_role("status").filter(has_text="Vraagt actie")).to_contain_text(
        "Contract loopt af"
    )
    contracten = main.get_by_role("table", name="Contracten van dit traject")
    expect(contracten.get_by_role("row")).to_have_count(3)
    assert_toegankelijk(page)

    # The caseload finds the participant by that signal.
    page.goto(f"{demo.url}/deelnemers/")
    page.get_by_label("Signaal").select_option(label="Contract loopt af")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("link", name="Dirk Detacheer")).to_be_visible()
    page.get_by_role("link", name="Dirk Detacheer").click()

    # The building firm stops sooner: the last contract ends early, with the reason, which
    # stays in the form when the first date is refused.
    main.get_by_role("link", name=re.compile("Eerder beëindigen")).click()
    expect(main.get_by_role("heading", name="Contract beëindigen")).to_be_visible()
    assert_toegankelijk(page)
    dag = main.get_by_label("Laatste dag van het contract")
    dag.fill((timezone.localdate() + timedelta(days=30)).isoformat())
    main.get_by_label("Reden").fill("Het project is eerder klaar.")
    main.get_by_role("button", name="Beëindigen").click()
    expect(main.get_by_text("kies een eerdere datum")).to_be_visible()
    expect(main.get_by_label("Reden")).to_have_value("Het project is eerder klaar.")
    laatste = timezone.localdate() + timedelta(days=3)
    dag.fill(laatste.isoformat())
    main.get_by_role("button", name="Beëindigen").click()
    expect(page.get_by_text("Het contract bij Bouwbedrijf Stapel is beëindigd.")).to_be_visible()
    expect(contracten).to_contain_text(f"{laatste.day}-{laatste.month}-{laatste.year}")
    expect(main).to_contain_text("Het project is eerder klaar.")

    # Who pays: ESF for part of it, so the hours go on an ESF statement.
    main.get_by_role("link", name="Financiering vastleggen").click()
    expect(main.get_by_role("table", name="Aandelen per financier (%)")).to_be_visible()
    assert_toegankelijk(page)
    main.get_by_label("Aandeel ESF+ (Europees Sociaal Fonds) in het traject").fill("140")
    main.get_by_role("button", name="Vastleggen").click()
    expect(main.get_by_text("Zorg ervoor dat deze waarde hoogstens 100 is.")).to_be_visible()
    main.get_by_label("Aandeel ESF+ (Europees Sociaal Fonds) in het traject").fill("40")
    main.get_by_role("button", name="Vastleggen").click()
    expect(main).to_contain_text("ESF+ (Europees Sociaal Fonds) 40%")
    main.get_by_role("link", name="ESF-urenstaat").click()
    expect(
        main.get_by_role("heading", name=f"ESF-urenstaat {timezone.localdate().year}")
    ).to_be_visible()
    assert_toegankelijk(page)
    page.go_back()

    # Then a permanent job: closed with uitstroom to work, its contract kind recorded.
    main.get_by_role("link", name="Traject afsluiten").click()
    main.get_by_label("Werk/proefplaatsing").check()
    main.get_by_label("Soort contract").select_option(label="Vast contract")
    main.get_by_role("button", name="Traject afsluiten").click()
    expect(main).to_contain_text("Werk/proefplaatsing (vast contract)")
    expect(main.get_by_role("status").filter(has_text="Vraagt actie")).to_have_count(0)


def test_keuzerondjes_op_een_telefoon(page, demo, inloggen, detachering):
    """Radio buttons are the design system's radios, not stretched text boxes: on a phone
    each sits small beside its whole label, and one not chosen yet is not shown in error."""
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 390, "height": 844})
    inloggen(page, "klantmanager")
    page.goto(f"{demo.url}/trajecten/{detachering.pk}/afsluiten/")
    rondjes = page.get_by_role("radio")
    expect(rondjes.first).to_be_visible()
    for rondje in rondjes.all():
        vak = rondje.bounding_box()
        label = rondje.locator("xpath=..").bounding_box()
        assert vak["width"] <= 32, vak
        assert label["height"] <= 2 * vak["height"], "the label wraps under its radio"
    textbox = page.get_by_label("Toelichting, bijvoorbeeld de verwijzing")
    rand = rondjes.first.evaluate("e => getComputedStyle(e).borderTopColor")
    assert rand == textbox.evaluate("e => getComputedStyle(e).borderTopColor")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_toegankelijk(page)
