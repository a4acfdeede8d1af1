"""Hostile but possible input: a clear Dutch message or a refused request, never a 500.

Every item here crashed once: a standard day or week that is not a date, hours like NaN, a NUL
byte that PostgreSQL refuses in text and JSON, and the same BSN sent twice at once. The sweep
at the end sends a set of hostile values in every GET parameter the list and detail pages read.
"""

import contextlib
import datetime as dt
import logging
import threading

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.db.models.query import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Intake
from reintegratie.accounts.models import Rol
from trajecten.models import UREN_BEREIK_FOUT, UREN_KWARTIER_FOUT, Observatie, Urenregistratie
from trajecten.weekrooster import maandag_van

GEEN_GETAL = "Vul een getal in, bijvoorbeeld 7,5."
NIEUW_BSN = "111222333"


def _meldingen(response, niveau=None):
    """The messages of ``response``'s request, as text, of one level (``"error"``...) or all."""
    return [str(m) for m in get_messages(response.wsgi_request) if niveau in (None, m.level_tag)]


@pytest.fixture
def tb(client, wereld):
    gebruiker = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    client.force_login(gebruiker)
    return gebruiker


def _vorige_maandag():
    return maandag_van(timezone.localdate()) - dt.timedelta(days=7)


def _week_url(wereld, week=None, naam="werkplekken:week"):
    week = _vorige_maandag().isoformat() if week is None else week
    return f"{reverse(naam, args=[wereld.werkplek.pk])}?week={week}"


# 1. The standard day of the week grid.


@pytest.mark.parametrize("standaard", ["x", "20261399", "", "99999999", "2026-11-23", "\x00"])
def test_standaarddag_die_geen_datum_is(client, wereld, tb, standaard):
    response = client.post(_week_url(wereld), {"standaard": standaard})
    assert response.status_code == 200
    assert _meldingen(response, "error") == ["Kies een geldige dag voor de standaarddag."]
    assert not Urenregistratie.objects.exists()


def test_standaarddag_alleen_in_de_getoonde_week(client, wereld, tb):
    buiten = _vorige_maandag() + dt.timedelta(days=7)  # the Monday of the week after
    d = wereld.deelnemer
    cel = f"u_{d.pk}_{_vorige_maandag():%Y%m%d}"
    response = client.post(_week_url(wereld), {"standaard": f"{buiten:%Y%m%d}", cel: "3"})
    assert response.status_code == 200
    assert _meldingen(response, "error") == [
        "De standaarddag moet een dag van de getoonde week zijn."
    ]
    # What was typed stays on the page, unsaved.
    assert response.context["form"][cel].value() == "3"
    assert not Urenregistratie.objects.exists()


# 2. The week of the week grid and of the observations.


def _buiten_bereik():
    return (timezone.localdate() + relativedelta(years=1, days=1)).isoformat()


@pytest.mark.parametrize("naam", ["werkplekken:week", "werkplekken:observaties"])
@pytest.mark.parametrize(
    "week",
    ["0001-01-01", "9999-12-31", "abc", "2026-02-30", "1999-12-31", "\x00", "9" * 400, "buiten"],
)
def test_week_buiten_bereik_of_geen_datum(client, wereld, tb, naam, week):
    week = _buiten_bereik() if week == "buiten" else week
    response = client.get(reverse(naam, args=[wereld.werkplek.pk]), {"week": week})
    assert response.status_code == 200
    assert _meldingen(response, "warning") == [
        "Deze week kan niet worden getoond. U ziet nu de huidige week."
    ]
    assert response.context["rooster"].maandag == maandag_van(timezone.localdate())


@pytest.mark.parametrize("naam", ["werkplekken:week", "werkplekken:observaties"])
def test_week_aan_de_randen_van_het_bereik(client, wereld, tb, naam):
    for dag in (dt.date(2000, 1, 1), timezone.localdate() + relativedelta(years=1)):
        response = client.get(_week_url(wereld, dag.isoformat(), naam))
        assert response.status_code == 200
        assert not _meldingen(response, "warning")
        assert response.context["rooster"].maandag == maandag_van(dag)


