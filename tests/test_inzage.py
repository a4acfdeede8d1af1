"""Inzage (AVG art. 15): one action gives everything held on a person, and who processed it.

One participant with a row in every model that holds participant data, and a marker in every
text field of each (found by walking the same models and CATEGORIEEN as the inzage, so a new
model or field is planted too); a second participant of the same organisation with markers
of its own, none of which may appear. The log part is checked against real page views by
several organisations and roles; the inzage logs itself.
"""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment, Doelgroep, Intake, LadderTrede
from reintegratie import inzage
from reintegratie.access import Categorie
from reintegratie.accounts.models import Organisatie, Rol
from reintegratie.agenda.models import Afspraak
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.register import REGISTER
from reintegratie.groepen.models import Aanwezigheid
from reintegratie.overleg.models import Bespreking, Overlegafspraak
from reintegratie.taken.models import Taak
from trajecten.models import (
    Contract,
    Financier,
    Financiering,
    Instrumentinzet,
    Leerdoel,
    LeerdoelVoortgang,
    Nazorg,
    Observatie,
    PlanVanAanpak,
    Uitstroom,
    UrenMutatie,
    Urenregistratie,
    Voortgangsrapportage,
)
from trajecten.services import maandtotalen_bijtellen
from trajecten.weekrooster import maandag_van

from .conftest import pdf_tekst
from .factories import (
    BijeenkomstFactory,
    DeelnemerFactory,
    GebruikerFactory,
    GroepFactory,
    GroepsbijeenkomstFactory,
    LidmaatschapFactory,
    OrganisatieFactory,
    PlaatsingFactory,
    TrajectFactory,
    UrenregistratieFactory,
    VoorkeurFactory,
    WachtlijstplaatsFactory,
    WerkplekFactory,
)
from .test_betrokkenheid import PERSOONSMODELLEN, ZONDER_PERSOONSGEGEVENS, _m

KM, TB, MAN, KP, BEH, PRIV = (
    Rol.KLANTMANAGER,
    Rol.TRAJECTBEGELEIDER,
    Rol.MANAGER,
    Rol.KETENPARTNER,
    Rol.BEHEERDER,
    Rol.PRIVACY,
)
ORGANISATIES = ("regie", "aanbieder", "verwijzer", "host", "vreemd")
ACTIVITEITEN = {a.code: a for a in REGISTER}


def _vandaag():
    return timezone.localdate()


