"""Reads for the trajectbegeleider's work-floor pages."""

from collections import defaultdict

from django.db.models import Prefetch, Sum

from trajecten.models import Urenregistratie

from .models import Plaatsing, Werkplek


def werkplekken_vandaag(*, user, datum):
    """The user's workplaces with who is placed there on ``datum`` and the hours booked.

    The workplaces the user supervises, or else all of their organisation's. Three queries:
    workplaces, placements with participants, and the day's hours summed per participant.
    """
    basis = Werkplek.objects.zichtbaar_voor(user).actief()
    werkplekken = basis.filter(begeleider=user)
    if not werkplekken.exists():
        werkplekken = basis
    werkplekken = list(
        werkplekken.select_related("organisatie").prefetch_related(
            Prefetch(
                "plaatsingen",
                queryset=Plaatsing.objects.zichtbaar_voor(user)
                .lopend_op(datum)
                .select_related("deelnemer")
                .order_by("deelnemer__achternaam", "deelnemer__voornaam"),
                to_attr="lopende_plaatsingen",
            )
        )
    )
    uren = defaultdict(dict)
    for rij in (
        Urenregistratie.objects.filter(werkplek__in=werkplekken, datum=datum)
        .values("werkplek_id", "deelnemer_id")
        .annotate(totaal=Sum("uren"))
    ):
        uren[rij["werkplek_id"]][rij["deelnemer_id"]] = rij["totaal"]
    for werkplek in werkplekken:
        for plaatsing in werkplek.lopende_plaatsingen:
            plaatsing.uren_vandaag = uren[werkplek.pk].get(plaatsing.deelnemer_id)
    return werkplekken
