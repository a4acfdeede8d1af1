"""Load a realistic demo dataset drawn from the seed documents, at any size.

    manage.py demodata                      # 60 participants and one log-in per role
    manage.py demodata --deelnemers 100000  # for benchmarks: bulk inserts, memory flat

Participants are written in chunks: each chunk's rows are built, inserted in bulk (hours and
observations with COPY on PostgreSQL) and dropped before the next, so memory stays flat at any
size. The whole load is one transaction: a failed run leaves the database as it found it.

On PostgreSQL, a load of ``GROTE_LOAD`` participants or more first drops the secondary indexes,
unique constraints and foreign keys of the two big tables (hours: ~95 rows per participant;
observations: ~9) and puts them back, by their own definitions, at the end: building an index
once and checking a foreign key with one join is far cheaper than maintaining eight indexes
and four key checks row by row. Drop and restore run inside the load's transaction, so a failed
run restores them too. Measured at 100,000 participants: see bench/README.md.
"""

import random
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from time import monotonic

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker
from tqdm import tqdm

from deelnemers.models import (
    Contactmoment,
    Deelnemer,
    Doelgroep,
    LadderTrede,
    ladder_uitersten,
)
from reintegratie.accounts.models import Gebruiker, Organisatie, Rol
from reintegratie.agenda.demo import maak_demodata as agenda_demodata
from reintegratie.groepen.demo import maak_demodata as groepen_demodata
from reintegratie.overleg.demo import maak_demodata as overleg_demodata
from reintegratie.taken.demo import maak_demodata as taken_demodata
from trajecten.demo import maak_demodata as contracten_demodata
from trajecten.models import (
    AfstandTotArbeidsmarkt,
    Fase,
    Instrumentinzet,
    Leerdoel,
    Observatie,
    PlanVanAanpak,
    Route,
    Traject,
    Trajecttype,
    Uitstroom,
    Urenregistratie,
    Voortgangsrapportage,
    Werknemersvaardigheid,
)
from trajecten.services import maandtotalen_opnieuw_opbouwen, weektotalen_opnieuw_opbouwen
from werkplekken.demo import maak_demodata as wachtlijst_demodata
from werkplekken.models import Plaatsing, Werkplek, Werksoort

DEMO_WACHTWOORD = "demo"
CHUNK = 1000
# From this size on PostgreSQL, the hours table is loaded without its secondary indexes and
# foreign keys, which are rebuilt afterwards (see the module docstring).
GROTE_LOAD = CHUNK
SOORT = Urenregistratie.Soort
PRODUCTIEF = frozenset(SOORT.productief())

ORGANISATIES = [
    ("Ferm Werk", Organisatie.Soort.WERKBEDRIJF, "Woerden"),
    ("De Fabriek (PI Almelo)", Organisatie.Soort.LEERWERKBEDRIJF, "Almelo"),
    ("Gemeente Almelo", Organisatie.Soort.GEMEENTE, "Almelo"),
    ("Gemeente Woerden", Organisatie.Soort.GEMEENTE, "Woerden"),
    ("Gemeente Arnhem", Organisatie.Soort.GEMEENTE, "Arnhem"),
    ("Gemeente Almere", Organisatie.Soort.GEMEENTE, "Almere"),
    ("Reclassering Nederland", Organisatie.Soort.RECLASSERING, "Almelo"),
    ("UWV", Organisatie.Soort.UWV, "Hengelo"),
    ("PI Almelo", Organisatie.Soort.PI, "Almelo"),
    ("Soweco", Organisatie.Soort.SW_BEDRIJF, "Almelo"),
    ("Refugee Company", Organisatie.Soort.REINTEGRATIEBEDRIJF, "Arnhem"),
    ("Groenbedrijf Het Hout", Organisatie.Soort.WERKGEVER, "Almelo"),
    ("Logistiek Centrum Twente", Organisatie.Soort.WERKGEVER, "Hengelo"),
    ("Schoonmaakbedrijf Rijnstreek", Organisatie.Soort.WERKGEVER, "Woerden"),
]

# Werkplekken: (organisatie, naam, soort, werksoort, capaciteit).
WERKPLEKKEN = [
    ("De Fabriek (PI Almelo)", "Productiehal", "intern", Werksoort.PRODUCTIE, 25),
    ("De Fabriek (PI Almelo)", "Groenploeg", "intern", Werksoort.GROEN, 12),
    ("De Fabriek (PI Almelo)", "Schoonmaakploeg", "intern", Werksoort.SCHOONMAAK, 10),
    ("De Fabriek (PI Almelo)", "Logistiek", "intern", Werksoort.LOGISTIEK, 15),
    ("De Fabriek (PI Almelo)", "Receptie", "intern", Werksoort.RECEPTIE, 4),
    ("De Fabriek (PI Almelo)", "Magazijn", "intern", Werksoort.MAGAZIJN, 10),
    ("Ferm Werk", "LOC Werkplaats", "intern", Werksoort.PRODUCTIE, 30),
    ("Ferm Werk", "LOC Catering", "intern", Werksoort.CATERING, 10),
    ("Groenbedrijf Het Hout", "Buitendienst", "extern", Werksoort.GROEN, 6),
    ("Logistiek Centrum Twente", "Orderpicking", "extern", Werksoort.LOGISTIEK, 8),
    ("Schoonmaakbedrijf Rijnstreek", "Kantoorschoonmaak", "extern", Werksoort.SCHOONMAAK, 6),
]

# Demo log-ins: (username, voornaam, achternaam, rol, organisatie).
DEMO_GEBRUIKERS = [
    ("klantmanager", "Karin", "de Jong", Rol.KLANTMANAGER, "Ferm Werk"),
    ("trajectbegeleider", "Tom", "Bakker", Rol.TRAJECTBEGELEIDER, "De Fabriek (PI Almelo)"),
    ("manager", "Mirjam", "Visser", Rol.MANAGER, "Ferm Werk"),
    ("ketenpartner", "Kees", "Mulder", Rol.KETENPARTNER, "Reclassering Nederland"),
    ("beheerder", "Bart", "Smit", Rol.BEHEERDER, "Ferm Werk"),
    ("privacy", "Priya", "Ramdin", Rol.PRIVACY, "Ferm Werk"),
]

