"""Contracts during a trajectory and the follow-up after uitstroom to work.

A detacheringsbaan is a chain of temporary contracts, each at most as long as its link
(``Contractschakel``) allows; a permanent contract ends the chain. The chain's rules are
checked here, under a lock on the trajectory, so two people recording at once cannot both
add the last link or two overlapping contracts.
"""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reintegratie.templatetags.opmaak import datum as datumtekst

from .models import Contract, Contractschakel, Contractsoort, Nazorg, Uitstroom
from .services import _besluit, _moet_lopen, _vergrendel


@dataclass(frozen=True)
class Schakel:
    """What the next temporary contract of a trajectory may be: its number in the chain,
    of how many, and its longest duration (None: the type sets no chain)."""

    nummer: int
    van: int
    max_maanden: int | None

    @property
    def toegestaan(self) -> bool:
        return self.max_maanden is not None or self.van == 0

    def uiterlijk(self, startdatum):
        """The last day a contract of this link starting on ``startdatum`` may run."""
        if self.max_maanden is None:
            return None
        return startdatum + relativedelta(months=self.max_maanden) - timedelta(days=1)


def volgende_schakel(traject) -> Schakel:
    """The one place that says how many temporary contracts a trajectory has had and what
    the next may be; the form, the dossier and :func:`contract_vastleggen` all ask it."""
    schakels = list(
        Contractschakel.objects.filter(trajecttype_id=traject.trajecttype_id).values_list(
            "max_maanden", flat=True
        )
    )
    gehad = Contract.objects.filter(traject=traject, soort=Contractsoort.TIJDELIJK).count()
    nummer = gehad + 1
    max_maanden = schakels[gehad] if gehad < len(schakels) else None
    return Schakel(nummer=nummer, van=len(schakels), max_maanden=max_maanden)


def _periode_tekst(startdatum, einddatum) -> str:
    if einddatum is None:
        return f"vanaf {datumtekst(startdatum)}"
    return f"{datumtekst(startdatum)} t/m {datumtekst(einddatum)}"


def _geen_overlap(*, traject, startdatum, einddatum) -> None:
    """A participant has one contract at a time, over all of their trajectories."""
    botsing = (
        Contract.objects.filter(traject__deelnemer_id=traject.deelnemer_id)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__gte=startdatum))
        .filter(startdatum__lte=einddatum or startdatum.max)
        .select_related("werkgever")
        .first()
    )
    if botsing:
        raise ValidationError(
            {
                "startdatum": f"Dit contract overlapt met het contract bij {botsing.werkgever} "
                f"({_periode_tekst(botsing.startdatum, botsing.einddatum)})."
            }
        )


def _past_in_de_keten(*, traject, soort, startdatum, einddatum) -> str:
    """Check a temporary contract against its link; returns its place, for the journal."""
    if soort != Contractsoort.TIJDELIJK:
        return ""
    schakel = volgende_schakel(traject)
    if not schakel.toegestaan:
        raise ValidationError(
            {
                "soort": f"De keten van {traject.trajecttype} heeft hoogstens {schakel.van} "
                "tijdelijke contracten. Daarna volgt een vast contract of uitstroom."
            }
        )
    uiterlijk = schakel.uiterlijk(startdatum)
    if uiterlijk and einddatum > uiterlijk:
        raise ValidationError(
            {
                "einddatum": f"Contract {schakel.nummer} van de keten duurt hoogstens "
                f"{schakel.max_maanden} maanden: tot en met {datumtekst(uiterlijk)}."
            }
        )
    return f" {schakel.nummer} van {schakel.van}" if schakel.van else ""


