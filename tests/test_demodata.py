"""The demo data obeys the same rules as real data, and every demo role has something to see."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Deelnemer, LadderTrede
from reintegratie.accounts.models import Gebruiker
from reintegratie.groepen.models import Aanwezigheid
from reintegratie.validators import BSNValidator
from trajecten.models import Fase, Traject, Urenregistratie

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("demodata", deelnemers=80, verbosity=0)


def test_weigert_zonder_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demodata", deelnemers=5)


def test_geldige_bsns(demo):
    valideer = BSNValidator()
    for bsn in Deelnemer.objects.values_list("bsn", flat=True):
        valideer(bsn)


def test_elke_status_en_afgesloten_heeft_uitstroom(demo):
    assert set(Traject.objects.values_list("status", flat=True)) == set(Traject.Status.values)
    assert not Traject.objects.filter(status=Traject.Status.AFGESLOTEN, uitstroom=None).exists()


def test_lopende_trajecten_zijn_begonnen(demo):
    # Only aangemelde trajectories start in the future (the intake sets a start a week on).
    vandaag = timezone.localdate()
    begonnen = Traject.objects.exclude(status=Traject.Status.AANGEMELD)
    assert not begonnen.filter(startdatum__gt=vandaag).exists()


def test_uren_binnen_budget_en_plafond(demo):
    over_budget = Fase.objects.filter(uren_gebruikt__gt=F("uren_budget"))
    assert not over_budget.exists()
    for traject in Traject.objects.met_uren().filter(trajecttype__max_uren__isnull=False):
        assert traject.uren_gebruikt <= traject.trajecttype.max_uren
    for fase in Fase.objects.annotate(
        geboekt=Sum("uren__uren", filter=Q(uren__soort__in=Urenregistratie.Soort.productief()))
    ):
        assert fase.uren_gebruikt == (fase.geboekt or 0), fase


def test_eerste_en_laatste_trede_op_de_deelnemer(demo):
    """The demo data keeps the participant's first and latest step as a measurement does."""
    gemeten = 0
    for deelnemer in Deelnemer.objects.all():
        treden = list(
            LadderTrede.objects.filter(deelnemer=deelnemer)
            .order_by("datum")
            .values_list("trede", flat=True)
        )
        gemeten += bool(treden)
        verwacht = (treden[0], treden[-1]) if treden else (None, None)
        assert (deelnemer.eerste_trede, deelnemer.laatste_trede) == verwacht, deelnemer
    assert gemeten


def test_uren_vallen_binnen_fase_en_plaatsing(demo):
    buiten_fase = Urenregistratie.objects.filter(
        Q(datum__lt=F("fase__startdatum")) | Q(datum__gt=F("fase__einddatum"))
    )
    assert not buiten_fase.exists()
    # Hours are booked where the participant is placed, or at the workplace of a group
    # session they attended that day (the membership stands in for the placement).
    in_groep = Aanwezigheid.objects.filter(
        deelnemer=OuterRef("deelnemer"),
        bijeenkomst__groep__werkplek=OuterRef("werkplek"),
        bijeenkomst__begin__date=OuterRef("datum"),
        status=Aanwezigheid.Status.AANWEZIG,
    )
    buiten_plaatsing = Urenregistratie.objects.exclude(
        deelnemer__plaatsingen__werkplek=F("werkplek"),
        deelnemer__plaatsingen__startdatum__lte=F("datum"),
    ).exclude(Exists(in_groep))
    assert not buiten_plaatsing.exists()
    assert Urenregistratie.objects.filter(Exists(in_groep)).exists()


@pytest.mark.parametrize(
    ("username", "tekst"),
    [
        ("klantmanager", "Mijn caseload"),
        ("trajectbegeleider", "Uren registreren"),
        ("manager", "Lopende trajecten per fase"),
        ("ketenpartner", "Mijn verwijzingen"),
    ],
)
def test_elke_rol_ziet_data(client, demo, username, tekst):
    gebruiker = Gebruiker.objects.get(username=username)
    client.force_login(gebruiker)
    inhoud = client.get("/").content.decode()
    assert tekst in inhoud
    assert Deelnemer.objects.zichtbaar_voor(gebruiker).exists()


def test_tweede_keer_met_als_leeg_doet_niets(demo):
    aantal = Deelnemer.objects.count()
    call_command("demodata", deelnemers=10, als_leeg=True, verbosity=0)
    assert Deelnemer.objects.count() == aantal


def test_de_demo_klantmanager_houdt_de_regie(client, demo):
    """Every demo case has its regie, so the demo klantmanager can act on the dossier."""
    assert not Deelnemer.objects.filter(regie__isnull=True).exists()
    km = Gebruiker.objects.get(username="klantmanager")
    deelnemer = Deelnemer.objects.filter(klantmanager=km).first()
    client.force_login(km)
    inhoud = client.get(reverse("deelnemers:dossier", args=[deelnemer.pk])).content.decode()
    assert "Gegevens wijzigen" in inhoud


def test_een_terugkerend_partneroverleg_met_verslagen_en_komende_bijeenkomsten(demo):
    from reintegratie.overleg.models import Bespreking, Overleg

    overleg = Overleg.objects.get()
    nu = timezone.now()
    assert overleg.bijeenkomsten.filter(begin__lt=nu).count() >= 2
    assert overleg.bijeenkomsten.filter(begin__gte=nu).exists()
    assert Bespreking.objects.filter(bijeenkomst__begin__lt=nu).exclude(verslag="").exists()
    assert Bespreking.objects.filter(bijeenkomst__begin__gte=nu).exists()


