"""Tasks: what someone has to do for a participant, by when."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reintegratie.access import Categorie, ToegangQuerySet, categorie_scope, velden


class TaakQuerySet(ToegangQuerySet):
    categorie = Categorie.JOURNAAL

    def zichtbaar_voor(self, user):
        """Tasks ``user`` may read. A task from a medical journal entry is category medisch,
        as the entry it came from: its text can tell the diagnosis."""
        return (
            super()
            .zichtbaar_voor(user)
            .filter(Q(medisch=False) | categorie_scope(user, Categorie.MEDISCH, self.deelnemer_pad))
        )

    def open(self):
        return self.filter(afgerond_op__isnull=True)


class Taak(models.Model):
    """Something one person has to do for one participant, by a date."""

    class Bron(models.TextChoices):
        HAND = "hand", "Met de hand"
        JOURNAAL = "journaal", "Volgende actie in het journaal"
        OVERLEG = "overleg", "Afspraak in een overleg"
        SIGNAAL = "signaal", "Signaal"

    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="taken",
    )
    eigenaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="eigenaar",
        on_delete=models.PROTECT,
        related_name="taken",
    )
    omschrijving = models.CharField("omschrijving", max_length=200)
    vervaldatum = models.DateField("uiterlijk op")
    medisch = models.BooleanField("bevat medische informatie", default=False)
    bron = models.CharField("bron", max_length=20, choices=Bron.choices, default=Bron.HAND)
    # Makes a task from a signal or a journal entry once, however often it is derived again
    # (for example "signaal:evaluatie:<traject>"); empty for a task made by hand.
    sleutel = models.CharField("sleutel", max_length=100, blank=True)
    aangemaakt_op = models.DateTimeField("aangemaakt op", auto_now_add=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aangemaakt door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    afgerond_op = models.DateTimeField("afgerond op", null=True, blank=True)
    afgerond_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="afgerond door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = TaakQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.JOURNAAL,
            "omschrijving",
            "vervaldatum",
            "medisch",
            "bron",
            "aangemaakt_op",
            "afgerond_op",
        ),
        **velden(
            None, "id", "deelnemer", "eigenaar", "sleutel", "aangemaakt_door", "afgerond_door"
        ),
    }

    class Meta:
        verbose_name = "taak"
        verbose_name_plural = "taken"
        ordering = ["vervaldatum", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deelnemer", "sleutel"],
                condition=~Q(sleutel=""),
                name="taak_eenmaal_per_sleutel",
            )
        ]
        indexes = [
            models.Index(
                fields=["eigenaar", "vervaldatum"],
                condition=Q(afgerond_op__isnull=True),
                name="taak_open_per_eigenaar",
            ),
            # The caseload's "volgende actie": a participant's first open task.
            models.Index(
                fields=["deelnemer", "vervaldatum"],
                condition=Q(afgerond_op__isnull=True),
                name="taak_open_per_deelnemer",
            ),
        ]

    def __str__(self):
        return self.omschrijving