def _dossier(d, *, km, tb, aanbieder, werkplek, dagen=0):
    """A row in every model with participant data: a trajectory with its phase, outcome
    with its follow-up, a contract, plan, learning goal, report, progress, instrument; a
    placement with hours, a change and an observation; a ladder step, a journal entry and a
    medical one, a completed intake. ``dagen`` moves the dates back, for a second set on the
    same participant."""
    vandaag = _vandaag() - dt.timedelta(days=dagen)
    afgesloten = dagen > 0
    traject = TrajectFactory(
        deelnemer=d,
        aanbieder=aanbieder,
        klantmanager=km,
        trajectbegeleider=tb,
        startdatum=vandaag - dt.timedelta(days=60),
        **({"afgesloten": True, "einddatum": vandaag} if afgesloten else {}),
    )
    fase = traject.fasen.get()
    uitstroom = Uitstroom.objects.create(
        traject=traject, datum=vandaag, resultaat="werk", contract="tijdelijk"
    )
    Nazorg.objects.create(
        uitstroom=uitstroom, moment=6, datum=vandaag, aan_het_werk=True, vastgelegd_door=km
    )
    Financiering.objects.create(
        traject=traject, financier=Financier.objects.get(soort="esf"), aandeel=Decimal(40)
    )
    Contract.objects.create(
        traject=traject,
        werkgever=aanbieder,
        soort="tijdelijk",
        startdatum=traject.startdatum,
        einddatum=vandaag,
        toelichting="Eerste contract van de keten",
        vastgelegd_door=km,
    )
    PlaatsingFactory(
        deelnemer=d,
        werkplek=werkplek,
        traject=traject,
        startdatum=traject.startdatum,
        einddatum=traject.einddatum,
        voorkeur_deelnemer=True,
    )
    VoorkeurFactory(deelnemer=d, werkplek=werkplek, rang=2 if afgesloten else 1, vastgelegd_door=km)
    WachtlijstplaatsFactory(
        werkplek=werkplek,
        deelnemer=d,
        aangemeld_door=km,
        gewenste_start=vandaag,
        toelichting="Na de zomer",
        geplaatst=afgesloten,
    )
    gisteren = vandaag - dt.timedelta(days=1)
    if afgesloten:  # the service books no hours on a closed trajectory
        Urenregistratie.objects.create(
            deelnemer=d,
            fase=fase,
            werkplek=werkplek,
            datum=gisteren,
            uren=Decimal("6.25"),
            soort="scholing",
            geregistreerd_door=tb,
        )
        maandtotalen_bijtellen([(traject.pk, gisteren, "scholing", Decimal("6.25"))])
    else:
        UrenregistratieFactory(
            fase=fase, werkplek=werkplek, datum=gisteren, uren=Decimal("6.25"), soort="scholing"
        )
    UrenMutatie.objects.create(
        registratie_id=0,
        deelnemer=d,
        werkplek=werkplek,
        datum=gisteren,
        actie="gewijzigd",
        oude_uren=Decimal(4),
        nieuwe_uren=Decimal("6.25"),
        door=tb,
    )
    Observatie.objects.create(
        deelnemer=d,
        werkplek=werkplek,
        week=maandag_van(vandaag - dt.timedelta(days=7)),
        **dict.fromkeys(("regelmatige_arbeid", "werktijden", "omgang", "zelfstandig"), 4),
        afspraken=2,
        door=tb,
    )
    plan = PlanVanAanpak.objects.create(
        traject=traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=km,
        opgesteld_op=vandaag - dt.timedelta(days=50),
        ondertekend_op=vandaag - dt.timedelta(days=49),
    )
    leerdoel = Leerdoel.objects.create(plan=plan, soort="taal", omschrijving="-", status="bezig")
    rapportage = Voortgangsrapportage.objects.create(
        traject=traject,
        aanleiding="tussentijds",
        periode_van=vandaag - dt.timedelta(days=30),
        periode_tot=vandaag,
        advies="verlengen",
        opgesteld_door=km,
        opgesteld_op=vandaag,
    )
    LeerdoelVoortgang.objects.create(rapportage=rapportage, leerdoel=leerdoel, status="bezig")
    Instrumentinzet.objects.create(
        traject=traject,
        instrument="heftruck",
        startdatum=vandaag - dt.timedelta(days=20),
        einddatum=vandaag - dt.timedelta(days=10),
        geldig_tot=vandaag + dt.timedelta(days=700),
        resultaat="behaald",
        kosten=Decimal("12345.67"),
    )
    LadderTrede.objects.create(deelnemer=d, datum=vandaag - dt.timedelta(days=5), trede=4)
    for medisch in (False, True):
        Contactmoment.objects.create(
            deelnemer=d,
            tijdstip=timezone.now() - dt.timedelta(days=dagen + 2, hours=medisch),
            soort="gesprek",
            onderwerp="-",
            medisch=medisch,
            volgende_actie="-",
            volgende_actie_op=vandaag + dt.timedelta(days=3),
            door=km,
        )
        Taak.objects.create(
            deelnemer=d, eigenaar=km, omschrijving="-", vervaldatum=vandaag, medisch=medisch
        )
    afspraak = Afspraak.objects.create(
        deelnemer=d,
        traject=traject,
        soort="evaluatie",
        begin=timezone.now() + dt.timedelta(days=2),
        einde=timezone.now() + dt.timedelta(days=2, hours=1),
        plaats="-",
        videolink="https://example.org/-",
    )
    afspraak.medewerkers.set([km])
    bespreking = Bespreking.objects.create(
        bijeenkomst=BijeenkomstFactory(overleg__organisator=aanbieder),
        deelnemer=d,
        volgorde=1,
        reden="-",
        verslag="-",
        verslag_op=timezone.now(),
        verslag_door=km,
    )
    Overlegafspraak.objects.create(
        bespreking=bespreking, omschrijving="-", eigenaar=km, vervaldatum=vandaag
    )
    groep = GroepFactory(organisatie=aanbieder, begeleider=tb)
    LidmaatschapFactory(groep=groep, deelnemer=d, startdatum=vandaag - dt.timedelta(days=30))
    Aanwezigheid.objects.create(
        bijeenkomst=GroepsbijeenkomstFactory(groep=groep, dagen=dagen + 2),
        deelnemer=d,
        status="aanwezig",
        uren=Decimal("2.5"),
        vastgelegd_door=tb,
    )
    Intake.objects.create(
        status="afgerond",
        deelnemer=d,
        traject=traject,
        bsn=d.bsn,
        datum=vandaag - dt.timedelta(days=61),
        werkervaringsovereenkomst=True,
        consulent_werk=km,
        aangemaakt_door=km,
    )
    return traject


