"""Trajectories: their configurable types and phases, the hours that drive them, and outcomes.

A Trajecttype is configuration, not code: Route Werk's "100 hours diagnose, 350 hours
leer-werk, at most one more period of 350 hours, closed at 800 hours" is a row with three
Fasetypes, set up by the functioneel beheerder. Only gewerkt and scholing hours count
toward a phase's budget (Ferm Werk counts hours, not weeks).
"""

from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Mod
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from reintegratie.access import (
    Categorie,
    ToegangQuerySet,
    deelnemer_scope,
    tel_scope,
    velden,
)
from reintegratie.periode import Periode
from reintegratie.templatetags.opmaak import bedrag as bedragtekst
from reintegratie.templatetags.opmaak import datum as datumtekst
from werkplekken.models import Werkplek

NUL_UREN = Decimal("0.00")
UREN_BEREIK_FOUT = "Vul een aantal uren in groter dan 0 en hoogstens 24."
UREN_KWARTIER_FOUT = "Uren worden per kwartier geregistreerd (bijvoorbeeld 3,25 of 7,5)."


def uren_tekst(waarde: Decimal) -> str:
    """Hours as a Dutch reader writes them: 100, 7,5, 3,25."""
    return f"{waarde:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def valideer_uren(uren: Decimal) -> None:
    """Hours on one registration: more than 0, at most 24, in quarter hours."""
    if not 0 < uren <= 24:
        raise ValidationError(UREN_BEREIK_FOUT, code="uren_bereik")
    if (uren * 4) % 1:
        raise ValidationError(UREN_KWARTIER_FOUT, code="uren_kwartier")


class AfstandTotArbeidsmarkt(models.TextChoices):
    KORT = "kort", "Kort"
    LANG = "lang", "Lang"
    NIET_ZELFSTANDIG_WML = "niet_wml", "Niet zelfstandig het WML verdienen"
    NIET_BELASTBAAR = "niet_belastbaar", "(Nog) niet belastbaar"


class Route(models.TextChoices):
    WERK = "werk", "Route werk"
    JONGEREN = "jongeren", "Route jongeren"
    PARTICIPATIE = "participatie", "Route participatie"
    INBURGERING = "inburgering", "Route inburgering"
    MEDISCH = "medisch", "Medisch advies eerst"


class Trajecttype(models.Model):
    """A kind of trajectory with its ordered phases and an optional cap on the whole."""

    naam = models.CharField("naam", max_length=100, unique=True)
    omschrijving = models.TextField("omschrijving", blank=True)
    max_uren = models.DecimalField(
        "maximum uren voor het hele traject",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Bijvoorbeeld 800 voor Route Werk. Leeg: geen urenplafond.",
    )
    max_duur_maanden = models.PositiveSmallIntegerField(
        "maximale duur in maanden", null=True, blank=True
    )
    actief = models.BooleanField("actief", default=True)
    contract_signaal_weken = models.PositiveSmallIntegerField(
        "signaal weken voor het einde van een contract",
        default=4,
        help_text="Zoveel weken voor het einde van een contract vraagt het traject om een "
        "besluit: een volgend contract, een vast contract of uitstroom.",
    )
    max_tijdelijke_contracten = models.PositiveSmallIntegerField(
        "signaal na zoveel tijdelijke contracten op rij",
        null=True,
        blank=True,
        help_text="Meer tijdelijke contracten op rij zonder vast contract is een signaal "
        "(carrousel). Leeg: geen signaal.",
    )

    class Meta:
        verbose_name = "trajecttype"
        verbose_name_plural = "trajecttypes"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uren__isnull=True) | Q(max_uren__gt=0),
                name="trajecttype_max_uren_positief",
            )
        ]

    def __str__(self):
        return self.naam

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A changed warning period holds for the running contracts too: in one statement per
        # thousand, not an update per contract.
        lopend = list(
            Contract.objects.filter(
                traject__trajecttype=self, traject__einddatum__isnull=True, einddatum__isnull=False
            ).only("pk", "einddatum")
        )
        for contract in lopend:
            contract.zet_signaal(self.contract_signaal_weken)
        Contract.objects.bulk_update(lopend, ["signaal_vanaf"], batch_size=1000)


class Fasetype(models.Model):
    """One phase of a trajecttype: an hour budget and/or a duration, and allowed extensions."""

    trajecttype = models.ForeignKey(
        Trajecttype, verbose_name="trajecttype", on_delete=models.CASCADE, related_name="fasetypes"
    )
    volgorde = models.PositiveSmallIntegerField("volgorde")
    naam = models.CharField("naam", max_length=100)
    uren_budget = models.DecimalField(
        "urenbudget", max_digits=7, decimal_places=2, null=True, blank=True
    )
    duur_maanden = models.PositiveSmallIntegerField("duur in maanden", null=True, blank=True)
    max_verlengingen = models.PositiveSmallIntegerField("maximaal aantal verlengingen", default=0)
    verlenging_uren = models.DecimalField(
        "uren per verlenging", max_digits=7, decimal_places=2, null=True, blank=True
    )
    verlenging_maanden = models.PositiveSmallIntegerField(
        "maanden per verlenging", null=True, blank=True
    )
    vereist_plan = models.BooleanField(
        "vereist een plan van aanpak",
        default=False,
        help_text="De fase kan pas beginnen als er een plan van aanpak is.",
    )

    class Meta:
        verbose_name = "fasetype"
        verbose_name_plural = "fasetypes"
        ordering = ["trajecttype", "volgorde"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajecttype", "volgorde"], name="fasetype_volgorde_uniek"
            ),
            models.CheckConstraint(
                condition=Q(uren_budget__isnull=False) | Q(duur_maanden__isnull=False),
                name="fasetype_budget_of_duur",
                violation_error_message="Geef een urenbudget, een duur of allebei.",
            ),
            models.CheckConstraint(
                condition=Q(max_verlengingen=0)
                | Q(verlenging_uren__isnull=False)
                | Q(verlenging_maanden__isnull=False),
                name="fasetype_verlenging_heeft_omvang",
                violation_error_message="Geef aan hoeveel uren of maanden een verlenging is.",
            ),
        ]

    def __str__(self):
        return f"{self.trajecttype}: {self.naam}"

    def fase_vanaf(self, start, **velden) -> "Fase":
        """A new, unsaved phase of this type beginning on ``start``: the budget and the
        planned end as the type gives them. The one place a phase starts (intake, next
        phase, demo data, test factories)."""
        return Fase(
            fasetype=self,
            startdatum=start,
            uren_budget=self.uren_budget,
            geplande_einddatum=start + relativedelta(months=self.duur_maanden)
            if self.duur_maanden
            else None,
            **velden,
        )


class Contractschakel(models.Model):
    """One link of a trajecttype's contract chain: Ferm Werk's detacheringsbaan is three
    temporary contracts of at most 7, 8 and 8 months. Configuration, like the Fasetypes."""

    trajecttype = models.ForeignKey(
        Trajecttype,
        verbose_name="trajecttype",
        on_delete=models.CASCADE,
        related_name="contractschakels",
    )
    volgorde = models.PositiveSmallIntegerField("volgorde")
    max_maanden = models.PositiveSmallIntegerField("hoogstens maanden")

    class Meta:
        verbose_name = "contract in de keten"
        verbose_name_plural = "contracten in de keten"
        ordering = ["trajecttype", "volgorde"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajecttype", "volgorde"], name="contractschakel_volgorde_uniek"
            ),
            models.CheckConstraint(
                condition=Q(max_maanden__gt=0),
                name="contractschakel_duur_positief",
                violation_error_message="Een contract duurt minstens een maand.",
            ),
        ]

    def __str__(self):
        return f"{self.trajecttype}: contract {self.volgorde}, hoogstens {self.max_maanden} maanden"


