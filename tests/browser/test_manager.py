"""The manager's journeys in real Chromium: a plan made, signed and printed; this week's
documents listed and printed as one PDF; a progress report written and edited; the outcomes
report for last year, one number drilled into, and the export to Excel; the cost report
drilled into the same way."""

import io
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from .test_rollen import assert_past_in_breedte, assert_toegankelijk

pytestmark = pytest.mark.browser


def test_plan_opstellen_ondertekenen_en_afdrukken(page, inloggen):
    page.set_default_timeout(10_000)
    inloggen(page, "manager")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Deelnemers").click()
    page.get_by_label("Status traject").select_option(label="Actief")
    page.get_by_role("button", name="Filteren").click()
    page.locator("table tbody th a").first.click()
    naam = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name=re.compile("openen")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan van aanpak")

    nieuwe_versie = page.get_by_role(
        "button", name=re.compile("Nieuwe versie maken|Plan opstellen")
    )
    if nieuwe_versie.count():
        nieuwe_versie.click()
        expect(page.get_by_role("status").first).to_contain_text("aangemaakt als concept")
    leeg = page.locator("textarea[name$='-omschrijving']").last
    leeg.fill("Zelfstandig een orderpicklijst afwerken")
    page.locator("select[name$='-soort']").last.select_option(label="Vakinhoudelijk")
    page.get_by_label("Afspraken").fill("Vier dagen per week; ziek melden voor 8.30 uur.")
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("is opgeslagen")
    assert_toegankelijk(page)

    page.get_by_label("Besproken en ondertekend door de deelnemer op").fill(
        timezone.localdate().isoformat()
    )
    page.get_by_role("button", name="Ondertekening vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("ondertekend en vastgezet")

    pdf_link = page.get_by_role("link", name=re.compile("PDF van versie"))
    antwoord = page.request.get(urljoin(page.url, pdf_link.get_attribute("href")))
    assert antwoord.headers["content-type"] == "application/pdf"
    tekst = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(antwoord.body())).pages
    )
    assert naam in tekst
    assert "Zelfstandig een orderpicklijst afwerken" in tekst
    assert "ondertekend door de deelnemer" in tekst


def test_deze_week_afdrukken(page, inloggen, taakwerker):
    page.set_default_timeout(10_000)
    inloggen(page, "manager")
    page.get_by_role("link", name="Plannen en rapportages van deze week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Af te drukken deze week")
    tabel = page.get_by_role("table", name="Voortgangsrapportages van deze week")
    naam = tabel.locator("tbody th a").first.inner_text()
    assert_toegankelijk(page)
    lijst = page.url

    page.get_by_role("button", name="Alles als één PDF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Plannen en rapportages van deze week"
    )
    expect(page.get_by_role("status")).to_contain_text("Wacht op de verwerking")
    assert_toegankelijk(page)
    taakwerker()
    # The page asks again by itself (htmx) and then offers the PDF, without a reload.
    pdf_link = page.get_by_role("link", name="PDF-bestand openen")
    expect(pdf_link).to_be_visible()
    antwoord = page.request.get(urljoin(page.url, pdf_link.get_attribute("href")))
    assert antwoord.headers["content-type"] == "application/pdf"
    tekst = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(antwoord.body())).pages
    )
    assert naam in tekst
    assert "Besproken in het partneroverleg." in tekst

    page.goto(lijst)
    tabel.locator("tbody td a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voortgangsrapportage")


def test_resultaten_vorig_jaar_doorklikken_en_excel(page, inloggen):
    page.set_default_timeout(10_000)
    vorig_jaar = timezone.localdate().year - 1
    inloggen(page, "manager")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Resultaten").click()
    page.get_by_label("Gestart vanaf").fill(f"{vorig_jaar}-01-01")
    page.get_by_label("Gestart tot en met").fill(f"{vorig_jaar}-12-31")
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_role("main")).to_contain_text("De regels tellen op tot het aantal")
    assert_toegankelijk(page)

    gestart = int(page.locator("a[href*='cel=gestart']").inner_text().split()[0])
    assert gestart > 0
    page.locator("a[href*='cel=gestart']").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Gestart"))).to_contain_text(
        f"{gestart} deelnemer"
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    boek = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    waarden = {r[0]: r[1] for r in boek.active.iter_rows(min_row=3, values_only=True)}
    assert waarden["Trajecten gestart"] == gestart