class Markers:
    """Markers unique across the test: ``MRK<categorie>X<n>`` (the marker test's), or
    ``MRK<n>`` where a field is too short for that; four digits, so none is part of
    another."""

    def __init__(self):
        self.n = 1000

    def __call__(self, veld, categorie):
        self.n += 1
        marker = _m(categorie, self.n)
        return marker if len(marker) <= (veld.max_length or 200) else f"MRK{self.n}"


def _planten(d, markers) -> dict:
    """A marker in every text field with a category of every row of ``d``, in every model
    the inzage reads: {(model, pk, field): value}. The BSN keeps its value, checked as such."""
    geplant = {}
    for spec in inzage.modellen():
        rijen = spec.model._default_manager.filter(**{f"{spec.pad}pk": d.pk})
        for pk in rijen.values_list("pk", flat=True):
            waarden = {}
            for veld in spec.velden:
                categorie = spec.model.CATEGORIEEN[veld.name]
                if veld.name == "bsn" or veld.is_relation or veld.choices:
                    continue
                if isinstance(veld, models.JSONField):
                    waarden[veld.name] = {"notitie": markers(veld, categorie)}
                elif isinstance(veld, models.CharField | models.TextField):
                    waarden[veld.name] = markers(veld, categorie)
            spec.model._default_manager.filter(pk=pk).update(**waarden)
            geplant |= {(spec.sleutel, pk, naam): w for naam, w in waarden.items()}
    return geplant


def _tekst_van(waarde):
    return waarde["notitie"] if isinstance(waarde, dict) else waarde


@pytest.fixture
def wereld_inzage(db):
    org = {
        naam: OrganisatieFactory(naam=f"Org {naam}", soort=Organisatie.Soort.WERKBEDRIJF)
        for naam in ORGANISATIES
    }
    Organisatie.objects.filter(pk=org["verwijzer"].pk).update(soort=Organisatie.Soort.RECLASSERING)
    users = {
        (naam, rol): GebruikerFactory(username=f"{naam}-{rol.value}", organisatie=o, rol=rol)
        for naam, o in org.items()
        for rol in Rol
    }
    km, tb = users["regie", KM], users["aanbieder", TB]
    werkplek = WerkplekFactory(organisatie=org["host"], begeleider=users["host", TB])
    deelnemers = []
    for voornaam in ("Anna", "Bert"):
        d = DeelnemerFactory(
            voornaam=voornaam,
            geboortedatum=dt.date(1971, 2, 3),
            verwijzer=org["verwijzer"],
            woongemeente=OrganisatieFactory(naam=f"Gemeente {voornaam}"),
            klantmanager=km,
            taalniveau="2F",
            taalachtergrond="NT2",
            inburgeringsplichtig=True,
            inburgering_voldaan_op=dt.date(2020, 5, 6),
        )
        d.doelgroepen.set(Doelgroep.objects.all()[:2])
        _dossier(d, km=km, tb=tb, aanbieder=org["aanbieder"], werkplek=werkplek)
        deelnemers.append(d)
    markers = Markers()
    geplant = _planten(deelnemers[0], markers)
    ander_geplant = _planten(deelnemers[1], markers)
    for d in deelnemers:
        d.refresh_from_db()
    return {
        "org": org,
        "users": users,
        "werkplek": werkplek,
        "deelnemer": deelnemers[0],
        "ander": deelnemers[1],
        "markers": geplant,
        "andere_markers": ander_geplant,
    }


def _url(naam, d):
    return reverse(f"deelnemers:{naam}", args=[d.pk])


def _json(client, user, d):
    client.force_login(user)
    response = client.get(_url("inzage_json", d))
    assert response.status_code == 200
    return json.loads(response.content)


def _plat(tekst):
    """Without whitespace: a PDF wraps table cells anywhere."""
    return "".join(tekst.split())


def test_elk_model_met_persoonsgegevens_doet_mee():
    """The models are found, not listed: each of the participant-data apps' models with
    personal data is in the inzage, with a way to the participant."""
    assert set(inzage.APPS) == set(PERSOONSMODELLEN)
    gevonden = {spec.model for spec in inzage.modellen()}
    for app in PERSOONSMODELLEN:
        for model in apps.get_app_config(app).get_models():
            if model.__name__ not in ZONDER_PERSOONSGEGEVENS:
                assert model in gevonden, model.__name__


