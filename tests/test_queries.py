"""List, detail and start pages run a fixed number of queries, whatever the data size.

Each page is measured with a small and a larger dataset; the count is asserted exactly, with
the expected queries listed, so a query per row shows up as a failure.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment, LadderTrede
from reintegratie.accounts.models import Rol
from reintegratie.overleg import vergaderstukken
from trajecten.models import (
    AfstandTotArbeidsmarkt,
    Instrumentinzet,
    Leerdoel,
    PlanVanAanpak,
    Tarief,
    Voortgangsrapportage,
)
from werkplekken.models import MAX_VOORKEUREN

from .factories import (
    AfspraakFactory,
    ContractFactory,
    DeelnemerFactory,
    NazorgFactory,
    PlaatsingFactory,
    TaakFactory,
    TrajectFactory,
    UitstroomFactory,
    UrenregistratieFactory,
    VoorkeurFactory,
    WachtlijstplaatsFactory,
)


def _plan(traject, leerdoelen):
    plan = PlanVanAanpak.objects.create(
        traject=traject,
        versie=PlanVanAanpak.objects.filter(traject=traject).count() + 1,
        afstand_tot_arbeidsmarkt=AfstandTotArbeidsmarkt.LANG,
        opgesteld_door=traject.deelnemer.klantmanager,
    )
    for _ in range(leerdoelen):
        plan.leerdoelen.create(soort=Leerdoel.Soort.TAAL, omschrijving="Taalniveau 2F halen.")


def _rapportage(traject, leerdoelen):
    """A progress report of today, with progress on ``leerdoelen``."""
    vandaag = timezone.localdate()
    rapportage = Voortgangsrapportage.objects.create(
        traject=traject,
        aanleiding=Voortgangsrapportage.Aanleiding.TUSSENTIJDS,
        periode_van=vandaag,
        periode_tot=vandaag,
        advies=Voortgangsrapportage.Advies.VERLENGEN,
        opgesteld_door=traject.deelnemer.klantmanager,
    )
    for doel in leerdoelen:
        rapportage.leerdoelen.create(leerdoel=doel, status=doel.status)
    return rapportage


def _meer_deelnemers(wereld, aantal):
    """``aantal`` more participants involved with our organisation, placed and with hours;
    and ``aantal`` more plan versions, learning goals and ladder steps on our participant's
    dossier."""
    km = wereld.gebruikers[Rol.KLANTMANAGER]
    _plan(wereld.traject, leerdoelen=1)
    TaakFactory(deelnemer=wereld.deelnemer, eigenaar=km)
    TaakFactory(deelnemer=wereld.deelnemer, eigenaar=wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    _afspraken(wereld.deelnemer, km)
    for n in range(aantal):
        _plan(wereld.traject, leerdoelen=3)
        wereld.traject.instrumenten.create(
            instrument=Instrumentinzet.Instrument.VCA, startdatum=wereld.traject.startdatum
        )
        ContractFactory(
            traject=wereld.traject,
            startdatum=wereld.traject.startdatum + timedelta(days=3 * n),
            einddatum=wereld.traject.startdatum + timedelta(days=3 * n + 2),
        )
        LadderTrede.objects.create(
            deelnemer=wereld.deelnemer,
            datum=wereld.traject.startdatum + timedelta(days=n),
            trede=LadderTrede.Trede.values[n % 6],
        )
        Contactmoment.objects.create(
            deelnemer=wereld.deelnemer,
            soort=Contactmoment.Soort.GESPREK,
            onderwerp=f"Gesprek {n}",
            door=km,
            volgende_actie="Bellen",
        )
        deelnemer = DeelnemerFactory(verwijzer=wereld.verwijzer, klantmanager=km)
        traject = TrajectFactory(deelnemer=deelnemer, aanbieder=wereld.eigen)
        PlaatsingFactory(deelnemer=deelnemer, werkplek=wereld.werkplek, traject=traject)
        UrenregistratieFactory(fase=traject.fasen.get(), werkplek=wereld.werkplek)
        _rapportage(traject, leerdoelen=[])
        TaakFactory(deelnemer=deelnemer, eigenaar=km, te_laat=True)
        TaakFactory(deelnemer=deelnemer, eigenaar=km, afgerond=True)
        _afspraken(deelnemer, km)
        _afspraken(wereld.deelnemer, km)
        # Waiting: the new one at our workplace, ours at one more workplace each time.
        WachtlijstplaatsFactory(werkplek=wereld.werkplek, deelnemer=deelnemer, aangemeld_door=km)
        WachtlijstplaatsFactory(deelnemer=wereld.deelnemer, aangemeld_door=km)
        if n < MAX_VOORKEUREN:
            VoorkeurFactory(deelnemer=wereld.deelnemer, rang=n + 1, vastgelegd_door=km)


def _woensdag_volgende_week():
    vandaag = timezone.localdate()
    woensdag = vandaag + timedelta(days=7 - vandaag.weekday() + 2)
    return timezone.make_aware(datetime.combine(woensdag, time(10)))


def _afspraken(deelnemer, km):
    """Coming (tomorrow, and next week's Wednesday for the week view), overdue and missed
    appointments of ``km`` with ``deelnemer``."""
    AfspraakFactory(deelnemer=deelnemer, medewerkers=[km])
    AfspraakFactory(deelnemer=deelnemer, medewerkers=[km], begin=_woensdag_volgende_week())
    AfspraakFactory(deelnemer=deelnemer, medewerkers=[km], te_laat=True)
    AfspraakFactory(deelnemer=deelnemer, medewerkers=[km], niet_verschenen=True)


# Shared by every page: the session, and the user with its organisation (whose row also
# holds the version the session's second step is checked against: no device query).
SESSIE = 2

pytestmark = pytest.mark.usefixtures("register_in_de_cache")

PAGINAS = [
    # (role, url name, kwargs, queries). The comments list them.
    # the caseload's trajecten with their signals, for the counts and the rows (1), concept
    # intakes (1); "Vandaag en te laat": the user's tasks due with their participants (1); my
    # appointments (1), my overdue ones (1); caseload page (1), fasen of the rows' trajecten
    # (1); one audit insert for every participant the page shows (1); count (1)
    (Rol.KLANTMANAGER, "start", None, SESSIE + 9),
    # werkplekken exists (1) + list (1), plaatsingen (1), uren today (1); "Vandaag en te
    # laat": the user's tasks due (1); my appointments (1), my overdue ones (1); one audit
    # insert for all of them (1)
    (Rol.TRAJECTBEGELEIDER, "start", None, SESSIE + 8),
    # the dashboard: phases (1), hours per week from the week totals (1), capacity per
    # werksoort (1) and placements on it (1), doelgroep mix (1) with the names of its
    # organisations (1) and doelgroepen (1), ladder (1), costs (1); then cached for five
    # minutes; on the start page the trajectories per klantmanager and phase (1), cached too
    (Rol.MANAGER, "start", None, SESSIE + 10),
    (Rol.MANAGER, "dashboard", None, SESSIE + 9),
    # active targets (1) and one query per target (4 shipped: configuration, not data);
    # the filter form's choices: trajecttypes, aanbieders, verwijzers, gemeenten,
    # doelgroepen (5)
    (Rol.MANAGER, "doelstellingen", None, SESSIE + 10),
    # the tariffs (1); per trajecttype and outcome the trajectories with their instruments
    # (1); per funder its part and its counts (1); the filter form's choices (5)
    (Rol.MANAGER, "kosten", None, SESSIE + 8),
    # audit insert (1), page (1), count (1), trajecten (1), fasen (1)
    (Rol.KETENPARTNER, "start", None, SESSIE + 5),
    # count (1), page with klantmanager and journal subqueries (1), trajecten (1), fasen (1),
    # audit (1); the filters with choices from the database are behind "Meer filters"
    (Rol.KLANTMANAGER, "deelnemers:lijst", None, SESSIE + 5),
    # deelnemer with joins and its involvement (1), doelgroepen (1), ladder (1), trajecten
    # with hours and signals (1), fasen (1), uitstroom (1), plannen (1), leerdoelen (1),
    # instrumenten (1), contracten with their employers (1), the trajectory's financiers
    # (1), rapportages (1), plaatsingen (1),
    # voorkeuren (1), waiting lists with
    # their positions (1), contactmomenten (1), audit insert (1), taken with their owners (1),
    # the colleagues to choose as owner in the journal form (1) and in the task form (1),
    # group memberships with their groups (1), latest attendance with its sessions (1),
    # afspraken (1) with their staff (1)
    (Rol.KLANTMANAGER, "deelnemers:dossier", "deelnemer", SESSIE + 24),
    # count (1), a page of the user's open tasks with their participants (1), audit (1)
    (Rol.KLANTMANAGER, "taken:mijn", None, SESSIE + 3),
    # deelnemer (1), audit (1), registrations with werkplek, user, fase (1), changes (1)
    (Rol.KLANTMANAGER, "deelnemers:uren", "deelnemer", SESSIE + 4),
    # werkplek (1), placements with participants (1), hours per participant and kind (1),
    # audit (1); whose appointments the user reads (1) and how many they missed (1)
    (Rol.MANAGER, "werkplekken:aanwezigheid", "werkplek", SESSIE + 6),
    # plans due this week with participants (1), reports of this week with participants (1),
    # audit insert (1)
    (Rol.MANAGER, "afdrukken_week", None, SESSIE + 3),
    # count (1), a page of werkplekken with occupancy (1)
    (Rol.TRAJECTBEGELEIDER, "werkplekken:lijst", None, SESSIE + 2),
    # deelnemer with its involvement and municipality (1), the plan's intern/extern (1),
    # voorkeuren (1), doelgroepen (1), the active workplaces (1), placed today per workplace
    # (1), waiting per workplace (1), the mix targets (1), audit (1)
    (Rol.KLANTMANAGER, "deelnemers:wie_past_waar", "deelnemer", SESSIE + 9),
    # a page of workplaces with occupancy (1) and its count (1), the placements the user
    # reads (1), the waiting places the user reads (1) and the lists' dates (1), who chose
    # them among whom the user may place (1), audit (1)
    (Rol.KLANTMANAGER, "werkplekken:situatie", None, SESSIE + 7),
    # the same, but a trajectbegeleider places no one: no query for who chose them
    (Rol.TRAJECTBEGELEIDER, "werkplekken:situatie", None, SESSIE + 6),
    # capacity per werksoort (1), placements per werksoort and week (1), a page of
    # workplaces (1) and its count (1), the page's weeks and waiting lists (1)
    (Rol.TRAJECTBEGELEIDER, "werkplekken:bezetting", None, SESSIE + 5),
    # the team for the colleague choice (1), the participants the user plans for (1)
    (Rol.KLANTMANAGER, "agenda:nieuw", None, SESSIE + 2),
    # deelnemer with its involvement (1), audit (1), the team (1)
    (Rol.KLANTMANAGER, "agenda:plannen", "deelnemer", SESSIE + 3),
    # werkplek with its occupancy (1), plaatsingen with deelnemers (1), the waiting list the
    # user reads with its participants (1) and the whole list's dates (1), audit (1)
    (Rol.TRAJECTBEGELEIDER, "werkplekken:detail", "werkplek", SESSIE + 5),
]


@pytest.mark.parametrize("extra", [0, 12], ids=["klein", "groter"])
@pytest.mark.parametrize(
    ("rol", "naam", "obj", "queries"),
    PAGINAS,
    ids=[f"{rol.value}-{naam}" for rol, naam, _, _ in PAGINAS],
)
def test_vast_aantal_queries(
    client, wereld, django_assert_num_queries, extra, rol, naam, obj, queries
):
    _meer_deelnemers(wereld, extra)
    client.force_login(wereld.gebruikers[rol])
    kwargs = {"pk": getattr(wereld, obj).pk} if obj else None
    url = reverse(naam, kwargs=kwargs)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 12], ids=["klein", "groter"])
def test_kosten_met_de_trajecten_achter_een_getal_vast_aantal_queries(
    client, wereld, django_assert_num_queries, extra
):
    _meer_deelnemers(wereld, extra)
    Tarief.objects.create(
        trajecttype=wereld.traject.trajecttype,
        eenheid=Tarief.Eenheid.JAAR,
        bedrag=Decimal(20000),
        geldig_vanaf=wereld.traject.startdatum,
    )
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    # the report as above (SESSIE + 8); the trajectories behind the number: the tariffs
    # for their cost (1), a page with participants and trajecttypes (1), its count (1),
    # audit insert (1)
    with django_assert_num_queries(SESSIE + 12):
        response = client.get(reverse("kosten"), {"cel": "totaal"})
    assert len(response.context["pagina"].object_list) == 1 + extra


@pytest.mark.parametrize("eerder", [1, 4], ids=["een", "meer"])
def test_dossier_met_uitstroom_en_nazorg_vast_aantal_queries(
    client, wereld, django_assert_num_queries, eerder
):
    """Earlier trajectories that ended in work, each with its follow-up."""
    _meer_deelnemers(wereld, 0)
    start = wereld.traject.startdatum
    for n in range(eerder):
        traject = TrajectFactory(
            deelnemer=wereld.deelnemer,
            aanbieder=wereld.eigen,
            afgesloten=True,
            startdatum=start - timedelta(days=100 * (n + 2)),
            einddatum=start - timedelta(days=100 * (n + 1)),
        )
        uitstroom = UitstroomFactory(traject=traject)
        NazorgFactory(uitstroom=uitstroom)
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    url = reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk})
    # As the dossier above, and the follow-up of the uitstroom (1).
    with django_assert_num_queries(SESSIE + 25):
        response = client.get(url)
    assert (
        response.content.decode().count("Nazorg na 6 maanden: <strong>nog aan het werk") == eerder
    )


@pytest.mark.parametrize("extra", [0, 12], ids=["klein", "groter"])
def test_weekagenda_vast_aantal_queries(client, wereld, django_assert_num_queries, extra):
    _meer_deelnemers(wereld, extra)
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    url = reverse("agenda:week") + f"?week={_woensdag_volgende_week():%Y-%m-%d}"
    # the team (1), the week's appointments with participants (1), their staff (1), which
    # of them the user reads (1), audit insert (1)
    with django_assert_num_queries(SESSIE + 5):
        response = client.get(url)
    woensdag = [a for a in response.context["agenda"].afspraken if a.begin.weekday() == 2]
    assert len(woensdag) == 2 * extra + 1


def test_overzicht_manager_vijf_minuten_uit_de_cache(client, wereld, django_assert_num_queries):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    client.get(reverse("start"))
    with django_assert_num_queries(SESSIE):  # the counts come from the cache
        response = client.get(reverse("start"))
    assert "Geteld om" in response.content.decode()


@pytest.mark.parametrize("doelen", [1, 12], ids=["klein", "groter"])
def test_rapportage_wijzigen_vast_aantal_queries(client, wereld, django_assert_num_queries, doelen):
    _meer_deelnemers(wereld, 3)
    _plan(wereld.traject, leerdoelen=doelen)
    plan = PlanVanAanpak.objects.filter(traject=wereld.traject).order_by("-versie").first()
    rapportage = _rapportage(wereld.traject, leerdoelen=plan.leerdoelen.all())
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    url = reverse("trajecten:rapportage_bewerken", args=[wereld.traject.pk, rapportage.pk])
    # traject with deelnemer (1), the user's involvement in the participant (1), report with
    # its users (1), progress per goal (1), the goals (1), audit insert (1); the period's data:
    # placements (1), hours per kind (1), scores per week (1), latest plan (1) and its goals
    # (1), observation remarks (1)
    with django_assert_num_queries(SESSIE + 12):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 6])
def test_agendavoorstel_partneroverleg_vast_aantal_queries(
    wereld, django_assert_num_queries, extra
):
    from reintegratie.overleg.agenda import stel_agenda_voor

    from .factories import BijeenkomstFactory

    # The reclassering refers all of them: the meeting shares each.
    for _ in range(extra):
        DeelnemerFactory(
            verwijzer=wereld.verwijzer, klantmanager=wereld.gebruikers[Rol.KLANTMANAGER]
        )
    bijeenkomst = BijeenkomstFactory(
        overleg__organisator=wereld.eigen, overleg__partners=[wereld.verwijzer]
    )
    # savepoint (1), the occurrence locked with its meeting (1), the agenda so far (1), the
    # partners (1), who is shared (1), their signals by urgency (1), the insert (1),
    # release (1)
    with django_assert_num_queries(8):
        nieuw = stel_agenda_voor(bijeenkomst=bijeenkomst)
    assert len(nieuw) == 1 + extra


def _overleg_met_agenda(wereld, aantal):
    """An occurrence of our meeting with the reclassering, ``aantal`` referred participants
    on its agenda, each with a trajectory."""
    from reintegratie.overleg.agenda import stel_agenda_voor

    from .factories import BijeenkomstFactory

    for _ in range(aantal - 1):
        d = DeelnemerFactory(
            verwijzer=wereld.verwijzer, klantmanager=wereld.gebruikers[Rol.KLANTMANAGER]
        )
        TrajectFactory(deelnemer=d, aanbieder=wereld.eigen)
    bijeenkomst = BijeenkomstFactory(
        overleg__organisator=wereld.eigen, overleg__partners=[wereld.verwijzer]
    )
    stel_agenda_voor(bijeenkomst=bijeenkomst)
    return bijeenkomst


@pytest.mark.parametrize("aantal", [1, 6])
def test_agenda_en_pakket_van_een_overleg_vast_aantal_queries(
    client, wereld, django_assert_num_queries, aantal
):
    bijeenkomst = _overleg_met_agenda(wereld, aantal)
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    # the occurrence with its meeting (1), the agenda with each one's involvement (1), the
    # shared participants to add: the partners (1) and the participants (1), the log
    # insert (1)
    with django_assert_num_queries(SESSIE + 5):
        response = client.get(reverse("overleg:bijeenkomst", args=[bijeenkomst.pk]))
    assert response.status_code == 200
    # The pack as the task worker reads it, every document rendered: the occurrence (1), the
    # agenda (1), the meeting before (1); for all participants at once: hours (1),
    # observations (1), signals (1), leerdoelen (1), plans (1), the last reports (1).
    lezer = wereld.gebruikers[Rol.KLANTMANAGER]
    with django_assert_num_queries(9):
        _, totaal, documenten = vergaderstukken.documenten(
            lezer, inhoud=vergaderstukken.inhoud(bijeenkomst), afgedrukt_op=timezone.now()
        )
        for template, context in documenten:
            render_to_string(template, context)
    assert totaal == 1 + aantal


def _groep_met_leden(wereld, aantal):
    """Our group with yesterday's session, our participant and ``aantal`` - 1 more members,
    each with their attendance saved (hours booked)."""
    from decimal import Decimal

    from reintegratie.groepen.services import aanwezigheid_opslaan

    from .factories import GroepFactory, GroepsbijeenkomstFactory, LidmaatschapFactory

    groep = GroepFactory(
        organisatie=wereld.eigen,
        werkplek=wereld.werkplek,
        begeleider=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
    )
    deelnemers = [wereld.deelnemer]
    for _ in range(aantal - 1):
        deelnemer = DeelnemerFactory(klantmanager=wereld.gebruikers[Rol.KLANTMANAGER])
        TrajectFactory(deelnemer=deelnemer, aanbieder=wereld.eigen)
        deelnemers.append(deelnemer)
    for deelnemer in deelnemers:
        LidmaatschapFactory(groep=groep, deelnemer=deelnemer)
    bijeenkomst = GroepsbijeenkomstFactory(groep=groep)
    aanwezigheid_opslaan(
        bijeenkomst=bijeenkomst,
        regels={d: ("aanwezig", Decimal(2)) for d in deelnemers},
        door=groep.begeleider,
    )
    return groep, bijeenkomst


GROEPSPAGINAS = [
    # group with begeleider and workplace (1), past sessions (1), coming sessions (1), visible
    # members with participants (1), the add form's participants (1), audit insert (1)
    ("groepen:detail", "groep", SESSIE + 6),
    # session with group (1), members the user records for (1), their attendance (1), audit
    # insert (1)
    ("groepen:aanwezigheid", "bijeenkomst", SESSIE + 4),
]


@pytest.mark.parametrize("leden", [1, 12], ids=["klein", "groter"])
@pytest.mark.parametrize(("naam", "obj", "queries"), GROEPSPAGINAS, ids=lambda p: str(p))
def test_groepspaginas_vast_aantal_queries(
    client, wereld, django_assert_num_queries, leden, naam, obj, queries
):
    groep, bijeenkomst = _groep_met_leden(wereld, leden)
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    pk = groep.pk if obj == "groep" else bijeenkomst.pk
    with django_assert_num_queries(queries):
        response = client.get(reverse(naam, kwargs={"pk": pk}))
    assert response.status_code == 200