class Tarief(models.Model):
    """The price of a trajecttype, from a date on: per year or month of the trajectory's
    duration, or per productive hour, optionally for a loonwaarde band (Almere's beschut
    werk costs less above 60%). Configuration, like the Fasetypes; the cost report
    (trajecten.kosten) prices every day and hour at the tariff valid on it."""

    class Eenheid(models.TextChoices):
        JAAR = "jaar", "Per jaar"
        MAAND = "maand", "Per maand"
        UUR = "uur", "Per productief uur"

    trajecttype = models.ForeignKey(
        Trajecttype, verbose_name="trajecttype", on_delete=models.CASCADE, related_name="tarieven"
    )
    geldig_vanaf = models.DateField("geldig vanaf")
    loonwaarde_vanaf = models.PositiveSmallIntegerField(
        "vanaf loonwaarde (%)",
        default=0,
        help_text="Geldt bij deze loonwaarde en hoger, tot de volgende band. 0: elke "
        "loonwaarde, ook een onbekende.",
    )
    eenheid = models.CharField("eenheid", max_length=5, choices=Eenheid.choices)
    bedrag = models.DecimalField(
        "bedrag (euro)",
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(0, "Een tarief is niet negatief.")],
    )

    class Meta:
        verbose_name = "tarief"
        verbose_name_plural = "tarieven"
        ordering = ["trajecttype", "loonwaarde_vanaf", "geldig_vanaf"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajecttype", "loonwaarde_vanaf", "geldig_vanaf"],
                name="tarief_eenmaal_per_band_en_dag",
                violation_error_message="Voor deze loonwaarde geldt vanaf die dag al een tarief.",
            ),
            models.CheckConstraint(
                condition=Q(bedrag__gte=0),
                name="tarief_niet_negatief",
                violation_error_message="Een tarief is niet negatief.",
            ),
            models.CheckConstraint(
                condition=Q(loonwaarde_vanaf__lte=100),
                name="tarief_loonwaarde_procent",
                violation_error_message="De loonwaarde is een percentage van 0 tot 100.",
            ),
        ]

    def __str__(self):
        band = f", vanaf {self.loonwaarde_vanaf}% loonwaarde" if self.loonwaarde_vanaf else ""
        return (
            f"{self.trajecttype}: {bedragtekst(self.bedrag)} {self.get_eenheid_display().lower()}"
            f"{band}, vanaf {datumtekst(self.geldig_vanaf)}"
        )


class RouteTrajecttype(models.Model):
    """Which trajecttype a route of the beslisboom proposes, per organisation: configuration
    by the functioneel beheerder. Without a row the shipped default by name applies
    (deelnemers.beslisboom.TRAJECTTYPE_VOOR_ROUTE)."""

    organisatie = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="organisatie",
        on_delete=models.CASCADE,
        related_name="routekeuzes",
    )
    route = models.CharField("route", max_length=20, choices=Route.choices)
    trajecttype = models.ForeignKey(
        Trajecttype, verbose_name="trajecttype", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "trajecttype bij een route"
        verbose_name_plural = "trajecttypes bij de routes"
        ordering = ["organisatie__naam", "route"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisatie", "route"],
                name="route_trajecttype_uniek",
                violation_error_message="Voor deze route is al een trajecttype ingericht.",
            )
        ]

    def __str__(self):
        return f"{self.get_route_display()}: {self.trajecttype}"


class Doelstelling(models.Model):
    """A programme target on a trajecttype, with how it is measured (Arnhem, Almere).

    Share targets follow cohorts: the trajectories whose reference date (aanmelding or start)
    falls in a month, and which of them reached the goal within the term. A count target is a
    yearly taakstelling of trajectories started. The measurements are in trajecten.doelstellingen.
    """

    class Meting(models.TextChoices):
        BEGONNEN = (
            "begonnen",
            "Aandeel dat binnen de termijn na aanmelding begint (eerste gewerkte uren)",
        )
        WERKFIT = "werkfit", "Aandeel dat binnen de termijn na de start werkfit is"
        INBURGERING = (
            "inburgering",
            "Aandeel inburgeringsplichtigen dat binnen de termijn na de start aan de "
            "inburgeringsplicht voldoet",
        )
        PLAATSINGEN = "plaatsingen", "Aantal plaatsingen (gestarte trajecten) per kalenderjaar"

    trajecttype = models.ForeignKey(
        Trajecttype,
        verbose_name="trajecttype",
        on_delete=models.CASCADE,
        related_name="doelstellingen",
    )
    naam = models.CharField("naam", max_length=150)
    meting = models.CharField("meting", max_length=20, choices=Meting.choices)
    termijn_maanden = models.PositiveSmallIntegerField(
        "termijn in maanden",
        null=True,
        blank=True,
        help_text="Binnen hoeveel maanden het doel gehaald moet zijn. Leeg bij een taakstelling.",
    )
    streefwaarde = models.PositiveIntegerField(
        "streefwaarde",
        help_text="Een percentage bij een aandeel (bijvoorbeeld 80), een aantal per jaar bij "
        "een taakstelling (bijvoorbeeld 25).",
    )
    bron = models.CharField(
        "bron", max_length=200, blank=True, help_text="Waar de doelstelling vandaan komt."
    )
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)
    actief = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "doelstelling"
        verbose_name_plural = "doelstellingen"
        ordering = ["trajecttype__naam", "volgorde", "naam"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(meting="plaatsingen", termijn_maanden__isnull=True)
                    | (~Q(meting="plaatsingen") & Q(termijn_maanden__gt=0, streefwaarde__lte=100))
                ),
                name="doelstelling_termijn_bij_aandeel",
                violation_error_message="Een aandeel heeft een termijn en een streefwaarde van "
                "hoogstens 100 procent; een taakstelling per jaar heeft geen termijn.",
            ),
            models.CheckConstraint(
                condition=Q(streefwaarde__gt=0), name="doelstelling_streefwaarde_positief"
            ),
        ]

    def __str__(self):
        return f"{self.trajecttype}: {self.naam}"

    @property
    def is_aandeel(self):
        return self.meting != self.Meting.PLAATSINGEN

    def clean(self):
        super().clean()
        if self.is_aandeel and not self.termijn_maanden:
            raise ValidationError({"termijn_maanden": "Geef de termijn in maanden."})
        if self.is_aandeel and self.streefwaarde and self.streefwaarde > 100:
            raise ValidationError({"streefwaarde": "Een percentage is hoogstens 100."})
        if not self.is_aandeel and self.termijn_maanden:
            raise ValidationError(
                {"termijn_maanden": "Een taakstelling geldt per kalenderjaar; laat dit leeg."}
            )


class Signaal(models.TextChoices):
    """What needs the klantmanager's action on a running trajectory."""

    DIAGNOSE_BIJNA_OP = "diagnose_bijna_op", "Diagnose bijna op (90%)"
    EVALUATIE_NODIG = "evaluatie_nodig", "Evaluatie nodig"
    OVER_BUDGET = "over_budget", "Fase over budget"
    GEEN_UREN = "geen_uren", "Twee weken geen uren"
    BIJNA_PLAFOND = "bijna_plafond", "Bijna aan het urenplafond"
    PLAFOND_BEREIKT = "plafond_bereikt", "Urenplafond bereikt"
    FASE_VERLOPEN = "fase_verlopen", "Fase voorbij de geplande einddatum"
    CERTIFICAAT_VERLOOPT = "certificaat_verloopt", "Certificaat verloopt binnen een maand"
    CONTRACT_LOOPT_AF = "contract_loopt_af", "Contract loopt af"
    CARROUSEL = "carrousel", "Tijdelijke contracten op rij (carrousel)"


def signaal_voorwaarden(vandaag) -> dict[str, models.Expression]:
    """Each signal as a boolean expression on Traject, for annotating and for filtering.

    One definition serves both the badges on a page and the caseload filter, and runs in the
    database on the phase counters, so it costs the same at any data size.
    """
    lopend = ~Q(status=Traject.Status.AFGESLOTEN)
    huidige = Fase.objects.filter(traject=OuterRef("pk"), einddatum__isnull=True)
    met_budget = huidige.filter(uren_budget__isnull=False)
    totaal = Subquery(
        Fase.objects.filter(traject=OuterRef("pk"))
        .values("traject")
        .annotate(s=Sum("uren_gebruikt"))
        .values("s")
    )
    twee_weken = vandaag - timedelta(days=14)
    voorwaarden = {
        Signaal.DIAGNOSE_BIJNA_OP: Exists(
            met_budget.filter(
                fasetype__volgorde=1,
                uren_gebruikt__gte=F("uren_budget") * Decimal("0.9"),
                uren_gebruikt__lt=F("uren_budget"),
            )
        ),
        Signaal.EVALUATIE_NODIG: Exists(
            huidige.filter(
                Q(uren_budget__isnull=False, uren_gebruikt__gte=F("uren_budget"))
                | Q(geplande_einddatum__lte=vandaag + timedelta(days=14))
            )
        ),
        Signaal.OVER_BUDGET: Exists(met_budget.filter(uren_gebruikt__gt=F("uren_budget"))),
        Signaal.GEEN_UREN: Q(status=Traject.Status.ACTIEF, startdatum__lte=twee_weken)
        & ~Exists(
            Urenregistratie.objects.filter(deelnemer=OuterRef("deelnemer"), datum__gt=twee_weken)
        ),
        Signaal.BIJNA_PLAFOND: Q(trajecttype__max_uren__isnull=False)
        & Q(GreaterThanOrEqual(totaal, F("trajecttype__max_uren") * Decimal("0.9")))
        & ~Q(GreaterThanOrEqual(totaal, F("trajecttype__max_uren"))),
        # Time is up: no hours can be booked until someone decides.
        Signaal.FASE_VERLOPEN: Exists(huidige.filter(geplande_einddatum__lt=vandaag)),
        Signaal.CERTIFICAAT_VERLOOPT: Exists(
            Instrumentinzet.objects.filter(
                traject=OuterRef("pk"),
                geldig_tot__range=(vandaag, vandaag + timedelta(days=30)),
            )
        ),
        # At the cap no hour may be booked: the trajectory is to be closed.
        Signaal.PLAFOND_BEREIKT: Q(trajecttype__max_uren__isnull=False)
        & Q(GreaterThanOrEqual(totaal, F("trajecttype__max_uren"))),
        **_contractsignalen(vandaag),
    }
    return {
        code: ExpressionWrapper(lopend & Q(voorwaarde), output_field=models.BooleanField())
        for code, voorwaarde in voorwaarden.items()
    }


