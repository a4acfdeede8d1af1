"""The minutes of one participant's discussion: filed in the dossier as a journal entry, and
each afspraak as a task of its owner."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from deelnemers.models import Contactmoment
from reintegratie.taken.models import Taak
from reintegratie.taken.services import maak_taak
from reintegratie.templatetags.opmaak import datum

from .models import Bespreking, Overlegafspraak

VEROUDERD = (
    "Iemand anders heeft dit verslag intussen opgeslagen. Het opgeslagen verslag staat "
    "hierboven, uw tekst hieronder: voeg ze samen en sla opnieuw op."
)


class AfspraakFout(Exception):
    """Afspraak number ``index`` of the form could not become a task (``fout``)."""

    def __init__(self, index: int, fout: ValidationError):
        super().__init__(fout)
        self.index = index
        self.fout = fout


@transaction.atomic
def leg_verslag_vast(
    *, bespreking: Bespreking, verslag: str, afspraken: list[dict], wijziging: int, door
) -> Bespreking:
    """Saves the minutes made on version ``wijziging``; a newer version is refused
    (VEROUDERD), so two people writing at once lose nothing. Each afspraak (omschrijving,
    eigenaar, vervaldatum) becomes a task; one whose owner cannot open the dossier stops
    the whole save (AfspraakFout)."""
    bespreking = (
        Bespreking.objects.select_for_update(of=("self",))
        .select_related("bijeenkomst__overleg", "contactmoment", "deelnemer")
        .get(pk=bespreking.pk)
    )
    if bespreking.wijziging != wijziging:
        raise ValidationError({"verslag": VEROUDERD}, code="verouderd")
    nu = timezone.now()
    bespreking.contactmoment = _journaal(bespreking, verslag, door, nu)
    for index, gegevens in enumerate(afspraken):
        afspraak = Overlegafspraak.objects.create(bespreking=bespreking, **gegevens)
        try:
            afspraak.taak = maak_taak(
                deelnemer=bespreking.deelnemer,
                eigenaar=gegevens["eigenaar"],
                omschrijving=gegevens["omschrijving"],
                vervaldatum=gegevens["vervaldatum"],
                door=door,
                bron=Taak.Bron.OVERLEG,
                sleutel=f"overleg:{afspraak.pk}",
            )
        except ValidationError as fout:
            raise AfspraakFout(index, fout) from fout
        afspraak.save(update_fields=["taak"])
    bespreking.verslag = verslag
    bespreking.verslag_op = nu
    bespreking.verslag_door = door
    bespreking.wijziging += 1
    bespreking.save(
        update_fields=["verslag", "verslag_op", "verslag_door", "contactmoment", "wijziging"]
    )
    return bespreking


def _journaal(bespreking: Bespreking, verslag: str, door, nu) -> Contactmoment:
    """The journal entry of the minutes, made once and updated after."""
    bijeenkomst = bespreking.bijeenkomst
    moment = bespreking.contactmoment or Contactmoment(
        deelnemer_id=bespreking.deelnemer_id,
        soort=Contactmoment.Soort.PARTNEROVERLEG,
        tijdstip=min(bijeenkomst.begin, nu),
    )
    moment.onderwerp = (
        f"{bijeenkomst.overleg.naam} van {datum(timezone.localtime(bijeenkomst.begin))}"[:200]
    )
    moment.verslag = verslag
    moment.door = door
    moment.full_clean()
    moment.save()
    return moment