def test_json_bevat_elk_gegeven_van_elk_model_en_niets_van_een_ander(client, wereld_inzage):
    w = wereld_inzage
    d = w["deelnemer"]
    data = _json(client, w["users"]["regie", PRIV], d)
    onderdelen = {o["soort"]: o for o in data["gegevens"]}
    specs = inzage.modellen()
    assert list(onderdelen) == [s.sleutel for s in specs]
    velden = {}
    for spec in specs:
        rijen = onderdelen[spec.sleutel]["rijen"]
        assert rijen, f"geen {spec.sleutel} in de inzage: vul het dossier van de test aan"
        for rij in rijen:
            namen = [v["veld"] for v in rij["velden"]]
            assert namen == [f.name for f in spec.velden], spec.sleutel
            for v in rij["velden"]:
                velden[spec.sleutel, rij["nummer"], v["veld"]] = v
    for (sleutel, pk, naam), marker in w["markers"].items():
        assert velden[sleutel, pk, naam]["waarde"] == marker, (sleutel, naam)
    # Each field's category, medisch for a medical journal entry.
    medisch = {
        (sleutel, pk)
        for sleutel, model in (("deelnemers.contactmoment", Contactmoment), ("taken.taak", Taak))
        for pk in model.objects.filter(medisch=True).values_list("pk", flat=True)
    }
    for (sleutel, pk, naam), v in velden.items():
        model = next(s.model for s in specs if s.sleutel == sleutel)
        verwacht = model.CATEGORIEEN[naam]
        if (sleutel, pk) in medisch:
            verwacht = Categorie.MEDISCH
        assert v["categorie"] == verwacht.value, (sleutel, naam)
        assert v["omschrijving"] == str(model._meta.get_field(naam).verbose_name)
    # The person's own BSN in full; codes with their labels; ISO dates; numbers exact.
    persoon = {v["veld"]: v for v in onderdelen["deelnemers.deelnemer"]["rijen"][0]["velden"]}
    assert persoon["bsn"]["waarde"] == d.bsn
    assert persoon["geboortedatum"]["waarde"] == "1971-02-03"
    assert persoon["geboortedatum"]["weergave"] == "3-2-1971"
    assert persoon["taalachtergrond"]["weergave"] == "NT2 (Nederlands als tweede taal)"
    assert persoon["verwijzer"]["waarde"] == "Org verwijzer"
    assert sorted(persoon["doelgroepen"]["waarde"]) == sorted(str(g) for g in d.doelgroepen.all())
    assert persoon["inburgeringsplichtig"]["waarde"] is True
    instrument = {
        v["veld"]: v for v in onderdelen["trajecten.instrumentinzet"]["rijen"][0]["velden"]
    }
    soort = instrument["instrument"]
    assert (soort["waarde"], soort["weergave"]) == ("heftruck", "Heftruckcertificaat")
    assert soort["categorie"] == "instrumenten"
    assert instrument["kosten"]["waarde"] == "12345.67"
    assert instrument["kosten"]["weergave"] == "€ 12.345,67"
    assert instrument["kosten"]["categorie"] == "financieel"
    # Nothing of the other participant, not even where it shares the trajectory's people.
    tekst = json.dumps(data, ensure_ascii=False)
    for marker in w["andere_markers"].values():
        assert _tekst_van(marker) not in tekst
    assert w["ander"].bsn not in tekst
    assert data["inzage"]["deelnemer"] == {"nummer": d.pk, "naam": d.naam}


def test_pdf_bevat_elke_marker_en_niets_van_een_ander(client, wereld_inzage):
    w = wereld_inzage
    d = w["deelnemer"]
    client.force_login(w["users"]["regie", KM])
    response = client.get(_url("inzage_pdf", d))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="inzage-')
    tekst = pdf_tekst(response.content)
    plat = _plat(tekst)
    ontbreekt = [m for m in w["markers"].values() if _tekst_van(m) not in plat]
    assert not ontbreekt
    assert not [m for m in w["andere_markers"].values() if _tekst_van(m) in plat]
    assert d.bsn in plat
    assert w["ander"].bsn not in plat
    for verwacht in (
        "Inzage in uw gegevens",
        "Uw rechten",
        "Autoriteit Persoonsgegevens",
        "3-2-1971",  # the project's date format
        "Heftruckcertificaat",
        "€ 12.345,67",
        *inzage.GROEPEN[:-1],
    ):
        assert _plat(verwacht) in plat, verwacht


