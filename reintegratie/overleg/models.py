"""Partner meetings: a recurring meeting of organisations, its occurrences, the participants
on an occurrence's agenda with their minutes, and the afspraken made there."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from reintegratie.access import Categorie, ToegangQuerySet, velden

INTERVAL_FOUT = "Kies een interval van 1 tot en met 52 weken."


class OverlegQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """The meetings ``user``'s organisation takes part in. A meeting holds no participant
        data; who is discussed is on its agenda (:class:`Bespreking`)."""
        if not user.is_authenticated or not user.organisatie_id:
            return self.none()
        return self.filter(organisaties=user.organisatie_id)


class Overleg(models.Model):
    """A partner meeting that recurs every ``interval_weken`` weeks, from its first date."""

    naam = models.CharField("naam", max_length=200)
    organisator = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="organiserende organisatie",
        on_delete=models.PROTECT,
        related_name="georganiseerde_overleggen",
    )
    # Every organisation taking part, the organiser included.
    organisaties = models.ManyToManyField(
        "accounts.Organisatie", verbose_name="deelnemende organisaties", related_name="overleggen"
    )
    aanwezigen = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="aanwezigen", related_name="overleggen", blank=True
    )
    interval_weken = models.PositiveSmallIntegerField(
        "elke zoveel weken",
        validators=[
            MinValueValidator(1, INTERVAL_FOUT),
            MaxValueValidator(52, INTERVAL_FOUT),
        ],
    )
    eerste_begin = models.DateTimeField("eerste bijeenkomst")
    duur_minuten = models.PositiveSmallIntegerField(
        "duur in minuten",
        default=120,
        validators=[
            MinValueValidator(15, "Een overleg duurt minstens 15 minuten."),
            MaxValueValidator(480, "Een overleg duurt hoogstens 8 uur (480 minuten)."),
        ],
    )
    plaats = models.CharField("plaats", max_length=200, blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangemaakt door",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OverlegQuerySet.as_manager()

    class Meta:
        verbose_name = "partneroverleg"
        verbose_name_plural = "partneroverleggen"
        ordering = ["naam", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval_weken__gte=1) & Q(interval_weken__lte=52),
                name="overleg_interval_in_weken",
                violation_error_message=INTERVAL_FOUT,
            )
        ]

    def __str__(self):
        return self.naam


class BijeenkomstQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        return self.filter(overleg__in=Overleg.objects.zichtbaar_voor(user))


class Bijeenkomst(models.Model):
    """One occurrence of a meeting: planned from the recurrence (its ``volgnummer``), and
    movable to another time or place without moving the others."""

    overleg = models.ForeignKey(
        Overleg, verbose_name="overleg", on_delete=models.CASCADE, related_name="bijeenkomsten"
    )
    volgnummer = models.PositiveIntegerField("volgnummer")
    begin = models.DateTimeField("begin")
    plaats = models.CharField("plaats", max_length=200, blank=True)
    verplaatst = models.BooleanField("verplaatst", default=False)

    objects = BijeenkomstQuerySet.as_manager()

    class Meta:
        verbose_name = "bijeenkomst"
        verbose_name_plural = "bijeenkomsten"
        ordering = ["begin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["overleg", "volgnummer"], name="bijeenkomst_eenmaal_per_volgnummer"
            )
        ]

    def __str__(self):
        return f"{self.overleg} {self.begin:%d-%m-%Y}"


class BesprekingQuerySet(ToegangQuerySet):
    # Who is discussed is a name on a list; the minutes are journal (shown under mag.journaal).
    categorie = Categorie.NAAM


class Bespreking(models.Model):
    """A participant on an occurrence's agenda, with the reason in words and the minutes."""

    bijeenkomst = models.ForeignKey(
        Bijeenkomst,
        verbose_name="bijeenkomst",
        on_delete=models.CASCADE,
        related_name="besprekingen",
    )
    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="besprekingen",
    )
    volgorde = models.PositiveIntegerField("volgorde")
    # Why this participant is on the agenda: the signals of the case, in words.
    reden = models.CharField("reden", max_length=300, blank=True)
    verslag = models.TextField("verslag", blank=True)
    verslag_op = models.DateTimeField("verslag vastgelegd op", null=True, blank=True)
    verslag_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="verslag vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # The journal entry the minutes are filed as; updated when the minutes change.
    contactmoment = models.OneToOneField(
        "deelnemers.Contactmoment",
        verbose_name="journaalregel",
        on_delete=models.SET_NULL,
        related_name="bespreking",
        null=True,
        blank=True,
    )
    # Optimistic locking: minutes saved on an older number are refused and shown to merge.
    wijziging = models.PositiveIntegerField("wijziging", default=0, editable=False)

    objects = BesprekingQuerySet.as_manager()
    CATEGORIEEN = {
        "reden": Categorie.TRAJECT,
        **velden(Categorie.JOURNAAL, "verslag", "verslag_op"),
        **velden(
            None,
            "id",
            "bijeenkomst",
            "deelnemer",
            "volgorde",
            "verslag_door",
            "contactmoment",
            "wijziging",
        ),
    }

    class Meta:
        verbose_name = "bespreking in een partneroverleg"
        verbose_name_plural = "besprekingen in een partneroverleg"
        ordering = ["bijeenkomst", "volgorde", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bijeenkomst", "deelnemer"], name="bespreking_eenmaal_per_bijeenkomst"
            )
        ]

    def __str__(self):
        return f"Bespreking in {self.bijeenkomst}"


class OverlegafspraakQuerySet(ToegangQuerySet):
    categorie = Categorie.JOURNAAL
    deelnemer_pad = "bespreking__deelnemer__"


class Overlegafspraak(models.Model):
    """What was agreed for a participant in a meeting: who does what by when. Each one is a
    task of its owner (``taak``)."""

    bespreking = models.ForeignKey(
        Bespreking, verbose_name="bespreking", on_delete=models.CASCADE, related_name="afspraken"
    )
    omschrijving = models.CharField("afspraak", max_length=200)
    eigenaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="wie",
        on_delete=models.PROTECT,
        related_name="+",
    )
    vervaldatum = models.DateField("uiterlijk op")
    taak = models.OneToOneField(
        "taken.Taak",
        verbose_name="taak",
        on_delete=models.SET_NULL,
        related_name="overlegafspraak",
        null=True,
        blank=True,
    )

    objects = OverlegafspraakQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.JOURNAAL, "omschrijving", "vervaldatum"),
        **velden(None, "id", "bespreking", "eigenaar", "taak"),
    }

    class Meta:
        verbose_name = "afspraak uit een partneroverleg"
        verbose_name_plural = "afspraken uit een partneroverleg"
        ordering = ["bespreking", "vervaldatum", "id"]

    def __str__(self):
        return self.omschrijving
