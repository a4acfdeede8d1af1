"""Groups that meet at a fixed rhythm (a weekly sollicitatietraining, an intervisie every
three weeks), their members, their sessions and who attended."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from reintegratie.access import Categorie, ToegangQuerySet, heeft_recht, velden
from reintegratie.periode import Periode

EINDE_VOOR_BEGIN = "Het einde van de bijeenkomst ligt voor het begin."
INTERVAL_FOUT = "Een groep komt eens in de 1 tot 12 weken bijeen."
WERKPLEK_FOUT = "Kies een locatie van de organisatie die de groep geeft."


class Weekdag(models.IntegerChoices):
    MAANDAG = 0, "maandag"
    DINSDAG = 1, "dinsdag"
    WOENSDAG = 2, "woensdag"
    DONDERDAG = 3, "donderdag"
    VRIJDAG = 4, "vrijdag"


class GroepQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """The groups of the user's own organisation, for a role that works with groups. A
        group itself holds no participant data; its members are read through Lidmaatschap."""
        if not heeft_recht(user, "groepen"):
            return self.none()
        return self.filter(organisatie_id=user.organisatie_id)


class Groep(models.Model):
    """A group that meets every ``interval_weken`` weeks on a weekday, at a workplace of the
    organisation that runs it: the place where its attendance is booked as hours."""

    class Soort(models.TextChoices):
        SOLLICITATIETRAINING = "sollicitatietraining", "Sollicitatietraining"
        INTERVISIE = "intervisie", "Intervisie"
        WERKNEMERSVAARDIGHEDEN = "werknemersvaardigheden", "Werknemersvaardigheden"

    naam = models.CharField("naam", max_length=120)
    soort = models.CharField("soort", max_length=30, choices=Soort.choices)
    organisatie = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        related_name="groepen",
    )
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="begeleider",
        on_delete=models.PROTECT,
        related_name="groepen",
    )
    werkplek = models.ForeignKey(
        "werkplekken.Werkplek",
        verbose_name="locatie (werkplek voor de uren)",
        on_delete=models.PROTECT,
        related_name="groepen",
    )
    interval_weken = models.PositiveSmallIntegerField(
        "eens in de zoveel weken",
        validators=[
            MinValueValidator(1, message=INTERVAL_FOUT),
            MaxValueValidator(12, message=INTERVAL_FOUT),
        ],
    )
    weekdag = models.PositiveSmallIntegerField("dag", choices=Weekdag.choices)
    begintijd = models.TimeField("begintijd")
    eindtijd = models.TimeField("eindtijd")
    plaats = models.CharField("plaats", max_length=200, blank=True)
    telt_voor_budget = models.BooleanField(
        "aanwezigheid telt als scholing voor het urenbudget", default=True
    )
    startdatum = models.DateField("eerste bijeenkomst")

    objects = GroepQuerySet.as_manager()

    class Meta:
        verbose_name = "groep"
        verbose_name_plural = "groepen"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weken__gte=1) & Q(interval_weken__lte=12),
                name="groep_interval",
                violation_error_message=INTERVAL_FOUT,
            ),
            models.CheckConstraint(
                condition=Q(eindtijd__gt=F("begintijd")),
                name="groep_eindtijd_na_begintijd",
                violation_error_message=EINDE_VOOR_BEGIN,
            ),
        ]

    def __str__(self):
        return self.naam

    def clean(self):
        super().clean()
        if self.begintijd and self.eindtijd and self.eindtijd <= self.begintijd:
            raise ValidationError({"eindtijd": EINDE_VOOR_BEGIN})
        eigen = self.werkplek_id and self.organisatie_id
        if eigen and self.werkplek.organisatie_id != self.organisatie_id:
            raise ValidationError({"werkplek": WERKPLEK_FOUT})
        if (
            self.startdatum
            and self.weekdag is not None
            and self.startdatum.weekday() != self.weekdag
        ):
            dag = self.get_weekdag_display()
            raise ValidationError({"startdatum": f"De eerste bijeenkomst valt op een {dag}."})

    def schema(self, tot):
        """The dates of the rhythm from the first session up to and including ``tot``."""
        datum, stap = self.startdatum, timedelta(weeks=self.interval_weken)
        while datum <= tot:
            yield datum
            datum += stap


class GroepsbijeenkomstQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        return self.filter(groep__in=Groep.objects.zichtbaar_voor(user))


class Groepsbijeenkomst(models.Model):
    """One session of a group: planned from the rhythm (``volgens_schema``), and then moved or
    cancelled as it happens."""

    class Status(models.TextChoices):
        GEPLAND = "gepland", "Gepland"
        GEANNULEERD = "geannuleerd", "Geannuleerd"

    groep = models.ForeignKey(
        Groep, verbose_name="groep", on_delete=models.CASCADE, related_name="bijeenkomsten"
    )
    volgens_schema = models.DateField("datum volgens het schema")
    begin = models.DateTimeField("begin")
    einde = models.DateTimeField("einde")
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.GEPLAND
    )

    objects = GroepsbijeenkomstQuerySet.as_manager()

    class Meta:
        verbose_name = "bijeenkomst"
        verbose_name_plural = "bijeenkomsten"
        ordering = ["begin", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(einde__gt=F("begin")),
                name="bijeenkomst_einde_na_begin",
                violation_error_message=EINDE_VOOR_BEGIN,
            ),
            models.UniqueConstraint(
                fields=["groep", "volgens_schema"], name="bijeenkomst_eenmaal_per_schemadatum"
            ),
        ]

    def __str__(self):
        return f"{self.groep.naam}, {timezone.localtime(self.begin):%d-%m-%Y %H:%M}"

    def clean(self):
        super().clean()
        if self.begin and self.einde and self.einde <= self.begin:
            raise ValidationError({"einde": EINDE_VOOR_BEGIN})

    @property
    def datum(self):
        return timezone.localdate(self.begin)

    @property
    def duur_uren(self):
        """The session's length in hours, rounded down to the quarter that hours are in."""
        from decimal import Decimal

        kwartieren = int((self.einde - self.begin).total_seconds() // 900)
        return Decimal(kwartieren) / 4

    @property
    def is_begonnen(self) -> bool:
        return self.begin <= timezone.now()


class LidmaatschapQuerySet(ToegangQuerySet):
    # Taking part in a group is attendance, as hours at a workplace are: a host reads it only
    # for the groups held at its own workplaces.
    categorie = Categorie.UREN
    werkplek_pad = "groep__werkplek__"

    def lopend_op(self, datum):
        return self.filter(startdatum__lte=datum).filter(
            Q(einddatum__isnull=True) | Q(einddatum__gte=datum)
        )


class Lidmaatschap(Periode):
    """A participant in a group, from the day they join until the day they leave."""

    groep = models.ForeignKey(
        Groep, verbose_name="groep", on_delete=models.CASCADE, related_name="leden"
    )
    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="groepslidmaatschappen",
    )
    toegevoegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="toegevoegd door",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LidmaatschapQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.UREN, "groep", "startdatum", "einddatum"),
        **velden(None, "id", "deelnemer", "toegevoegd_door"),
    }

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        ordering = ["groep", "startdatum", "id"]
        constraints = [
            *Periode.Meta.constraints,
            models.UniqueConstraint(
                fields=["groep", "deelnemer", "startdatum"], name="lidmaatschap_eenmaal"
            ),
        ]

    def __str__(self):
        return f"{self.deelnemer} in {self.groep}"