def _contractsignalen(vandaag) -> dict[str, Q]:
    """The contract chain's two signals. The last contract of the trajectory ends within the
    trajecttype's ``contract_signaal_weken`` (or has ended) and nothing follows it yet: the
    next step is to be decided. And the participant has had more temporary
    contracts in a row, over all trajectories, than the type's ``max_tijdelijke_contracten``
    without a permanent one: Almere's "carrousel"."""
    later = Contract.objects.filter(
        traject=OuterRef("traject"), startdatum__gt=OuterRef("startdatum")
    )
    loopt_af = Contract.objects.filter(traject=OuterRef("pk"), signaal_vanaf__lte=vandaag).exclude(
        Exists(later)
    )
    vast_daarna = Contract.objects.filter(
        traject__deelnemer=OuterRef("traject__deelnemer"),
        soort=Contractsoort.VAST,
        startdatum__gt=OuterRef("startdatum"),
    )
    op_rij = Subquery(
        Contract.objects.filter(
            traject__deelnemer=OuterRef("deelnemer"), soort=Contractsoort.TIJDELIJK
        )
        .exclude(Exists(vast_daarna))
        .values("traject__deelnemer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        Signaal.CONTRACT_LOOPT_AF: Exists(loopt_af),
        Signaal.CARROUSEL: Q(trajecttype__max_tijdelijke_contracten__isnull=False)
        & Q(GreaterThan(Coalesce(op_rij, 0), F("trajecttype__max_tijdelijke_contracten"))),
    }


class TrajectQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """The trajectories of the participants ``user`` sees; what of them is readable is
        category traject (or, for a workplace host, fase)."""
        return self.filter(deelnemer_scope(user, via="deelnemer__"))

    def geteld_voor(self, user, categorie=Categorie.TRAJECT):
        """The trajectories a manager's reports count (reintegratie.access.tel_scope)."""
        return self.filter(tel_scope(user, "deelnemer__", traject="", categorie=categorie))

    def lopend(self):
        return self.exclude(status=Traject.Status.AFGESLOTEN)

    def met_rapportfilters(
        self,
        *,
        trajecttype=None,
        route="",
        aanbieder=None,
        verwijzer=None,
        woongemeente=None,
        doelgroep=None,
    ):
        """The filters of the manager reports; an empty value filters nothing."""
        voorwaarden = {
            "trajecttype": trajecttype,
            "route": route,
            "aanbieder": aanbieder,
            "deelnemer__verwijzer": verwijzer,
            "deelnemer__woongemeente": woongemeente,
            # One doelgroep, so one row per trajectory: the outcomes table counts without
            # DISTINCT (trajecten.resultaten.tabel). Filtering on several would repeat rows.
            "deelnemer__doelgroepen": doelgroep,
        }
        return self.filter(**{veld: waarde for veld, waarde in voorwaarden.items() if waarde})

    def met_uren(self):
        """Annotate ``uren_gebruikt``: the productive hours of all its phases."""
        return self.annotate(uren_gebruikt=Coalesce(Sum("fasen__uren_gebruikt"), NUL_UREN))

    def met_signalen(self, vandaag=None):
        """Annotate ``signaal_<code>`` booleans, and ``signalen`` on iteration is left to
        :meth:`Traject.signalen`."""
        vandaag = vandaag or timezone.localdate()
        return self.annotate(
            **{f"signaal_{code}": expr for code, expr in signaal_voorwaarden(vandaag).items()}
        )

    def met_signaal(self, code, vandaag=None):
        return self.filter(signaal_voorwaarden(vandaag or timezone.localdate())[code])


class Traject(Periode):
    """A participant's trajectory of a given type, made of Fase instances."""

    class Status(models.TextChoices):
        AANGEMELD = "aangemeld", "Aangemeld"
        ACTIEF = "actief", "Actief"
        AFGESLOTEN = "afgesloten", "Afgesloten"

    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.PROTECT,
        related_name="trajecten",
    )
    trajecttype = models.ForeignKey(
        Trajecttype, verbose_name="trajecttype", on_delete=models.PROTECT, related_name="trajecten"
    )
    route = models.CharField("route", max_length=20, choices=Route.choices)
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.AANGEMELD
    )
    aanbieder = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="aanbieder",
        on_delete=models.PROTECT,
        related_name="aangeboden_trajecten",
        help_text="De organisatie die het traject uitvoert.",
    )
    klantmanager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="klantmanager",
        on_delete=models.PROTECT,
        related_name="trajecten_als_klantmanager",
        null=True,
        blank=True,
    )
    trajectbegeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="trajectbegeleider",
        on_delete=models.PROTECT,
        related_name="trajecten_als_begeleider",
        null=True,
        blank=True,
    )
    # The day the participant was selected for the trajectory (the intake); programme
    # targets such as Arnhem's "in a dual trajectory within 3 months" count from here.
    aanmelddatum = models.DateField("aangemeld op")
    aangemaakt_op = models.DateTimeField("aangemaakt op", auto_now_add=True)

    objects = TrajectQuerySet.as_manager()

    # The trajectory's fields are category traject; a workplace host reads its type and
    # phase (category fase) on the pages that show them.
    CATEGORIEEN = {
        **velden(
            Categorie.TRAJECT,
            "trajecttype",
            "route",
            "status",
            "aanbieder",
            "klantmanager",
            "trajectbegeleider",
            "aanmelddatum",
            "startdatum",
            "einddatum",
        ),
        **velden(None, "id", "deelnemer", "aangemaakt_op"),
    }

    class Meta:
        verbose_name = "traject"
        verbose_name_plural = "trajecten"
        ordering = ["-startdatum", "-id"]
        constraints = [
            *Periode.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status="afgesloten", einddatum__isnull=False)
                | (~Q(status="afgesloten") & Q(einddatum__isnull=True)),
                name="traject_afgesloten_heeft_einddatum",
                violation_error_message="Een afgesloten traject heeft een einddatum, "
                "een lopend traject niet.",
            ),
            models.CheckConstraint(
                condition=Q(aanmelddatum__lte=F("startdatum")),
                name="traject_start_niet_voor_aanmelding",
                violation_error_message="Een traject begint niet voor de aanmelding.",
            ),
            models.UniqueConstraint(
                fields=["deelnemer"],
                condition=~Q(status="afgesloten"),
                name="een_lopend_traject_per_deelnemer",
                violation_error_message="Deze deelnemer heeft al een lopend traject.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "startdatum"], name="traject_status_start"),
            # The visibility test of an organisation that provides (nearly) every trajectory
            # (reintegratie.access: aanbieder, tel_scope): PostgreSQL answers "is this
            # participant's trajectory ours" for all participants at once from this index
            # alone (a hashed subplan), instead of scanning every trajectory.
            # The dates as key columns, not INCLUDE, which SQLite lacks (a system check warns).
            models.Index(
                fields=["aanbieder", "deelnemer", "aanmelddatum", "einddatum"],
                name="traject_aanbieder_deelnemer",
            ),
        ]

    def __str__(self):
        return f"{self.trajecttype} voor {self.deelnemer} ({datumtekst(self.startdatum)})"

    def signalen(self):
        """The signals raised, as (code, label); needs ``met_signalen()``."""
        return [(s.value, s.label) for s in Signaal if getattr(self, f"signaal_{s.value}")]

    def huidige_fase(self):
        """The open phase (no end date); uses prefetched ``fasen`` when present."""
        return next((f for f in self.fasen.all() if f.einddatum is None), None)

    @property
    def einde_maximale_duur(self):
        """The last day within the trajecttype's maximum duration, or None."""
        maanden = self.trajecttype.max_duur_maanden
        return (
            self.startdatum + relativedelta(months=maanden) - timedelta(days=1) if maanden else None
        )

    def resterende_uren(self):
        """Hours left under the trajecttype's cap, or None when it has no cap; from the
        phases' counters (prefetched ones when present)."""
        if self.trajecttype.max_uren is None:
            return None
        return max(self.trajecttype.max_uren - self.productieve_uren(), NUL_UREN)

    def productieve_uren(self) -> Decimal:
        """The productive hours used in all phases, from their counters (prefetched ones
        when present): the one sum for the cap and for the appointment rules."""
        return sum((f.uren_gebruikt for f in self.fasen.all()), NUL_UREN)

    def ruimte(self, fase) -> Decimal | None:
        """Productive hours that still fit: what is left of ``fase``'s budget and of the
        trajectory's cap, whichever is less (None: no limit). The one home of this rule for
        the hour form, the week grid and its standard day."""
        grenzen = [g for g in (fase.resterend_budget(), self.resterende_uren()) if g is not None]
        return min(grenzen, default=None)


