"""Making, changing and finishing tasks: the one way in, for the views, the journal, the
meetings and the signals."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reintegratie.access import Categorie, toegang_van

from .models import Taak

# A new task due further back than this is a typing error (a wrong year), not a task.
VERLEDEN_DAGEN = 30
AL_AFGEROND = "Deze taak is al afgerond; wijzigen kan niet meer."


def controleer_eigenaar(*, eigenaar, deelnemer, medisch: bool) -> None:
    """The owner must be able to read the participant's journal (and, for a medical task, the
    medical file): a task nobody can open is a task nobody does."""
    nodig = Categorie.MEDISCH if medisch else Categorie.JOURNAAL
    # A bare instance: ``deelnemer`` may carry the access of the user who asks, not of the
    # owner.
    if not eigenaar.is_active or not toegang_van(eigenaar, type(deelnemer)(pk=deelnemer.pk)).leest(
        nodig
    ):
        raise ValidationError(
            {"eigenaar": f"{eigenaar.get_full_name() or eigenaar} kan dit dossier niet openen."}
        )


def controleer_vervaldatum(vervaldatum) -> None:
    """A new or moved task is not due long ago."""
    if vervaldatum < timezone.localdate() - timedelta(days=VERLEDEN_DAGEN):
        raise ValidationError(
            {
                "vervaldatum": f"Deze datum ligt meer dan {VERLEDEN_DAGEN} dagen terug. "
                "Kies een datum vanaf vandaag."
            }
        )


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
    """A task for ``eigenaar`` (see :func:`controleer_eigenaar`).

    With a ``sleutel`` the task is made once: deriving it again returns the one there is.
    """
    controleer_eigenaar(eigenaar=eigenaar, deelnemer=deelnemer, medisch=medisch)
    if bron == Taak.Bron.HAND:
        controleer_vervaldatum(vervaldatum)
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


def journaalsleutel(contactmoment) -> str:
    return f"journaal:{contactmoment.pk}"


@transaction.atomic
def taak_uit_journaal(*, contactmoment, eigenaar=None) -> Taak | None:
    """The task of a journal entry's next action: made with the entry, brought in line when
    the entry changes, removed while still open when the next action is taken out. Owner:
    ``eigenaar`` or the writer; medical when the entry is."""
    sleutel = journaalsleutel(contactmoment)
    bestaande = (
        Taak.objects.select_for_update()
        .filter(deelnemer_id=contactmoment.deelnemer_id, sleutel=sleutel)
        .first()
    )
    if not contactmoment.volgende_actie:
        if bestaande and bestaande.afgerond_op is None:
            bestaande.delete()
        return None
    eigenaar = eigenaar or (bestaande.eigenaar if bestaande else contactmoment.door)
    vervaldatum = contactmoment.volgende_actie_op or timezone.localdate(contactmoment.tijdstip)
    if bestaande is None:
        return maak_taak(
            deelnemer=contactmoment.deelnemer,
            eigenaar=eigenaar,
            omschrijving=contactmoment.volgende_actie,
            vervaldatum=vervaldatum,
            door=contactmoment.door,
            medisch=contactmoment.medisch,
            bron=Taak.Bron.JOURNAAL,
            sleutel=sleutel,
        )
    controleer_eigenaar(
        eigenaar=eigenaar, deelnemer=contactmoment.deelnemer, medisch=contactmoment.medisch
    )
    bestaande.eigenaar = eigenaar
    bestaande.omschrijving = contactmoment.volgende_actie
    bestaande.vervaldatum = vervaldatum
    bestaande.medisch = contactmoment.medisch
    bestaande.full_clean()
    bestaande.save()
    return bestaande


@transaction.atomic
def wijzig_taak(*, taak: Taak, eigenaar, vervaldatum) -> Taak:
    """Give ``taak`` another owner or date. Locked, so that two people changing it at once
    are served one after the other: the last one's choice stands, nobody sees an error."""
    taak = Taak.objects.select_for_update().select_related("deelnemer").get(pk=taak.pk)
    if taak.afgerond_op is not None:
        raise ValidationError(AL_AFGEROND)
    controleer_eigenaar(eigenaar=eigenaar, deelnemer=taak.deelnemer, medisch=taak.medisch)
    if vervaldatum != taak.vervaldatum:
        controleer_vervaldatum(vervaldatum)
    taak.eigenaar = eigenaar
    taak.vervaldatum = vervaldatum
    taak.save(update_fields=["eigenaar", "vervaldatum"])
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
