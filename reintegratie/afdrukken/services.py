"""Asking for a batch print, and cleaning up after it."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Afdrukopdracht

GESTOPT = (
    "Het afdrukken is gestopt zonder bericht (de verwerking is herstart); probeer het opnieuw."
)


@transaction.atomic
def starten(*, gebruiker, soort: str, periode, inhoud: dict, totaal: int, onderwerp: str = ""):
    """The running batch of this user, kind, period and subject, or a new one queued for a
    task worker. Returns the batch and whether it is new.

    ``inhoud`` says what goes in, as ids the worker reads again through the user's access
    (``taken.MAKERS``); ``totaal`` is the number of documents as the page knew it.

    The task is queued in the same transaction as the batch (django-tasks-db stores it in
    the database): a worker never sees a task without its batch, and a failed request leaves
    neither.
    """
    from .taken import afdrukopdracht_maken

    # A batch whose worker died would block the constraint for good.
    Afdrukopdracht.objects.vastgelopen().filter(gebruiker=gebruiker).update(
        status=Afdrukopdracht.Status.MISLUKT, melding=GESTOPT
    )
    lopend = Afdrukopdracht.objects.lopend().filter(
        gebruiker=gebruiker, soort=soort, periode=periode, onderwerp=onderwerp
    )
    if (bestaand := lopend.first()) is not None:
        return bestaand, False
    try:
        with transaction.atomic():
            opdracht = Afdrukopdracht.objects.create(
                gebruiker=gebruiker,
                organisatie_id=gebruiker.organisatie_id,
                soort=soort,
                periode=periode,
                onderwerp=onderwerp,
                inhoud=inhoud,
                totaal=totaal,
            )
    except IntegrityError:  # a second click, at the same moment, made it first
        return lopend.get(), False
    opdracht.taak_id = afdrukopdracht_maken.enqueue(str(opdracht.pk)).id
    opdracht.save(update_fields=["taak_id"])
    return opdracht, True


@transaction.atomic
def opschonen() -> tuple[int, int]:
    """Mark the batches whose worker died as failed, and remove every finished batch (its
    PDF with it) past the retention period. Returns how many of each."""
    vastgelopen = Afdrukopdracht.objects.vastgelopen().update(
        status=Afdrukopdracht.Status.MISLUKT, melding=GESTOPT, bijgewerkt_op=timezone.now()
    )
    verwijderd = Afdrukopdracht.objects.verlopen().delete()[1].get(Afdrukopdracht._meta.label, 0)
    return vastgelopen, verwijderd
