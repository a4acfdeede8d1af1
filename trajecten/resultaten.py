"""Ferm Werk's results table ("Capaciteit, inzet en resultaten"), aggregated in the database.

A cohort report: the trajectories that started in the period, and where each of them stands
today. Every started trajectory is in exactly one row below "gestart", so the rows add up.
Below it, those who went to work: with which contract, and whether they still work after 6
and 12 months (the sustained outcome, from the recorded nazorg).
"""

from dataclasses import dataclass

from django.db.models import Aggregate, Count, Exists, FilteredRelation, OuterRef, Q

from .models import Contractsoort, Nazorg, Traject, Uitstroom

R, REDEN = Uitstroom.Resultaat, Uitstroom.Reden
AFGESLOTEN = Q(status=Traject.Status.AFGESLOTEN)


@dataclass(frozen=True)
class Rij:
    code: str
    label: str
    voorwaarde: Q  # which trajectories: for the count and for the drill-down
    inspringen: bool = False
    # How the table counts it, where not as the trajectories under ``voorwaarde``.
    telling: Aggregate | None = None

    @property
    def aantal(self) -> Aggregate:
        """The count in :func:`tabel`, whose query joins only what a trajectory has at most
        one of: every trajectory is one row, so no count needs DISTINCT."""
        return self.telling or Count("pk", filter=self.voorwaarde)


# The rows under "gestart", in the order of Ferm Werk's table; together they cover everything.
RIJEN = [
    Rij("lopend", "Lopend", ~AFGESLOTEN),
    Rij("werk", "Resultaat werk/proefplaatsing", Q(uitstroom__resultaat=R.WERK)),
    Rij("studie", "Resultaat studie", Q(uitstroom__resultaat=R.STUDIE)),
    Rij(
        "niet_haalbaar",
        "Voortijdige beëindiging: niet haalbaar",
        Q(uitstroom__resultaat=R.VOORTIJDIG, uitstroom__reden=REDEN.NIET_HAALBAAR),
        True,
    ),
    Rij(
        "zelf_beeindigd",
        "Voortijdige beëindiging: zelf beëindigd",
        Q(uitstroom__resultaat=R.VOORTIJDIG, uitstroom__reden=REDEN.ZELF_BEEINDIGD),
        True,
    ),
    Rij(
        "overig",
        "Voortijdige beëindiging: overig",
        Q(uitstroom__resultaat=R.VOORTIJDIG, uitstroom__reden=REDEN.OVERIG),
        True,
    ),
    Rij(
        "participatie",
        "Resultaat participatie/vrijwilligerswerk",
        Q(uitstroom__resultaat=R.PARTICIPATIE),
    ),
    Rij(
        "niet_geleid", "Niet geleid (participatie/uitstroom)", Q(uitstroom__resultaat=R.NIET_GELEID)
    ),
    # Closed without a recorded outcome: should not exist, but if it does it is shown.
    Rij(
        "onbekend", "Afgesloten zonder vastgelegd resultaat", AFGESLOTEN & Q(uitstroom__isnull=True)
    ),
]
WERK = Q(uitstroom__resultaat=R.WERK)


def _nazorg(moment, **velden) -> Q:
    return Q(
        Exists(Nazorg.objects.filter(uitstroom__traject=OuterRef("pk"), moment=moment, **velden))
    )


def _nazorg_relatie(moment) -> str:
    """The name :func:`tabel` joins the follow-up of ``moment`` by."""
    return f"nazorg_{moment}"


def _nazorg_geteld(moment, **velden) -> Count:
    """The follow-up of ``moment``, joined to the cohort by its own relation (at most one
    per trajectory, see :func:`tabel`): for a whole cohort far cheaper than a subquery per
    trajectory, and no row counted twice."""
    relatie = _nazorg_relatie(moment)
    voorwaarde = {f"{relatie}__{veld}": waarde for veld, waarde in velden.items()}
    return Count(relatie, filter=WERK & Q(**voorwaarde))


# Breakdowns of "werk": not part of the sum above.
WERK_RIJEN = [
    *(
        Rij(f"contract_{soort}", f"Werk: {label.lower()}", WERK & Q(uitstroom__contract=soort))
        for soort, label in Contractsoort.choices
    ),
    Rij(
        "contract_onbekend",
        "Werk: soort contract niet vastgelegd",
        WERK & Q(uitstroom__contract=""),
    ),
    *(
        rij
        for moment in Nazorg.Moment.values
        for rij in (
            Rij(
                f"nazorg_{moment}_werk",
                f"Na {moment} maanden nog aan het werk",
                WERK & _nazorg(moment, aan_het_werk=True),
                telling=_nazorg_geteld(moment, aan_het_werk=True),
            ),
            Rij(
                f"nazorg_{moment}_niet",
                f"Na {moment} maanden niet meer aan het werk",
                WERK & _nazorg(moment, aan_het_werk=False),
                True,
                telling=_nazorg_geteld(moment, aan_het_werk=False),
            ),
            Rij(
                f"nazorg_{moment}_open",
                f"Na {moment} maanden nog niet nagegaan",
                WERK & ~_nazorg(moment),
                True,
                telling=Count("pk", filter=WERK) - _nazorg_geteld(moment),
            ),
        )
    ),
]
CELLEN = {"gestart": Q(), **{rij.code: rij.voorwaarde for rij in RIJEN + WERK_RIJEN}}


def trajecten(*, user, van, tot, filters: dict):
    """The trajectories in the report: visible to ``user``, started in the period, filtered."""
    return (
        Traject.objects.geteld_voor(user)
        .met_rapportfilters(**filters)
        .filter(startdatum__range=(van, tot))
    )


def tabel(qs):
    """Count every row in one query; returns the counts and whether the rows add up.

    The follow-up is joined once per moment (its own relation, unique per outcome and
    moment) rather than all at once: so each trajectory stays one row. That holds as long as
    the report's filters only join what a trajectory has one of
    (:meth:`TrajectQuerySet.met_rapportfilters`)."""
    per_moment = {
        _nazorg_relatie(moment): FilteredRelation(
            "uitstroom__nazorg", condition=Q(uitstroom__nazorg__moment=moment)
        )
        for moment in Nazorg.Moment.values
    }
    aantallen = qs.annotate(**per_moment).aggregate(
        gestart=Count("pk"), **{rij.code: rij.aantal for rij in RIJEN + WERK_RIJEN}
    )
    som = sum(aantallen[rij.code] for rij in RIJEN)
    return aantallen, som == aantallen["gestart"]


def label(cel: str) -> str:
    return (
        "Gestart"
        if cel == "gestart"
        else next(r.label for r in RIJEN + WERK_RIJEN if r.code == cel)
    )


def getoonde_rijen(aantallen):
    """The rows to show: "closed without an outcome" only when there are such trajectories."""
    return [rij for rij in RIJEN if aantallen[rij.code] or rij.code != "onbekend"]
