"""Planning appointments and recording how they went: the one way in, for the agenda, the
rules of a trajecttype, the partner meetings and the group sessions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Afspraak

GEPLAND_IN_HET_VERLEDEN = "Een afspraak in het verleden kan niet meer gepland zijn."
GEEN_MEDEWERKER = "Kies ten minste één medewerker."
GEEN_UITKOMST = "Kies gehouden of niet verschenen."


def medewerkers_zonder_toegang(*, deelnemer, medewerkers) -> list:
    """The staff among ``medewerkers`` who cannot open ``deelnemer``'s dossier: an
    appointment with someone whose file you may not read is no appointment you can keep."""
    from deelnemers.models import Deelnemer

    return [
        m
        for m in medewerkers
        if not Deelnemer.objects.zichtbaar_voor(m).filter(pk=deelnemer.pk).exists()
    ]


def _controleer(afspraak: Afspraak, medewerkers) -> None:
    if afspraak.status == Afspraak.Status.GEPLAND and afspraak.begin < timezone.now():
        raise ValidationError({"begin": GEPLAND_IN_HET_VERLEDEN})
    if not medewerkers:
        raise ValidationError({"medewerkers": GEEN_MEDEWERKER})
    zonder = medewerkers_zonder_toegang(deelnemer=afspraak.deelnemer, medewerkers=medewerkers)
    if zonder:
        namen = ", ".join(str(m) for m in zonder)
        raise ValidationError(
            {"medewerkers": f"{namen} kan het dossier van deze deelnemer niet openen."}
        )
    afspraak.full_clean()


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
    outcome (:func:`leg_uitkomst_vast`), not planned. With a ``sleutel`` it is made once:
    the unique constraint on (deelnemer, sleutel) holds when two runs meet."""
    if sleutel:
        bestaande = Afspraak.objects.filter(deelnemer=deelnemer, sleutel=sleutel).first()
        if bestaande:
            return bestaande
    medewerkers = list(medewerkers)
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
    _controleer(afspraak, medewerkers)
    afspraak.save()
    afspraak.medewerkers.set(medewerkers)
    return afspraak


@transaction.atomic
def wijzig_afspraak(*, afspraak: Afspraak, medewerkers, **velden) -> Afspraak:
    """Move or change an appointment; the row is locked, so two changes at once follow
    each other and each is checked against what the other saved."""
    afspraak = Afspraak.objects.select_for_update().select_related("deelnemer").get(pk=afspraak.pk)
    for naam in ("soort", "begin", "einde", "plaats", "videolink"):
        if naam in velden:
            setattr(afspraak, naam, velden[naam])
    medewerkers = list(medewerkers)
    _controleer(afspraak, medewerkers)
    afspraak.save()
    afspraak.medewerkers.set(medewerkers)
    return afspraak


@transaction.atomic
def leg_uitkomst_vast(*, afspraak: Afspraak, status: str) -> Afspraak:
    """Gehouden or niet verschenen; back to gepland only while it still lies ahead."""
    afspraak = Afspraak.objects.select_for_update().get(pk=afspraak.pk)
    if status not in Afspraak.Status.values:
        raise ValidationError({"status": GEEN_UITKOMST})
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
