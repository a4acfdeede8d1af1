"""Writes on placements."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reintegratie.templatetags.opmaak import aantal
from reintegratie.templatetags.opmaak import datum as datumtekst

from .models import Plaatsing, Voorkeur, Wachtlijstplaats, Werkplek

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
    # Placed where they waited: off that list, in the same transaction.
    Wachtlijstplaats.objects.open().filter(werkplek=werkplek, deelnemer=deelnemer).update(
        afgemeld_op=timezone.now(), uitkomst=Wachtlijstplaats.Uitkomst.GEPLAATST
    )
    return plaatsing


VOORKEUREN_GEWIJZIGD = (
    "Een collega heeft de voorkeuren van deze deelnemer intussen gewijzigd. Hieronder staan "
    "ze zoals ze nu zijn; uw invoer is niet opgeslagen."
)


def voorkeuren_stand(deelnemer) -> str:
    """What a form remembers of the preferences it was opened with: their keys. Every save
    makes new rows, so any save by someone else changes it."""
    return ",".join(
        str(pk) for pk in deelnemer.voorkeuren.order_by("pk").values_list("pk", flat=True)
    )


@transaction.atomic
def voorkeuren_vastleggen(*, deelnemer, voorkeuren: list[dict], door, stand: str) -> list[Voorkeur]:
    """Replace ``deelnemer``'s ranked choice with ``voorkeuren`` (each with ``werkplek`` or
    ``werksoort`` and ``reden``, in order: the first is rank 1).

    The participant is locked, so two writers save one after the other; the second, whose
    form was opened before the first saved (``stand`` differs), is told instead of
    overwriting what the first recorded.
    """
    type(deelnemer).objects.select_for_update().filter(pk=deelnemer.pk).get()
    if voorkeuren_stand(deelnemer) != stand:
        raise ValidationError(VOORKEUREN_GEWIJZIGD)
    deelnemer.voorkeuren.all().delete()
    nu = timezone.now()
    return Voorkeur.objects.bulk_create(
        Voorkeur(
            deelnemer=deelnemer,
            rang=rang,
            werkplek=v.get("werkplek"),
            werksoort=v.get("werksoort") or "",
            reden=v["reden"],
            vastgelegd_door=door,
            vastgelegd_op=nu,
        )
        for rang, v in enumerate(voorkeuren, start=1)
    )


@transaction.atomic
def op_wachtlijst(
    *, deelnemer, werkplek, door, gewenste_start=None, toelichting=""
) -> Wachtlijstplaats:
    """Put ``deelnemer`` on ``werkplek``'s waiting list, behind everyone already on it.

    The workplace is locked, as placing locks it, so the order of registration is the order
    of the commits and a participant cannot be put on the same list twice at once.
    """
    Werkplek.objects.select_for_update().filter(pk=werkplek.pk).get()
    if Wachtlijstplaats.objects.open().filter(werkplek=werkplek, deelnemer=deelnemer).exists():
        raise ValidationError(
            {"werkplek": f"{deelnemer.naam} staat al op de wachtlijst van {werkplek.naam}."}
        )
    return Wachtlijstplaats.objects.create(
        werkplek=werkplek,
        deelnemer=deelnemer,
        aangemeld_op=timezone.now(),
        aangemeld_door=door,
        gewenste_start=gewenste_start,
        toelichting=toelichting,
    )


@transaction.atomic
def van_wachtlijst(*, plaats: Wachtlijstplaats) -> bool:
    """Take a participant off a waiting list; False when someone else already did (or they
    were placed), so a second click changes nothing."""
    return bool(
        Wachtlijstplaats.objects.open()
        .filter(pk=plaats.pk)
        .update(afgemeld_op=timezone.now(), uitkomst=Wachtlijstplaats.Uitkomst.AFGEMELD)
    )
