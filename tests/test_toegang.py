"""Every URL, every role: who gets in, who gets a 404, and that anonymous users must log in.

The walk over the URLconf fails when a URL is added without an entry here, so a new view
cannot ship without its access rules being stated and tested.
"""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from trajecten.models import PlanVanAanpak, Voortgangsrapportage
from werkplekken.models import Wachtlijstplaats

from .conftest import pagina_tekst, url_namen

KM, TB, MAN, KP, BEH, PRIV = (
    Rol.KLANTMANAGER,
    Rol.TRAJECTBEGELEIDER,
    Rol.MANAGER,
    Rol.KETENPARTNER,
    Rol.BEHEERDER,
    Rol.PRIVACY,
)
ALLE = (KM, TB, MAN, KP, BEH, PRIV)


def _deelnemer(w):
    return {"pk": w.deelnemer.pk}


def _werkplek(w):
    return {"pk": w.werkplek.pk}


def _taak(w):
    from tests.factories import TaakFactory

    return {"pk": TaakFactory(deelnemer=w.deelnemer, eigenaar=w.gebruikers[KM]).pk}


def _vreemde_taak(w):
    from tests.factories import TaakFactory

    return {"pk": TaakFactory(deelnemer=w.vreemde_deelnemer, eigenaar=w.buitenstaander).pk}


def _vreemde_deelnemer(w):
    return {"pk": w.vreemde_deelnemer.pk}


def _vreemde_werkplek(w):
    return {"pk": w.vreemde_werkplek.pk}


def _traject(w):
    return {"pk": w.traject.pk}


def _vreemd_traject(w):
    return {"pk": w.vreemd_traject.pk}


def _contract(w, traject=None):
    from tests.factories import ContractFactory

    traject = traject or w.traject
    contract = traject.contracten.last() or ContractFactory(traject=traject)
    return {"pk": traject.pk, "contract": contract.pk}


def _vreemd_contract(w):
    return _contract(w, w.vreemd_traject)


def _nazorg(w, verwijzer=None, aanbieder=None):
    """Seven months after uitstroom to work: the follow-up at six months is due."""
    from tests.factories import DeelnemerFactory, TrajectFactory, UitstroomFactory

    datum = timezone.localdate() - relativedelta(months=7)
    deelnemer = DeelnemerFactory(
        verwijzer=verwijzer or w.verwijzer, klantmanager=None if verwijzer else w.gebruikers[KM]
    )
    traject = TrajectFactory(
        deelnemer=deelnemer,
        aanbieder=aanbieder or w.eigen,
        afgesloten=True,
        startdatum=datum - relativedelta(months=7),
        einddatum=datum,
    )
    UitstroomFactory(traject=traject, datum=datum)
    return {"pk": traject.pk, "moment": 6}


def _vreemde_nazorg(w):
    return _nazorg(w, verwijzer=w.vreemd, aanbieder=w.vreemd)


def _plan(w, traject=None):
    traject = traject or w.traject
    plan, _ = PlanVanAanpak.objects.get_or_create(
        traject=traject,
        versie=1,
        defaults={"afstand_tot_arbeidsmarkt": "lang", "opgesteld_door": w.gebruikers[KM]},
    )
    return {"pk": traject.pk, "versie": plan.versie}


def _vreemd_plan(w):
    return _plan(w, w.vreemd_traject)


def _rapportage(w, traject=None):
    traject = traject or w.traject
    vandaag = timezone.localdate()
    rapportage, _ = Voortgangsrapportage.objects.get_or_create(
        traject=traject,
        defaults={
            "aanleiding": "tussentijds",
            "periode_van": vandaag,
            "periode_tot": vandaag,
            "advies": "verlengen",
            "opgesteld_door": w.gebruikers[KM],
        },
    )
    return {"pk": traject.pk, "rapportage": rapportage.pk}


def _vreemde_rapportage(w):
    return _rapportage(w, w.vreemd_traject)


def _opdracht(w, gebruiker=None, **velden):
    """A batch print of the manager (or ``gebruiker``): only its owner sees it."""
    from reintegratie.afdrukken.models import Afdrukopdracht

    gebruiker = gebruiker or w.gebruikers[MAN]
    opdracht = Afdrukopdracht.objects.create(
        gebruiker=gebruiker,
        organisatie=gebruiker.organisatie,
        soort="deze_week",
        periode=timezone.localdate(),
        **velden,
    )
    return {"pk": opdracht.pk}


