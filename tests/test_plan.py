"""The plan van aanpak: versions, signing, frozen once signed, and the PDF that leaves the
building, checked by its text."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reintegratie.accounts.models import Rol
from reintegratie.pdf import render_to_pdf
from trajecten.models import Leerdoel, PlanVanAanpak

from .conftest import pdf_tekst


@pytest.fixture
def plan(wereld, km):
    plan = PlanVanAanpak.objects.create(
        traject=wereld.traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=km,
        opgesteld_op=timezone.localdate() - dt.timedelta(days=3),
    )
    plan.leerdoelen.create(
        soort="taal", omschrijving="Taalniveau 2F halen", instrumenten="Taalmeter"
    )
    return plan


def _opslaan(client, wereld, plan, url="trajecten:plan", follow=False, **wijzig):
    """The plan page's form as the user sends it; ``url`` ondertekenen for its sign button."""
    doel = plan.leerdoelen.first()
    gegevens = {
        "afstand_tot_arbeidsmarkt": "kort",
        "afspraken": "Vier dagen per week.",
        "wijziging": plan.wijziging,
        "doelen-TOTAL_FORMS": "2",
        "doelen-INITIAL_FORMS": "1",
        "doelen-0-id": doel.pk,
        "doelen-0-soort": "taal",
        "doelen-0-omschrijving": doel.omschrijving,
        "doelen-0-status": "bezig",
        "doelen-1-soort": "vakinhoudelijk",
        "doelen-1-omschrijving": "Heftruckcertificaat halen",
        "doelen-1-status": "open",
        **wijzig,
    }
    args = [wereld.traject.pk] + ([plan.versie] if url == "trajecten:plan_ondertekenen" else [])
    return client.post(reverse(url, args=args), gegevens, follow=follow)


def test_concept_bewerken_met_leerdoelen(client, wereld, plan):
    assert _opslaan(client, wereld, plan).status_code == 302
    plan.refresh_from_db()
    assert (plan.afstand_tot_arbeidsmarkt, plan.wijziging) == ("kort", 2)
    assert sorted(plan.leerdoelen.values_list("soort", "status")) == [
        ("taal", "bezig"),
        ("vakinhoudelijk", "open"),
    ]


def test_gelijktijdig_bewerken_tweede_geweigerd(client, wereld, plan):
    _opslaan(client, wereld, plan)
    response = _opslaan(client, wereld, plan, afspraken="Overschreven?", wijziging=1)
    assert "Iemand anders heeft dit plan intussen gewijzigd" in response.content.decode()
    plan.refresh_from_db()
    assert plan.afspraken == "Vier dagen per week."


def _ondertekenen(client, wereld, plan, datum, **wijzig):
    return _opslaan(client, wereld, plan, url="trajecten:plan_ondertekenen", datum=datum, **wijzig)


def test_ondertekenen_zet_vast_en_tweemaal_wordt_geweigerd(client, wereld, plan, km):
    vandaag = timezone.localdate().isoformat()
    _ondertekenen(client, wereld, plan, vandaag)
    plan.refresh_from_db()
    assert (plan.ondertekend_op, plan.ondertekening_vastgelegd_door) == (timezone.localdate(), km)

    response = _ondertekenen(client, wereld, plan, vandaag, follow=True)
    assert "is ondertekend en kan niet meer worden gewijzigd" in response.content.decode()
    response = client.post(
        reverse("trajecten:plan", args=[wereld.traject.pk]),
        {"afspraken": "Stiekem gewijzigd", "wijziging": 1},
        follow=True,
    )
    assert "kan niet meer worden gewijzigd" in response.content.decode()
    plan.refresh_from_db()
    assert plan.afspraken != "Stiekem gewijzigd"


def test_ondertekenen_bewaart_wat_op_de_pagina_getypt_is(client, wereld, plan):
    """Signing used to throw away the edits typed on the same page, then lock the version."""
    _ondertekenen(client, wereld, plan, timezone.localdate().isoformat(), afspraken="Nieuw!")
    plan.refresh_from_db()
    assert plan.is_ondertekend
    assert plan.afspraken == "Nieuw!"
    assert "Heftruckcertificaat halen" in plan.leerdoelen.values_list("omschrijving", flat=True)


def test_ondertekenen_voor_opstellen_geweigerd_en_niets_verloren(client, wereld, plan):
    response = _ondertekenen(client, wereld, plan, "2000-01-01", afspraken="Getypt, niet kwijt")
    inhoud = response.content.decode()
    assert "op of na de dag van opstellen" in inhoud
    # Nothing saved, nothing lost: the page shows what was typed.
    assert "Getypt, niet kwijt" in inhoud
    plan.refresh_from_db()
    assert (plan.ondertekend_op, plan.afspraken) == (None, "")


