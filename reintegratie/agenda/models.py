"""Appointments with a participant: intakes, evaluations, partner meetings, group sessions."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from reintegratie.access import Categorie, ToegangQuerySet, velden

EINDE_VOOR_BEGIN = "Het einde ligt voor het begin."


class AfspraakQuerySet(ToegangQuerySet):
    # An appointment is contact with the participant, as a journal entry is.
    categorie = Categorie.JOURNAAL

    def gepland(self):
        return self.filter(status=Afspraak.Status.GEPLAND)

    def niet_verschenen(self):
        return self.filter(status__in=Afspraak.Status.niet_verschenen())

    def te_laat(self, nu=None):
        """Still gepland while their begin has passed: the outcome was never recorded."""
        return self.gepland().filter(begin__lt=nu or timezone.now())

    def van_medewerker(self, user):
        return self.filter(medewerkers=user)


class Afspraak(models.Model):
    """One appointment with one participant, at a time and place, with the staff involved."""

    class Soort(models.TextChoices):
        INTAKE = "intake", "Intake"
        VERDIEPENDE_INTAKE = "verdiepende_intake", "Verdiepende intake"
        EVALUATIE = "evaluatie", "Evaluatie"
        GESPREK = "gesprek", "Gesprek"
        PARTNEROVERLEG = "partneroverleg", "Partneroverleg"
        GROEPSBIJEENKOMST = "groepsbijeenkomst", "Groepsbijeenkomst"

    class Status(models.TextChoices):
        GEPLAND = "gepland", "Gepland"
        GEHOUDEN = "gehouden", "Gehouden"
        NIET_VERSCHENEN_MET_BERICHT = "afgemeld", "Niet verschenen, met bericht"
        NIET_VERSCHENEN_ZONDER_BERICHT = "niet_verschenen", "Niet verschenen, zonder bericht"

        @classmethod
        def niet_verschenen(cls):
            return [cls.NIET_VERSCHENEN_MET_BERICHT, cls.NIET_VERSCHENEN_ZONDER_BERICHT]

        @classmethod
        def uitkomsten(cls):
            """What one click records once an appointment has taken place (or not)."""
            return [c for c in cls if c != cls.GEPLAND]

    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="afspraken",
    )
    traject = models.ForeignKey(
        "trajecten.Traject",
        verbose_name="traject",
        on_delete=models.CASCADE,
        related_name="afspraken",
        null=True,
        blank=True,
    )
    soort = models.CharField("soort", max_length=20, choices=Soort.choices)
    begin = models.DateTimeField("begin")
    einde = models.DateTimeField("einde")
    plaats = models.CharField("plaats", max_length=200, blank=True)
    videolink = models.URLField("videolink", blank=True)
    medewerkers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="medewerkers", related_name="afspraken"
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.GEPLAND
    )
    # What a rule of the trajecttype made, so the rule makes it once (for example
    # "regel:<regel>:traject:<traject>"); empty for an appointment made by hand.
    sleutel = models.CharField("sleutel", max_length=100, blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangemaakt door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = AfspraakQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.JOURNAAL,
            "traject",
            "soort",
            "begin",
            "einde",
            "plaats",
            "videolink",
            "medewerkers",
            "status",
        ),
        **velden(None, "id", "deelnemer", "sleutel", "aangemaakt_door"),
    }

    class Meta:
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"
        ordering = ["begin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(einde__gt=F("begin")),
                name="afspraak_einde_na_begin",
                violation_error_message=EINDE_VOOR_BEGIN,
            ),
            models.UniqueConstraint(
                fields=["deelnemer", "sleutel"],
                condition=~Q(sleutel=""),
                name="afspraak_eenmaal_per_sleutel",
            ),
        ]
        indexes = [models.Index(fields=["deelnemer", "begin"], name="afspraak_deelnemer_begin")]

    def __str__(self):
        return f"{self.get_soort_display()} op {timezone.localtime(self.begin):%d-%m-%Y %H:%M}"

    def clean(self):
        super().clean()
        if self.begin and self.einde and self.einde <= self.begin:
            raise ValidationError({"einde": EINDE_VOOR_BEGIN})

    @property
    def te_laat(self):
        return self.status == self.Status.GEPLAND and self.begin < timezone.now()

    @property
    def niet_verschenen(self):
        return self.status in self.Status.niet_verschenen()


class Afspraakregel(models.Model):
    """A rule of a trajecttype that puts an appointment in the klantmanager's agenda:
    configuration by the functioneel beheerder, applied by :mod:`reintegratie.agenda.regels`.

    A rule gives a deadline in weeks after the start of the trajectory, or in productive
    hours (before that many hours are used, at the participant's current pace), or both:
    whichever comes first.
    """

    trajecttype = models.ForeignKey(
        "trajecten.Trajecttype",
        verbose_name="trajecttype",
        on_delete=models.CASCADE,
        related_name="afspraakregels",
    )
    naam = models.CharField("naam", max_length=100)
    soort = models.CharField("soort afspraak", max_length=20, choices=Afspraak.Soort.choices)
    binnen_weken = models.PositiveSmallIntegerField(
        "binnen weken na de start",
        null=True,
        blank=True,
        help_text="Bijvoorbeeld 4: een verdiepende intake binnen vier weken na de start.",
    )
    voor_uren = models.DecimalField(
        "voor dit aantal productieve uren",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Bijvoorbeeld 350: een evaluatie voordat 350 uren zijn gebruikt, in het "
        "huidige tempo van de deelnemer.",
    )
    duur_minuten = models.PositiveSmallIntegerField("duur in minuten", default=60)
    actief = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "afspraakregel"
        verbose_name_plural = "afspraakregels"
        ordering = ["trajecttype", "naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(binnen_weken__isnull=False) | Q(voor_uren__isnull=False),
                name="afspraakregel_weken_of_uren",
                violation_error_message="Geef een aantal weken, een aantal uren of allebei.",
            ),
            models.CheckConstraint(
                condition=Q(voor_uren__isnull=True) | Q(voor_uren__gt=0),
                name="afspraakregel_uren_positief",
                violation_error_message="Het aantal uren is groter dan nul.",
            ),
            models.CheckConstraint(
                condition=Q(duur_minuten__gte=5) & Q(duur_minuten__lte=480),
                name="afspraakregel_duur_redelijk",
                violation_error_message="Een afspraak duurt tussen 5 minuten en 8 uur.",
            ),
        ]

    def __str__(self):
        return f"{self.trajecttype}: {self.naam}"

    def sleutel(self, traject) -> str:
        return f"regel:{self.pk}:traject:{traject.pk}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Agendafeed(models.Model):
    """A user's personal iCalendar feed: a secret address Outlook reads without logging in.

    Only the SHA-256 of the token is stored; a new token replaces it, so the old address
    stops working at once. By default the feed names a participant by first name and the
    initial of the last name only.
    """

    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruiker",
        on_delete=models.CASCADE,
        related_name="agendafeed",
    )
    token_hash = models.CharField("token (SHA-256)", max_length=64, unique=True)
    volledige_namen = models.BooleanField(
        "volledige namen in de agenda",
        default=False,
        help_text="Zonder: alleen de voornaam en de eerste letter van de achternaam.",
    )
    vernieuwd_op = models.DateTimeField("vernieuwd op", default=timezone.now)

    class Meta:
        verbose_name = "agendafeed"
        verbose_name_plural = "agendafeeds"

    def __str__(self):
        return f"Agendafeed van {self.gebruiker}"

    def nieuw_token(self) -> str:
        """A fresh token (shown once); the old one no longer matches."""
        token = secrets.token_urlsafe(32)
        self.token_hash = _hash(token)
        self.vernieuwd_op = timezone.now()
        return token

    @classmethod
    def bij_token(cls, token: str):
        """The feed of ``token``, or None. The lookup is by hash, so the database never
        compares the secret itself and timing tells nothing about it."""
        if not token or len(token) > 100:
            return None
        return cls.objects.select_related("gebruiker").filter(token_hash=_hash(token)).first()
