"""Handing a caseload, or part of it, to a colleague klantmanager."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from deelnemers.models import Contactmoment, Deelnemer
from reintegratie.access import Categorie, categorie_scope
from reintegratie.accounts.models import Rol
from trajecten.models import Traject

from .models import Taak


@transaction.atomic
def draag_over(*, van, naar, deelnemer_ids, door) -> list[Deelnemer]:
    """``van``'s participants among ``deelnemer_ids`` get ``naar`` as klantmanager, with
    their running trajectories and the open tasks ``van`` owned for them; each dossier notes
    the handover in its journal. All or nothing: ``naar`` must be an active klantmanager of
    the same organisation who can open every file (medical data included, as the
    klantmanager reads it), else nothing changes. Returns the participants handed over.

    The participants are locked first: two handovers of the same file at once are served one
    after the other, and the second finds the file no longer ``van``'s.
    """
    if (
        naar.pk == van.pk
        or not naar.is_active
        or naar.rol != Rol.KLANTMANAGER
        or naar.organisatie_id != van.organisatie_id
    ):
        raise ValidationError({"naar": "Kies een andere klantmanager van uw eigen organisatie."})
    deelnemers = list(
        Deelnemer.objects.select_for_update()
        .filter(pk__in=deelnemer_ids, klantmanager=van)
        .order_by("pk")
    )
    if not deelnemers:
        raise ValidationError({"deelnemers": "Kies een of meer deelnemers uit uw caseload."})
    ids = [d.pk for d in deelnemers]
    kan_openen = Deelnemer.objects.filter(
        categorie_scope(naar, Categorie.MEDISCH), pk__in=ids
    ).count()
    if kan_openen != len(ids):
        raise ValidationError(
            {
                "naar": f"{naar.get_full_name() or naar} kan {len(ids) - kan_openen} van deze "
                "dossiers niet openen. Er is niets overgedragen."
            }
        )
    Deelnemer.objects.filter(pk__in=ids).update(klantmanager=naar)
    Traject.objects.lopend().filter(deelnemer_id__in=ids, klantmanager=van).update(
        klantmanager=naar
    )
    Taak.objects.open().filter(deelnemer_id__in=ids, eigenaar=van).update(eigenaar=naar)
    tekst = f"Overgedragen van {van.get_full_name() or van} aan {naar.get_full_name() or naar}"
    nu = timezone.now()
    Contactmoment.objects.bulk_create(
        Contactmoment(
            deelnemer_id=pk,
            tijdstip=nu,
            soort=Contactmoment.Soort.NOTITIE,
            onderwerp=tekst,
            verslag=f"{tekst}, vastgelegd door {door.get_full_name() or door}.",
            door=door,
        )
        for pk in ids
    )
    return deelnemers
