"""The manager's dashboard: each part one aggregate query, a table, and a chart of the table.

Participant counts use the organisation's trajectories (``tel_scope``), of any period. Hours come
from UrenPerWeek (millions of registrations summed per week as they are written): there an
organisation's hours are those in trajectories it provides, at workplaces it hosts, or of
participants it referred.
"""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from deelnemers.models import Doelgroep, LadderTrede
from reintegratie import grafiek
from reintegratie.access import tel_scope
from reintegratie.accounts.models import Organisatie
from reintegratie.rapport import Onderdeel, Tabel
from reintegratie.templatetags.opmaak import datum as datumtekst
from werkplekken.models import Plaatsing, Werkplek, Werksoort

from .models import Fase, Traject, UrenPerWeek, Urenregistratie
from .weekrooster import maandag_van

WEKEN = 12
Soort = Urenregistratie.Soort
AANWEZIG = [Soort.GEWERKT, Soort.SCHOLING]


def _procent(deel, geheel):
    return round(100 * Decimal(deel) / Decimal(geheel), 1) if geheel else None


def fasen(*, user, vandaag) -> Onderdeel:
    """Running trajectories per phase: begun, and registered but not yet begun."""
    rijen = list(
        Fase.objects.filter(
            tel_scope(user, "traject__deelnemer__", traject="traject__"),
            einddatum__isnull=True,
            traject__status__in=[Traject.Status.AANGEMELD, Traject.Status.ACTIEF],
        )
        .values("fasetype__trajecttype__naam", "fasetype__naam", "fasetype__volgorde")
        .annotate(
            begonnen=Count("pk", filter=Q(startdatum__lte=vandaag)),
            wachtend=Count("pk", filter=Q(startdatum__gt=vandaag)),
        )
        .order_by("fasetype__trajecttype__naam", "fasetype__volgorde")
    )
    tabel = Tabel(
        ["Trajecttype", "Fase", "Lopend", "Nog te beginnen"],
        [
            [
                r["fasetype__trajecttype__naam"],
                r["fasetype__naam"],
                r["begonnen"],
                r["wachtend"],
            ]
            for r in rijen
        ],
        voet=["Totaal", "", sum(r["begonnen"] for r in rijen), sum(r["wachtend"] for r in rijen)],
    )
    return Onderdeel(
        "fasen",
        "Lopende trajecten per fase",
        tabel,
        "Trajecten die lopen, naar hun huidige fase; aangemelde trajecten die nog moeten "
        "beginnen apart.",
        grafiek.staven(
            "fasen",
            "Lopende trajecten per fase",
            [grafiek.Staaf(f"{r[0]}: {r[1]}", r[2]) for r in tabel.rijen],
        ),
    )


def uren_per_week(*, user, vandaag) -> list[Onderdeel]:
    """Hours per week and kind over the last weeks, and the attendance they show."""
    eerste = maandag_van(vandaag) - timedelta(weeks=WEKEN - 1)
    org = user.organisatie_id
    totalen = {
        (r["week"], r["soort"]): r["totaal"]
        for r in UrenPerWeek.objects.filter(
            Q(aanbieder_id=org) | Q(werkplek_organisatie_id=org) | Q(verwijzer_id=org),
            week__gte=eerste,
            week__lte=vandaag,
        )
        .values("week", "soort")
        .annotate(totaal=Sum("uren"))
        .order_by()
    }
    weken = [eerste + timedelta(weeks=i) for i in range(WEKEN)]
    rijen, aanwezigheid = [], []
    for week in weken:
        per_soort = [totalen.get((week, s), Decimal(0)) for s in Soort.values]
        aanwezig = sum(totalen.get((week, s), Decimal(0)) for s in AANWEZIG)
        alles = sum(per_soort)
        rijen.append([f"{datumtekst(week)}", *per_soort, aanwezig])
        aanwezigheid.append([f"{datumtekst(week)}", aanwezig, alles, _procent(aanwezig, alles)])
    label = [f"{w.day}-{w.month}" for w in weken]
    uren = Onderdeel(
        "uren",
        "Geregistreerde uren per week",
        Tabel(["Week (maandag)", *Soort.labels, "Productief"], rijen),
        f"De laatste {WEKEN} weken, deze week tot vandaag: uren in trajecten die wij "
        "uitvoeren, op onze werkplekken of van deelnemers die wij verwezen. De grafiek toont "
        "de productieve uren (gewerkt plus scholing); de tabel alle soorten.",
        grafiek.kolommen(
            "uren",
            "Productieve uren per week",
            [grafiek.Staaf(label[i], r[-1]) for i, r in enumerate(rijen)],
        ),
    )
    aanwezig = Onderdeel(
        "aanwezigheid",
        "Aanwezigheid per week (van de geregistreerde uren)",
        Tabel(
            ["Week (maandag)", "Aanwezig (uren)", "Geregistreerd (uren)", "Aanwezig (%)"],
            aanwezigheid,
        ),
        "Het deel van de geregistreerde uren dat gewerkt of aan scholing besteed is; de rest "
        "is ziek, verlof of afwezig. (De aanwezigheid in een voortgangsrapportage rekent "
        "anders: tegen de geplande uren van de plaatsing.)",
        grafiek.kolommen(
            "aanwezigheid",
            "Aanwezigheid per week in procenten",
            [grafiek.Staaf(label[i], r[-1]) for i, r in enumerate(aanwezigheid)],
            maximum=100,
            eenheid="%",
        ),
    )
    return [uren, aanwezig]


