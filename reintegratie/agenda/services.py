"""Planning appointments and recording how they went: the one way in, for the agenda, the
rules of a trajecttype, the partner meetings and the group sessions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Afspraak

GEPLAND_IN_HET_VERLEDEN = "Een afspraak in het verleden kan niet meer gepland zijn."


@transaction.atomic
def plan_afspraak(
    *,
    deelnemer,
    soort: str,
    begin,
    einde,
    medewerkers,
    door=None,
    traject=None,
    plaats: str = "",
    videolink: str = "",
    sleutel: str = "",
) -> Afspraak:
    """A planned appointment. It must lie ahead: what already happened is recorded with its
    outcome (:func:`leg_uitkomst_vast`), not planned. With a ``sleutel`` it is made once."""
    if sleutel:
        bestaande = Afspraak.objects.filter(deelnemer=deelnemer, sleutel=sleutel).first()
        if bestaande:
            return bestaande
    if begin < timezone.now():
        raise ValidationError({"begin": GEPLAND_IN_HET_VERLEDEN})
    afspraak = Afspraak(
        deelnemer=deelnemer,
        traject=traject,
        soort=soort,
        begin=begin,
        einde=einde,
        plaats=plaats,
        videolink=videolink,
        sleutel=sleutel,
        aangemaakt_door=door,
    )
    afspraak.full_clean()
    afspraak.save()
    afspraak.medewerkers.set(medewerkers)
    return afspraak


@transaction.atomic
def leg_uitkomst_vast(*, afspraak: Afspraak, status: str) -> Afspraak:
    """Gehouden or niet verschenen; back to gepland only while it still lies ahead."""
    afspraak = Afspraak.objects.select_for_update().get(pk=afspraak.pk)
    if status == Afspraak.Status.GEPLAND and afspraak.begin < timezone.now():
        raise ValidationError({"status": GEPLAND_IN_HET_VERLEDEN})
    afspraak.status = status
    afspraak.full_clean()
    afspraak.save(update_fields=["status"])
    return afspraak


@transaction.atomic
def verzet_afspraak(*, afspraak: Afspraak, begin, einde) -> Afspraak:
    """A planned appointment to another time ahead (a group session that was moved)."""
    afspraak = Afspraak.objects.select_for_update().get(pk=afspraak.pk)
    if afspraak.status != Afspraak.Status.GEPLAND or begin < timezone.now():
        raise ValidationError({"begin": GEPLAND_IN_HET_VERLEDEN})
    afspraak.begin, afspraak.einde = begin, einde
    afspraak.full_clean()
    afspraak.save(update_fields=["begin", "einde"])
    return afspraak


@transaction.atomic
def laat_afspraak_vervallen(*, afspraak: Afspraak) -> None:
    """A planned appointment that will not take place (its session was cancelled, or the
    participant left the group) leaves the agenda; one that happened stays with its outcome."""
    if afspraak.status == Afspraak.Status.GEPLAND:
        Afspraak.objects.filter(pk=afspraak.pk, status=Afspraak.Status.GEPLAND).delete()
