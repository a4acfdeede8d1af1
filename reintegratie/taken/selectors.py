"""Reads of tasks, each in a fixed number of queries whatever the number of tasks. Always
through ``Taak.objects.zichtbaar_voor``: a medical task only reaches who reads medical data,
even its owner."""

from django.utils import timezone

from .models import Taak

STARTLIJST = 10


def mijn_open_taken(user):
    """``user``'s open tasks, the oldest due first, with their participants."""
    return (
        Taak.objects.zichtbaar_voor(user)
        .open()
        .filter(eigenaar=user)
        .select_related("deelnemer")
        .order_by("vervaldatum", "id")
    )


def start_taken(user) -> dict:
    """The start page's "Vandaag en te laat": the user's open tasks due today or earlier (one
    query; one more than shown tells whether there are more). The page logs whom it shows."""
    taken = list(
        mijn_open_taken(user).filter(vervaldatum__lte=timezone.localdate())[: STARTLIJST + 1]
    )
    return {"taken_vandaag": taken[:STARTLIJST], "taken_meer": len(taken) > STARTLIJST}


def dossier_taken(user):
    """For the dossier's prefetch: the tasks of a participant ``user`` may read, open ones
    first."""
    return (
        Taak.objects.zichtbaar_voor(user)
        .select_related("eigenaar")
        .order_by("afgerond_op", "vervaldatum", "id")
    )
