"""factory_boy factories with Dutch fakes; traits for the states a test needs."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from deelnemers.management.commands.demodata import elfproef_bsns
from deelnemers.models import Deelnemer, Intake
from reintegratie.accounts.models import Gebruiker, Organisatie, Rol
from reintegratie.agenda.models import Afspraak
from reintegratie.groepen.models import Groep, Groepsbijeenkomst, Lidmaatschap
from trajecten.models import (
    Contract,
    Contractsoort,
    Nazorg,
    Route,
    Traject,
    Trajecttype,
    Uitstroom,
    Urenregistratie,
)
from trajecten.services import registreer_uren
from werkplekken.models import Plaatsing, Voorkeur, Wachtlijstplaats, Werkplek, Werksoort

_bsns = elfproef_bsns(200_000_000)


def vandaag():
    return timezone.localdate()


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie
        django_get_or_create = ["naam"]

    naam = factory.Sequence(lambda n: f"Organisatie {n}")
    soort = Organisatie.Soort.GEMEENTE
    plaats = factory.Faker("city", locale="nl_NL")


class GebruikerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gebruiker
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisatie = factory.SubFactory(OrganisatieFactory)
    rol = Rol.KLANTMANAGER
    password = factory.django.Password("geheim-wachtwoord")


class DeelnemerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deelnemer

    bsn = factory.LazyFunction(lambda: next(_bsns))
    voornaam = factory.Faker("first_name", locale="nl_NL")
    achternaam = factory.Faker("last_name", locale="nl_NL")
    geboortedatum = factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=35 * 365))
    postcode = "7607 AB"
    verwijzer = factory.SubFactory(OrganisatieFactory)
    klantmanager = None
    # The case belongs to the klantmanager's organisation, as the intake makes it.
    regie = factory.LazyAttribute(lambda d: d.klantmanager.organisatie if d.klantmanager else None)


def route_werk():
    return Trajecttype.objects.get(naam="Route Werk")


def detacheringsbaan():
    return Trajecttype.objects.get(naam="Detacheringsbaan")


class TrajectFactory(factory.django.DjangoModelFactory):
    """A running Route Werk trajectory, in its diagnose phase from ``startdatum``."""

    class Meta:
        model = Traject
        skip_postgeneration_save = True

    deelnemer = factory.SubFactory(DeelnemerFactory)
    trajecttype = factory.LazyFunction(route_werk)
    route = Route.WERK
    status = Traject.Status.ACTIEF
    startdatum = factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=60))
    aanmelddatum = factory.LazyAttribute(lambda t: t.startdatum - dt.timedelta(days=7))
    aanbieder = factory.SubFactory(OrganisatieFactory)

    class Params:
        afgesloten = factory.Trait(
            status=Traject.Status.AFGESLOTEN,
            einddatum=factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=1)),
        )
        aangemeld = factory.Trait(
            status=Traject.Status.AANGEMELD,
            startdatum=factory.LazyFunction(lambda: vandaag() + dt.timedelta(days=7)),
        )
        # Ferm Werk's chain of temporary contracts of 7, 8 and 8 months.
        detachering = factory.Trait(trajecttype=factory.LazyFunction(detacheringsbaan))

    @factory.post_generation
    def eerste_fase(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        fasetype = self.trajecttype.fasetypes.order_by("volgorde").first()
        fasetype.fase_vanaf(self.startdatum, traject=self, einddatum=self.einddatum).save()


class UitstroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Uitstroom

    traject = factory.SubFactory(TrajectFactory, afgesloten=True)
    datum = factory.LazyAttribute(lambda o: o.traject.einddatum)
    resultaat = Uitstroom.Resultaat.WERK
    contract = factory.LazyAttribute(
        lambda o: Contractsoort.VAST if o.resultaat == Uitstroom.Resultaat.WERK else ""
    )


class NazorgFactory(factory.django.DjangoModelFactory):
    """Still at work six months after uitstroom (``moment``, ``aan_het_werk`` to change)."""

    class Meta:
        model = Nazorg

    uitstroom = factory.SubFactory(UitstroomFactory)
    moment = Nazorg.Moment.ZES
    datum = factory.LazyAttribute(lambda o: o.uitstroom.nazorg_vanaf(o.moment))
    aan_het_werk = True
    vastgelegd_door = factory.SubFactory("tests.factories.GebruikerFactory")


class ContractFactory(factory.django.DjangoModelFactory):
    """A temporary contract of seven months from the trajectory's start, with its signal
    day as the service sets it."""

    class Meta:
        model = Contract

    traject = factory.SubFactory(TrajectFactory, detachering=True)
    werkgever = factory.SubFactory(
        "tests.factories.OrganisatieFactory", soort=Organisatie.Soort.WERKGEVER
    )
    soort = Contractsoort.TIJDELIJK
    startdatum = factory.LazyAttribute(lambda o: o.traject.startdatum)
    einddatum = factory.LazyAttribute(lambda o: o.startdatum + dt.timedelta(days=200))
    vastgelegd_door = factory.SubFactory("tests.factories.GebruikerFactory")

    class Params:
        vast = factory.Trait(soort=Contractsoort.VAST, einddatum=None)

    @factory.post_generation
    def signaal(self, create, extracted, **kwargs):
        self.zet_signaal(self.traject.trajecttype.contract_signaal_weken)
        if create:
            self.save(update_fields=["signaal_vanaf"])


class WerkplekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Werkplek

    naam = factory.Sequence(lambda n: f"Werkplek {n}")
    organisatie = factory.SubFactory(OrganisatieFactory, soort=Organisatie.Soort.LEERWERKBEDRIJF)
    soort = Werkplek.Soort.INTERN
    werksoort = Werksoort.PRODUCTIE
    capaciteit = 20


class PlaatsingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plaatsing

    deelnemer = factory.SubFactory(DeelnemerFactory)
    werkplek = factory.SubFactory(WerkplekFactory)
    startdatum = factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=60))
    uren_per_week = Decimal(24)


class VoorkeurFactory(factory.django.DjangoModelFactory):
    """A workplace the participant chose, first by default; ``werksoort`` trait: a kind of
    work instead of one workplace."""

    class Meta:
        model = Voorkeur

    deelnemer = factory.SubFactory(DeelnemerFactory)
    rang = 1
    werkplek = factory.SubFactory(WerkplekFactory)
    reden = "Dichtbij huis en buiten werken"
    vastgelegd_door = factory.SubFactory(GebruikerFactory)
    vastgelegd_op = factory.LazyFunction(timezone.now)

    class Params:
        soort = factory.Trait(werkplek=None, werksoort=Werksoort.GROEN)


class WachtlijstplaatsFactory(factory.django.DjangoModelFactory):
    """Waiting for a place, registered now; ``geplaatst`` trait: off the list, placed."""

    class Meta:
        model = Wachtlijstplaats

    werkplek = factory.SubFactory(WerkplekFactory)
    deelnemer = factory.SubFactory(DeelnemerFactory)
    aangemeld_op = factory.LazyFunction(timezone.now)
    aangemeld_door = factory.SubFactory(GebruikerFactory)

    class Params:
        geplaatst = factory.Trait(
            afgemeld_op=factory.LazyFunction(timezone.now),
            uitkomst=Wachtlijstplaats.Uitkomst.GEPLAATST,
        )


class UrenregistratieFactory(factory.django.DjangoModelFactory):
    """Pass ``fase`` and ``werkplek``; the participant follows from the phase.

    Created through the service, as the application books hours, so the phase's counter of
    productive hours stays right. ``build()`` gives an unsaved instance, for constraint tests.
    """

    class Meta:
        model = Urenregistratie

    deelnemer = factory.LazyAttribute(lambda o: o.fase.traject.deelnemer)
    datum = factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=1))
    uren = Decimal(6)
    soort = Urenregistratie.Soort.GEWERKT
    geregistreerd_door = factory.SubFactory(GebruikerFactory)

    @classmethod
    def _create(cls, model_class, *, fase, geregistreerd_door, **kwargs):
        registratie = registreer_uren(door=geregistreerd_door, **kwargs)
        assert registratie.fase == fase, "the date falls outside the given phase"
        return registratie


class IntakeFactory(factory.django.DjangoModelFactory):
    """A concept intake for a new person."""

    class Meta:
        model = Intake

    bsn = factory.LazyFunction(lambda: next(_bsns))
    aangemaakt_door = factory.SubFactory(GebruikerFactory)


class OverlegFactory(factory.django.DjangoModelFactory):
    """A partner meeting every four weeks, its first occurrence a week ago. Its organiser
    takes part; add the partners with ``partners=[...]``."""

    class Meta:
        model = "overleg.Overleg"
        skip_postgeneration_save = True

    naam = factory.Sequence(lambda n: f"Partneroverleg {n}")
    organisator = factory.SubFactory(OrganisatieFactory)
    interval_weken = 4
    eerste_begin = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    aangemaakt_door = factory.SubFactory(
        GebruikerFactory, organisatie=factory.SelfAttribute("..organisator")
    )

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        self.organisaties.set([self.organisator, *(extracted or [])])


class BijeenkomstFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "overleg.Bijeenkomst"

    overleg = factory.SubFactory(OverlegFactory)
    volgnummer = factory.Sequence(lambda n: n + 1)
    begin = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))


class TaakFactory(factory.django.DjangoModelFactory):
    """An open task for the participant's klantmanager, due today; traits for the rest."""

    class Meta:
        model = "taken.Taak"

    deelnemer = factory.SubFactory(
        DeelnemerFactory, klantmanager=factory.SubFactory(GebruikerFactory)
    )
    eigenaar = factory.LazyAttribute(lambda t: t.deelnemer.klantmanager)
    omschrijving = factory.Sequence(lambda n: f"Bellen over de werkplek {n}")
    vervaldatum = factory.LazyFunction(vandaag)

    class Params:
        te_laat = factory.Trait(
            vervaldatum=factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=3))
        )
        later = factory.Trait(
            vervaldatum=factory.LazyFunction(lambda: vandaag() + dt.timedelta(days=10))
        )
        medisch_ = factory.Trait(medisch=True)
        afgerond = factory.Trait(afgerond_op=factory.LazyFunction(timezone.now))