def _vreemde_opdracht(w):
    return _opdracht(w, w.buitenstaander)


def _klare_opdracht(w, gebruiker=None):
    return _opdracht(w, gebruiker, status="klaar", pdf=b"%PDF-1.4\n%%EOF\n")


def _bijeenkomst(w, vreemd=False):
    """An occurrence of our meeting with the reclassering, our participant on its agenda;
    or one of the other organisation's meeting, with its participant."""
    from reintegratie.overleg.models import Bespreking

    from .factories import BijeenkomstFactory, OverlegFactory

    if vreemd:
        overleg = OverlegFactory(organisator=w.vreemd, aangemaakt_door=w.buitenstaander)
    else:
        overleg = OverlegFactory(
            organisator=w.eigen, partners=[w.verwijzer], aangemaakt_door=w.gebruikers[KM]
        )
    bijeenkomst = BijeenkomstFactory(overleg=overleg)
    bespreking = Bespreking.objects.create(
        bijeenkomst=bijeenkomst,
        deelnemer=w.vreemde_deelnemer if vreemd else w.deelnemer,
        volgorde=1,
    )
    return {"pk": bijeenkomst.pk, "overleg": overleg.pk, "bespreking": bespreking.pk}


def _in(sleutel, vreemd=False):
    return lambda w: {"pk": _bijeenkomst(w, vreemd)[sleutel]}


def _intake(w):
    return {"pk": w.intake.pk}


def _vreemde_intake(w):
    return {"pk": w.vreemde_intake.pk}


def _groep(w, organisatie=None):
    """A group of the organisation (ours by default) with our participant, yesterday's
    session and next week's; made once per organisation, so a form's page and its action
    meet the same group."""
    from tests.factories import GroepFactory, GroepsbijeenkomstFactory, LidmaatschapFactory

    organisatie = organisatie or w.eigen
    groepen = w.__dict__.setdefault("groepen", {})
    if organisatie.pk not in groepen:
        deelnemer = w.deelnemer if organisatie == w.eigen else w.vreemde_deelnemer
        groep = GroepFactory(organisatie=organisatie)
        groepen[organisatie.pk] = (
            groep,
            LidmaatschapFactory(groep=groep, deelnemer=deelnemer),
            GroepsbijeenkomstFactory(groep=groep),
            GroepsbijeenkomstFactory(groep=groep, dagen=-7),
        )
    return groepen[organisatie.pk]


def _groep_pk(w, organisatie=None):
    return {"pk": _groep(w, organisatie)[0].pk}


def _lid(w, organisatie=None):
    return {"pk": _groep(w, organisatie)[1].pk}


def _groepsbijeenkomst(w, organisatie=None):
    return {"pk": _groep(w, organisatie)[2].pk}


def _komende_groepsbijeenkomst(w, organisatie=None):
    return {"pk": _groep(w, organisatie)[3].pk}


def _afspraak(w, deelnemer=None):
    from tests.factories import AfspraakFactory

    afspraak = AfspraakFactory(deelnemer=deelnemer or w.deelnemer, medewerkers=[w.gebruikers[KM]])
    return {"pk": afspraak.pk}


def _vreemde_afspraak(w):
    return _afspraak(w, w.vreemde_deelnemer)


def _wachtende(w, deelnemer=None):
    deelnemer = deelnemer or w.deelnemer
    plaats = Wachtlijstplaats.objects.create(
        werkplek=w.werkplek,
        deelnemer=deelnemer,
        aangemeld_op=timezone.now(),
        aangemeld_door=w.gebruikers[KM],
    )
    return {"pk": deelnemer.pk, "plaats": plaats.pk}


def _vreemde_wachtende(w):
    return _wachtende(w, w.vreemde_deelnemer)


