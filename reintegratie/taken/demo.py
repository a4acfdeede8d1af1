"""Demo tasks from every source, overdue ones included, in bulk (fast at 100,000
participants): the journal's next actions, tasks by hand and from a meeting, and the signals.
Called once by ``manage.py demodata`` after the participants are loaded."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from deelnemers.models import Contactmoment, Deelnemer

from .models import Taak
from .signalen import taken_uit_signalen

BATCH = 5000
HAND = (
    "Werkgever bellen over een proefplaatsing",
    "Reiskostenvergoeding regelen",
    "CV samen doorlopen",
    "Kinderopvang nagaan",
)
OVERLEG = "Afspraak uit het casusoverleg: terugkoppelen aan de verwijzer"
MEDISCH = "Bedrijfsarts vragen naar de belastbaarheid"


def _opslaan(taken):
    Taak.objects.bulk_create(taken, batch_size=BATCH, ignore_conflicts=True)
    taken.clear()


def _uit_het_journaal(vandaag):
    """Each next action a task for its writer; one due more than a month ago was done then,
    a later one is open (overdue when its day has passed)."""
    grens = vandaag - timedelta(days=30)
    momenten = (
        Contactmoment.objects.exclude(volgende_actie="")
        .values_list("pk", "deelnemer_id", "door_id", "volgende_actie", "volgende_actie_op")
        .order_by("pk")
    )
    taken = []
    for pk, deelnemer_id, door_id, actie, op in momenten.iterator(chunk_size=BATCH):
        op = op or vandaag
        taken.append(
            Taak(
                deelnemer_id=deelnemer_id,
                eigenaar_id=door_id,
                omschrijving=actie,
                vervaldatum=op,
                bron=Taak.Bron.JOURNAAL,
                sleutel=f"journaal:{pk}",
                aangemaakt_door_id=door_id,
                afgerond_op=timezone.make_aware(datetime.combine(op, time(16)))
                if op < grens
                else None,
                afgerond_door_id=door_id if op < grens else None,
            )
        )
        if len(taken) == BATCH:
            _opslaan(taken)
    _opslaan(taken)


def _met_de_hand(rng, vandaag):
    """Every fifth participant with a klantmanager: a task by hand, due from a week ago to
    two weeks on; some from a meeting, some medical (only the klantmanager reads those)."""
    deelnemers = (
        Deelnemer.objects.filter(klantmanager__isnull=False)
        .values_list("pk", "klantmanager_id")
        .order_by("pk")
    )
    taken = []
    for n, (deelnemer_id, km_id) in enumerate(deelnemers.iterator(chunk_size=BATCH)):
        if n % 5:
            continue
        soort = n % 4
        taken.append(
            Taak(
                deelnemer_id=deelnemer_id,
                eigenaar_id=km_id,
                omschrijving=MEDISCH if soort == 3 else OVERLEG if soort == 2 else rng.choice(HAND),
                vervaldatum=vandaag + timedelta(days=rng.randint(-7, 14)),
                medisch=soort == 3,
                bron=Taak.Bron.OVERLEG if soort == 2 else Taak.Bron.HAND,
                aangemaakt_door_id=km_id,
            )
        )
        if len(taken) == BATCH:
            _opslaan(taken)
    _opslaan(taken)


def maak_demodata(*, rng, vandaag) -> None:
    _uit_het_journaal(vandaag)
    _met_de_hand(rng, vandaag)
    taken_uit_signalen(vandaag=vandaag)
