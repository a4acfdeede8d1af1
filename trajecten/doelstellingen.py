"""Programme targets measured in the database: cohorts per month, and a yearly taakstelling.

A share target (Arnhem: "80% in a dual trajectory within 3 months of selection") follows
cohorts: the trajectories whose reference date (aanmelding or start) falls in a month, and
how many of them reached the goal within the term. A month is final once its last day plus
the term has passed; until then its share is provisional (people may still reach the goal).
A count target (Almere: 25 placements a year) counts trajectories started per month against
the year's taakstelling.
"""

from calendar import isleap
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import NotSupportedError
from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

from reintegratie import grafiek
from reintegratie.rapport import Onderdeel, Tabel

from .models import (
    Doelstelling,
    Traject,
    Uitstroom,
    UrenPerMaand,
    Urenregistratie,
    Voortgangsrapportage,
)

M = Doelstelling.Meting


class PlusMaanden(Func):
    """``date + n calendar months`` in SQL."""

    output_field = DateField()

    def __init__(self, expressie, maanden: int):
        self.maanden = int(maanden)  # an int, so it can stand in the SQL text
        super().__init__(expressie)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("PlusMaanden kent alleen PostgreSQL en SQLite.")

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template=f"(%(expressions)s + make_interval(months => {self.maanden}))::date",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite's date(x, '+1 months') runs on past a month's end (31-01 gives 03-03);
        # capped at the last day of the target month it gives 28-02, as PostgreSQL and
        # relativedelta do.
        sql, params = compiler.compile(self.source_expressions[0])
        n = self.maanden
        return (
            f"min(date({sql}, '+{n} months'), "
            f"date({sql}, 'start of month', '+{n + 1} months', '-1 day'))",
            (*params, *params),
        )


def _gehaald(doelstelling) -> Q:
    """Whether a trajectory of the cohort reached the goal within the term."""
    n = doelstelling.termijn_maanden
    match doelstelling.meting:
        case M.BEGONNEN:
            # Begun is the first hour worked or in training, not the planned start: a
            # participant who never turns up has not begun.
            return _begonnen_voor(PlusMaanden(OuterRef("aanmelddatum"), n))
        case M.WERKFIT:
            # Werkfit: ready for a next step (document 002). Recorded as a progress report
            # advising the next phase or uitstroom, or an outcome in work or study.
            advies = Voortgangsrapportage.objects.filter(
                traject=OuterRef("pk"),
                advies__in=[
                    Voortgangsrapportage.Advies.VOLGENDE_FASE,
                    Voortgangsrapportage.Advies.UITSTROOM,
                ],
                opgesteld_op__lte=PlusMaanden(OuterRef("startdatum"), n),
            )
            return Q(Exists(advies)) | Q(
                uitstroom__resultaat__in=[Uitstroom.Resultaat.WERK, Uitstroom.Resultaat.STUDIE],
                uitstroom__datum__lte=PlusMaanden(F("startdatum"), n),
            )
        case M.INBURGERING:
            return Q(deelnemer__inburgering_voldaan_op__lte=PlusMaanden(F("startdatum"), n))
    raise ValueError(doelstelling.meting)


def _begonnen_voor(uiterlijk) -> Q:
    """Whether the trajectory has a productive hour on or before ``uiterlijk``. The months
    wholly before its month are looked up in UrenPerMaand, one row each, and only the last
    month in the registrations, by participant and date (an index): probing every phase's
    registrations for each trajectory of a cohort was most of the report's time."""
    maand = TruncMonth(uiterlijk, output_field=DateField())
    eerder = UrenPerMaand.objects.filter(traject=OuterRef("pk"), maand__lt=maand, uren__gt=0)
    laatste_maand = Urenregistratie.objects.productief().filter(
        deelnemer=OuterRef("deelnemer"),
        datum__gte=maand,
        datum__lte=uiterlijk,
        fase__traject=OuterRef("pk"),
    )
    return Q(Exists(eerder)) | Q(Exists(laatste_maand))


def _peildatum(doelstelling) -> str:
    return "aanmelddatum" if doelstelling.meting == M.BEGONNEN else "startdatum"


@dataclass
class Maand:
    maand: date
    aantal: int
    gehaald: int
    definitief: bool = True
    cumulatief: int = 0  # taakstelling: started so far in the year
    naar_rato: float = 0.0  # taakstelling: the year's target pro rata at the end of the month

    @property
    def percentage(self):
        return round(100 * self.gehaald / self.aantal, 1) if self.aantal else None


