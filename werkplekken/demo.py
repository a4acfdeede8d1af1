"""Demo preferences and waiting lists: the demo klantmanager's first participants with their
own ranked choice, and the fullest workplaces with a few of them waiting, so that a newcomer
sees both on the dossier and on a workplace's page (the demo trajectbegeleider's own
workplace among them)."""

from datetime import timedelta

from django.utils import timezone

from deelnemers.models import Doelgroep
from reintegratie.accounts.models import Gebruiker, Organisatie

from .models import MAX_VOORKEUREN, Mixdoel, Voorkeur, Wachtlijstplaats, Werkplek, Werksoort

REDENEN = [
    "Wil graag buiten werken, liefst in de buurt van huis.",
    "Heeft er al eens gewerkt en voelt zich daar thuis.",
    "Wil een vak leren met een certificaat erbij.",
    "Kan er met de fiets komen.",
    "Werkt liever in een kleine groep.",
]
# De Fabriek's aim: about a fifth from justice, half from the gemeenten, the rest SW.
MIX = {
    "De Fabriek (PI Almelo)": {"gedetineerde": 20, "bijstand": 50, "beschut-werk": 30},
}
MET_VOORKEUR = 12
VOLLE_WERKPLEKKEN = 3
WACHTENDEN = 3


def maak_demodata(*, rng, vandaag) -> tuple[int, int]:
    """Preferences, waiting lists and the doelgroep mix aimed for; returns how many
    preferences and waiting places."""
    doelgroepen = {d.code: d for d in Doelgroep.objects.all()}
    Mixdoel.objects.bulk_create(
        Mixdoel(organisatie=org, doelgroep=doelgroepen[code], aandeel=aandeel)
        for org in Organisatie.objects.filter(naam__in=MIX)
        for code, aandeel in MIX[org.naam].items()
        if code in doelgroepen
    )
    km = Gebruiker.objects.filter(username="klantmanager").first()
    if km is None:
        return 0, 0
    deelnemers = list(
        km.caseload.filter(trajecten__einddatum__isnull=True).distinct().order_by("pk")[:40]
    )
    werkplekken = list(Werkplek.objects.actief().met_bezetting(vandaag).order_by("pk"))
    voorkeuren = []
    # Half of them (at most MET_VOORKEUR) choose, the others wait: a small demo shows both.
    met_voorkeur = min(MET_VOORKEUR, len(deelnemers) // 2)
    for deelnemer in deelnemers[:met_voorkeur]:
        keuzes = rng.sample(werkplekken, k=min(MAX_VOORKEUREN, len(werkplekken)))
        for rang, werkplek in enumerate(keuzes[: rng.randint(1, 3)], start=1):
            # Now and then a kind of work instead of one workplace.
            soort = rng.random() < 0.3
            voorkeuren.append(
                Voorkeur(
                    deelnemer=deelnemer,
                    rang=rang,
                    werkplek=None if soort else werkplek,
                    werksoort=rng.choice(Werksoort.values) if soort else "",
                    reden=REDENEN[(deelnemer.pk + rang) % len(REDENEN)],
                    vastgelegd_door=km,
                    vastgelegd_op=timezone.now() - timedelta(days=rng.randint(1, 60)),
                )
            )
    Voorkeur.objects.bulk_create(voorkeuren)
    # The fullest workplaces, the demo trajectbegeleider's first among them.
    vol = sorted(werkplekken, key=lambda w: w.capaciteit - w.bezetting)[:VOLLE_WERKPLEKKEN]
    eigen = Werkplek.objects.filter(begeleider__username="trajectbegeleider").order_by("pk")
    vol = list(dict.fromkeys([*eigen[:1], *vol]))
    wachtenden = deelnemers[met_voorkeur:]
    plaatsen = [
        Wachtlijstplaats(
            werkplek=werkplek,
            deelnemer=deelnemer,
            aangemeld_op=timezone.now() - timedelta(days=10 * (WACHTENDEN - i) + rng.randint(0, 9)),
            aangemeld_door=km,
            gewenste_start=vandaag + timedelta(weeks=rng.randint(1, 8)) if i % 2 else None,
            toelichting="Past bij de voorkeur uit het plan." if i == 0 else "",
        )
        for n, werkplek in enumerate(vol)
        for i, deelnemer in enumerate(wachtenden[n * WACHTENDEN : (n + 1) * WACHTENDEN])
    ]
    Wachtlijstplaats.objects.bulk_create(plaatsen)
    return len(voorkeuren), len(plaatsen)