def test_taken_uit_elke_bron_ook_te_laat(demo):
    from reintegratie.taken.models import Taak

    open_ = Taak.objects.open()
    assert set(Taak.objects.values_list("bron", flat=True)) == set(Taak.Bron.values)
    assert open_.filter(vervaldatum__lt=timezone.localdate()).exists()
    assert open_.filter(medisch=True).exists()
    # Every owner can open the file of the task (a task nobody can open, nobody does).
    from reintegratie.access import Categorie, toegang_van

    for taak in open_.select_related("eigenaar", "deelnemer")[:50]:
        nodig = Categorie.MEDISCH if taak.medisch else Categorie.JOURNAAL
        assert toegang_van(taak.eigenaar, taak.deelnemer).leest(nodig), taak


def test_afspraken_komend_gehouden_niet_verschenen_en_te_laat(demo):
    """The demo shows every state of an appointment, the overdue ones included, each with
    the participant's klantmanager or, for a group session, the group's begeleider."""
    from reintegratie.agenda.models import Afspraak

    assert set(Afspraak.objects.values_list("status", flat=True)) == set(Afspraak.Status.values)
    assert Afspraak.objects.gepland().filter(begin__gt=timezone.now()).exists()
    assert Afspraak.objects.te_laat().exists()
    assert not Afspraak.objects.filter(einde__lte=F("begin")).exists()
    assert not Afspraak.objects.filter(begin__week_day__in=[1, 7]).exists()  # no weekends
    # A group session's appointment is with the group's begeleider, the rest with the
    # participant's klantmanager.
    groep = Afspraak.objects.filter(soort=Afspraak.Soort.GROEPSBIJEENKOMST)
    assert groep.exists()
    zonder = Afspraak.objects.exclude(pk__in=groep).exclude(
        medewerkers=F("deelnemer__klantmanager")
    )
    assert not zonder.exists()


def test_voorkeuren_en_wachtlijsten_die_de_demo_rollen_zien(client, demo):
    """The demo klantmanager's dossiers hold preferences and waiting places; the demo
    trajectbegeleider's own workplace has a waiting list, its names only where he may."""
    from werkplekken.models import Voorkeur, Wachtlijstplaats

    km = Gebruiker.objects.get(username="klantmanager")
    assert Voorkeur.objects.filter(deelnemer__klantmanager=km).exists()
    assert Voorkeur.objects.filter(werkplek__isnull=True).exists()  # a werksoort too
    plaats = Wachtlijstplaats.objects.open().filter(deelnemer__klantmanager=km).first()
    client.force_login(km)
    dossier = client.get(reverse("deelnemers:dossier", args=[plaats.deelnemer_id]))
    assert f"{plaats.werkplek.naam}, {plaats.werkplek.organisatie}: plaats" in dossier.text
    tb = Gebruiker.objects.get(username="trajectbegeleider")
    eigen = Wachtlijstplaats.objects.open().filter(werkplek__begeleider=tb).first()
    client.force_login(tb)
    pagina = client.get(reverse("werkplekken:detail", args=[eigen.werkplek_id]))
    assert "Wachtlijst in volgorde van aanmelding" in pagina.text
    # Matching for one of them: the own choice and De Fabriek's mix among the reasons.
    from werkplekken.models import Mixdoel

    assert Mixdoel.objects.filter(organisatie__naam="De Fabriek (PI Almelo)").exists()
    # (Not a workplace the participant works at now: matching leaves that out.)
    metkeuze = (
        Voorkeur.objects.filter(deelnemer__klantmanager=km, werkplek__isnull=False)
        .exclude(werkplek__plaatsingen__deelnemer=F("deelnemer"))
        .order_by("rang", "pk")
        .first()
    )
    client.force_login(km)
    voorstel = client.get(reverse("deelnemers:wie_past_waar", args=[metkeuze.deelnemer_id]))
    assert f"Eigen keuze nummer {metkeuze.rang}: {metkeuze.reden}" in voorstel.text


def test_tarieven_financiers_en_een_carrousel_die_de_manager_ziet(client, demo):
    """The demo prices its trajecttypes (Route Werk's price changed this year), most
    trajectories have funders and some none, and one participant is in a carrousel of
    temporary contracts: the manager's cost report and caseload show all of it."""
    from trajecten.models import Signaal, Tarief

    assert Tarief.objects.filter(trajecttype__naam="Route Werk").count() == 2
    assert Tarief.objects.filter(loonwaarde_vanaf__gt=0).exists()
    manager = Gebruiker.objects.get(username="manager")
    client.force_login(manager)
    kosten = client.get(reverse("kosten")).context["kosten"]
    assert kosten.totaal.tarief > 0
    financiers = {post.label: post.totaal for post in kosten.per_financier}
    assert financiers["Participatiebudget gemeente"] > 0
    assert financiers["Niet toegewezen"] > 0

    carrousel = Traject.objects.met_signaal(Signaal.CARROUSEL)
    assert carrousel.exists()
    lijst = client.get(
        reverse("deelnemers:lijst"), {"klantmanager": "alle", "signaal": Signaal.CARROUSEL}
    )
    assert carrousel.first().deelnemer.naam in lijst.text