# Who refers, in De Fabriek's mix: about half gemeenten, a fifth justice, the rest UWV/SW.
VERWIJZERS = [
    ("Ferm Werk", 30, ["bijstand"]),
    ("Gemeente Almelo", 12, ["bijstand"]),
    ("Gemeente Arnhem", 6, ["statushouder", "bijstand"]),
    ("Gemeente Almere", 4, ["dagbesteding"]),
    ("Reclassering Nederland", 10, ["taakgestrafte"]),
    ("PI Almelo", 10, ["gedetineerde"]),
    ("UWV", 18, ["uwv-ww", "uwv-wajong", "uwv-wia"]),
    ("Soweco", 10, ["beschut-werk", "banenafspraak"]),
]

# Outcome mix, after Ferm Werk's results table.
UITSTROOM = [
    (Uitstroom.Resultaat.WERK, "", 40),
    (Uitstroom.Resultaat.STUDIE, "", 5),
    (Uitstroom.Resultaat.PARTICIPATIE, "", 15),
    (Uitstroom.Resultaat.VOORTIJDIG, Uitstroom.Reden.NIET_HAALBAAR, 10),
    (Uitstroom.Resultaat.VOORTIJDIG, Uitstroom.Reden.ZELF_BEEINDIGD, 8),
    (Uitstroom.Resultaat.VOORTIJDIG, Uitstroom.Reden.OVERIG, 7),
    (Uitstroom.Resultaat.NIET_GELEID, "", 15),
]

DAGSOORTEN = [
    (SOORT.GEWERKT, 80),
    (SOORT.SCHOLING, 8),
    (SOORT.ZIEK, 5),
    (SOORT.VERLOF, 3),
    (SOORT.AFWEZIG_MET_BERICHT, 2),
    (SOORT.AFWEZIG_ZONDER_BERICHT, 2),
]

JOURNAAL = [
    ("Kennismaking op de werkplek", Contactmoment.Soort.GESPREK, "Rooster afstemmen"),
    ("Ziekmelding doorgegeven", Contactmoment.Soort.TELEFOON, "Nabellen over herstel"),
    ("Voortgang besproken", Contactmoment.Soort.GESPREK, ""),
    ("Partneroverleg met de verwijzer", Contactmoment.Soort.PARTNEROVERLEG, "Verslag sturen"),
    ("Sollicitatiebrief nagekeken", Contactmoment.Soort.EMAIL, ""),
]

INSTRUMENTEN = [
    (Instrumentinzet.Instrument.TAALMETER, 75),
    (Instrumentinzet.Instrument.VCA, 450),
    (Instrumentinzet.Instrument.HEFTRUCK, 600),
    (Instrumentinzet.Instrument.SOLLICITATIETRAINING, 350),
    (Instrumentinzet.Instrument.JOBCOACHING, 1800),
    (Instrumentinzet.Instrument.LOONKOSTENSUBSIDIE, 9000),
]

TRAJECTTYPE_MIX = [
    ("Route Werk", 70),
    ("Duaal traject", 10),
    ("Beschut werk", 8),
    ("Arbeidsmatige dagbesteding", 7),
    ("Detacheringsbaan", 5),
]

LEERDOELEN = [
    (Leerdoel.Soort.WERKNEMERSVAARDIGHEDEN, "Op tijd beginnen en zich tijdig ziek melden."),
    (Leerdoel.Soort.WERKERVARING, "Zes maanden werkervaring opdoen in de logistiek."),
    (Leerdoel.Soort.STRUCTUUR, "Vier dagen per week een vast dagritme aanhouden."),
    (Leerdoel.Soort.TAAL, "Taalniveau 2F halen via de taaltraining."),
    (Leerdoel.Soort.VAKINHOUDELIJK, "Heftruckcertificaat halen."),
]


def elfproef_bsns(start: int):
    """Valid BSNs in increasing order from ``start``: unique and deterministic."""
    getal = start
    while True:
        cijfers = f"{getal:09d}"
        som = sum(int(c) * w for c, w in zip(cijfers[:8], range(9, 1, -1), strict=True))
        if som % 11 == int(cijfers[8]) and getal:
            yield cijfers
        getal += 1


def werkdagen(vanaf: date):
    dag = vanaf
    while True:
        if dag.weekday() < 5:
            yield dag
        dag += timedelta(days=1)


class Keuze:
    """A weighted choice from ``[(waarde, gewicht), ...]``, its cumulative weights made once.

    ``Keuze(...).uit(rng)`` draws exactly what ``rng.choices(waarden, gewichten)[0]`` draws
    (same bisection over the same cumulative weights), without rebuilding them on every draw.
    """

    __slots__ = ("cum", "hi", "totaal", "waarden")

    def __init__(self, keuzes):
        self.waarden = [waarde for waarde, _ in keuzes]
        self.cum, totaal = [], 0
        for _, gewicht in keuzes:
            totaal += gewicht
            self.cum.append(totaal)
        self.totaal = totaal + 0.0
        self.hi = len(self.waarden) - 1

    def uit(self, rng: random.Random):
        return self.waarden[bisect(self.cum, rng.random() * self.totaal, 0, self.hi)]


def gewogen(rng: random.Random, keuzes):
    """One value from ``[(waarde, gewicht), ...]``."""
    return Keuze(keuzes).uit(rng)