# name -> (kwargs for our object, kwargs for an outsider's object, roles that get a 200).
# Roles not listed get a 404: the default is no.
URLS = {
    "start": (None, None, ALLE),
    "afdrukken_week": (None, None, (KM, MAN)),
    "afdrukken_week_pdf": (None, None, (KM, MAN)),
    # A batch print is its owner's alone: the klantmanager of the same organisation gets a 404.
    "afdrukopdracht": (_opdracht, _vreemde_opdracht, (MAN,)),
    "afdrukopdracht_pdf": (_klare_opdracht, lambda w: _klare_opdracht(w, w.buitenstaander), (MAN,)),
    "resultaten": (None, None, (MAN,)),
    "kosten": (None, None, (MAN,)),
    "doelstellingen": (None, None, (MAN,)),
    "dashboard": (None, None, (MAN,)),
    "dashboard_opnieuw_tellen": (None, None, (MAN,)),
    "deelnemers:lijst": (None, None, (KM, TB, MAN, KP, PRIV)),
    "deelnemers:export": (None, None, (KM, MAN)),
    "deelnemers:intake_start": (None, None, (KM,)),
    "deelnemers:intake": (_intake, _vreemde_intake, (KM,)),
    "deelnemers:dossier": (_deelnemer, _vreemde_deelnemer, (KM, TB, MAN, KP, PRIV)),
    "deelnemers:bewerken": (_deelnemer, _vreemde_deelnemer, (KM,)),
    "deelnemers:dossier_pdf": (_deelnemer, _vreemde_deelnemer, (KM, MAN)),
    "deelnemers:bsn": (_deelnemer, _vreemde_deelnemer, (KM, MAN, PRIV)),
    "deelnemers:contactmoment": (_deelnemer, _vreemde_deelnemer, (KM, TB)),
    "deelnemers:ladder": (_deelnemer, _vreemde_deelnemer, (KM,)),
    "deelnemers:plaatsing_nieuw": (_deelnemer, _vreemde_deelnemer, (KM, MAN)),
    # Who places records the participant's own choice and the waiting list (Handeling.PLAATSEN).
    "deelnemers:voorkeuren": (_deelnemer, _vreemde_deelnemer, (KM, MAN)),
    "deelnemers:wie_past_waar": (_deelnemer, _vreemde_deelnemer, (KM, MAN)),
    "deelnemers:wachtlijst": (_deelnemer, _vreemde_deelnemer, (KM, MAN)),
    "deelnemers:van_wachtlijst": (_wachtende, _vreemde_wachtende, (KM, MAN)),
    # The manager as host of the workplace: locked hours are corrected there.
    "deelnemers:uren_registreren": (_deelnemer, _vreemde_deelnemer, (KM, TB, MAN)),
    "deelnemers:uren": (_deelnemer, _vreemde_deelnemer, (KM, TB, MAN)),
    # AVG art. 15: the regie's klantmanager and privacy officer give it (tests/test_inzage.py).
    "deelnemers:inzage": (_deelnemer, _vreemde_deelnemer, (KM, PRIV)),
    "deelnemers:inzage_pdf": (_deelnemer, _vreemde_deelnemer, (KM, PRIV)),
    "deelnemers:inzage_json": (_deelnemer, _vreemde_deelnemer, (KM, PRIV)),
    "trajecten:plan": (_traject, _vreemd_traject, (KM, MAN, TB)),
    "trajecten:plan_nieuwe_versie": (_traject, _vreemd_traject, (KM, MAN)),
    "trajecten:plan_ondertekenen": (_plan, _vreemd_plan, (KM, MAN)),
    "trajecten:plan_pdf": (_plan, _vreemd_plan, (KM, MAN)),
    "trajecten:werkervaringsovereenkomst": (_traject, _vreemd_traject, (KM, MAN)),
    "trajecten:rapportage_nieuw": (_traject, _vreemd_traject, (KM, MAN)),
    "trajecten:instrument_nieuw": (_traject, _vreemd_traject, (KM,)),
    # The contract chain and the follow-up are decisions on the trajectory (BESLUITEN).
    "trajecten:contract_nieuw": (_traject, _vreemd_traject, (KM,)),
    "trajecten:contract_beeindigen": (_contract, _vreemd_contract, (KM,)),
    "trajecten:nazorg": (_nazorg, _vreemde_nazorg, (KM,)),
    # Who pays is the regie's decision; the ESF statement for whoever reads financieel.
    "trajecten:financiering": (_traject, _vreemd_traject, (KM,)),
    "trajecten:esf_urenstaat": (_deelnemer, _vreemde_deelnemer, (KM, MAN)),
    "trajecten:rapportage": (_rapportage, _vreemde_rapportage, (KM, MAN, KP)),
    "trajecten:rapportage_bewerken": (_rapportage, _vreemde_rapportage, (KM, MAN)),
    "trajecten:rapportage_pdf": (_rapportage, _vreemde_rapportage, (KM, MAN, KP)),
    "trajecten:verlengen": (_traject, _vreemd_traject, (KM,)),
    "trajecten:volgende_fase": (_traject, _vreemd_traject, (KM,)),
    "trajecten:overdragen": (_traject, _vreemd_traject, (KM,)),
    "trajecten:afsluiten": (_traject, _vreemd_traject, (KM,)),
    # Tasks: the owner's list; a task by hand and finishing or changing one for who writes
    # the participant's journal (or owns the task); handing over the caseload, klantmanager.
    "taken:mijn": (None, None, (KM, TB, MAN)),
    "taken:nieuw": (_deelnemer, _vreemde_deelnemer, (KM, TB)),
    "taken:afronden": (_taak, _vreemde_taak, (KM, TB)),
    "taken:wijzigen": (_taak, _vreemde_taak, (KM, TB)),
    "taken:overdragen": (None, None, (KM,)),
    "werkplekken:lijst": (None, None, (KM, TB, MAN)),
    "werkplekken:bezetting": (None, None, (KM, TB, MAN)),  # counts only
    "werkplekken:situatie": (None, None, (KM, TB, MAN)),
    "werkplekken:detail": (_werkplek, _vreemde_werkplek, (KM, TB, MAN)),
    # Candidates among whom the user may place; for the others an empty list.
    "werkplekken:kandidaten": (_werkplek, _vreemde_werkplek, (KM, TB, MAN)),
    "werkplekken:week": (_werkplek, _vreemde_werkplek, (TB, MAN)),
    "werkplekken:observaties": (_werkplek, _vreemde_werkplek, (TB, MAN)),
    "werkplekken:aanwezigheid": (_werkplek, _vreemde_werkplek, (KM, TB, MAN)),
    # The groups of the own organisation; joining, leaving and attendance per member by the
    # matrix (uren_schrijven: here the manager too, as host of the placement).
    "groepen:lijst": (None, None, (KM, TB, MAN)),
    "groepen:nieuw": (None, None, (KM, TB, MAN)),
    "groepen:detail": (_groep_pk, lambda w: _groep_pk(w, w.vreemd), (KM, TB, MAN)),
    "groepen:uitschrijven": (_lid, lambda w: _lid(w, w.vreemd), (KM, TB, MAN)),
    "groepen:aanwezigheid": (
        _groepsbijeenkomst,
        lambda w: _groepsbijeenkomst(w, w.vreemd),
        (KM, TB, MAN),
    ),
    "groepen:verzetten": (
        _komende_groepsbijeenkomst,
        lambda w: _komende_groepsbijeenkomst(w, w.vreemd),
        (KM, TB, MAN),
    ),
    # The user's own password and session; the beheerder unlocks his own organisation's
    # accounts (tests/test_inloggen.py).
    "accounts:wachtwoord": (None, None, ALLE),
    "accounts:sessie": (None, None, ALLE),
    "accounts:vergrendeld": (None, None, (BEH,)),
    "accounts:ontgrendelen": (
        lambda w: {"pk": w.gebruikers[KM].pk},
        lambda w: {"pk": w.buitenstaander.pk},
        (BEH,),
    ),
    # The user's own second step: no participant data, every role.
    "tweestaps:overzicht": (None, None, ALLE),
    "tweestaps:backupcodes": (None, None, ALLE),
    "verwerkingen": (None, None, (MAN, PRIV)),
    # Partner meetings: every partner's staff take part, the case staff of the organiser
    # plan them (tests/test_overleg.py: who sees which participant there).
    "overleg:lijst": (None, None, (KM, TB, MAN, KP)),
    "overleg:nieuw": (None, None, (KM, MAN)),
    "overleg:aanwezigen": (None, None, (KM, MAN)),
    "overleg:detail": (_in("overleg"), _in("overleg", True), (KM, TB, MAN, KP)),
    "overleg:wijzigen": (_in("overleg"), _in("overleg", True), (KM, MAN)),
    "overleg:vooruit": (_in("overleg"), _in("overleg", True), (KM, MAN)),
    "overleg:bijeenkomst": (_in("pk"), _in("pk", True), (KM, TB, MAN, KP)),
    "overleg:verplaatsen": (_in("pk"), _in("pk", True), (KM, MAN)),
    "overleg:pakket": (_in("pk"), _in("pk", True), (KM, TB, MAN, KP)),
    "overleg:bespreking": (_in("bespreking"), _in("bespreking", True), (KM, TB, MAN, KP)),
    "verwerkingen_export": (None, None, (MAN, PRIV)),
    "verwerkingen_register": (None, None, ALLE),
    "verwerkingen_deelnemer": (_deelnemer, _vreemde_deelnemer, (KM, MAN, PRIV)),
    # The team's week; planning and outcomes for who writes the participant's journal.
    "agenda:week": (None, None, (KM, TB, MAN)),
    "agenda:nieuw": (None, None, (KM, TB)),
    "agenda:medewerkers": (None, None, (KM, TB)),
    "agenda:plannen": (_deelnemer, _vreemde_deelnemer, (KM, TB)),
    "agenda:wijzigen": (_afspraak, _vreemde_afspraak, (KM, TB)),
    "agenda:uitkomst": (_afspraak, _vreemde_afspraak, (KM, TB)),
    # The user's own feed setting: no participant data, every role.
    "agenda:feed_instellingen": (None, None, ALLE),
}
# State changes are POST only; these are tested with a POST (an empty one: the view must
# refuse or render the form again, never act).
ALLEEN_POST = {
    "afdrukken_week_pdf",
    "accounts:ontgrendelen",
    "tweestaps:backupcodes",
    "dashboard_opnieuw_tellen",
    "deelnemers:bsn",
    "deelnemers:contactmoment",
    "deelnemers:ladder",
    "trajecten:plan_nieuwe_versie",
    "trajecten:plan_ondertekenen",
    "overleg:vooruit",
    "overleg:pakket",
    "taken:nieuw",
    "taken:afronden",
    "groepen:uitschrijven",
    "agenda:uitkomst",
    "deelnemers:van_wachtlijst",
}
# These answer an allowed request with a redirect back to the page they act on.
DOORSTUREN = {
    "accounts:ontgrendelen",  # back to the list of locked accounts
    "dashboard_opnieuw_tellen",
    "trajecten:plan_nieuwe_versie",
    "afdrukken_week_pdf",  # nothing due this week in the fixture: back to the list
    "overleg:vooruit",  # back to the meeting
    "overleg:pakket",  # on to the batch's page, where a task worker makes the pack
    "taken:afronden",  # an empty POST finishes nothing: back to the dossier
    "agenda:uitkomst",  # no outcome chosen: back to the dossier with the message
    "deelnemers:van_wachtlijst",  # off the list: back to the dossier's placements
}
# Django's own: the log-in page is public, log-out is POST-only, the admin checks is_staff.
BUITEN_BESCHOUWING = {"login", "logout"}
# The second step, between the password and the rest (tests/test_tweestaps.py).
BUITEN_BESCHOUWING |= {"tweestaps:controleren", "tweestaps:instellen"}
# The load balancer's health check: public, no participant data (tests/test_gezondheid.py).
BUITEN_BESCHOUWING |= {"gezondheid"}
# The iCalendar feed: no session, its secret token is the key (tests/test_agenda.py).
BUITEN_BESCHOUWING |= {"agenda:feed"}


