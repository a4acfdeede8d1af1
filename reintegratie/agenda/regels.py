"""The appointment rules of a trajecttype (Afspraakregel), applied to a trajectory.

A rule names a deadline: weeks after the start, or before a number of productive hours is
used at the participant's current pace. The appointment lands in the klantmanager's agenda as
gepland, on the last working day before that deadline (or the next working day when that has
already come), at his first free hour. Applying the rules again makes nothing twice: each
appointment carries the rule's ``sleutel``.
"""

import logging
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Sum
from django.utils import timezone

from trajecten.models import NUL_UREN, Traject, Urenregistratie

from .models import Afspraak, Afspraakregel
from .services import plan_afspraak

logger = logging.getLogger(__name__)

# The pace is what the participant booked over these last weeks: long enough to even out a
# week of illness, short enough to follow a change of hours.
TEMPO_WEKEN = 4
# The hours a proposed appointment may start at: working hours, ending before 17:00.
UREN = range(9, 16)


def tempo(*, deelnemer, tot: date, weken: int = TEMPO_WEKEN) -> Decimal:
    """Productive hours per week that ``deelnemer`` booked in the ``weken`` weeks up to
    ``tot``."""
    totaal = (
        Urenregistratie.objects.productief()
        .filter(deelnemer=deelnemer, datum__gt=tot - timedelta(weeks=weken), datum__lte=tot)
        .aggregate(totaal=Sum("uren"))["totaal"]
    )
    return (totaal or NUL_UREN) / weken


def _werkdag_voor(dag: date) -> date:
    while dag.weekday() >= 5:
        dag -= timedelta(days=1)
    return dag


def _werkdag_na(dag: date) -> date:
    while dag.weekday() >= 5:
        dag += timedelta(days=1)
    return dag


def uiterste_datum(regel: Afspraakregel, traject: Traject, vandaag: date) -> date | None:
    """The day the appointment must have happened by: the earlier of the rule's two
    deadlines; None while the pace is unknown (no hours yet) and weeks are not given."""
    kandidaten = []
    if regel.binnen_weken is not None:
        kandidaten.append(traject.startdatum + timedelta(weeks=regel.binnen_weken))
    if regel.voor_uren is not None:
        over = regel.voor_uren - traject.productieve_uren()
        per_week = tempo(deelnemer=traject.deelnemer, tot=vandaag)
        if over <= 0:
            kandidaten.append(vandaag)
        elif per_week > 0:
            kandidaten.append(vandaag + timedelta(days=int(over / per_week * 7)))
    return min(kandidaten, default=None)


def _vrij_begin(klantmanager, dag: date, duur: timedelta) -> datetime:
    """The first hour of ``dag`` at which ``klantmanager`` has nothing planned."""
    begin_dag = timezone.make_aware(datetime.combine(dag, time(0)))
    bezet = list(
        Afspraak.objects.van_medewerker(klantmanager)
        .filter(begin__lt=begin_dag + timedelta(days=1), einde__gt=begin_dag)
        .values_list("begin", "einde")
    )
    for uur in UREN:
        begin = timezone.make_aware(datetime.combine(dag, time(uur)))
        if all(einde <= begin or b >= begin + duur for b, einde in bezet):
            return begin
    return timezone.make_aware(datetime.combine(dag, time(UREN[0])))


def _pas_toe(regel: Afspraakregel, traject: Traject, vandaag: date) -> Afspraak | None:
    klantmanager = traject.klantmanager or traject.deelnemer.klantmanager
    try:
        uiterst = uiterste_datum(regel, traject, vandaag)
    except OverflowError:
        # A start (or a pace) at the end of the calendar: no deadline to plan towards.
        return None
    if klantmanager is None or uiterst is None or uiterst < vandaag:
        # Past its deadline the rule proposes nothing: the klantmanager decides what now.
        return None
    dag = max(_werkdag_voor(uiterst - timedelta(days=1)), _werkdag_na(vandaag + timedelta(1)))
    duur = timedelta(minutes=regel.duur_minuten)
    begin = _vrij_begin(klantmanager, dag, duur)
    try:
        return plan_afspraak(
            deelnemer=traject.deelnemer,
            traject=traject,
            soort=regel.soort,
            begin=begin,
            einde=begin + duur,
            medewerkers=[klantmanager],
            sleutel=regel.sleutel(traject),
        )
    except IntegrityError:
        # Another run made it at the same moment: the constraint kept it to one.
        return Afspraak.objects.get(deelnemer=traject.deelnemer, sleutel=regel.sleutel(traject))
    except ValidationError as fout:
        logger.warning(
            "afspraakregel %s niet toegepast op traject %s: %s", regel.pk, traject.pk, fout
        )
        return None


def regels_toepassen(*, traject: Traject, regels=None, vandaag: date | None = None) -> list:
    """Apply the active rules of the trajectory's type; what exists already stays as it is.
    Returns the appointments of the rules (new or existing)."""
    vandaag = vandaag or timezone.localdate()
    if regels is None:
        regels = Afspraakregel.objects.filter(trajecttype_id=traject.trajecttype_id, actief=True)
    gemaakt = [_pas_toe(regel, traject, vandaag) for regel in regels]
    return [a for a in gemaakt if a is not None]


def alle_regels_toepassen(vandaag: date | None = None) -> int:
    """The rules for every running trajectory (the nightly task); returns how many
    appointments the rules now have."""
    per_type: dict[int, list] = {}
    for regel in Afspraakregel.objects.filter(actief=True):
        per_type.setdefault(regel.trajecttype_id, []).append(regel)
    trajecten = (
        Traject.objects.lopend()
        .filter(trajecttype_id__in=per_type)
        .select_related("deelnemer__klantmanager", "klantmanager")
        .prefetch_related("fasen")
    )
    aantal = 0
    for traject in trajecten.iterator(chunk_size=500):
        aantal += len(
            regels_toepassen(
                traject=traject, regels=per_type[traject.trajecttype_id], vandaag=vandaag
            )
        )
    return aantal