class FaseQuerySet(ToegangQuerySet):
    categorie = Categorie.TRAJECT
    deelnemer_pad = "traject__deelnemer__"


class Fase(Periode):
    """A phase of one trajectory, with its own dates, budget and extensions."""

    traject = models.ForeignKey(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="fasen"
    )
    fasetype = models.ForeignKey(
        Fasetype, verbose_name="fasetype", on_delete=models.PROTECT, related_name="fasen"
    )
    # Copied from the fasetype when the phase starts, raised by each extension.
    uren_budget = models.DecimalField(
        "urenbudget", max_digits=7, decimal_places=2, null=True, blank=True
    )
    geplande_einddatum = models.DateField("geplande einddatum", null=True, blank=True)
    verlengingen = models.PositiveSmallIntegerField("aantal verlengingen", default=0)
    # Productive hours booked on this phase, kept by trajecten.services in the same
    # transaction as the registration (under the trajectory's row lock), so budgets, signals
    # and lists read one column instead of summing millions of registrations.
    uren_gebruikt = models.DecimalField(
        "productieve uren", max_digits=7, decimal_places=2, default=NUL_UREN, editable=False
    )

    objects = FaseQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.FASE, "fasetype", "startdatum", "einddatum", "geplande_einddatum"),
        **velden(Categorie.TRAJECT, "uren_budget", "verlengingen", "uren_gebruikt"),
        **velden(None, "id", "traject"),
    }

    class Meta:
        verbose_name = "fase"
        verbose_name_plural = "fasen"
        ordering = ["traject", "startdatum", "fasetype__volgorde"]
        constraints = [
            *Periode.Meta.constraints,
            models.UniqueConstraint(
                fields=["traject", "fasetype"], name="fase_eenmaal_per_traject"
            ),
            models.CheckConstraint(
                condition=Q(uren_budget__isnull=True) | Q(uren_budget__gt=0),
                name="fase_budget_positief",
            ),
            models.CheckConstraint(
                condition=Q(uren_gebruikt__gte=0), name="fase_uren_niet_negatief"
            ),
        ]

    def __str__(self):
        return f"{self.fasetype.naam} ({datumtekst(self.startdatum)})"

    def waarom_geen_uren(self, datum) -> str:
        """Why no hours can be booked on this phase on ``datum`` (empty: they can): past the
        planned end of a phase measured in time, or past the trajectory's maximum duration.
        The one rule for the week grid and the single registration."""
        if self.geplande_einddatum and datum > self.geplande_einddatum:
            return (
                f"De fase {self.fasetype.naam} liep tot {datumtekst(self.geplande_einddatum)}. "
                "Verleng de fase of begin de volgende."
            )
        einde = self.traject.einde_maximale_duur
        if einde and datum > einde:
            maanden = self.traject.trajecttype.max_duur_maanden
            return (
                f"Het traject duurt hoogstens {maanden} {'maand' if maanden == 1 else 'maanden'}"
                f", tot {datumtekst(einde)}. Sluit het traject af."
            )
        return ""

    @property
    def kan_verlengen(self) -> bool:
        return self.verlengingen < self.fasetype.max_verlengingen

    def verlenging_omschrijving(self) -> str:
        """What one extension adds (``50 uur``, ``3 maanden``): the decision's page says it
        before, the journal after."""
        fasetype, delen = self.fasetype, []
        if fasetype.verlenging_uren:
            delen.append(f"{uren_tekst(fasetype.verlenging_uren)} uur")
        if fasetype.verlenging_maanden and self.geplande_einddatum:
            delen.append(f"{fasetype.verlenging_maanden} maanden")
        return " en ".join(delen)

    @property
    def meter_grenzen(self) -> tuple[Decimal, Decimal] | None:
        """Where a budget bar turns amber (75%) and red (90%): a full budget is no green."""
        if not self.uren_budget:
            return None
        return self.uren_budget * Decimal("0.75"), self.uren_budget * Decimal("0.9")

    def resterend_budget(self):
        """Hours left in this phase's budget, or None for a phase measured in time."""
        if self.uren_budget is None:
            return None
        return max(self.uren_budget - self.uren_gebruikt, NUL_UREN)


class UrenQuerySet(ToegangQuerySet):
    categorie = Categorie.UREN
    werkplek_pad = "werkplek__"

    def productief(self):
        return self.filter(soort__in=Urenregistratie.Soort.productief())


class Urenregistratie(models.Model):
    """Hours of one participant on one day at one workplace, of one kind."""

    class Soort(models.TextChoices):
        GEWERKT = "gewerkt", "Gewerkt"
        SCHOLING = "scholing", "Scholing/training"
        ZIEK = "ziek", "Ziek"
        VERLOF = "verlof", "Verlof"
        AFWEZIG_MET_BERICHT = "afwezig_met", "Afwezig met bericht"
        AFWEZIG_ZONDER_BERICHT = "afwezig_zonder", "Afwezig zonder bericht"

        @classmethod
        def productief(cls):
            """Only these count toward a phase's budget."""
            return [cls.GEWERKT, cls.SCHOLING]

    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.PROTECT,
        related_name="uren",
    )
    fase = models.ForeignKey(
        Fase, verbose_name="fase", on_delete=models.PROTECT, related_name="uren"
    )
    werkplek = models.ForeignKey(
        "werkplekken.Werkplek",
        verbose_name="werkplek",
        on_delete=models.PROTECT,
        related_name="uren",
    )
    datum = models.DateField("datum")
    uren = models.DecimalField("uren", max_digits=4, decimal_places=2, validators=[valideer_uren])
    soort = models.CharField("soort", max_length=15, choices=Soort.choices)
    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="geregistreerd door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    geregistreerd_op = models.DateTimeField("geregistreerd op", default=timezone.now)

    objects = UrenQuerySet.as_manager()

    CATEGORIEEN = {
        **velden(Categorie.UREN, "datum", "uren", "soort", "werkplek", "fase"),
        **velden(None, "id", "deelnemer", "geregistreerd_door", "geregistreerd_op"),
    }

    class Meta:
        verbose_name = "urenregistratie"
        verbose_name_plural = "urenregistraties"
        ordering = ["-datum", "deelnemer"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uren__gt=0) & Q(uren__lte=24),
                name="uren_tussen_0_en_24",
                violation_error_message=UREN_BEREIK_FOUT,
            ),
            models.CheckConstraint(
                condition=Exact(Mod(models.F("uren") * 4, 1), 0),
                name="uren_per_kwartier",
                violation_error_message=UREN_KWARTIER_FOUT,
            ),
            models.UniqueConstraint(
                fields=["deelnemer", "datum", "werkplek", "soort"],
                name="uren_eenmaal_per_dag_werkplek_soort",
                violation_error_message="Voor deze deelnemer, dag, werkplek en soort zijn al "
                "uren geregistreerd; pas die registratie aan.",
            ),
        ]
        indexes = [
            models.Index(fields=["fase", "soort"], name="uren_fase_soort"),
            models.Index(fields=["werkplek", "datum"], name="uren_werkplek_datum"),
            models.Index(fields=["deelnemer", "datum"], name="uren_deelnemer_datum"),
            # Reports by period (hours per week) scan a date range across all participants.
            models.Index(fields=["datum"], name="uren_datum"),
        ]

    def __str__(self):
        return (
            f"{self.deelnemer} {datumtekst(self.datum)}: {self.uren} uur {self.get_soort_display()}"
        )


