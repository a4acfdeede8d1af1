"""Progress reports: prefilled from hours and observations; the partner's PDF has nothing
medical; a batch of plans and reports prints as one PDF."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment
from reintegratie.accounts.models import Rol
from trajecten.models import Observatie, PlanVanAanpak, Voortgangsrapportage
from trajecten.weekrooster import maandag_van

from .conftest import pdf_tekst
from .factories import UrenregistratieFactory


@pytest.fixture
def met_gegevens(wereld, km):
    """A plan with a goal, two weeks of hours and two observations."""
    plan = PlanVanAanpak.objects.create(
        traject=wereld.traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=km,
        opgesteld_op=wereld.traject.startdatum,
        ondertekend_op=wereld.traject.startdatum,
    )
    doel = plan.leerdoelen.create(soort="structuur", omschrijving="Vier dagen per week komen")
    fase = wereld.traject.fasen.get()
    maandag = maandag_van(timezone.localdate()) - dt.timedelta(days=14)
    for i in range(10):
        dag = maandag + dt.timedelta(days=i + (2 if i >= 5 else 0))
        UrenregistratieFactory(fase=fase, werkplek=wereld.werkplek, datum=dag, uren=Decimal(6))
    for n, score in enumerate([2, 4]):
        Observatie.objects.create(
            deelnemer=wereld.deelnemer,
            werkplek=wereld.werkplek,
            week=maandag + dt.timedelta(days=7 * n),
            regelmatige_arbeid=score,
            omgang=3,
            door=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
        )
    return doel


def _maak(client, wereld, doel, **wijzig):
    gegevens = {
        "aanleiding": "partneroverleg",
        "periode_van": (maandag_van(timezone.localdate()) - dt.timedelta(days=14)).isoformat(),
        "periode_tot": timezone.localdate().isoformat(),
        "bevindingen_klantmanager": "Goede start, komt op tijd.",
        "medische_toelichting": "Rugklachten, advies bedrijfsarts volgt.",
        "advies": "volgende_fase",
        f"doel_{doel.pk}_status": "bezig",
        f"doel_{doel.pk}_toelichting": "Gaat steeds beter",
        **wijzig,
    }
    return client.post(reverse("trajecten:rapportage_nieuw", args=[wereld.traject.pk]), gegevens)


def test_vooraf_ingevuld_uit_de_gegevens(client, wereld, km, met_gegevens):
    response = client.get(reverse("trajecten:rapportage_nieuw", args=[wereld.traject.pk]))
    assert response.context["aanwezigheid"].aanwezig == 60
    assert response.context["form"].initial["periode_van"] == wereld.traject.fasen.get().startdatum
    inhoud = response.content.decode()
    assert "<svg" in inhoud and "polyline" in inhoud
    assert "Regelmatige arbeid" in inhoud  # the table behind the chart


def test_rapportage_opslaan_en_pdf_voor_de_verwijzer_zonder_medisch(
    client, wereld, km, met_gegevens
):
    response = _maak(client, wereld, met_gegevens)
    rapportage = Voortgangsrapportage.objects.get()
    assert response.url == reverse("trajecten:rapportage", args=[wereld.traject.pk, rapportage.pk])
    assert rapportage.leerdoelen.get().status == "bezig"
    met_gegevens.refresh_from_db()
    assert met_gegevens.status == "open"  # the signed plan itself stays as signed
    assert Contactmoment.objects.filter(onderwerp__startswith="Voortgangsrapportage").exists()

    url = reverse("trajecten:rapportage_pdf", args=[wereld.traject.pk, rapportage.pk])
    intern = pdf_tekst(client.get(url).content)
    extern = pdf_tekst(client.get(url, {"voor": "ketenpartner"}).content)
    for tekst in (intern, extern):
        assert wereld.deelnemer.naam in tekst
        assert "Vier dagen per week komen" in tekst
        assert "Goede start" in tekst
        assert "Diagnose" in tekst
    assert "Rugklachten" in intern
    assert "Rugklachten" not in extern


def test_manager_drukt_intern_niets_medisch_af(client, wereld, km, met_gegevens):
    _maak(client, wereld, met_gegevens)
    rapportage = Voortgangsrapportage.objects.get()
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    url = reverse("trajecten:rapportage_pdf", args=[wereld.traject.pk, rapportage.pk])
    assert "Rugklachten" not in pdf_tekst(client.get(url).content)


def test_periode_omgedraaid(client, wereld, km, met_gegevens):
    response = _maak(
        client, wereld, met_gegevens, periode_van="2026-11-20", periode_tot="2026-11-01"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["periode_tot"] == [
        "Het einde van de periode ligt voor het begin."
    ]
    assert not Voortgangsrapportage.objects.exists()


def test_batch_van_deze_week_als_een_pdf(client, wereld, km, met_gegevens):
    _maak(client, wereld, met_gegevens)
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    response = client.get(reverse("afdrukken_week"))
    assert response["Content-Type"] == "application/pdf"
    tekst = pdf_tekst(response.content)
    assert "Plan van aanpak" not in tekst  # signed before this week: not due
    assert tekst.count("Voortgangsrapportage") >= 1
    assert wereld.vreemde_deelnemer.naam not in tekst