VERWIJZER_KEUZE = Keuze([((v, d), w) for v, w, d in VERWIJZERS])
TRAJECTTYPE_KEUZE = Keuze(TRAJECTTYPE_MIX)
STATUS_KEUZE = Keuze(
    [(Traject.Status.AANGEMELD, 8), (Traject.Status.ACTIEF, 57), (Traject.Status.AFGESLOTEN, 35)]
)
DAGSOORT_KEUZE = Keuze(DAGSOORTEN)
# The first participants of a load, on the demo trajectbegeleider's first workplace, whatever
# the random draw gives: someone early in the diagnose and someone in leer-werk (both with
# hours left to book today), and someone at Route Werk's cap. Productive hours reached so far.
VASTE_CAST = [Decimal(40), Decimal(250), Decimal(800)]
UITSTROOM_KEUZE = Keuze([((r, rd), w) for r, rd, w in UITSTROOM])
# Enum ``.values`` builds a new list on every access; these are drawn from per row.
TAALNIVEAUS = Deelnemer.Taalniveau.values
TAALACHTERGRONDEN = Deelnemer.Taalachtergrond.values
AFSTANDEN = AfstandTotArbeidsmarkt.values
LEERDOELSTATUSSEN = Leerdoel.Status.values
VAARDIGHEDEN = [v.value for v in Werknemersvaardigheid]


@dataclass
class Context:
    rng: random.Random
    vandaag: date
    organisaties: dict
    trajecttypes: dict
    doelgroepen: dict
    klantmanagers: list
    begeleiders: list
    werkplekken: list
    # Bigger workplaces take more people: werkplekken weighted by capacity.
    werkplek_keuze: Keuze
    gemeenten: list
    ferm_werk: Organisatie
    opgesteld_door: Gebruiker
    bsns: object
    faker: Faker
    # Where the demo trajectbegeleider's start page begins (its workplaces by name).
    vaste_werkplek: Werkplek | None = None
    vaste_cast: list = field(default_factory=lambda: list(VASTE_CAST))