class Contractsoort(models.TextChoices):
    TIJDELIJK = "tijdelijk", "Tijdelijk contract"
    VAST = "vast", "Vast contract"
    LOONKOSTENSUBSIDIE = "loonkostensubsidie", "Met loonkostensubsidie"


class UitstroomQuerySet(ToegangQuerySet):
    categorie = Categorie.TRAJECT
    deelnemer_pad = "traject__deelnemer__"


class Uitstroom(models.Model):
    """How a trajectory ended, in the categories of Ferm Werk's results table."""

    class Resultaat(models.TextChoices):
        WERK = "werk", "Werk/proefplaatsing"
        STUDIE = "studie", "Studie"
        PARTICIPATIE = "participatie", "Participatie/vrijwilligerswerk"
        VOORTIJDIG = "voortijdig", "Voortijdig beëindigd"
        NIET_GELEID = "niet_geleid", "Niet geleid (participatie/uitstroom)"

    class Reden(models.TextChoices):
        NIET_HAALBAAR = "niet_haalbaar", "Niet haalbaar"
        ZELF_BEEINDIGD = "zelf_beeindigd", "Zelf beëindigd"
        OVERIG = "overig", "Overig"

    traject = models.OneToOneField(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="uitstroom"
    )
    datum = models.DateField("datum")
    resultaat = models.CharField("resultaat", max_length=15, choices=Resultaat.choices)
    reden = models.CharField(
        "reden van voortijdige beëindiging", max_length=15, choices=Reden.choices, blank=True
    )
    contract = models.CharField(
        "soort contract",
        max_length=20,
        choices=Contractsoort.choices,
        blank=True,
        help_text="Bij uitstroom naar werk.",
    )
    toelichting = models.TextField("toelichting", blank=True)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = UitstroomQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.TRAJECT, "datum", "resultaat", "reden", "contract", "toelichting"),
        **velden(None, "id", "traject", "vastgelegd_door"),
    }

    class Meta:
        verbose_name = "uitstroom"
        verbose_name_plural = "uitstroom"
        constraints = [
            models.CheckConstraint(
                condition=(Q(resultaat="voortijdig") & ~Q(reden=""))
                | (~Q(resultaat="voortijdig") & Q(reden="")),
                name="uitstroom_reden_alleen_bij_voortijdig",
                violation_error_message="Geef een reden bij voortijdige beëindiging, "
                "en alleen dan.",
            ),
            # Outcomes recorded before the contract kind was asked have none; a new one
            # at werk must name it (clean), and no other outcome has one.
            models.CheckConstraint(
                condition=Q(resultaat="werk") | Q(contract=""),
                name="uitstroom_contract_alleen_bij_werk",
                violation_error_message="Een soort contract hoort alleen bij uitstroom naar werk.",
            ),
        ]

    def __str__(self):
        return f"{self.get_resultaat_display()} ({datumtekst(self.datum)})"

    def clean(self):
        super().clean()
        if self.resultaat == self.Resultaat.VOORTIJDIG and not self.reden:
            raise ValidationError({"reden": "Kies de reden van de voortijdige beëindiging."})
        if self.resultaat != self.Resultaat.VOORTIJDIG and self.reden:
            raise ValidationError({"reden": "Een reden hoort alleen bij voortijdige beëindiging."})
        if self.resultaat == self.Resultaat.WERK and not self.contract:
            raise ValidationError(
                {"contract": "Kies het soort contract: vast, tijdelijk of met loonkostensubsidie."}
            )
        if self.resultaat != self.Resultaat.WERK and self.contract:
            raise ValidationError(
                {"contract": "Een soort contract hoort alleen bij uitstroom naar werk."}
            )

    def nazorg_vanaf(self, moment: int):
        """The first day the follow-up at ``moment`` months may be recorded: a month before."""
        return self.datum + relativedelta(months=moment - 1)

    def nazorg_open(self) -> list["Nazorg.Moment"]:
        """The follow-up moments of an uitstroom to work that may be recorded now and are not
        yet (reads ``nazorg``, prefetched on the dossier)."""
        if self.resultaat != self.Resultaat.WERK:
            return []
        vandaag = timezone.localdate()
        gedaan = {nazorg.moment for nazorg in self.nazorg.all()}
        return [
            moment
            for moment in Nazorg.Moment
            if moment not in gedaan and self.nazorg_vanaf(moment) <= vandaag
        ]


class ContractQuerySet(ToegangQuerySet):
    categorie = Categorie.TRAJECT
    deelnemer_pad = "traject__deelnemer__"


class Contract(Periode):
    """A contract of employment during a trajectory, such as one link of a detacheringsbaan:
    the participant works at ``werkgever``. A temporary contract has an end; the chain's
    rules (how many, how long each) are the trajecttype's Contractschakels, checked in
    trajecten.contracten."""

    traject = models.ForeignKey(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="contracten"
    )
    werkgever = models.ForeignKey(
        "accounts.Organisatie",
        verbose_name="werkgever",
        on_delete=models.PROTECT,
        related_name="+",
    )
    soort = models.CharField("soort contract", max_length=20, choices=Contractsoort.choices)
    toelichting = models.TextField("toelichting", blank=True, max_length=2000)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    vastgelegd_op = models.DateTimeField("vastgelegd op", auto_now_add=True)
    # From this day the contract's end asks for a decision (the trajecttype's
    # contract_signaal_weken before it); stored, so the signal is a plain comparison on
    # every database. None for a contract without an end.
    signaal_vanaf = models.DateField("signaal vanaf", null=True, editable=False)

    objects = ContractQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.TRAJECT, "werkgever", "soort", "toelichting", "startdatum", "einddatum"),
        **velden(None, "id", "traject", "vastgelegd_door", "vastgelegd_op", "signaal_vanaf"),
    }

    class Meta:
        verbose_name = "contract"
        verbose_name_plural = "contracten"
        ordering = ["traject", "startdatum"]
        constraints = [
            *Periode.Meta.constraints,
            models.CheckConstraint(
                condition=Q(soort="vast") | Q(einddatum__isnull=False),
                name="contract_tijdelijk_heeft_einde",
                violation_error_message="Een tijdelijk contract heeft een einddatum.",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} bij {self.werkgever}"

    def clean(self):
        super().clean()
        if self.soort != Contractsoort.VAST and not self.einddatum:
            raise ValidationError({"einddatum": "Een tijdelijk contract heeft een einddatum."})

    def zet_signaal(self, weken: int) -> None:
        """The one place the signal day follows from the end and the trajecttype's weeks."""
        self.signaal_vanaf = self.einddatum - timedelta(weeks=weken) if self.einddatum else None


class NazorgQuerySet(ToegangQuerySet):
    categorie = Categorie.TRAJECT
    deelnemer_pad = "uitstroom__traject__deelnemer__"


class Nazorg(models.Model):
    """The follow-up after uitstroom to work: is the participant still at work after 6 and
    after 12 months? Ferm Werk keeps guiding to prevent relapse; the outcomes report counts
    the sustained outcome from these."""

    class Moment(models.IntegerChoices):
        ZES = 6, "Na 6 maanden"
        TWAALF = 12, "Na 12 maanden"

    uitstroom = models.ForeignKey(
        Uitstroom, verbose_name="uitstroom", on_delete=models.CASCADE, related_name="nazorg"
    )
    moment = models.PositiveSmallIntegerField("moment", choices=Moment.choices)
    datum = models.DateField("datum van het contact")
    aan_het_werk = models.BooleanField("nog aan het werk")
    toelichting = models.TextField("toelichting", blank=True, max_length=2000)
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = NazorgQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.TRAJECT, "moment", "datum", "aan_het_werk", "toelichting"),
        **velden(None, "id", "uitstroom", "vastgelegd_door"),
    }

    class Meta:
        verbose_name = "nazorg"
        verbose_name_plural = "nazorg"
        ordering = ["uitstroom", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["uitstroom", "moment"], name="nazorg_eenmaal_per_moment"
            )
        ]

    def __str__(self):
        stand = "nog aan het werk" if self.aan_het_werk else "niet meer aan het werk"
        return f"{self.get_moment_display()}: {stand}"


