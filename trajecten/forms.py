from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from deelnemers.models import Doelgroep
from reintegratie.accounts.models import Organisatie
from reintegratie.forms import DatumInput, Keuzelijst, NLDesignFormMixin, Sleutelkeuze
from reintegratie.templatetags.opmaak import datum as datumtekst
from werkplekken.models import Plaatsing, Werkplek

from .financiering import som_te_hoog
from .models import (
    Contractsoort,
    Instrumentinzet,
    Leerdoel,
    Observatie,
    PlanVanAanpak,
    Route,
    Trajecttype,
    Uitstroom,
    Urenregistratie,
    Voortgangsrapportage,
    Werknemersvaardigheid,
    uren_tekst,
    valideer_uren,
)
from .weekrooster import kwartieren_omlaag


class UrenForm(NLDesignFormMixin, forms.ModelForm):
    """One registration for one participant; the week grid builds on the same service."""

    class Meta:
        model = Urenregistratie
        fields = ["werkplek", "datum", "uren", "soort"]
        widgets = {"datum": DatumInput()}
        help_texts = {"uren": "Per kwartier, bijvoorbeeld 3,25 of 7,5."}

    def __init__(self, *args, deelnemer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.deelnemer = deelnemer
        # The workplaces of the placements the user reads: a host books at its own only.
        self.fields["werkplek"].queryset = Werkplek.objects.filter(
            pk__in=Plaatsing.objects.zichtbaar_voor(user)
            .filter(deelnemer=deelnemer)
            .values("werkplek")
        )
        self.fields["datum"].initial = timezone.localdate()
        self.fields["uren"].localize = True
        self.fields["uren"].widget = forms.TextInput(
            attrs={"inputmode": "decimal", "class": "utrecht-textbox utrecht-textbox--html-input"}
        )


class VerlengenForm(NLDesignFormMixin, forms.Form):
    toelichting = forms.CharField(
        label="Waarom verlengen?", widget=forms.Textarea(attrs={"rows": 3})
    )


class VolgendeFaseForm(NLDesignFormMixin, forms.Form):
    datum = forms.DateField(label="Start van de volgende fase", widget=DatumInput)
    toelichting = forms.CharField(
        label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OverdragenForm(NLDesignFormMixin, forms.Form):
    datum = forms.DateField(label="Datum van overdracht", widget=DatumInput)
    toelichting = forms.CharField(
        label="Waarom naar route participatie?", widget=forms.Textarea(attrs={"rows": 3})
    )


class AfsluitenForm(NLDesignFormMixin, forms.Form):
    datum = forms.DateField(label="Datum van afsluiten", widget=DatumInput)
    resultaat = forms.ChoiceField(
        label="Resultaat", choices=Uitstroom.Resultaat.choices, widget=forms.RadioSelect
    )
    reden = forms.ChoiceField(
        label="Reden van voortijdige beëindiging",
        choices=[("", "Niet van toepassing"), *Uitstroom.Reden.choices],
        required=False,
        help_text="Alleen bij voortijdig beëindigd.",
    )
    contract = forms.ChoiceField(
        label="Soort contract",
        choices=[("", "Niet van toepassing"), *Contractsoort.choices],
        required=False,
        help_text="Alleen bij werk: vast, tijdelijk of met loonkostensubsidie.",
    )
    toelichting = forms.CharField(
        label="Toelichting, bijvoorbeeld de verwijzing",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def werkgevers():
    """Where a participant can be under contract: employers, and every organisation with a
    workplace (a leer-werkbedrijf employs too)."""
    return Organisatie.objects.filter(
        Q(soort=Organisatie.Soort.WERKGEVER) | Q(pk__in=Werkplek.objects.values("organisatie"))
    ).order_by("naam")


class ContractForm(NLDesignFormMixin, forms.Form):
    werkgever = Sleutelkeuze(
        label="Werkgever",
        queryset=Organisatie.objects.none(),
        widget=Keuzelijst,
        error_messages={
            "required": "Kies de werkgever.",
            "invalid_choice": "Kies een werkgever uit de lijst.",
        },
    )
    soort = forms.ChoiceField(
        label="Soort contract",
        choices=Contractsoort.choices,
        widget=forms.RadioSelect,
        initial=Contractsoort.TIJDELIJK,
    )
    startdatum = forms.DateField(label="Startdatum", widget=DatumInput)
    einddatum = forms.DateField(
        label="Einddatum",
        widget=DatumInput,
        required=False,
        help_text="Verplicht bij een tijdelijk contract.",
    )
    toelichting = forms.CharField(
        label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["werkgever"].queryset = werkgevers()


class ContractBeeindigenForm(NLDesignFormMixin, forms.Form):
    einddatum = forms.DateField(
        label="Laatste dag van het contract",
        widget=DatumInput,
        error_messages={"required": "Vul de laatste dag van het contract in."},
    )
    reden = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Komt in het journaal, bij het besluit.",
        error_messages={"required": "Geef de reden: die komt in het journaal."},
    )


class NazorgForm(NLDesignFormMixin, forms.Form):
    datum = forms.DateField(label="Datum van het contact", widget=DatumInput)
    aan_het_werk = forms.TypedChoiceField(
        label="Is de deelnemer nog aan het werk?",
        choices=[("ja", "Ja, nog aan het werk"), ("nee", "Nee, niet meer aan het werk")],
        coerce=lambda waarde: waarde == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of de deelnemer nog aan het werk is."},
    )
    toelichting = forms.CharField(
        label="Toelichting, bijvoorbeeld hoe het gaat en wat er nodig is",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def _uren_uit_tekst(tekst: str):
    """Hours as a Dutch user types them: 7,5 or 7.5; empty is no hours."""
    tekst = tekst.strip().replace(",", ".")
    if not tekst:
        return None
    try:
        uren = Decimal(tekst)
    except InvalidOperation:
        raise ValidationError("Vul een getal in, bijvoorbeeld 7,5.") from None
    valideer_uren(uren)
    return uren


class WeekForm(NLDesignFormMixin, forms.Form):
    """The week grid as a form: an hours field and a kind per open cell, one reason."""

    reden = forms.CharField(
        label="Reden van wijziging",
        required=False,
        max_length=200,
        help_text="Nodig als u uren wijzigt of weghaalt die al geregistreerd waren.",
    )

    def __init__(self, *args, rooster, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooster = rooster
        for rij in rooster.rijen:
            for cel in rij.cellen:
                if not cel.open or cel.meerdere:
                    continue
                naam = self.celnaam(rij, cel)
                oud = cel.registratie
                self.fields[f"u_{naam}"] = forms.CharField(
                    required=False,
                    initial=uren_tekst(oud.uren) if oud else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
                )
                self.fields[f"s_{naam}"] = forms.ChoiceField(
                    choices=Urenregistratie.Soort.choices,
                    initial=oud.soort if oud else Urenregistratie.Soort.GEWERKT,
                    required=False,
                )

    # What a Dutch user types for hours: digits, a comma or point, perhaps a minus (refused
    # as out of range). Nothing Decimal() also reads: NaN, inf, 1e9, 1_0, other scripts'
    # digits (٣); and short, so the quarter check is exact (no rounding to 28 digits).
    UREN_TEKENS = frozenset("0123456789,.-")
    UREN_LENGTE = 8
    GEEN_GETAL = "Vul een getal in, bijvoorbeeld 7,5."

    @staticmethod
    def celnaam(rij, cel):
        return f"{rij.deelnemer.pk}_{cel.sleutel}"

    @classmethod
    def uren_uit_cel(cls, tekst):
        """The hours of one cell (None when empty), or a ValidationError in Dutch."""
        tekst = (tekst or "").strip()
        if len(tekst) > cls.UREN_LENGTE or not set(tekst) <= cls.UREN_TEKENS:
            raise ValidationError(cls.GEEN_GETAL, code="geen_getal")
        return _uren_uit_tekst(tekst)

    def clean(self):
        gegevens = super().clean()
        invoer = {}
        for rij in self.rooster.rijen:
            for cel in rij.cellen:
                naam = self.celnaam(rij, cel)
                # A cell not sent at all stays as it is; only a cell sent empty is cleared.
                if f"u_{naam}" not in self.fields or f"u_{naam}" not in self.data:
                    continue
                try:
                    uren = self.uren_uit_cel(gegevens.get(f"u_{naam}", ""))
                except ValidationError as fout:
                    self.add_error(f"u_{naam}", fout)
                    continue
                soort = gegevens.get(f"s_{naam}")
                if uren is not None and not soort:
                    self.add_error(f"u_{naam}", "Kies de soort uren.")
                    continue
                invoer[rij.deelnemer.pk, cel.datum] = (uren, soort)
        gegevens["invoer"] = invoer
        return gegevens

    def fouten_van_service(self, fouten):
        for (deelnemer_id, datum), bericht in fouten.items():
            self.add_error(f"u_{deelnemer_id}_{datum:%Y%m%d}", bericht)

    def getypte_waarden(self):
        """The values as typed (unvalidated), else as they were: to show the grid again."""
        return {naam: self.data.get(naam, self.fields[naam].initial) for naam in self.fields}

    def met_standaarddag(self, datum):
        """The typed values, with the empty open cells of ``datum`` filled with each
        participant's usual day (their hours a week over five days), worked; never more than
        the phase's budget and the trajectory's cap leave, and nothing when nothing is left
        (the save would refuse it). Returns the values and the names of those left empty."""
        waarden = self.getypte_waarden()
        leeg = []
        for rij in self.rooster.rijen:
            naam = f"{rij.deelnemer.pk}_{datum:%Y%m%d}"
            if f"u_{naam}" in self.fields and not str(waarden[f"u_{naam}"]).strip():
                ruimte = rij.ruimte_op(datum)
                uren = rij.standaard_uren if ruimte is None else min(rij.standaard_uren, ruimte)
                uren = kwartieren_omlaag(uren)  # within what is left
                if uren > 0:
                    waarden[f"u_{naam}"] = uren_tekst(uren)
                    waarden[f"s_{naam}"] = Urenregistratie.Soort.GEWERKT
                else:
                    leeg.append(rij.deelnemer.naam)
        return waarden, leeg


class ObservatieForm(NLDesignFormMixin, forms.ModelForm):
    # The version the form was opened on; empty when there was no observation yet.
    wijziging = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = Observatie
        fields = [v.value for v in Werknemersvaardigheid] + ["opmerking"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijziging"].initial = self.instance.wijziging if self.instance.pk else None

    def is_leeg(self):
        return not any(self.cleaned_data.get(naam) for naam in self.Meta.fields)


class PlanForm(NLDesignFormMixin, forms.ModelForm):
    wijziging = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PlanVanAanpak
        fields = [
            "afstand_tot_arbeidsmarkt",
            "werkplek_soort",
            "afspraken",
            "vervolgroute",
            "elearning",
        ]
        widgets = {
            "afspraken": forms.Textarea(attrs={"rows": 4}),
            "vervolgroute": forms.Textarea(attrs={"rows": 2}),
            "elearning": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijziging"].initial = self.instance.wijziging


class LeerdoelForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Leerdoel
        fields = ["soort", "omschrijving", "instrumenten", "status"]
        widgets = {"omschrijving": forms.Textarea(attrs={"rows": 2})}


# absolute_max as well: else Django accepts max_num + 1000 forms from a crafted POST.
LeerdoelFormSet = forms.inlineformset_factory(
    PlanVanAanpak,
    Leerdoel,
    form=LeerdoelForm,
    extra=2,
    can_delete=True,
    max_num=60,
    absolute_max=60,
)


class OndertekenForm(NLDesignFormMixin, forms.Form):
    datum = forms.DateField(
        label="Besproken en ondertekend door de deelnemer op", widget=DatumInput
    )


class RapportageForm(NLDesignFormMixin, forms.ModelForm):
    """The parts of a progress report the data cannot say, plus progress per learning goal.

    ``voortgang`` gives the learning goals with the status and text to start from: (leerdoel,
    status, toelichting). A saved report is edited with ``wijziging``, the number it had when
    the form was opened. The medical remark is left out for who may not see it, so their save
    leaves it as it was.
    """

    wijziging = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Voortgangsrapportage
        fields = [
            "aanleiding",
            "periode_van",
            "periode_tot",
            "bevindingen_klantmanager",
            "bevindingen_trajectbegeleider",
            "medische_toelichting",
            "advies",
            "toelichting_advies",
        ]
        widgets = {
            "periode_van": DatumInput(),
            "periode_tot": DatumInput(),
            "bevindingen_klantmanager": forms.Textarea(attrs={"rows": 4}),
            "bevindingen_trajectbegeleider": forms.Textarea(attrs={"rows": 4}),
            "medische_toelichting": forms.Textarea(attrs={"rows": 2}),
            "toelichting_advies": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, voortgang, mag_medisch, **kwargs):
        super().__init__(*args, **kwargs)
        if not mag_medisch:
            del self.fields["medische_toelichting"]
        if self.instance.pk:
            self.fields["wijziging"].initial = self.instance.wijziging
        else:
            del self.fields["wijziging"]
        self.leerdoelen = []
        for doel, status, toelichting in voortgang:
            self.leerdoelen.append(doel)
            self.fields[f"doel_{doel.pk}_status"] = forms.ChoiceField(
                label=f"{doel.get_soort_display()}: status",
                choices=Leerdoel.Status.choices,
                initial=status,
            )
            self.fields[f"doel_{doel.pk}_toelichting"] = forms.CharField(
                label=f"{doel.get_soort_display()}: voortgang",
                required=False,
                max_length=500,
                help_text=doel.omschrijving,
                initial=toelichting,
            )

    def voortgang(self):
        """(leerdoel, status, toelichting) per learning goal, from the cleaned data."""
        return [
            (
                doel,
                self.cleaned_data[f"doel_{doel.pk}_status"],
                self.cleaned_data[f"doel_{doel.pk}_toelichting"],
            )
            for doel in self.leerdoelen
        ]


MAX_JAREN = 5


def dit_jaar() -> dict:
    """A report's default period: this year up to today."""
    vandaag = timezone.localdate()
    return {"van": date(vandaag.year, 1, 1), "tot": vandaag}


class RapportFilterForm(NLDesignFormMixin, forms.Form):
    """A period and the organisation filters of the manager reports (Ferm Werk's table:
    "for any period, organisation, trajecttype, route and doelgroep")."""

    van = forms.DateField(label="Van", widget=DatumInput)
    tot = forms.DateField(label="Tot en met", widget=DatumInput)
    trajecttype = forms.ModelChoiceField(
        label="Trajecttype", queryset=Trajecttype.objects.all(), required=False, empty_label="Alle"
    )
    route = forms.ChoiceField(label="Route", choices=[("", "Alle"), *Route.choices], required=False)
    aanbieder = forms.ModelChoiceField(
        label="Aanbieder", queryset=Organisatie.objects.all(), required=False, empty_label="Alle"
    )
    verwijzer = forms.ModelChoiceField(
        label="Verwijzer", queryset=Organisatie.objects.all(), required=False, empty_label="Alle"
    )
    woongemeente = forms.ModelChoiceField(
        label="Woongemeente",
        queryset=Organisatie.objects.filter(soort=Organisatie.Soort.GEMEENTE),
        required=False,
        empty_label="Alle",
    )
    doelgroep = forms.ModelChoiceField(
        label="Doelgroep", queryset=Doelgroep.objects.all(), required=False, empty_label="Alle"
    )
    FILTERS = ("trajecttype", "route", "aanbieder", "verwijzer", "woongemeente", "doelgroep")

    def clean(self):
        gegevens = super().clean()
        van, tot = gegevens.get("van"), gegevens.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", "Het einde van de periode ligt voor het begin.")
        elif van and tot and (tot - van).days > 366 * MAX_JAREN:
            self.add_error("tot", f"Kies een periode van hoogstens {MAX_JAREN} jaar.")
        return gegevens

    @property
    def filters(self) -> dict:
        return {naam: self.cleaned_data.get(naam) for naam in self.FILTERS}

    def beschrijving(self) -> list[str]:
        """The chosen filters as lines for the head of an export."""
        routes = dict(Route.choices)
        return [
            f"{self.fields[naam].label}: {routes[waarde] if naam == 'route' else waarde}"
            for naam, waarde in self.filters.items()
            if waarde
        ]


class InstrumentForm(NLDesignFormMixin, forms.ModelForm):
    """An instrument for the trajectory; each kind asks its own fields (Instrumentinzet)."""

    class Meta:
        model = Instrumentinzet
        fields = [
            "instrument",
            "startdatum",
            "einddatum",
            "geldig_tot",
            "loonwaarde",
            "uren",
            "kosten",
            "resultaat",
            "toelichting",
        ]
        widgets = {
            "startdatum": DatumInput(),
            "einddatum": DatumInput(),
            "geldig_tot": DatumInput(),
            "toelichting": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "einddatum": "Leeg als het nog loopt.",
            "uren": "Bij jobcoaching.",
            "loonwaarde": "Bij loonkostensubsidie, 0 tot 100.",
        }

    def __init__(self, *args, traject, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.traject = traject
        self.fields["startdatum"].initial = timezone.localdate()
        for naam in ("kosten", "uren"):
            self.fields[naam].localize = True
            self.fields[naam].widget = forms.TextInput(
                attrs={
                    "inputmode": "decimal",
                    "class": "utrecht-textbox utrecht-textbox--html-input",
                }
            )


class FinancieringForm(NLDesignFormMixin, forms.Form):
    """Per cost (the trajectory's own, each instrument's) a share per financier, in one grid;
    a row adds up to at most 100%."""

    def __init__(self, *args, traject, financiers, instrumenten, huidig, **kwargs):
        super().__init__(*args, **kwargs)
        self.financiers = financiers
        self.rijen = [(None, f"Het traject ({traject.trajecttype})")] + [
            (inzet.pk, f"{inzet.get_instrument_display()} vanaf {datumtekst(inzet.startdatum)}")
            for inzet in instrumenten
        ]
        for doel, omschrijving in self.rijen:
            for financier in financiers:
                naam = self.veldnaam(doel, financier)
                self.fields[naam] = forms.DecimalField(
                    label=f"Aandeel {financier} in {omschrijving.lower()} (%)",
                    required=False,
                    min_value=0,
                    max_value=100,
                    max_digits=5,
                    decimal_places=2,
                    localize=True,
                    initial=huidig.get((doel, financier.pk)),
                )

    @staticmethod
    def veldnaam(doel, financier) -> str:
        return f"aandeel_{doel or 'traject'}_{financier.pk}"

    def raster(self):
        """The grid for the template: per row its description and its bound fields."""
        return [
            (omschrijving, [self[self.veldnaam(doel, f)] for f in self.financiers])
            for doel, omschrijving in self.rijen
        ]

    def clean(self):
        schoon = super().clean()
        self.aandelen = {}
        for doel, _ in self.rijen:
            namen = [self.veldnaam(doel, f) for f in self.financiers]
            per = {
                f.pk: schoon.get(n) or Decimal(0)
                for f, n in zip(self.financiers, namen, strict=True)
            }
            fout = som_te_hoog(sum(per.values(), Decimal(0)))
            if fout and namen and namen[0] not in self.errors:
                self.add_error(namen[0], fout)
            self.aandelen[doel] = per
        return schoon
