"""Access by involvement: every piece of a participant's data shows only where the matrix says.

One participant, involved with five organisations in five ways: the regie (owns the case),
the aanbieder (provides the trajectory; its trajectbegeleider is the begeleider), the
verwijzer, the current host of a placement and a host from 2021. A sixth organisation has
nothing to do with them. Every text field holds a marker naming its category; each page,
list, partial, PDF and export is read (PDF text, CSV) for every role of every organisation,
and a marker may appear only where the expected table below (written from the domain, not
from reintegratie.access) allows it. Each allowed category must show up somewhere, so the test
cannot pass by showing nothing.
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from deelnemers.models import Contactmoment
from reintegratie.access import Categorie as C
from reintegratie.accounts.models import Organisatie, Rol
from reintegratie.groepen.models import Aanwezigheid
from reintegratie.overleg.models import Bespreking, Overlegafspraak
from reintegratie.taken.models import Taak
from trajecten.models import (
    Contract,
    Financier,
    Financiering,
    Instrumentinzet,
    Leerdoel,
    Nazorg,
    Observatie,
    PlanVanAanpak,
    Uitstroom,
    UrenMutatie,
    Voortgangsrapportage,
)
from trajecten.weekrooster import maandag_van

from .conftest import pdf_tekst, url_namen
from .factories import (
    AfspraakFactory,
    BijeenkomstFactory,
    DeelnemerFactory,
    GebruikerFactory,
    GroepFactory,
    GroepsbijeenkomstFactory,
    LidmaatschapFactory,
    OrganisatieFactory,
    OverlegFactory,
    PlaatsingFactory,
    TrajectFactory,
    VoorkeurFactory,
    WachtlijstplaatsFactory,
    WerkplekFactory,
)

KM, TB, MAN, KP = Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER, Rol.KETENPARTNER
PRIV = Rol.PRIVACY
ROLLEN = (KM, TB, MAN, KP, PRIV)
ORGANISATIES = ("regie", "aanbieder", "verwijzer", "host", "oudhost", "vreemd")
ALLES = frozenset(C) - {C.FASE, C.JUSTITIEEL}
AANBIEDER = ALLES - {C.MEDISCH}
BEGELEIDING = {C.NAAM, C.CONTACT, C.JOURNAAL, C.UREN, C.OBSERVATIES, C.LEERDOELEN}
BEGELEIDING |= {C.INSTRUMENTEN, C.TRAJECT}
VERWIJZER = {C.NAAM, C.TRAJECT, C.RAPPORTAGE}
HOST = {C.NAAM, C.LEERDOELEN, "uren_host", "observaties_host", "plaatsing_host"}
EIGEN = {"uren_host", "observaties_host", "plaatsing_host"}
# (organisation, role) -> the categories its users may read of this participant. Hours and
# observations are marked per workplace: "uren_host" is what was booked at the host's.
VERWACHT = {
    ("regie", KM): ALLES | EIGEN,
    ("regie", MAN): ALLES - {C.MEDISCH} | EIGEN,
    ("aanbieder", KM): AANBIEDER | EIGEN,
    ("aanbieder", MAN): AANBIEDER | EIGEN,
    ("aanbieder", TB): BEGELEIDING | EIGEN,
    **{("verwijzer", rol): VERWIJZER | {"plaatsing_host"} for rol in (KM, TB, MAN, KP)},
    # The privacy officer finds the person (name, identity); the rest only by an inzage.
    ("regie", PRIV): {C.NAAM, C.IDENTITEIT},
    **{("host", rol): HOST for rol in (KM, TB, MAN)},
}
# Allowed, but no page shows it to that role: the begeleiders' remarks show only on the
# observation page of a workplace, which is the work floor's (trajectbegeleider, manager of
# the workplace's organisation); elsewhere observations show as scores.
OPMERKINGEN = {"observaties", "observaties_host"}
NERGENS_EEN_PAGINA = {
    ("regie", KM): OPMERKINGEN,
    ("regie", MAN): OPMERKINGEN,
    ("aanbieder", KM): OPMERKINGEN,
    ("aanbieder", TB): {"observaties_host"},
    ("aanbieder", MAN): {"observaties_host"},
    ("host", KM): {"observaties_host"},
}
# Only the names planted here, so that a random token (a nonce, a CSRF value) never matches.
MARKERNAMEN = sorted({c.value for c in C} | EIGEN, key=len, reverse=True)
MARKER = re.compile(rf"mrk({'|'.join(MARKERNAMEN)})x\d", re.IGNORECASE)


def _m(categorie, n=1):
    naam = categorie if isinstance(categorie, str) else categorie.value
    return f"MRK{naam}X{n}"


@pytest.fixture
def betrokken(db):
    vandaag = timezone.localdate()
    org = {
        naam: OrganisatieFactory(naam=f"Org {naam}", soort=Organisatie.Soort.WERKBEDRIJF)
        for naam in ORGANISATIES
    }
    users = {
        (naam, rol): GebruikerFactory(username=f"{naam}-{rol.value}", organisatie=o, rol=rol)
        for naam, o in org.items()
        for rol in ROLLEN
    }
    deelnemer = DeelnemerFactory(
        voornaam="Nina",
        achternaam=_m(C.NAAM),
        geboortedatum=dt.date(1971, 2, 3),
        straat=_m(C.CONTACT),
        woonplaats=_m(C.CONTACT, 2),
        email="mrkcontactx3@example.nl",
        verwijzer=org["verwijzer"],
        klantmanager=users["regie", KM],
    )
    traject = TrajectFactory(
        deelnemer=deelnemer,
        aanbieder=org["aanbieder"],
        klantmanager=users["regie", KM],
        trajectbegeleider=users["aanbieder", TB],
        startdatum=vandaag - dt.timedelta(days=30),
    )
    werkplekken = {
        naam: WerkplekFactory(organisatie=org[naam], begeleider=users[naam, TB])
        for naam in ("aanbieder", "host", "oudhost")
    }
    PlaatsingFactory(
        deelnemer=deelnemer,
        werkplek=werkplekken["aanbieder"],
        traject=traject,
        startdatum=vandaag - dt.timedelta(days=30),
        taken=_m(C.TRAJECT),
    )
    PlaatsingFactory(
        deelnemer=deelnemer,
        werkplek=werkplekken["host"],
        traject=traject,
        startdatum=vandaag - dt.timedelta(days=10),
        taken=_m("plaatsing_host"),
    )
    PlaatsingFactory(
        deelnemer=deelnemer,
        werkplek=werkplekken["oudhost"],
        startdatum=dt.date(2021, 1, 4),
        einddatum=dt.date(2021, 6, 30),
    )
    door = users["regie", KM]
    Contactmoment.objects.create(
        deelnemer=deelnemer,
        tijdstip=timezone.now() - dt.timedelta(days=2),
        soort="gesprek",
        onderwerp=_m(C.JOURNAAL),
        verslag=_m(C.JOURNAAL, 2),
        volgende_actie=_m(C.JOURNAAL, 3),
        door=door,
    )
    # The newest entry, so that lists would take its next action if they ignored medisch.
    Contactmoment.objects.create(
        deelnemer=deelnemer,
        tijdstip=timezone.now() - dt.timedelta(hours=1),
        soort="telefoon",
        onderwerp=_m(C.MEDISCH),
        verslag=_m(C.MEDISCH, 2),
        volgende_actie=_m(C.MEDISCH, 3),
        volgende_actie_op=vandaag,
        medisch=True,
        door=door,
    )
    # Tasks due today, on the start page, Mijn taken, the caseload and the dossier: one from
    # the journal, one medical; and a medical one owned by the provider's trajectbegeleider,
    # as an old next action could be (the bug of a medical next action in a partner's list):
    # even its owner does not see it without the medical category.
    Taak.objects.create(
        deelnemer=deelnemer, eigenaar=door, omschrijving=_m(C.JOURNAAL, 5), vervaldatum=vandaag
    )
    medische_taak = Taak.objects.create(
        deelnemer=deelnemer,
        eigenaar=door,
        omschrijving=_m(C.MEDISCH, 5),
        vervaldatum=vandaag - dt.timedelta(days=1),
        medisch=True,
    )
    Taak.objects.create(
        deelnemer=deelnemer,
        eigenaar=users["aanbieder", TB],
        omschrijving=_m(C.MEDISCH, 6),
        vervaldatum=vandaag,
        medisch=True,
    )
    plan = PlanVanAanpak.objects.create(
        traject=traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        afspraken=_m(C.PLAN),
        opgesteld_door=door,
        opgesteld_op=vandaag,
    )
    Leerdoel.objects.create(plan=plan, soort="werkervaring", omschrijving=_m(C.LEERDOELEN))
    rapportage = Voortgangsrapportage.objects.create(
        traject=traject,
        aanleiding="tussentijds",
        periode_van=vandaag - dt.timedelta(days=30),
        periode_tot=vandaag,
        bevindingen_klantmanager=_m(C.RAPPORTAGE),
        medische_toelichting=_m(C.MEDISCH, 4),
        advies="verlengen",
        opgesteld_door=door,
        opgesteld_op=vandaag,
    )
    Instrumentinzet.objects.create(
        traject=traject,
        instrument="heftruck",  # its label, "Heftruckcertificaat", is the marker
        startdatum=vandaag - dt.timedelta(days=20),
        kosten=Decimal("12345.67"),  # shown as 12.345,67: the financial marker
    )
    maandag = maandag_van(vandaag - dt.timedelta(days=7))
    for naam, marker in (("aanbieder", _m(C.OBSERVATIES)), ("host", _m("observaties_host"))):
        Observatie.objects.create(
            deelnemer=deelnemer,
            werkplek=werkplekken[naam],
            week=maandag,
            omgang=4,
            opmerking=marker,
            door=users[naam, TB],
        )
    for naam, marker in (("aanbieder", _m(C.UREN)), ("host", _m("uren_host"))):
        UrenMutatie.objects.create(
            registratie_id=0,
            deelnemer=deelnemer,
            werkplek=werkplekken[naam],
            datum=vandaag - dt.timedelta(days=3),
            actie="verwijderd",
            oude_uren=Decimal(4),
            oude_soort="gewerkt",
            reden=marker,
            door=users[naam, TB],
        )
    overleg = OverlegFactory(
        organisator=org["regie"],
        partners=[org["aanbieder"], org["verwijzer"], org["host"]],
        aangemaakt_door=door,
    )
    bijeenkomst = BijeenkomstFactory(overleg=overleg)
    bespreking = Bespreking.objects.create(
        bijeenkomst=bijeenkomst,
        deelnemer=deelnemer,
        volgorde=1,
        reden=_m(C.TRAJECT, 5),
        verslag=_m(C.JOURNAAL, 5),
        wijziging=1,
    )
    Overlegafspraak.objects.create(
        bespreking=bespreking,
        omschrijving=_m(C.JOURNAAL, 6),
        eigenaar=door,
        vervaldatum=vandaag + dt.timedelta(days=7),
    )
    # The aanbieder's sollicitatiegroep, with yesterday's session and its attendance.
    groep = GroepFactory(
        organisatie=org["aanbieder"],
        werkplek=werkplekken["aanbieder"],
        begeleider=users["aanbieder", TB],
    )
    LidmaatschapFactory(groep=groep, deelnemer=deelnemer)
    groepsbijeenkomst = GroepsbijeenkomstFactory(groep=groep)
    Aanwezigheid.objects.create(
        bijeenkomst=groepsbijeenkomst,
        deelnemer=deelnemer,
        status="aanwezig",
        uren=Decimal(2),
        vastgelegd_door=users["aanbieder", TB],
    )
    afspraak = AfspraakFactory(
        deelnemer=deelnemer, traject=traject, plaats=_m(C.JOURNAAL, 4), medewerkers=[door]
    )
    # The participant's own choice, and waiting for the old host's workplace: its pages show
    # that someone waits, not who (it is no longer involved).
    VoorkeurFactory(
        deelnemer=deelnemer,
        werkplek=werkplekken["oudhost"],
        reden=_m(C.TRAJECT, 7),
        vastgelegd_door=door,
    )
    WachtlijstplaatsFactory(
        werkplek=werkplekken["oudhost"],
        deelnemer=deelnemer,
        toelichting=_m(C.TRAJECT, 8),
        aangemeld_door=door,
    )
    # A contract in the running chain, and an earlier trajectory that ended in work with its
    # follow-up: both are traject data.
    contract = Contract.objects.create(
        traject=traject,
        werkgever=org["host"],
        soort="tijdelijk",
        startdatum=vandaag - dt.timedelta(days=10),
        einddatum=vandaag + dt.timedelta(days=100),
        toelichting=_m(C.TRAJECT, 9),
        vastgelegd_door=door,
    )
    oud_traject = TrajectFactory(
        deelnemer=deelnemer,
        aanbieder=org["aanbieder"],
        klantmanager=door,
        afgesloten=True,
        startdatum=vandaag - dt.timedelta(days=800),
        einddatum=vandaag - dt.timedelta(days=400),
    )
    uitstroom = Uitstroom.objects.create(
        traject=oud_traject,
        datum=oud_traject.einddatum,
        resultaat="werk",
        contract="tijdelijk",
        vastgelegd_door=door,
    )
    Nazorg.objects.create(
        uitstroom=uitstroom,
        moment=6,
        datum=oud_traject.einddatum + dt.timedelta(days=185),
        aan_het_werk=True,
        toelichting=_m(C.TRAJECT, 10),
        vastgelegd_door=door,
    )
    # Who pays: the financier's name is the marker of its share (category financieel).
    Financiering.objects.create(
        traject=traject,
        financier=Financier.objects.create(naam=_m(C.FINANCIEEL), soort="esf"),
        aandeel=Decimal(40),
    )
    return {
        "oud_traject": oud_traject,
        "contract": contract,
        "groep": groep,
        "groepsbijeenkomst": groepsbijeenkomst,
        "org": org,
        "users": users,
        "bijeenkomst": bijeenkomst,
        "bespreking": bespreking,
        "afspraak": afspraak,
        "deelnemer": deelnemer,
        "traject": traject,
        "plan": plan,
        "rapportage": rapportage,
        "werkplekken": werkplekken,
        "medische_taak": medische_taak,
    }


def _eigen_werkplek(b, naam):
    return b["werkplekken"].get(naam, b["werkplekken"]["host"])


def _args(b, naam_org):
    d, t = b["deelnemer"], b["traject"]
    plek = _eigen_werkplek(b, naam_org)
    return {
        "deelnemer": {"pk": d.pk},
        "traject": {"pk": t.pk},
        "plan": {"pk": t.pk, "versie": b["plan"].versie},
        "rapportage": {"pk": t.pk, "rapportage": b["rapportage"].pk},
        "werkplek": {"pk": plek.pk},
        "overleg": {"pk": b["bijeenkomst"].overleg_id},
        "bijeenkomst": {"pk": b["bijeenkomst"].pk},
        "bespreking": {"pk": b["bespreking"].pk},
        "taak": {"pk": b["medische_taak"].pk},
        "groep": {"pk": b["groep"].pk},
        "groepsbijeenkomst": {"pk": b["groepsbijeenkomst"].pk},
        "afspraak": {"pk": b["afspraak"].pk},
        "nazorg": {"pk": b["oud_traject"].pk, "moment": 12},
        "contract": {"pk": t.pk, "contract": b["contract"].pk},
    }


# Every URL with what it needs (None: no arguments); the walk below fails on a new URL that
# is not listed, so a new view cannot forget this test. Query strings add the variants.
URLS = {
    "start": None,
    "afdrukken_week": None,
    "afdrukken_week_pdf": "geen",  # POST that queues the batch; the list shows its contents
    # The user's own batch, made with the same access as the list (tests/test_afdrukken.py).
    "afdrukopdracht": "geen",
    "afdrukopdracht_pdf": "geen",
    "resultaten": None,
    "kosten": None,  # amounts per trajectory behind a number, for who reads financieel
    "doelstellingen": None,
    "dashboard": None,
    "dashboard_opnieuw_tellen": "geen",  # POST that recounts; shows the dashboard
    "deelnemers:lijst": None,
    "deelnemers:export": None,
    "deelnemers:intake_start": None,
    "deelnemers:intake": "geen",  # intakes belong to the organisation doing them
    "deelnemers:dossier": "deelnemer",
    "deelnemers:bewerken": "deelnemer",
    "deelnemers:dossier_pdf": "deelnemer",
    "deelnemers:bsn": "deelnemer",
    "deelnemers:contactmoment": "deelnemer",
    "deelnemers:ladder": "deelnemer",
    "deelnemers:plaatsing_nieuw": "deelnemer",
    "deelnemers:voorkeuren": "deelnemer",
    "deelnemers:wie_past_waar": "deelnemer",
    "deelnemers:wachtlijst": "deelnemer",
    "deelnemers:van_wachtlijst": "geen",  # POST that acts; the dossier shows the list
    "deelnemers:uren_registreren": "deelnemer",
    "deelnemers:uren": "deelnemer",
    "deelnemers:inzage": "deelnemer",  # counts only: the name, as the dossier
    "deelnemers:inzage_pdf": "deelnemer",
    "deelnemers:inzage_json": "deelnemer",
    "trajecten:plan": "traject",
    "trajecten:plan_nieuwe_versie": "geen",  # POST that acts; its page is trajecten:plan
    "trajecten:plan_ondertekenen": "geen",
    "trajecten:plan_pdf": "plan",
    "trajecten:werkervaringsovereenkomst": "traject",
    "trajecten:rapportage_nieuw": "traject",
    "trajecten:instrument_nieuw": "traject",
    "trajecten:contract_nieuw": "traject",
    "trajecten:contract_beeindigen": "contract",
    "trajecten:nazorg": "nazorg",
    "trajecten:financiering": "traject",
    "trajecten:esf_urenstaat": "deelnemer",
    "trajecten:rapportage": "rapportage",
    "trajecten:rapportage_bewerken": "rapportage",
    "trajecten:rapportage_pdf": "rapportage",
    "trajecten:verlengen": "traject",
    "trajecten:volgende_fase": "traject",
    "trajecten:overdragen": "traject",
    "trajecten:afsluiten": "traject",
    "taken:mijn": None,
    "taken:nieuw": "deelnemer",  # an empty POST: the dossier again, with the form's errors
    "taken:afronden": "geen",  # POST that acts; an empty one sends back to the dossier
    # The medical task: only who reads medical data opens it.
    "taken:wijzigen": "taak",
    "taken:overdragen": None,
    "werkplekken:lijst": None,
    "werkplekken:bezetting": None,  # counts only: no marker may show
    "werkplekken:situatie": None,
    "werkplekken:detail": "werkplek",
    "werkplekken:kandidaten": "werkplek",
    "werkplekken:week": "werkplek",
    "werkplekken:observaties": "werkplek",
    "werkplekken:aanwezigheid": "werkplek",
    # The aanbieder's group: members' names where the matrix lets hours be read.
    "groepen:lijst": None,
    "groepen:nieuw": None,
    "groepen:detail": "groep",
    "groepen:uitschrijven": "geen",  # POST that acts; its page is groepen:detail
    "groepen:aanwezigheid": "groepsbijeenkomst",
    "groepen:verzetten": "groepsbijeenkomst",
    # The user's own password and session, the beheerder's locked accounts: no participant.
    "accounts:wachtwoord": None,
    "accounts:sessie": None,
    "accounts:vergrendeld": None,
    "accounts:ontgrendelen": "geen",  # POST that unlocks
    # The second step's pages (a verified user is sent on from the last two).
    "tweestaps:overzicht": None,
    "tweestaps:backupcodes": "geen",  # POST that makes new codes
    "tweestaps:controleren": None,
    "tweestaps:instellen": None,
    "verwerkingen": None,
    "verwerkingen_export": None,
    "verwerkingen_register": None,
    "verwerkingen_deelnemer": "deelnemer",
    "overleg:lijst": None,
    "overleg:nieuw": None,
    "overleg:aanwezigen": None,
    "overleg:detail": "overleg",
    "overleg:wijzigen": "overleg",
    "overleg:vooruit": "geen",  # POST that plans ahead; shows the meeting
    "overleg:bijeenkomst": "bijeenkomst",
    "overleg:verplaatsen": "bijeenkomst",
    # POST that queues the pack; the walk below reads the PDF the worker makes.
    "overleg:pakket": "geen",
    "overleg:bespreking": "bespreking",
    "gezondheid": None,  # public, for the load balancer: read too, it must show no marker
    "agenda:week": None,
    "agenda:nieuw": None,
    "agenda:medewerkers": None,
    "agenda:plannen": "deelnemer",
    "agenda:wijzigen": "afspraak",
    "agenda:uitkomst": "geen",  # POST that records the outcome; shown on the dossier
    "agenda:feed_instellingen": None,
    # Read with its secret token, no session: first name and initial only, by default
    # (tests/test_agenda.py); it carries what the user's own start page lists.
    "agenda:feed": "geen",
}
# Shown by a POST: the full BSN, the journal partial (htmx) after an empty entry, the
# dossier again after an empty ladder step.
POST = {"deelnemers:bsn", "deelnemers:contactmoment", "deelnemers:ladder", "taken:nieuw"}
# The inzage (AVG art. 15) gives the person everything held, the full BSN too, whatever the
# matrix lets the user read otherwise: only who may give it is checked here; what it holds,
# of this participant and of no other, in tests/test_inzage.py.
INZAGE = {"deelnemers:inzage_pdf", "deelnemers:inzage_json"}
INZAGE_GEVEN = {("regie", KM), ("regie", PRIV)}
VARIANTEN = {
    "trajecten:rapportage_pdf": ["", "?voor=ketenpartner"],
    "resultaten": [
        "?cel=gestart&van={jaar_terug}",
        "?formaat=csv&van={jaar_terug}",
        "?formaat=xlsx&van={jaar_terug}",
    ],
    # The trajectories behind the total, with their amounts: the instrument's kosten.
    "kosten": [
        "?cel=totaal&van={jaar_terug}",
        "?formaat=csv&van={jaar_terug}",
        "?formaat=xlsx&van={jaar_terug}",
    ],
    "dashboard": ["", "?formaat=xlsx"],
    "werkplekken:week": ["", "?week=2021-03-01"],
    # Last week, where the observations are: "today" is read in the test, under its clock.
    "werkplekken:observaties": ["", "?week={vorige_week}"],
}


def test_elke_url_staat_in_de_markertest():
    namen = url_namen() - {"login", "logout"}
    assert namen == set(URLS), "Voeg de nieuwe URL toe aan URLS van de markertest."


def _tekst(response) -> str:
    soort = response.get("Content-Type", "")
    inhoud = b"".join(response.streaming_content) if response.streaming else response.content
    if soort.startswith("application/pdf"):
        return pdf_tekst(inhoud)
    if "spreadsheetml" in soort:
        boek = load_workbook(io.BytesIO(inhoud))
        return "\n".join(
            str(waarde)
            for blad in boek.worksheets
            for rij in blad.iter_rows(values_only=True)
            for waarde in rij
            if waarde is not None
        )
    return inhoud.decode("utf-8", errors="replace")


# The birth date of the fixture as a page, PDF, CSV or XLSX writes it; not "1971" alone,
# which a request id or a timestamp in the processing log can hold by chance.
GEBOORTEDATUM = re.compile(r"(?<!\d)(0?3-0?2-1971|3 februari 1971|1971-02-03)(?!\d)")


def _gezien(tekst, b) -> set:
    gezien = {m.lower() for m in MARKER.findall(tekst)}
    if b["deelnemer"].bsn in tekst:
        gezien.add("bsn_volledig")
    if GEBOORTEDATUM.search(tekst):
        gezien.add(C.IDENTITEIT.value)
    if "Heftruckcertificaat" in tekst:
        gezien.add(C.INSTRUMENTEN.value)
    if "12.345,67" in tekst or "12345,67" in tekst:
        gezien.add(C.FINANCIEEL.value)
    return gezien


def _toegestaan(naam_org, rol) -> set:
    return {c if isinstance(c, str) else c.value for c in VERWACHT.get((naam_org, rol), set())}


@pytest.mark.parametrize("rol", ROLLEN, ids=lambda r: r.value)
@pytest.mark.parametrize("naam_org", ORGANISATIES)
def test_elke_marker_alleen_waar_de_matrix_het_toestaat(
    client, betrokken, naam_org, rol, vergaderstukken
):
    b = betrokken
    client.force_login(b["users"][naam_org, rol])
    toegestaan = _toegestaan(naam_org, rol)
    vorige_week = maandag_van(timezone.localdate() - dt.timedelta(days=7))
    # A report's period of a year back, past every date of the fixture (the form takes at
    # most five years).
    jaar_terug = timezone.localdate() - dt.timedelta(days=365)
    overal = set()
    for naam, soort in URLS.items():
        if soort == "geen":
            continue
        url = reverse(naam, kwargs=_args(b, naam_org)[soort] if soort else None)
        for extra in VARIANTEN.get(naam, [""]):
            extra = extra.format(vorige_week=f"{vorige_week:%Y-%m-%d}", jaar_terug=jaar_terug)
            if naam in POST:
                response = client.post(url + extra, HTTP_HX_REQUEST="true")
            else:
                response = client.get(url + extra)
            assert response.status_code in (200, 302, 404), (naam, response.status_code)
            if response.status_code != 200:
                continue
            gezien = _gezien(_tekst(response), b)
            if naam in INZAGE:
                assert (naam_org, rol) in INZAGE_GEVEN, naam
                continue
            if "bsn_volledig" in gezien:
                # On request, for regie; and in the form where the klantmanager corrects it.
                assert (naam, naam_org, rol) in {
                    ("deelnemers:bsn", "regie", KM),
                    ("deelnemers:bsn", "regie", MAN),
                    ("deelnemers:bsn", "regie", PRIV),
                    ("deelnemers:bewerken", "regie", KM),
                }, naam
                gezien.discard("bsn_volledig")
            te_veel = gezien - toegestaan
            assert not te_veel, f"{naam}{extra}: {sorted(te_veel)} voor {naam_org}/{rol.value}"
            overal |= gezien
    # The meeting pack, as the task worker makes it for this user.
    pakket = vergaderstukken(client, b["bijeenkomst"])
    assert pakket.status_code in (200, 404), pakket.status_code
    if pakket.status_code == 200:
        assert pakket["Content-Type"] == "application/pdf"
        gezien = _gezien(_tekst(pakket), b)
        te_veel = gezien - toegestaan
        assert not te_veel, f"vergaderstukken: {sorted(te_veel)} voor {naam_org}/{rol.value}"
        overal |= gezien
    ontbreekt = toegestaan - overal - NERGENS_EEN_PAGINA.get((naam_org, rol), set())
    assert not ontbreekt, f"nergens getoond voor {naam_org}/{rol.value}: {sorted(ontbreekt)}"


PERSOONSMODELLEN = (
    "deelnemers",
    "trajecten",
    "werkplekken",
    "agenda",
    "taken",
    "overleg",
    "groepen",
)
ZONDER_PERSOONSGEGEVENS = {
    "Doelgroep",
    "Trajecttype",
    "Fasetype",
    "Contractschakel",
    "Financier",
    "Tarief",  # a trajecttype's price
    "Doelstelling",
    "RouteTrajecttype",
    "Werkplek",
    "Mixdoel",  # an organisation's target share of a doelgroep
    "UrenPerWeek",
    # A partner meeting and its occurrences: organisations, staff, dates; who is discussed
    # is in Bespreking.
    "Overleg",
    "Bijeenkomst",
    # A group and its sessions: name, rhythm, place; the members are in Lidmaatschap.
    "Groep",
    "Groepsbijeenkomst",
    # Configuration, and a staff user's own feed setting: no participant in them.
    "Afspraakregel",
    "Agendafeed",
}


def test_elk_veld_heeft_een_categorie():
    """A field added to a model holding participant data without its category fails here."""
    for app in PERSOONSMODELLEN:
        for model in apps.get_app_config(app).get_models():
            if model.__name__ in ZONDER_PERSOONSGEGEVENS:
                continue
            velden = {f.name for f in model._meta.get_fields() if f.concrete}
            velden |= {f.name for f in model._meta.many_to_many}
            assert hasattr(model, "CATEGORIEEN"), f"{model.__name__} heeft geen CATEGORIEEN"
            zonder = velden - set(model.CATEGORIEEN)
            assert not zonder, f"{model.__name__}: geen categorie voor {sorted(zonder)}"
            assert hasattr(model.objects, "zichtbaar_voor"), model.__name__


# The probes that broke it before, each as the attacker would try it.


def _post(client, user, naam, pk, data):
    client.force_login(user)
    return client.post(reverse(naam, kwargs={"pk": pk}), data)


def test_host_wijzigt_geen_gegevens_en_geen_verwijzer(client, betrokken):
    b, d = betrokken, betrokken["deelnemer"]
    for org in ("host", "oudhost", "aanbieder", "verwijzer"):
        response = _post(
            client,
            b["users"][org, KM],
            "deelnemers:bewerken",
            d.pk,
            {"voornaam": "Gekaapt", "verwijzer": b["org"]["vreemd"].pk},
        )
        assert response.status_code == 404, org
    d.refresh_from_db()
    assert (d.voornaam, d.verwijzer) == ("Nina", b["org"]["verwijzer"])


def test_host_besluit_niet_en_plaatst_niet(client, betrokken):
    b = betrokken
    client.force_login(b["users"]["host", KM])
    traject = b["traject"]
    assert client.get(reverse("trajecten:afsluiten", args=[traject.pk])).status_code == 404
    url = reverse("deelnemers:plaatsing_nieuw", args=[b["deelnemer"].pk])
    assert client.get(url).status_code == 404


def test_oude_host_boekt_geen_uren_en_schrijft_geen_journaal(client, betrokken):
    b, d = betrokken, betrokken["deelnemer"]
    tb = b["users"]["oudhost", TB]
    data = {"soort": "notitie", "onderwerp": "Ik was hier"}
    assert _post(client, tb, "deelnemers:contactmoment", d.pk, data).status_code == 404
    assert client.get(reverse("deelnemers:uren_registreren", args=[d.pk])).status_code == 404
    assert client.get(reverse("deelnemers:dossier", args=[d.pk])).status_code == 404
    assert not Contactmoment.objects.filter(deelnemer=d, door=tb).exists()


def test_host_na_de_nawerking_niet_meer(client, betrokken, settings):
    """The host's access ends with the placement plus the nawerking, not at some later date."""
    b, d = betrokken, betrokken["deelnemer"]
    plaatsing = d.plaatsingen.get(werkplek=b["werkplekken"]["host"])
    plaatsing.einddatum = timezone.localdate() - dt.timedelta(days=3)
    plaatsing.save()
    client.force_login(b["users"]["host", TB])
    url = reverse("deelnemers:dossier", args=[d.pk])
    settings.TOEGANG_NAWERKING_PLAATSING_DAGEN = 5
    assert client.get(url).status_code == 200
    settings.TOEGANG_NAWERKING_PLAATSING_DAGEN = 2
    assert client.get(url).status_code == 404