def test_nieuwe_versie_na_ondertekening(client, wereld, plan):
    plan.ondertekend_op = timezone.localdate()
    plan.save()
    client.post(reverse("trajecten:plan_nieuwe_versie", args=[wereld.traject.pk]))
    nieuw = PlanVanAanpak.objects.get(traject=wereld.traject, versie=2)
    assert nieuw.ondertekend_op is None
    assert list(nieuw.leerdoelen.values_list("omschrijving", flat=True)) == ["Taalniveau 2F halen"]
    # The old version stays readable and unchanged.
    response = client.get(reverse("trajecten:plan", args=[wereld.traject.pk]), {"versie": 1})
    assert response.context["plan"] == plan
    # No second concept next to the first.
    response = client.post(
        reverse("trajecten:plan_nieuwe_versie", args=[wereld.traject.pk]), follow=True
    )
    assert "nog een concept" in response.content.decode()
    assert wereld.traject.plannen.count() == 2


def test_pdf_bevat_deelnemer_fasen_uren_en_leerdoelen(client, wereld, plan):
    response = client.get(reverse("trajecten:plan_pdf", args=[wereld.traject.pk, 1]))
    assert response["Content-Type"] == "application/pdf"
    tekst = pdf_tekst(response.content)
    assert wereld.deelnemer.naam in tekst
    assert "Diagnose" in tekst
    assert "Taalniveau 2F halen" in tekst
    assert "Pagina 1 van" in tekst
    assert wereld.deelnemer.bsn not in tekst


def test_html_en_script_blijven_tekst(wereld, plan):
    plan.afspraken = '<script>alert("x")</script><b>vet</b>'
    plan.save()
    html, pdf = render_to_pdf(
        "pdf/plan_van_aanpak.html",
        {"traject": wereld.traject, "plan": plan, "deelnemer": wereld.deelnemer},
    )
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<script>alert("x")</script><b>vet</b>' in pdf_tekst(pdf).replace("\n", "")


def test_veertig_leerdoelen_en_lange_teksten(wereld, plan):
    lang = "Werkt aan regelmaat en afspraken. " * 25
    Leerdoel.objects.bulk_create(
        Leerdoel(plan=plan, soort="werkervaring", omschrijving=f"Doel {i}: {lang}")
        for i in range(40)
    )
    plan.afspraken = lang * 3
    plan.save()
    _, pdf = render_to_pdf(
        "pdf/plan_van_aanpak.html",
        {"traject": wereld.traject, "plan": plan, "deelnemer": wereld.deelnemer},
    )
    pagina_s = PdfReader(io.BytesIO(pdf)).pages
    assert len(pagina_s) > 5
    tekst = pdf_tekst(pdf)
    assert "Doel 39:" in tekst
    assert f"Pagina {len(pagina_s)} van {len(pagina_s)}" in tekst


def test_pdf_haalt_niets_van_buiten(wereld, plan, settings):
    """A link in the template to another host is not fetched (the fetcher refuses it)."""
    from reintegratie.pdf import _fetcher

    with pytest.raises(ValueError, match="Niet toegestaan"):
        _fetcher().fetch("https://example.org/plaatje.png")
    with pytest.raises(ValueError, match="Niet toegestaan"):
        _fetcher().fetch("https://pdf.invalid/static/../../../etc/passwd")
    assert _fetcher().fetch("https://pdf.invalid/static/pdf/document.css").read()


def test_werkervaringsovereenkomst(client, wereld, km):
    response = client.get(reverse("trajecten:werkervaringsovereenkomst", args=[wereld.traject.pk]))
    tekst = " ".join(pdf_tekst(response.content).split())
    assert "Werkervaringsovereenkomst" in tekst
    assert wereld.deelnemer.naam in tekst
    assert wereld.werkplek.naam in tekst
    assert "Uren per week 24" in tekst
    assert "uiterlijk bij 800 uur" in tekst


def test_dossier_pdf_zonder_volledig_bsn_en_medisch_alleen_voor_klantmanager(client, wereld, km):
    from deelnemers.models import Contactmoment

    Contactmoment.objects.create(
        deelnemer=wereld.deelnemer, soort="gesprek", onderwerp="Kennismaking", door=km
    )
    Contactmoment.objects.create(
        deelnemer=wereld.deelnemer,
        soort="gesprek",
        onderwerp="Uitslag bedrijfsarts",
        medisch=True,
        door=km,
    )
    url = reverse("deelnemers:dossier_pdf", args=[wereld.deelnemer.pk])
    tekst = pdf_tekst(client.get(url).content)
    assert wereld.deelnemer.naam in tekst
    assert wereld.deelnemer.bsn_gemaskeerd in tekst and wereld.deelnemer.bsn not in tekst
    assert "Diagnose" in tekst and "Kennismaking" in tekst
    assert "Uitslag bedrijfsarts" in tekst
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    tekst = pdf_tekst(client.get(url).content)
    assert "Kennismaking" in tekst
    assert "Uitslag bedrijfsarts" not in tekst