class PlanQuerySet(ToegangQuerySet):
    categorie = Categorie.PLAN
    deelnemer_pad = "traject__deelnemer__"


class PlanVanAanpak(models.Model):
    """A version of a trajectory's plan van aanpak; frozen once signed by the participant."""

    traject = models.ForeignKey(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="plannen"
    )
    versie = models.PositiveSmallIntegerField("versie")
    afstand_tot_arbeidsmarkt = models.CharField(
        "afstand tot de arbeidsmarkt", max_length=20, choices=AfstandTotArbeidsmarkt.choices
    )
    afspraken = models.TextField("afspraken", blank=True)
    vervolgroute = models.TextField("vervolgroute", blank=True)
    elearning = models.TextField("e-learningroute", blank=True)
    # What matching (werkplekken.matching) reads: the plan decides intern or extern.
    werkplek_soort = models.CharField(
        "soort werkplek",
        max_length=6,
        choices=Werkplek.Soort.choices,
        blank=True,
        help_text="Leeg: geen voorkeur.",
    )
    opgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="opgesteld door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    opgesteld_op = models.DateField("opgesteld op", default=timezone.localdate)
    ondertekend_op = models.DateField("ondertekend door de deelnemer op", null=True, blank=True)
    ondertekening_vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ondertekening vastgelegd door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Optimistic locking of the concept: a save with a stale number is refused.
    wijziging = models.PositiveIntegerField("wijziging", default=1, editable=False)

    objects = PlanQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.PLAN,
            "afstand_tot_arbeidsmarkt",
            "afspraken",
            "vervolgroute",
            "elearning",
            "werkplek_soort",
            "opgesteld_op",
            "ondertekend_op",
        ),
        **velden(
            None,
            "id",
            "traject",
            "versie",
            "opgesteld_door",
            "ondertekening_vastgelegd_door",
            "wijziging",
        ),
    }

    class Meta:
        verbose_name = "plan van aanpak"
        verbose_name_plural = "plannen van aanpak"
        ordering = ["traject", "-versie"]
        constraints = [
            models.UniqueConstraint(fields=["traject", "versie"], name="plan_versie_uniek"),
            models.CheckConstraint(
                condition=Q(ondertekend_op__isnull=True)
                | Q(ondertekend_op__gte=models.F("opgesteld_op")),
                name="plan_ondertekend_na_opstellen",
                violation_error_message="Een plan wordt ondertekend op of na de dag waarop het "
                "is opgesteld.",
            ),
        ]

    def __str__(self):
        return f"Plan van aanpak v{self.versie}"

    @property
    def is_ondertekend(self):
        return self.ondertekend_op is not None


class LeerdoelQuerySet(ToegangQuerySet):
    categorie = Categorie.LEERDOELEN
    deelnemer_pad = "plan__traject__deelnemer__"


class Leerdoel(models.Model):
    class Soort(models.TextChoices):
        WERKNEMERSVAARDIGHEDEN = "werknemersvaardigheden", "Werknemersvaardigheden"
        WERKERVARING = "werkervaring", "Werkervaring"
        STRUCTUUR = "structuur", "Structuur"
        TAAL = "taal", "Taal"
        VAKINHOUDELIJK = "vakinhoudelijk", "Vakinhoudelijk"

    class Status(models.TextChoices):
        OPEN = "open", "Nog niet gestart"
        BEZIG = "bezig", "Mee bezig"
        BEHAALD = "behaald", "Behaald"
        NIET_BEHAALD = "niet_behaald", "Niet behaald"

    plan = models.ForeignKey(
        PlanVanAanpak, verbose_name="plan", on_delete=models.CASCADE, related_name="leerdoelen"
    )
    soort = models.CharField("soort", max_length=30, choices=Soort.choices)
    omschrijving = models.TextField("omschrijving")
    instrumenten = models.CharField("instrumenten die het dienen", max_length=300, blank=True)
    status = models.CharField("status", max_length=15, choices=Status.choices, default=Status.OPEN)

    objects = LeerdoelQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.LEERDOELEN, "soort", "omschrijving", "instrumenten", "status"),
        **velden(None, "id", "plan"),
    }

    class Meta:
        verbose_name = "leerdoel"
        verbose_name_plural = "leerdoelen"
        ordering = ["plan", "id"]

    def __str__(self):
        return f"{self.get_soort_display()}: {self.omschrijving[:40]}"


class InstrumentQuerySet(ToegangQuerySet):
    categorie = Categorie.INSTRUMENTEN
    deelnemer_pad = "traject__deelnemer__"


class Instrumentinzet(Periode):
    """A training, certificate or employer instrument deployed for a trajectory."""

    class Instrument(models.TextChoices):
        TAALMETER = "taalmeter", "Taalmeter"
        TAALTRAINING = "taaltraining", "Taaltraining"
        VCA = "vca", "VCA"
        BHV = "bhv", "BHV"
        HEFTRUCK = "heftruck", "Heftruckcertificaat"
        REACHTRUCK = "reachtruck", "Reachtruckcertificaat"
        CODE95 = "code95", "Code 95"
        SOLLICITATIETRAINING = "sollicitatietraining", "Sollicitatietraining"
        ELEARNING = "elearning", "E-learningmodule"
        PROEFPLAATSING = "proefplaatsing", "Proefplaatsing"
        LOONKOSTENSUBSIDIE = "loonkostensubsidie", "Loonkostensubsidie"
        JOBCOACHING = "jobcoaching", "Jobcoaching"
        NO_RISKPOLIS = "no_riskpolis", "No-riskpolis"
        WERKERVARINGSPLAATS = "werkervaringsplaats", "Werkervaringsplaats"
        DETACHERING = "detachering", "Detachering"

    class Resultaat(models.TextChoices):
        LOPEND = "lopend", "Loopt"
        BEHAALD = "behaald", "Behaald"
        NIET_BEHAALD = "niet_behaald", "Niet behaald"
        AFGEBROKEN = "afgebroken", "Afgebroken"

    traject = models.ForeignKey(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="instrumenten"
    )
    instrument = models.CharField("instrument", max_length=25, choices=Instrument.choices)
    kosten = models.DecimalField(
        "kosten (euro)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    loonwaarde = models.PositiveSmallIntegerField(
        "loonwaarde (%)", null=True, blank=True, help_text="Bij loonkostensubsidie."
    )
    resultaat = models.CharField(
        "resultaat", max_length=15, choices=Resultaat.choices, default=Resultaat.LOPEND
    )
    toelichting = models.TextField("toelichting", blank=True, max_length=2000)
    geldig_tot = models.DateField(
        "geldig tot", null=True, blank=True, help_text="Bij een certificaat (VCA, heftruck…)."
    )
    uren = models.DecimalField(
        "uren jobcoaching", max_digits=6, decimal_places=2, null=True, blank=True
    )

    # Which kinds take which of their own fields: the form and the model check it here.
    CERTIFICATEN = frozenset({"vca", "bhv", "heftruck", "reachtruck", "code95"})
    EIGEN_VELDEN = {
        "geldig_tot": CERTIFICATEN,
        "loonwaarde": frozenset({"loonkostensubsidie"}),
        "uren": frozenset({"jobcoaching"}),
    }
    VERPLICHT = {"loonkostensubsidie": "loonwaarde", "jobcoaching": "uren"}

    objects = InstrumentQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.INSTRUMENTEN,
            "instrument",
            "resultaat",
            "toelichting",
            "geldig_tot",
            "uren",
            "startdatum",
            "einddatum",
        ),
        **velden(Categorie.FINANCIEEL, "kosten", "loonwaarde"),
        **velden(None, "id", "traject"),
    }

    class Meta:
        verbose_name = "instrumentinzet"
        verbose_name_plural = "instrumenten"
        ordering = ["traject", "-startdatum"]
        constraints = [
            *Periode.Meta.constraints,
            models.CheckConstraint(
                condition=Q(loonwaarde__isnull=True) | Q(loonwaarde__lte=100),
                name="instrument_loonwaarde_procent",
                violation_error_message="De loonwaarde is een percentage van 0 tot 100.",
            ),
            models.CheckConstraint(
                condition=Q(kosten__isnull=True) | Q(kosten__gte=0),
                name="instrument_kosten_niet_negatief",
            ),
        ]

    def clean(self):
        super().clean()
        fouten = {}
        for veld, soorten in self.EIGEN_VELDEN.items():
            if getattr(self, veld) is not None and self.instrument not in soorten:
                label = self._meta.get_field(veld).verbose_name
                fouten[veld] = (
                    f"{label.capitalize()} hoort niet bij {self.get_instrument_display()}."
                )
        verplicht = self.VERPLICHT.get(self.instrument)
        if verplicht and getattr(self, verplicht) is None:
            label = self._meta.get_field(verplicht).verbose_name
            fouten[verplicht] = f"Vul de {label} in bij {self.get_instrument_display().lower()}."
        if self.geldig_tot and self.startdatum and self.geldig_tot < self.startdatum:
            fouten["geldig_tot"] = "Een certificaat is niet geldig tot voor het behalen."
        if fouten:
            raise ValidationError(fouten)

    def __str__(self):
        return self.get_instrument_display()