def test_kosten_doorklikken_naar_de_trajecten_en_excel(page, inloggen):
    """The demo's prices and funders: the total, the trajectories behind a trajecttype's
    count, those no funder fully covers, and the same total in the Excel file."""
    page.set_default_timeout(10_000)
    inloggen(page, "manager")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kosten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kosten en financiering")
    per_type = page.get_by_role("table", name="Per trajecttype")
    expect(per_type).to_contain_text("Route Werk")
    assert_toegankelijk(page)

    route = per_type.get_by_role("row").filter(has_text="Route Werk")
    aantal = route.get_by_role("link").first
    trajecten = int(aantal.inner_text().split()[0].replace(".", ""))
    aantal.click()
    kop = page.get_by_role("heading", level=2, name=re.compile("Route Werk:"))
    expect(kop).to_contain_text(f": {trajecten} traject")
    rijen = page.get_by_role("table", name="Trajecten met hun kosten in de periode")
    expect(rijen.locator("tbody tr").first).to_contain_text("Route Werk")
    assert_toegankelijk(page)
    # On a phone the wide tables scroll inside their box; the page itself does not.
    assert_past_in_breedte(page, 390, 844)

    per_financier = page.get_by_role("table", name="Per financier")
    per_financier.get_by_role("row").filter(has_text="Niet toegewezen").get_by_role(
        "link", name=re.compile("tonen")
    ).click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Niet toegewezen:"))
    ).to_be_visible()
    rijen.locator("tbody th a").first.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Kosten en financiering")

    page.go_back()
    totaal = page.get_by_role("table", name="Per trajecttype").locator("tfoot tr")
    totaalbedrag = totaal.locator("td").nth(3).inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    boek = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    totalen = [r for r in boek.active.iter_rows(values_only=True) if r and r[0] == "Totaal"]
    assert f"{totalen[0][4]:,.2f}".translate(str.maketrans(",.", ".,")) == totaalbedrag


def test_voortgangsrapportage_schrijven_en_wijzigen(page, inloggen):
    page.set_default_timeout(10_000)
    inloggen(page, "manager")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Deelnemers").click()
    page.get_by_label("Status traject").select_option(label="Actief")
    page.get_by_role("button", name="Filteren").click()
    page.locator("table tbody th a").first.click()
    page.get_by_role("link", name="Nieuwe voortgangsrapportage").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe voortgangsrapportage")
    assert_toegankelijk(page)
    page.get_by_label("Advies", exact=True).select_option(label="Verlengen")
    page.get_by_label("Bevindingen van de klantmanager").fill("Komt op tijd, werkt zelfstandig.")
    page.get_by_role("button", name="Rapportage opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Voortgangsrapportage")
    expect(page.get_by_role("main")).to_contain_text("Komt op tijd, werkt zelfstandig.")
    assert_toegankelijk(page)

    page.get_by_role("link", name="Wijzigen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voortgangsrapportage wijzigen")
    expect(page.get_by_label("Bevindingen van de klantmanager")).to_have_value(
        "Komt op tijd, werkt zelfstandig."
    )
    assert_toegankelijk(page)
    page.get_by_label("Bevindingen van de klantmanager").fill("Na het overleg: verlengen.")
    page.get_by_role("button", name="Rapportage opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("zijn opgeslagen")
    expect(page.get_by_role("main")).to_contain_text("Na het overleg: verlengen.")
    expect(page.get_by_role("main")).to_contain_text("Laatst gewijzigd door")


def test_dashboard_en_doelstellingen(page, inloggen):
    """The start page is the dashboard (charts with their tables), exported to Excel; the
    programme targets for a chosen period."""
    page.set_default_timeout(10_000)
    inloggen(page, "manager")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard")
    expect(main.get_by_role("img", name=re.compile("Lopende trajecten per fase"))).to_be_visible()
    # The dashboard's seven parts, and on the start page the team's participants per phase
    # (counts only: a klantmanager's name, no participant's).
    expect(main.get_by_role("heading", level=2)).to_have_count(8)
    team = main.get_by_role("table", name="Lopende trajecten per klantmanager en huidige fase")
    expect(team.get_by_role("row", name=re.compile("Karin de Jong"))).to_be_visible()
    assert_toegankelijk(page)
    with page.expect_download() as download:
        main.get_by_role("link", name="Excel").click()
    boek = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(boek.worksheets) == 7

    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Doelstellingen").click()
    page.get_by_label("Van", exact=True).fill(f"{timezone.localdate().year - 1}-01-01")
    page.get_by_role("button", name="Toon").click()
    expect(main).to_contain_text("Plaatsingen beschut werk (taakstelling)")
    expect(main.get_by_role("img", name=re.compile("aandeel per maand"))).to_have_count(3)
    assert_toegankelijk(page)

    page.get_by_role("textbox", name="Tot en met").fill(f"{timezone.localdate().year - 2}-01-01")
    page.get_by_role("button", name="Toon").click()
    expect(main).to_contain_text("Het einde van de periode ligt voor het begin.")
