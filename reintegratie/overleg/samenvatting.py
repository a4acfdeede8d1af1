"""The one-page summary of each participant on an agenda, prefilled from the data, in a
fixed number of queries for the whole agenda. Each part is read through its own
``zichtbaar_voor``, and the page shows it only where the reader's access has the category."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone

from reintegratie.access import Toegang, met_betrokkenheid
from trajecten.models import (
    Leerdoel,
    Observatie,
    PlanVanAanpak,
    Signaal,
    Traject,
    Urenregistratie,
    Voortgangsrapportage,
)

from .models import Bespreking, Bijeenkomst


@dataclass
class Samenvatting:
    uren: list = field(default_factory=list)  # (soort label, uren)
    scores: list = field(default_factory=list)  # (skill label, score) of the last observation
    observatieweek: object = None
    signalen: list = field(default_factory=list)
    plan: object = None
    leerdoelen: list = field(default_factory=list)
    advies: object = None


def sinds_vorige(bijeenkomst: Bijeenkomst):
    """The period since the meeting before: (from, up to and including)."""
    vorige = (
        Bijeenkomst.objects.filter(overleg_id=bijeenkomst.overleg_id, begin__lt=bijeenkomst.begin)
        .order_by("-begin")
        .values_list("begin", flat=True)
        .first()
    )
    begin = timezone.localtime(bijeenkomst.begin).date()
    van = (
        timezone.localtime(vorige).date()
        if vorige
        else begin - timedelta(weeks=bijeenkomst.overleg.interval_weken)
    )
    return van, min(begin, timezone.localdate())


def agenda_voor(bijeenkomst: Bijeenkomst, lezer):
    """The agenda items ``lezer`` may see, in order, each with ``.toegang`` on its
    participant (the template's ``mag``)."""
    rijen = list(
        met_betrokkenheid(
            Bespreking.objects.zichtbaar_voor(lezer).filter(bijeenkomst=bijeenkomst),
            lezer,
            "deelnemer__",
        )
        .select_related("deelnemer")
        .order_by("volgorde", "pk")
    )
    for rij in rijen:
        rij.deelnemer.toegang = Toegang.van_rij(lezer, rij)
    return rijen


def samenvattingen(*, besprekingen, lezer, van, tot) -> dict[int, Samenvatting]:
    """A summary per participant of ``besprekingen``, by participant pk."""
    ids = [b.deelnemer_id for b in besprekingen]
    uit = {pk: Samenvatting() for pk in ids}
    soorten = dict(Urenregistratie.Soort.choices)
    for rij in (
        Urenregistratie.objects.zichtbaar_voor(lezer)
        .filter(deelnemer_id__in=ids, datum__gte=van, datum__lte=tot)
        .values("deelnemer_id", "soort")
        .annotate(totaal=Sum("uren"))
        .order_by("deelnemer_id", "soort")
    ):
        uit[rij["deelnemer_id"]].uren.append((soorten[rij["soort"]], rij["totaal"]))
    for obs in (
        Observatie.objects.zichtbaar_voor(lezer)
        .filter(deelnemer_id__in=ids, week__gte=van - timedelta(days=6), week__lte=tot)
        .order_by("deelnemer_id", "-week")
    ):
        if uit[obs.deelnemer_id].observatieweek is None:
            uit[obs.deelnemer_id].observatieweek = obs.week
            uit[obs.deelnemer_id].scores = obs.scores()
    for traject in (
        Traject.objects.zichtbaar_voor(lezer).lopend().filter(deelnemer_id__in=ids).met_signalen()
    ):
        uit[traject.deelnemer_id].signalen += [
            Signaal(c).label for c in Signaal if getattr(traject, f"signaal_{c}")
        ]
    _plannen(uit, ids, lezer)
    for rapportage in (
        Voortgangsrapportage.objects.zichtbaar_voor(lezer)
        .filter(traject__deelnemer_id__in=ids)
        .select_related("traject")
        .only("traject__deelnemer_id", "advies", "toelichting_advies", "periode_tot")
        .order_by("traject__deelnemer_id", "-periode_tot", "-id")
    ):
        if uit[rapportage.traject.deelnemer_id].advies is None:
            uit[rapportage.traject.deelnemer_id].advies = rapportage
    return uit


def _plannen(uit, ids, lezer):
    """The newest plan of each running trajectory and its leerdoelen: the plan only for a
    reader of plans, the leerdoelen for a reader of leerdoelen (a host reads those)."""
    nieuwste = Subquery(
        PlanVanAanpak.objects.filter(traject_id=OuterRef("plan__traject_id"))
        .order_by("-versie")
        .values("pk")[:1]
    )
    leerdoelen = defaultdict(list)
    for doel in (
        Leerdoel.objects.zichtbaar_voor(lezer)
        .filter(plan__traject__deelnemer_id__in=ids)
        .exclude(plan__traject__status=Traject.Status.AFGESLOTEN)
        .filter(plan_id=nieuwste)
        .select_related("plan__traject")
        .order_by("plan__traject__deelnemer_id", "id")
    ):
        leerdoelen[doel.plan.traject.deelnemer_id].append(doel)
    for pk, doelen in leerdoelen.items():
        uit[pk].leerdoelen = doelen
    for plan in (
        PlanVanAanpak.objects.zichtbaar_voor(lezer)
        .filter(traject__deelnemer_id__in=ids)
        .exclude(traject__status=Traject.Status.AFGESLOTEN)
        .select_related("traject")
        .order_by("traject__deelnemer_id", "-versie")
    ):
        if uit[plan.traject.deelnemer_id].plan is None:
            uit[plan.traject.deelnemer_id].plan = plan
