"""What a progress report shows from the data: phases, hours, attendance, scores over time."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg

from werkplekken.models import Plaatsing

from .aanwezigheid import aanwezigheid
from .models import Observatie, Werknemersvaardigheid

# Distinguishable in print and for colour-blind readers (Okabe-Ito), with a dash per line too.
KLEUREN = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"]
STREEPJES = ["", "6 3", "2 2", "8 3 2 3", "1 3"]


@dataclass
class Lijn:
    label: str
    kleur: str
    streepjes: str
    punten: list  # (week, score) with score None where not observed


def scores_per_week(*, deelnemer, van, tot):
    """The average score per skill per week in the period: one query."""
    velden = [v.value for v in Werknemersvaardigheid]
    rijen = (
        Observatie.objects.filter(deelnemer=deelnemer, week__range=(van, tot))
        .values("week")
        .annotate(**{veld: Avg(veld) for veld in velden})
        .order_by("week")
    )
    weken = [r["week"] for r in rijen]
    lijnen = [
        Lijn(v.label, KLEUREN[i], STREEPJES[i], [(r["week"], r[v.value]) for r in rijen])
        for i, v in enumerate(Werknemersvaardigheid)
    ]
    return weken, lijnen


def grafiek(weken, lijnen, breedte=560, hoogte=200):
    """Coordinates for the SVG chart of scores 1-5 over the weeks (drawn by a template)."""
    links, rechts, boven, onder = 28, 10, 10, 24
    if not weken:
        return None
    stap = (breedte - links - rechts) / max(len(weken) - 1, 1)

    def x(i):
        return round(links + i * stap, 1)

    def y(score):
        return round(boven + (5 - score) / 4 * (hoogte - boven - onder), 1)

    index = {week: i for i, week in enumerate(weken)}
    getekend = []
    for lijn in lijnen:
        punten = [(x(index[w]), y(s)) for w, s in lijn.punten if s is not None]
        # A dot on every score as well: one week of scores is a point, not yet a line.
        getekend.append(
            {"lijn": lijn, "punten": " ".join(f"{a},{b}" for a, b in punten), "stippen": punten}
        )
    legenda = [
        {
            "lijn": lijn,
            "y": hoogte + 8 + 13 * i,
            "tekst_y": hoogte + 11 + 13 * i,
            "x1": links,
            "x2": links + 22,
            "tekst_x": links + 28,
        }
        for i, lijn in enumerate(lijnen)
    ]
    return {
        "breedte": breedte,
        "hoogte": hoogte,
        "totale_hoogte": hoogte + 8 + 13 * len(lijnen),
        "legenda": legenda,
        "lijnen": getekend,
        "rasters": [{"score": s, "y": y(s), "tekst_y": y(s) + 3} for s in range(1, 6)],
        "labels": [{"x": x(i), "week": w} for i, w in enumerate(weken)],
        "links": links,
        "rechts": breedte - rechts,
        "onder": hoogte - onder,
    }


def gegevens(*, traject, van, tot, lezer):
    """Everything the report shows from the registrations and observations of the period.

    Hours and scores are summarised for every reader of the report; the begeleiders' remarks
    only for a ``lezer`` who reads observations (reintegratie.access)."""
    deelnemer = traject.deelnemer
    plaatsingen = Plaatsing.objects.filter(deelnemer=deelnemer, startdatum__lte=tot).exclude(
        einddatum__lt=van
    )
    regels = aanwezigheid(plaatsingen=plaatsingen, van=van, tot=tot)
    weken, lijnen = scores_per_week(deelnemer=deelnemer, van=van, tot=tot)
    plan = traject.plannen.order_by("-versie").prefetch_related("leerdoelen").first()
    opmerkingen = defaultdict(list)
    for observatie in (
        Observatie.objects.zichtbaar_voor(lezer)
        .filter(deelnemer=deelnemer, week__range=(van, tot))
        .exclude(opmerking="")
    ):
        opmerkingen[observatie.week].append(observatie.opmerking)
    return {
        "aanwezigheid": regels[0] if regels else None,
        "weken": weken,
        "lijnen": lijnen,
        "grafiek": grafiek(weken, lijnen),
        "plan": plan,
        "opmerkingen": sorted(opmerkingen.items()),
    }
