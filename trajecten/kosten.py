"""What the trajectories cost in a period, and who pays it: the cost report, in the database.

- **A trajectory** costs, for every day of the period it runs, a day of its trajecttype's
  tariff (a year's price / 365, a month's price × 12 / 365), or, at an hourly tariff, the
  price of every productive hour (gewerkt, scholing) registered in the period. Each day and
  hour is priced at the tariff valid on it, in the band of the trajectory's loonwaarde: that
  of its latest loonkostensubsidie, or band 0 when none is recorded.
- **An instrument** costs its recorded kosten, in the period it starts.
- **A funder** pays its share of each; what no share covers is "niet toegewezen".
- **Cost per placement in work**: the cost in the period, divided by the trajectories that
  ended in work in the period. Per funder: its part, divided by those it paid part of.

The trajectories are those the manager's organisation counts for category financieel
(regie or aanbieder, not the referrer) that run at some day of the period.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from itertools import groupby
from operator import or_

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan

from reintegratie.access import Categorie

from .models import (
    Financiering,
    Instrumentinzet,
    Tarief,
    Traject,
    UrenPerMaand,
    Urenregistratie,
)
from .resultaten import RIJEN

EURO = DecimalField(max_digits=16, decimal_places=2)
NUL = Value(Decimal(0), output_field=EURO)
PER_DAG = {Tarief.Eenheid.JAAR: Decimal(1) / 365, Tarief.Eenheid.MAAND: Decimal(12) / 365}
WERK = Q(uitstroom__resultaat="werk")


class Dagen(Func):
    """The days from the first date to the second, both included (0 or less: none)."""

    arg_joiner = " - "
    template = "(%(expressions)s + 1)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(julianday(%(expressions)s) AS INTEGER) + 1)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _loonwaarde(pad: str):
    """The trajectory's loonwaarde: that of its latest loonkostensubsidie, else 0."""
    laatste = Instrumentinzet.objects.filter(
        traject=OuterRef(f"{pad}pk"),
        instrument=Instrumentinzet.Instrument.LOONKOSTENSUBSIDIE,
        loonwaarde__isnull=False,
    ).order_by("-startdatum", "-pk")
    return Coalesce(Subquery(laatste.values("loonwaarde")[:1]), 0)


@dataclass(frozen=True)
class Prijs:
    """One tariff over the days [van, tot] of the period it applies to: a price per day of
    the trajectory (``per_uur`` False) or per productive hour."""

    van: date
    tot: date
    per_uur: bool
    bedrag: Decimal

    @property
    def sleutel(self) -> str:
        """The column of the quantity it prices; trajecttypes with the same window share it."""
        return f"{'uren' if self.per_uur else 'dagen'}_{self.van:%Y%m%d}_{self.tot:%Y%m%d}"


