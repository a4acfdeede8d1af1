"""A batch print (afdrukopdracht): one PDF of many documents, made by a task worker.

Its state, progress and result live here, in the database, so any web instance shows the
progress and serves the PDF of a batch that a worker on any host made.

The PDF is a copy of documents the inzage (AVG art. 15) already lists where they live (plans,
reports), kept only until ``AFDRUKKEN_BEWAAR_UREN`` have passed (``afdrukopdrachten_opschonen``);
who downloaded it is in the processing log. So this app is not one of the inzage's APPS.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AfdrukopdrachtQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """Only the user's own batches, and only while in the organisation that asked: a
        colleague, a manager or another organisation gets a 404."""
        if not user.is_authenticated or not user.organisatie_id:
            return self.none()
        return self.filter(gebruiker=user, organisatie_id=user.organisatie_id)

    def lopend(self):
        return self.filter(status__in=(Afdrukopdracht.Status.WACHTEND, Afdrukopdracht.Status.BEZIG))

    def vastgelopen(self):
        """Busy without progress for ``AFDRUKKEN_STIL_MINUTEN``: its worker died (a restart,
        the OOM killer) and will not report back."""
        grens = timezone.now() - timedelta(minutes=settings.AFDRUKKEN_STIL_MINUTEN)
        return self.filter(status=Afdrukopdracht.Status.BEZIG, bijgewerkt_op__lt=grens)

    def verlopen(self):
        """Finished longer than ``AFDRUKKEN_BEWAAR_UREN`` ago: to be removed."""
        grens = timezone.now() - timedelta(hours=settings.AFDRUKKEN_BEWAAR_UREN)
        return self.exclude(
            status__in=(Afdrukopdracht.Status.WACHTEND, Afdrukopdracht.Status.BEZIG)
        ).filter(bijgewerkt_op__lt=grens)


class Afdrukopdracht(models.Model):
    class Soort(models.TextChoices):
        DEZE_WEEK = "deze_week", "Plannen en rapportages van deze week"
        OVERLEGPAKKET = "overlegpakket", "Vergaderstukken van een partneroverleg"

    class Status(models.TextChoices):
        WACHTEND = "wachtend", "Wacht op de verwerking"
        BEZIG = "bezig", "Bezig"
        KLAAR = "klaar", "Klaar"
        MISLUKT = "mislukt", "Mislukt"

    # Not a counter: the address of a batch tells nothing about how many there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="afdrukopdrachten"
    )
    organisatie = models.ForeignKey("accounts.Organisatie", on_delete=models.CASCADE)
    soort = models.CharField(max_length=20, choices=Soort.choices)
    # The Monday of the week printed, or the day of the meeting: with the user, the kind and
    # the subject, what "the same batch" is.
    periode = models.DateField()
    # Which one of its kind and period: the meeting (its pk) for a pack; empty for a week.
    onderwerp = models.CharField(max_length=40, blank=True, default="")
    # The ids of the plans and reports as the list showed them when the batch was asked for;
    # the worker reads them again through the user's access, as the request did.
    inhoud = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WACHTEND)
    klaar = models.PositiveIntegerField(default=0)
    totaal = models.PositiveIntegerField(default=0)
    melding = models.CharField(max_length=300, blank=True)
    pdf = models.BinaryField(null=True, editable=False)
    # Who is in the PDF, for the processing log of each download.
    deelnemers = models.ManyToManyField("deelnemers.Deelnemer", related_name="+")
    taak_id = models.CharField(max_length=64, blank=True)
    aangemaakt_op = models.DateTimeField(auto_now_add=True)
    gestart_op = models.DateTimeField(null=True)
    bijgewerkt_op = models.DateTimeField(auto_now=True)

    objects = AfdrukopdrachtQuerySet.as_manager()

    class Meta:
        verbose_name = "afdrukopdracht"
        verbose_name_plural = "afdrukopdrachten"
        constraints = [
            # One running batch per user, kind, period and subject: a second click joins
            # the first.
            models.UniqueConstraint(
                fields=["gebruiker", "soort", "periode", "onderwerp"],
                condition=Q(status__in=["wachtend", "bezig"]),
                name="afdrukopdracht_een_lopend",
            )
        ]
        indexes = [models.Index(fields=["bijgewerkt_op"], name="afdrukopdracht_bijgewerkt")]

    def __str__(self):
        return f"{self.get_soort_display()} ({self.periode:%Y-%m-%d})"

    @property
    def lopend(self) -> bool:
        return self.status in (self.Status.WACHTEND, self.Status.BEZIG)

    @property
    def procent(self) -> int:
        return round(100 * self.klaar / self.totaal) if self.totaal else 0

    @property
    def bestandsnaam(self) -> str:
        if self.soort == self.Soort.OVERLEGPAKKET:
            return f"vergaderstukken-{self.periode:%Y-%m-%d}.pdf"
        # The ISO week, as the page shows it (%W counts weeks differently and was one behind).
        jaar, week, _ = self.periode.isocalendar()
        return f"afdrukken-week-{jaar}-{week:02d}.pdf"

    @property
    def recht(self) -> str:
        """The right that asking for, following and downloading this kind takes."""
        return RECHT[self.soort]

    @property
    def verwerking(self) -> str:
        """The processing of the register that this kind serves, for the log."""
        return VERWERKING[self.soort]


RECHT = {
    Afdrukopdracht.Soort.DEZE_WEEK: "afdrukken",
    Afdrukopdracht.Soort.OVERLEGPAKKET: "overleg_zien",
}
VERWERKING = {
    Afdrukopdracht.Soort.DEZE_WEEK: "afdrukken",
    Afdrukopdracht.Soort.OVERLEGPAKKET: "partneroverleg",
}
