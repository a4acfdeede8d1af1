"""Wie past waar: for one participant, the active workplaces ranked, each with the reasons in
words; and the other way round, for a workplace, the candidates. A proposal the klantmanager
accepts or not; nothing here places anyone.

The reasons, and what each weighs (``PUNTEN``), live here and nowhere else:
- the participant's own choice (a workplace, or a werksoort), higher for a higher rank;
- intern or extern, as the latest plan van aanpak says;
- free capacity today and at the planned start (full: the waiting list is the way in);
- the woongemeente: a workplace in the participant's own municipality;
- the doelgroep mix the workplace's organisation aims for (``Mixdoel``).

Each reason is read only where the user may read what it rests on (its category, from the
participant's ``Toegang``): without the traject category no preferences, municipality or
doelgroep; without the plan category no intern/extern. The ranking then rests on what is left,
and says so.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery

from deelnemers.models import Deelnemer
from reintegratie.access import Categorie, Handeling, Toegang, handeling_scope, met_betrokkenheid
from reintegratie.templatetags.opmaak import aantal
from trajecten.models import PlanVanAanpak, Traject

from .models import Mixdoel, Plaatsing, Voorkeur, Wachtlijstplaats, Werkplek, Werksoort

PUNTEN = {
    "eigen_werkplek": 100,  # minus 10 per rank below the first
    "eigen_werksoort": 60,  # minus 5 per rank below the first
    "soort_zoals_plan": 20,
    "vrij": 15,
    "vrij_bij_start": 10,
    "vol": -30,
    "woongemeente": 15,
    "mix_onder_doel": 10,
    "mix_boven_doel": -5,
    # For a workplace's candidates: who waits for it (minus one per place further down),
    # and who works elsewhere now.
    "op_de_wachtlijst": 40,
    "elders_geplaatst": -10,
}
HOOGSTENS = 20
# The current mix per organisation changes slowly; counted at most every five minutes.
MIX_CACHE_SECONDEN = 300


WERKPLEKVELDEN = (
    "pk",
    "naam",
    "organisatie_id",
    "organisatie__naam",
    "soort",
    "werksoort",
    "capaciteit",
    "plaats",
)


@dataclass
class _Gewogen:
    """A pairing of a participant and a workplace, with its points and their reasons."""

    werkplek: dict  # WERKPLEKVELDEN
    punten: int = field(default=0, kw_only=True)
    redenen: list[tuple[int, str]] = field(default_factory=list, kw_only=True)

    def telt(self, punten: int, reden: str) -> None:
        self.punten += punten
        self.redenen.append((punten, reden))


@dataclass
class Voorstel(_Gewogen):
    """A workplace proposed for one participant."""

    vrij: int
    vrij_bij_start: int
    wachtend: int

    @property
    def vol_bij_start(self) -> bool:
        return self.vrij_bij_start <= 0

    @property
    def soort(self) -> str:
        return "Intern" if self.werkplek["soort"] == Werkplek.Soort.INTERN else "Extern"

    @property
    def werksoort(self) -> str:
        return Werksoort(self.werkplek["werksoort"]).label


@dataclass
class Matching:
    voorstellen: list[Voorstel]
    start: date
    vandaag: date
    aantal_werkplekken: int
    zonder: list[str]  # what the ranking could not use, in words


def _bezet_op(dag) -> dict[int, int]:
    return dict(
        Plaatsing.objects.lopend_op(dag)
        .order_by()
        .values_list("werkplek_id")
        .annotate(n=Count("pk"))
    )


def _huidige_mix(organisaties, vandaag) -> dict[int, tuple[int, dict[int, int]]]:
    """Per organisation: how many are placed at its workplaces today, and how many of them
    per doelgroep. Counts only."""
    mix = {}
    for org in organisaties:
        sleutel = f"matching:mix:{org}:{vandaag:%Y%m%d}"
        waarde = cache.get(sleutel)
        if waarde is None:
            geplaatst = Plaatsing.objects.lopend_op(vandaag).filter(werkplek__organisatie_id=org)
            totaal = geplaatst.values("deelnemer_id").distinct().count()
            per_doelgroep = dict(
                geplaatst.order_by()
                .values_list("deelnemer__doelgroepen")
                .annotate(n=Count("deelnemer_id", distinct=True))
            )
            waarde = (totaal, per_doelgroep)
            cache.set(sleutel, waarde, MIX_CACHE_SECONDEN)
        mix[org] = waarde
    return mix


def _eigen_keuze(voorstel, voorkeuren) -> None:
    w = voorstel.werkplek
    for v in voorkeuren:
        if v.werkplek_id == w["pk"]:
            punten = PUNTEN["eigen_werkplek"] - 10 * (v.rang - 1)
            voorstel.telt(punten, f"Eigen keuze nummer {v.rang}: {v.reden}")
        elif v.werksoort and v.werksoort == w["werksoort"]:
            punten = PUNTEN["eigen_werksoort"] - 5 * (v.rang - 1)
            soort = Werksoort(v.werksoort).label.lower()
            voorstel.telt(punten, f"Werksoort {soort} is eigen keuze nummer {v.rang}: {v.reden}")


@lru_cache(maxsize=1024)
def _vrij(vrij: int, capaciteit: int) -> str:
    # Written for every one of thousands of workplaces, with few distinct numbers: the
    # Dutch number format once per pair.
    return f"Nu {aantal(vrij)} van de {aantal(capaciteit)} plaatsen vrij"


def _capaciteit(voorstel, start, vandaag) -> None:
    w = voorstel.werkplek
    if voorstel.vrij > 0:
        voorstel.telt(PUNTEN["vrij"], _vrij(voorstel.vrij, w["capaciteit"]))
    if start != vandaag and voorstel.vrij_bij_start > 0:
        voorstel.telt(PUNTEN["vrij_bij_start"], "Plaats vrij bij de geplande start")
    if voorstel.vol_bij_start:
        wacht = f", {aantal(voorstel.wachtend)} op de wachtlijst" if voorstel.wachtend else ""
        voorstel.telt(PUNTEN["vol"], f"Vol bij de geplande start{wacht}")


def _mix(voorstel, doelgroepen, doelen, mix) -> None:
    org = voorstel.werkplek["organisatie_id"]
    totaal, per_doelgroep = mix.get(org, (0, {}))
    for doelgroep_id, naam in doelgroepen:
        doel = doelen.get((org, doelgroep_id))
        if doel is None:
            continue
        nu = round(100 * per_doelgroep.get(doelgroep_id, 0) / totaal) if totaal else 0
        organisatie = voorstel.werkplek["organisatie__naam"]
        if nu < doel:
            voorstel.telt(
                PUNTEN["mix_onder_doel"],
                f"{organisatie} zoekt meer deelnemers uit de doelgroep {naam} "
                f"(nu {nu}%, doel {doel}%)",
            )
        elif nu > doel:
            voorstel.telt(
                PUNTEN["mix_boven_doel"],
                f"{organisatie} heeft al meer uit de doelgroep {naam} dan het doel "
                f"(nu {nu}%, doel {doel}%)",
            )


def _weeg(gewogen, wat, doelen, mix) -> None:
    """What counts in both directions: own choice, plan, woongemeente, doelgroep mix."""
    w = gewogen.werkplek
    _eigen_keuze(gewogen, wat.voorkeuren)
    if wat.plan_soort and w["soort"] == wat.plan_soort:
        gewogen.telt(
            PUNTEN["soort_zoals_plan"],
            f"{Werkplek.Soort(wat.plan_soort).label}, zoals het plan zegt",
        )
    if wat.gemeente and w["plaats"].lower() == wat.gemeente:
        gewogen.telt(PUNTEN["woongemeente"], f"In de woongemeente ({w['plaats']})")
    _mix(gewogen, wat.doelgroepen, doelen, mix)


def _mixdoelen() -> dict[tuple[int, int], int]:
    return {(m.organisatie_id, m.doelgroep_id): m.aandeel for m in Mixdoel.objects.all()}


def _gemeente(deelnemer) -> str:
    if not deelnemer.woongemeente_id:
        return ""
    return deelnemer.woongemeente.naam.removeprefix("Gemeente ").lower()


@dataclass
class _Deelnemer:
    """What of the participant the ranking may use, and what it had to leave out."""

    plan_soort: str = ""
    voorkeuren: list = field(default_factory=list)
    doelgroepen: list = field(default_factory=list)
    gemeente: str = ""
    zonder: list[str] = field(default_factory=list)


def _wat_telt(deelnemer) -> _Deelnemer:
    toegang, wat = deelnemer.toegang, _Deelnemer()
    if toegang.leest(Categorie.PLAN):
        wat.plan_soort = (
            PlanVanAanpak.objects.filter(traject__in=deelnemer.trajecten.lopend())
            .order_by("-versie", "-pk")
            .values_list("werkplek_soort", flat=True)
            .first()
        ) or ""
    else:
        wat.zonder.append("het plan van aanpak (intern of extern)")
    if toegang.leest(Categorie.TRAJECT):
        wat.voorkeuren = list(deelnemer.voorkeuren.all())
        wat.doelgroepen = list(deelnemer.doelgroepen.values_list("pk", "naam"))
        wat.gemeente = _gemeente(deelnemer)
    else:
        wat.zonder.append("de eigen keuze, de woongemeente en de doelgroep")
    return wat


def voor_deelnemer(*, deelnemer, start: date, vandaag: date, hoogstens=HOOGSTENS) -> Matching:
    """The workplaces ranked for ``deelnemer`` (with its ``toegang``) from ``start``, but
    not where it works today."""
    wat = _wat_telt(deelnemer)
    werkplekken = list(
        Werkplek.objects.actief()
        .exclude(plaatsingen__in=Plaatsing.objects.lopend_op(vandaag).filter(deelnemer=deelnemer))
        .values(*WERKPLEKVELDEN)
    )
    nu = _bezet_op(vandaag)
    bij_start = nu if start == vandaag else _bezet_op(start)
    wachtend = dict(
        Wachtlijstplaats.objects.open()
        .order_by()
        .values_list("werkplek_id")
        .annotate(n=Count("pk"))
    )
    doelen = _mixdoelen()
    mix = _huidige_mix({org for org, _ in doelen}, vandaag) if wat.doelgroepen and doelen else {}
    voorstellen = []
    for w in werkplekken:
        v = Voorstel(
            werkplek=w,
            vrij=w["capaciteit"] - nu.get(w["pk"], 0),
            vrij_bij_start=w["capaciteit"] - bij_start.get(w["pk"], 0),
            wachtend=wachtend.get(w["pk"], 0),
        )
        _weeg(v, wat, doelen, mix)
        _capaciteit(v, start, vandaag)
        voorstellen.append(v)
    voorstellen.sort(
        key=lambda v: (-v.punten, -v.vrij_bij_start, v.werkplek["naam"], v.werkplek["pk"])
    )
    return Matching(voorstellen[:hoogstens], start, vandaag, len(werkplekken), wat.zonder)


@dataclass
class Kandidaat(_Gewogen):
    """A participant proposed for one workplace."""

    deelnemer: object
    wachtplaats: int | None  # the position on this workplace's waiting list
    elders: bool  # placed at another workplace today


@dataclass
class Kandidaten:
    kandidaten: list[Kandidaat]
    aantal: int


KANDIDATEN_HOOGSTENS = 200


def _kandidaten_queryset(*, user, werkplek, vandaag):
    """Whom ``user`` may place who chose this workplace or its werksoort, or waits for it;
    not who works here today. The latest plan's intern/extern and the other placements come
    along; the preferences and doelgroepen are prefetched."""
    keuzes = Voorkeur.objects.filter(Q(werkplek=werkplek) | Q(werksoort=werkplek.werksoort))
    wacht = Wachtlijstplaats.objects.open().filter(werkplek=werkplek)
    vandaag_geplaatst = Plaatsing.objects.lopend_op(vandaag)
    plan = PlanVanAanpak.objects.filter(
        traject__deelnemer=OuterRef("pk"), traject__einddatum__isnull=True
    ).order_by("-versie", "-pk")
    # Those few first (two small queries), then the scope on them: a scope test on every
    # participant of a region, under an OR of two EXISTS, took 200 ms at 100,000.
    wie = {*keuzes.values_list("deelnemer_id", flat=True)}
    wie |= {*wacht.values_list("deelnemer_id", flat=True)}
    return met_betrokkenheid(
        Deelnemer.objects.filter(pk__in=wie)
        .filter(handeling_scope(user, Handeling.PLAATSEN))
        .filter(Exists(Traject.objects.lopend().filter(deelnemer=OuterRef("pk"))))
        .exclude(Exists(vandaag_geplaatst.filter(deelnemer=OuterRef("pk"), werkplek=werkplek)))
        .annotate(
            elders=Exists(vandaag_geplaatst.filter(deelnemer=OuterRef("pk"))),
            plan_soort=Subquery(plan.values("werkplek_soort")[:1]),
            # Who is likely first, so that a cut at KANDIDATEN_HOOGSTENS keeps them.
            keuze_rang=Subquery(
                keuzes.filter(deelnemer=OuterRef("pk")).order_by("rang").values("rang")[:1]
            ),
            aangemeld_op=Subquery(
                wacht.filter(deelnemer=OuterRef("pk")).values("aangemeld_op")[:1]
            ),
        )
        .select_related("woongemeente")
        .prefetch_related(
            Prefetch("voorkeuren", queryset=keuzes, to_attr="passende_voorkeuren"),
            "doelgroepen",
        )
        .order_by(
            F("aangemeld_op").asc(nulls_last=True), F("keuze_rang").asc(nulls_last=True), "pk"
        )[:KANDIDATEN_HOOGSTENS],
        user,
    )


def voor_werkplek(*, user, werkplek, vandaag, hoogstens=HOOGSTENS) -> Kandidaten:
    """The participants ranked for ``werkplek``: the same weighing the other way round, with
    the waiting list in its order. Each reason only where the user reads what it rests on."""
    rijen = list(_kandidaten_queryset(user=user, werkplek=werkplek, vandaag=vandaag))
    wachtrij = list(
        Wachtlijstplaats.objects.open()
        .filter(werkplek=werkplek)
        .order_by("aangemeld_op", "pk")
        .values_list("deelnemer_id", flat=True)
    )
    doelen = _mixdoelen()
    mix = _huidige_mix({werkplek.organisatie_id}, vandaag) if doelen else {}
    w = {veld: getattr(werkplek, veld) for veld in WERKPLEKVELDEN if "__" not in veld}
    w["organisatie__naam"] = werkplek.organisatie.naam
    kandidaten = []
    for rij in rijen:
        rij.toegang = Toegang.van_rij(user, rij)
        wat = _Deelnemer()
        if rij.toegang.leest(Categorie.PLAN):
            wat.plan_soort = rij.plan_soort or ""
        if rij.toegang.leest(Categorie.TRAJECT):
            wat.voorkeuren = rij.passende_voorkeuren
            wat.doelgroepen = [(d.pk, d.naam) for d in rij.doelgroepen.all()]
            wat.gemeente = _gemeente(rij)
        plaats = wachtrij.index(rij.pk) + 1 if rij.pk in wachtrij else None
        k = Kandidaat(w, deelnemer=rij, wachtplaats=plaats, elders=rij.elders)
        if plaats:
            k.telt(
                PUNTEN["op_de_wachtlijst"] - plaats + 1,
                f"Op de wachtlijst, plaats {aantal(plaats)}",
            )
        if rij.elders:
            k.telt(PUNTEN["elders_geplaatst"], "Nu op een andere werkplek geplaatst")
        _weeg(k, wat, doelen, mix)
        kandidaten.append(k)
    kandidaten.sort(key=lambda k: (-k.punten, k.wachtplaats or len(wachtrij) + 1, k.deelnemer.pk))
    return Kandidaten(kandidaten[:hoogstens], len(kandidaten))