def test_elke_url_heeft_toegangsregels():
    namen = url_namen() - BUITEN_BESCHOUWING
    assert namen == set(URLS), "Voeg de nieuwe URL met zijn toegangsregels toe aan URLS."


def _url(naam, maker, wereld):
    return reverse(naam, kwargs=maker(wereld) if maker else None)


def _vraag(client, naam, url):
    return client.post(url) if naam in ALLEEN_POST else client.get(url)


@pytest.mark.parametrize("naam", sorted(ALLEEN_POST))
def test_alleen_post(client, wereld, naam):
    eigen, _, toegestaan = URLS[naam]
    client.force_login(wereld.gebruikers[toegestaan[0]])
    assert client.get(_url(naam, eigen, wereld)).status_code == 405


@pytest.mark.parametrize("naam", sorted(URLS))
def test_anoniem_moet_inloggen(client, wereld, naam):
    eigen, _, _ = URLS[naam]
    response = _vraag(client, naam, _url(naam, eigen, wereld))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rol", ALLE, ids=[r.value for r in ALLE])
@pytest.mark.parametrize("naam", sorted(URLS))
def test_rol_matrix(client, wereld, naam, rol):
    eigen, _, toegestaan = URLS[naam]
    client.force_login(wereld.gebruikers[rol])
    response = _vraag(client, naam, _url(naam, eigen, wereld))
    ok = 302 if naam in DOORSTUREN else 200
    assert response.status_code == (ok if rol in toegestaan else 404)


