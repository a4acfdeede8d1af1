"""Planning group sessions, their members' appointments, and saving who attended."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reintegratie.agenda.models import Afspraak
from reintegratie.agenda.services import (
    laat_afspraak_vervallen,
    leg_uitkomst_vast,
    plan_afspraak,
    verzet_afspraak,
)
from trajecten.models import uren_tekst
from trajecten.services import GroepsurenFouten, groepsuren_zetten

from .models import Aanwezigheid, Groepsbijeenkomst, Lidmaatschap

# How far ahead sessions are planned: members see them in their agenda a quarter ahead.
VOORUIT = timedelta(weeks=13)
UITKOMST = {
    Aanwezigheid.Status.AANWEZIG: Afspraak.Status.GEHOUDEN,
    Aanwezigheid.Status.AFGEMELD: Afspraak.Status.NIET_VERSCHENEN_MET_BERICHT,
    Aanwezigheid.Status.NIET_VERSCHENEN: Afspraak.Status.NIET_VERSCHENEN_ZONDER_BERICHT,
}


def afspraaksleutel(bijeenkomst) -> str:
    return f"groep:bijeenkomst:{bijeenkomst.pk}"


def moment(datum, tijd):
    return timezone.make_aware(datetime.combine(datum, tijd))


def _afspraken(bijeenkomst):
    return Afspraak.objects.filter(
        sleutel=afspraaksleutel(bijeenkomst), soort=Afspraak.Soort.GROEPSBIJEENKOMST
    )


def _plan_voor(bijeenkomst, leden, door) -> None:
    """Each member gets the session in their agenda, once (plan_afspraak's sleutel)."""
    groep = bijeenkomst.groep
    for lid in leden:
        if lid.loopt_op(bijeenkomst.datum):
            plan_afspraak(
                deelnemer=lid.deelnemer,
                soort=Afspraak.Soort.GROEPSBIJEENKOMST,
                begin=bijeenkomst.begin,
                einde=bijeenkomst.einde,
                medewerkers=[groep.begeleider],
                door=door,
                plaats=groep.plaats or groep.werkplek.naam,
                sleutel=afspraaksleutel(bijeenkomst),
            )


@transaction.atomic
def plan_bijeenkomsten(*, groep, door, tot=None) -> int:
    """The sessions of the rhythm from today up to ``tot`` (a quarter ahead), each with its
    members' appointments. A date of the rhythm that already has its session (moved or
    cancelled) is left alone. Returns the number of new sessions."""
    vandaag = timezone.localdate()
    tot = tot or vandaag + VOORUIT
    bestaand = set(groep.bijeenkomsten.values_list("volgens_schema", flat=True))
    leden = list(groep.leden.select_related("deelnemer"))
    nieuw = 0
    for datum in groep.schema(tot):
        begin = moment(datum, groep.begintijd)
        if datum in bestaand or begin < timezone.now():
            continue
        bijeenkomst = Groepsbijeenkomst(
            groep=groep, volgens_schema=datum, begin=begin, einde=moment(datum, groep.eindtijd)
        )
        bijeenkomst.full_clean()
        bijeenkomst.save()
        _plan_voor(bijeenkomst, leden, door)
        nieuw += 1
    return nieuw


def _komende(groep):
    return groep.bijeenkomsten.filter(
        status=Groepsbijeenkomst.Status.GEPLAND, begin__gte=timezone.now()
    )


@transaction.atomic
def lid_toevoegen(*, groep, deelnemer, startdatum, door) -> Lidmaatschap:
    """``deelnemer`` joins ``groep`` on ``startdatum``, with the coming sessions in the agenda.
    The caller has checked that the user may book hours for them (the matrix)."""
    if (
        Lidmaatschap.objects.select_for_update()
        .filter(groep=groep, deelnemer=deelnemer, einddatum__isnull=True)
        .exists()
    ):
        raise ValidationError({"deelnemer": f"{deelnemer.naam} is al lid van deze groep."})
    lid = Lidmaatschap(
        groep=groep, deelnemer=deelnemer, startdatum=startdatum, toegevoegd_door=door
    )
    lid.full_clean()
    lid.save()
    for bijeenkomst in _komende(groep).select_related("groep__begeleider", "groep__werkplek"):
        _plan_voor(bijeenkomst, [lid], door)
    return lid


@transaction.atomic
def lid_uitschrijven(*, lidmaatschap, einddatum) -> Lidmaatschap:
    """The member leaves after ``einddatum``: the sessions after it leave their agenda."""
    lid = Lidmaatschap.objects.select_for_update().get(pk=lidmaatschap.pk)
    lid.einddatum = einddatum
    lid.full_clean()
    lid.save(update_fields=["einddatum"])
    na = _komende(lid.groep).filter(begin__date__gt=einddatum)
    for afspraak in Afspraak.objects.filter(
        deelnemer=lid.deelnemer, sleutel__in=[afspraaksleutel(b) for b in na]
    ):
        laat_afspraak_vervallen(afspraak=afspraak)
    return lid


def _nog_te_wijzigen(bijeenkomst) -> Groepsbijeenkomst:
    bijeenkomst = (
        Groepsbijeenkomst.objects.select_for_update().select_related("groep").get(pk=bijeenkomst.pk)
    )
    if bijeenkomst.status != Groepsbijeenkomst.Status.GEPLAND:
        raise ValidationError("Deze bijeenkomst is geannuleerd.")
    if bijeenkomst.is_begonnen or bijeenkomst.aanwezigheden.exists():
        raise ValidationError("Deze bijeenkomst is al begonnen; leg de aanwezigheid vast.")
    return bijeenkomst


@transaction.atomic
def bijeenkomst_verzetten(*, bijeenkomst, begin, einde) -> Groepsbijeenkomst:
    """The session at another time, and every member's appointment with it."""
    bijeenkomst = _nog_te_wijzigen(bijeenkomst)
    if begin < timezone.now():
        raise ValidationError({"begin": "Een bijeenkomst verzet u naar een moment dat nog komt."})
    bijeenkomst.begin, bijeenkomst.einde = begin, einde
    bijeenkomst.full_clean()
    bijeenkomst.save(update_fields=["begin", "einde"])
    for afspraak in _afspraken(bijeenkomst):
        verzet_afspraak(afspraak=afspraak, begin=begin, einde=einde)
    return bijeenkomst


@transaction.atomic
def bijeenkomst_annuleren(*, bijeenkomst) -> Groepsbijeenkomst:
    """The session does not take place: it leaves the members' agendas."""
    bijeenkomst = _nog_te_wijzigen(bijeenkomst)
    bijeenkomst.status = Groepsbijeenkomst.Status.GEANNULEERD
    bijeenkomst.save(update_fields=["status"])
    for afspraak in _afspraken(bijeenkomst):
        laat_afspraak_vervallen(afspraak=afspraak)
    return bijeenkomst


class AanwezigheidFouten(ValidationError):
    """Errors per member (deelnemer_id); nothing of the session was saved."""

    def __init__(self, fouten: dict):
        self.fouten = fouten
        super().__init__("; ".join(fouten.values()))


@transaction.atomic
def aanwezigheid_opslaan(*, bijeenkomst, regels: dict, door) -> int:
    """Save who attended: ``regels`` maps a member (Deelnemer) to (status, uren). Each
    appointment gets its outcome; where the group counts toward the budget, those present
    get their hours as scholing (``groepsuren_zetten``: every booking rule), those absent
    lose what an earlier save booked. The session's row is locked first, so two people
    saving the same session at once are saved one after the other, never doubled."""
    bijeenkomst = (
        Groepsbijeenkomst.objects.select_for_update()
        .select_related("groep__werkplek__organisatie")
        .get(pk=bijeenkomst.pk)
    )
    groep = bijeenkomst.groep
    if bijeenkomst.status == Groepsbijeenkomst.Status.GEANNULEERD:
        raise ValidationError("Deze bijeenkomst is geannuleerd.")
    if not bijeenkomst.is_begonnen:
        raise ValidationError("De aanwezigheid legt u vast als de bijeenkomst begonnen is.")
    leden = set(
        Lidmaatschap.objects.lopend_op(bijeenkomst.datum)
        .filter(groep=groep)
        .values_list("deelnemer_id", flat=True)
    )
    if fouten := _regelfouten(bijeenkomst, regels, leden):
        raise AanwezigheidFouten(fouten)
    if groep.telt_voor_budget:
        try:
            groepsuren_zetten(
                werkplek=groep.werkplek,
                datum=bijeenkomst.datum,
                uren={
                    d: u if s == Aanwezigheid.Status.AANWEZIG else None
                    for d, (s, u) in regels.items()
                },
                door=door,
                reden=f"Aanwezigheid {groep.naam}",
            )
        except GroepsurenFouten as fout:
            raise AanwezigheidFouten(fout.fouten) from None
    _leg_vast(bijeenkomst, regels, door)
    return len(regels)


def _regelfouten(bijeenkomst, regels, leden) -> dict:
    duur = bijeenkomst.duur_uren
    fouten = {}
    for deelnemer, (status, uren) in regels.items():
        if deelnemer.pk not in leden:
            fouten[deelnemer.pk] = f"{deelnemer.naam} is op deze dag geen lid van de groep."
        elif status == Aanwezigheid.Status.AANWEZIG and not uren:
            fouten[deelnemer.pk] = "Vul de uren in voor wie aanwezig was."
        elif status == Aanwezigheid.Status.AANWEZIG and uren > duur:
            fouten[deelnemer.pk] = (
                f"Hoogstens {uren_tekst(duur)} uur: zo lang duurde de bijeenkomst."
            )
    return fouten


def _leg_vast(bijeenkomst, regels, door) -> None:
    bestaand = {a.deelnemer_id: a for a in bijeenkomst.aanwezigheden.all()}
    for deelnemer, (status, uren) in regels.items():
        rij = bestaand.get(deelnemer.pk) or Aanwezigheid(
            bijeenkomst=bijeenkomst, deelnemer=deelnemer
        )
        rij.status, rij.vastgelegd_door, rij.vastgelegd_op = status, door, timezone.now()
        rij.uren = uren if status == Aanwezigheid.Status.AANWEZIG else None
        # The keys come from locked or just-read rows: no query per key to check them again.
        rij.full_clean(
            exclude=["bijeenkomst", "deelnemer", "vastgelegd_door"], validate_unique=False
        )
        rij.save()
    afspraken = _afspraken(bijeenkomst).filter(deelnemer__in=list(regels))
    status_van = {d.pk: s for d, (s, _) in regels.items()}
    for afspraak in afspraken:
        leg_uitkomst_vast(afspraak=afspraak, status=UITKOMST[status_van[afspraak.deelnemer_id]])