@transaction.atomic
def contract_vastleggen(
    *, traject, door, werkgever, soort, startdatum, einddatum=None, toelichting=""
) -> Contract:
    """Record a contract on a running trajectory: after the previous one, within the
    trajectory, overlapping no other contract of the participant, and within its link."""
    traject = _vergrendel(traject)
    _moet_lopen(traject)
    contract = Contract(
        traject=traject,
        werkgever=werkgever,
        soort=soort,
        startdatum=startdatum,
        einddatum=einddatum,
        toelichting=toelichting,
        vastgelegd_door=door,
    )
    contract.full_clean(exclude=["traject", "vastgelegd_door"])
    if startdatum < traject.startdatum:
        raise ValidationError(
            {"startdatum": f"Het traject begon op {datumtekst(traject.startdatum)}."}
        )
    vorige = traject.contracten.order_by("-startdatum").first()
    if vorige and startdatum <= vorige.startdatum:
        raise ValidationError(
            {
                "startdatum": "Een nieuw contract begint na het vorige (vanaf "
                f"{datumtekst(vorige.startdatum)})."
            }
        )
    _geen_overlap(traject=traject, startdatum=startdatum, einddatum=einddatum)
    plaats = _past_in_de_keten(
        traject=traject, soort=soort, startdatum=startdatum, einddatum=einddatum
    )
    contract.zet_signaal(traject.trajecttype.contract_signaal_weken)
    contract.save()
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Contract{plaats} ({contract.get_soort_display().lower()}) bij {werkgever}: "
        f"{_periode_tekst(startdatum, einddatum)}",
        toelichting=toelichting,
    )
    return contract


@transaction.atomic
def contract_beeindigen(*, contract, door, einddatum, reden) -> Contract:
    """End the trajectory's last contract earlier than agreed (the employer or the
    participant stops): not before it began, not later than it ran; the end's signal and
    task follow the new date. A later end is a new contract, not this."""
    traject = _vergrendel(contract.traject)
    _moet_lopen(traject)
    contract = Contract.objects.select_related("werkgever").get(pk=contract.pk)
    if traject.contracten.filter(startdatum__gt=contract.startdatum).exists():
        raise ValidationError("Na dit contract is al een volgend contract vastgelegd.")
    if einddatum < contract.startdatum:
        raise ValidationError(
            {"einddatum": f"Het contract begon op {datumtekst(contract.startdatum)}."}
        )
    if contract.einddatum and einddatum >= contract.einddatum:
        raise ValidationError(
            {
                "einddatum": f"Het contract loopt tot en met {datumtekst(contract.einddatum)}; "
                "kies een eerdere datum. Langer is een nieuw contract."
            }
        )
    contract.einddatum = einddatum
    contract.zet_signaal(traject.trajecttype.contract_signaal_weken)
    contract.save(update_fields=["einddatum", "signaal_vanaf"])
    _besluit(
        traject=traject,
        door=door,
        onderwerp=f"Contract bij {contract.werkgever} eerder beëindigd, op {datumtekst(einddatum)}",
        toelichting=reden,
    )
    return contract


@transaction.atomic
def nazorg_vastleggen(*, uitstroom, door, moment, datum, aan_het_werk, toelichting="") -> Nazorg:
    """Record whether the participant is still at work ``moment`` months after uitstroom."""
    uitstroom = Uitstroom.objects.select_for_update().select_related("traject").get(pk=uitstroom.pk)
    if uitstroom.resultaat != Uitstroom.Resultaat.WERK:
        raise ValidationError("Nazorg hoort bij uitstroom naar werk.")
    if uitstroom.nazorg.filter(moment=moment).exists():
        raise ValidationError(f"De nazorg {Nazorg.Moment(moment).label.lower()} is al vastgelegd.")
    vanaf = uitstroom.nazorg_vanaf(moment)
    if datum < vanaf:
        raise ValidationError(
            {
                "datum": f"De nazorg {Nazorg.Moment(moment).label.lower()} kan vanaf "
                f"{datumtekst(vanaf)}."
            }
        )
    if datum > timezone.localdate():
        raise ValidationError({"datum": "De datum van het contact ligt niet in de toekomst."})
    nazorg = Nazorg.objects.create(
        uitstroom=uitstroom,
        moment=moment,
        datum=datum,
        aan_het_werk=aan_het_werk,
        toelichting=toelichting,
        vastgelegd_door=door,
    )
    _besluit(
        traject=uitstroom.traject,
        door=door,
        onderwerp=f"Nazorg {nazorg.get_moment_display().lower()}: "
        + ("nog aan het werk" if aan_het_werk else "niet meer aan het werk"),
        toelichting=toelichting,
    )
    return nazorg
