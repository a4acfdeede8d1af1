"""Organisations (ketenpartners) and the users who work for them, each with one role."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models


class Organisatie(models.Model):
    """A ketenpartner: gemeente, werkbedrijf, leer-werkbedrijf, UWV, Reclassering, employer..."""

    class Soort(models.TextChoices):
        GEMEENTE = "gemeente", "Gemeente"
        # A municipal work company (Ferm Werk) refers and provides, but is nobody's woongemeente.
        WERKBEDRIJF = "werkbedrijf", "Werkbedrijf (gemeentelijk)"
        UWV = "uwv", "UWV"
        RECLASSERING = "reclassering", "Reclassering"
        PI = "pi", "Penitentiaire inrichting"
        SW_BEDRIJF = "sw_bedrijf", "Sociale werkvoorziening"
        REINTEGRATIEBEDRIJF = "reintegratiebedrijf", "Re-integratiebedrijf"
        LEERWERKBEDRIJF = "leerwerkbedrijf", "Leer-werkbedrijf"
        WERKGEVER = "werkgever", "Werkgever"
        ONDERWIJS = "onderwijs", "Onderwijs / taalaanbieder"
        ZORG = "zorg", "Zorg en welzijn"
        VRIJWILLIGERS = "vrijwilligers", "Vrijwilligersorganisatie"

    naam = models.CharField("naam", max_length=200, unique=True)
    soort = models.CharField("soort", max_length=30, choices=Soort.choices)
    plaats = models.CharField("plaats", max_length=100, blank=True)
    identificatie = models.CharField(
        "identificatie (OIN of KvK-nummer)",
        max_length=20,
        blank=True,
        help_text="Het organisatie-identificatienummer (OIN, 20 cijfers) of anders het "
        "KvK-nummer (8 cijfers); staat in elke logregel van een verwerking.",
        validators=[
            RegexValidator(r"^(\d{8}|\d{20})$", "Vul 8 cijfers (KvK) of 20 cijfers (OIN) in.")
        ],
    )
    tweestaps_verplicht = models.BooleanField(
        "tweestapsverificatie verplicht",
        default=True,
        help_text="Gebruikers die deelnemergegevens zien, loggen in met wachtwoord en een "
        "code uit een authenticator-app.",
    )
    uren_vergrendeld_tot = models.DateField(
        "uren vergrendeld tot en met",
        null=True,
        blank=True,
        help_text="Uren op werkplekken van deze organisatie tot en met deze datum zijn "
        "geëvalueerd of gefactureerd; alleen een manager kan ze nog corrigeren.",
    )

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Rol(models.TextChoices):
    KLANTMANAGER = "klantmanager", "Klantmanager"
    TRAJECTBEGELEIDER = "trajectbegeleider", "Trajectbegeleider"
    MANAGER = "manager", "Manager"
    KETENPARTNER = "ketenpartner", "Ketenpartner-contact"
    BEHEERDER = "beheerder", "Functioneel beheerder"
    # Answers "who saw my file?" and inzage requests (AVG art. 15); reads no file itself.
    PRIVACY = "privacy", "Privacyfunctionaris"


class GebruikerManager(UserManager):
    # Every request needs the user's organisation for scoping; fetch it with the user.
    def get_queryset(self):
        return super().get_queryset().select_related("organisatie")


class Gebruiker(AbstractUser):
    """A user of the system. Belongs to exactly one organisation and has one role."""

    organisatie = models.ForeignKey(
        Organisatie,
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        related_name="gebruikers",
        null=True,  # only for superusers created from the command line
        blank=True,
    )
    rol = models.CharField("rol", max_length=20, choices=Rol.choices, blank=True)
    # Set by the demodata command only. With DEBUG on such an account logs in without the
    # second step (one-step demo); with DEBUG off the mark gives no exemption at all.
    demo_account = models.BooleanField(
        "demo-account",
        default=False,
        editable=False,
        help_text="Aangemaakt door demodata (wachtwoord 'demo'); alleen in de demomodus "
        "zonder tweestapsverificatie.",
    )

    # Raised whenever one of his second factors is removed (a reset, a lost phone deleted,
    # backup codes renewed). A session is verified for the value it was verified at, so each
    # request checks its second step on the user row it loads anyway, with no device query,
    # and a removal ends the second step of every open session at once.
    tweestaps_versie = models.PositiveIntegerField(
        "versie tweestapsverificatie", default=0, editable=False
    )

    objects = GebruikerManager()

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisatie__isnull=True, rol="")
                | models.Q(organisatie__isnull=False) & ~models.Q(rol=""),
                name="gebruiker_rol_hoort_bij_organisatie",
                violation_error_message="Een gebruiker met een rol hoort bij een organisatie.",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username