def bezetting(*, user, vandaag) -> Onderdeel:
    """Our workplaces against their capacity today, per werksoort."""
    werkplekken = Werkplek.objects.zichtbaar_voor(user).actief()
    capaciteit = {
        r["werksoort"]: r
        for r in werkplekken.values("werksoort")
        .annotate(werkplekken=Count("pk"), capaciteit=Sum("capaciteit"))
        .order_by()
    }
    bezet = dict(
        Plaatsing.objects.lopend_op(vandaag)
        .filter(werkplek__in=werkplekken)
        .values_list("werkplek__werksoort")
        .annotate(n=Count("pk"))
        .order_by()
    )
    namen = dict(Werksoort.choices)
    rijen = [
        [
            namen[soort],
            r["werkplekken"],
            r["capaciteit"],
            bezet.get(soort, 0),
            _procent(bezet.get(soort, 0), r["capaciteit"]),
        ]
        for soort, r in sorted(capaciteit.items(), key=lambda item: namen[item[0]])
    ]
    totaal_cap = sum(r[2] for r in rijen)
    totaal_bezet = sum(r[3] for r in rijen)
    return Onderdeel(
        "bezetting",
        "Bezetting van de werkplekken",
        Tabel(
            ["Werksoort", "Werkplekken", "Capaciteit", "Bezet", "Bezetting (%)"],
            rijen,
            voet=[
                "Totaal",
                sum(r[1] for r in rijen),
                totaal_cap,
                totaal_bezet,
                _procent(totaal_bezet, totaal_cap),
            ],
        ),
        "Lopende plaatsingen vandaag op onze actieve werkplekken, tegen hun capaciteit.",
        grafiek.staven(
            "bezetting",
            "Bezetting van de werkplekken per werksoort in procenten",
            [grafiek.Staaf(r[0], r[4]) for r in rijen],
            maximum=max([100, *[r[4] or 0 for r in rijen]]),
            eenheid="%",
        ),
    )


def doelgroepmix(*, user, vandaag) -> Onderdeel:
    """Who works where: participants placed today per location and doelgroep."""
    # Counted by ids, names looked up after: the rows to group (one per placement and
    # doelgroep, 68,000 at 100,000 participants) are narrower, so the sort for the distinct
    # count stays in memory instead of on disk (101 -> 78 ms).
    rijen = list(
        Plaatsing.objects.lopend_op(vandaag)
        .filter(tel_scope(user, "deelnemer__"))
        .values("werkplek__organisatie", "deelnemer__doelgroepen")
        .annotate(n=Count("deelnemer", distinct=True))
        .order_by()
    )
    organisaties = dict(
        Organisatie.objects.filter(pk__in={r["werkplek__organisatie"] for r in rijen}).values_list(
            "pk", "naam"
        )
    )
    namen = dict(Doelgroep.objects.values_list("pk", "naam"))
    tellingen = defaultdict(int)
    for r in rijen:
        doelgroep = namen.get(r["deelnemer__doelgroepen"], "Geen doelgroep")
        tellingen[organisaties[r["werkplek__organisatie"]], doelgroep] += r["n"]
    locaties = sorted({loc for loc, _ in tellingen})
    doelgroepen = sorted({d for _, d in tellingen})
    # Doelgroepen down, locations across: there are few locations and many doelgroepen,
    # so the table fits a page.
    tabel_rijen = [[d, *[tellingen.get((loc, d), 0) for loc in locaties]] for d in doelgroepen]
    return Onderdeel(
        "doelgroepmix",
        "Doelgroepmix per locatie",
        Tabel(["Doelgroep", *locaties], tabel_rijen),
        "Deelnemers die vandaag geplaatst zijn, per organisatie van de werkplek en doelgroep. "
        "Wie tot meer doelgroepen hoort, telt in elk daarvan.",
        grafiek.gestapeld(
            "doelgroepmix",
            "Doelgroepmix per locatie, aandelen per doelgroep",
            [(loc, [tellingen.get((loc, d), 0) for d in doelgroepen]) for loc in locaties],
            doelgroepen,
        ),
    )