@dataclass
class Prijslijst:
    """The tariffs of [van, tot]: per (trajecttype_id, band) the prices and their windows.
    The one place that says what a day or an hour costs; the report sums the quantities
    per window in the database and prices them here, a trajectory's own cost (in the
    drill-down) prices them in the query."""

    prijzen: dict[tuple[int, int], list[Prijs]]

    @classmethod
    def van_periode(cls, *, van, tot) -> "Prijslijst":
        tarieven = Tarief.objects.order_by("trajecttype_id", "loonwaarde_vanaf", "geldig_vanaf")
        prijzen = {}
        for sleutel, versies in groupby(
            tarieven, key=lambda t: (t.trajecttype_id, t.loonwaarde_vanaf)
        ):
            prijzen[sleutel] = list(_vensters(list(versies), van, tot))
        return cls(prijzen)

    def banden(self, trajecttype_id) -> list[int]:
        """The trajecttype's loonwaarde bands above 0, highest first."""
        return sorted((b for t, b in self.prijzen if t == trajecttype_id and b), reverse=True)

    def kolommen(self, pad: str = "") -> dict:
        """Per window, the quantity of a trajectory ``pad`` away: its days in the window, or,
        for the trajecttypes with an hourly price there, its productive hours."""
        uurtypen = defaultdict(set)
        for (trajecttype, _band), prijzen in self.prijzen.items():
            for prijs in prijzen:
                if prijs.per_uur:
                    uurtypen[prijs.sleutel].add(trajecttype)
        kolommen = {}
        for prijs in (p for prijzen in self.prijzen.values() for p in prijzen):
            if prijs.per_uur:
                alleen = Q(**{f"{pad}trajecttype_id__in": sorted(uurtypen[prijs.sleutel])})
                kolommen[prijs.sleutel] = Case(
                    When(alleen, then=_uren(prijs.van, prijs.tot, pad=pad)), default=NUL
                )
            else:
                kolommen[prijs.sleutel] = _dagen(prijs.van, prijs.tot, pad=pad)
        return kolommen

    def band(self, pad: str = ""):
        """A trajectory's band: the highest of its trajecttype's bands not above its
        loonwaarde, else 0. The loonwaarde is looked up only for trajecttypes with bands."""
        gevallen = [
            When(
                Q(**{f"{pad}trajecttype_id": trajecttype})
                & GreaterThanOrEqual(_loonwaarde(pad), band),
                then=Value(band),
            )
            for trajecttype in sorted({t for t, _b in self.prijzen})
            for band in self.banden(trajecttype)
        ]
        return Case(*gevallen, default=Value(0), output_field=IntegerField())

    def bedrag(self, rij: dict, *, trajecttype_id, band) -> Decimal:
        """The cost of the quantities in ``rij`` (sums of :meth:`kolommen`), of trajectories
        of this trajecttype and band."""
        prijzen = self.prijzen.get((trajecttype_id, band), [])
        return sum(((rij[p.sleutel] or 0) * p.bedrag for p in prijzen), Decimal(0))

    def per_traject(self, pad: str = ""):
        """The expression of a trajectory's tariff cost, priced in the query: the first
        band, from the highest, that its loonwaarde reaches (as :meth:`band`)."""
        kolommen = self.kolommen(pad)
        gevallen = []
        for trajecttype, band in sorted(self.prijzen, key=lambda s: (s[0], -s[1])):
            voorwaarde = Q(**{f"{pad}trajecttype_id": trajecttype})
            if band:
                voorwaarde &= GreaterThanOrEqual(_loonwaarde(pad), band)
            prijzen = self.prijzen[trajecttype, band]
            kosten = sum(
                (kolommen[p.sleutel] * Value(p.bedrag, output_field=EURO) for p in prijzen), NUL
            )
            gevallen.append(When(voorwaarde, then=kosten))
        return Case(*gevallen, default=NUL, output_field=EURO) if gevallen else NUL


def _vensters(versies, van, tot):
    """The prices of one band's tariff versions, each over the days of [van, tot] it is
    valid: until the next version begins."""
    for i, versie in enumerate(versies):
        begin = max(versie.geldig_vanaf, van)
        volgende = versies[i + 1].geldig_vanaf - timedelta(days=1) if i + 1 < len(versies) else tot
        eind = min(volgende, tot)
        if begin <= eind:
            per_uur = versie.eenheid == Tarief.Eenheid.UUR
            bedrag = versie.bedrag if per_uur else versie.bedrag * PER_DAG[versie.eenheid]
            yield Prijs(begin, eind, per_uur, bedrag)


def _dagen(van, tot, *, pad: str):
    """The days of [van, tot] on which the trajectory runs."""
    begin = Greatest(F(f"{pad}startdatum"), Value(van))
    eind = Least(Coalesce(F(f"{pad}einddatum"), Value(tot)), Value(tot))
    return Greatest(Dagen(eind, begin), Value(0))


