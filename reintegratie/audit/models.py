"""The append-only audit log of who looked at or changed which participant's data."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from reintegratie.templatetags.opmaak import datum_tijd


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit record."""


class AuditRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Auditrecords kunnen niet gewijzigd worden.")

    def delete(self):
        raise AppendOnlyError("Auditrecords kunnen niet verwijderd worden.")


class AuditRecord(models.Model):
    """One access to a participant's data.

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

    tijdstip = models.DateTimeField("tijdstip", default=timezone.now, db_index=True)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruiker",
        on_delete=models.PROTECT,
        related_name="+",
    )
    gebruikersnaam = models.CharField("gebruikersnaam", max_length=150)
    organisatie = models.CharField("organisatie", max_length=200, blank=True)
    rol = models.CharField("rol", max_length=20, blank=True)
    # No database constraint: the log outlives the participant record it points to.
    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actie = models.CharField("actie", max_length=20, choices=Actie.choices)
    omschrijving = models.CharField("omschrijving", max_length=300, blank=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "auditrecord"
        verbose_name_plural = "auditlog"
        ordering = ["-tijdstip"]
        indexes = [models.Index(fields=["deelnemer", "-tijdstip"], name="audit_deelnemer_tijd")]

    def __str__(self):
        return f"{datum_tijd(timezone.localtime(self.tijdstip))} {self.gebruikersnaam} {self.actie}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Auditrecords kunnen niet gewijzigd worden.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Auditrecords kunnen niet verwijderd worden.")
