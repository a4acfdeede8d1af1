"""Planning a recurring partner meeting and its occurrences: the one way in."""

import math
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Bijeenkomst, Overleg

# How many occurrences lie planned ahead: about half a year at every four weeks.
VOORUIT = 6
GEEN_PARTNER = "Kies minstens één andere organisatie dan de uwe."
AANWEZIGE_BUITEN_OVERLEG = "{naam} werkt niet bij een van de deelnemende organisaties."
VERPLAATST_NAAR_VERLEDEN = "Verplaats een bijeenkomst naar een moment dat nog komt."


@transaction.atomic
def maak_overleg(
    *,
    naam: str,
    organisator,
    organisaties,
    aanwezigen,
    interval_weken: int,
    eerste_begin,
    duur_minuten: int = 120,
    plaats: str = "",
    door,
    nu=None,
) -> Overleg:
    """A meeting of ``organisator`` with ``organisaties`` (at least one other), its
    attendees from those organisations, and its next occurrences planned ahead."""
    toegestaan = _aan_tafel(organisator, organisaties, aanwezigen)
    overleg = Overleg(
        naam=naam,
        organisator=organisator,
        interval_weken=interval_weken,
        eerste_begin=eerste_begin,
        duur_minuten=duur_minuten,
        plaats=plaats,
        aangemaakt_door=door,
    )
    overleg.full_clean()
    overleg.save()
    overleg.organisaties.set(toegestaan)
    overleg.aanwezigen.set(aanwezigen)
    plan_vooruit(overleg=overleg, nu=nu)
    return overleg


def _aan_tafel(organisator, organisaties, aanwezigen) -> set[int]:
    """The organisations at the table (the organiser and at least one partner); every
    attendee works at one of them."""
    partners = {o.pk for o in organisaties} - {organisator.pk}
    if not partners:
        raise ValidationError({"organisaties": GEEN_PARTNER})
    toegestaan = partners | {organisator.pk}
    for persoon in aanwezigen:
        if persoon.organisatie_id not in toegestaan:
            raise ValidationError(
                {"aanwezigen": AANWEZIGE_BUITEN_OVERLEG.format(naam=persoon.get_full_name())}
            )
    return toegestaan


@transaction.atomic
def wijzig_overleg(
    *, overleg: Overleg, naam: str, organisaties, aanwezigen, duur_minuten: int, plaats: str
) -> Overleg:
    """Another name, other partners or attendees, another duration or place. The organiser
    and the rhythm stay. A new place goes to the coming occurrences that were not moved on
    their own (``verplaats`` set theirs). A partner taken off no longer sees the meeting, its
    agenda or its pack, from this moment: visibility follows the table."""
    overleg = Overleg.objects.select_for_update().get(pk=overleg.pk)
    toegestaan = _aan_tafel(overleg.organisator, organisaties, aanwezigen)
    overleg.naam, overleg.duur_minuten, overleg.plaats = naam, duur_minuten, plaats
    overleg.full_clean()
    overleg.save(update_fields=["naam", "duur_minuten", "plaats"])
    overleg.bijeenkomsten.filter(begin__gt=timezone.now(), verplaatst=False).update(plaats=plaats)
    overleg.organisaties.set(toegestaan)
    overleg.aanwezigen.set(aanwezigen)
    return overleg


def begin_van(overleg: Overleg, volgnummer: int):
    """When occurrence ``volgnummer`` (0 the first) falls by the recurrence."""
    return overleg.eerste_begin + timedelta(weeks=overleg.interval_weken * volgnummer)


@transaction.atomic
def plan_vooruit(*, overleg: Overleg, nu=None) -> list[Bijeenkomst]:
    """Plans the occurrences by the recurrence until VOORUIT lie ahead of ``nu``; one moved
    or planned before keeps its place (its volgnummer is taken)."""
    nu = nu or timezone.now()
    overleg = Overleg.objects.select_for_update().get(pk=overleg.pk)
    interval = timedelta(weeks=overleg.interval_weken)
    eerste_komende = max(0, math.ceil((nu - overleg.eerste_begin) / interval))
    bestaand = set(overleg.bijeenkomsten.values_list("volgnummer", flat=True))
    nieuw = [
        Bijeenkomst(
            overleg=overleg, volgnummer=n, begin=begin_van(overleg, n), plaats=overleg.plaats
        )
        for n in range(eerste_komende, eerste_komende + VOORUIT)
        if n not in bestaand
    ]
    return Bijeenkomst.objects.bulk_create(nieuw)


@transaction.atomic
def verplaats(*, bijeenkomst: Bijeenkomst, begin, plaats: str, nu=None) -> Bijeenkomst:
    """Moves one occurrence; the recurrence and the other occurrences stay."""
    if begin < (nu or timezone.now()):
        raise ValidationError({"begin": VERPLAATST_NAAR_VERLEDEN})
    bijeenkomst = Bijeenkomst.objects.select_for_update().get(pk=bijeenkomst.pk)
    bijeenkomst.begin = begin
    bijeenkomst.plaats = plaats
    bijeenkomst.verplaatst = True
    bijeenkomst.full_clean()
    bijeenkomst.save(update_fields=["begin", "plaats", "verplaatst"])
    return bijeenkomst