class AanwezigheidQuerySet(ToegangQuerySet):
    categorie = Categorie.UREN
    werkplek_pad = "bijeenkomst__groep__werkplek__"


class Aanwezigheid(models.Model):
    """Whether a member came to a session, and the hours booked for it."""

    class Status(models.TextChoices):
        AANWEZIG = "aanwezig", "Aanwezig"
        AFGEMELD = "afgemeld", "Afgemeld"
        NIET_VERSCHENEN = "niet_verschenen", "Niet verschenen"

    bijeenkomst = models.ForeignKey(
        Groepsbijeenkomst,
        verbose_name="bijeenkomst",
        on_delete=models.CASCADE,
        related_name="aanwezigheden",
    )
    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="groepsaanwezigheden",
    )
    status = models.CharField("aanwezigheid", max_length=16, choices=Status.choices)
    uren = models.DecimalField("uren", max_digits=4, decimal_places=2, null=True, blank=True)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    vastgelegd_op = models.DateTimeField("vastgelegd op", default=timezone.now)

    objects = AanwezigheidQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.UREN, "bijeenkomst", "status", "uren"),
        **velden(None, "id", "deelnemer", "vastgelegd_door", "vastgelegd_op"),
    }

    class Meta:
        verbose_name = "aanwezigheid"
        verbose_name_plural = "aanwezigheden"
        ordering = ["bijeenkomst", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bijeenkomst", "deelnemer"], name="aanwezigheid_eenmaal_per_bijeenkomst"
            ),
            models.CheckConstraint(
                condition=Q(status="aanwezig") | Q(uren__isnull=True),
                name="aanwezigheid_uren_alleen_aanwezig",
            ),
        ]

    def __str__(self):
        return f"{self.deelnemer}: {self.get_status_display().lower()}"
