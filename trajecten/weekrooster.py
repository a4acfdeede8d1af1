"""The week grid of a workplace: who is placed there, which days are open, what is booked.

Read in a fixed number of queries whatever the group size; the same structure serves the
page and the save (trajecten.services.week_opslaan), so both agree on which cells are open.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from werkplekken.models import Plaatsing

from .models import NUL_UREN, Fase, Traject, Urenregistratie

DAGEN = 5  # Monday to Friday: the work floor's week


@dataclass
class Cel:
    datum: date
    open: bool
    reden_dicht: str = ""
    registratie: Urenregistratie | None = None
    meerdere: bool = False
    elders: Decimal = NUL_UREN  # hours booked that day at other workplaces
    vergrendeld: bool = False

    @property
    def sleutel(self):
        return f"{self.datum:%Y%m%d}"


@dataclass
class Rij:
    deelnemer: object
    traject: Traject | None
    standaard_uren: Decimal
    cellen: list[Cel] = field(default_factory=list)

    def fase_op(self, datum):
        if self.traject is None:
            return None
        return next((f for f in self.traject.fasen.all() if f.loopt_op(datum)), None)

    def ruimte_op(self, datum) -> Decimal | None:
        """Productive hours still possible on ``datum``: what is left of the phase's budget
        and of the trajectory's cap, on the counters (None: no limit)."""
        fase = self.fase_op(datum)
        if fase is None:
            return self.traject.resterende_uren() if self.traject else None
        return self.traject.ruimte(fase)

    @property
    def huidige_fase(self):
        return self.traject.huidige_fase() if self.traject else None


@dataclass
class Rooster:
    werkplek: object
    maandag: date
    rijen: list[Rij]

    @property
    def dagen(self):
        return [self.maandag + timedelta(days=i) for i in range(DAGEN)]

    @property
    def vorige(self):
        return self.maandag - timedelta(days=7)

    @property
    def volgende(self):
        return self.maandag + timedelta(days=7)

    def rij(self, deelnemer_id):
        return next((r for r in self.rijen if r.deelnemer.pk == deelnemer_id), None)


def naar_kwartier(uren: Decimal) -> Decimal:
    """Round to the nearest quarter of an hour."""
    return (uren * 4).to_integral_value(ROUND_HALF_UP) / 4


def kwartieren_omlaag(uren: Decimal) -> Decimal:
    """Down to a whole quarter of an hour: never more than ``uren``."""
    return (uren * 4 // 1) / 4


VERGRENDELD = (
    "Deze dag is vergrendeld (geëvalueerd of gefactureerd); alleen een manager kan hier nog "
    "corrigeren."
)


def op_slot(werkplek, datum: date) -> bool:
    """Whether hours on ``datum`` at ``werkplek`` lie in its organisation's locked period:
    the one rule for the week grid and the single registration."""
    tot = werkplek.organisatie.uren_vergrendeld_tot
    return tot is not None and datum <= tot


def maandag_van(datum: date) -> date:
    return datum - timedelta(days=datum.weekday())


def lees_rooster(*, werkplek, maandag: date, user, trajecten=None) -> Rooster:
    """The grid for the week starting ``maandag``, of the participants whose hours ``user``
    reads at ``werkplek`` today (a host no longer after the placement and its nawerking).

    ``trajecten`` may pass trajectories already fetched (locked, by the save); otherwise
    they are read here with their phases.
    """
    vrijdag = maandag + timedelta(days=DAGEN - 1)
    vandaag = timezone.localdate()
    plaatsingen = list(
        Plaatsing.objects.zichtbaar_voor(user)
        .filter(werkplek=werkplek, startdatum__lte=vrijdag)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=maandag))
        .select_related("deelnemer")
        .order_by("deelnemer__achternaam", "deelnemer__voornaam", "startdatum")
    )
    deelnemer_ids = {p.deelnemer_id for p in plaatsingen}
    if trajecten is None:
        trajecten = (
            Traject.objects.filter(deelnemer_id__in=deelnemer_ids, startdatum__lte=vrijdag)
            .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=maandag))
            .select_related("trajecttype")
            .prefetch_related(Prefetch("fasen", queryset=Fase.objects.select_related("fasetype")))
        )
    traject_van = {t.deelnemer_id: t for t in trajecten}
    hier, elders = _registraties(werkplek, deelnemer_ids, maandag, vrijdag)
    per_deelnemer = defaultdict(list)
    for plaatsing in plaatsingen:
        per_deelnemer[plaatsing.deelnemer_id].append(plaatsing)
    rijen = []
    for deelnemer_id, eigen in per_deelnemer.items():
        traject = traject_van.get(deelnemer_id)
        rij = Rij(
            deelnemer=eigen[0].deelnemer,
            traject=traject,
            standaard_uren=naar_kwartier(eigen[-1].uren_per_week / DAGEN),
        )
        for i in range(DAGEN):
            dag = maandag + timedelta(days=i)
            rij.cellen.append(
                _cel(
                    dag,
                    registraties=hier.get((deelnemer_id, dag), []),
                    elders=elders.get((deelnemer_id, dag), NUL_UREN),
                    fase=rij.fase_op(dag),
                    plaatsingen=eigen,
                    werkplek=werkplek,
                    vandaag=vandaag,
                )
            )
        rijen.append(rij)
    return Rooster(werkplek=werkplek, maandag=maandag, rijen=rijen)


def _registraties(werkplek, deelnemer_ids, maandag, vrijdag):
    """The week's registrations at ``werkplek`` per (deelnemer_id, datum), and per the same
    key the hours registered elsewhere."""
    hier = defaultdict(list)
    for registratie in Urenregistratie.objects.filter(
        werkplek=werkplek, deelnemer_id__in=deelnemer_ids, datum__range=(maandag, vrijdag)
    ):
        hier[registratie.deelnemer_id, registratie.datum].append(registratie)
    elders = {
        (r["deelnemer_id"], r["datum"]): r["totaal"]
        for r in Urenregistratie.objects.filter(
            deelnemer_id__in=deelnemer_ids, datum__range=(maandag, vrijdag)
        )
        .exclude(werkplek=werkplek)
        .values("deelnemer_id", "datum")
        .annotate(totaal=Sum("uren"))
    }
    return hier, elders


def _cel(dag, *, registraties, elders, fase, plaatsingen, werkplek, vandaag) -> Cel:
    """One day of a participant's row: what is registered, and whether hours can be booked
    on it (and if not, why)."""
    cel = Cel(
        datum=dag,
        open=True,
        registratie=registraties[0] if registraties else None,
        meerdere=len(registraties) > 1,
        elders=elders,
        vergrendeld=bool(
            op_slot(werkplek, dag)
            or (fase is not None and fase.einddatum is not None and fase.einddatum < vandaag)
        ),
    )
    if dag > vandaag:
        cel.open, cel.reden_dicht = False, "nog niet"
    elif not any(p.loopt_op(dag) for p in plaatsingen):
        cel.open, cel.reden_dicht = False, "niet geplaatst"
    elif fase is None:
        cel.open, cel.reden_dicht = False, "geen traject"
    elif reden := fase.waarom_geen_uren(dag):
        cel.open, cel.reden_dicht = False, reden
    return cel
