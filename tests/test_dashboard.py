"""The manager's dashboard: a scenario with known numbers in every part, the week totals of
hours kept right by every write, the cache, and the exports."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from deelnemers.models import Doelgroep
from deelnemers.services import deelnemer_wijzigen, ladder_vastleggen
from reintegratie.accounts.models import Organisatie, Rol
from trajecten import dashboard
from trajecten.models import (
    Instrumentinzet,
    Traject,
    Uitstroom,
    UrenPerMaand,
    UrenPerWeek,
    Urenregistratie,
)
from trajecten.services import (
    groepsuren_zetten,
    maandtotalen_opnieuw_opbouwen,
    registreer_uren,
    week_opslaan,
    weektotalen_opnieuw_opbouwen,
)
from trajecten.weekrooster import maandag_van
from werkplekken.models import Werksoort

from .factories import (
    DeelnemerFactory,
    GebruikerFactory,
    OrganisatieFactory,
    PlaatsingFactory,
    TrajectFactory,
    UrenregistratieFactory,
    WerkplekFactory,
)

pytestmark = pytest.mark.django_db
GEWERKT, ZIEK = Urenregistratie.Soort.GEWERKT, Urenregistratie.Soort.ZIEK
SCHOLING = Urenregistratie.Soort.SCHOLING


def vandaag():
    return timezone.localdate()


@pytest.fixture
def scenario(db):
    """An organisation of its own with a manager, so every number is known."""
    org = OrganisatieFactory(
        naam="Leerwerkbedrijf Scenario", soort=Organisatie.Soort.LEERWERKBEDRIJF
    )
    manager = GebruikerFactory(organisatie=org, rol=Rol.MANAGER)
    tb = GebruikerFactory(organisatie=org, rol=Rol.TRAJECTBEGELEIDER)
    groen = WerkplekFactory(organisatie=org, werksoort=Werksoort.GROEN, capaciteit=4)
    WerkplekFactory(organisatie=org, werksoort=Werksoort.PRODUCTIE, capaciteit=10)
    elders = WerkplekFactory()  # another organisation's workplace
    bijstand = Doelgroep.objects.get(code="bijstand")
    statushouder = Doelgroep.objects.get(code="statushouder")
    start = vandaag() - dt.timedelta(days=30)

    def lopend(doelgroep, werkplek, treden):
        deelnemer = DeelnemerFactory()
        deelnemer.doelgroepen.add(doelgroep)
        traject = TrajectFactory(deelnemer=deelnemer, aanbieder=org, startdatum=start)
        PlaatsingFactory(deelnemer=deelnemer, werkplek=werkplek, traject=traject, startdatum=start)
        for dagen, trede in treden:
            ladder_vastleggen(
                deelnemer=deelnemer,
                datum=start + dt.timedelta(days=dagen),
                trede=trede,
                door=manager,
            )
        return traject

    trajecten = [
        lopend(bijstand, groen, [(0, 2), (20, 4)]),  # up
        lopend(bijstand, groen, [(0, 3)]),  # one measurement: the same
        lopend(statushouder, elders, [(0, 4), (25, 3)]),  # down
    ]
    TrajectFactory(aanbieder=org, aangemeld=True)  # registered, starts next week
    gesloten = TrajectFactory(aanbieder=org, afgesloten=True, startdatum=start)
    Uitstroom.objects.create(traject=gesloten, datum=gesloten.einddatum, resultaat="werk")
    for kosten in (Decimal(450), Decimal(1800)):
        Instrumentinzet.objects.create(
            traject=gesloten, instrument=Instrumentinzet.Instrument.VCA, startdatum=start,
            kosten=kosten,
        )  # fmt: skip
    # Hours last week: 6 worked on Monday and Tuesday, 6 sick on Wednesday, for the first.
    maandag = maandag_van(vandaag()) - dt.timedelta(days=7)
    fase = trajecten[0].fasen.get()
    for dag, soort in ((0, GEWERKT), (1, GEWERKT), (2, ZIEK)):
        UrenregistratieFactory(
            fase=fase, werkplek=groen, datum=maandag + dt.timedelta(days=dag), soort=soort,
            geregistreerd_door=tb,
        )  # fmt: skip
    TrajectFactory(afgesloten=False)  # someone else's: never counted
    return manager, maandag


def _rij(onderdeel, eerste):
    return next(r for r in onderdeel.tabel.rijen if r[0] == eerste)


def test_elk_onderdeel_telt_het_scenario(scenario):
    manager, maandag = scenario
    delen = {o.sleutel: o for o in dashboard.dashboard(user=manager, vandaag=vandaag())}

    assert delen["fasen"].tabel.rijen == [["Route Werk", "Diagnose", 3, 1]]

    uren = _rij(delen["uren"], f"{maandag:%d-%m-%Y}")
    kolommen = delen["uren"].tabel.kolommen
    assert uren[kolommen.index("Gewerkt")] == 12
    assert uren[kolommen.index("Ziek")] == 6
    assert uren[-1] == 12  # productive
    assert _rij(delen["aanwezigheid"], f"{maandag:%d-%m-%Y}")[1:] == [12, 18, Decimal("66.7")]

    assert _rij(delen["bezetting"], "Groen") == ["Groen", 1, 4, 2, Decimal("50.0")]
    assert _rij(delen["bezetting"], "Productie")[3] == 0
    assert delen["bezetting"].tabel.voet == ["Totaal", 2, 14, 2, Decimal("14.3")]

    mix = delen["doelgroepmix"]
    kolom = mix.tabel.kolommen.index("Leerwerkbedrijf Scenario")
    assert _rij(mix, "Bijstand / Participatiewet")[kolom] == 2
    assert sum(_rij(mix, "Statushouder / inburgeraar")[1:]) == 1  # at another's workplace

    assert dict(delen["ladder"].kerncijfers) == {
        "Gestegen": "1",
        "Gelijk gebleven": "1",
        "Gedaald": "1",
    }
    ladder = delen["ladder"].tabel
    assert ladder.rijen[1][ladder.kolommen.index("Nu 4")] == 1  # from 2 to 4

    assert delen["kosten"].tabel.rijen == [["Route Werk", 1, 1, Decimal(2250), 2250]]


def test_weektotalen_blijven_gelijk_aan_de_registraties(scenario, wereld):
    """Every way hours are written keeps UrenPerWeek equal to a recount."""
    tb = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    maandag = maandag_van(vandaag()) - dt.timedelta(days=7)
    d = wereld.deelnemer.pk

    def stand():
        return sorted(
            UrenPerWeek.objects.exclude(uren=0).values_list(
                "week", "soort", "aanbieder", "werkplek_organisatie", "verwijzer_id", "uren"
            )
        )

    def invoer(*cellen):
        return {(d, maandag + dt.timedelta(days=dag)): waarde for dag, waarde in cellen}

    week_opslaan(
        werkplek=wereld.werkplek, maandag=maandag, door=tb,
        invoer=invoer((0, (Decimal(6), GEWERKT)), (1, (Decimal(5), GEWERKT))),
    )  # fmt: skip
    week_opslaan(  # a change of kind and a removal, with a reason
        werkplek=wereld.werkplek, maandag=maandag, door=tb, reden="Verkeerd ingevuld",
        invoer=invoer((0, (Decimal(6), ZIEK)), (1, (None, GEWERKT))),
    )  # fmt: skip
    bijgehouden = stand()
    weektotalen_opnieuw_opbouwen()
    assert bijgehouden == stand()
    week = [r for r in bijgehouden if r[2] == wereld.eigen.pk]
    assert [(r[1], r[5]) for r in week] == [(ZIEK, Decimal(6))]

    # The participant gets another referrer: their hours move with them.
    from deelnemers.forms import DossierDeelnemerForm

    deelnemer = wereld.deelnemer
    nieuw = OrganisatieFactory(naam="Nieuwe verwijzer")
    velden = DossierDeelnemerForm(instance=deelnemer).initial
    gegevens = {k: v for k, v in velden.items() if v is not None and k != "doelgroepen"}
    gegevens.update(verwijzer=nieuw.pk, geboortedatum=deelnemer.geboortedatum.isoformat())
    form = DossierDeelnemerForm(gegevens, instance=deelnemer)
    assert form.is_valid(), form.errors
    deelnemer_wijzigen(form=form, versie=deelnemer.versie)
    bijgehouden = stand()
    weektotalen_opnieuw_opbouwen()
    assert bijgehouden == stand()
    assert any(r[4] == nieuw.pk for r in bijgehouden)


def test_maandtotalen_blijven_gelijk_aan_de_registraties(scenario, wereld):
    """Every way hours are written keeps UrenPerMaand, the productive hours per trajectory
    and month, equal to a recount; kinds that are not productive stay out."""
    tb = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    maandag = maandag_van(vandaag()) - dt.timedelta(days=7)
    d = wereld.deelnemer.pk

    def bijgehouden():
        """The month totals as kept, checked against a recount; their sum."""
        stand = sorted(UrenPerMaand.objects.exclude(uren=0).values_list("traject", "maand", "uren"))
        maandtotalen_opnieuw_opbouwen()
        assert stand == sorted(
            UrenPerMaand.objects.exclude(uren=0).values_list("traject", "maand", "uren")
        )
        return sum((r[2] for r in stand), Decimal(0))

    def week(reden="", **cellen):
        invoer = {(d, maandag + dt.timedelta(days=int(dag[1:]))): w for dag, w in cellen.items()}
        week_opslaan(werkplek=wereld.werkplek, maandag=maandag, door=tb, invoer=invoer, reden=reden)

    begin = bijgehouden()
    week(d0=(Decimal(6), GEWERKT), d1=(Decimal(5), SCHOLING))
    assert bijgehouden() == begin + 11
    week(reden="Verkeerd ingevuld", d0=(Decimal(6), ZIEK), d1=(None, SCHOLING))
    assert bijgehouden() == begin
    registreer_uren(
        deelnemer=wereld.deelnemer, werkplek=wereld.werkplek, datum=maandag,
        uren=Decimal(3), soort=GEWERKT, door=tb,
    )  # fmt: skip
    assert bijgehouden() == begin + 3


def test_een_correctie_op_een_dag_van_twee_trajecten_verhuist_de_totalen(wereld):
    """A trajectory closed today after the next began yesterday: corrected, today's group
    hours go to the new one, and leave the old one's week and month totals whole."""
    klantmanager = wereld.gebruikers[Rol.KLANTMANAGER]
    oud, dag = wereld.traject, vandaag()

    def zetten(uren):
        groepsuren_zetten(
            werkplek=wereld.werkplek, datum=dag, uren={wereld.deelnemer: uren},
            door=klantmanager, reden="correctie",
        )  # fmt: skip

    def bijgehouden():
        stand = [
            sorted(UrenPerMaand.objects.exclude(uren=0).values_list("traject", "maand", "uren")),
            sorted(UrenPerWeek.objects.exclude(uren=0).values_list("aanbieder", "week", "uren")),
        ]
        maandtotalen_opnieuw_opbouwen()
        weektotalen_opnieuw_opbouwen()
        assert stand == [
            sorted(UrenPerMaand.objects.exclude(uren=0).values_list("traject", "maand", "uren")),
            sorted(UrenPerWeek.objects.exclude(uren=0).values_list("aanbieder", "week", "uren")),
        ]
        return stand

    zetten(Decimal(3))
    Traject.objects.filter(pk=oud.pk).update(status=Traject.Status.AFGESLOTEN, einddatum=dag)
    nieuw = TrajectFactory(deelnemer=wereld.deelnemer, startdatum=dag - dt.timedelta(days=1))
    zetten(Decimal(5))

    maanden, _weken = bijgehouden()
    assert [(traject, uren) for traject, _maand, uren in maanden] == [(nieuw.pk, 5)]