@pytest.mark.parametrize("naam", sorted(n for n, (e, v, _) in URLS.items() if v))
@pytest.mark.parametrize("rol", ALLE, ids=[r.value for r in ALLE])
def test_object_van_een_andere_organisatie_geeft_404(client, wereld, naam, rol):
    _, vreemd, _ = URLS[naam]
    client.force_login(wereld.gebruikers[rol])
    assert _vraag(client, naam, _url(naam, vreemd, wereld)).status_code == 404


@pytest.mark.parametrize("naam", sorted(n for n, (e, v, _) in URLS.items() if v))
def test_buitenstaander_krijgt_404_op_ons_object(client, wereld, naam):
    eigen, _, _ = URLS[naam]
    client.force_login(wereld.buitenstaander)
    assert _vraag(client, naam, _url(naam, eigen, wereld)).status_code == 404


@pytest.mark.parametrize("rol", (KM, TB, MAN, KP), ids=lambda r: r.value)
def test_lijst_toont_alleen_zichtbare_deelnemers(client, wereld, rol):
    client.force_login(wereld.gebruikers[rol])
    inhoud = pagina_tekst(client.get(reverse("deelnemers:lijst")))
    assert wereld.deelnemer.achternaam in inhoud
    assert wereld.vreemde_deelnemer.achternaam not in inhoud