def test_observaties_voor_een_onmogelijke_week_worden_niet_opgeslagen(client, wereld, tb):
    """Not silently saved for this week instead: the user meant another one."""
    prefix = f"d{wereld.deelnemer.pk}"
    response = client.post(
        _week_url(wereld, "0001-01-01", "werkplekken:observaties"),
        {f"{prefix}-omgang": "2", f"{prefix}-opmerking": "Vijandig"},
    )
    assert response.status_code == 200
    assert _meldingen(response, "warning") == [
        "Deze week kan niet worden getoond. U ziet nu de huidige week. Er is niets opgeslagen."
    ]
    assert not Observatie.objects.exists()


def test_uren_voor_een_onmogelijke_week_worden_niet_opgeslagen(client, wereld, tb):
    maandag = maandag_van(timezone.localdate())
    d = wereld.deelnemer
    response = client.post(
        _week_url(wereld, "abc"),
        {f"u_{d.pk}_{maandag:%Y%m%d}": "4", f"s_{d.pk}_{maandag:%Y%m%d}": "gewerkt"},
    )
    assert response.status_code == 200
    assert "Er is niets opgeslagen." in _meldingen(response, "warning")[0]
    assert not Urenregistratie.objects.exists()


# 3. Hours that are not a number of hours.


@pytest.mark.parametrize(
    ("uren", "melding"),
    [
        ("NaN", GEEN_GETAL),
        ("nan", GEEN_GETAL),
        ("sNaN", GEEN_GETAL),
        ("inf", GEEN_GETAL),
        ("-Infinity", GEEN_GETAL),
        ("1e9", GEEN_GETAL),
        ("\u0663", GEEN_GETAL),  # ٣, an Arabic-Indic three
        ("\uff17", GEEN_GETAL),  # ７, a full-width seven
        ("7,5,5", GEEN_GETAL),
        ("1_0", GEEN_GETAL),
        ("7.5e0", GEEN_GETAL),
        ("²", GEEN_GETAL),
        (",", GEEN_GETAL),
        ("-", GEEN_GETAL),
        ("9" * 400, GEEN_GETAL),
        ("23,9999999999999999999999999999999", GEEN_GETAL),
        ("-0", UREN_BEREIK_FOUT),
        ("0", UREN_BEREIK_FOUT),
        ("-1", UREN_BEREIK_FOUT),
        ("25", UREN_BEREIK_FOUT),
        ("7,3", UREN_KWARTIER_FOUT),
    ],
)
def test_uren_die_geen_getal_zijn(client, wereld, tb, uren, melding):
    dag = _vorige_maandag()
    d = wereld.deelnemer
    response = client.post(
        _week_url(wereld),
        {f"u_{d.pk}_{dag:%Y%m%d}": uren, f"s_{d.pk}_{dag:%Y%m%d}": "gewerkt", "reden": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"u_{d.pk}_{dag:%Y%m%d}"] == [melding]
    assert not Urenregistratie.objects.exists()


@pytest.mark.parametrize(
    ("uren", "opgeslagen"), [("7,5", "7.5"), (" 3.25 ", "3.25"), (",5", "0.5")]
)
def test_gewone_uren_blijven_werken(client, wereld, tb, uren, opgeslagen):
    dag = _vorige_maandag()
    d = wereld.deelnemer
    response = client.post(
        _week_url(wereld),
        {f"u_{d.pk}_{dag:%Y%m%d}": uren, f"s_{d.pk}_{dag:%Y%m%d}": "gewerkt"},
    )
    assert response.status_code == 302
    assert str(Urenregistratie.objects.get().uren.normalize()) == opgeslagen


# 4. A NUL byte in the workplace search.


def test_nul_in_de_zoekterm_van_werkplekken(client, wereld, tb):
    naam = wereld.werkplek.naam
    response = client.get(reverse("werkplekken:lijst"), {"q": f"\x00{naam[:3]}\x00{naam[3:]}\x00"})
    assert response.status_code == 200
    assert response.context["zoek"] == naam
    assert [w.pk for w in response.context["pagina"]] == [wereld.werkplek.pk]
    assert "\x00" not in response.content.decode()


def test_zoekterm_van_werkplekken_is_hoogstens_100_tekens(client, wereld, tb):
    response = client.get(reverse("werkplekken:lijst"), {"q": "w" * 5000})
    assert response.status_code == 200
    assert response.context["zoek"] == "w" * 100


# 5. A NUL byte in an intake kept as concept.


def test_nul_in_een_concept_intake(client, wereld):
    km = wereld.gebruikers[Rol.KLANTMANAGER]
    client.force_login(km)
    url = client.post(reverse("deelnemers:intake_start"), {"bsn": NIEUW_BSN}).url
    response = client.post(
        url,
        {
            "persoon-voornaam": "Ha\x00lf ",
            "persoon-achternaam": "\x00",
            "persoon-geboortedatum": "1990-13-45",  # not a date: kept as typed
            "persoon-doelgroepen": ["1\x00", "2"],
            "intake-\x00medische_klachten": "True",
            "actie": "concept",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("start")
    concept = Intake.objects.get(bsn=NIEUW_BSN).concept
    assert concept["persoon-voornaam"] == ["Half "]
    assert concept["persoon-achternaam"] == [""]
    assert concept["persoon-geboortedatum"] == ["1990-13-45"]
    assert concept["persoon-doelgroepen"] == ["1", "2"]
    assert concept["intake-medische_klachten"] == ["True"]
    assert "\x00" not in repr(concept)
    inhoud = client.get(url).content.decode()
    assert 'value="Half "' in inhoud


# 6. The same BSN twice at the same moment.


def _geen_bsn_in_het_foutenlog(caplog, bsn):
    opmaak = logging.Formatter("%(message)s")
    fouten = [opmaak.format(r) for r in caplog.records if r.levelno >= logging.ERROR]
    assert not [f for f in fouten if bsn in f]


def test_dubbel_versturen_van_een_bsn(client, wereld, caplog):
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    caplog.set_level(logging.INFO)
    eerste = client.post(reverse("deelnemers:intake_start"), {"bsn": NIEUW_BSN})
    tweede = client.post(reverse("deelnemers:intake_start"), {"bsn": NIEUW_BSN})
    intake = Intake.objects.get(bsn=NIEUW_BSN)
    url = reverse("deelnemers:intake", kwargs={"pk": intake.pk})
    assert (eerste.status_code, eerste.url) == (tweede.status_code, tweede.url) == (302, url)
    _geen_bsn_in_het_foutenlog(caplog, NIEUW_BSN)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="alleen op PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twee_gelijktijdige_intakes_voor_hetzelfde_bsn(wereld, monkeypatch, caplog):
    """Two requests for the same new BSN, both past the look-up before either inserts (the
    barrier holds them just before the insert): one creates the concept, the other continues
    it. Before, the second hit the unique constraint: a 500 with the BSN in the error log."""
    km = wereld.gebruikers[Rol.KLANTMANAGER]
    caplog.set_level(logging.INFO)
    samen = threading.Barrier(2, timeout=10)
    create = QuerySet.create

    def gelijk_aanmaken(self, **kwargs):
        if self.model is Intake:
            with contextlib.suppress(threading.BrokenBarrierError):
                samen.wait()
        return create(self, **kwargs)

    monkeypatch.setattr(QuerySet, "create", gelijk_aanmaken)
    antwoorden = []

    def aanvrager():
        try:
            client = Client()
            client.force_login(km)
            response = client.post(reverse("deelnemers:intake_start"), {"bsn": NIEUW_BSN})
            antwoorden.append((response.status_code, getattr(response, "url", None)))
        except Exception as fout:
            antwoorden.append((500, f"{type(fout).__name__}"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=aanvrager) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    intake = Intake.objects.get(bsn=NIEUW_BSN)
    url = reverse("deelnemers:intake", kwargs={"pk": intake.pk})
    assert antwoorden == [(302, url), (302, url)]
    _geen_bsn_in_het_foutenlog(caplog, NIEUW_BSN)


# The sweep: hostile values in every GET parameter a page reads.

VIJANDIG = [
    "\x00",
    "'; DROP TABLE x;--",
    "9" * 400,
    "NaN",
    "-1",
    "0001-01-01",
    "9999-12-31",
    "²",
    "%",
    "<script>",
]

RAPPORTFILTERS = ["trajecttype", "route", "aanbieder", "verwijzer", "woongemeente", "doelgroep"]

# (label, URL name, role, the pk its URL takes, baseline parameters, the parameters it reads).
# A page reading no parameter still gets one it does not know.
PAGINAS = [
    (
        "caseload",
        "deelnemers:lijst",
        Rol.KLANTMANAGER,
        None,
        {},
        [
            "q",
            "klantmanager",
            "klantmanager_naam",
            "status",
            "signaal",
            "route",
            "trajecttype",
            "fase",
            "verwijzer",
            "woongemeente",
            "werkplek",
            "doelgroep",
            "sorteer",
            "pagina",
        ],
    ),
    ("dossier", "deelnemers:dossier", Rol.KLANTMANAGER, "deelnemer", {}, ["onbekend"]),
    ("uren", "deelnemers:uren", Rol.KLANTMANAGER, "deelnemer", {}, ["onbekend"]),
    ("plan", "trajecten:plan", Rol.KLANTMANAGER, "traject", {}, ["versie"]),
    ("werkplekken", "werkplekken:lijst", Rol.TRAJECTBEGELEIDER, None, {}, ["q", "pagina"]),
    ("werkplek", "werkplekken:detail", Rol.TRAJECTBEGELEIDER, "werkplek", {}, ["onbekend"]),
    ("week", "werkplekken:week", Rol.TRAJECTBEGELEIDER, "werkplek", {}, ["week"]),
    ("observaties", "werkplekken:observaties", Rol.TRAJECTBEGELEIDER, "werkplek", {}, ["week"]),
    (
        "aanwezigheid",
        "werkplekken:aanwezigheid",
        Rol.TRAJECTBEGELEIDER,
        "werkplek",
        {"van": "vandaag-27", "tot": "vandaag"},
        ["van", "tot"],
    ),
    (
        "resultaten",
        "resultaten",
        Rol.MANAGER,
        None,
        {},
        ["van", "tot", *RAPPORTFILTERS, "cel", "formaat", "pagina"],
    ),
    ("resultaten-cel", "resultaten", Rol.MANAGER, None, {"cel": "gestart"}, ["pagina", "formaat"]),
    ("kosten", "kosten", Rol.MANAGER, None, {}, ["van", "tot", *RAPPORTFILTERS, "cel", "formaat"]),
    ("kosten-cel", "kosten", Rol.MANAGER, None, {"cel": "werk:totaal"}, ["pagina", "cel"]),
    (
        "doelstellingen",
        "doelstellingen",
        Rol.MANAGER,
        None,
        {},
        ["van", "tot", *RAPPORTFILTERS, "formaat"],
    ),
    ("dashboard", "dashboard", Rol.MANAGER, None, {}, ["formaat"]),
    ("start-klantmanager", "start", Rol.KLANTMANAGER, None, {}, ["onbekend"]),
    ("start-trajectbegeleider", "start", Rol.TRAJECTBEGELEIDER, None, {}, ["onbekend"]),
    ("start-manager", "start", Rol.MANAGER, None, {}, ["onbekend"]),
    ("mijn-taken", "taken:mijn", Rol.KLANTMANAGER, None, {}, ["pagina"]),
    ("overdragen", "taken:overdragen", Rol.KLANTMANAGER, None, {}, ["deelnemers"]),
    ("groepen", "groepen:lijst", Rol.TRAJECTBEGELEIDER, None, {}, ["onbekend"]),
    ("groep-nieuw", "groepen:nieuw", Rol.TRAJECTBEGELEIDER, None, {}, ["onbekend"]),
    ("groep", "groepen:detail", Rol.TRAJECTBEGELEIDER, "groep", {}, ["onbekend"]),
    ("bijeenkomst", "groepen:aanwezigheid", Rol.TRAJECTBEGELEIDER, "groepsbijeenkomst", {}, ["x"]),
    ("verzetten", "groepen:verzetten", Rol.TRAJECTBEGELEIDER, "groepsbijeenkomst", {}, ["x"]),
    ("agenda-week", "agenda:week", Rol.KLANTMANAGER, None, {}, ["week", "medewerker"]),
    (
        "agenda-nieuw",
        "agenda:nieuw",
        Rol.KLANTMANAGER,
        None,
        {},
        ["datum", "uur", "medewerker", "deelnemer"],
    ),
    (
        "agenda-plannen",
        "agenda:plannen",
        Rol.KLANTMANAGER,
        "deelnemer",
        {},
        ["datum", "uur", "medewerker"],
    ),
    ("agenda-feed", "agenda:feed_instellingen", Rol.KLANTMANAGER, None, {}, ["onbekend"]),
    (
        "plaatsen",
        "deelnemers:plaatsing_nieuw",
        Rol.KLANTMANAGER,
        "deelnemer",
        {},
        ["werkplek", "startdatum"],
    ),
    ("voorkeuren", "deelnemers:voorkeuren", Rol.KLANTMANAGER, "deelnemer", {}, ["onbekend"]),
    (
        "wachtlijst",
        "deelnemers:wachtlijst",
        Rol.KLANTMANAGER,
        "deelnemer",
        {},
        ["werkplek", "start"],
    ),
    ("wie-past-waar", "deelnemers:wie_past_waar", Rol.KLANTMANAGER, "deelnemer", {}, ["start"]),
    ("kandidaten", "werkplekken:kandidaten", Rol.KLANTMANAGER, "werkplek", {}, ["onbekend"]),
    (
        "bezetting",
        "werkplekken:bezetting",
        Rol.TRAJECTBEGELEIDER,
        None,
        {},
        ["van", "werksoort", "pagina"],
    ),
    ("situatie", "werkplekken:situatie", Rol.TRAJECTBEGELEIDER, None, {}, ["werksoort", "pagina"]),
    (
        "aanwezigen-zoeken",
        "overleg:aanwezigen",
        Rol.KLANTMANAGER,
        None,
        {},
        ["aanwezigen_zoeken", "aanwezigen", "organisaties"],
    ),
    ("overleg-nieuw", "overleg:nieuw", Rol.KLANTMANAGER, None, {}, ["aanwezigen_zoeken"]),
    (
        "medewerkers-zoeken",
        "agenda:medewerkers",
        Rol.KLANTMANAGER,
        None,
        {},
        ["medewerkers_zoeken", "medewerkers"],
    ),
]


def _pk(wereld, pk):
    """The pk a page's URL takes: of a fixture object, or of yesterday's session of a group of
    ours with our participant (the groups are not in the shared fixture)."""
    if pk in ("groep", "groepsbijeenkomst"):
        from .factories import GroepFactory, GroepsbijeenkomstFactory, LidmaatschapFactory

        groep = GroepFactory(organisatie=wereld.eigen, werkplek=wereld.werkplek)
        LidmaatschapFactory(groep=groep, deelnemer=wereld.deelnemer)
        return groep.pk if pk == "groep" else GroepsbijeenkomstFactory(groep=groep).pk
    return getattr(wereld, pk).pk


def _datum(tekst):
    """A baseline date: ``vandaag`` or ``vandaag-27`` (days back)."""
    dagen = int(tekst.partition("-")[2] or 0)
    return (timezone.localdate() - dt.timedelta(days=dagen)).isoformat()


@pytest.mark.parametrize("waarde", VIJANDIG, ids=repr)
@pytest.mark.parametrize(
    ("pagina", "naam", "rol", "pk", "basis", "parameters"),
    [pytest.param(*p, id=p[0]) for p in PAGINAS],
)
def test_vijandige_parameters_geven_nooit_een_500(
    client, wereld, pagina, naam, rol, pk, basis, parameters, waarde
):
    client.force_login(wereld.gebruikers[rol])
    url = reverse(naam, args=[_pk(wereld, pk)] if pk else [])
    basis = {k: _datum(v) if v.startswith("vandaag") else v for k, v in basis.items()}
    pogingen = [{**basis, p: waarde} for p in parameters]
    pogingen.append({**basis, **dict.fromkeys(parameters, waarde)})  # all at once
    fouten = []
    for params in pogingen:
        try:
            status = client.get(url, params).status_code
        except Exception as fout:
            fouten.append(f"{params}: {type(fout).__name__}: {fout}"[:300])
            continue
        if status not in (200, 302, 400, 404):
            fouten.append(f"{params}: status {status}"[:300])
    assert not fouten, "\n".join(fouten)


@pytest.mark.parametrize("waarde", VIJANDIG, ids=repr)
def test_vijandig_concept_opent_weer(client, wereld, waarde):
    """A concept keeps what was typed, however hostile, in every field; opening it again
    shows the form, never a 500."""
    from deelnemers.forms import DeelnemerForm, IntakeForm

    km = wereld.gebruikers[Rol.KLANTMANAGER]
    client.force_login(km)
    url = client.post(reverse("deelnemers:intake_start"), {"bsn": NIEUW_BSN}).url
    velden = [f"persoon-{n}" for n in DeelnemerForm().fields] + [
        f"intake-{n}" for n in IntakeForm(organisatie=km.organisatie).fields
    ]
    response = client.post(url, {**dict.fromkeys(velden, waarde), "actie": "concept"})
    assert response.status_code == 302
    assert client.get(url).status_code == 200
