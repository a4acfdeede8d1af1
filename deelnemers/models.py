"""Participants (deelnemers), their target groups and their steps on the participatieladder."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from reintegratie.access import Categorie, ToegangQuerySet, categorie_scope, deelnemer_scope, velden
from reintegratie.templatetags.opmaak import datum as datumtekst
from reintegratie.validators import BSNValidator, Postcode

INBURGERING_ZONDER_PLICHT = (
    "Alleen wie inburgeringsplichtig is, kan aan de inburgeringsplicht voldoen."
)


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


class Trede(models.IntegerChoices):
    """The steps of the participatieladder."""

    GEISOLEERD = 1, "1 Geïsoleerd"
    SOCIALE_CONTACTEN = 2, "2 Sociale contacten buiten de deur"
    GEORGANISEERDE_ACTIVITEITEN = 3, "3 Deelname aan georganiseerde activiteiten"
    ONBETAALD_WERK = 4, "4 Onbetaald werk"
    BETAALD_MET_ONDERSTEUNING = 5, "5 Betaald werk met ondersteuning"
    BETAALD_WERK = 6, "6 Betaald werk"


class DeelnemerQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """The participants ``user`` may see (reintegratie.access decides)."""
        return self.filter(deelnemer_scope(user))

    def met_categorie(self, user, categorie):
        """The participants of whom ``user`` may read ``categorie``."""
        return self.filter(categorie_scope(user, categorie))

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
    # The gemeente or werkbedrijf that owns the case (its klantmanager's organisation): the
    # regie involvement of reintegratie.access. Set at the intake, never by a form.
    regie = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="regie",
        on_delete=models.PROTECT,
        related_name="regie_deelnemers",
        null=True,
        blank=True,
        editable=False,
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
    inburgeringsplichtig = models.BooleanField("inburgeringsplichtig", default=False)
    inburgering_voldaan_op = models.DateField(
        "inburgeringsplicht voldaan op",
        null=True,
        blank=True,
        help_text="De datum waarop de deelnemer aan de inburgeringsplicht voldeed.",
    )
    # The first and the latest step on the participatieladder (by date), kept with every
    # measurement (deelnemers.services.ladder_vastleggen, by ladder_uitersten) so that the
    # dashboard counts the movement of an organisation's participants from their own rows.
    eerste_trede = models.PositiveSmallIntegerField(
        "eerste trede", choices=Trede.choices, null=True, editable=False
    )
    laatste_trede = models.PositiveSmallIntegerField(
        "laatste trede", choices=Trede.choices, null=True, editable=False
    )
    # Optimistic locking: a save with a stale version is refused, never silently overwritten.
    versie = models.PositiveIntegerField("versie", default=1, editable=False)
    aangemaakt_op = models.DateTimeField("aangemaakt op", auto_now_add=True)
    gewijzigd_op = models.DateTimeField("gewijzigd op", auto_now=True)

    objects = DeelnemerQuerySet.as_manager()
    # The data category of every field (reintegratie.access); None: not personal data.
    CATEGORIEEN = {
        "bsn": Categorie.IDENTITEIT,
        "geboortedatum": Categorie.IDENTITEIT,
        "voornaam": Categorie.NAAM,
        "tussenvoegsel": Categorie.NAAM,
        "achternaam": Categorie.NAAM,
        **velden(
            Categorie.CONTACT, "email", "telefoon", "straat", "huisnummer", "postcode", "woonplaats"
        ),
        **velden(
            Categorie.TRAJECT,
            "woongemeente",
            "verwijzer",
            "regie",
            "klantmanager",
            "doelgroepen",
            "taalniveau",
            "taalachtergrond",
            "inburgeringsplichtig",
            "inburgering_voldaan_op",
            "eerste_trede",
            "laatste_trede",
        ),
        **velden(None, "id", "versie", "aangemaakt_op", "gewijzigd_op"),
    }

    class Meta:
        verbose_name = "deelnemer"
        verbose_name_plural = "deelnemers"
        ordering = ["achternaam", "voornaam", "id"]
        indexes = [
            models.Index(fields=["achternaam", "voornaam"], name="deelnemer_naam"),
            # The reports' counting scope (reintegratie.access.tel_scope) joins every
            # trajectory to its participant for only these two columns. Read from this narrow
            # index instead of the wide table, the outcomes report for a year went from
            # 99-130 to 86-94 ms at 100,000 participants (bench/README.md, "De betrokkenheid
            # uit een smalle index").
            models.Index(fields=["id", "regie", "verwijzer"], name="deelnemer_betrokkenen"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(inburgering_voldaan_op__isnull=True) | Q(inburgeringsplichtig=True),
                name="inburgering_voldaan_alleen_bij_plicht",
                violation_error_message=INBURGERING_ZONDER_PLICHT,
            )
        ]

    def __str__(self):
        return self.naam

    def get_absolute_url(self):
        return reverse("deelnemers:dossier", kwargs={"pk": self.pk})

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
        fouten = {}
        if self.geboortedatum and self.geboortedatum > timezone.localdate():
            fouten["geboortedatum"] = "De geboortedatum ligt in de toekomst."
        if self.inburgering_voldaan_op and not self.inburgeringsplichtig:
            fouten["inburgering_voldaan_op"] = INBURGERING_ZONDER_PLICHT
        elif self.inburgering_voldaan_op and self.inburgering_voldaan_op > timezone.localdate():
            fouten["inburgering_voldaan_op"] = "Deze datum ligt in de toekomst."
        if fouten:
            raise ValidationError(fouten)


def ladder_uitersten(ladder=None) -> dict[str, Subquery]:
    """The first and the latest step of each participant on the participatieladder, as the
    values of an UPDATE of Deelnemer: the one rule for the measurements, the demo data and
    the migration that filled the columns (which passes its historical ``ladder`` model)."""
    metingen = (ladder or LadderTrede).objects.filter(deelnemer=OuterRef("pk"))
    return {
        "eerste_trede": Subquery(metingen.order_by("datum").values("trede")[:1]),
        "laatste_trede": Subquery(metingen.order_by("-datum").values("trede")[:1]),
    }


class LadderQuerySet(ToegangQuerySet):
    categorie = Categorie.TRAJECT


class LadderTrede(models.Model):
    """A measurement on the participatieladder; the history shows movement over time."""

    Trede = Trede

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

    objects = LadderQuerySet.as_manager()
    CATEGORIEEN = {
        "trede": Categorie.TRAJECT,
        "datum": Categorie.TRAJECT,
        **velden(None, "id", "deelnemer", "vastgesteld_door"),
    }

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
        return f"{self.get_trede_display()} ({datumtekst(self.datum)})"

    def clean(self):
        super().clean()
        if self.datum is None:
            return
        if self.datum > timezone.localdate():
            raise ValidationError({"datum": "Een meting kan niet in de toekomst liggen."})
        geboortedatum = self.deelnemer.geboortedatum
        if self.datum < geboortedatum:
            raise ValidationError(
                {"datum": f"Deze datum ligt voor de geboortedatum ({datumtekst(geboortedatum)})."}
            )


class ContactmomentQuerySet(ToegangQuerySet):
    categorie = Categorie.JOURNAAL

    def zichtbaar_voor(self, user):
        """Journal entries ``user`` may read; an entry marked medical, and everything in it
        (its next action too), is category medisch."""
        return (
            super()
            .zichtbaar_voor(user)
            .filter(Q(medisch=False) | categorie_scope(user, Categorie.MEDISCH, self.deelnemer_pad))
        )


class Contactmoment(models.Model):
    """An entry in a participant's journal: a conversation, an event, or a decision."""

    class Soort(models.TextChoices):
        GESPREK = "gesprek", "Gesprek"
        TELEFOON = "telefoon", "Telefonisch contact"
        EMAIL = "email", "E-mail"
        HUISBEZOEK = "huisbezoek", "Huisbezoek"
        PARTNEROVERLEG = "partneroverleg", "Partneroverleg"
        NOTITIE = "notitie", "Notitie"
        BESLUIT = "besluit", "Besluit over het traject"

    deelnemer = models.ForeignKey(
        Deelnemer,
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="contactmomenten",
    )
    tijdstip = models.DateTimeField("tijdstip", default=timezone.now)
    soort = models.CharField("soort", max_length=20, choices=Soort.choices)
    onderwerp = models.CharField("onderwerp", max_length=200)
    verslag = models.TextField("verslag", blank=True)
    medisch = models.BooleanField(
        "bevat medische informatie",
        default=False,
        help_text="Alleen zichtbaar voor de klantmanager; nooit in rapportages aan ketenpartners.",
    )
    volgende_actie = models.CharField("volgende actie", max_length=200, blank=True)
    volgende_actie_op = models.DateField("volgende actie op", null=True, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ContactmomentQuerySet.as_manager()
    # Every field of a medical entry is category medisch (ContactmomentQuerySet).
    CATEGORIEEN = {
        **velden(
            Categorie.JOURNAAL,
            "tijdstip",
            "soort",
            "onderwerp",
            "verslag",
            "medisch",
            "volgende_actie",
        ),
        "volgende_actie_op": Categorie.JOURNAAL,
        **velden(None, "id", "deelnemer", "door"),
    }

    class Meta:
        verbose_name = "contactmoment"
        verbose_name_plural = "contactmomenten"
        ordering = ["-tijdstip", "-id"]
        indexes = [models.Index(fields=["deelnemer", "-tijdstip"], name="contact_deelnemer_tijd")]

    def __str__(self):
        return f"{self.get_soort_display()}: {self.onderwerp}"

    def clean(self):
        super().clean()
        if self.volgende_actie_op and not self.volgende_actie:
            raise ValidationError({"volgende_actie": "Wat is de volgende actie op die datum?"})


class IntakeQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """Intakes of the user's own organisation, for the roles that do intakes."""
        from reintegratie.access import heeft_recht

        if not heeft_recht(user, "intake_doen"):
            return self.none()
        return self.filter(aangemaakt_door__organisatie_id=user.organisatie_id)

    def concepten(self):
        return self.filter(status=Intake.Status.CONCEPT)


class Intake(models.Model):
    """Ferm Werk's universal intake: who, the beslisboom, the route and the start.

    A concept keeps whatever was typed (``concept``), unvalidated, so that nothing is lost
    when an intake is interrupted; completing it validates everything and creates the
    trajectory in one transaction (deelnemers.services.intake_afronden).
    """

    class Status(models.TextChoices):
        CONCEPT = "concept", "Concept"
        AFGEROND = "afgerond", "Afgerond"

    status = models.CharField("status", max_length=10, choices=Status.choices, default="concept")
    deelnemer = models.ForeignKey(
        Deelnemer,
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="intakes",
        null=True,
        blank=True,
    )
    bsn = models.CharField("BSN", max_length=9, validators=[BSNValidator()])
    concept = models.JSONField("ingevulde gegevens", default=dict, blank=True)
    datum = models.DateField("intakedatum", default=timezone.localdate)
    consulent_werk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="consulent werk",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    consulent_inkomen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="consulent inkomen",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    beslisboom = models.JSONField("antwoorden beslisboom", default=dict, blank=True)
    afstand_tot_arbeidsmarkt = models.CharField(
        "afstand tot de arbeidsmarkt", max_length=20, blank=True
    )
    route = models.CharField("route", max_length=20, blank=True)
    werkervaringsovereenkomst = models.BooleanField(
        "werkervaringsovereenkomst ondertekend", default=False
    )
    traject = models.OneToOneField(
        "trajecten.Traject",
        verbose_name="traject",
        on_delete=models.PROTECT,
        related_name="intake",
        null=True,
        blank=True,
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangemaakt door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    aangemaakt_op = models.DateTimeField("aangemaakt op", auto_now_add=True)
    gewijzigd_op = models.DateTimeField("gewijzigd op", auto_now=True)

    objects = IntakeQuerySet.as_manager()
    # An intake is read only by the klantmanagers of the organisation doing it (the regie to
    # be): IntakeQuerySet. What it holds becomes the participant's data when it is completed.
    CATEGORIEEN = {
        "bsn": Categorie.IDENTITEIT,
        **velden(
            Categorie.TRAJECT,
            "concept",
            "datum",
            "beslisboom",
            "afstand_tot_arbeidsmarkt",
            "route",
            "werkervaringsovereenkomst",
            "consulent_werk",
            "consulent_inkomen",
        ),
        **velden(
            None,
            "id",
            "status",
            "deelnemer",
            "traject",
            "aangemaakt_door",
            "aangemaakt_op",
            "gewijzigd_op",
        ),
    }

    class Meta:
        verbose_name = "intake"
        verbose_name_plural = "intakes"
        ordering = ["-aangemaakt_op"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="concept") | Q(deelnemer__isnull=False, traject__isnull=False),
                name="intake_afgerond_heeft_traject",
            ),
            models.UniqueConstraint(
                fields=["bsn"],
                condition=Q(status="concept"),
                name="een_concept_intake_per_bsn",
                violation_error_message="Voor dit BSN loopt al een concept-intake.",
            ),
        ]

    def __str__(self):
        return f"Intake {self.bsn[-3:]} ({self.get_status_display().lower()})"