def test_uit_de_cache_en_opnieuw_tellen(client, scenario, django_assert_num_queries):
    manager, _ = scenario
    client.force_login(manager)
    client.get(reverse("dashboard"))
    # session and user: the counts come from the cache
    with django_assert_num_queries(2):
        response = client.get(reverse("dashboard"))
    assert "Geteld om" in response.content.decode()
    assert client.post(reverse("dashboard_opnieuw_tellen")).url == reverse("start")
    # counted again: seven queries, and the doelgroep mix's two name lookups
    with django_assert_num_queries(2 + 9):
        client.get(reverse("dashboard"))


def test_startpagina_van_de_manager_is_het_dashboard(client, scenario):
    manager, _ = scenario
    client.force_login(manager)
    inhoud = client.get(reverse("start")).content.decode()
    assert "Lopende trajecten per fase" in inhoud
    assert inhoud.count('role="img"') == 7  # a chart with every part
    assert inhoud.count("<table") == 7  # and a table with its numbers


def test_exports_hebben_dezelfde_getallen(client, scenario):
    manager, _ = scenario
    client.force_login(manager)
    url = reverse("dashboard")

    tekst = client.get(url, {"formaat": "csv"}).content.decode("utf-8-sig")
    regels = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    assert ["Route Werk", "Diagnose", "3", "1"] in regels
    assert ["Groen", "1", "4", "2", "50,0"] in regels

    boek = load_workbook(io.BytesIO(client.get(url, {"formaat": "xlsx"}).content))
    assert len(boek.worksheets) == 7
    bezetting = next(b for b in boek.worksheets if "Bezetting" in b.title)
    assert ("Groen", 1, 4, 2, 50) in list(bezetting.iter_rows(values_only=True))

    pdf = client.get(url, {"formaat": "pdf"}).content
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Lopende trajecten per fase" in tekst
    assert "Route Werk Diagnose 3 1" in tekst
    assert "Leerwerkbedrijf Scenario" in tekst


