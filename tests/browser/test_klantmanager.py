"""The klantmanager's journey in real Chromium: intake, caseload filter, dossier, journal, a
step on the participatieladder, extending the diagnose, and closing the trajectory with a
result."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser

BSN = "111222333"  # passes the elfproef; not among the demo data's numbers


def test_van_intake_tot_afsluiting(page, inloggen):
    vandaag = timezone.localdate().isoformat()
    page.set_default_timeout(10_000)
    inloggen(page, "klantmanager")

    page.get_by_role("link", name="Nieuwe intake").click()
    page.get_by_label("BSN").fill(BSN)
    page.get_by_role("button", name="Verder").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Intake")
    page.get_by_label("Voornaam").fill("Samira")
    page.get_by_label("Achternaam").fill("Bouzid")
    page.get_by_label("Geboortedatum").fill("1986-03-14")
    page.get_by_label("Postcode").fill("3441ab")
    page.get_by_label("Bijstand / Participatiewet").check()
    vragen = {
        "Zijn er medische klachten": "Nee",
        "Heeft de klant een inburgeringsplicht": "Nee",
        "Heeft de klant de afgelopen vijf jaar": "Ja",
        "Kan de klant zelfstandig": "Ja",
        "Zijn kinderopvang en mantelzorg": "Ja",
    }
    for vraag, antwoord in vragen.items():
        page.get_by_role("group", name=re.compile(vraag)).get_by_label(antwoord).check()
    page.get_by_label("Afstand tot de arbeidsmarkt").select_option(label="Lang")
    page.get_by_label("Start van het traject").fill(vandaag)
    page.get_by_label("Werkervaringsovereenkomst is ondertekend").check()
    assert_toegankelijk(page)
    page.get_by_role("button", name="Intake afronden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Samira Bouzid")
    expect(page.get_by_role("status").first).to_contain_text("Intake afgerond: route werk")

    # Find her back in the caseload by a filter.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Deelnemers").click()
    page.get_by_label("Status traject").select_option(label="Aangemeld")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"status=aangemeld"))
    page.get_by_role("link", name="Samira Bouzid").click()

    # The journal: added in place, without a reload.
    page.get_by_label("Soort").select_option(label="Telefonisch contact")
    page.get_by_label("Onderwerp").fill("Startdatum doorgegeven")
    page.get_by_role("button", name="Vastleggen").click()
    journaal = page.get_by_role("list", name="Contactmomenten, nieuwste eerst")
    expect(journaal).to_contain_text("Startdatum doorgegeven")
    expect(page.get_by_label("Onderwerp")).to_have_value("")

    # The participatieladder: today is filled in, the step must be chosen.
    page.get_by_role("button", name="Trede opslaan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_toegankelijk(page)
    page.get_by_label("Trede", exact=True).select_option(
        label="3 Deelname aan georganiseerde activiteiten"
    )
    page.get_by_role("button", name="Trede opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Trede 3 Deelname")
    expect(journaal).to_contain_text("Participatieladder: trede 3")

    page.get_by_role("link", name="Fase verlengen").click()
    page.get_by_label("Waarom verlengen?").fill("Meer tijd nodig voor een goed beeld.")
    page.get_by_role("button", name="Fase verlengen").click()
    expect(page.get_by_role("list", name="Fasen van het traject")).to_contain_text("1× verlengd")
    expect(journaal).to_contain_text("Diagnose verlengd met 50 uur")

    page.get_by_role("link", name="Traject afsluiten").click()
    page.get_by_role("button", name="Traject afsluiten").click()  # no result chosen
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Werk/proefplaatsing").check()
    page.get_by_label("Toelichting").fill("Vast contract bij de groenvoorziening.")
    page.get_by_role("button", name="Traject afsluiten").click()  # the contract kind forgotten
    expect(page.get_by_text("Kies het soort contract")).to_be_visible()
    expect(page.get_by_label("Toelichting")).to_have_value("Vast contract bij de groenvoorziening.")
    page.get_by_label("Soort contract").select_option(label="Vast contract")
    assert_toegankelijk(page)
    page.get_by_role("button", name="Traject afsluiten").click()

    expect(page.get_by_text("Uitstroom:")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Werk/proefplaatsing (vast contract)")
    expect(journaal).to_contain_text("Traject afgesloten: werk/proefplaatsing")
    assert_toegankelijk(page)
