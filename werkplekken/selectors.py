"""Reads for the trajectbegeleider's work-floor pages."""

from collections import defaultdict

from django.db.models import Prefetch, Sum

from trajecten.models import Urenregistratie

from .models import Plaatsing, Wachtlijstplaats, Werkplek


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


def wachtlijst(*, user, werkplek) -> list[Wachtlijstplaats]:
    """Everyone waiting for ``werkplek``, in order of registration; each carries ``leesbaar``:
    whether ``user`` may read who it is (the matrix's traject category). Of the others only
    the dates are read: a host learns that someone waits, not who, until it is involved. Two
    queries: the list's dates, and the rows the user reads, with their participants."""
    wachtend = Wachtlijstplaats.objects.open().filter(werkplek=werkplek)
    leesbaar = {
        p.pk: p for p in wachtend.zichtbaar_voor(user).select_related("deelnemer").order_by()
    }
    plaatsen = []
    for plaats in wachtend.only("pk", "aangemeld_op", "gewenste_start").order_by(
        "aangemeld_op", "pk"
    ):
        plaats = leesbaar.get(plaats.pk, plaats)
        plaats.leesbaar = plaats.pk in leesbaar
        plaatsen.append(plaats)
    return plaatsen