def _uren(van, tot, *, pad: str):
    """The productive hours registered on the trajectory in [van, tot]: the whole months
    from UrenPerMaand, the days of a month only partly in it from the registrations."""
    eerste = van if van.day == 1 else (van + relativedelta(months=1)).replace(day=1)
    laatste = (tot + timedelta(days=1)).replace(day=1) - relativedelta(months=1)
    traject = OuterRef(f"{pad}pk")
    randen = [(van, tot)]
    termen = []
    if eerste <= laatste:
        maanden = UrenPerMaand.objects.filter(traject=traject, maand__range=(eerste, laatste))
        termen.append(_som(maanden, "traject", "uren"))
        einde = laatste + relativedelta(months=1) - timedelta(days=1)
        randen = [
            (a, b)
            for a, b in ((van, eerste - timedelta(days=1)), (einde + timedelta(days=1), tot))
            if a <= b
        ]
    if randen:
        # By participant and date (an index), then only this trajectory's phases.
        geregistreerd = Urenregistratie.objects.productief().filter(
            reduce(or_, (Q(datum__range=r) for r in randen)),
            deelnemer=OuterRef(f"{pad}deelnemer_id"),
            fase__traject=traject,
        )
        termen.append(_som(geregistreerd, "deelnemer", "uren"))
    return sum(termen[1:], termen[0])


def _som(qs, groep: str, veld: str):
    """The sum of ``veld`` over ``qs`` (one group of ``groep``), as a subquery; 0 for none."""
    som = qs.order_by().values(groep).annotate(som=Sum(veld)).values("som")
    return Coalesce(Subquery(som), NUL)


def trajecten(*, user, van, tot, filters: dict):
    """The trajectories in the report: counted for ``user`` (category financieel), running
    at some day of [van, tot], filtered."""
    return (
        Traject.objects.geteld_voor(user, Categorie.FINANCIEEL)
        .met_rapportfilters(**filters)
        .filter(startdatum__lte=tot)
        .exclude(einddatum__lt=van)
    )


def _uitkomst(pad: str = ""):
    """The trajectory's outcome as it stands, as the outcomes report's row code."""
    return Case(
        *(When(_onder(rij.voorwaarde, pad), then=Value(rij.code)) for rij in RIJEN),
        default=Value("onbekend"),
    )


def _onder(voorwaarde: Q, pad: str) -> Q:
    """``voorwaarde`` on Traject, read from a model ``pad`` away."""
    if not pad:
        return voorwaarde
    nieuw = Q(
        *(
            _onder(kind, pad) if isinstance(kind, Q) else (f"{pad}{kind[0]}", kind[1])
            for kind in voorwaarde.children
        ),
        _connector=voorwaarde.connector,
        _negated=voorwaarde.negated,
    )
    return nieuw


def naar_werk(*, van, tot, pad: str = "") -> Q:
    """Trajectories that ended in work in [van, tot]."""
    return _onder(WERK, pad) & Q(**{f"{pad}einddatum__range": (van, tot)})


TOELICHTING = (
    "Een traject kost voor elke dag dat het in de periode loopt een dag van het tarief van "
    "zijn trajecttype (een jaartarief gedeeld door 365, een maandtarief maal 12 gedeeld door "
    "365), of bij een uurtarief elk productief uur dat in de periode is geregistreerd; een "
    "instrument kost zijn vastgelegde kosten in de periode waarin het start. Per plaatsing: "
    "het totaal gedeeld door de trajecten die in de periode naar werk uitstroomden."
)
TOELICHTING_FINANCIER = (
    "Elke financier betaalt zijn aandeel; wat geen aandeel dekt, staat onder Niet "
    "toegewezen. Samen tellen ze op tot het totaal. Per plaatsing: het deel van de "
    "financier gedeeld door de trajecten die hij meebetaalde en die naar werk uitstroomden."
)


@dataclass
class Post:
    """One line of the report: a trajecttype, an outcome, a funder, or the total."""

    cel: str  # the drill-down's key
    label: str
    trajecten: int | None = 0
    tarief: Decimal = Decimal(0)
    instrumenten: Decimal = Decimal(0)
    werk: int = 0

    @property
    def totaal(self) -> Decimal:
        return self.tarief + self.instrumenten

    @property
    def per_plaatsing(self) -> Decimal | None:
        return (self.totaal / self.werk).quantize(Decimal("0.01")) if self.werk else None

    @property
    def werkcel(self) -> str:
        return f"werk:{self.cel}"


@dataclass
class Kosten:
    totaal: Post
    per_trajecttype: list[Post]
    per_resultaat: list[Post]
    per_financier: list[Post]

    def label(self, cel: str) -> str:
        """What the drill-down of ``cel`` shows, in words: "Route Werk", "UWV, naar werk"."""
        posten = [self.totaal, *self.per_trajecttype, *self.per_resultaat, *self.per_financier]
        for post in posten:
            if cel == post.cel:
                return post.label
            if cel == post.werkcel:
                return f"{post.label}, naar werk"
        return "Trajecten"


