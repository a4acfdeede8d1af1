"""A whole partner meeting in real Chromium: Ferm Werk plans it to recur with De Fabriek and
the Reclassering, opens an occurrence's agenda, writes two participants' minutes (one with
an afspraak that becomes a task) and every partner prints its pack, which holds only the
participants that partner is involved in."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import pdf_tekst

from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser


def test_een_heel_partneroverleg(page, inloggen, demo, taakwerker):
    from reintegratie.accounts.models import Gebruiker
    from reintegratie.overleg.models import Bespreking, Overleg
    from reintegratie.taken.models import Taak

    page.set_default_timeout(10_000)
    inloggen(page, "klantmanager")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Partneroverleg"
    ).click()
    page.get_by_role("link", name="Overleg plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overleg plannen")
    assert_toegankelijk(page)
    page.get_by_label("Naam").fill("Casusoverleg Woerden")
    page.get_by_label("De Fabriek (PI Almelo)", exact=True).check()
    page.get_by_label("Reclassering Nederland", exact=True).check()
    # The planner herself is ticked already; the others are found by name (over htmx).
    expect(page.get_by_label("Karin de Jong (Ferm Werk)", exact=True)).to_be_checked()
    zoeken = page.get_by_label("Zoek een persoon of organisatie")
    for naam in ("Tom Bakker (De Fabriek (PI Almelo))", "Kees Mulder (Reclassering Nederland)"):
        zoeken.fill(naam.split(" (")[0])
        page.get_by_label(naam, exact=True).check()
    zoeken.fill("")
    for naam in ("Tom Bakker (De Fabriek (PI Almelo))", "Kees Mulder (Reclassering Nederland)"):
        expect(page.get_by_label(naam, exact=True)).to_be_checked()
    page.get_by_label("Elke zoveel weken").fill("3")
    morgen = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Eerste bijeenkomst: datum").fill(morgen.isoformat())
    page.get_by_label("Eerste bijeenkomst: tijd").fill("10:00")
    page.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casusoverleg Woerden")
    overleg = Overleg.objects.get(naam="Casusoverleg Woerden")
    assert overleg.bijeenkomsten.count() == 6
    assert_toegankelijk(page)

    page.get_by_role("main").get_by_role("listitem").first.get_by_role("link").click()
    page.get_by_role("button", name="Agenda voorstellen").click()
    agenda = page.get_by_role("main").get_by_role("list").first
    expect(agenda.get_by_role("listitem").first).to_contain_text(":")
    assert_toegankelijk(page)
    bijeenkomst = overleg.bijeenkomsten.order_by("begin").first()
    besprekingen = list(bijeenkomst.besprekingen.select_related("deelnemer").order_by("volgorde"))
    assert len(besprekingen) >= 2

    # The first participant's minutes, with an afspraak for the klantmanager herself.
    page.get_by_role("link", name=besprekingen[0].deelnemer.naam, exact=True).click()
    assert_toegankelijk(page)
    page.get_by_label("Verslag", exact=True).fill(
        "Loopt goed; volgende stap is een proefplaatsing."
    )
    eerste = page.get_by_role("group", name="Afspraak 1")
    eerste.get_by_label("Afspraak").fill("Proefplaatsing regelen")
    eerste.get_by_label("Wie").select_option(label="Karin de Jong (Ferm Werk)")
    eerste.get_by_label("Uiterlijk op").fill((morgen + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het verslag staat in het dossier.")

    page.get_by_role("link", name=besprekingen[1].deelnemer.naam, exact=True).click()
    page.get_by_label("Verslag", exact=True).fill("Twee keer afwezig; de reclassering belt.")
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het verslag staat in het dossier.")

    taak = Taak.objects.get(omschrijving="Proefplaatsing regelen")
    assert (taak.deelnemer, taak.bron) == (besprekingen[0].deelnemer, Taak.Bron.OVERLEG)
    assert taak.eigenaar.username == "klantmanager"
    assert all(
        b.wijziging == 1 for b in Bespreking.objects.filter(pk__in=[b.pk for b in besprekingen[:2]])
    )

    # Every partner prints its pack: only the participants it is involved in.
    namen = {b.deelnemer.naam for b in besprekingen}
    gezien = {}
    for gebruikersnaam in ("klantmanager", "trajectbegeleider", "ketenpartner"):
        page.context.clear_cookies()
        inloggen(page, gebruikersnaam)
        page.goto(f"{demo.url}/overleg/bijeenkomst/{bijeenkomst.pk}/")
        assert_toegankelijk(page)
        page.get_by_role("button", name="Vergaderstukken maken (PDF)").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Vergaderstukken van een partneroverleg"
        )
        expect(page.get_by_role("status")).to_contain_text("Wacht op de verwerking")
        taakwerker()
        # The page asks again by itself (htmx) and then offers the PDF.
        link = page.get_by_role("link", name="PDF-bestand openen")
        expect(link).to_be_visible()
        antwoord = page.request.get(demo.url + link.get_attribute("href"))
        assert antwoord.headers["content-type"] == "application/pdf"
        tekst = pdf_tekst(antwoord.body())
        gebruiker = Gebruiker.objects.get(username=gebruikersnaam)
        eigen = {
            b.deelnemer.naam
            for b in Bespreking.objects.zichtbaar_voor(gebruiker)
            .filter(bijeenkomst=bijeenkomst)
            .select_related("deelnemer")
        }
        gezien[gebruikersnaam] = {n for n in namen if n in tekst}
        assert gezien[gebruikersnaam] == eigen, gebruikersnaam
    # The organiser sees the whole agenda; the reclassering only whom it referred.
    assert gezien["klantmanager"] == namen
    assert gezien["ketenpartner"] < namen
