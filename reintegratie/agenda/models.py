"""Appointments with a participant: intakes, evaluations, partner meetings, group sessions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from reintegratie.access import Categorie, ToegangQuerySet, velden

EINDE_VOOR_BEGIN = "Het einde ligt voor het begin."


class AfspraakQuerySet(ToegangQuerySet):
    # An appointment is contact with the participant, as a journal entry is.
    categorie = Categorie.JOURNAAL

    def gepland(self):
        return self.filter(status=Afspraak.Status.GEPLAND)


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
        return f"{self.get_soort_display()} op {self.begin:%d-%m-%Y %H:%M}"

    def clean(self):
        super().clean()
        if self.begin and self.einde and self.einde <= self.begin:
            raise ValidationError({"einde": EINDE_VOOR_BEGIN})