def _bezoek(client, user, naam, d, post=False):
    client.force_login(user)
    url = _url(naam, d)
    return client.post(url) if post else client.get(url)


def test_elke_verwerking_staat_in_de_inzage(client, wereld_inzage):
    w = wereld_inzage
    d, users = w["deelnemer"], w["users"]
    bezoeken = [
        (("regie", KM), "dossier", False, "dossier", 200),
        (("regie", MAN), "bsn", True, "bsn_raadplegen", 200),
        (("aanbieder", TB), "dossier", False, "dossier", 200),
        (("verwijzer", KP), "dossier", False, "dossier", 200),
        (("host", TB), "uren", False, "urenregistratie", 200),
        (("vreemd", KM), "dossier", False, "dossier", 404),  # refused, and logged as such
    ]
    for (org, rol), naam, post, _, status in bezoeken:
        assert _bezoek(client, users[org, rol], naam, d, post).status_code == status, naam

    privacy = users["regie", PRIV]
    data = _json(client, privacy, d)
    verwerkingen = data["verwerkingen"]
    assert len(verwerkingen) == AuditRecord.objects.filter(deelnemer=d).count() - 1
    for (org, rol), _, _, code, status in bezoeken:
        activiteit = ACTIVITEITEN[code]
        gevonden = [
            v
            for v in verwerkingen
            if v["organisatie"] == f"Org {org}"
            and v["rol"] == rol
            and v["verwerkingsactiviteit"] == code
        ]
        assert gevonden, (org, rol, code)
        v = gevonden[0]
        assert v["gebruikersnaam"] == f"{org}-{rol.value}"
        assert v["rol_naam"] == rol.label
        assert (v["actie"] == "geweigerd") is (status == 404)
        if status == 200:
            assert v["doel"] == activiteit.doel
            assert v["grondslag"] == activiteit.grondslag
            assert v["verwerkingsactiviteit_naam"] == activiteit.naam
            assert v["categorieen"]
        assert dt.datetime.fromisoformat(v["tijdstip"]).tzinfo is not None
    tijdstippen = [v["tijdstip"] for v in verwerkingen]
    assert tijdstippen == sorted(tijdstippen)  # oldest first
    soorten = {o["naam"]: o for o in data["organisaties"]}
    assert soorten["Org verwijzer"]["soort"] == "Reclassering"
    assert "heeft u aangemeld voor het traject" in soorten["Org verwijzer"]["betrokkenheid"]

    # The same in the PDF, in words: who, in which role, what for.
    client.force_login(privacy)
    plat = _plat(pdf_tekst(client.get(_url("inzage_pdf", d)).content))
    for (org, rol), _, _, code, status in bezoeken:
        assert _plat(f"Org {org}") in plat
        assert _plat(rol.label) in plat
        assert _plat(inzage.ROL_UITLEG[rol]) in plat
        if status == 200:
            assert _plat(ACTIVITEITEN[code].naam) in plat
            assert _plat(ACTIVITEITEN[code].doel) in plat
    assert _plat("Geweigerd") in plat
    assert _plat("Reclassering") in plat


def test_de_inzage_wordt_zelf_gelogd(client, wereld_inzage):
    w = wereld_inzage
    d, privacy = w["deelnemer"], w["users"]["regie", PRIV]
    eerste = _json(client, privacy, d)
    assert not [v for v in eerste["verwerkingen"] if v["actie"] == "inzage"]
    record = AuditRecord.objects.get(deelnemer=d, actie=AuditRecord.Actie.INZAGE)
    assert record.activiteit.code == "inzage"
    assert record.omschrijving == "inzage als JSON"
    assert record.rol == PRIV
    assert set(record.categorieen) == set(ACTIVITEITEN["inzage"].categorieen)
    tweede = _json(client, privacy, d)
    inzagen = [v for v in tweede["verwerkingen"] if v["actie"] == "inzage"]
    assert [(v["omschrijving"], v["rol"], v["actie_naam"]) for v in inzagen] == [
        ("inzage als JSON", PRIV, "Inzage verstrekt")
    ]
    assert len(tweede["verwerkingen"]) == len(eerste["verwerkingen"]) + 1

    client.force_login(w["users"]["regie", KM])
    assert client.get(_url("inzage_pdf", d)).status_code == 200
    assert AuditRecord.objects.filter(
        deelnemer=d, actie="inzage", omschrijving="inzage als PDF", rol=KM
    ).exists()
    # The page that offers it is logged as viewed under the inzage activity.
    assert client.get(_url("inzage", d)).status_code == 200
    assert AuditRecord.objects.filter(
        deelnemer=d, actie="bekeken", activiteit__code="inzage"
    ).exists()
    # The full BSN is in the inzage, never in the log.
    assert not AuditRecord.objects.filter(omschrijving__contains=d.bsn).exists()


