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

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from itertools import groupby

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

from .models import Financiering, Instrumentinzet, Tarief, Traject, Urenregistratie
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


def _vensters(versies, van, tot):
    """Each version of one band with the days it is valid within [van, tot]."""
    for i, versie in enumerate(versies):
        begin = max(versie.geldig_vanaf, van)
        volgende = versies[i + 1].geldig_vanaf - timedelta(days=1) if i + 1 < len(versies) else tot
        eind = min(volgende, tot)
        if begin <= eind:
            yield versie, begin, eind


def _bandkosten(versies, *, van, tot, pad: str):
    """What a trajectory in this band costs in [van, tot]: days priced per day, and one
    subquery summing the registered productive hours at the hourly price of their day."""
    begin = Greatest(F(f"{pad}startdatum"), Value(van))
    eind = Least(Coalesce(F(f"{pad}einddatum"), Value(tot)), Value(tot))
    termen, uurprijzen = [], []
    for versie, vanaf, tot_en_met in _vensters(versies, van, tot):
        if versie.eenheid == Tarief.Eenheid.UUR:
            uurprijzen.append(When(datum__range=(vanaf, tot_en_met), then=Value(versie.bedrag)))
            continue
        dagen = Greatest(
            Dagen(Least(eind, Value(tot_en_met)), Greatest(begin, Value(vanaf))), Value(0)
        )
        termen.append(dagen * Value(versie.bedrag * PER_DAG[versie.eenheid], output_field=EURO))
    if uurprijzen:
        prijs = Case(*uurprijzen, default=NUL, output_field=EURO)
        uren = (
            Urenregistratie.objects.productief()
            .filter(fase__traject=OuterRef(f"{pad}pk"), datum__range=(van, tot))
            .order_by()
            .values("fase__traject")
            .annotate(kosten=Sum(F("uren") * prijs, output_field=EURO))
            .values("kosten")
        )
        termen.append(Coalesce(Subquery(uren), NUL))
    return sum(termen[1:], termen[0]) if termen else NUL


def alle_tarieven() -> list[Tarief]:
    """The configured tariffs, in the order :func:`tariefkosten` reads them."""
    return list(Tarief.objects.order_by("trajecttype_id", "-loonwaarde_vanaf", "geldig_vanaf"))


def tariefkosten(tarieven: list[Tarief], *, van, tot, pad: str = ""):
    """The expression for a trajectory's tariff cost in [van, tot]; ``pad`` leads from the
    queried model to Traject. One CASE over ``tarieven`` (:func:`alle_tarieven`): the band
    whose ``loonwaarde_vanaf`` is highest and not above the trajectory's loonwaarde."""
    gevallen = []
    for (trajecttype, band), versies in groupby(
        tarieven, key=lambda t: (t.trajecttype_id, t.loonwaarde_vanaf)
    ):
        voorwaarde = Q(**{f"{pad}trajecttype_id": trajecttype})
        if band:
            voorwaarde &= GreaterThanOrEqual(_loonwaarde(pad), band)
        kosten = _bandkosten(list(versies), van=van, tot=tot, pad=pad)
        gevallen.append(When(voorwaarde, then=kosten))
    return Case(*gevallen, default=NUL, output_field=EURO) if gevallen else NUL


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
    tariffs, the trajectories per trajecttype and outcome, and the funders' parts."""
    tarieven = alle_tarieven()
    per_type, per_uitkomst, totaal = {}, {}, Post("totaal", "Totaal")
    uitkomsten = {rij.code: rij.label for rij in RIJEN}
    rijen = (
        qs.annotate(uitkomst=_uitkomst())
        .values("trajecttype_id", "trajecttype__naam", "uitkomst")
        .annotate(
            n=Count("pk"),
            tarief=Sum(tariefkosten(tarieven, van=van, tot=tot), output_field=EURO),
            instrumenten=Sum(_instrumentkosten(van=van, tot=tot), output_field=EURO),
            werk=Count("pk", filter=naar_werk(van=van, tot=tot)),
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
        for post in (type_post, uitkomst_post, totaal):
            post.trajecten += rij["n"]
            post.tarief += _euro(rij["tarief"])
            post.instrumenten += _euro(rij["instrumenten"])
            post.werk += rij["werk"]
    return Kosten(
        totaal=totaal,
        per_trajecttype=sorted(per_type.values(), key=lambda p: p.label),
        per_resultaat=[per_uitkomst[r.code] for r in RIJEN if r.code in per_uitkomst],
        per_financier=_per_financier(qs, tarieven, van=van, tot=tot, totaal=totaal),
    )


def _meebetaald(*, van, tot) -> Q:
    """The funding rows that make a funder pay part of a trajectory in [van, tot]: its
    share of the trajectory, or of an instrument starting in the period."""
    return Q(instrument__isnull=True) | Q(instrument__startdatum__range=(van, tot))


def _per_financier(qs, tarieven, *, van, tot, totaal: Post) -> list[Post]:
    """Each funder's part, in one query over the funding rows; and what is left: not
    allocated."""
    eigen = Q(instrument__isnull=True)

    def deel(bedrag):
        # Multiplied first: SQLite divides a whole-number share as an integer (40 / 100 = 0).
        return bedrag * F("aandeel") / 100

    rijen = (
        Financiering.objects.filter(_meebetaald(van=van, tot=tot), traject__in=qs.values("pk"))
        .values("financier_id", "financier__naam")
        .annotate(
            n=Count("traject", distinct=True),
            werk=Count(
                "traject", distinct=True, filter=naar_werk(van=van, tot=tot, pad="traject__")
            ),
            tarief=Sum(
                deel(tariefkosten(tarieven, van=van, tot=tot, pad="traject__")),
                filter=eigen,
                output_field=EURO,
            ),
            instrumenten=Sum(deel(F("instrument__kosten")), filter=~eigen, output_field=EURO),
        )
        .order_by()
    )
    posten = [
        Post(
            f"financier-{rij['financier_id']}",
            rij["financier__naam"],
            trajecten=rij["n"],
            tarief=_euro(rij["tarief"]),
            instrumenten=_euro(rij["instrumenten"]),
            werk=rij["werk"],
        )
        for rij in rijen
    ]
    rest = Post(
        "niet-toegewezen",
        "Niet toegewezen",
        trajecten=None,  # not a count: which trajectories have a part uncovered is a list
        tarief=totaal.tarief - sum((p.tarief for p in posten), Decimal(0)),
        instrumenten=totaal.instrumenten - sum((p.instrumenten for p in posten), Decimal(0)),
    )
    return [*sorted(posten, key=lambda p: p.label), rest]


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
    kost_iets = GreaterThan(tariefkosten(alle_tarieven(), van=van, tot=tot), NUL)
    return Q(LessThan(eigen, Value(Decimal(100))) & Q(kost_iets)) | Q(Exists(instrument))


def per_traject(qs, *, van, tot):
    """``qs`` with each trajectory's ``tarief`` and ``instrumentkosten`` in [van, tot]."""
    return qs.annotate(
        tarief=tariefkosten(alle_tarieven(), van=van, tot=tot),
        instrumentkosten=_instrumentkosten(van=van, tot=tot),
    )
