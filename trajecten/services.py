"""Writes on trajectories and hours. Atomic; the hour rules hold under concurrent writers."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from werkplekken.models import Plaatsing

from .models import NUL_UREN, Fase, Traject, Urenregistratie, uren_tekst


@transaction.atomic
def registreer_uren(*, deelnemer, werkplek, datum, uren: Decimal, soort: str, door):
    """Book ``uren`` of ``soort`` for ``deelnemer`` at ``werkplek`` on ``datum``.

    Refuses, with the message at the field concerned, hours for a participant not placed
    there that day, outside a running phase, over 24 in a day, or past the phase's budget or
    the trajectory's cap. The trajectory row is locked first, so two people booking for the
    same participant at the same moment are checked one after the other.
    """
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Uren kunnen niet vooruit worden geregistreerd."})
    if (
        not Plaatsing.objects.filter(deelnemer=deelnemer, werkplek=werkplek)
        .lopend_op(datum)
        .exists()
    ):
        raise ValidationError(
            {"datum": f"{deelnemer.naam} is op deze dag niet geplaatst bij {werkplek.naam}."}
        )
    traject = (
        Traject.objects.select_for_update()
        .select_related("trajecttype")
        .filter(deelnemer=deelnemer, startdatum__lte=datum)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=datum))
        .first()
    )
    if traject is None:
        raise ValidationError({"datum": "Op deze dag loopt er geen traject voor deze deelnemer."})
    fase = (
        Fase.objects.filter(traject=traject, startdatum__lte=datum)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=datum))
        .order_by("-startdatum")
        .first()
    )
    if fase is None:
        raise ValidationError({"datum": "Op deze dag loopt er geen fase van het traject."})

    op_die_dag = Urenregistratie.objects.filter(deelnemer=deelnemer, datum=datum).aggregate(
        totaal=Sum("uren", default=NUL_UREN)
    )["totaal"]
    if op_die_dag + uren > 24:
        raise ValidationError(
            {
                "uren": f"Op deze dag staat al {uren_tekst(op_die_dag)} uur; "
                "samen meer dan 24 uur kan niet."
            }
        )

    productief = soort in Urenregistratie.Soort.productief()
    if productief:
        over = fase.resterend_budget()
        if over is not None and uren > over:
            raise ValidationError(
                {
                    "uren": f"Dit past niet in het budget van de fase {fase.fasetype.naam}: "
                    f"er is nog {uren_tekst(over)} uur over."
                }
            )
        rest = traject.resterende_uren()
        if rest is not None and uren > rest:
            raise ValidationError(
                {
                    "uren": "Dit gaat over het plafond van "
                    f"{uren_tekst(traject.trajecttype.max_uren)} uur voor het hele traject: "
                    f"er is nog {uren_tekst(rest)} uur over."
                }
            )

    registratie = Urenregistratie(
        deelnemer=deelnemer,
        fase=fase,
        werkplek=werkplek,
        datum=datum,
        uren=uren,
        soort=soort,
        geregistreerd_door=door,
    )
    registratie.full_clean()
    registratie.save()
    if productief:
        Fase.objects.filter(pk=fase.pk).update(uren_gebruikt=F("uren_gebruikt") + uren)
    return registratie