class UrenPerWeek(models.Model):
    """Hours per week and kind, summed per trajectory provider, host organisation of the
    workplace and referrer: the dashboard reads weeks of hours from a few hundred rows
    instead of millions of registrations.

    Kept by trajecten.services (``weektotalen_bijtellen``) in the same transaction as the
    registrations: an upsert that adds the change, so it is never ahead of or behind them.
    ``weektotalen_opnieuw_opbouwen`` recomputes it from the registrations (demo data, checks).
    """

    week = models.DateField("week (maandag)")
    soort = models.CharField("soort", max_length=15, choices=Urenregistratie.Soort.choices)
    aanbieder = models.ForeignKey(
        "accounts.Organisatie", on_delete=models.CASCADE, related_name="+"
    )
    werkplek_organisatie = models.ForeignKey(
        "accounts.Organisatie", on_delete=models.CASCADE, related_name="+"
    )
    # Not a foreign key: 0 stands for "no referrer", because an upsert cannot match NULLs.
    verwijzer_id = models.PositiveIntegerField(default=0)
    uren = models.DecimalField("uren", max_digits=12, decimal_places=2, default=NUL_UREN)

    class Meta:
        verbose_name = "uren per week"
        verbose_name_plural = "uren per week"
        constraints = [
            models.UniqueConstraint(
                fields=["week", "soort", "aanbieder", "werkplek_organisatie", "verwijzer_id"],
                name="urenperweek_sleutel",
            )
        ]

    def __str__(self):
        return f"{datumtekst(self.week)} {self.get_soort_display()}: {self.uren} uur"


class UrenPerMaandQuerySet(ToegangQuerySet):
    categorie = Categorie.UREN
    deelnemer_pad = "traject__deelnemer__"


class UrenPerMaand(models.Model):
    """Productive hours (gewerkt, scholing) per trajectory and month: the cost report prices
    an hourly tariff from a dozen rows per trajectory instead of every registration.

    Kept by trajecten.services (``maandtotalen_bijtellen``) in the same transaction as the
    registrations, as UrenPerWeek is; ``maandtotalen_opnieuw_opbouwen`` recomputes it.
    """

    traject = models.ForeignKey(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="+"
    )
    maand = models.DateField("maand (eerste dag)")
    uren = models.DecimalField("uren", max_digits=12, decimal_places=2, default=NUL_UREN)

    objects = UrenPerMaandQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.UREN, "maand", "uren"),
        **velden(None, "id", "traject"),
    }

    class Meta:
        verbose_name = "productieve uren per maand"
        verbose_name_plural = "productieve uren per maand"
        constraints = [
            models.UniqueConstraint(fields=["traject", "maand"], name="urenpermaand_sleutel")
        ]

    def __str__(self):
        return f"{self.maand:%m-%Y}: {self.uren} uur"


class UrenMutatieQuerySet(ToegangQuerySet):
    categorie = Categorie.UREN
    werkplek_pad = "werkplek__"


class UrenMutatie(models.Model):
    """Every change to a registration: who, when, what it was, what it became, and why.

    Kept apart from the registration itself, so a deleted registration leaves its history.
    """

    class Actie(models.TextChoices):
        AANGEMAAKT = "aangemaakt", "Aangemaakt"
        GEWIJZIGD = "gewijzigd", "Gewijzigd"
        VERWIJDERD = "verwijderd", "Verwijderd"

    registratie_id = models.BigIntegerField("registratie")
    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer", verbose_name="deelnemer", on_delete=models.CASCADE, related_name="+"
    )
    werkplek = models.ForeignKey(
        "werkplekken.Werkplek", verbose_name="werkplek", on_delete=models.PROTECT, related_name="+"
    )
    datum = models.DateField("datum")
    actie = models.CharField("actie", max_length=12, choices=Actie.choices)
    oude_uren = models.DecimalField("uren voor", max_digits=4, decimal_places=2, null=True)
    oude_soort = models.CharField("soort voor", max_length=15, blank=True)
    nieuwe_uren = models.DecimalField("uren na", max_digits=4, decimal_places=2, null=True)
    nieuwe_soort = models.CharField("soort na", max_length=15, blank=True)
    reden = models.CharField("reden", max_length=200, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="door", on_delete=models.PROTECT, related_name="+"
    )
    tijdstip = models.DateTimeField("tijdstip", default=timezone.now)

    objects = UrenMutatieQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.UREN,
            "datum",
            "actie",
            "oude_uren",
            "oude_soort",
            "nieuwe_uren",
            "nieuwe_soort",
            "reden",
            "werkplek",
        ),
        **velden(None, "id", "registratie_id", "deelnemer", "door", "tijdstip"),
    }

    class Meta:
        verbose_name = "urenmutatie"
        verbose_name_plural = "urenmutaties"
        ordering = ["-tijdstip", "-id"]
        indexes = [models.Index(fields=["deelnemer", "datum"], name="urenmutatie_deelnemer")]

    def __str__(self):
        return f"{self.get_actie_display()} {datumtekst(self.datum)}"


class Werknemersvaardigheid(models.TextChoices):
    """The employee skills (werknemersvaardigheden) scored each week and in every
    evaluation, as the providers' own observation forms list them."""

    REGELMATIGE_ARBEID = "regelmatige_arbeid", "Regelmatige arbeid"
    WERKTIJDEN = "werktijden", "Werktijden, pauzes, verlof en ziekmelding"
    OMGANG = "omgang", "Omgang met collega's en leidinggevenden"
    ZELFSTANDIG = "zelfstandig", "Zelfstandig werken, tempo, flexibiliteit, werkdruk"
    AFSPRAKEN = "afspraken", "Afspraken en bedrijfsregels"


class Score(models.IntegerChoices):
    ONVOLDOENDE = 1, "1 Onvoldoende"
    MATIG = 2, "2 Matig"
    VOLDOENDE = 3, "3 Voldoende"
    GOED = 4, "4 Goed"
    ZEER_GOED = 5, "5 Zeer goed"


class ObservatieQuerySet(ToegangQuerySet):
    categorie = Categorie.OBSERVATIES
    werkplek_pad = "werkplek__"


