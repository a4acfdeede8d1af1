"""Participants (deelnemers), their target groups and their steps on the participatieladder."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from reintegratie.access import deelnemer_scope
from reintegratie.validators import BSNValidator, Postcode


class Doelgroep(models.Model):
    """A target group (bijstand, Wajong, statushouder...): configuration, kept as data."""

    code = models.SlugField("code", max_length=40, unique=True)
    naam = models.CharField("naam", max_length=100)
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "doelgroep"
        verbose_name_plural = "doelgroepen"
        ordering = ["volgorde", "naam"]

    def __str__(self):
        return self.naam


class DeelnemerQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """The participants ``user`` may see (reintegratie.access decides)."""
        return self.filter(deelnemer_scope(user))

    def met_klantmanager_van(self, user):
        return self.filter(klantmanager=user)


class Deelnemer(models.Model):
    """A participant in re-integration. The BSN is the key to the outside world."""

    class Taalniveau(models.TextChoices):
        ONDER_1F = "onder_1f", "Onder 1F"
        F1 = "1F", "1F"
        F2 = "2F", "2F"
        F3 = "3F", "3F"
        F4 = "4F", "4F"

    class Taalachtergrond(models.TextChoices):
        NT1 = "NT1", "NT1 (Nederlands als moedertaal)"
        NT2 = "NT2", "NT2 (Nederlands als tweede taal)"

    bsn = models.CharField(
        "BSN",
        max_length=9,
        unique=True,
        validators=[BSNValidator()],
        error_messages={"unique": "Dit BSN is al bekend."},
    )
    voornaam = models.CharField("voornaam", max_length=100)
    tussenvoegsel = models.CharField("tussenvoegsel", max_length=20, blank=True)
    achternaam = models.CharField("achternaam", max_length=100)
    geboortedatum = models.DateField("geboortedatum")
    email = models.EmailField("e-mailadres", blank=True)
    telefoon = models.CharField("telefoonnummer", max_length=20, blank=True)
    straat = models.CharField("straat", max_length=120, blank=True)
    huisnummer = models.CharField("huisnummer", max_length=12, blank=True)
    postcode = Postcode("postcode", blank=True)
    woonplaats = models.CharField("woonplaats", max_length=100, blank=True)
    woongemeente = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="woongemeente",
        on_delete=models.PROTECT,
        related_name="inwoners",
        limit_choices_to={"soort": "gemeente"},
        null=True,
        blank=True,
    )
    verwijzer = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="verwijzer",
        on_delete=models.PROTECT,
        related_name="verwezen_deelnemers",
        null=True,
        blank=True,
    )
    klantmanager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="klantmanager",
        on_delete=models.PROTECT,
        related_name="caseload",
        limit_choices_to={"rol": "klantmanager"},
        null=True,
        blank=True,
    )
    doelgroepen = models.ManyToManyField(
        Doelgroep, verbose_name="doelgroepen", related_name="deelnemers", blank=True
    )
    taalniveau = models.CharField(
        "taalniveau (taalmeter)", max_length=10, choices=Taalniveau.choices, blank=True
    )
    taalachtergrond = models.CharField(
        "NT1/NT2", max_length=3, choices=Taalachtergrond.choices, blank=True
    )
    # Optimistic locking: a save with a stale version is refused, never silently overwritten.
    versie = models.PositiveIntegerField("versie", default=1, editable=False)
    aangemaakt_op = models.DateTimeField("aangemaakt op", auto_now_add=True)
    gewijzigd_op = models.DateTimeField("gewijzigd op", auto_now=True)

    objects = DeelnemerQuerySet.as_manager()

    class Meta:
        verbose_name = "deelnemer"
        verbose_name_plural = "deelnemers"
        ordering = ["achternaam", "voornaam", "id"]
        indexes = [models.Index(fields=["achternaam", "voornaam"], name="deelnemer_naam")]

    def __str__(self):
        return self.naam

    @property
    def naam(self):
        return " ".join(p for p in (self.voornaam, self.tussenvoegsel, self.achternaam) if p)

    @property
    def bsn_gemaskeerd(self):
        """The BSN as shown by default: only the last three digits."""
        return f"******{self.bsn[-3:]}"

    def leeftijd(self, op=None):
        op = op or timezone.localdate()
        g = self.geboortedatum
        return op.year - g.year - ((op.month, op.day) < (g.month, g.day))

    def clean(self):
        if self.geboortedatum and self.geboortedatum > timezone.localdate():
            raise ValidationError({"geboortedatum": "De geboortedatum ligt in de toekomst."})


class LadderTrede(models.Model):
    """A measurement on the participatieladder; the history shows movement over time."""

    class Trede(models.IntegerChoices):
        GEISOLEERD = 1, "1 Geïsoleerd"
        SOCIALE_CONTACTEN = 2, "2 Sociale contacten buiten de deur"
        GEORGANISEERDE_ACTIVITEITEN = 3, "3 Deelname aan georganiseerde activiteiten"
        ONBETAALD_WERK = 4, "4 Onbetaald werk"
        BETAALD_MET_ONDERSTEUNING = 5, "5 Betaald werk met ondersteuning"
        BETAALD_WERK = 6, "6 Betaald werk"

    deelnemer = models.ForeignKey(
        Deelnemer, verbose_name="deelnemer", on_delete=models.CASCADE, related_name="ladder"
    )
    datum = models.DateField("datum")
    trede = models.PositiveSmallIntegerField("trede", choices=Trede.choices)
    vastgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgesteld door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "trede op de participatieladder"
        verbose_name_plural = "participatieladder"
        ordering = ["deelnemer", "-datum"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trede__gte=1, trede__lte=6), name="laddertrede_1_tot_6"
            ),
            models.UniqueConstraint(fields=["deelnemer", "datum"], name="laddertrede_per_dag"),
        ]

    def __str__(self):
        return f"{self.get_trede_display()} ({self.datum:%d-%m-%Y})"