@dataclass
class Jaar:
    jaar: int
    streefwaarde: int
    gerealiseerd: int
    naar_rato: float  # the target pro rata up to today (this year) or the whole year


@dataclass
class Meting:
    doelstelling: Doelstelling
    maanden: list[Maand]
    jaren: list[Jaar] = field(default_factory=list)

    @property
    def definitieve(self):
        return [m for m in self.maanden if m.definitief]

    @property
    def aantal(self):
        return sum(m.aantal for m in self.definitieve)

    @property
    def gehaald(self):
        return sum(m.gehaald for m in self.definitieve)

    @property
    def percentage(self):
        """The realised share over the final months of the period."""
        return round(100 * self.gehaald / self.aantal, 1) if self.aantal else None

    @property
    def voorlopig_aantal(self):
        return sum(m.aantal for m in self.maanden if not m.definitief)

    @property
    def voorlopig_gehaald(self):
        return sum(m.gehaald for m in self.maanden if not m.definitief)

    @property
    def op_koers(self):
        d = self.doelstelling
        if d.is_aandeel:
            return None if self.percentage is None else self.percentage >= d.streefwaarde
        huidig = self.jaren[-1] if self.jaren else None
        return None if huidig is None else huidig.gerealiseerd >= huidig.naar_rato


def _maanden(van, tot):
    maand = van.replace(day=1)
    while maand <= tot:
        yield maand
        maand += relativedelta(months=1)


def meten(doelstelling, *, trajecten, van, tot, vandaag) -> Meting:
    """Measure ``doelstelling`` over ``trajecten`` (already scoped and filtered) whose
    reference date lies in [van, tot]; one query."""
    tot = min(tot, vandaag)
    getoond_vanaf = van.replace(day=1)
    if not doelstelling.is_aandeel:
        # A yearly taakstelling counts from 1 January, also when the period starts later.
        van = van.replace(month=1, day=1)
    peil = _peildatum(doelstelling)
    cohort = trajecten.filter(
        trajecttype=doelstelling.trajecttype, **{f"{peil}__range": (van, tot)}
    )
    if doelstelling.meting == M.INBURGERING:
        # Who met the obligation before the trajectory began had none left to meet in it.
        cohort = cohort.filter(deelnemer__inburgeringsplichtig=True).exclude(
            deelnemer__inburgering_voldaan_op__lt=F("startdatum")
        )
    aggregaten = {"aantal": Count("pk")}
    if doelstelling.is_aandeel:
        aggregaten["gehaald"] = Count("pk", filter=_gehaald(doelstelling))
    per_maand = {
        r["maand"]: r
        for r in cohort.annotate(maand=TruncMonth(peil))
        .values("maand")
        .annotate(**aggregaten)
        .order_by("maand")
    }
    maanden = []
    for maand in _maanden(van, tot):
        rij = per_maand.get(maand, {})
        laatste_dag = maand + relativedelta(months=1, days=-1)
        maanden.append(
            Maand(
                maand=maand,
                aantal=rij.get("aantal", 0),
                gehaald=rij.get("gehaald", rij.get("aantal", 0)),
                definitief=(
                    laatste_dag + relativedelta(months=doelstelling.termijn_maanden or 0) < vandaag
                ),
            )
        )
    meting = Meting(doelstelling, maanden)
    if not doelstelling.is_aandeel:
        _taakstelling(meting, vandaag)
        meting.maanden = [m for m in maanden if m.maand >= getoond_vanaf]
    return meting


def _taakstelling(meting, vandaag):
    """Started so far per year, against the yearly target and the target pro rata."""
    streef = meting.doelstelling.streefwaarde
    jaren = {}
    for m in meting.maanden:
        jaar = jaren.setdefault(m.maand.year, Jaar(m.maand.year, streef, 0, float(streef)))
        jaar.gerealiseerd += m.aantal
        m.cumulatief = jaar.gerealiseerd
        m.naar_rato = round(streef * m.maand.month / 12, 1)
        m.definitief = m.maand + relativedelta(months=1) <= vandaag
    if vandaag.year in jaren:
        dag = vandaag.timetuple().tm_yday
        jaren[vandaag.year].naar_rato = round(
            streef * dag / (366 if isleap(vandaag.year) else 365), 1
        )
    meting.jaren = list(jaren.values())