class Observatie(models.Model):
    """The trajectbegeleider's weekly observation of one participant at one workplace."""

    deelnemer = models.ForeignKey(
        "deelnemers.Deelnemer",
        verbose_name="deelnemer",
        on_delete=models.CASCADE,
        related_name="observaties",
    )
    werkplek = models.ForeignKey(
        "werkplekken.Werkplek", verbose_name="werkplek", on_delete=models.PROTECT, related_name="+"
    )
    week = models.DateField("week (maandag)")
    regelmatige_arbeid = models.PositiveSmallIntegerField(
        Werknemersvaardigheid.REGELMATIGE_ARBEID.label, choices=Score.choices, null=True, blank=True
    )
    werktijden = models.PositiveSmallIntegerField(
        Werknemersvaardigheid.WERKTIJDEN.label, choices=Score.choices, null=True, blank=True
    )
    omgang = models.PositiveSmallIntegerField(
        Werknemersvaardigheid.OMGANG.label, choices=Score.choices, null=True, blank=True
    )
    zelfstandig = models.PositiveSmallIntegerField(
        Werknemersvaardigheid.ZELFSTANDIG.label, choices=Score.choices, null=True, blank=True
    )
    afspraken = models.PositiveSmallIntegerField(
        Werknemersvaardigheid.AFSPRAKEN.label, choices=Score.choices, null=True, blank=True
    )
    opmerking = models.CharField("opmerking", max_length=500, blank=True)
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="door", on_delete=models.PROTECT, related_name="+"
    )
    gewijzigd_op = models.DateTimeField("gewijzigd op", auto_now=True)
    # Optimistic locking: a save based on an older number is refused, never the last one wins.
    wijziging = models.PositiveIntegerField("wijziging", default=1, editable=False)

    objects = ObservatieQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.OBSERVATIES,
            *[v.value for v in Werknemersvaardigheid],
            "opmerking",
            "week",
            "werkplek",
        ),
        **velden(None, "id", "deelnemer", "door", "gewijzigd_op", "wijziging"),
    }

    class Meta:
        verbose_name = "observatie"
        verbose_name_plural = "observaties"
        ordering = ["deelnemer", "-week"]
        constraints = [
            models.UniqueConstraint(
                fields=["deelnemer", "werkplek", "week"], name="observatie_per_week"
            ),
            models.CheckConstraint(
                condition=Q(week__week_day=2), name="observatie_week_is_maandag"
            ),
        ]

    def __str__(self):
        return f"Observatie week van {datumtekst(self.week)}"

    def scores(self):
        """(skill label, score) for the skills that were scored."""
        return [
            (v.label, getattr(self, v.value))
            for v in Werknemersvaardigheid
            if getattr(self, v.value) is not None
        ]


class RapportageQuerySet(ToegangQuerySet):
    categorie = Categorie.RAPPORTAGE
    deelnemer_pad = "traject__deelnemer__"


class Voortgangsrapportage(models.Model):
    """An evaluation at the end of a phase or for a partner meeting.

    Hours, attendance and the scores come from the registrations and observations of the
    period when the report is shown or printed; the people write what data cannot say.
    """

    class Aanleiding(models.TextChoices):
        EINDE_FASE = "einde_fase", "Einde van de fase"
        PARTNEROVERLEG = "partneroverleg", "Partneroverleg"
        TUSSENTIJDS = "tussentijds", "Tussentijdse evaluatie"

    class Advies(models.TextChoices):
        VERLENGEN = "verlengen", "Verlengen"
        VOLGENDE_FASE = "volgende_fase", "Door naar de volgende fase"
        UITSTROOM = "uitstroom", "Uitstroom"
        OVERDRACHT = "overdracht", "Overdracht naar participatie"

    traject = models.ForeignKey(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="rapportages"
    )
    aanleiding = models.CharField("aanleiding", max_length=20, choices=Aanleiding.choices)
    periode_van = models.DateField("periode van")
    periode_tot = models.DateField("periode tot en met")
    bevindingen_klantmanager = models.TextField("bevindingen van de klantmanager", blank=True)
    bevindingen_trajectbegeleider = models.TextField(
        "bevindingen van de trajectbegeleider", blank=True
    )
    medische_toelichting = models.TextField(
        "medische toelichting",
        blank=True,
        help_text="Alleen in de interne versie; nooit in de rapportage aan een ketenpartner.",
    )
    advies = models.CharField("advies", max_length=20, choices=Advies.choices)
    toelichting_advies = models.TextField("toelichting op het advies", blank=True)
    opgesteld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="opgesteld door",
        on_delete=models.PROTECT,
        related_name="+",
    )
    opgesteld_op = models.DateField("opgesteld op", default=timezone.localdate)
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="laatst gewijzigd door",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    gewijzigd_op = models.DateTimeField("laatst gewijzigd op", null=True, blank=True)
    # Optimistic locking: a save with a stale number is refused.
    wijziging = models.PositiveIntegerField("wijziging", default=1, editable=False)

    objects = RapportageQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(
            Categorie.RAPPORTAGE,
            "aanleiding",
            "periode_van",
            "periode_tot",
            "bevindingen_klantmanager",
            "bevindingen_trajectbegeleider",
            "advies",
            "toelichting_advies",
            "opgesteld_op",
        ),
        "medische_toelichting": Categorie.MEDISCH,
        **velden(
            None, "id", "traject", "opgesteld_door", "gewijzigd_door", "gewijzigd_op", "wijziging"
        ),
    }

    class Meta:
        verbose_name = "voortgangsrapportage"
        verbose_name_plural = "voortgangsrapportages"
        ordering = ["traject", "-periode_tot", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(periode_tot__gte=models.F("periode_van")),
                name="rapportage_periode",
                violation_error_message="Het einde van de periode ligt voor het begin.",
            )
        ]

    def __str__(self):
        return f"Voortgangsrapportage {datumtekst(self.periode_tot)}"

    def clean(self):
        super().clean()
        if self.periode_van and self.periode_tot and self.periode_tot < self.periode_van:
            raise ValidationError({"periode_tot": "Het einde van de periode ligt voor het begin."})


class VoortgangQuerySet(ToegangQuerySet):
    categorie = Categorie.RAPPORTAGE
    deelnemer_pad = "rapportage__traject__deelnemer__"


class LeerdoelVoortgang(models.Model):
    rapportage = models.ForeignKey(
        Voortgangsrapportage, on_delete=models.CASCADE, related_name="leerdoelen"
    )
    leerdoel = models.ForeignKey(Leerdoel, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("status", max_length=15, choices=Leerdoel.Status.choices)
    toelichting = models.CharField("voortgang", max_length=500, blank=True)

    objects = VoortgangQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.RAPPORTAGE, "status", "toelichting"),
        **velden(None, "id", "rapportage", "leerdoel"),
    }

    class Meta:
        verbose_name = "voortgang op een leerdoel"
        verbose_name_plural = "voortgang op leerdoelen"
        constraints = [
            models.UniqueConstraint(fields=["rapportage", "leerdoel"], name="voortgang_per_doel")
        ]

    def __str__(self):
        return f"{self.leerdoel}: {self.get_status_display()}"


class Financier(models.Model):
    """Who pays (part of) a trajectory or an instrument: configuration in /beheer/."""

    class Soort(models.TextChoices):
        ESF = "esf", "ESF-cofinanciering"
        PARTICIPATIEBUDGET = "participatiebudget", "Participatiebudget (gemeente)"
        UWV = "uwv", "UWV"
        EIGEN_OPBRENGST = "eigen_opbrengst", "Eigen opbrengst (uit het werk)"
        OVERIG = "overig", "Overig"

    naam = models.CharField("naam", max_length=150, unique=True)
    soort = models.CharField("soort", max_length=20, choices=Soort.choices)
    actief = models.BooleanField("actief", default=True)

    class Meta:
        verbose_name = "financier"
        verbose_name_plural = "financiers"
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class FinancieringQuerySet(ToegangQuerySet):
    categorie = Categorie.FINANCIEEL
    deelnemer_pad = "traject__deelnemer__"


class Financiering(models.Model):
    """A financier's share (percentage) of a trajectory's own cost, or of one instrument's.
    The shares of one of them add up to at most 100%; what is left is not allocated."""

    traject = models.ForeignKey(
        Traject, verbose_name="traject", on_delete=models.CASCADE, related_name="financieringen"
    )
    instrument = models.ForeignKey(
        Instrumentinzet,
        verbose_name="instrument",
        on_delete=models.CASCADE,
        related_name="financieringen",
        null=True,
        blank=True,
    )
    financier = models.ForeignKey(
        Financier, verbose_name="financier", on_delete=models.PROTECT, related_name="+"
    )
    aandeel = models.DecimalField("aandeel (%)", max_digits=5, decimal_places=2)

    objects = FinancieringQuerySet.as_manager()
    CATEGORIEEN = {
        **velden(Categorie.FINANCIEEL, "financier", "aandeel"),
        **velden(None, "id", "traject", "instrument"),
    }

    class Meta:
        verbose_name = "financiering"
        verbose_name_plural = "financieringen"
        ordering = ["traject", "instrument", "financier__naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(aandeel__gt=0) & Q(aandeel__lte=100),
                name="financiering_aandeel_procent",
                violation_error_message="Een aandeel is meer dan 0% en hoogstens 100%.",
            ),
            models.UniqueConstraint(
                fields=["traject", "financier"],
                condition=Q(instrument__isnull=True),
                name="financiering_eenmaal_per_traject",
            ),
            models.UniqueConstraint(
                fields=["instrument", "financier"],
                condition=Q(instrument__isnull=False),
                name="financiering_eenmaal_per_instrument",
            ),
        ]

    def __str__(self):
        return f"{self.financier}: {self.aandeel}%"
