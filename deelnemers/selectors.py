"""Reads for the participant pages, with a fixed number of queries whatever the data size."""

from django.db.models import OuterRef, Prefetch, Subquery

from trajecten.models import Fase, Instrumentinzet, PlanVanAanpak, Traject, Voortgangsrapportage
from werkplekken.models import Plaatsing

from .filters import CaseloadFilter
from .models import Contactmoment, Deelnemer, LadderTrede


def lopende_trajecten_prefetch():
    """A participant's running trajectory with its signals and phases, in two queries."""
    return Prefetch(
        "trajecten",
        queryset=Traject.objects.lopend()
        .select_related("trajecttype")
        .met_uren()
        .met_signalen()
        .prefetch_related(Prefetch("fasen", queryset=Fase.objects.select_related("fasetype"))),
        to_attr="lopende_trajecten",
    )


def met_contact(queryset):
    """Annotate the last contact and the next action from the journal, per row."""
    journaal = Contactmoment.objects.filter(deelnemer=OuterRef("pk"))
    actie = journaal.exclude(volgende_actie="").order_by("-tijdstip", "-id")
    return queryset.annotate(
        laatste_contact=Subquery(journaal.order_by("-tijdstip").values("tijdstip")[:1]),
        volgende_actie=Subquery(actie.values("volgende_actie")[:1]),
        volgende_actie_op=Subquery(actie.values("volgende_actie_op")[:1]),
    )


def caseload(*, user, params):
    """The filtered participants ``user`` may see, and the bound FilterSet for the form."""
    queryset = met_contact(
        Deelnemer.objects.zichtbaar_voor(user)
        .select_related("klantmanager")
        .prefetch_related(lopende_trajecten_prefetch())
    )
    return CaseloadFilter(params, queryset=queryset, user=user)


def dossier_queryset(user):
    """Everything the dossier page shows, fetched in a constant number of queries."""
    return Deelnemer.objects.select_related(
        "woongemeente", "verwijzer", "klantmanager"
    ).prefetch_related(
        "doelgroepen",
        Prefetch("ladder", queryset=LadderTrede.objects.order_by("datum")),
        Prefetch(
            "trajecten",
            queryset=Traject.objects.select_related(
                "trajecttype", "aanbieder", "klantmanager", "trajectbegeleider", "uitstroom"
            )
            .met_uren()
            .met_signalen()
            .prefetch_related(
                Prefetch("fasen", queryset=Fase.objects.select_related("fasetype")),
                Prefetch(
                    "plannen",
                    queryset=PlanVanAanpak.objects.select_related("opgesteld_door")
                    .prefetch_related("leerdoelen")
                    .order_by("-versie"),
                ),
                Prefetch("instrumenten", queryset=Instrumentinzet.objects.order_by("startdatum")),
                Prefetch(
                    "rapportages", queryset=Voortgangsrapportage.objects.order_by("-periode_tot")
                ),
            ),
        ),
        Prefetch(
            "plaatsingen",
            queryset=Plaatsing.objects.select_related("werkplek__organisatie").order_by(
                "-startdatum"
            ),
        ),
        Prefetch(
            "contactmomenten",
            # The participant is in scope already (deelnemer_voor_view); the role decides.
            queryset=Contactmoment.objects.leesbaar_voor(user).select_related("door"),
        ),
    )
