"""Reads for the participant pages, with a fixed number of queries whatever the data size.

Every related set is read through its model's ``zichtbaar_voor``, so a page holds only the
categories the user may read for each participant (reintegratie.access).
"""

from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects

from reintegratie.access import Toegang, met_betrokkenheid
from reintegratie.taken.models import Taak
from reintegratie.taken.selectors import dossier_taken
from trajecten.models import (
    Contract,
    Fase,
    Financiering,
    Instrumentinzet,
    Leerdoel,
    Nazorg,
    PlanVanAanpak,
    Traject,
    Uitstroom,
    Voortgangsrapportage,
)
from werkplekken.models import Plaatsing, Voorkeur, Wachtlijstplaats

from .filters import CaseloadFilter
from .models import Contactmoment, Deelnemer, LadderTrede


def lopende_trajecten_prefetch(user):
    """A participant's running trajectory with its signals and phases, in two queries. The
    lists show the hours of the current phase, not the trajectory's total (``met_uren``): that
    sum would make it a join with GROUP BY, a third more to compile and run per page."""
    return Prefetch(
        "trajecten",
        queryset=Traject.objects.lopend()
        .select_related("trajecttype")
        .met_signalen()
        .prefetch_related(_fasen_prefetch(user)),
        to_attr="lopende_trajecten",
    )


def _fasen_prefetch(user):
    return Prefetch("fasen", queryset=Fase.objects.zichtbaar_voor(user).select_related("fasetype"))


def met_lopende_trajecten(deelnemers, trajecten, user) -> None:
    """Give each row of :func:`deelnemerlijst` (read with ``trajecten=False``) its
    ``lopende_trajecten`` as :func:`lopende_trajecten_prefetch` would, from ``trajecten``:
    trajectories read already with ``met_signalen`` and their trajecttype, among them all of
    these participants'. Their phases come in one query."""
    lopend = {}
    for traject in trajecten:
        if traject.status != Traject.Status.AFGESLOTEN:
            lopend.setdefault(traject.deelnemer_id, []).append(traject)
    for deelnemer in deelnemers:
        deelnemer.lopende_trajecten = lopend.get(deelnemer.pk, [])
    prefetch_related_objects(
        [t for d in deelnemers for t in d.lopende_trajecten], _fasen_prefetch(user)
    )


def met_contact(queryset, user):
    """Annotate the last contact from the journal entries ``user`` may read, and the next
    action: the first open task (reintegratie.taken) ``user`` may read, whoever owns it. A
    task from a medical entry stays with who reads medical data."""
    journaal = Contactmoment.objects.zichtbaar_voor(user).filter(deelnemer=OuterRef("pk"))
    actie = (
        Taak.objects.zichtbaar_voor(user)
        .open()
        .filter(deelnemer=OuterRef("pk"))
        .order_by("vervaldatum", "id")
    )
    return queryset.annotate(
        laatste_contact=Subquery(journaal.order_by("-tijdstip").values("tijdstip")[:1]),
        volgende_actie=Subquery(actie.values("omschrijving")[:1]),
        volgende_actie_op=Subquery(actie.values("vervaldatum")[:1]),
    )


def deelnemerlijst(queryset, user, *, trajecten=True):
    """A list of participants as every list shows them: running trajectory, journal summary
    and, per row, what the user may read of it (``toegang``, set by :func:`met_toegang`).
    ``trajecten=False`` leaves the running trajectories to :func:`met_lopende_trajecten`."""
    queryset = queryset.select_related("klantmanager")
    if trajecten:
        queryset = queryset.prefetch_related(lopende_trajecten_prefetch(user))
    return met_betrokkenheid(met_contact(queryset, user), user)


def met_toegang(deelnemers, user):
    """Give each row of :func:`deelnemerlijst` its Toegang; returns the rows as a list."""
    deelnemers = list(deelnemers)
    for deelnemer in deelnemers:
        deelnemer.toegang = Toegang.van_rij(user, deelnemer)
    return deelnemers


def caseload(*, user, params):
    """The filtered participants ``user`` may see, and the bound FilterSet for the form."""
    queryset = deelnemerlijst(Deelnemer.objects.zichtbaar_voor(user), user)
    return CaseloadFilter(params, queryset=queryset, user=user)


def dossier_queryset(user):
    """Everything the dossier page shows that ``user`` may read, in a constant number of
    queries."""
    return Deelnemer.objects.select_related(
        "woongemeente", "verwijzer", "klantmanager"
    ).prefetch_related(
        "doelgroepen",
        Prefetch("ladder", queryset=LadderTrede.objects.zichtbaar_voor(user).order_by("datum")),
        Prefetch("trajecten", queryset=_dossier_trajecten(user)),
        Prefetch(
            "plaatsingen",
            queryset=Plaatsing.objects.zichtbaar_voor(user)
            .select_related("werkplek__organisatie")
            .order_by("-startdatum"),
        ),
        Prefetch(
            "voorkeuren",
            queryset=Voorkeur.objects.zichtbaar_voor(user).select_related(
                "werkplek__organisatie", "vastgelegd_door"
            ),
        ),
        Prefetch(
            "wachtlijstplaatsen",
            queryset=Wachtlijstplaats.objects.zichtbaar_voor(user)
            .open()
            .met_plaats()
            .select_related("werkplek__organisatie"),
        ),
        Prefetch(
            "contactmomenten",
            queryset=Contactmoment.objects.zichtbaar_voor(user).select_related("door"),
        ),
        Prefetch("taken", queryset=dossier_taken(user)),
    )


def _dossier_trajecten(user):
    """The participant's trajectories with what the dossier shows of each: phases,
    outcome and follow-up, contracts, funding, plans, instruments and reports, as far as
    ``user`` may read them."""
    return (
        Traject.objects.select_related(
            "trajecttype", "aanbieder", "klantmanager", "trajectbegeleider"
        )
        .met_uren()
        .met_signalen()
        .prefetch_related(
            Prefetch(
                "fasen", queryset=Fase.objects.zichtbaar_voor(user).select_related("fasetype")
            ),
            Prefetch(
                "uitstroom",
                queryset=Uitstroom.objects.zichtbaar_voor(user).prefetch_related(
                    Prefetch("nazorg", queryset=Nazorg.objects.zichtbaar_voor(user))
                ),
            ),
            Prefetch(
                "contracten",
                queryset=Contract.objects.zichtbaar_voor(user).select_related("werkgever"),
            ),
            Prefetch(
                "financieringen",
                queryset=Financiering.objects.zichtbaar_voor(user)
                .filter(instrument__isnull=True)
                .select_related("financier"),
            ),
            Prefetch(
                "plannen",
                queryset=PlanVanAanpak.objects.select_related("opgesteld_door")
                .prefetch_related(
                    Prefetch("leerdoelen", queryset=Leerdoel.objects.zichtbaar_voor(user))
                )
                .order_by("-versie"),
            ),
            Prefetch(
                "instrumenten",
                queryset=Instrumentinzet.objects.zichtbaar_voor(user).order_by("startdatum"),
            ),
            Prefetch(
                "rapportages",
                queryset=Voortgangsrapportage.objects.zichtbaar_voor(user).order_by("-periode_tot"),
            ),
        )
    )
