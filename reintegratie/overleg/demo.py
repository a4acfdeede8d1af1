"""Demo data: Ferm Werk's partner meeting with De Fabriek and the Reclassering, every three
weeks; past occurrences with their agenda and minutes, the coming ones planned ahead."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from reintegratie.accounts.models import Gebruiker, Organisatie

from . import agenda, planning
from .models import Bijeenkomst
from .verslag import leg_verslag_vast

INTERVAL_WEKEN = 3
VERLEDEN = 3  # occurrences already held


def maak_demodata() -> None:
    """One line from the demodata command, after the participants are loaded. Few rows
    at any size: the agenda is capped (agenda.AGENDA_MAXIMUM)."""
    org = {o.naam: o for o in Organisatie.objects.filter(naam__in=_NAMEN)}
    demo = {g.username: g for g in Gebruiker.objects.filter(username__in=_GEBRUIKERS)}
    vandaag = timezone.localdate()
    eerste = timezone.make_aware(
        datetime.combine(vandaag - timedelta(weeks=INTERVAL_WEKEN * VERLEDEN - 1), time(10))
    )
    overleg = planning.maak_overleg(
        naam="Casusoverleg Ferm Werk, De Fabriek en Reclassering",
        organisator=org["Ferm Werk"],
        organisaties=[org["De Fabriek (PI Almelo)"], org["Reclassering Nederland"]],
        aanwezigen=list(demo.values()),
        interval_weken=INTERVAL_WEKEN,
        eerste_begin=eerste,
        plaats="Ferm Werk, Woerden",
        door=demo["klantmanager"],
    )
    Bijeenkomst.objects.bulk_create(
        Bijeenkomst(
            overleg=overleg,
            volgnummer=n,
            begin=planning.begin_van(overleg, n),
            plaats=overleg.plaats,
        )
        for n in range(VERLEDEN)
        if not overleg.bijeenkomsten.filter(volgnummer=n).exists()
    )
    vorige = overleg.bijeenkomsten.filter(begin__lt=timezone.now()).order_by("-begin").first()
    besprekingen = agenda.stel_agenda_voor(bijeenkomst=vorige)
    for bespreking, tekst in zip(besprekingen, _VERSLAGEN, strict=False):
        leg_verslag_vast(
            bespreking=bespreking,
            verslag=tekst,
            afspraken=[
                {
                    "omschrijving": "Evaluatiegesprek plannen",
                    "eigenaar": demo["klantmanager"],
                    "vervaldatum": vandaag + timedelta(days=7),
                }
            ],
            wijziging=0,
            door=demo["klantmanager"],
        )
    # The coming occurrence has its agenda proposed, its minutes still to write.
    komende = overleg.bijeenkomsten.filter(begin__gte=timezone.now()).order_by("begin").first()
    agenda.stel_agenda_voor(bijeenkomst=komende)


_NAMEN = ("Ferm Werk", "De Fabriek (PI Almelo)", "Reclassering Nederland")
_GEBRUIKERS = ("klantmanager", "trajectbegeleider", "manager", "ketenpartner")
_VERSLAGEN = (
    "Gaat goed op de werkvloer; de begeleider ziet groei in zelfstandig werken.",
    "Twee keer afwezig zonder bericht. Reclassering spreekt de deelnemer aan.",
)
