"""Wie past waar: for one participant, the active workplaces ranked, each with the reasons in
words. A proposal the klantmanager accepts or not; nothing here places anyone.

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

from django.core.cache import cache
from django.db.models import Count

from reintegratie.access import Categorie
from reintegratie.templatetags.opmaak import aantal
from trajecten.models import PlanVanAanpak

from .models import Mixdoel, Plaatsing, Wachtlijstplaats, Werkplek, Werksoort

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
}
HOOGSTENS = 20
# The current mix per organisation changes slowly; counted at most every five minutes.
MIX_CACHE_SECONDEN = 300


@dataclass
class Voorstel:
    werkplek: dict  # pk, naam, organisatie_id, organisatie__naam, soort, werksoort, ...
    vrij: int
    vrij_bij_start: int
    wachtend: int
    punten: int = 0
    redenen: list[tuple[int, str]] = field(default_factory=list)

    def telt(self, punten: int, reden: str) -> None:
        self.punten += punten
        self.redenen.append((punten, reden))

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


def _capaciteit(voorstel, start, vandaag) -> None:
    w = voorstel.werkplek
    if voorstel.vrij > 0:
        voorstel.telt(
            PUNTEN["vrij"],
            f"Nu {aantal(voorstel.vrij)} van de {aantal(w['capaciteit'])} plaatsen vrij",
        )
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
        if deelnemer.woongemeente_id:
            wat.gemeente = deelnemer.woongemeente.naam.removeprefix("Gemeente ").lower()
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
        .values(
            "pk",
            "naam",
            "organisatie_id",
            "organisatie__naam",
            "soort",
            "werksoort",
            "capaciteit",
            "plaats",
        )
    )
    nu = _bezet_op(vandaag)
    bij_start = nu if start == vandaag else _bezet_op(start)
    wachtend = dict(
        Wachtlijstplaats.objects.open()
        .order_by()
        .values_list("werkplek_id")
        .annotate(n=Count("pk"))
    )
    doelen = {(m.organisatie_id, m.doelgroep_id): m.aandeel for m in Mixdoel.objects.all()}
    mix = _huidige_mix({org for org, _ in doelen}, vandaag) if wat.doelgroepen and doelen else {}
    voorstellen = []
    for w in werkplekken:
        v = Voorstel(
            werkplek=w,
            vrij=w["capaciteit"] - nu.get(w["pk"], 0),
            vrij_bij_start=w["capaciteit"] - bij_start.get(w["pk"], 0),
            wachtend=wachtend.get(w["pk"], 0),
        )
        _eigen_keuze(v, wat.voorkeuren)
        if wat.plan_soort and w["soort"] == wat.plan_soort:
            v.telt(
                PUNTEN["soort_zoals_plan"],
                f"{Werkplek.Soort(wat.plan_soort).label}, zoals het plan zegt",
            )
        _capaciteit(v, start, vandaag)
        if wat.gemeente and w["plaats"].lower() == wat.gemeente:
            v.telt(PUNTEN["woongemeente"], f"In de woongemeente ({w['plaats']})")
        _mix(v, wat.doelgroepen, doelen, mix)
        voorstellen.append(v)
    voorstellen.sort(
        key=lambda v: (-v.punten, -v.vrij_bij_start, v.werkplek["naam"], v.werkplek["pk"])
    )
    return Matching(voorstellen[:hoogstens], start, vandaag, len(werkplekken), wat.zonder)
