"""The append-only audit log of who looked at or changed which participant's data."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.templatetags.opmaak import datum_tijd


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Auditrecords kunnen niet gewijzigd worden.")

    def delete(self):
        raise AppendOnlyError("Auditrecords kunnen niet verwijderd worden.")

    def zichtbaar_voor(self, user):
        """The records ``user`` may read (reintegratie.access.verwerkingen_scope)."""
        from reintegratie.access import verwerkingen_scope

        return self.filter(verwerkingen_scope(user))


class Vertrouwelijkheid(models.TextChoices):
    NORMAAL = "normaal", "Normaal"
    VERTROUWELIJK = "vertrouwelijk", "Vertrouwelijk"
    ZEER_VERTROUWELIJK = "zeer_vertrouwelijk", "Zeer vertrouwelijk"


class Verwerkingsactiviteit(models.Model):
    """One processing activity of the register (AVG art. 30): what is done with personal
    data, why, on which legal basis, with which categories, and how long its log is kept.

    Views declare the activity they perform (:func:`reintegratie.audit.verwerking.verwerking`);
    every log record names it and copies its purpose, basis, confidentiality and retention,
    so a record keeps saying what applied then after the register is revised.
    """

    code = models.SlugField("code", max_length=40, unique=True)
    naam = models.CharField("naam", max_length=120)
    doel = models.CharField("doel", max_length=300)
    grondslag = models.CharField("grondslag", max_length=300)
    categorieen = models.JSONField(
        "categorieën persoonsgegevens",
        default=list,
        blank=True,
        help_text="De categorieën uit de toegangsmatrix die deze verwerking kan tonen.",
    )
    vertrouwelijkheid = models.CharField(
        "vertrouwelijkheid", max_length=20, choices=Vertrouwelijkheid.choices
    )
    bewaartermijn_jaren = models.PositiveSmallIntegerField(
        "bewaartermijn van het log (jaren)",
        help_text="Zo lang blijven de logregels van deze verwerking bewaard.",
    )

    class Meta:
        verbose_name = "verwerkingsactiviteit"
        verbose_name_plural = "register van verwerkingen"
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class AuditRecord(models.Model):
    """One processing of personal data, or one refused or security-relevant attempt.

    The fields follow the VNG standard Verwerkingenlogging: the activity from the register
    with its purpose, legal basis, confidentiality and retention; the processing
    organisation's identifier; the data categories the access module let through; and a
    correlation id shared by all records of one request.

    The user's name, organisation and role are copied in, so that the record still says who
    acted in which capacity after the account changes. The database refuses UPDATE and DELETE
    on this table (triggers in the migration), so the log is append-only below the ORM too.
    """

    class Actie(models.TextChoices):
        BEKEKEN = "bekeken", "Bekeken"
        IN_LIJST = "in_lijst", "Getoond in lijst"
        AANGEMAAKT = "aangemaakt", "Aangemaakt"
        GEWIJZIGD = "gewijzigd", "Gewijzigd"
        VERWIJDERD = "verwijderd", "Verwijderd"
        GEEXPORTEERD = "geexporteerd", "Geëxporteerd"
        AFGEDRUKT = "afgedrukt", "Afgedrukt"
        GEWEIGERD = "geweigerd", "Geweigerd"
        INZAGE = "inzage", "Inzage verstrekt"
        # Security events: no participant.
        INGELOGD = "ingelogd", "Ingelogd"
        UITGELOGD = "uitgelogd", "Uitgelogd"
        INLOGGEN_MISLUKT = "inloggen_mislukt", "Inloggen mislukt"
        VERGRENDELD = "vergrendeld", "Account vergrendeld"
        ONTGRENDELD = "ontgrendeld", "Account ontgrendeld"
        TWEESTAPS_INGESTELD = "tweestaps_ingesteld", "Tweestapsverificatie ingesteld"
        TWEESTAPS_MISLUKT = "tweestaps_mislukt", "Tweestapsverificatie mislukt"
        TWEESTAPS_HERSTELD = "tweestaps_hersteld", "Tweestapsverificatie hersteld"
        WACHTWOORD_GEWIJZIGD = "wachtwoord_gewijzigd", "Wachtwoord gewijzigd"
        SESSIE_VERLOPEN = "sessie_verlopen", "Sessie verlopen"

    tijdstip = models.DateTimeField("tijdstip", default=timezone.now, db_index=True)
    # Empty for a failed log-in under an unknown name: that name is not stored.
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruiker",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    gebruikersnaam = models.CharField("gebruikersnaam", max_length=150)
    organisatie = models.CharField("organisatie", max_length=200, blank=True)
    organisatie_identificatie = models.CharField(
        "identificatie verwerkende organisatie", max_length=20, blank=True
    )
    rol = models.CharField("rol", max_length=20, choices=Rol.choices, blank=True)
    # No database constraint: the log outlives the participant record it points to.
    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    actie = models.CharField("actie", max_length=20, choices=Actie.choices)
    # Never free text with personal data: a fixed phrase, field names, a method and a path.
    omschrijving = models.CharField("omschrijving", max_length=300, blank=True)
    activiteit = models.ForeignKey(
        Verwerkingsactiviteit,
        verbose_name="verwerkingsactiviteit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    doel = models.CharField("doel", max_length=300, blank=True)
    grondslag = models.CharField("grondslag", max_length=300, blank=True)
    vertrouwelijkheid = models.CharField(
        "vertrouwelijkheid", max_length=20, choices=Vertrouwelijkheid.choices, blank=True
    )
    bewaren_tot = models.DateField("bewaren tot", null=True, blank=True)
    categorieen = models.JSONField("getoonde categorieën", default=list, blank=True)
    betrokkenheid = models.JSONField("betrokkenheid", default=list, blank=True)
    verzoek_id = models.UUIDField("verzoek-id", null=True, blank=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "auditrecord"
        verbose_name_plural = "auditlog"
        ordering = ["-tijdstip", "-pk"]
        indexes = [
            models.Index(fields=["deelnemer", "-tijdstip"], name="audit_deelnemer_tijd"),
            models.Index(fields=["gebruiker", "-tijdstip"], name="audit_gebruiker_tijd"),
        ]

    def __str__(self):
        return f"{datum_tijd(timezone.localtime(self.tijdstip))} {self.gebruikersnaam} {self.actie}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Auditrecords kunnen niet gewijzigd worden.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Auditrecords kunnen niet verwijderd worden.")
