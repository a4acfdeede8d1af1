"""A period with a start and an optional end, shared by trajecten, fasen and plaatsingen."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

EINDE_VOOR_START = "De einddatum ligt voor de startdatum."


class Periode(models.Model):
    startdatum = models.DateField("startdatum")
    einddatum = models.DateField("einddatum", null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            # The database's own guard; clean() gives the same message at the field.
            models.CheckConstraint(
                condition=Q(einddatum__isnull=True) | Q(einddatum__gte=models.F("startdatum")),
                name="%(app_label)s_%(class)s_einde_niet_voor_start",
                violation_error_message=EINDE_VOOR_START,
            )
        ]

    def clean(self):
        super().clean()
        if self.startdatum and self.einddatum and self.einddatum < self.startdatum:
            raise ValidationError({"einddatum": EINDE_VOOR_START})

    def loopt_op(self, datum) -> bool:
        return self.startdatum <= datum and (self.einddatum is None or self.einddatum >= datum)
