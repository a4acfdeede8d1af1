"""Demo contract chains, follow-up and financing: every detacheringsbaan has its chain of temporary
contracts up to today (so some end soon and signal), and every uitstroom to work its kind of
contract and, once due, its follow-up at 6 and 12 months; most trajectories their financiers
(VERDELING), and the trajecttypes their prices (TARIEVEN). A random generator of its own, so
the rest of the demo data is the same with or without this."""

import random
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Subquery

from werkplekken.models import Plaatsing

from .models import (
    Contract,
    Contractschakel,
    Contractsoort,
    Financier,
    Financiering,
    Nazorg,
    Tarief,
    Traject,
    Trajecttype,
    Uitstroom,
)

CONTRACT_BIJ_WERK = (
    [Contractsoort.VAST] * 2 + [Contractsoort.TIJDELIJK] * 2 + [Contractsoort.LOONKOSTENSUBSIDIE]
)


def _keten(traject, schakels, werkgever_id, vandaag, rng):
    """The chain from the trajectory's start: each link as long as it may be, the last one
    running past today (or cut at the trajectory's end). Now and then the running contract
    is shorter and ends within weeks, so the signal shows."""
    start = traject.startdatum
    laatste = traject.einddatum or vandaag
    for maanden in schakels:
        if start > laatste:
            return
        einde = start + relativedelta(months=maanden) - timedelta(days=1)
        if traject.einddatum:
            einde = min(einde, traject.einddatum)
        elif einde >= vandaag and rng.random() < 0.5:
            einde = max(start, vandaag + timedelta(days=rng.randint(7, 25)))
        contract = Contract(
            traject=traject,
            werkgever_id=werkgever_id,
            soort=Contractsoort.TIJDELIJK,
            startdatum=start,
            einddatum=einde,
            vastgelegd_door_id=traject.klantmanager_id,
        )
        contract.zet_signaal(traject.trajecttype.contract_signaal_weken)
        yield contract
        start = einde + timedelta(days=1)


def _eerder_aan_het_werk(*, vandaag):
    """Participants who are back: an earlier detacheringsbaan of three contracts ended in
    temporary work, and six months later they no longer worked. Two of the demo
    klantmanager's, so a newcomer sees a whole chain and the follow-up; and the longest
    running detacheringsbaan, whose new contracts make the carrousel signal fire."""
    detachering = Trajecttype.objects.filter(contractschakels__isnull=False).first()
    if detachering is None:
        return
    geplaatst = Traject.objects.lopend().filter(
        Exists(Plaatsing.objects.filter(deelnemer=OuterRef("deelnemer"))),
        klantmanager__isnull=False,
    )
    terug = {
        traject.pk: traject
        for traject in [
            *geplaatst.filter(
                klantmanager__username="klantmanager",
                startdatum__lte=vandaag - relativedelta(months=11),
            ).order_by("startdatum")[:2],
            *geplaatst.filter(trajecttype=detachering).order_by("startdatum")[:1],
        ]
    }
    for huidig in terug.values():
        _eerdere_keten(huidig, detachering, vandaag=vandaag)


def _eerdere_keten(huidig, detachering, *, vandaag):
    """Before ``huidig``: a detacheringsbaan with its whole chain, ended in temporary work,
    and the follow-up after six months that found the participant out of work."""
    einde = huidig.startdatum - timedelta(days=1)
    werkgever_id = (
        Plaatsing.objects.filter(deelnemer=huidig.deelnemer_id)
        .values_list("werkplek__organisatie", flat=True)
        .first()
    )
    eerder = Traject.objects.create(
        deelnemer_id=huidig.deelnemer_id,
        trajecttype=detachering,
        route=huidig.route,
        status=Traject.Status.AFGESLOTEN,
        aanbieder_id=huidig.aanbieder_id,
        klantmanager_id=huidig.klantmanager_id,
        startdatum=einde - relativedelta(months=23) + timedelta(days=1),
        einddatum=einde,
        aanmelddatum=einde - relativedelta(months=24),
    )
    fasetype = detachering.fasetypes.order_by("volgorde").first()
    fasetype.fase_vanaf(eerder.startdatum, traject=eerder, einddatum=einde).save()
    schakels = list(detachering.contractschakels.values_list("max_maanden", flat=True))
    Contract.objects.bulk_create(_keten(eerder, schakels, werkgever_id, vandaag, random.Random(0)))
    uitstroom = Uitstroom.objects.create(
        traject=eerder,
        datum=einde,
        resultaat=Uitstroom.Resultaat.WERK,
        contract=Contractsoort.TIJDELIJK,
        vastgelegd_door_id=huidig.klantmanager_id,
    )
    Nazorg.objects.create(
        uitstroom=uitstroom,
        moment=Nazorg.Moment.ZES,
        datum=einde + relativedelta(months=6),
        aan_het_werk=False,
        toelichting="Tijdelijk contract niet verlengd; opnieuw aangemeld.",
        vastgelegd_door_id=huidig.klantmanager_id,
    )


