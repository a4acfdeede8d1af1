"""Writes on placements."""

from django.db import transaction

from .models import Plaatsing


@transaction.atomic
def plaatsing_aanmaken(*, form, deelnemer) -> Plaatsing:
    """Place ``deelnemer`` as the validated ``form`` says, within their running trajectory."""
    plaatsing = form.save(commit=False)
    plaatsing.deelnemer = deelnemer
    plaatsing.traject = deelnemer.trajecten.lopend().first()
    plaatsing.save()
    return plaatsing