def _euro(waarde) -> Decimal:
    return (waarde or Decimal(0)).quantize(Decimal("0.01"))


def _instrumentkosten(*, van, tot):
    """The costs of the trajectory's instruments starting in [van, tot], as a subquery."""
    som = (
        Instrumentinzet.objects.filter(
            traject=OuterRef("pk"), startdatum__range=(van, tot), kosten__isnull=False
        )
        .order_by()
        .values("traject")
        .annotate(som=Sum("kosten"))
        .values("som")
    )
    return Coalesce(Subquery(som), NUL)


def rapport(qs, *, van, tot) -> Kosten:
    """The cost report of the trajectories ``qs`` over [van, tot], in three queries: the
    tariffs, the trajectories per trajecttype, outcome and band, and the funders' parts.
    The database sums days, hours and costs; the tariffs price the sums."""
    prijslijst = Prijslijst.van_periode(van=van, tot=tot)
    per_type, per_uitkomst, totaal = {}, {}, Post("totaal", "Totaal")
    uitkomsten = {rij.code: rij.label for rij in RIJEN}
    rijen = (
        qs.annotate(uitkomst=_uitkomst(), band=prijslijst.band())
        .values("trajecttype_id", "trajecttype__naam", "uitkomst", "band")
        .annotate(
            n=Count("pk"),
            instrumenten=Sum(_instrumentkosten(van=van, tot=tot), output_field=EURO),
            werk=Count("pk", filter=naar_werk(van=van, tot=tot)),
            **{sleutel: Sum(kolom) for sleutel, kolom in prijslijst.kolommen().items()},
        )
        .order_by()
    )
    for rij in rijen:
        type_post = per_type.setdefault(
            rij["trajecttype_id"], Post(f"type-{rij['trajecttype_id']}", rij["trajecttype__naam"])
        )
        uitkomst_post = per_uitkomst.setdefault(
            rij["uitkomst"], Post(f"resultaat-{rij['uitkomst']}", uitkomsten[rij["uitkomst"]])
        )
        tarief = prijslijst.bedrag(rij, trajecttype_id=rij["trajecttype_id"], band=rij["band"])
        for post in (type_post, uitkomst_post, totaal):
            post.trajecten += rij["n"]
            post.tarief += _euro(tarief)
            post.instrumenten += _euro(rij["instrumenten"])
            post.werk += rij["werk"]
    return Kosten(
        totaal=totaal,
        per_trajecttype=sorted(per_type.values(), key=lambda p: p.label),
        per_resultaat=[per_uitkomst[r.code] for r in RIJEN if r.code in per_uitkomst],
        per_financier=_per_financier(qs, prijslijst, van=van, tot=tot, totaal=totaal),
    )


def _meebetaald(*, van, tot) -> Q:
    """The funding rows that make a funder pay part of a trajectory in [van, tot]: its
    share of the trajectory, or of an instrument starting in the period."""
    return Q(instrument__isnull=True) | Q(instrument__startdatum__range=(van, tot))


