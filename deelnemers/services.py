"""Writes on participants. Each is atomic; edits are refused when someone else saved first."""

from django.db import transaction
from django.db.models import F

from .models import Deelnemer


class GelijktijdigGewijzigd(Exception):
    """Someone else saved this participant after the form was opened."""

    bericht = (
        "Iemand anders heeft deze gegevens intussen gewijzigd. Uw wijzigingen zijn niet "
        "opgeslagen; open het formulier opnieuw om de nieuwe gegevens te zien."
    )


@transaction.atomic
def deelnemer_aanmaken(*, form, klantmanager) -> Deelnemer:
    deelnemer = form.save(commit=False)
    deelnemer.klantmanager = klantmanager
    deelnemer.save()
    form.save_m2m()
    return deelnemer


@transaction.atomic
def deelnemer_wijzigen(*, form, versie: int) -> Deelnemer:
    """Save the form if the row still has ``versie``; bumps the version in the same UPDATE."""
    deelnemer = form.instance
    bijgewerkt = Deelnemer.objects.filter(pk=deelnemer.pk, versie=versie).update(
        versie=F("versie") + 1
    )
    if not bijgewerkt:
        raise GelijktijdigGewijzigd(GelijktijdigGewijzigd.bericht)
    deelnemer.versie = versie + 1
    form.save()
    return deelnemer