def test_een_andere_organisatie_ziet_niets_van_het_scenario(scenario, wereld):
    """The fixture's manager (another organisation) counts only the fixture's trajectory."""
    manager = wereld.gebruikers[Rol.MANAGER]
    delen = {o.sleutel: o for o in dashboard.dashboard(user=manager, vandaag=vandaag())}
    assert delen["fasen"].tabel.rijen == [["Route Werk", "Diagnose", 1, 0]]
    assert all(sum(rij[1:-1]) == 0 for rij in delen["uren"].tabel.rijen)
    assert "Leerwerkbedrijf Scenario" not in delen["doelgroepmix"].tabel.kolommen
    assert dict(delen["ladder"].kerncijfers) == {
        "Gestegen": "0",
        "Gelijk gebleven": "0",
        "Gedaald": "0",
    }
    assert delen["kosten"].tabel.rijen == []


def test_cache_per_organisatie(client, scenario, wereld):
    scenario_manager, _ = scenario
    client.force_login(scenario_manager)
    client.get(reverse("dashboard"))  # counted and cached for the scenario's organisation
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    fasen = client.get(reverse("dashboard")).context["onderdelen"][0]
    assert fasen.tabel.rijen == [["Route Werk", "Diagnose", 1, 0]]


def test_exports_zetten_geen_formules_in_excel():
    from reintegratie.rapport import Onderdeel, Tabel, export

    onderdeel = Onderdeel("x", "Test", Tabel(["Naam", "Aantal"], [["=1+1", 2], ["@SUM(A1)", -3]]))
    csv_tekst = export(
        formaat="csv", naam="t", titel="T", kop=[], onderdelen=[onderdeel], organisatie=None
    ).content.decode("utf-8-sig")
    regels = list(csv.reader(io.StringIO(csv_tekst), delimiter=";"))
    assert ["'=1+1", "2"] in regels
    assert ["'@SUM(A1)", "-3"] in regels  # a negative number stays a number

    boek = load_workbook(
        io.BytesIO(
            export(
                formaat="xlsx", naam="t", titel="T", kop=[], onderdelen=[onderdeel],
                organisatie=None,
            ).content
        )
    )  # fmt: skip
    cellen = {c.value: c for rij in boek.active.iter_rows() for c in rij if c.value}
    assert (cellen["=1+1"].data_type, cellen["=1+1"].quotePrefix) == ("s", True)
    assert cellen[-3].data_type == "n"
