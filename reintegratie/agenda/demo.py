"""Demo appointments: for each running trajectory one coming and one past (held, or missed
with or without notice), and for some an overdue one, still gepland in the past.

Written straight to the database in bulk (the planning service refuses an appointment in the
past that is still gepland, which is exactly the state the demo must show), at 100,000
participants in a few batched inserts.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from trajecten.models import Traject

from .models import Afspraak

PER_KEER = 5000
SOORTEN = [
    Afspraak.Soort.GESPREK,
    Afspraak.Soort.EVALUATIE,
    Afspraak.Soort.VERDIEPENDE_INTAKE,
    Afspraak.Soort.PARTNEROVERLEG,
    Afspraak.Soort.GROEPSBIJEENKOMST,
    Afspraak.Soort.INTAKE,
]
PLAATSEN = ["Stadskantoor, spreekkamer 2", "Werkplein, kamer 1.14", "Op de werkplek", ""]


def _werkdag(vandaag, stappen: int):
    """The working day ``stappen`` working days from ``vandaag`` (negative: back)."""
    dag, richting = vandaag, 1 if stappen > 0 else -1
    for _ in range(abs(stappen)):
        dag += timedelta(days=richting)
        while dag.weekday() >= 5:
            dag += timedelta(days=richting)
    return dag


def _afspraak(i, deelnemer_id, traject_id, dag, uur, status):
    begin = timezone.make_aware(datetime.combine(dag, time(uur)))
    plaats = PLAATSEN[i % len(PLAATSEN)]
    return Afspraak(
        deelnemer_id=deelnemer_id,
        traject_id=traject_id,
        soort=SOORTEN[i % len(SOORTEN)],
        begin=begin,
        einde=begin + timedelta(minutes=45),
        plaats=plaats,
        videolink="" if plaats else "https://video.example.nl/gesprek",
        status=status,
    )


def maak_demodata(*, vandaag) -> int:
    """The appointments of every running trajectory with a klantmanager; returns how many."""
    S = Afspraak.Status
    rijen = (
        Traject.objects.lopend()
        .filter(deelnemer__klantmanager__isnull=False)
        .order_by("pk")
        .values_list("pk", "deelnemer_id", "deelnemer__klantmanager_id")
    )
    afspraken, medewerkers = [], []
    for i, (traject_id, deelnemer_id, km_id) in enumerate(list(rijen)):
        verleden = [S.GEHOUDEN, S.NIET_VERSCHENEN_ZONDER_BERICHT, S.GEHOUDEN][i % 3]
        if i % 7 == 3:
            verleden = S.NIET_VERSCHENEN_MET_BERICHT
        nieuw = [
            _afspraak(
                i, deelnemer_id, traject_id, _werkdag(vandaag, 1 + i % 8), 9 + i % 8, S.GEPLAND
            ),
            _afspraak(
                i + 1,
                deelnemer_id,
                traject_id,
                _werkdag(vandaag, -(3 + i % 20)),
                9 + i % 7,
                verleden,
            ),
        ]
        if i % 5 == 0:
            # Overdue: it took place a day or three ago and nobody recorded how it went.
            nieuw.append(
                _afspraak(
                    i + 2, deelnemer_id, traject_id, _werkdag(vandaag, -(1 + i % 3)), 10, S.GEPLAND
                )
            )
        afspraken += [(a, km_id) for a in nieuw]
        if len(afspraken) >= PER_KEER:
            medewerkers += _schrijf(afspraken)
            afspraken = []
    medewerkers += _schrijf(afspraken)
    return len(medewerkers)


def _schrijf(paren) -> list:
    if not paren:
        return []
    gemaakt = Afspraak.objects.bulk_create([a for a, _ in paren], batch_size=PER_KEER)
    koppelingen = [
        Afspraak.medewerkers.through(afspraak_id=a.pk, gebruiker_id=km_id)
        for a, (_, km_id) in zip(gemaakt, paren, strict=True)
    ]
    Afspraak.medewerkers.through.objects.bulk_create(koppelingen, batch_size=PER_KEER)
    return koppelingen