class Command(BaseCommand):
    help = "Laadt demodata: organisaties, werkplekken, deelnemers in elke fase, uren en uitstroom."

    def add_arguments(self, parser):
        parser.add_argument("--deelnemers", type=int, default=60, help="Aantal deelnemers.")
        parser.add_argument("--seed", type=int, default=2014, help="Voor herhaalbare data.")
        parser.add_argument(
            "--als-leeg",
            action="store_true",
            help="Niets doen als er al deelnemers zijn (voor het startscript).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ook laden met DEBUG uit (alleen voor benchmarkdatabases, nooit in productie).",
        )

    def handle(self, *args, deelnemers, seed, als_leeg, force, **options):
        self.verbosity = options.get("verbosity", 1)
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demodata maakt gebruikers met het wachtwoord 'demo'. Alleen met DEBUG=true, "
                "of met --force op een database voor benchmarks."
            )
        if Deelnemer.objects.exists():
            if als_leeg:
                self.stdout.write("Er zijn al deelnemers; demodata overgeslagen.")
                return
            raise CommandError("Er zijn al deelnemers. Gebruik een lege database.")
        if deelnemers < 1:
            raise CommandError("Geef een aantal deelnemers van 1 of meer.")

        postgres = connection.vendor == "postgresql"
        # Not inside a caller's transaction (a test's): then DDL and VACUUM are ours to run.
        eigen_transactie = not connection.in_atomic_block
        groot = postgres and deelnemers >= GROTE_LOAD and eigen_transactie
        with transaction.atomic():
            if groot:
                with connection.cursor() as cursor:
                    # Check keys per statement, not all at commit: no queue of millions of
                    # pending checks in the server, and no pending events to block the DDL.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            ctx = self.basis(rng=random.Random(seed), aantal=deelnemers)
            with (
                self.zonder_indexen([Urenregistratie, Observatie], actief=groot),
                tqdm(total=deelnemers, unit="deelnemer", disable=deelnemers < CHUNK) as balk,
            ):
                for begin in range(0, deelnemers, CHUNK):
                    n = min(CHUNK, deelnemers - begin)
                    self.chunk(ctx, n)
                    balk.update(n)
            groepen_demodata(rng=random.Random(seed))
            agenda_demodata(vandaag=ctx.vandaag)
            # The week and month totals in one pass over the hours each, instead of an
            # upsert per chunk.
            weektotalen_opnieuw_opbouwen()
            maandtotalen_opnieuw_opbouwen()
            overleg_demodata()
            taken_demodata(rng=ctx.rng, vandaag=ctx.vandaag)
            wachtlijst_demodata(rng=ctx.rng, vandaag=ctx.vandaag)
            contracten_demodata(vandaag=ctx.vandaag)
        if postgres:
            # Statistics for the planner; after a large load also the visibility map for
            # index-only scans, as autovacuum would set it shortly: benchmarks see a settled
            # table. (VACUUM cannot run in a caller's transaction; groot implies there is none.)
            opdracht = "VACUUM ANALYZE" if groot else "ANALYZE"
            begin = monotonic()
            with connection.cursor() as cursor:
                cursor.execute(opdracht)
            if self.verbosity > 1:
                self.stdout.write(f"{opdracht} in {monotonic() - begin:.0f} s.")
        self.stdout.write(self.style.SUCCESS(f"{deelnemers} deelnemers geladen."))

    @transaction.atomic
    def basis(self, *, rng, aantal) -> Context:
        """Organisations, workplaces and staff, scaled with the number of participants."""
        organisaties = {
            naam: Organisatie.objects.get_or_create(
                naam=naam, defaults={"soort": soort, "plaats": plaats}
            )[0]
            for naam, soort, plaats in ORGANISATIES
        }
        faker = Faker("nl_NL")
        faker.seed_instance(rng.random())
        demo, klantmanagers, begeleiders = self.personeel(
            faker=faker, organisaties=organisaties, aantal=aantal
        )
        werkplekken = self.werkplekken(
            organisaties=organisaties, begeleiders=begeleiders, aantal=aantal
        )
        # The demo trajectbegeleider supervises the first two workplaces of De Fabriek.
        Werkplek.objects.filter(pk__in=[werkplekken[0].pk, werkplekken[1].pk]).update(
            begeleider=demo[Rol.TRAJECTBEGELEIDER]
        )
        laatste = Deelnemer.objects.order_by("-bsn").values_list("bsn", flat=True).first()
        return Context(
            rng=rng,
            vandaag=timezone.localdate(),
            organisaties=organisaties,
            trajecttypes={t.naam: t for t in Trajecttype.objects.prefetch_related("fasetypes")},
            doelgroepen={d.code: d for d in Doelgroep.objects.all()},
            klantmanagers=klantmanagers,
            begeleiders=begeleiders,
            werkplekken=werkplekken,
            vaste_werkplek=min(werkplekken[:2], key=lambda w: w.naam),
            werkplek_keuze=Keuze([(w, w.capaciteit) for w in werkplekken]),
            gemeenten=[o for o in organisaties.values() if o.soort == Organisatie.Soort.GEMEENTE],
            ferm_werk=organisaties["Ferm Werk"],
            opgesteld_door=demo[Rol.KLANTMANAGER],
            bsns=elfproef_bsns(int(laatste) + 1 if laatste else 100_000_009),
            faker=faker,
        )

    def personeel(self, *, faker, organisaties, aantal):
        """The demo accounts by role, and the klantmanagers and trajectbegeleiders: the demo
        one first, then more as the number of participants grows."""
        # Hashing is slow on purpose; one hash serves every demo account.
        wachtwoord = make_password(DEMO_WACHTWOORD)
        demo = dict(
            zip(
                [rol for _, _, _, rol, _ in DEMO_GEBRUIKERS],
                self.gebruikers(
                    [(u, v, a, rol, organisaties[o]) for u, v, a, rol, o in DEMO_GEBRUIKERS],
                    wachtwoord,
                ),
                strict=True,
            )
        )
        self.beheerrechten(demo[Rol.BEHEERDER])
        ferm_werk, fabriek = organisaties["Ferm Werk"], organisaties["De Fabriek (PI Almelo)"]
        extra_km = [
            (f"km{i}", faker.first_name(), faker.last_name(), Rol.KLANTMANAGER, ferm_werk)
            for i in range(1, max(3, aantal // 80) + 1)
        ]
        klantmanagers = [demo[Rol.KLANTMANAGER], *self.gebruikers(extra_km, wachtwoord)]
        extra_tb = [
            (
                f"tb{i}",
                faker.first_name(),
                faker.last_name(),
                Rol.TRAJECTBEGELEIDER,
                fabriek if i % 2 else ferm_werk,
            )
            for i in range(1, max(3, aantal // 60) + 1)
        ]
        begeleiders = [demo[Rol.TRAJECTBEGELEIDER], *self.gebruikers(extra_tb, wachtwoord)]
        return demo, klantmanagers, begeleiders

    def werkplekken(self, *, organisaties, begeleiders, aantal) -> list[Werkplek]:
        """Enough places for everyone: the seed list, repeated as further locations at
        scale, each with a trajectbegeleider of its own organisation where it has one."""
        herhalingen = max(1, aantal // 200)
        eigen = {
            org.pk: [b for b in begeleiders if b.organisatie_id == org.pk]
            for org in organisaties.values()
        }
        gewenst = []
        for ronde in range(herhalingen):
            for org, naam, soort, werksoort, capaciteit in WERKPLEKKEN:
                organisatie = organisaties[org]
                begeleiders_hier = eigen[organisatie.pk]
                gewenst.append(
                    Werkplek(
                        organisatie=organisatie,
                        naam=naam if ronde == 0 else f"{naam} {ronde + 1}",
                        soort=soort,
                        werksoort=werksoort,
                        capaciteit=capaciteit,
                        plaats=organisatie.plaats,
                        begeleider=begeleiders_hier[(ronde + len(gewenst)) % len(begeleiders_hier)]
                        if begeleiders_hier
                        else None,
                    )
                )
        # get_or_create on (organisatie, naam), in two queries instead of one per workplace.
        bestaand = {
            (w.organisatie_id, w.naam): w
            for w in Werkplek.objects.filter(organisatie__in=organisaties.values()).select_related(
                "begeleider"
            )
        }
        Werkplek.objects.bulk_create(
            [w for w in gewenst if (w.organisatie_id, w.naam) not in bestaand], batch_size=CHUNK
        )
        return [bestaand.get((w.organisatie_id, w.naam), w) for w in gewenst]

    def gebruikers(self, rijen, wachtwoord):
        """get_or_create by username for ``[(username, voornaam, achternaam, rol, org)]``.

        In a few queries whatever the number; every account gets the demo password and is
        marked ``demo_account`` (exempt from the second step, but only with DEBUG on).
        """
        namen = [username for username, *_ in rijen]
        bestaand = Gebruiker.objects.in_bulk(namen, field_name="username")
        nieuw = [
            Gebruiker(
                username=username,
                first_name=voornaam,
                last_name=achternaam,
                rol=rol,
                organisatie=organisatie,
                email=f"{username}@example.nl",
                is_staff=rol == Rol.BEHEERDER,
                password=wachtwoord,
                # The public password: only the demo mode (DEBUG) lets it in with one step.
                demo_account=True,
            )
            for username, voornaam, achternaam, rol, organisatie in rijen
            if username not in bestaand
        ]
        Gebruiker.objects.bulk_create(nieuw, batch_size=CHUNK)
        if bestaand:
            Gebruiker.objects.filter(pk__in=[g.pk for g in bestaand.values()]).update(
                password=wachtwoord, demo_account=True
            )
            for g in bestaand.values():
                g.password, g.demo_account = wachtwoord, True
        alle = bestaand | {g.username: g for g in nieuw}
        return [alle[username] for username in namen]

    def beheerrechten(self, beheerder):
        from django.contrib.auth.models import Permission

        beheerder.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=[
                    "accounts",
                    "trajecten",
                    "werkplekken",
                    "deelnemers",
                    "agenda",
                ],
                content_type__model__in=[
                    "organisatie",
                    "gebruiker",
                    "trajecttype",
                    "fasetype",
                    "contractschakel",
                    "tarief",
                    "financier",
                    "werkplek",
                    "doelgroep",
                    "doelstelling",
                    "routetrajecttype",
                    "afspraakregel",
                    "mixdoel",
                ],
            )
        )

    def chunk(self, ctx: Context, n: int):
        personen = [self.deelnemer(ctx) for _ in range(n)]
        Deelnemer.objects.bulk_create([p for p, _ in personen])
        Deelnemer.doelgroepen.through.objects.bulk_create(
            Deelnemer.doelgroepen.through(deelnemer_id=p.pk, doelgroep_id=ctx.doelgroepen[c].pk)
            for p, codes in personen
            for c in codes
        )
        plannen = [
            self.plan_traject(ctx, p, codes, vast=ctx.vaste_cast.pop(0) if ctx.vaste_cast else None)
            for p, codes in personen
        ]
        plannen = [p for p in plannen if p]
        self.ladder(ctx, plannen)
        self.trajecten_opslaan(plannen)
        self.plannen_van_aanpak(ctx, plannen)
        self.rapportages(ctx, plannen)
        self.journaal_en_instrumenten(ctx, plannen)
        self.schrijf_uren(plannen)

    def deelnemer(self, ctx: Context) -> tuple[Deelnemer, list[str]]:
        """One participant, not yet saved, and the codes of his doelgroepen."""
        rng, faker, vandaag = ctx.rng, ctx.faker, ctx.vandaag
        verwijzer, doelgroepcodes = VERWIJZER_KEUZE.uit(rng)
        leeftijd = rng.choices([rng.randint(18, 26), rng.randint(27, 64)], [20, 80])[0]
        geboren = vandaag - timedelta(days=leeftijd * 365 + rng.randint(0, 364))
        deelnemer = Deelnemer(
            bsn=next(ctx.bsns),
            voornaam=faker.first_name(),
            tussenvoegsel=rng.choice(["", "", "", "de", "van", "van der"]),
            achternaam=faker.last_name().split(" ")[-1],
            geboortedatum=geboren,
            email=faker.email(),
            telefoon=f"06{rng.randint(10_000_000, 99_999_999)}",
            straat=faker.street_name(),
            huisnummer=str(rng.randint(1, 250)),
            postcode=f"{rng.randint(1000, 9999)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
            f"{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
            woonplaats=faker.city(),
            woongemeente=rng.choice(ctx.gemeenten),
            verwijzer=ctx.organisaties[verwijzer],
            klantmanager=rng.choice(ctx.klantmanagers),
            # Ferm Werk's klantmanagers hold every case: Ferm Werk is the regie.
            regie=ctx.ferm_werk,
            taalniveau=rng.choice(TAALNIVEAUS),
            taalachtergrond=rng.choice(TAALACHTERGRONDEN),
        )
        codes = [rng.choice(doelgroepcodes)] + (["jongere"] if leeftijd < 27 else [])
        if "statushouder" in codes:
            deelnemer.inburgeringsplichtig = True
            # Arnhem: most meet the inburgeringsplicht within three years.
            if rng.random() < 0.4:
                deelnemer.inburgering_voldaan_op = vandaag - timedelta(days=rng.randint(0, 500))
        return deelnemer, codes

    def trajecten_opslaan(self, plannen):
        """The planned trajectories with their phases, placements and outflow."""
        Traject.objects.bulk_create([p.traject for p in plannen])
        for p in plannen:
            for fase in p.fasen:
                fase.traject = p.traject
            for plaatsing in p.plaatsingen:
                plaatsing.traject = p.traject
        Fase.objects.bulk_create([f for p in plannen for f in p.fasen])
        Plaatsing.objects.bulk_create([pl for p in plannen for pl in p.plaatsingen])
        Uitstroom.objects.bulk_create(
            Uitstroom(traject=p.traject, vastgelegd_door=p.traject.klantmanager, **p.uitstroom)
            for p in plannen
            if p.uitstroom
        )

    def plannen_van_aanpak(self, ctx: Context, plannen):
        """A signed plan van aanpak, with three leerdoelen, for those whose trajectory has
        reached it."""
        rng = ctx.rng
        pva = [
            PlanVanAanpak(
                traject=p.traject,
                versie=1,
                opgesteld_door=ctx.opgesteld_door,
                afstand_tot_arbeidsmarkt=rng.choice(AFSTANDEN),
                afspraken="Vier dagen per week aanwezig; ziekmelding voor 8.30 uur bij de "
                "trajectbegeleider.",
                vervolgroute="Leer-werktraject met werkervaringsplek.",
                werkplek_soort=rng.choice(["", "intern", "extern"]),
                opgesteld_op=p.plan_op,
                ondertekend_op=p.plan_op,
            )
            for p in plannen
            if p.plan_op
        ]
        PlanVanAanpak.objects.bulk_create(pva)
        Leerdoel.objects.bulk_create(
            Leerdoel(
                plan=plan,
                soort=soort,
                omschrijving=tekst,
                status=rng.choice(LEERDOELSTATUSSEN),
            )
            for plan in pva
            for soort, tekst in rng.sample(LEERDOELEN, 3)
        )

    def ladder(self, ctx: Context, plannen):
        """A step on the participatieladder at the start; for most who have been at it a
        while a second measurement since, usually a step or two up."""
        rng, vandaag = ctx.rng, ctx.vandaag
        treden = []
        for p in plannen:
            begin = min(p.traject.aanmelddatum, vandaag)
            eerste = rng.randint(1, 4)
            treden.append(LadderTrede(deelnemer=p.traject.deelnemer, datum=begin, trede=eerste))
            if (vandaag - begin).days > 90 and rng.random() < 0.7:
                nu = min(6, max(1, eerste + rng.choice([-1, 0, 0, 1, 1, 1, 2])))
                datum = vandaag - timedelta(days=rng.randint(0, min(60, (vandaag - begin).days)))
                if datum > begin:
                    treden.append(LadderTrede(deelnemer=p.traject.deelnemer, datum=datum, trede=nu))
        LadderTrede.objects.bulk_create(treden)
        # The first and latest step on the participant, as every measurement keeps them.
        Deelnemer.objects.filter(pk__in={t.deelnemer_id for t in treden}).update(
            **ladder_uitersten()
        )

    def rapportages(self, ctx: Context, plannen):
        """An evaluation at the end of each diagnose that led to a plan, and for about one
        in ten running trajectories a report for this week's partner meeting."""
        rng, vandaag = ctx.rng, ctx.vandaag
        maandag = vandaag - timedelta(days=vandaag.weekday())
        rijen = []
        for p in plannen:
            if p.plan_op and p.plan_op > p.traject.startdatum:
                rijen.append(
                    Voortgangsrapportage(
                        traject=p.traject,
                        aanleiding=Voortgangsrapportage.Aanleiding.EINDE_FASE,
                        periode_van=p.traject.startdatum,
                        periode_tot=p.plan_op - timedelta(days=1),
                        bevindingen_klantmanager="Diagnose afgerond; de deelnemer is gemotiveerd.",
                        bevindingen_trajectbegeleider="Werkt zorgvuldig, tempo groeit.",
                        advies=Voortgangsrapportage.Advies.VOLGENDE_FASE,
                        opgesteld_door=ctx.opgesteld_door,
                        opgesteld_op=p.plan_op,
                    )
                )
            if p.traject.status == Traject.Status.ACTIEF and rng.random() < 0.1:
                rijen.append(
                    Voortgangsrapportage(
                        traject=p.traject,
                        aanleiding=Voortgangsrapportage.Aanleiding.PARTNEROVERLEG,
                        periode_van=max(p.traject.startdatum, vandaag - timedelta(days=28)),
                        periode_tot=vandaag,
                        bevindingen_klantmanager="Besproken in het partneroverleg.",
                        advies=Voortgangsrapportage.Advies.VERLENGEN,
                        opgesteld_door=ctx.opgesteld_door,
                        opgesteld_op=maandag,
                    )
                )
        Voortgangsrapportage.objects.bulk_create(rijen)

    def journaal_en_instrumenten(self, ctx: Context, plannen):
        """A few journal entries per participant and the instruments deployed for them."""
        rng, vandaag = ctx.rng, ctx.vandaag
        momenten, instrumenten = [], []
        for p in plannen:
            traject = p.traject
            if traject.startdatum > vandaag:
                continue
            tot = traject.einddatum or vandaag
            dagen = max((tot - traject.startdatum).days, 1)
            for onderwerp, soort, actie in rng.sample(JOURNAAL, rng.randint(1, 3)):
                dag = traject.startdatum + timedelta(days=rng.randint(0, dagen))
                momenten.append(
                    Contactmoment(
                        deelnemer_id=traject.deelnemer_id,
                        tijdstip=timezone.make_aware(datetime.combine(dag, time(10))),
                        soort=soort,
                        onderwerp=onderwerp,
                        verslag="Afspraken doorgenomen; deelnemer is gemotiveerd.",
                        volgende_actie=actie,
                        volgende_actie_op=dag + timedelta(days=14) if actie else None,
                        door=traject.klantmanager,
                    )
                )
            for instrument, kosten in rng.sample(INSTRUMENTEN, rng.randint(0, 2)):
                begin = traject.startdatum + timedelta(days=rng.randint(0, dagen))
                lks = instrument == Instrumentinzet.Instrument.LOONKOSTENSUBSIDIE
                instrumenten.append(
                    Instrumentinzet(
                        traject=traject,
                        instrument=instrument,
                        startdatum=begin,
                        einddatum=min(begin + timedelta(days=30), tot) if tot < vandaag else None,
                        kosten=Decimal(kosten),
                        loonwaarde=rng.randint(40, 80) if lks else None,
                        resultaat=Instrumentinzet.Resultaat.BEHAALD
                        if tot < vandaag
                        else Instrumentinzet.Resultaat.LOPEND,
                    )
                )
        Contactmoment.objects.bulk_create(momenten)
        Instrumentinzet.objects.bulk_create(instrumenten)
        self.observaties(ctx, plannen)

    def observaties(self, ctx: Context, plannen):
        """Weekly observations over the last twelve weeks a participant worked, improving."""
        rng = ctx.rng
        rijen = []
        for p in plannen:
            if not p.uren:
                continue
            weken = sorted({dag - timedelta(days=dag.weekday()) for _, dag, *_ in p.uren})
            basis = rng.randint(1, 3)
            # As for the hours: how many weeks there are must not shift the next participant.
            weekrng = random.Random(rng.random())
            for n, week in enumerate(weken[-12:]):
                groei = min(n // 4, 2)
                scores = [min(5, basis + groei + weekrng.choice([0, 0, 1])) for _ in VAARDIGHEDEN]
                rijen.append((p, week, scores))
        moment = timezone.now()
        if connection.vendor == "postgresql":
            staart = f"\t\t{moment.isoformat()}\t1\n"  # opmerking empty, gewijzigd_op, wijziging
            self.copy(
                Observatie,
                [
                    "deelnemer_id",
                    "werkplek_id",
                    "week",
                    "door_id",
                    *VAARDIGHEDEN,
                    "opmerking",
                    "gewijzigd_op",
                    "wijziging",
                ],
                (
                    f"{p.traject.deelnemer_id}\t{p.werkplek_id}\t{week.isoformat()}\t"
                    f"{p.begeleider_id}\t{'\t'.join(map(str, scores))}{staart}"
                    for p, week, scores in rijen
                ),
            )
            return
        Observatie.objects.bulk_create(
            (
                Observatie(
                    deelnemer_id=p.traject.deelnemer_id,
                    werkplek_id=p.werkplek_id,
                    week=week,
                    door_id=p.begeleider_id,
                    **dict(zip(VAARDIGHEDEN, scores, strict=True)),
                )
                for p, week, scores in rijen
            ),
            batch_size=5000,
        )

    def plan_traject(self, ctx: Context, deelnemer, codes, vast=None):
        """Decide one participant's trajectory, phases, placements, hours and outcome.

        ``vast``: the productive hours of a running Route Werk trajectory on the demo
        trajectbegeleider's first workplace (VASTE_CAST), instead of a random draw.
        """
        rng, vandaag = ctx.rng, ctx.vandaag
        plan = self.traject_kiezen(ctx, deelnemer, codes, vast)
        traject = plan.traject
        fasetypes = list(traject.trajecttype.fasetypes.all())
        if traject.status == Traject.Status.AANGEMELD:
            start = vandaag + timedelta(days=rng.randint(1, 14))
            traject.startdatum = start
            traject.aanmelddatum = vandaag - timedelta(days=rng.randint(0, 30))
            plan.fasen.append(self.fase(fasetypes[0], start))
            return plan

        uren_per_dag = Decimal(rng.choice(["4", "5", "6", "6.5", "7.5"]))
        doel = self.doel_uren(rng, traject, vast)
        # Working days needed, with room for sick days and leave.
        uren_nodig = doel if doel is not None else Decimal(rng.randint(240, 960))
        dagen_nodig = int(uren_nodig / uren_per_dag * Decimal("1.25"))
        start = self.data_kiezen(rng, traject, vandaag=vandaag, dagen_nodig=dagen_nodig)
        plan.plaatsingen.append(
            Plaatsing(
                deelnemer=deelnemer,
                werkplek_id=plan.werkplek_id,
                startdatum=start,
                uren_per_week=uren_per_dag * 5,
                taken="Meewerken in de ploeg.",
                voorkeur_deelnemer=rng.random() < 0.3,
            )
        )
        # The number of working days up to today depends on the weekday: draw them from a
        # generator of their own, so everyone after this participant is the same on any day.
        rng = random.Random(rng.random())
        fase, laatste = self.dagen_boeken(
            plan,
            fasetypes,
            rng=rng,
            vandaag=vandaag,
            doel=doel,
            uren_per_dag=uren_per_dag,
            einde_looptijd=start + timedelta(days=int(dagen_nodig * 1.4)),
        )
        if traject.status == Traject.Status.AFGESLOTEN:
            einde = max(laatste, start)
            traject.einddatum = einde
            fase.einddatum = einde
            plan.plaatsingen[0].einddatum = einde
            resultaat, reden = UITSTROOM_KEUZE.uit(rng)
            plan.uitstroom = {"datum": einde, "resultaat": resultaat, "reden": reden}
        return plan

    def traject_kiezen(self, ctx: Context, deelnemer, codes, vast) -> "TrajectPlan":
        """The plan's trajecttype, status, route, workplace and trajectbegeleider."""
        rng = ctx.rng
        naam = TRAJECTTYPE_KEUZE.uit(rng)
        status = STATUS_KEUZE.uit(rng)
        if vast is not None:
            naam, status = "Route Werk", Traject.Status.ACTIEF
        route = (
            Route.JONGEREN
            if "jongere" in codes
            else (Route.INBURGERING if "statushouder" in codes else Route.WERK)
        )
        if naam in ("Beschut werk", "Arbeidsmatige dagbesteding"):
            route = Route.PARTICIPATIE
        # Bigger workplaces take more people.
        werkplek = ctx.werkplek_keuze.uit(rng) if vast is None else ctx.vaste_werkplek
        if vast is None:
            begeleider = werkplek.begeleider or rng.choice(ctx.begeleiders)
        else:
            begeleider = ctx.begeleiders[0]  # the demo trajectbegeleider
        return TrajectPlan(
            werkplek_id=werkplek.pk,
            begeleider_id=begeleider.pk,
            traject=Traject(
                deelnemer=deelnemer,
                trajecttype=ctx.trajecttypes[naam],
                route=route,
                status=status,
                aanbieder=ctx.ferm_werk,
                klantmanager=deelnemer.klantmanager,
                trajectbegeleider=begeleider,
            ),
        )

    def data_kiezen(self, rng, traject, *, vandaag, dagen_nodig) -> date:
        """Set the trajectory's start and registration dates; returns the start."""
        # Closed ones finished a while ago; running ones are still booking today.
        afgesloten = traject.status == Traject.Status.AFGESLOTEN
        speling = rng.randint(5, 30) if afgesloten else -rng.randint(0, 10)
        if afgesloten:
            # Spread over the last fourteen months, so that follow-up at 6 and 12 months is
            # due for some; from the BSN, not the generator, so nothing after it shifts.
            speling += 30 * (int(traject.deelnemer.bsn) % 15)
        # A running trajectory with few hours started recently, but never in the future.
        start = min(
            vandaag - timedelta(days=int(dagen_nodig * 1.45) + speling),
            vandaag - timedelta(days=1),
        )
        traject.startdatum = start
        # Selected (intake) mostly a week or a few before the start, now and then months.
        wachten = rng.randint(7, 60) if rng.random() < 0.8 else rng.randint(70, 150)
        traject.aanmelddatum = start - timedelta(days=wachten)
        return start

    def doel_uren(self, rng, traject, vast) -> Decimal | None:
        """How far an hour-based trajectory has come, in productive hours; None otherwise."""
        if not traject.trajecttype.max_uren:
            return None
        doel = Decimal(
            rng.choice(
                [
                    rng.randint(8, 95),  # still in diagnose
                    rng.randint(110, 440),  # in leer-werk
                    rng.randint(460, 790),  # in the extension
                    800,  # reached the cap
                ]
            )
        )
        if traject.status == Traject.Status.AFGESLOTEN:
            doel = min(doel, Decimal(800))
        return vast if vast is not None else doel

    def dagen_boeken(self, plan, fasetypes, *, rng, vandaag, doel, uren_per_dag, einde_looptijd):
        """Every working day from the start up to yesterday, until the hours reach ``doel``
        (or, without one, ``einde_looptijd``): a day's kind and hours in the plan, the next
        phase when one is used up. Returns the last phase and the last day booked."""
        start = plan.traject.startdatum
        fase_index = 0
        fase = self.fase(fasetypes[0], start)
        plan.fasen.append(fase)
        in_fase = totaal = Decimal(0)
        laatste = start
        for dag in werkdagen(start):
            # Up to yesterday: today's hours are for the trajectbegeleider to log.
            if dag >= vandaag or (doel is not None and totaal >= doel):
                break
            if doel is None and dag >= einde_looptijd:
                break
            uren_op = fase.uren_budget is not None and in_fase >= fase.uren_budget
            tijd_op = fase.geplande_einddatum is not None and dag > fase.geplande_einddatum
            if (uren_op or tijd_op) and fase_index + 1 < len(fasetypes):
                fase.einddatum = laatste
                fase_index += 1
                fase = self.fase(fasetypes[fase_index], dag)
                plan.fasen.append(fase)
                in_fase = Decimal(0)
                if fasetypes[fase_index].vereist_plan:
                    plan.plan_op = dag
            soort = DAGSOORT_KEUZE.uit(rng)
            uren = uren_per_dag
            if soort in PRODUCTIEF:
                uren = self.productieve_uren(
                    fase,
                    fasetypes[fase_index],
                    uren,
                    rng=rng,
                    in_fase=in_fase,
                    totaal=totaal,
                    doel=doel,
                    diagnose=fase_index == 0,
                )
                if uren <= 0:
                    continue
                in_fase += uren
                fase.uren_gebruikt = in_fase
                totaal += uren
            plan.uren.append((fase_index, dag, uren, soort))
            laatste = dag
        return fase, laatste

    def productieve_uren(self, fase, fasetype, uren, *, rng, in_fase, totaal, doel, diagnose):
        """The productive hours of a day: ``uren``, or what is left of the phase's budget
        and of ``doel``. A phase about to run out is extended first, where its type allows
        and the extension stays within ``doel``: a phase after the diagnose always, the
        diagnose for about one in ten."""
        if (
            fase.uren_budget is not None
            and in_fase + uren > fase.uren_budget
            and fase.verlengingen < fasetype.max_verlengingen
            and fasetype.verlenging_uren
            and totaal + uren <= doel
            and rng.random() < (0.1 if diagnose else 1.0)
        ):
            fase.verlengingen += 1
            fase.uren_budget += fasetype.verlenging_uren
        ruimte = [uren]
        if doel is not None:
            ruimte.append(doel - totaal)
        if fase.uren_budget is not None:
            ruimte.append(fase.uren_budget - in_fase)
        return min(ruimte)

    def fase(self, fasetype, start):
        return fasetype.fase_vanaf(start)

    def schrijf_uren(self, plannen):
        """Hours in bulk: COPY on PostgreSQL, batched inserts elsewhere."""
        moment = timezone.make_aware(datetime.combine(timezone.localdate(), time(17)))
        if connection.vendor == "postgresql":
            staart = f"\t{moment.isoformat()}\n"

            def regels():
                for p in plannen:
                    kop = [
                        f"{p.traject.deelnemer_id}\t{fase.pk}\t{p.werkplek_id}\t"
                        for fase in p.fasen
                    ]
                    eind = f"\t{p.begeleider_id}{staart}"
                    for fase_index, dag, uren, soort in p.uren:
                        yield f"{kop[fase_index]}{dag.isoformat()}\t{uren}\t{soort}{eind}"

            self.copy(
                Urenregistratie,
                [
                    "deelnemer_id",
                    "fase_id",
                    "werkplek_id",
                    "datum",
                    "uren",
                    "soort",
                    "geregistreerd_door_id",
                    "geregistreerd_op",
                ],
                regels(),
            )
            return
        Urenregistratie.objects.bulk_create(
            (
                Urenregistratie(
                    deelnemer_id=p.traject.deelnemer_id,
                    fase_id=p.fasen[fase_index].pk,
                    werkplek_id=p.werkplek_id,
                    datum=dag,
                    uren=uren,
                    soort=soort,
                    geregistreerd_door_id=p.begeleider_id,
                    geregistreerd_op=moment,
                )
                for p in plannen
                for fase_index, dag, uren, soort in p.uren
            ),
            batch_size=2000,
        )

    def copy(self, model, kolommen, regels, per=5000):
        """COPY lines in PostgreSQL's text format into ``model``'s table.

        The lines are built by hand: several times faster than ``write_row`` per value, and
        every value written here is a number, an ISO date or time, or a fixed word without tabs,
        newlines or backslashes, so nothing needs escaping.
        """
        sql = f"COPY {model._meta.db_table} ({', '.join(kolommen)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            blok = []
            for regel in regels:
                blok.append(regel)
                if len(blok) == per:
                    copy.write("".join(blok))
                    blok = []
            if blok:
                copy.write("".join(blok))

    @contextmanager
    def zonder_indexen(self, models, *, actief):
        """Load the tables of ``models`` without their secondary indexes, unique constraints
        and foreign keys, and put those back, by their own definitions, on leaving.

        PostgreSQL only, inside the load's transaction: if anything fails, the drop is rolled
        back too. Re-adding the constraints checks every row, so the data meets the same rules.
        """
        if not actief:
            yield
            return
        weg = []  # (tabel, constraints, indexen)
        with connection.cursor() as cursor:
            for model in models:
                tabel = model._meta.db_table
                cursor.execute(
                    """
                    SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                    WHERE conrelid = %s::regclass AND contype IN ('f', 'u')
                    ORDER BY contype DESC, conname  -- unique ('u') before foreign keys ('f')
                    """,
                    [tabel],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    """
                    SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                    JOIN pg_class i ON i.oid = x.indexrelid
                    WHERE x.indrelid = %s::regclass AND NOT EXISTS (
                        SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
                    )
                    ORDER BY i.relname
                    """,
                    [tabel],
                )
                indexen = cursor.fetchall()
                for naam, _ in constraints:
                    cursor.execute(f'ALTER TABLE "{tabel}" DROP CONSTRAINT "{naam}"')
                for naam, _ in indexen:
                    cursor.execute(f'DROP INDEX "{naam}"')
                weg.append((tabel, constraints, indexen))
        yield
        begin = monotonic()
        with connection.cursor() as cursor:
            # Room to sort in memory: each index is built in one pass.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for tabel, constraints, indexen in weg:
                for _, definitie in indexen:
                    cursor.execute(definitie)
                for naam, definitie in constraints:
                    cursor.execute(f'ALTER TABLE "{tabel}" ADD CONSTRAINT "{naam}" {definitie}')
        if self.verbosity > 1:
            self.stdout.write(f"Indexen en sleutels terug in {monotonic() - begin:.0f} s.")


@dataclass
class TrajectPlan:
    werkplek_id: int
    begeleider_id: int
    traject: Traject
    fasen: list = field(default_factory=list)
    plaatsingen: list = field(default_factory=list)
    uren: list = field(default_factory=list)
    uitstroom: dict | None = None
    plan_op: date | None = None
