"""Demo groups: De Fabriek's weekly sollicitatiegroep (counts toward the budget, led by the
demo trajectbegeleider) and Ferm Werk's intervisie every three weeks (led by the demo
klantmanager; it does not count). Past sessions with their attendance saved through the
service, coming ones planned; one coming session moved, one cancelled, one member left.

A fixed size whatever the number of participants: the groups take the first members that
fit, so ``demodata --deelnemers 100000`` spends the same second here as a small load."""

import random
from datetime import time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from reintegratie.accounts.models import Gebruiker, Organisatie
from reintegratie.agenda.models import Afspraak
from trajecten.models import Traject
from werkplekken.models import Werkplek

from . import services
from .models import Aanwezigheid, Groep, Groepsbijeenkomst, Lidmaatschap, Weekdag

LEDEN = 10
GROEPEN = [
    # naam, soort, organisatie, begeleider (username), dag, van, tot, interval, telt, weken terug
    (
        "Sollicitatiegroep dinsdag",
        Groep.Soort.SOLLICITATIETRAINING,
        "De Fabriek (PI Almelo)",
        "trajectbegeleider",
        Weekdag.DINSDAG,
        time(9, 30),
        time(12, 0),
        1,
        True,
        6,
    ),
    (
        "Intervisie werkzoekenden",
        Groep.Soort.INTERVISIE,
        "Ferm Werk",
        "klantmanager",
        Weekdag.DONDERDAG,
        time(13, 30),
        time(15, 0),
        3,
        False,
        9,
    ),
]


def maak_demodata(*, rng: random.Random) -> None:
    for regel in GROEPEN:
        _groep(rng, *regel)


def _groep(rng, naam, soort, org_naam, gebruikersnaam, dag, van, tot, interval, telt, weken):
    organisatie = Organisatie.objects.filter(naam=org_naam).first()
    begeleider = Gebruiker.objects.filter(username=gebruikersnaam).first()
    werkplek = Werkplek.objects.filter(organisatie=organisatie, actief=True).first()
    if not (organisatie and begeleider and werkplek):
        return
    vandaag = timezone.localdate()
    begin = vandaag - timedelta(weeks=weken)
    begin += timedelta(days=(dag - begin.weekday()) % 7)
    groep = Groep.objects.create(
        naam=naam,
        soort=soort,
        organisatie=organisatie,
        begeleider=begeleider,
        werkplek=werkplek,
        interval_weken=interval,
        weekdag=dag,
        begintijd=van,
        eindtijd=tot,
        plaats=f"{werkplek.naam}, groepsruimte",
        telt_voor_budget=telt,
        startdatum=begin,
    )
    trajecten = (
        Traject.objects.filter(
            # Whom the organisation provides for, holds the case of, or its begeleider guides.
            Q(aanbieder=organisatie)
            | Q(deelnemer__regie=organisatie)
            | Q(trajectbegeleider=begeleider),
            status=Traject.Status.ACTIEF,
            einddatum__isnull=True,
            startdatum__lte=begin,
        )
        .select_related("deelnemer")
        .order_by("pk")[:LEDEN]
    )
    leden = Lidmaatschap.objects.bulk_create(
        Lidmaatschap(
            groep=groep, deelnemer=t.deelnemer, startdatum=begin, toegevoegd_door=begeleider
        )
        for t in trajecten
    )
    for datum in groep.schema(vandaag):
        bijeenkomst = Groepsbijeenkomst.objects.create(
            groep=groep,
            volgens_schema=datum,
            begin=services.moment(datum, van),
            einde=services.moment(datum, tot),
        )
        if bijeenkomst.is_begonnen:
            _aanwezigheid(rng, bijeenkomst, [lid.deelnemer for lid in leden], begeleider)
        else:
            bijeenkomst.delete()  # today's, still ahead: the service plans it
    services.plan_bijeenkomsten(groep=groep, door=begeleider)
    _uitzonderingen(groep, leden)


def _aanwezigheid(rng, bijeenkomst, deelnemers, door) -> None:
    """The appointments as they were planned, then the attendance through the service: a
    member whose phase has no room left is recorded as afgemeld instead."""
    Afspraak.objects.bulk_create(
        Afspraak(
            deelnemer=d,
            soort=Afspraak.Soort.GROEPSBIJEENKOMST,
            begin=bijeenkomst.begin,
            einde=bijeenkomst.einde,
            plaats=bijeenkomst.groep.plaats,
            sleutel=services.afspraaksleutel(bijeenkomst),
            aangemaakt_door=door,
        )
        for d in deelnemers
    )
    duur = bijeenkomst.duur_uren
    regels = {}
    for d in deelnemers:
        kans = rng.random()
        if kans < 0.75:
            regels[d] = (Aanwezigheid.Status.AANWEZIG, duur - (Decimal("0.5") if kans < 0.1 else 0))
        elif kans < 0.9:
            regels[d] = (Aanwezigheid.Status.AFGEMELD, None)
        else:
            regels[d] = (Aanwezigheid.Status.NIET_VERSCHENEN, None)
    try:
        services.aanwezigheid_opslaan(bijeenkomst=bijeenkomst, regels=regels, door=door)
    except services.AanwezigheidFouten as fout:
        for d in regels:
            if d.pk in fout.fouten:
                regels[d] = (Aanwezigheid.Status.AFGEMELD, None)
        services.aanwezigheid_opslaan(bijeenkomst=bijeenkomst, regels=regels, door=door)


def _uitzonderingen(groep, leden) -> None:
    """One coming session moved a day later, the one after cancelled; the last member left."""
    komend = list(groep.bijeenkomsten.filter(begin__gt=timezone.now())[:3])
    if len(komend) == 3:
        verzet = komend[1]
        services.bijeenkomst_verzetten(
            bijeenkomst=verzet,
            begin=verzet.begin + timedelta(days=1),
            einde=verzet.einde + timedelta(days=1),
        )
        services.bijeenkomst_annuleren(bijeenkomst=komend[2])
    if len(leden) > 1:
        services.lid_uitschrijven(lidmaatschap=leden[-1], einddatum=timezone.localdate())
