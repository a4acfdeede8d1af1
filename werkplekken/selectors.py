"""Reads for the trajectbegeleider's work-floor pages."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from deelnemers.models import Deelnemer
from reintegratie.access import Handeling, handeling_scope
from trajecten.models import Urenregistratie
from trajecten.weekrooster import maandag_van

from .models import Plaatsing, Voorkeur, Wachtlijstplaats, Werkplek, Werksoort

PAGINA = 50


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


# The occupancy overview: this many weeks, starting this many weeks back.
BEZETTING_WEKEN = 12
BEZETTING_TERUG = 4


def _geplaatst_op(dag, pad=""):
    return Q(**{f"{pad}startdatum__lte": dag}) & (
        Q(**{f"{pad}einddatum__isnull": True}) | Q(**{f"{pad}einddatum__gte": dag})
    )


@dataclass
class Bezetting:
    """Occupancy per week: the number placed on each week's Monday, against the capacity.
    Per werksoort for all of the organisation's active workplaces (``soorten``: werksoort,
    label, capacity, counts), and per workplace for one page of them (``pagina``, each
    workplace with ``weken`` and ``wachtend``)."""

    weken: list[date]
    soorten: list[tuple[str, str, int, list[int]]]
    pagina: object

    @property
    def deze_week(self) -> date:
        return maandag_van(timezone.localdate())


def bezetting(*, user, maandag: date, werksoort: str = "", pagina=None) -> Bezetting:
    """The organisation's occupancy over ``BEZETTING_WEKEN`` weeks from ``maandag``, past and
    planned. Counts only, no names. Five queries whatever the data: capacity per werksoort,
    placements per werksoort and week, a page of workplaces and its count, and that page's
    weeks and waiting lists."""
    weken = [maandag + timedelta(weeks=i) for i in range(BEZETTING_WEKEN)]
    werkplekken = Werkplek.objects.zichtbaar_voor(user).actief()
    capaciteit = dict(werkplekken.order_by().values_list("werksoort").annotate(Sum("capaciteit")))
    per_soort = {
        r.pop("werkplek__werksoort"): r
        for r in Plaatsing.objects.filter(
            werkplek__in=werkplekken,
            startdatum__lte=weken[-1],
        )
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=weken[0]))
        .order_by()
        .values("werkplek__werksoort")
        .annotate(**{f"w{i}": Count("pk", filter=_geplaatst_op(w)) for i, w in enumerate(weken)})
    }
    labels = dict(Werksoort.choices)
    soorten = [
        (
            soort,
            labels[soort],
            cap,
            [per_soort.get(soort, {}).get(f"w{i}", 0) for i in range(len(weken))],
        )
        for soort, cap in sorted(capaciteit.items(), key=lambda s: labels[s[0]])
    ]
    if werksoort:
        werkplekken = werkplekken.filter(werksoort=werksoort)
    wachtend = (
        Wachtlijstplaats.objects.open()
        .filter(werkplek=OuterRef("pk"))
        .order_by()
        .values("werkplek")
        .annotate(n=Count("pk"))
        .values("n")
    )
    blad = Paginator(werkplekken.order_by("werksoort", "naam", "pk"), PAGINA).get_page(pagina)
    # The weeks counted for the page's workplaces only, not for all before the page is cut.
    geteld = Werkplek.objects.filter(pk__in=[w.pk for w in blad.object_list]).annotate(
        wachtend=Coalesce(Subquery(wachtend), 0),
        **{
            f"w{i}": Count("plaatsingen", filter=_geplaatst_op(w, "plaatsingen__"))
            for i, w in enumerate(weken)
        },
    )
    per_werkplek = {w.pk: w for w in geteld}
    blad.object_list = [per_werkplek[w.pk] for w in blad.object_list]
    for werkplek in blad.object_list:
        werkplek.weken = [getattr(werkplek, f"w{i}") for i in range(len(weken))]
    return Bezetting(weken, soorten, blad)


SITUATIE_PAGINA = 20


def situatie(*, user, werksoort: str = "", pagina=None):
    """Per workplace of the organisation, to fill places as they come free: who works there
    now and until when (on trial or not), who waits in order, and how many the user could
    place who chose it. Names only where the user reads them: placements by their own scope
    (a host reads its own workplaces'), waiting places by the traject category (as
    :func:`wachtlijst`); the others are counted. Seven queries whatever the data."""
    vandaag = timezone.localdate()
    werkplekken = Werkplek.objects.zichtbaar_voor(user).actief().met_bezetting(vandaag)
    if werksoort:
        werkplekken = werkplekken.filter(werksoort=werksoort)
    blad = Paginator(werkplekken.order_by("werksoort", "naam", "pk"), SITUATIE_PAGINA).get_page(
        pagina
    )
    ids = [w.pk for w in blad.object_list]
    nu = defaultdict(list)
    for p in (
        Plaatsing.objects.zichtbaar_voor(user)
        .lopend_op(vandaag)
        .filter(werkplek_id__in=ids)
        .select_related("deelnemer")
        # The first to leave first: the place that comes free soonest.
        .order_by(F("einddatum").asc(nulls_last=True), "deelnemer__achternaam", "pk")
    ):
        nu[p.werkplek_id].append(p)
    wachtend = Wachtlijstplaats.objects.open().filter(werkplek_id__in=ids)
    leesbaar = {
        p.pk: p for p in wachtend.zichtbaar_voor(user).select_related("deelnemer").order_by()
    }
    wacht = defaultdict(list)
    for plaats in wachtend.only("pk", "werkplek_id", "aangemeld_op").order_by("aangemeld_op", "pk"):
        plaats = leesbaar.get(plaats.pk, plaats)
        plaats.leesbaar = plaats.pk in leesbaar
        wacht[plaats.werkplek_id].append(plaats)
    plaatsbaar = Deelnemer.objects.filter(handeling_scope(user, Handeling.PLAATSEN))
    kiezen = dict(
        Voorkeur.objects.filter(werkplek_id__in=ids, deelnemer__in=plaatsbaar)
        .order_by()
        .values_list("werkplek_id")
        .annotate(n=Count("deelnemer_id", distinct=True))
    )
    for w in blad.object_list:
        w.nu, w.wachtend, w.kiezen = nu[w.pk], wacht[w.pk], kiezen.get(w.pk, 0)
        w.anderen = w.bezetting - len(w.nu)
    return blad
