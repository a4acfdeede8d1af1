"""Attendance: planned hours (from the placements) against hours present, by kind."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from reintegratie.access import Categorie, categorie_scope

from .models import NUL_UREN, Urenregistratie


def werkdagen_tussen(van: date, tot: date) -> int:
    """Monday-to-Friday days from ``van`` to ``tot``, both included."""
    if tot < van:
        return 0
    dagen = (tot - van).days + 1
    weken, rest = divmod(dagen, 7)
    return weken * 5 + sum(1 for i in range(rest) if (van + timedelta(days=i)).weekday() < 5)


@dataclass
class Aanwezigheid:
    deelnemer: object
    gepland: Decimal = NUL_UREN
    # Appointments missed in the period (with or without notice); None where the user may
    # not read the participant's appointments (category journaal: not a workplace host).
    niet_verschenen: int | None = None
    per_soort: dict = field(default_factory=lambda: defaultdict(lambda: NUL_UREN))

    @property
    def aanwezig(self):
        return sum((self.per_soort[s] for s in Urenregistratie.Soort.productief()), NUL_UREN)

    @property
    def percentage(self):
        if not self.gepland:
            return None
        return round(self.aanwezig / self.gepland * 100)

    def soorten(self):
        return [(label, self.per_soort[waarde]) for waarde, label in Urenregistratie.Soort.choices]


def aanwezigheid(
    *, plaatsingen, van: date, tot: date, werkplek=None, user=None
) -> list[Aanwezigheid]:
    """Attendance per participant over the placements given, in two queries; with ``user``
    two more count the appointments each participant missed, as far as ``user`` reads them.

    With ``werkplek`` only the hours booked there count; otherwise all of the participant's.
    """
    regels: dict[int, Aanwezigheid] = {}
    for plaatsing in plaatsingen.select_related("deelnemer").order_by(
        "deelnemer__achternaam", "deelnemer__voornaam"
    ):
        regel = regels.setdefault(plaatsing.deelnemer_id, Aanwezigheid(plaatsing.deelnemer))
        begin = max(van, plaatsing.startdatum)
        einde = min(tot, plaatsing.einddatum or tot)
        regel.gepland += plaatsing.uren_per_week * werkdagen_tussen(begin, einde) / 5
    uren = Urenregistratie.objects.filter(deelnemer_id__in=regels, datum__range=(van, tot))
    if werkplek is not None:
        uren = uren.filter(werkplek=werkplek)
    for rij in uren.values("deelnemer_id", "soort").annotate(totaal=Sum("uren")):
        regels[rij["deelnemer_id"]].per_soort[rij["soort"]] = rij["totaal"]
    if user is not None:
        _niet_verschenen(regels, user=user, van=van, tot=tot)
    return list(regels.values())


def _niet_verschenen(regels: dict, *, user, van: date, tot: date) -> None:
    """Two queries: whose appointments ``user`` reads, and how many of them were missed."""
    from deelnemers.models import Deelnemer
    from reintegratie.agenda.selectors import niet_verschenen_per_deelnemer

    leesbaar = Deelnemer.objects.filter(
        categorie_scope(user, Categorie.JOURNAAL), pk__in=list(regels)
    ).values_list("pk", flat=True)
    aantallen = niet_verschenen_per_deelnemer(deelnemer_ids=list(leesbaar), van=van, tot=tot)
    for pk in leesbaar:
        regels[pk].niet_verschenen = aantallen.get(pk, 0)