def test_ketenpartner_ziet_alleen_eigen_verwijzingen(client, wereld):
    """A referral partner does not see a participant it did not refer, even at a shared place."""
    from tests.factories import DeelnemerFactory, PlaatsingFactory

    ander = DeelnemerFactory(verwijzer=wereld.eigen)
    PlaatsingFactory(deelnemer=ander, werkplek=wereld.werkplek)
    client.force_login(wereld.gebruikers[KP])
    assert client.get(reverse("deelnemers:dossier", kwargs={"pk": ander.pk})).status_code == 404


def test_dossier_inzien_laat_auditrecord_achter(client, wereld):
    gebruiker = wereld.gebruikers[MAN]
    client.force_login(gebruiker)
    client.get(reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk}))
    record = AuditRecord.objects.get(deelnemer=wereld.deelnemer, actie=AuditRecord.Actie.BEKEKEN)
    assert (record.gebruiker, record.organisatie, record.rol) == (
        gebruiker,
        wereld.eigen.naam,
        MAN.value,
    )


def test_geweigerde_toegang_wordt_gelogd_zonder_gegevens(client, wereld):
    """A refused attempt is logged as refused: who, which activity, which participant, and
    no data category, since nothing was shown."""
    client.force_login(wereld.buitenstaander)
    url = reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk})
    assert client.get(url + "?q=123456782").status_code == 404
    record = AuditRecord.objects.get()
    assert record.actie == AuditRecord.Actie.GEWEIGERD
    assert record.gebruiker == wereld.buitenstaander
    assert record.deelnemer_id == wereld.deelnemer.pk
    assert record.activiteit.code == "dossier"
    assert record.categorieen == []
    assert record.omschrijving == f"GET {url}"  # the path, never the query string