TOEGESTAAN = {("regie", KM), ("regie", PRIV)}


@pytest.mark.parametrize("naam", ["inzage", "inzage_pdf", "inzage_json"])
def test_wie_inzage_mag_geven(client, wereld_inzage, naam):
    w = wereld_inzage
    d = w["deelnemer"]
    for org in ORGANISATIES:
        for rol in Rol:
            client.force_login(w["users"][org, rol])
            response = client.get(_url(naam, d))
            verwacht = 200 if (org, rol) in TOEGESTAAN else 404
            assert response.status_code == verwacht, (org, rol.value)
            if verwacht == 200 and naam != "inzage":
                assert response["Content-Disposition"].startswith("attachment;")
    client.logout()
    assert client.get(_url(naam, d)).status_code == 302


def test_pagina_toont_wat_de_inzage_bevat(client, wereld_inzage):
    w = wereld_inzage
    d = w["deelnemer"]
    client.force_login(w["users"]["regie", PRIV])
    response = client.get(_url("inzage", d))
    tellingen = {onderdeel: aantal for _, onderdeel, aantal in response.context["tellingen"]}
    assert tellingen["Contactmomenten"] == 2
    assert tellingen["Persoonsgegevens"] == 1
    assert all(tellingen.values())
    pagina = response.content.decode()
    assert "Inzage als PDF" in pagina and _url("inzage_pdf", d) in pagina
    assert "Inzage als JSON" in pagina and _url("inzage_json", d) in pagina
    assert d.bsn not in pagina


def test_dossier_linkt_naar_de_inzage_voor_wie_hem_mag_geven(client, wereld_inzage):
    w = wereld_inzage
    d = w["deelnemer"]
    for rol, zichtbaar in ((KM, True), (MAN, False)):
        client.force_login(w["users"]["regie", rol])
        pagina = client.get(_url("dossier", d)).content.decode()
        assert (_url("inzage", d) in pagina) is zichtbaar, rol


def _tabellen(queries):
    return sorted(re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in queries)


def test_vast_aantal_queries(wereld_inzage):
    """One query per model, whatever the number of rows: names and kinds looked up along."""
    w = wereld_inzage
    d = w["deelnemer"]
    specs = inzage.modellen()
    verwacht = sorted(
        [s.model._meta.db_table for s in specs]
        # the doelgroepen and an appointment's staff (many-to-many), the log, the kinds of
        # the organisations in it
        + ["deelnemers_doelgroep", "accounts_gebruiker"]
        + ["audit_auditrecord", "accounts_organisatie"]
    )
    AuditRecord.objects.create(gebruikersnaam="x", organisatie="Org regie", deelnemer=d)
    with CaptureQueriesContext(connection) as weinig:
        kort = inzage.inzage_van(deelnemer=d)
    assert _tabellen(weinig.captured_queries) == verwacht

    # A second set of every kind of row, at other workplaces and organisations.
    users = w["users"]
    _dossier(
        d,
        km=users["regie", KM],
        tb=GebruikerFactory(rol=TB),
        aanbieder=w["org"]["vreemd"],
        werkplek=WerkplekFactory(),
        dagen=400,
    )
    d.doelgroepen.add(*Doelgroep.objects.all()[2:4])
    AuditRecord.objects.create(gebruikersnaam="y", organisatie="Org host", deelnemer=d)
    with CaptureQueriesContext(connection) as meer:
        lang = inzage.inzage_van(deelnemer=d)
    assert _tabellen(meer.captured_queries) == verwacht
    aantal = {o.sleutel: len(o.rijen) for o in lang.onderdelen}
    assert all(aantal[o.sleutel] > len(o.rijen) for o in kort.onderdelen[1:]), aantal
