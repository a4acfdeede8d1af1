"""Progress reports: prefilled from hours and observations; the partner's PDF has nothing
medical; a saved report is edited by one person at a time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from trajecten.models import Observatie, PlanVanAanpak, Voortgangsrapportage
from trajecten.weekrooster import maandag_van

from .conftest import pagina_tekst, pdf_tekst
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


def _geopend(client, wereld, rapportage):
    """The edit form as the user's browser gets it: the URL, and each field with its value."""
    url = reverse("trajecten:rapportage_bewerken", args=[wereld.traject.pk, rapportage.pk])
    form = client.get(url).context["form"]
    return url, {veld.html_name: "" if veld.value() is None else veld.value() for veld in form}


def _wijzig(client, wereld, rapportage, **wijzig):
    url, gegevens = _geopend(client, wereld, rapportage)
    return client.post(url, {**gegevens, **wijzig})


def test_rapportage_wijzigen(client, wereld, km, met_gegevens):
    _maak(client, wereld, met_gegevens)
    rapportage = Voortgangsrapportage.objects.get()
    url = reverse("trajecten:rapportage_bewerken", args=[wereld.traject.pk, rapportage.pk])
    formulier = client.get(url)
    assert formulier.context["form"]["bevindingen_klantmanager"].value() == (
        "Goede start, komt op tijd."
    )
    assert formulier.context["form"][f"doel_{met_gegevens.pk}_toelichting"].value() == (
        "Gaat steeds beter"
    )
    assert "Rugklachten" in formulier.content.decode()  # the klantmanager may see it

    response = _wijzig(
        client,
        wereld,
        rapportage,
        bevindingen_klantmanager="Na het overleg: komt op tijd, vraagt zelf om werk.",
        advies="uitstroom",
        **{f"doel_{met_gegevens.pk}_status": "behaald"},
    )
    assert response.url == reverse("trajecten:rapportage", args=[wereld.traject.pk, rapportage.pk])
    rapportage.refresh_from_db()
    assert rapportage.bevindingen_klantmanager.startswith("Na het overleg")
    assert rapportage.advies == "uitstroom"
    assert rapportage.leerdoelen.get().status == "behaald"
    assert rapportage.medische_toelichting == "Rugklachten, advies bedrijfsarts volgt."
    assert (rapportage.wijziging, rapportage.gewijzigd_door) == (2, km)
    assert AuditRecord.objects.filter(
        deelnemer=wereld.deelnemer, actie=AuditRecord.Actie.GEWIJZIGD, omschrijving="rapportage"
    ).exists()
    inhoud = pagina_tekst(client.get(response.url))
    assert f"Laatst gewijzigd door {km}" in inhoud


def test_manager_wist_de_medische_toelichting_niet(client, wereld, km, met_gegevens):
    """The manager does not see the medical remark, so the form cannot send it: saving keeps it
    as the klantmanager wrote it."""
    _maak(client, wereld, met_gegevens)
    rapportage = Voortgangsrapportage.objects.get()
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    url = reverse("trajecten:rapportage_bewerken", args=[wereld.traject.pk, rapportage.pk])
    formulier = client.get(url)
    assert "medische_toelichting" not in formulier.context["form"].fields
    assert "Rugklachten" not in formulier.content.decode()

    response = _wijzig(client, wereld, rapportage, toelichting_advies="Na overleg met de manager.")
    assert response.status_code == 302
    rapportage.refresh_from_db()
    assert rapportage.toelichting_advies == "Na overleg met de manager."
    assert rapportage.medische_toelichting == "Rugklachten, advies bedrijfsarts volgt."


def test_tweede_wijziging_op_een_oude_versie_wordt_geweigerd(client, wereld, km, met_gegevens):
    _maak(client, wereld, met_gegevens)
    rapportage = Voortgangsrapportage.objects.get()
    manager = Client()
    manager.force_login(wereld.gebruikers[Rol.MANAGER])
    url, gegevens = _geopend(manager, wereld, rapportage)  # both have the form open
    _wijzig(client, wereld, rapportage, bevindingen_klantmanager="Eerst opgeslagen.")

    response = manager.post(url, {**gegevens, "bevindingen_klantmanager": "Later, op de oude."})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Iemand anders heeft deze rapportage intussen gewijzigd. Uw wijzigingen zijn niet "
        "opgeslagen; open de rapportage opnieuw om de nieuwe versie te zien."
    ]
    assert "Later, op de oude." in response.content.decode()  # still on screen to copy
    opgeslagen = Voortgangsrapportage.objects.get()
    assert opgeslagen.bevindingen_klantmanager == "Eerst opgeslagen."
    assert (opgeslagen.wijziging, opgeslagen.gewijzigd_door) == (2, km)
    assert not AuditRecord.objects.filter(
        gebruiker=wereld.gebruikers[Rol.MANAGER], actie=AuditRecord.Actie.GEWIJZIGD
    ).exists()


def test_html_en_script_blijven_tekst(client, wereld, km, met_gegevens):
    _maak(client, wereld, met_gegevens)
    rapportage = Voortgangsrapportage.objects.get()
    script = '<script>alert("x")</script><b>vet</b>'
    _wijzig(client, wereld, rapportage, bevindingen_trajectbegeleider=script)

    pagina = client.get(reverse("trajecten:rapportage", args=[wereld.traject.pk, rapportage.pk]))
    inhoud = pagina.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;" in inhoud
    assert script not in inhoud
    formulier = client.get(
        reverse("trajecten:rapportage_bewerken", args=[wereld.traject.pk, rapportage.pk])
    )
    assert script not in formulier.content.decode()
    url = reverse("trajecten:rapportage_pdf", args=[wereld.traject.pk, rapportage.pk])
    assert script in pdf_tekst(client.get(url).content).replace("\n", "")