class GroepFactory(factory.django.DjangoModelFactory):
    """A weekly sollicitatietraining of 2,5 hours that counts toward the budget, run at a
    workplace of its organisation; ``intervisie`` meets every three weeks."""

    class Meta:
        model = Groep

    naam = factory.Sequence(lambda n: f"Sollicitatiegroep {n}")
    soort = Groep.Soort.SOLLICITATIETRAINING
    organisatie = factory.SubFactory(OrganisatieFactory)
    begeleider = factory.SubFactory(
        GebruikerFactory,
        organisatie=factory.SelfAttribute("..organisatie"),
        rol=Rol.TRAJECTBEGELEIDER,
    )
    werkplek = factory.SubFactory(
        WerkplekFactory, organisatie=factory.SelfAttribute("..organisatie")
    )
    interval_weken = 1
    # Tomorrow's weekday: no session today, whose start may or may not have passed.
    startdatum = factory.LazyFunction(lambda: vandaag() - dt.timedelta(days=27))
    weekdag = factory.LazyAttribute(lambda g: g.startdatum.weekday())
    begintijd = dt.time(9, 30)
    eindtijd = dt.time(12, 0)
    telt_voor_budget = True

    class Params:
        intervisie = factory.Trait(
            soort=Groep.Soort.INTERVISIE,
            interval_weken=3,
            naam="Intervisie",
            telt_voor_budget=False,
        )


