"""Who pays a trajectory and its instruments, and the ESF hours statement.

The shares of a trajectory's own cost and of each of its instruments are recorded together,
replacing what was there, under a lock on the trajectory; each adds up to at most 100%.
ESF co-financing is accounted for in hours: per participant and year, the productive hours
(gewerkt and scholing) registered on the trajectories ESF pays part of.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from .models import NUL_UREN, Financier, Financiering, Traject, Urenregistratie
from .services import _vergrendel

MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def som_te_hoog(som: Decimal) -> str | None:
    """The one rule for a set of shares: together at most 100%."""
    if som > 100:
        return f"Samen hoogstens 100% (nu {som.normalize():f}%)."
    return None


@transaction.atomic
def financiering_vastleggen(*, traject, aandelen: dict) -> list[Financiering]:
    """Replace the shares of ``traject`` and its instruments. ``aandelen``: per instrument id
    (None for the trajectory itself) the share per Financier; a share of 0 is none."""
    traject = _vergrendel(traject)
    instrumenten = set(traject.instrumenten.values_list("pk", flat=True))
    financiers = set(Financier.objects.filter(actief=True).values_list("pk", flat=True))
    rijen = []
    for instrument_id, per_financier in aandelen.items():
        if instrument_id is not None and instrument_id not in instrumenten:
            raise ValidationError("Dit instrument hoort niet bij het traject.")
        fout = som_te_hoog(sum(per_financier.values(), Decimal(0)))
        if fout:
            raise ValidationError(fout)
        for financier_id, aandeel in per_financier.items():
            if financier_id not in financiers:
                raise ValidationError("Kies een financier uit de lijst.")
            if aandeel:
                rijen.append(
                    Financiering(
                        traject=traject,
                        instrument_id=instrument_id,
                        financier_id=financier_id,
                        aandeel=aandeel,
                    )
                )
    for rij in rijen:
        rij.full_clean(exclude=["traject", "instrument", "financier"])
    Financiering.objects.filter(traject=traject).delete()
    return Financiering.objects.bulk_create(rijen)


def esf_trajecten(deelnemer, jaar: int):
    """The participant's trajectories of which ESF pays a share, running in ``jaar``."""
    return (
        Traject.objects.filter(
            deelnemer=deelnemer,
            startdatum__year__lte=jaar,
            financieringen__instrument__isnull=True,
            financieringen__financier__soort=Financier.Soort.ESF,
        )
        .exclude(einddatum__year__lt=jaar)
        .distinct()
    )


@dataclass(frozen=True)
class Urenstaat:
    jaar: int
    trajecten: list
    # Per month (1..12): gewerkt, scholing.
    maanden: list[tuple[str, Decimal, Decimal]]

    @property
    def totaal(self) -> tuple[Decimal, Decimal]:
        return (
            sum((m[1] for m in self.maanden), NUL_UREN),
            sum((m[2] for m in self.maanden), NUL_UREN),
        )


def esf_urenstaat(*, deelnemer, jaar: int, user) -> Urenstaat:
    """The productive hours per month of ``jaar`` on the participant's ESF trajectories, as
    far as ``user`` reads the hours."""
    trajecten = list(esf_trajecten(deelnemer, jaar).select_related("trajecttype"))
    per_maand = (
        Urenregistratie.objects.zichtbaar_voor(user)
        .filter(
            deelnemer=deelnemer,
            datum__year=jaar,
            fase__traject__in=[t.pk for t in trajecten],
            soort__in=Urenregistratie.Soort.productief(),
        )
        .annotate(maand=ExtractMonth("datum"))
        .values("maand", "soort")
        .annotate(uren=Sum("uren"))
    )
    uren = {(r["maand"], r["soort"]): r["uren"] for r in per_maand}
    gewerkt, scholing = Urenregistratie.Soort.GEWERKT, Urenregistratie.Soort.SCHOLING
    return Urenstaat(
        jaar=jaar,
        trajecten=trajecten,
        maanden=[
            (naam, uren.get((n, gewerkt), NUL_UREN), uren.get((n, scholing), NUL_UREN))
            for n, naam in enumerate(MAANDEN, start=1)
        ],
    )
