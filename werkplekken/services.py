"""Writes on placements."""

from django.core.exceptions import ValidationError
from django.db import transaction

from reintegratie.templatetags.opmaak import aantal
from reintegratie.templatetags.opmaak import datum as datumtekst

from .models import Plaatsing, Werkplek

VOL = "{werkplek} is vol op {dag}: {bezet} van de {capaciteit} plaatsen zijn dan bezet."
VOL_MANAGER = VOL + " Geef een reden om toch te plaatsen."
VOL_ANDEREN = VOL + " Kies een andere werkplek of periode, of vraag een manager."


@transaction.atomic
def plaatsing_aanmaken(*, form, deelnemer, mag_boven_capaciteit: bool = False) -> Plaatsing:
    """Place ``deelnemer`` as the validated ``form`` says, within their running trajectory.

    Not beyond the workplace's capacity on any day of the period: that is refused, or, for
    a manager (``mag_boven_capaciteit``), allowed with a reason that is kept. The workplace
    is locked first, so two placements at once cannot both take its last place.
    """
    plaatsing = form.save(commit=False)
    werkplek = Werkplek.objects.select_for_update().get(pk=plaatsing.werkplek_id)
    bezet, dag = werkplek.drukste_dag(plaatsing.startdatum, plaatsing.einddatum)
    if bezet >= werkplek.capaciteit:
        bericht = (VOL_MANAGER if mag_boven_capaciteit else VOL_ANDEREN).format(
            werkplek=werkplek.naam,
            dag=datumtekst(dag),
            bezet=aantal(bezet),
            capaciteit=aantal(werkplek.capaciteit),
        )
        if not mag_boven_capaciteit:
            raise ValidationError({"werkplek": bericht})
        if not plaatsing.reden_boven_capaciteit.strip():
            raise ValidationError({"reden_boven_capaciteit": bericht})
    else:
        plaatsing.reden_boven_capaciteit = ""
    plaatsing.deelnemer = deelnemer
    plaatsing.traject = deelnemer.trajecten.lopend().first()
    plaatsing.save()
    return plaatsing
