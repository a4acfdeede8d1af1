"""Who pays: financiers as data, their shares of a trajectory and of its instruments (at most
100% each), and the ESF hours statement per participant and year, with known answers."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from trajecten.models import Financier, Financiering, Instrumentinzet, Urenregistratie

from .conftest import pagina_tekst, pdf_tekst
from .factories import PlaatsingFactory, TrajectFactory


@pytest.fixture
def financiers(db):
    return {f.soort: f for f in Financier.objects.all()}


def _url(traject):
    return reverse("trajecten:financiering", kwargs={"pk": traject.pk})


def _veld(doel, financier):
    return f"aandeel_{doel or 'traject'}_{financier.pk}"


class TestAandelen:
    def test_de_klantmanager_legt_de_aandelen_vast_in_een_raster(
        self, client, km, wereld, financiers
    ):
        inzet = wereld.traject.instrumenten.create(
            instrument=Instrumentinzet.Instrument.JOBCOACHING,
            startdatum=wereld.traject.startdatum,
            uren=Decimal(10),
        )
        esf, gemeente, uwv = (financiers[s] for s in ("esf", "participatiebudget", "uwv"))
        response = client.post(
            _url(wereld.traject),
            {
                _veld(None, esf): "50",
                _veld(None, gemeente): "37,5",
                _veld(inzet.pk, uwv): "100",
            },
        )
        assert response.status_code == 302
        aandelen = set(
            Financiering.objects.values_list("instrument_id", "financier__soort", "aandeel")
        )
        assert aandelen == {
            (None, "esf", Decimal("50.00")),
            (None, "participatiebudget", Decimal("37.50")),
            (inzet.pk, "uwv", Decimal("100.00")),
        }
        dossier = pagina_tekst(client.get(wereld.deelnemer.get_absolute_url()))
        assert "ESF+ (Europees Sociaal Fonds) 50%" in dossier
        assert "Participatiebudget gemeente 37,5%" in dossier
        assert "ESF-urenstaat" in dossier
        # The form shows what is recorded, the Dutch way; saving it again changes nothing.
        pagina = client.get(_url(wereld.traject)).content.decode()
        assert 'value="37,50"' in pagina

    def test_samen_meer_dan_100_procent_geeft_een_melding_en_bewaart_niets(
        self, client, km, wereld, financiers
    ):
        Financiering.objects.create(
            traject=wereld.traject, financier=financiers["uwv"], aandeel=Decimal(20)
        )
        esf, gemeente = financiers["esf"], financiers["participatiebudget"]
        response = client.post(
            _url(wereld.traject), {_veld(None, esf): "80", _veld(None, gemeente): "30"}
        )
        assert response.status_code == 200
        form = response.context["form"]
        assert "Samen hoogstens 100% (nu 110%)." in " ".join(form.errors[_veld(None, esf)])
        assert list(Financiering.objects.values_list("financier__soort", flat=True)) == ["uwv"]

    @pytest.mark.parametrize(
        ("waarde", "melding"),
        [("-5", "minstens 0"), ("abc", "Voer een getal in"), ("101", "hoogstens 100")],
    )
    def test_een_onjuist_aandeel_krijgt_een_melding_bij_het_veld(
        self, client, km, wereld, financiers, waarde, melding
    ):
        veld = _veld(None, financiers["esf"])
        response = client.post(_url(wereld.traject), {veld: waarde})
        assert melding in " ".join(response.context["form"].errors[veld])
        assert not Financiering.objects.exists()

    def test_een_instrument_van_een_ander_traject_telt_niet(self, wereld, financiers):
        from django.core.exceptions import ValidationError

        from trajecten.financiering import financiering_vastleggen

        vreemd = wereld.vreemd_traject.instrumenten.create(
            instrument=Instrumentinzet.Instrument.VCA, startdatum=wereld.vreemd_traject.startdatum
        )
        with pytest.raises(ValidationError, match="hoort niet bij het traject"):
            financiering_vastleggen(
                traject=wereld.traject, aandelen={vreemd.pk: {financiers["uwv"].pk: Decimal(50)}}
            )
        assert not Financiering.objects.exists()


class TestESFUrenstaat:
    """Known answer: in last year, on the ESF trajectory, 2 × 6,5 hours worked in January
    and 4 hours of scholing in March (13 + 4 = 17); a sick day, an hour the year before, and
    hours on another participant's trajectory without ESF do not count."""

    @pytest.fixture
    def jaar(self):
        return timezone.localdate().year - 1

    @pytest.fixture
    def esf_traject(self, wereld, financiers, jaar):
        traject = TrajectFactory(
            deelnemer__verwijzer=wereld.verwijzer,
            deelnemer__klantmanager=wereld.gebruikers[Rol.KLANTMANAGER],
            aanbieder=wereld.eigen,
            afgesloten=True,
            startdatum=dt.date(jaar - 1, 12, 1),
            einddatum=dt.date(jaar, 6, 30),
        )
        Financiering.objects.create(
            traject=traject, financier=financiers["esf"], aandeel=Decimal(40)
        )
        PlaatsingFactory(
            deelnemer=traject.deelnemer,
            traject=traject,
            werkplek=wereld.werkplek,
            startdatum=traject.startdatum,
            einddatum=traject.einddatum,
        )
        fase = traject.fasen.get()
        tb = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
        for datum, uren, soort in [
            (dt.date(jaar, 1, 5), "6.5", "gewerkt"),
            (dt.date(jaar, 1, 6), "6.5", "gewerkt"),
            (dt.date(jaar, 3, 2), "4", "scholing"),
            (dt.date(jaar, 3, 3), "6", "ziek"),
            (dt.date(jaar - 1, 12, 15), "5", "gewerkt"),
        ]:
            Urenregistratie.objects.create(
                deelnemer=traject.deelnemer,
                fase=fase,
                werkplek=wereld.werkplek,
                datum=datum,
                uren=Decimal(uren),
                soort=soort,
                geregistreerd_door=tb,
            )
        return traject

    def test_de_uren_per_maand_en_het_totaal(self, client, km, esf_traject, jaar):
        url = reverse("trajecten:esf_urenstaat", kwargs={"pk": esf_traject.deelnemer_id})
        response = client.get(url, {"jaar": jaar})
        staat = response.context["staat"]
        maanden = {naam: (gewerkt, scholing) for naam, gewerkt, scholing in staat.maanden}
        assert maanden["januari"] == (Decimal(13), Decimal(0))
        assert maanden["maart"] == (Decimal(0), Decimal(4))
        assert maanden["december"] == (Decimal(0), Decimal(0))
        assert staat.totaal == (Decimal(13), Decimal(4))
        assert response.context["onderdeel"].tabel.voet == ["Totaal", 13, 4, 17]
        assert "ESF-urenstaat" in pagina_tekst(response)

    def test_pdf_en_excel_dragen_dezelfde_getallen(self, client, km, esf_traject, jaar):
        from openpyxl import load_workbook

        url = reverse("trajecten:esf_urenstaat", kwargs={"pk": esf_traject.deelnemer_id})
        pdf = client.get(url, {"jaar": jaar, "formaat": "pdf"})
        assert pdf["Content-Type"] == "application/pdf"
        tekst = " ".join(pdf_tekst(pdf.content).split())
        assert f"ESF-urenstaat {jaar}" in tekst
        assert esf_traject.deelnemer.naam in tekst
        assert "Totaal 13 4 17" in tekst
        xlsx = client.get(url, {"jaar": jaar, "formaat": "xlsx"})
        blad = load_workbook(io.BytesIO(xlsx.content)).active
        rijen = [r for r in blad.iter_rows(values_only=True) if r and r[0] == "Totaal"]
        assert rijen == [("Totaal", 13, 4, 17)]

    def test_zonder_esf_geen_uren(self, client, km, wereld, jaar):
        url = reverse("trajecten:esf_urenstaat", kwargs={"pk": wereld.deelnemer.pk})
        response = client.get(url, {"jaar": jaar})
        assert "Geen traject met ESF-financiering" in pagina_tekst(response)

    def test_een_onzinnig_jaar_geeft_het_huidige(self, client, km, wereld):
        url = reverse("trajecten:esf_urenstaat", kwargs={"pk": wereld.deelnemer.pk})
        for jaar in ("abc", "99999999999999999999", "-1"):
            response = client.get(url, {"jaar": jaar})
            assert response.status_code == 200
            assert response.context["jaar"] == timezone.localdate().year
