"""Workplaces (werkplekken) and the placements (plaatsingen) of participants on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from reintegratie.access import Categorie, ToegangQuerySet, categorie_scope, heeft_recht, velden
from reintegratie.periode import Periode
from reintegratie.validators import Postcode


class Werksoort(models.TextChoices):
    PRODUCTIE = "productie", "Productie"
    GROEN = "groen", "Groen"
    SCHOONMAAK = "schoonmaak", "Schoonmaak"
    LOGISTIEK = "logistiek", "Logistiek"
    ADMINISTRATIEF = "administratief", "Administratief"
    CATERING = "catering", "Catering"
    PERSONENVERVOER = "personenvervoer", "Personenvervoer"
    HORECA = "horeca", "Horeca"
    RECEPTIE = "receptie", "Receptie"
    MAGAZIJN = "magazijn", "Magazijn"


class WerkplekQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """The workplaces ``user`` may open: those of their own organisation."""
        if not heeft_recht(user, "werkplekken_zien"):
            return self.none()
        return self.filter(organisatie_id=user.organisatie_id)

    def actief(self):
        return self.filter(actief=True)

    def met_bezetting(self, datum):
        """Annotate ``bezetting``: the number of placements running on ``datum``; a
        subquery per row, so a page of workplaces costs a page, not the whole table."""
        lopend = (
            Plaatsing.objects.filter(werkplek=OuterRef("pk"))
            .lopend_op(datum)
            .order_by()
            .values("werkplek")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(bezetting=Coalesce(Subquery(lopend), 0))


class Werkplek(models.Model):
    """A place to work and learn: intern (the leer-werkbedrijf itself) or extern (an employer)."""

    class Soort(models.TextChoices):
        INTERN = "intern", "Intern (leer-werkbedrijf)"
        EXTERN = "extern", "Extern (werkgever)"

    naam = models.CharField("naam", max_length=150)
    organisatie = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        related_name="werkplekken",
    )
    soort = models.CharField("intern of extern", max_length=6, choices=Soort.choices)
    werksoort = models.CharField("werksoort", max_length=20, choices=Werksoort.choices)
    capaciteit = models.PositiveSmallIntegerField("capaciteit (deelnemers tegelijk)")
    straat = models.CharField("straat", max_length=120, blank=True)
    huisnummer = models.CharField("huisnummer", max_length=12, blank=True)
    postcode = Postcode("postcode", blank=True)
    plaats = models.CharField("plaats", max_length=100, blank=True)
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="begeleider",
        on_delete=models.PROTECT,
        related_name="werkplekken",
        null=True,
        blank=True,
    )
    actief = models.BooleanField("actief", default=True)

    objects = WerkplekQuerySet.as_manager()

    class Meta:
        verbose_name = "werkplek"
        verbose_name_plural = "werkplekken"
        ordering = ["organisatie__naam", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["organisatie", "naam"], name="werkplek_naam_uniek"),
            models.CheckConstraint(condition=Q(capaciteit__gt=0), name="werkplek_capaciteit"),
        ]

    def __str__(self):
        return f"{self.naam} ({self.organisatie})"

    def drukste_dag(self, van, tot=None, *, zonder=None) -> tuple[int, object]:
        """The most participants placed here at once between ``van`` and ``tot`` (open: from
        ``van`` on), and the first day it is that many. The one home of "how full": placing
        asks it. ``zonder`` leaves one placement out (the one being changed)."""
        plaatsingen = self.plaatsingen.filter(Q(einddatum__isnull=True) | Q(einddatum__gte=van))
        if tot is not None:
            plaatsingen = plaatsingen.filter(startdatum__lte=tot)
        if zonder is not None:
            plaatsingen = plaatsingen.exclude(pk=zonder.pk)
        perioden = list(plaatsingen.values_list("startdatum", "einddatum"))
        # The count only rises on a day a placement starts: those days (and ``van``) suffice.
        dagen = sorted({van} | {start for start, _ in perioden if start > van})
        drukst, op = 0, van
        for dag in dagen:
            aantal = sum(1 for s, e in perioden if s <= dag and (e is None or e >= dag))
            if aantal > drukst:
                drukst, op = aantal, dag
        return drukst, op


class PlaatsingQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """Placements are the case's context (category traject); a workplace host reads the
        placements at its own workplaces, where it reads the hours."""
        return self.filter(
            categorie_scope(user, Categorie.TRAJECT, "deelnemer__")
            | categorie_scope(user, Categorie.UREN, "deelnemer__", werkplek="werkplek__")
        )

    def lopend_op(self, datum):
        return self.filter(startdatum__lte=datum).filter(
            Q(einddatum__isnull=True) | Q(einddatum__gte=datum)
        )


class Plaatsing(Periode):
    """A participant at a workplace for a period, with hours a week and tasks."""

    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.PROTECT,
        related_name="plaatsingen",
    )
    werkplek = models.ForeignKey(
        Werkplek, verbose_name="werkplek", on_delete=models.PROTECT, related_name="plaatsingen"
    )
    traject = models.ForeignKey(
        "trajecten.Traject",
        verbose_name="traject",
        on_delete=models.PROTECT,
        related_name="plaatsingen",
        null=True,
        blank=True,
    )
    uren_per_week = models.DecimalField("uren per week", max_digits=4, decimal_places=2)
    taken = models.TextField("taken", blank=True)
    voorkeur_deelnemer = models.BooleanField(
        "werkplek van voorkeur van de deelnemer",
        default=False,
        help_text="De deelnemer heeft zelf voor deze werkplek gekozen.",
    )
    proefplaatsing = models.BooleanField(
        "proefplaatsing",
        default=False,
        help_text="Op proef: werkgever en deelnemer kijken of het past.",
    )
    # Set only when a manager placed beyond the workplace's capacity (werkplekken.services).
    reden_boven_capaciteit = models.CharField(
        "reden boven de capaciteit",
        max_length=300,
        blank=True,
        help_text="De werkplek is vol in deze periode; alleen een manager plaatst toch, met reden.",
    )

    objects = PlaatsingQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.TRAJECT,
            "werkplek",
            "traject",
            "startdatum",
            "einddatum",
            "uren_per_week",
            "taken",
            "voorkeur_deelnemer",
            "proefplaatsing",
            "reden_boven_capaciteit",
        ),
        **velden(None, "id", "deelnemer"),
    }

    class Meta:
        verbose_name = "plaatsing"
        verbose_name_plural = "plaatsingen"
        ordering = ["-startdatum"]
        constraints = [
            *Periode.Meta.constraints,
            models.CheckConstraint(
                condition=Q(uren_per_week__gt=0) & Q(uren_per_week__lte=40),
                name="plaatsing_uren_per_week",
                violation_error_message="Vul een aantal uren per week in van meer dan 0 "
                "en hoogstens 40.",
            ),
        ]
        indexes = [models.Index(fields=["werkplek", "startdatum"], name="plaatsing_werkplek")]

    def __str__(self):
        return f"{self.deelnemer} bij {self.werkplek.naam}"


# A participant's ranked choice holds this many places: the top few, as a conversation does.
MAX_VOORKEUREN = 5


class VoorkeurQuerySet(ToegangQuerySet):
    categorie = Categorie.TRAJECT


class Voorkeur(models.Model):
    """One place in a participant's own ranked choice of where to work: a workplace, or a
    kind of work (werksoort) anywhere, with the reason in the participant's words. Recorded
    by the begeleider with the participant; matching reads it."""

    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="voorkeuren",
    )
    rang = models.PositiveSmallIntegerField("rang")
    werkplek = models.ForeignKey(
        Werkplek,
        verbose_name="werkplek",
        on_delete=models.PROTECT,
        related_name="voorkeuren",
        null=True,
        blank=True,
    )
    werksoort = models.CharField("werksoort", max_length=20, choices=Werksoort.choices, blank=True)
    reden = models.CharField("waarom", max_length=300)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    vastgelegd_op = models.DateTimeField("vastgelegd op")

    objects = VoorkeurQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.TRAJECT, "rang", "werkplek", "werksoort", "reden", "vastgelegd_op"),
        **velden(None, "id", "deelnemer", "vastgelegd_door"),
    }

    class Meta:
        verbose_name = "voorkeur"
        verbose_name_plural = "voorkeuren"
        ordering = ["deelnemer", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["deelnemer", "rang"], name="voorkeur_rang_uniek"),
            models.CheckConstraint(
                condition=(Q(werkplek__isnull=False) & Q(werksoort=""))
                | (Q(werkplek__isnull=True) & ~Q(werksoort="")),
                name="voorkeur_werkplek_of_werksoort",
                violation_error_message="Kies een werkplek of een werksoort, niet allebei.",
            ),
            models.CheckConstraint(
                condition=Q(rang__gte=1) & Q(rang__lte=MAX_VOORKEUREN), name="voorkeur_rang"
            ),
        ]

    def __str__(self):
        return (
            f"{self.rang}. {self.werkplek.naam if self.werkplek else self.get_werksoort_display()}"
        )


class WachtlijstQuerySet(ToegangQuerySet):
    categorie = Categorie.TRAJECT

    def open(self):
        return self.filter(afgemeld_op__isnull=True)

    def met_plaats(self):
        """Annotate ``plaats``: the position on its workplace's list, in order of
        registration (1 is next), counted over everyone waiting there, whoever may see them."""
        voor = (
            Wachtlijstplaats.objects.open()
            .filter(werkplek=OuterRef("werkplek"))
            .filter(
                Q(aangemeld_op__lt=OuterRef("aangemeld_op"))
                | Q(aangemeld_op=OuterRef("aangemeld_op"), pk__lte=OuterRef("pk"))
            )
            .order_by()
            .values("werkplek")
            .annotate(n=Count("pk"))
            .values("n")
        )
        wachtend = (
            Wachtlijstplaats.objects.open()
            .filter(werkplek=OuterRef("werkplek"))
            .order_by()
            .values("werkplek")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(plaats=Subquery(voor), wachtend=Subquery(wachtend))


class Wachtlijstplaats(models.Model):
    """A participant waiting for a place at a full workplace, in order of registration. The
    klantmanager places from it when a place comes free; placing there closes the entry."""

    class Uitkomst(models.TextChoices):
        GEPLAATST = "geplaatst", "Geplaatst"
        AFGEMELD = "afgemeld", "Van de wachtlijst gehaald"

    werkplek = models.ForeignKey(
        Werkplek, verbose_name="werkplek", on_delete=models.PROTECT, related_name="wachtlijst"
    )
    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="wachtlijstplaatsen",
    )
    aangemeld_op = models.DateTimeField("aangemeld op")
    aangemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangemeld door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    gewenste_start = models.DateField("gewenste startdatum", null=True, blank=True)
    toelichting = models.CharField("toelichting", max_length=300, blank=True)
    afgemeld_op = models.DateTimeField("van de wachtlijst op", null=True, blank=True)
    uitkomst = models.CharField("uitkomst", max_length=10, choices=Uitkomst.choices, blank=True)

    objects = WachtlijstQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.TRAJECT,
            "werkplek",
            "aangemeld_op",
            "gewenste_start",
            "toelichting",
            "afgemeld_op",
            "uitkomst",
        ),
        **velden(None, "id", "deelnemer", "aangemeld_door"),
    }

    class Meta:
        verbose_name = "plaats op de wachtlijst"
        verbose_name_plural = "wachtlijst"
        ordering = ["aangemeld_op", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["werkplek", "deelnemer"],
                condition=Q(afgemeld_op__isnull=True),
                name="wachtlijst_eenmaal_per_werkplek",
                violation_error_message="Deze deelnemer staat al op de wachtlijst van deze "
                "werkplek.",
            ),
            models.CheckConstraint(
                condition=Q(afgemeld_op__isnull=True, uitkomst="")
                | (Q(afgemeld_op__isnull=False) & ~Q(uitkomst="")),
                name="wachtlijst_uitkomst_bij_afmelden",
            ),
        ]
        indexes = [
            models.Index(
                fields=["werkplek", "aangemeld_op"],
                condition=Q(afgemeld_op__isnull=True),
                name="wachtlijst_open_per_werkplek",
            )
        ]

    def __str__(self):
        return f"{self.deelnemer} wacht op {self.werkplek.naam}"


class Mixdoel(models.Model):
    """The share of a doelgroep an organisation aims for among those placed at its
    workplaces (De Fabriek: about 20% from justice, half from the gemeenten); matching
    prefers a participant whose doelgroep is below its target. Configuration, no personal
    data."""

    organisatie = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="organisatie",
        on_delete=models.CASCADE,
        related_name="mixdoelen",
    )
    doelgroep = models.ForeignKey(
        "deelnemers.Doelgroep", verbose_name="doelgroep", on_delete=models.CASCADE
    )
    aandeel = models.PositiveSmallIntegerField(
        "aandeel (procent)",
        validators=[
            MinValueValidator(1, "Vul een aandeel in van 1 tot en met 100 procent."),
            MaxValueValidator(100, "Vul een aandeel in van 1 tot en met 100 procent."),
        ],
    )

    class Meta:
        verbose_name = "doel voor de mix van doelgroepen"
        verbose_name_plural = "doelen voor de mix van doelgroepen"
        ordering = ["organisatie", "doelgroep"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "doelgroep"],
                name="mixdoel_uniek",
                violation_error_message="Voor deze doelgroep is al een aandeel vastgelegd.",
            ),
            models.CheckConstraint(
                condition=Q(aandeel__gte=1) & Q(aandeel__lte=100), name="mixdoel_aandeel"
            ),
        ]

    def __str__(self):
        return f"{self.doelgroep}: {self.aandeel}%"

    def clean(self):
        super().clean()
        if self.organisatie_id is None or self.aandeel is None:
            return
        andere = Mixdoel.objects.filter(organisatie_id=self.organisatie_id).exclude(pk=self.pk)
        # Also here, not only in the constraint: a form without the organisation (the
        # beheerder's own) would otherwise skip it and fail at the database.
        if self.doelgroep_id and andere.filter(doelgroep_id=self.doelgroep_id).exists():
            raise ValidationError(
                {"doelgroep": "Voor deze doelgroep is al een aandeel vastgelegd."}
            )
        anderen = andere.aggregate(som=models.Sum("aandeel"))["som"] or 0
        if anderen + self.aandeel > 100:
            raise ValidationError(
                {
                    "aandeel": f"Samen met de andere doelgroepen ({anderen}%) wordt dit "
                    f"{anderen + self.aandeel}%: meer dan 100%. Kies hoogstens {100 - anderen}%."
                }
            )