def ladder(*, user, vandaag) -> Onderdeel:
    """Movement on the participatieladder of participants whose trajectory has begun and
    runs (the "lopend" of the phases above): the first measurement against the latest, as
    the participant's row keeps them (Deelnemer.eerste_trede, laatste_trede)."""
    rijen = list(
        Traject.objects.geteld_voor(user)
        .lopend()
        .filter(startdatum__lte=vandaag)
        .values(eerste=F("deelnemer__eerste_trede"), laatste=F("deelnemer__laatste_trede"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    treden = LadderTrede.Trede
    # Participants without any measurement form the group (None, None), left out.
    matrix = {(r["eerste"], r["laatste"]): r["n"] for r in rijen if r["eerste"] is not None}
    beweging = {
        "Gestegen": sum(n for (a, b), n in matrix.items() if b > a),
        "Gelijk gebleven": sum(n for (a, b), n in matrix.items() if b == a),
        "Gedaald": sum(n for (a, b), n in matrix.items() if b < a),
    }
    return Onderdeel(
        "ladder",
        "Beweging op de participatieladder",
        Tabel(
            ["Trede bij de eerste meting", *[f"Nu {t}" for t in treden.values], "Totaal"],
            [
                [
                    treden(a).label,
                    *[matrix.get((a, b), 0) for b in treden.values],
                    sum(matrix.get((a, b), 0) for b in treden.values),
                ]
                for a in treden.values
            ],
        ),
        "Deelnemers van wie het traject loopt (begonnen, niet afgesloten): de trede van de "
        "eerste meting (rij) tegen die van de laatste (kolom). Wie één meting heeft, staat op "
        "de diagonaal.",
        grafiek.staven(
            "ladder",
            "Beweging op de participatieladder",
            [grafiek.Staaf(label, n) for label, n in beweging.items()],
        ),
        [(label, str(n)) for label, n in beweging.items()],
    )


def kosten(*, user, vandaag) -> Onderdeel:
    """Cost per trajectory (instruments with a recorded cost), trajectories closed in the
    last twelve months, per trajecttype."""
    rijen = list(
        Traject.objects.geteld_voor(user)
        .filter(status=Traject.Status.AFGESLOTEN, einddatum__gt=vandaag - timedelta(days=365))
        .values("trajecttype__naam")
        .annotate(
            trajecten=Count("pk", distinct=True),
            met_kosten=Count("pk", filter=Q(instrumenten__kosten__gt=0), distinct=True),
            totaal=Sum("instrumenten__kosten", default=Decimal(0)),
        )
        .order_by("trajecttype__naam")
    )
    tabel = Tabel(
        [
            "Trajecttype",
            "Afgesloten trajecten",
            "Met kosten",
            "Kosten (euro)",
            "Per traject (euro)",
        ],
        [
            [
                r["trajecttype__naam"],
                r["trajecten"],
                r["met_kosten"],
                r["totaal"],
                round(r["totaal"] / r["trajecten"]) if r["trajecten"] else None,
            ]
            for r in rijen
        ],
    )
    return Onderdeel(
        "kosten",
        "Kosten per traject",
        tabel,
        "Trajecten afgesloten in de laatste twaalf maanden; kosten zijn de vastgelegde kosten "
        "van de ingezette instrumenten (trainingen, jobcoaching, loonkostensubsidie).",
        grafiek.staven(
            "kosten",
            "Gemiddelde kosten per afgesloten traject in euro",
            [grafiek.Staaf(r[0], r[4], tekst=f"€ {grafiek.getal(r[4])}") for r in tabel.rijen],
        ),
    )


BEWAARTIJD = 300


def _sleutel(user):
    return f"dashboard:{user.organisatie_id}:{user.rol}:{timezone.localdate():%Y%m%d}"


def cijfers(user):
    """The dashboard's sections and when they were counted, for ``user``'s organisation.

    Counting everything an organisation is involved in takes most of a second at 100,000
    participants (bench/README.md), so the result is kept five minutes per organisation and
    role; the page says when it was counted, and a manager can count again.
    """

    def tellen():
        return {
            "onderdelen": dashboard(user=user, vandaag=timezone.localdate()),
            "berekend_op": timezone.localtime(),
        }

    return cache.get_or_set(_sleutel(user), tellen, BEWAARTIJD)


def opnieuw_tellen(user) -> None:
    cache.delete(_sleutel(user))


def dashboard(*, user, vandaag) -> list[Onderdeel]:
    return [
        fasen(user=user, vandaag=vandaag),
        *uren_per_week(user=user, vandaag=vandaag),
        bezetting(user=user, vandaag=vandaag),
        doelgroepmix(user=user, vandaag=vandaag),
        ladder(user=user, vandaag=vandaag),
        kosten(user=user, vandaag=vandaag),
    ]
