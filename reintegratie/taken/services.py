"""Making and finishing tasks: the one way in, for the views, the journal, the meetings and
the signals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reintegratie.access import Categorie, toegang_van

from .models import Taak


@transaction.atomic
def maak_taak(
    *,
    deelnemer,
    eigenaar,
    omschrijving: str,
    vervaldatum,
    door=None,
    medisch: bool = False,
    bron: str = Taak.Bron.HAND,
    sleutel: str = "",
) -> Taak:
    """A task for ``eigenaar``, who must be able to read the participant's journal (and, for
    a medical task, the medical file): a task nobody can open is a task nobody does.

    With a ``sleutel`` the task is made once: deriving it again returns the one there is.
    """
    nodig = Categorie.MEDISCH if medisch else Categorie.JOURNAAL
    # A bare instance: ``deelnemer`` may carry the access of the user who asks, not of the
    # owner.
    if not toegang_van(eigenaar, type(deelnemer)(pk=deelnemer.pk)).leest(nodig):
        raise ValidationError(
            {"eigenaar": f"{eigenaar.get_full_name() or eigenaar} kan dit dossier niet openen."}
        )
    if sleutel:
        bestaande = Taak.objects.filter(deelnemer=deelnemer, sleutel=sleutel).first()
        if bestaande:
            return bestaande
    taak = Taak(
        deelnemer=deelnemer,
        eigenaar=eigenaar,
        omschrijving=omschrijving,
        vervaldatum=vervaldatum,
        medisch=medisch,
        bron=bron,
        sleutel=sleutel,
        aangemaakt_door=door,
    )
    taak.full_clean()
    taak.save()
    return taak


@transaction.atomic
def rond_af(*, taak: Taak, door) -> Taak:
    """Marks ``taak`` done; doing so twice keeps the first time."""
    taak = Taak.objects.select_for_update().get(pk=taak.pk)
    if taak.afgerond_op is None:
        taak.afgerond_op = timezone.now()
        taak.afgerond_door = door
        taak.save(update_fields=["afgerond_op", "afgerond_door"])
    return taak