def test_plaatsing_ver_terug_alleen_door_een_manager(client, betrokken):
    b, d = betrokken, betrokken["deelnemer"]
    data = {
        "werkplek": b["werkplekken"]["oudhost"].pk,
        "startdatum": "2000-01-03",
        "uren_per_week": "16",
    }
    response = _post(client, b["users"]["regie", KM], "deelnemers:plaatsing_nieuw", d.pk, data)
    assert "Vraag een manager" in " ".join(response.context["form"].errors["startdatum"])
    assert not d.plaatsingen.filter(startdatum=dt.date(2000, 1, 3)).exists()
    response = _post(client, b["users"]["regie", MAN], "deelnemers:plaatsing_nieuw", d.pk, data)
    assert response.status_code == 302
    assert d.plaatsingen.filter(startdatum=dt.date(2000, 1, 3)).exists()


def test_verwijzer_opent_de_rapportage_voor_de_verwijzer(client, betrokken):
    b = betrokken
    client.force_login(b["users"]["verwijzer", KP])
    args = [b["traject"].pk, b["rapportage"].pk]
    pagina = client.get(reverse("trajecten:rapportage", args=args)).content.decode()
    assert _m(C.RAPPORTAGE) in pagina
    assert _m(C.MEDISCH, 4) not in pagina
    pdf = client.get(reverse("trajecten:rapportage_pdf", args=args) + "?voor=ketenpartner")
    tekst = pdf_tekst(pdf.content)
    assert _m(C.RAPPORTAGE) in tekst
    assert _m(C.MEDISCH, 4) not in tekst