def doelstellingen_meten(*, user, van, tot, filters, vandaag):
    """Every active target, measured over the trajectories ``user`` may see."""
    trajecten = Traject.objects.geteld_voor(user).met_rapportfilters(**filters)
    doelstellingen = Doelstelling.objects.filter(actief=True).select_related("trajecttype")
    if filters.get("trajecttype"):
        doelstellingen = doelstellingen.filter(trajecttype=filters["trajecttype"])
    return [
        meten(d, trajecten=trajecten, van=van, tot=tot, vandaag=vandaag) for d in doelstellingen
    ]


def _maandnaam(maand, kort=False):
    return date_format(maand, "M" if kort else "F Y")


def _procent(waarde):
    return "–" if waarde is None else f"{waarde:.1f}%".replace(".", ",")


def onderdelen(metingen) -> list[Onderdeel]:
    """Each measured target as a report section: key figures, a table per month, a chart."""
    return [
        _aandeel(m) if m.doelstelling.is_aandeel else _taakstelling_onderdeel(m) for m in metingen
    ]


def _status(meting):
    return {True: "Op koers", False: "Onder de streefwaarde", None: "Nog niet te zeggen"}[
        meting.op_koers
    ]


def _aandeel(meting) -> Onderdeel:
    d = meting.doelstelling
    kerncijfers = [
        ("Streefwaarde", f"{d.streefwaarde}% binnen {d.termijn_maanden} maanden"),
        (
            "Gerealiseerd (afgeronde maanden)",
            f"{_procent(meting.percentage)} ({meting.gehaald} van {meting.aantal})"
            if meting.aantal
            else "nog geen afgeronde maand met trajecten",
        ),
        (
            "Voorlopig (termijn loopt nog)",
            f"{meting.voorlopig_gehaald} van {meting.voorlopig_aantal} gehaald tot nu toe",
        ),
        ("Stand", _status(meting)),
    ]
    if d.bron:
        kerncijfers.append(("Bron", d.bron))
    rijen = [
        [
            _maandnaam(m.maand),
            m.aantal,
            m.gehaald,
            m.percentage,
            "definitief" if m.definitief else "voorlopig",
        ]
        for m in meting.maanden
    ]
    peil = "aanmelding (selectie)" if d.meting == M.BEGONNEN else "start"
    return Onderdeel(
        f"doel-{d.pk}",
        f"{d.trajecttype}: {d.naam}",
        Tabel([f"Maand van {peil}", "Trajecten", "Gehaald", "Aandeel (%)", "Stand"], rijen),
        f"{d.get_meting_display()}. Per maand de trajecten met hun {peil} in die maand, en "
        "hoeveel daarvan het doel binnen de termijn haalden. Een maand is voorlopig zolang "
        "de termijn nog loopt.",
        grafiek.kolommen(
            f"doel-{d.pk}",
            f"{d.naam}: aandeel per maand in procenten",
            [
                grafiek.Staaf(
                    _maandnaam(m.maand, kort=True), m.percentage, voorlopig=not m.definitief
                )
                for m in meting.maanden
            ],
            streefwaarde=d.streefwaarde,
            streef_label=f"streefwaarde {d.streefwaarde}%",
            maximum=100,
            eenheid="%",
        ),
        kerncijfers,
    )


def _taakstelling_onderdeel(meting) -> Onderdeel:
    d = meting.doelstelling
    kerncijfers = [("Taakstelling", f"{d.streefwaarde} per kalenderjaar")]
    kerncijfers += [
        (
            f"Gerealiseerd {jaar.jaar}",
            f"{jaar.gerealiseerd} van {jaar.streefwaarde}"
            f" (naar rato {str(jaar.naar_rato).replace('.', ',')})",
        )
        for jaar in meting.jaren
    ]
    kerncijfers.append(("Stand", _status(meting)))
    if d.bron:
        kerncijfers.append(("Bron", d.bron))
    return Onderdeel(
        f"doel-{d.pk}",
        f"{d.trajecttype}: {d.naam}",
        Tabel(
            ["Maand", "Gestart", "Totaal in het jaar", "Taakstelling naar rato"],
            [[_maandnaam(m.maand), m.aantal, m.cumulatief, m.naar_rato] for m in meting.maanden],
        ),
        f"{d.get_meting_display()}: per maand de gestarte trajecten, opgeteld per "
        "kalenderjaar, tegen de taakstelling.",
        grafiek.kolommen(
            f"doel-{d.pk}",
            f"{d.naam}: gestart in het jaar tot en met elke maand",
            [grafiek.Staaf(_maandnaam(m.maand, kort=True), m.cumulatief) for m in meting.maanden],
            streefwaarde=d.streefwaarde,
            streef_label=f"taakstelling {d.streefwaarde} per jaar",
        ),
        kerncijfers,
    )
