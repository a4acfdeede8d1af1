"""The cost report: prices per trajecttype (a year, a month or an hour, per loonwaarde band,
changing on a date), the instruments' costs, each funder's part and what no share covers,
cost per placement in work, each number opening the trajectories behind it; with known
answers worked out by hand below.

The period is the year 2025 (365 days), whatever today is. The tariffs:
- Route Werk: 365.00 a month until 30 June (12.00 a day: 365 × 12 / 365), 730.00 from
  1 July (24.00 a day);
- Beschut werk: 36,500 a year (100.00 a day); from 60% loonwaarde 18,250 (50.00 a day);
- Arbeidsmatige dagbesteding: 10.00 a productive hour, 12.00 from 1 July.

The trajectories of our organisation:
- werk: Route Werk, 21 June to 10 July, ended in work: 10 days × 12 + 10 days × 24 = 360.00,
  and jobcoaching of 500.00 started in the period (an older instrument of 999 does not
  count, nor its funder). ESF pays 40% and the gemeente 60% of the trajectory, UWV the
  jobcoaching.
- beschut_lks: Beschut werk the whole year, loonkostensubsidie at 65%: 365 × 50 = 18,250.00;
  the gemeente pays all.
- beschut: Beschut werk from 22 December: 10 days × 100 = 1,000.00; nobody pays yet.
- dagbesteding: 6 hours worked on 30 June (60.00), 4 of scholing on 1 July (48.00), a sick
  day and hours of 2024 that do not count: 108.00; the gemeente pays half.
Not in the report: another organisation's trajectory, and one that ended in 2024.

Total 19,718.00 in tariffs and 500.00 in instruments, 20,218.00; one placement in work.
The gemeente: 216 + 18,250 + 54 = 18,520.00; ESF 144.00; UWV 500.00; not allocated
1,000 + 54 = 1,054.00."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from reintegratie.accounts.models import Rol
from trajecten.models import (
    Financier,
    Financiering,
    Instrumentinzet,
    Tarief,
    Trajecttype,
    Urenregistratie,
)
from trajecten.services import maandtotalen_opnieuw_opbouwen

from .conftest import pagina_tekst, pdf_tekst
from .factories import DeelnemerFactory, PlaatsingFactory, TrajectFactory, UitstroomFactory
from .test_beheer import formulier, wijzig

PERIODE = {"van": "2025-01-01", "tot": "2025-12-31"}
URL = reverse("kosten")


def _type(naam):
    return Trajecttype.objects.get(naam=naam)


@pytest.fixture
def tarieven(db):
    route, beschut, dagbesteding = (
        _type(n) for n in ("Route Werk", "Beschut werk", "Arbeidsmatige dagbesteding")
    )
    maand, jaar, uur = Tarief.Eenheid.MAAND, Tarief.Eenheid.JAAR, Tarief.Eenheid.UUR
    for trajecttype, band, eenheid, bedrag, vanaf in [
        (route, 0, maand, "365", dt.date(2020, 1, 1)),
        (route, 0, maand, "730", dt.date(2025, 7, 1)),
        (beschut, 0, jaar, "36500", dt.date(2020, 1, 1)),
        (beschut, 60, jaar, "18250", dt.date(2020, 1, 1)),
        (dagbesteding, 0, uur, "10", dt.date(2020, 1, 1)),
        (dagbesteding, 0, uur, "12", dt.date(2025, 7, 1)),
    ]:
        Tarief.objects.create(
            trajecttype=trajecttype,
            loonwaarde_vanaf=band,
            eenheid=eenheid,
            bedrag=Decimal(bedrag),
            geldig_vanaf=vanaf,
        )


@pytest.fixture
def financiers(db):
    return {f.soort: f for f in Financier.objects.all()}


@pytest.fixture
def scenario(wereld, tarieven, financiers):
    def traject(naam, start, einde=None, **kwargs):
        return TrajectFactory(
            deelnemer=DeelnemerFactory(
                verwijzer=wereld.verwijzer, klantmanager=wereld.gebruikers[Rol.KLANTMANAGER]
            ),
            trajecttype=_type(naam),
            aanbieder=wereld.eigen,
            startdatum=start,
            einddatum=einde,
            **kwargs,
        )

    def betaalt(traject, soort, aandeel, instrument=None):
        Financiering.objects.create(
            traject=traject,
            instrument=instrument,
            financier=financiers[soort],
            aandeel=Decimal(aandeel),
        )

    werk = traject("Route Werk", dt.date(2025, 6, 21), dt.date(2025, 7, 10), afgesloten=True)
    UitstroomFactory(traject=werk, datum=werk.einddatum)
    coaching = werk.instrumenten.create(
        instrument=Instrumentinzet.Instrument.JOBCOACHING,
        startdatum=dt.date(2025, 6, 25),
        kosten=Decimal(500),
    )
    vca = werk.instrumenten.create(
        instrument=Instrumentinzet.Instrument.VCA,
        startdatum=dt.date(2024, 12, 1),
        kosten=Decimal(999),
    )
    betaalt(werk, "eigen_opbrengst", 100, instrument=vca)
    betaalt(werk, "esf", 40)
    betaalt(werk, "participatiebudget", 60)
    betaalt(werk, "uwv", 100, instrument=coaching)

    beschut_lks = traject("Beschut werk", dt.date(2024, 11, 1))
    beschut_lks.instrumenten.create(
        instrument=Instrumentinzet.Instrument.LOONKOSTENSUBSIDIE,
        startdatum=dt.date(2024, 11, 1),
        loonwaarde=65,
    )
    betaalt(beschut_lks, "participatiebudget", 100)
    beschut = traject("Beschut werk", dt.date(2025, 12, 22))

    dagbesteding = traject("Arbeidsmatige dagbesteding", dt.date(2024, 12, 1))
    betaalt(dagbesteding, "participatiebudget", 50)
    PlaatsingFactory(
        deelnemer=dagbesteding.deelnemer,
        traject=dagbesteding,
        werkplek=wereld.werkplek,
        startdatum=dagbesteding.startdatum,
    )
    for datum, uren, soort in [
        (dt.date(2025, 6, 30), "6", "gewerkt"),
        (dt.date(2025, 7, 1), "4", "scholing"),
        (dt.date(2025, 7, 2), "3", "ziek"),
        (dt.date(2024, 12, 31), "5", "gewerkt"),
    ]:
        Urenregistratie.objects.create(
            deelnemer=dagbesteding.deelnemer,
            fase=dagbesteding.fasen.get(),
            werkplek=wereld.werkplek,
            datum=datum,
            uren=Decimal(uren),
            soort=soort,
            geregistreerd_door=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
        )
    # Written as the demo loads them, past the services: the month totals recounted likewise.
    maandtotalen_opnieuw_opbouwen()

    vreemd = TrajectFactory(
        deelnemer=DeelnemerFactory(verwijzer=wereld.vreemd),
        aanbieder=wereld.vreemd,
        startdatum=dt.date(2024, 12, 1),
    )
    betaalt(vreemd, "esf", 100)
    traject("Route Werk", dt.date(2024, 6, 1), dt.date(2024, 12, 31), afgesloten=True)
    return {
        "werk": werk,
        "beschut_lks": beschut_lks,
        "beschut": beschut,
        "dagbesteding": dagbesteding,
    }


@pytest.fixture
def manager(client, wereld):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    return wereld.gebruikers[Rol.MANAGER]


def _rapport(client, **extra):
    response = client.get(URL, {**PERIODE, **extra})
    assert response.status_code == 200
    return response


def _regel(post):
    return (post.label, post.trajecten, post.tarief, post.instrumenten, post.werk)


def _euro(tekst):
    return Decimal(tekst)


class TestBekendAntwoord:
    def test_het_totaal_en_de_kosten_per_plaatsing(self, client, manager, scenario):
        kosten = _rapport(client).context["kosten"]
        assert _regel(kosten.totaal) == ("Totaal", 4, _euro("19718.00"), _euro("500.00"), 1)
        assert kosten.totaal.totaal == _euro("20218.00")
        assert kosten.totaal.per_plaatsing == _euro("20218.00")

    def test_per_trajecttype_tarieven_per_maand_jaar_uur_en_band(self, client, manager, scenario):
        kosten = _rapport(client).context["kosten"]
        assert [_regel(p) for p in kosten.per_trajecttype] == [
            ("Arbeidsmatige dagbesteding", 1, _euro("108.00"), 0, 0),
            ("Beschut werk", 2, _euro("19250.00"), 0, 0),
            ("Route Werk", 1, _euro("360.00"), _euro("500.00"), 1),
        ]
        route = kosten.per_trajecttype[2]
        assert route.per_plaatsing == _euro("860.00")
        assert kosten.per_trajecttype[1].per_plaatsing is None

    def test_per_financier_en_wat_niet_is_toegewezen(self, client, manager, scenario):
        kosten = _rapport(client).context["kosten"]
        assert [_regel(p) for p in kosten.per_financier] == [
            ("ESF+ (Europees Sociaal Fonds)", 1, _euro("144.00"), 0, 1),
            ("Participatiebudget gemeente", 3, _euro("18520.00"), 0, 1),
            ("UWV", 1, 0, _euro("500.00"), 1),
            ("Niet toegewezen", None, _euro("1054.00"), 0, 0),
        ]
        # The parts add up to the total.
        assert sum(p.totaal for p in kosten.per_financier) == kosten.totaal.totaal
        assert kosten.per_financier[0].per_plaatsing == _euro("144.00")

    def test_per_resultaat(self, client, manager, scenario):
        kosten = _rapport(client).context["kosten"]
        per_resultaat = {p.cel: _regel(p) for p in kosten.per_resultaat}
        assert per_resultaat["resultaat-werk"] == (
            "Resultaat werk/proefplaatsing",
            1,
            _euro("360.00"),
            _euro("500.00"),
            1,
        )
        assert sum(p.totaal for p in kosten.per_resultaat) == kosten.totaal.totaal

    def test_een_korte_periode_telt_alleen_haar_dagen(self, client, manager, scenario):
        # 1 to 10 July: werk 10 days × 24; beschut_lks 10 × 50; dagbesteding 4 h × 12.
        kosten = _rapport(client, van="2025-07-01", tot="2025-07-10").context["kosten"]
        assert kosten.totaal.tarief == _euro("240.00") + _euro("500.00") + _euro("48.00")
        assert kosten.totaal.instrumenten == 0  # the jobcoaching started in June
        assert kosten.totaal.werk == 1

    def test_uren_van_een_halve_maand_en_een_hele(self, client, manager, scenario):
        # 15 June to 31 July: the second half of June is read from the registrations (6 h
        # on 30 June at 10.00), July from the month totals (4 h of scholing at 12.00).
        kosten = _rapport(client, van="2025-06-15", tot="2025-07-31").context["kosten"]
        per_type = {p.label: p.tarief for p in kosten.per_trajecttype}
        assert per_type["Arbeidsmatige dagbesteding"] == _euro("108.00")
        # Route Werk: 21 June to 10 July, as in the year; Beschut werk: 47 days at 50.00.
        assert per_type["Route Werk"] == _euro("360.00")
        assert per_type["Beschut werk"] == _euro("2350.00")

    def test_wie_na_de_periode_naar_werk_gaat_telt_niet_als_plaatsing(
        self, client, manager, scenario
    ):
        kosten = _rapport(client, van="2025-07-01", tot="2025-07-09").context["kosten"]
        assert kosten.totaal.trajecten == 3
        assert (kosten.totaal.werk, kosten.totaal.per_plaatsing) == (0, None)

    def test_zonder_tarieven_alleen_de_instrumenten(self, client, manager, scenario):
        Tarief.objects.all().delete()
        kosten = _rapport(client).context["kosten"]
        assert (kosten.totaal.tarief, kosten.totaal.instrumenten) == (0, _euro("500.00"))


class TestUitsplitsing:
    def _namen(self, client, cel):
        response = _rapport(client, cel=cel)
        return {t.deelnemer.naam for t in response.context["pagina"].object_list}

    def test_elk_getal_opent_de_trajecten_erachter(self, client, manager, scenario):
        kosten = _rapport(client).context["kosten"]
        naam = {sleutel: traject.deelnemer.naam for sleutel, traject in scenario.items()}
        beschut_type = kosten.per_trajecttype[1]
        assert self._namen(client, beschut_type.cel) == {naam["beschut_lks"], naam["beschut"]}
        assert self._namen(client, "werk:totaal") == {naam["werk"]}
        assert self._namen(client, "niet-toegewezen") == {naam["beschut"], naam["dagbesteding"]}
        uwv = next(p for p in kosten.per_financier if p.label == "UWV")
        assert self._namen(client, uwv.cel) == {naam["werk"]}
        assert self._namen(client, uwv.werkcel) == {naam["werk"]}
        assert self._namen(client, "totaal") == set(naam.values())

    def test_de_rij_toont_de_kosten_van_het_traject(self, client, manager, scenario):
        response = _rapport(client, cel="werk:totaal")
        (traject,) = response.context["pagina"].object_list
        assert (traject.tarief, traject.instrumentkosten) == (_euro("360.00"), _euro("500.00"))
        tekst = pagina_tekst(response)
        assert "Totaal, naar werk: 1 traject" in tekst
        assert "360,00" in tekst
        assert "500,00" in tekst

    def test_de_lijst_wordt_gelogd(self, client, manager, scenario):
        from reintegratie.audit.models import AuditRecord

        _rapport(client, cel="totaal")
        records = AuditRecord.objects.filter(
            actie=AuditRecord.Actie.IN_LIJST, omschrijving="kosten"
        ).select_related("activiteit")
        assert {r.deelnemer_id for r in records} == {t.deelnemer_id for t in scenario.values()}
        # Under its own activity in the register, which names the financial category.
        assert {r.activiteit.code for r in records} == {"kosten"}
        assert "financieel" in records[0].activiteit.categorieen

    @pytest.mark.parametrize(
        "cel",
        [
            "onzin",
            "type-abc",
            "financier-",
            "werk:onzin",
            "resultaat-",
            "werk:werk:totaal",
            "werk:" * 5000 + "totaal",
            "type-99999999999999999999",
            "financier-²",
        ],
    )
    def test_een_onbekende_cel_toont_geen_lijst(self, client, manager, scenario, cel):
        assert "pagina" not in _rapport(client, cel=cel).context


class TestExport:
    def test_csv_excel_en_pdf_dragen_dezelfde_getallen(self, client, manager, scenario):
        tekst = _rapport(client, formaat="csv").content.decode("utf-8-sig")
        regels = list(csv.reader(io.StringIO(tekst), delimiter=";"))
        assert ["Niet toegewezen", "", "1054,00", "0,00", "1054,00", "0", ""] in regels
        assert ["Totaal", "4", "19718,00", "500,00", "20218,00", "1", "20218,00"] in regels

        xlsx = _rapport(client, formaat="xlsx")
        rijen = [
            r
            for blad in load_workbook(io.BytesIO(xlsx.content)).worksheets
            for r in blad.iter_rows(values_only=True)
            if r and r[0] == "Route Werk"
        ]
        assert rijen == [("Route Werk", 1, 360, 500, 860, 1, 860)]

        pdf = " ".join(pdf_tekst(_rapport(client, formaat="pdf").content).split())
        assert "Kosten en financiering" in pdf
        assert "Totaal 4 19.718,00 500,00 20.218,00 1 20.218,00" in pdf


class TestWieZietWat:
    def test_de_verwijzer_telt_geen_kosten(self, client, wereld, scenario):
        """Costs are category financieel, which the referrer's manager does not read: the
        report of the referring organisation counts nothing."""
        from .factories import GebruikerFactory

        manager = GebruikerFactory(rol=Rol.MANAGER, organisatie=wereld.verwijzer)
        client.force_login(manager)
        kosten = _rapport(client).context["kosten"]
        assert kosten.totaal.trajecten == 0

    def test_de_klantmanager_vindt_het_rapport_niet(self, client, km, scenario):
        assert client.get(URL, PERIODE).status_code == 404


class TestTarief:
    def test_een_negatief_tarief_geeft_een_melding(self, db):
        tarief = Tarief(
            trajecttype=_type("Route Werk"),
            eenheid=Tarief.Eenheid.JAAR,
            bedrag=Decimal(-1),
            geldig_vanaf=dt.date(2025, 1, 1),
        )
        with pytest.raises(ValidationError) as fout:
            tarief.full_clean()
        assert fout.value.message_dict["bedrag"] == ["Een tarief is niet negatief."]


class TestTarievenInBeheer:
    """The functioneel beheerder gives a trajecttype its prices in /beheer/, under the
    trajecttype, as he gives it its phases."""

    def _formulier(self, response):
        data = formulier(response)
        for inline in response.context["inline_admin_formsets"]:
            formset = inline.formset
            beheer = formset.management_form
            data.update({beheer.add_prefix(n): beheer[n].value() for n in beheer.fields})
            for form in formset.forms:
                for naam in form.fields:
                    waarde = form[naam].value()
                    if isinstance(waarde, bool):
                        if waarde:
                            data[form.add_prefix(naam)] = "on"
                        continue
                    data[form.add_prefix(naam)] = "" if waarde is None else waarde
        return data

    def _tarief(self, client, bedrag):
        url = wijzig(Trajecttype, _type("Beschut werk").pk)
        response = client.get(url)
        assert response.status_code == 200
        data = self._formulier(response)
        # A form more, as the admin's "add another" link makes it.
        nieuw = f"tarieven-{data['tarieven-INITIAL_FORMS']}"
        data.update(
            {
                "tarieven-TOTAL_FORMS": int(data["tarieven-INITIAL_FORMS"]) + 1,
                f"{nieuw}-geldig_vanaf": "2026-01-01",
                f"{nieuw}-loonwaarde_vanaf": "60",
                f"{nieuw}-eenheid": "jaar",
                f"{nieuw}-bedrag": bedrag,
            }
        )
        return client.post(url, data)

    def test_een_tarief_vastleggen_en_een_negatief_bedrag_geweigerd(self, client, beheerder):
        response = self._tarief(client, "-5")
        assert response.status_code == 200
        assert "Een tarief is niet negatief." in pagina_tekst(response)
        assert not Tarief.objects.exists()
        assert self._tarief(client, "18000").status_code == 302
        tarief = Tarief.objects.get()
        assert (tarief.loonwaarde_vanaf, tarief.eenheid, tarief.bedrag) == (
            60,
            Tarief.Eenheid.JAAR,
            Decimal(18000),
        )
