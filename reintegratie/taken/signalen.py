"""Tasks from signals: an evaluation due, a certificate about to expire, a contract about
to end, a follow-up after uitstroom to work. Derived again every night (and on demand);
each task is made once, by its ``sleutel``, so running it twice or after a task was
finished changes nothing."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.templatetags.opmaak import datum as datumtekst
from trajecten.models import (
    Contract,
    Fase,
    Instrumentinzet,
    Nazorg,
    Signaal,
    Traject,
    Uitstroom,
    signaal_voorwaarden,
)

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


def _contracten(vandaag):
    """The signal "contract loopt af", as a task from its signal day to decide what follows."""
    contracten = (
        Contract.objects.filter(
            traject__in=Traject.objects.lopend().filter(
                signaal_voorwaarden(vandaag)[Signaal.CONTRACT_LOOPT_AF]
            ),
            signaal_vanaf__lte=vandaag,
            **_eigenaar("traject__"),
        )
        .exclude(
            Exists(
                Contract.objects.filter(
                    traject=OuterRef("traject"), startdatum__gt=OuterRef("startdatum")
                )
            )
        )
        .annotate(eigenaar_id=F("traject__deelnemer__klantmanager_id"))
        .select_related("traject", "werkgever")
    )
    for contract in contracten.iterator(chunk_size=BATCH):
        yield Taak(
            deelnemer_id=contract.traject.deelnemer_id,
            eigenaar_id=contract.eigenaar_id,
            omschrijving=(
                f"Contract bij {contract.werkgever} loopt af op "
                f"{datumtekst(contract.einddatum)}: volgend contract, vast contract of uitstroom"
            ),
            vervaldatum=contract.signaal_vanaf,
            bron=Taak.Bron.SIGNAAL,
            # A changed end date is a new decision.
            sleutel=f"signaal:contract:{contract.pk}:{contract.einddatum:%Y%m%d}",
        )


def _nazorg(vandaag):
    """A follow-up due (from a month before 6 or 12 months after uitstroom to work) and not
    recorded, for the klantmanager of the participant."""
    for moment in Nazorg.Moment:
        uitstroom = (
            Uitstroom.objects.filter(
                resultaat=Uitstroom.Resultaat.WERK,
                datum__lte=vandaag - relativedelta(months=moment - 1),
                **_eigenaar("traject__"),
            )
            .exclude(nazorg__moment=moment)
            .values_list(
                "pk", "traject__deelnemer_id", "traject__deelnemer__klantmanager_id", "datum"
            )
        )
        for pk, deelnemer_id, eigenaar_id, datum in uitstroom.iterator(chunk_size=BATCH):
            yield Taak(
                deelnemer_id=deelnemer_id,
                eigenaar_id=eigenaar_id,
                omschrijving=f"Nazorg {moment.label.lower()}: is de deelnemer nog aan het werk?",
                vervaldatum=datum + relativedelta(months=moment),
                bron=Taak.Bron.SIGNAAL,
                sleutel=f"nazorg:{pk}:{moment.value}",
            )


@transaction.atomic
def taken_uit_signalen(*, vandaag=None, weken: int | None = None) -> int:
    """Make the tasks the signals ask for that do not exist yet; returns how many were new.
    ``weken``: how far ahead an expiring certificate becomes a task
    (``TAKEN_CERTIFICAAT_WEKEN``)."""
    vandaag = vandaag or timezone.localdate()
    weken = settings.TAKEN_CERTIFICAAT_WEKEN if weken is None else weken
    voor = Taak.objects.count()
    bronnen = (
        _evaluaties(vandaag),
        _certificaten(vandaag, weken),
        _contracten(vandaag),
        _nazorg(vandaag),
    )
    for bron in bronnen:
        batch = []
        for taak in bron:
            batch.append(taak)
            if len(batch) == BATCH:
                Taak.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Taak.objects.bulk_create(batch, ignore_conflicts=True)
    return Taak.objects.count() - voor
