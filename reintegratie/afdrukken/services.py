"""Asking for a batch print, and cleaning up after it."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Afdrukopdracht

GESTOPT = (
    "Het afdrukken is gestopt zonder bericht (de verwerking is herstart); probeer het opnieuw."
)


@transaction.atomic
def starten(*, gebruiker, soort: str, periode, plannen: list[int], rapportages: list[int]):
    """The running batch of this user, kind and week, or a new one queued for a task worker.
    Returns the batch and whether it is new.

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
        gebruiker=gebruiker, soort=soort, periode=periode
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
                inhoud={"plannen": plannen, "rapportages": rapportages},
                totaal=len(plannen) + len(rapportages),
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