def _per_financier(qs, prijslijst, *, van, tot, totaal: Post) -> list[Post]:
    """Each funder's part, in one query over the funding rows, per trajecttype and band of
    the trajectory so the tariffs price its share of the days and hours; and what is left:
    not allocated."""
    eigen = Q(instrument__isnull=True)
    aandeel = {
        sleutel: Sum(F("aandeel") * kolom, filter=eigen, output_field=EURO)
        for sleutel, kolom in prijslijst.kolommen("traject__").items()
    }
    rijen = (
        Financiering.objects.filter(_meebetaald(van=van, tot=tot), traject__in=qs.values("pk"))
        .annotate(band=prijslijst.band("traject__"))
        .values("financier_id", "financier__naam", "traject__trajecttype_id", "band")
        .annotate(
            n=Count("traject", distinct=True),
            werk=Count(
                "traject", distinct=True, filter=naar_werk(van=van, tot=tot, pad="traject__")
            ),
            instrumenten=Sum(
                F("aandeel") * F("instrument__kosten"), filter=~eigen, output_field=EURO
            ),
            **aandeel,
        )
        .order_by()
    )
    posten = {}
    for rij in rijen:
        post = posten.setdefault(
            rij["financier_id"],
            Post(f"financier-{rij['financier_id']}", rij["financier__naam"], trajecten=0),
        )
        # A trajectory has one trajecttype and band: its rows are in one group only.
        post.trajecten += rij["n"]
        post.werk += rij["werk"]
        post.tarief += _euro(
            prijslijst.bedrag(rij, trajecttype_id=rij["traject__trajecttype_id"], band=rij["band"])
            / 100
        )
        post.instrumenten += _euro((rij["instrumenten"] or 0) / 100)
    rest = Post(
        "niet-toegewezen",
        "Niet toegewezen",
        trajecten=None,  # not a count: which trajectories have a part uncovered is a list
        tarief=totaal.tarief - sum((p.tarief for p in posten.values()), Decimal(0)),
        instrumenten=totaal.instrumenten
        - sum((p.instrumenten for p in posten.values()), Decimal(0)),
    )
    return [*sorted(posten.values(), key=lambda p: p.label), rest]


def _gedekt(rijen, pad_traject: str):
    """The sum of the shares of the funding rows ``rijen`` (a Financiering filter)."""
    som = (
        Financiering.objects.filter(**rijen)
        .order_by()
        .values(pad_traject)
        .annotate(som=Sum("aandeel"))
        .values("som")
    )
    return Coalesce(Subquery(som), Value(Decimal(0)), output_field=EURO)


def cel_voorwaarde(cel: str, *, van, tot) -> Q | None:
    """Which trajectories of the report are behind ``cel``; None for an unknown cell.
    ``werk:<cel>``: those of ``cel`` that ended in work in the period."""
    if cel.startswith("werk:"):
        binnen = _regel_voorwaarde(cel.removeprefix("werk:"), van=van, tot=tot)
        return None if binnen is None else naar_werk(van=van, tot=tot) & binnen
    return _regel_voorwaarde(cel, van=van, tot=tot)


def _regel_voorwaarde(cel: str, *, van, tot) -> Q | None:
    soort, _, sleutel = cel.partition("-")
    # A key from the URL: digits that fit the database's integer, else no cell.
    pk = int(sleutel) if sleutel.isdecimal() and len(sleutel) < 10 else None
    if cel == "totaal":
        return Q()
    if soort == "type" and pk is not None:
        return Q(trajecttype_id=pk)
    if soort == "resultaat":
        rij = next((r for r in RIJEN if r.code == sleutel), None)
        return rij.voorwaarde if rij else None
    if soort == "financier" and pk is not None:
        meebetaald = Financiering.objects.filter(
            _meebetaald(van=van, tot=tot), traject=OuterRef("pk"), financier_id=pk
        )
        return Q(Exists(meebetaald))
    if cel == "niet-toegewezen":
        return _niet_toegewezen(van=van, tot=tot)
    return None


def _niet_toegewezen(*, van, tot) -> Q:
    """Trajectories with a cost in [van, tot] that their shares do not fully cover."""
    eigen = _gedekt({"traject": OuterRef("pk"), "instrument__isnull": True}, "traject")
    instrument = (
        Instrumentinzet.objects.filter(
            traject=OuterRef("pk"), startdatum__range=(van, tot), kosten__gt=0
        )
        .annotate(gedekt=_gedekt({"instrument": OuterRef("pk")}, "instrument"))
        .filter(gedekt__lt=100)
    )
    kost_iets = GreaterThan(Prijslijst.van_periode(van=van, tot=tot).per_traject(), NUL)
    return Q(LessThan(eigen, Value(Decimal(100))) & Q(kost_iets)) | Q(Exists(instrument))


def per_traject(qs, *, van, tot):
    """``qs`` with each trajectory's ``tarief`` and ``instrumentkosten`` in [van, tot]."""
    return qs.annotate(
        tarief=Prijslijst.van_periode(van=van, tot=tot).per_traject(),
        instrumentkosten=_instrumentkosten(van=van, tot=tot),
    )
