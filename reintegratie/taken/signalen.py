"""Tasks from signals: an evaluation due, a certificate about to expire. Derived again every
night (and on demand); each task is made once, by its ``sleutel``, so running it twice or
after a task was finished changes nothing."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.templatetags.opmaak import datum as datumtekst
from trajecten.models import Fase, Instrumentinzet, Signaal, Traject, signaal_voorwaarden

from .models import Taak

BATCH = 2000


# The klantmanager of the regie reads the whole file: the owner needs no check per row.
def _eigenaar(pad: str) -> dict:
    """Rows (``pad`` the path to Traject) whose participant has an active klantmanager of
    the organisation holding the case."""
    return {
        f"{pad}deelnemer__klantmanager__is_active": True,
        f"{pad}deelnemer__klantmanager__rol": Rol.KLANTMANAGER,
        f"{pad}deelnemer__klantmanager__organisatie_id": F(f"{pad}deelnemer__regie_id"),
    }


def _evaluaties(vandaag):
    huidige = Fase.objects.filter(traject=OuterRef("pk"), einddatum__isnull=True)
    trajecten = (
        Traject.objects.lopend()
        .filter(signaal_voorwaarden(vandaag)[Signaal.EVALUATIE_NODIG], **_eigenaar(""))
        .annotate(
            fase_id=Subquery(huidige.values("pk")[:1]),
            fase_eind=Subquery(huidige.values("geplande_einddatum")[:1]),
        )
        .values_list("deelnemer_id", "deelnemer__klantmanager_id", "fase_id", "fase_eind")
    )
    grens = vandaag + timedelta(days=14)
    for deelnemer_id, eigenaar_id, fase_id, eind in trajecten.iterator(chunk_size=BATCH):
        yield Taak(
            deelnemer_id=deelnemer_id,
            eigenaar_id=eigenaar_id,
            omschrijving="Evaluatie van de fase plannen",
            # Due at the phase's planned end when that is near; a phase at its budget now.
            vervaldatum=eind if eind and eind <= grens else vandaag,
            bron=Taak.Bron.SIGNAAL,
            sleutel=f"signaal:evaluatie:{fase_id}",
        )


def _certificaten(vandaag, weken):
    inzetten = (
        Instrumentinzet.objects.filter(
            traject__in=Traject.objects.lopend(),
            geldig_tot__range=(vandaag, vandaag + timedelta(weeks=weken)),
            **_eigenaar("traject__"),
        )
        .annotate(eigenaar_id=F("traject__deelnemer__klantmanager_id"))
        .select_related("traject")
        .only("pk", "instrument", "geldig_tot", "traject__deelnemer_id")
    )
    for inzet in inzetten.iterator(chunk_size=BATCH):
        yield Taak(
            deelnemer_id=inzet.traject.deelnemer_id,
            eigenaar_id=inzet.eigenaar_id,
            omschrijving=(
                f"{inzet.get_instrument_display()} verloopt op {datumtekst(inzet.geldig_tot)}: "
                "verlengen of afsluiten"
            ),
            vervaldatum=inzet.geldig_tot,
            bron=Taak.Bron.SIGNAAL,
            # A renewed certificate (a new date) is a new task.
            sleutel=f"signaal:certificaat:{inzet.pk}:{inzet.geldig_tot:%Y%m%d}",
        )


@transaction.atomic
def taken_uit_signalen(*, vandaag=None, weken: int | None = None) -> int:
    """Make the tasks the signals ask for that do not exist yet; returns how many were new.
    ``weken``: how far ahead an expiring certificate becomes a task
    (``TAKEN_CERTIFICAAT_WEKEN``)."""
    vandaag = vandaag or timezone.localdate()
    weken = settings.TAKEN_CERTIFICAAT_WEKEN if weken is None else weken
    voor = Taak.objects.count()
    for bron in (_evaluaties(vandaag), _certificaten(vandaag, weken)):
        batch = []
        for taak in bron:
            batch.append(taak)
            if len(batch) == BATCH:
                Taak.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Taak.objects.bulk_create(batch, ignore_conflicts=True)
    return Taak.objects.count() - voor