def maak_demodata(*, vandaag) -> tuple[int, int]:
    """Contracts and follow-up; returns how many of each."""
    rng = random.Random(7)
    werkgever = Plaatsing.objects.filter(traject=OuterRef("pk")).order_by("startdatum")
    trajecten = (
        Traject.objects.filter(trajecttype__contractschakels__isnull=False)
        .distinct()
        .select_related("trajecttype")
        .annotate(werkgever_id=Subquery(werkgever.values("werkplek__organisatie")[:1]))
        .filter(werkgever_id__isnull=False, klantmanager__isnull=False)
    )
    schakels = {}
    for trajecttype_id, maanden in Contractschakel.objects.values_list(
        "trajecttype_id", "max_maanden"
    ):
        schakels.setdefault(trajecttype_id, []).append(maanden)
    contracten = [
        contract
        for traject in trajecten
        for contract in _keten(
            traject, schakels[traject.trajecttype_id], traject.werkgever_id, vandaag, rng
        )
    ]
    Contract.objects.bulk_create(contracten, batch_size=2000)

    nazorg = []
    naar_werk = list(
        Uitstroom.objects.filter(
            resultaat=Uitstroom.Resultaat.WERK, traject__klantmanager__isnull=False
        ).select_related("traject")
    )
    for uitstroom in naar_werk:
        uitstroom.contract = rng.choice(CONTRACT_BIJ_WERK)
        nog_aan_het_werk = True
        for moment in Nazorg.Moment:
            datum = uitstroom.datum + relativedelta(months=moment)
            # Most follow-ups are done on time; now and then one is still to do.
            if datum > vandaag or rng.random() < 0.15:
                break
            # Relapse is more likely without a permanent contract.
            kans = 0.9 if uitstroom.contract == Contractsoort.VAST else 0.7
            nog_aan_het_werk = nog_aan_het_werk and rng.random() < kans
            nazorg.append(
                Nazorg(
                    uitstroom=uitstroom,
                    moment=moment,
                    datum=datum,
                    aan_het_werk=nog_aan_het_werk,
                    vastgelegd_door_id=uitstroom.traject.klantmanager_id,
                )
            )
    Uitstroom.objects.bulk_update(naar_werk, ["contract"], batch_size=2000)
    Nazorg.objects.bulk_create(nazorg, batch_size=2000)
    _eerder_aan_het_werk(vandaag=vandaag)
    _financiering(rng)
    _tarieven(vandaag=vandaag)
    return Contract.objects.count(), Nazorg.objects.count()


# Who pays what, per trajecttype: the gemeente's budget for most, ESF for part of the route
# to work (its hours then go on an ESF statement), UWV for a few, and the work itself where
# De Fabriek earns from it.
VERDELING = {
    "Route Werk": [("participatiebudget", 60), ("esf", 40)],
    "Beschut werk": [("participatiebudget", 100)],
    "Arbeidsmatige dagbesteding": [("participatiebudget", 100)],
    "Detacheringsbaan": [("participatiebudget", 50), ("eigen_opbrengst", 50)],
}


# The prices, Almere's among them: a beschut werkplek at 22,000 a year, less above 60%
# loonwaarde; Route Werk's monthly price went up this year, so the report prices the
# months before and after at their own tariff.
TARIEVEN = {
    "Route Werk": [
        (0, Tarief.Eenheid.MAAND, "1250.00", -3),
        (0, Tarief.Eenheid.MAAND, "1310.00", 0),
    ],
    "Beschut werk": [
        (0, Tarief.Eenheid.JAAR, "22000.00", -3),
        (60, Tarief.Eenheid.JAAR, "18000.00", -3),
    ],
    "Arbeidsmatige dagbesteding": [(0, Tarief.Eenheid.UUR, "9.50", -3)],
    "Detacheringsbaan": [(0, Tarief.Eenheid.MAAND, "900.00", -3)],
}


def _tarieven(*, vandaag):
    typen = dict(Trajecttype.objects.filter(naam__in=TARIEVEN).values_list("naam", "pk"))
    Tarief.objects.bulk_create(
        Tarief(
            trajecttype_id=typen[naam],
            loonwaarde_vanaf=band,
            eenheid=eenheid,
            bedrag=Decimal(bedrag),
            geldig_vanaf=date(vandaag.year + jaren, 1, 1),
        )
        for naam, regels in TARIEVEN.items()
        if naam in typen
        for band, eenheid, bedrag, jaren in regels
    )


def _financiering(rng):
    financiers = {f.soort: f for f in Financier.objects.filter(actief=True)}
    rijen = []
    for traject_id, naam in Traject.objects.values_list("pk", "trajecttype__naam").iterator(
        chunk_size=2000
    ):
        verdeling = VERDELING.get(naam)
        # A tenth has no financier recorded yet, as happens: the cost report shows it.
        if not verdeling or rng.random() < 0.1:
            continue
        if naam == "Route Werk" and rng.random() < 0.2:
            verdeling = [("uwv", 100)]
        rijen.extend(
            Financiering(traject_id=traject_id, financier=financiers[soort], aandeel=aandeel)
            for soort, aandeel in verdeling
            if soort in financiers
        )
    Financiering.objects.bulk_create(rijen, batch_size=5000)
