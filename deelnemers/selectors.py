"""Reads for the participant pages, with a fixed number of queries whatever the data size."""

from django.db.models import Prefetch

from trajecten.models import Fase, PlanVanAanpak, Traject
from werkplekken.models import Plaatsing

from .filters import DeelnemerFilter
from .models import Deelnemer, LadderTrede


def lopende_trajecten_prefetch():
    """A participant's running trajectory with its phases and hours used, in two queries."""
    return Prefetch(
        "trajecten",
        queryset=Traject.objects.lopend()
        .select_related("trajecttype")
        .met_uren()
        .prefetch_related(Prefetch("fasen", queryset=Fase.objects.select_related("fasetype"))),
        to_attr="lopende_trajecten",
    )


def deelnemer_lijst(*, user, params):
    """The filtered participants ``user`` may see, and the bound FilterSet for the form."""
    queryset = (
        Deelnemer.objects.zichtbaar_voor(user)
        .select_related("klantmanager")
        .prefetch_related(lopende_trajecten_prefetch())
    )
    return DeelnemerFilter(params, queryset=queryset, user=user)


def dossier_queryset():
    """Everything the dossier page shows, fetched in a constant number of queries."""
    return Deelnemer.objects.select_related(
        "woongemeente", "verwijzer", "klantmanager"
    ).prefetch_related(
        "doelgroepen",
        Prefetch("ladder", queryset=LadderTrede.objects.order_by("-datum")),
        Prefetch(
            "trajecten",
            queryset=Traject.objects.select_related(
                "trajecttype", "aanbieder", "klantmanager", "trajectbegeleider", "uitstroom"
            )
            .met_uren()
            .prefetch_related(
                Prefetch("fasen", queryset=Fase.objects.select_related("fasetype")),
                Prefetch(
                    "plannen",
                    queryset=PlanVanAanpak.objects.select_related("opgesteld_door")
                    .prefetch_related("leerdoelen")
                    .order_by("-versie"),
                ),
            ),
        ),
        Prefetch(
            "plaatsingen",
            queryset=Plaatsing.objects.select_related("werkplek__organisatie").order_by(
                "-startdatum"
            ),
        ),
    )