def _moment(datum, tijd):
    return timezone.make_aware(dt.datetime.combine(datum, tijd))


class GroepsbijeenkomstFactory(factory.django.DjangoModelFactory):
    """A session that already took place (``dagen`` ago, yesterday by default), made directly:
    the service plans only ahead."""

    class Meta:
        model = Groepsbijeenkomst
        exclude = ["dagen"]

    groep = factory.SubFactory(GroepFactory)
    dagen = 1
    volgens_schema = factory.LazyAttribute(lambda b: vandaag() - dt.timedelta(days=b.dagen))
    begin = factory.LazyAttribute(lambda b: _moment(b.volgens_schema, b.groep.begintijd))
    einde = factory.LazyAttribute(lambda b: _moment(b.volgens_schema, b.groep.eindtijd))


class LidmaatschapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lidmaatschap

    groep = factory.SubFactory(GroepFactory)
    deelnemer = factory.SubFactory(DeelnemerFactory)
    startdatum = factory.LazyFunction(lambda: vandaag() - dt.timedelta(weeks=4))
    toegevoegd_door = factory.SelfAttribute("groep.begeleider")


def _morgen_om_tien():
    morgen = vandaag() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(morgen, dt.time(10)))


class AfspraakFactory(factory.django.DjangoModelFactory):
    """An appointment tomorrow at 10:00 of one hour, with ``medewerkers`` (a list) added.

    Written directly, as demo data does: the traits make the past states the planning
    service refuses (an appointment in the past that is still gepland)."""

    class Meta:
        model = Afspraak
        skip_postgeneration_save = True

    deelnemer = factory.SubFactory(DeelnemerFactory)
    soort = Afspraak.Soort.GESPREK
    begin = factory.LazyFunction(_morgen_om_tien)
    einde = factory.LazyAttribute(lambda o: o.begin + dt.timedelta(hours=1))
    plaats = "Stadskantoor"

    class Params:
        gisteren = factory.Trait(
            begin=factory.LazyFunction(lambda: _morgen_om_tien() - dt.timedelta(days=2))
        )
        te_laat = factory.Trait(gisteren=True, status=Afspraak.Status.GEPLAND)
        niet_verschenen = factory.Trait(
            gisteren=True, status=Afspraak.Status.NIET_VERSCHENEN_ZONDER_BERICHT
        )

    @factory.post_generation
    def medewerkers(self, create, extracted, **kwargs):
        if create and extracted:
            self.medewerkers.set(extracted)
