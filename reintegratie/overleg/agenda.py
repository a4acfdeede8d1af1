"""An occurrence's agenda: proposed from the participants the partners share, by urgency,
and kept by hand (add, remove, reorder)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from deelnemers.models import Deelnemer
from reintegratie.access import organisaties_betrokken
from trajecten.models import Signaal, Traject, signaal_voorwaarden

from .models import Bespreking, Bijeenkomst

# A meeting of two to three hours discusses some forty participants at most.
AGENDA_MAXIMUM = 40
# Urgency: any signal of the case first, then an evaluation due, then no hours lately.
LICHT = {Signaal.EVALUATIE_NODIG: 10, Signaal.GEEN_UREN: 1}
ZWAAR = 100
NIET_GEDEELD = "Deze deelnemer is niet bij de organisator en een andere partner betrokken."
AL_OP_DE_AGENDA = "Deze deelnemer staat al op de agenda."
MET_VERSLAG = "Deze bespreking heeft al een verslag; die blijft op de agenda."
MET_DE_HAND = "Met de hand toegevoegd"
GEEN_SIGNALEN = "Geen signalen"


def gedeeld(overleg, vandaag=None) -> Q:
    """A filter on the participants the meeting's organiser and at least one other partner
    are involved in (regie, aanbieder, verwijzer, werkplek)."""
    vandaag = vandaag or timezone.localdate()
    anderen = [
        pk
        for pk in overleg.organisaties.values_list("pk", flat=True)
        if pk != overleg.organisator_id
    ]
    return organisaties_betrokken([overleg.organisator_id], vandaag) & organisaties_betrokken(
        anderen, vandaag
    )


def _met_urgentie(deelnemers, vandaag):
    """Annotate ``signaal_<code>`` (any running trajectory has it) and ``urgentie``."""
    signalen = {
        f"signaal_{code}": Exists(
            Traject.objects.filter(deelnemer_id=OuterRef("pk")).filter(voorwaarde)
        )
        for code, voorwaarde in signaal_voorwaarden(vandaag).items()
    }
    gewicht = sum(
        (
            Case(When(**{f"signaal_{code}": True}, then=Value(LICHT.get(code, ZWAAR))), default=0)
            for code in Signaal
        ),
        Value(0),
    )
    return deelnemers.annotate(**signalen).annotate(
        urgentie=Coalesce(gewicht, 0, output_field=IntegerField())
    )


def reden(rij) -> str:
    """The signals of an annotated participant in words, the most urgent first."""
    codes = sorted(
        (c for c in Signaal if getattr(rij, f"signaal_{c}", False)),
        key=lambda c: -LICHT.get(c, ZWAAR),
    )
    return "; ".join(Signaal(c).label for c in codes) or GEEN_SIGNALEN


@transaction.atomic
def stel_agenda_voor(*, bijeenkomst: Bijeenkomst, vandaag=None) -> list[Bespreking]:
    """Adds the shared participants not yet on the agenda, most urgent first, up to
    AGENDA_MAXIMUM; what is on it already stays, in its order."""
    vandaag = vandaag or timezone.localdate()
    bijeenkomst = (
        Bijeenkomst.objects.select_for_update(of=("self",))
        .select_related("overleg")
        .get(pk=bijeenkomst.pk)
    )
    staat = list(bijeenkomst.besprekingen.values_list("deelnemer_id", "volgorde"))
    ruimte = AGENDA_MAXIMUM - len(staat)
    if ruimte <= 0:
        return []
    # Two steps: first who is shared, then the signals of exactly those. In one query the
    # database would work out the signals of every trajectory in the table before joining.
    gedeelde = list(
        Deelnemer.objects.filter(gedeeld(bijeenkomst.overleg, vandaag))
        .exclude(pk__in=[d for d, _ in staat])
        .values_list("pk", flat=True)
    )
    kandidaten = (
        _met_urgentie(Deelnemer.objects.filter(pk__in=gedeelde), vandaag)
        .only("pk")
        .order_by("-urgentie", "achternaam", "pk")[:ruimte]
        if gedeelde
        else []
    )
    volgende = max((v for _, v in staat), default=0) + 1
    return Bespreking.objects.bulk_create(
        Bespreking(bijeenkomst=bijeenkomst, deelnemer=d, volgorde=volgende + i, reden=reden(d))
        for i, d in enumerate(kandidaten)
    )


@transaction.atomic
def voeg_toe(*, bijeenkomst: Bijeenkomst, deelnemer, vandaag=None) -> Bespreking:
    """Puts a shared participant at the end of the agenda."""
    vandaag = vandaag or timezone.localdate()
    bijeenkomst = (
        Bijeenkomst.objects.select_for_update(of=("self",))
        .select_related("overleg")
        .get(pk=bijeenkomst.pk)
    )
    rij = (
        _met_urgentie(Deelnemer.objects.filter(pk=deelnemer.pk), vandaag)
        .filter(gedeeld(bijeenkomst.overleg, vandaag))
        .only("pk")
        .first()
    )
    if rij is None:
        raise ValidationError({"deelnemer": NIET_GEDEELD})
    if bijeenkomst.besprekingen.filter(deelnemer_id=deelnemer.pk).exists():
        raise ValidationError({"deelnemer": AL_OP_DE_AGENDA})
    laatste = bijeenkomst.besprekingen.order_by("-volgorde").values_list("volgorde", flat=True)
    return Bespreking.objects.create(
        bijeenkomst=bijeenkomst,
        deelnemer_id=deelnemer.pk,
        volgorde=(laatste.first() or 0) + 1,
        reden=f"{MET_DE_HAND}; {reden(rij)}",
    )


@transaction.atomic
def haal_weg(*, bespreking: Bespreking) -> None:
    """Takes a participant off the agenda, unless the minutes were written."""
    bespreking = Bespreking.objects.select_for_update().get(pk=bespreking.pk)
    if bespreking.wijziging:
        raise ValidationError({"bespreking": MET_VERSLAG})
    bespreking.delete()


@transaction.atomic
def verschuif(*, bespreking: Bespreking, omhoog: bool) -> None:
    """Swaps a participant with the one before (``omhoog``) or after it."""
    Bijeenkomst.objects.select_for_update().get(pk=bespreking.bijeenkomst_id)
    bespreking = Bespreking.objects.get(pk=bespreking.pk)
    buren = Bespreking.objects.filter(bijeenkomst_id=bespreking.bijeenkomst_id)
    if omhoog:
        buur = buren.filter(volgorde__lt=bespreking.volgorde).order_by("-volgorde").first()
    else:
        buur = buren.filter(volgorde__gt=bespreking.volgorde).order_by("volgorde").first()
    if buur is None:
        return
    bespreking.volgorde, buur.volgorde = buur.volgorde, bespreking.volgorde
    Bespreking.objects.bulk_update([bespreking, buur], ["volgorde"])
