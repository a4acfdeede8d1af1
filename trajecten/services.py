"""Writes on trajectories and hours. Atomic; the hour rules hold under concurrent writers."""

from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from deelnemers.models import Contactmoment
from werkplekken.models import Plaatsing

from .models import NUL_UREN, Fase, Traject, Uitstroom, Urenregistratie, uren_tekst


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


def _vergrendel(traject) -> Traject:
    """The trajectory, locked for the rest of the transaction, with its phases fresh."""
    return Traject.objects.select_for_update().select_related("trajecttype").get(pk=traject.pk)


def _huidige_fase(traject) -> Fase:
    fase = traject.fasen.select_related("fasetype").filter(einddatum__isnull=True).first()
    if fase is None:
        raise ValidationError("Dit traject heeft geen lopende fase.")
    return fase


def _besluit(*, traject, door, onderwerp, toelichting=""):
    """Every decision shows in the participant's journal, with who and when."""
    Contactmoment.objects.create(
        deelnemer_id=traject.deelnemer_id,
        soort=Contactmoment.Soort.BESLUIT,
        onderwerp=onderwerp,
        verslag=toelichting,
        door=door,
    )


def _moet_lopen(traject):
    if traject.status == Traject.Status.AFGESLOTEN:
        raise ValidationError("Dit traject is al afgesloten.")


@transaction.atomic
def fase_verlengen(*, traject, door, toelichting: str) -> Fase:
    """Extend the running phase by what its fasetype allows, at most as often as it allows."""
    traject = _vergrendel(traject)
    _moet_lopen(traject)
    fase = _huidige_fase(traject)
    fasetype = fase.fasetype
    if fase.verlengingen >= fasetype.max_verlengingen:
        raise ValidationError(
            f"De fase {fasetype.naam} kan niet verder verlengd worden: het trajecttype staat "
            f"{fasetype.max_verlengingen} verlenging(en) toe en die zijn gebruikt."
        )
    fase.verlengingen += 1
    delen = []
    if fasetype.verlenging_uren:
        fase.uren_budget = (fase.uren_budget or NUL_UREN) + fasetype.verlenging_uren
        delen.append(f"{uren_tekst(fasetype.verlenging_uren)} uur")
    if fasetype.verlenging_maanden and fase.geplande_einddatum:
        fase.geplande_einddatum += relativedelta(months=fasetype.verlenging_maanden)
        delen.append(f"{fasetype.verlenging_maanden} maanden")
    fase.save(update_fields=["verlengingen", "uren_budget", "geplande_einddatum"])
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"{fasetype.naam} verlengd met {' en '.join(delen)}",
        toelichting=toelichting,
    )
    return fase


@transaction.atomic
def volgende_fase(*, traject, door, datum, toelichting: str = "") -> Fase:
    """Close the running phase the day before ``datum`` and start the next one on ``datum``."""
    traject = _vergrendel(traject)
    _moet_lopen(traject)
    fase = _huidige_fase(traject)
    volgende = (
        traject.trajecttype.fasetypes.filter(volgorde__gt=fase.fasetype.volgorde)
        .order_by("volgorde")
        .first()
    )
    if volgende is None:
        raise ValidationError(
            f"{fase.fasetype.naam} is de laatste fase van {traject.trajecttype}; "
            "sluit het traject af."
        )
    if volgende.vereist_plan and not traject.plannen.exists():
        raise ValidationError(
            f"Voor de fase {volgende.naam} is een plan van aanpak nodig. Stel dat eerst op."
        )
    if datum <= fase.startdatum:
        raise ValidationError({"datum": "De nieuwe fase begint na het begin van de huidige."})
    fase.einddatum = datum - timedelta(days=1)
    fase.save(update_fields=["einddatum"])
    nieuw = Fase.objects.create(
        traject=traject,
        fasetype=volgende,
        startdatum=datum,
        uren_budget=volgende.uren_budget,
        geplande_einddatum=datum + relativedelta(months=volgende.duur_maanden)
        if volgende.duur_maanden
        else None,
    )
    if traject.status == Traject.Status.AANGEMELD:
        traject.status = Traject.Status.ACTIEF
        traject.save(update_fields=["status"])
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Door naar de fase {volgende.naam} per {datum:%d-%m-%Y}",
        toelichting=toelichting,
    )
    return nieuw


@transaction.atomic
def traject_afsluiten(
    *, traject, door, datum, resultaat: str, reden: str = "", toelichting: str = ""
) -> Uitstroom:
    """Close the trajectory with its outcome; running phase and placements end with it."""
    traject = _vergrendel(traject)
    _moet_lopen(traject)
    if datum < traject.startdatum:
        raise ValidationError({"datum": "Het traject kan niet eindigen voor het begon."})
    if datum > timezone.localdate():
        raise ValidationError({"datum": "Een traject wordt afgesloten op of voor vandaag."})
    uitstroom = Uitstroom(
        traject=traject,
        datum=datum,
        resultaat=resultaat,
        reden=reden,
        toelichting=toelichting,
        vastgelegd_door=door,
    )
    uitstroom.full_clean(exclude=["traject"])
    later = traject.fasen.filter(einddatum__isnull=True, startdatum__gt=datum)
    if later.exists():
        raise ValidationError({"datum": "Er loopt een fase die pas na deze datum begint."})
    traject.fasen.filter(einddatum__isnull=True).update(einddatum=datum)
    Plaatsing.objects.filter(traject=traject, einddatum__isnull=True).update(einddatum=datum)
    traject.status = Traject.Status.AFGESLOTEN
    traject.einddatum = datum
    traject.save(update_fields=["status", "einddatum"])
    uitstroom.save()
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Traject afgesloten: {uitstroom.get_resultaat_display().lower()}"
        + (f" ({uitstroom.get_reden_display().lower()})" if reden else ""),
        toelichting=toelichting,
    )
    return uitstroom


def overdragen_participatie(*, traject, door, datum, toelichting: str) -> Uitstroom:
    """Hand over to route participatie: the work route closes as 'niet geleid' (Ferm Werk's
    table) and the decision is recorded for team participatie."""
    if not toelichting.strip():
        raise ValidationError({"toelichting": "Licht toe waarom de deelnemer wordt overgedragen."})
    return traject_afsluiten(
        traject=traject,
        door=door,
        datum=datum,
        resultaat=Uitstroom.Resultaat.NIET_GELEID,
        toelichting=f"Overdracht naar route participatie. {toelichting}",
    )
