"""The forms of the partner meeting: plan, move, and the minutes with their afspraken."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from deelnemers.forms import Medewerkerkeuze, MedewerkersZoekenMixin, sleutels
from reintegratie.accounts.models import Gebruiker, Organisatie, Rol
from reintegratie.forms import DatumInput, NLDesignFormMixin, Sleutelkeuzes

from .models import INTERVAL_FOUT


class TijdInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


# Meetings are planned for the coming year, and recorded back to a year ago.
BINNEN_EEN_JAAR = "Kies een datum binnen een jaar van vandaag."
# An afspraak is due within two years.
BINNEN_TWEE_JAAR = "Kies een datum tussen vandaag en over twee jaar."


class MomentMixin:
    """A date and a time of day, together an aware ``begin``."""

    def _begin(self):
        dag, tijd = self.cleaned_data.get("datum"), self.cleaned_data.get("tijd")
        if dag and abs(dag - timezone.localdate()) > timedelta(days=366):
            self.add_error("datum", BINNEN_EEN_JAAR)
        elif dag and tijd:
            self.cleaned_data["begin"] = timezone.make_aware(datetime.combine(dag, tijd))


class OverlegWijzigenForm(MedewerkersZoekenMixin, NLDesignFormMixin, forms.Form):
    """Who sits at the table, and the meeting's name, duration and place."""

    naam = forms.CharField(label="Naam", max_length=200)
    organisaties = Sleutelkeuzes(
        label="Deelnemende organisaties",
        queryset=Organisatie.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="De partners naast uw eigen organisatie.",
        error_messages={"required": "Kies minstens één andere organisatie dan de uwe."},
    )
    aanwezigen = Medewerkerkeuze(
        label="Aanwezigen",
        zoek_url="overleg:aanwezigen",
        ook_meesturen=("organisaties",),
        queryset=Gebruiker.objects.none(),
        required=False,
        help_text="Mensen van de deelnemende organisaties, uw eigen organisatie ook. Zoek op "
        "naam of organisatie en vink aan wie aanschuift.",
    )
    duur_minuten = forms.IntegerField(
        label="Duur in minuten",
        initial=120,
        min_value=15,
        max_value=480,
        error_messages={
            "min_value": "Een overleg duurt minstens 15 minuten.",
            "max_value": "Een overleg duurt hoogstens 8 uur (480 minuten).",
        },
    )
    plaats = forms.CharField(label="Plaats", max_length=200, required=False)

    def __init__(self, *args, organisator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisaties"].queryset = Organisatie.objects.exclude(
            pk=organisator.pk
        ).order_by("naam")
        self.fields["aanwezigen"].queryset = (
            Gebruiker.objects.filter(is_active=True, organisatie__isnull=False)
            .filter(
                rol__in=[Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER, Rol.KETENPARTNER]
            )
            .order_by("organisatie__naam", "last_name", "first_name", "pk")
        )
        partners = sleutels(self["organisaties"].value())
        self.fields["aanwezigen"].toon(
            self, "aanwezigen", organisaties=[*partners, organisator.pk] if partners else None
        )


class OverlegForm(MomentMixin, OverlegWijzigenForm):
    """A new meeting: the table, and when it first meets and how often it comes back."""

    interval_weken = forms.IntegerField(
        label="Elke zoveel weken",
        min_value=1,
        max_value=52,
        error_messages={"min_value": INTERVAL_FOUT, "max_value": INTERVAL_FOUT},
    )
    datum = forms.DateField(label="Eerste bijeenkomst: datum", widget=DatumInput())
    tijd = forms.TimeField(label="Eerste bijeenkomst: tijd", widget=TijdInput())

    field_order = [
        "naam",
        "organisaties",
        "aanwezigen",
        "interval_weken",
        "datum",
        "tijd",
        "duur_minuten",
        "plaats",
    ]

    def clean(self):
        super().clean()
        self._begin()
        return self.cleaned_data


class VerplaatsForm(NLDesignFormMixin, MomentMixin, forms.Form):
    datum = forms.DateField(label="Datum", widget=DatumInput())
    tijd = forms.TimeField(label="Tijd", widget=TijdInput())
    plaats = forms.CharField(label="Plaats", max_length=200, required=False)

    def clean(self):
        super().clean()
        self._begin()
        return self.cleaned_data


class ToevoegenForm(NLDesignFormMixin, forms.Form):
    deelnemer = forms.TypedChoiceField(label="Deelnemer toevoegen", coerce=int, choices=())

    def __init__(self, *args, keuzes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deelnemer"].choices = [("", "Kies een deelnemer"), *keuzes]


class VerslagForm(NLDesignFormMixin, forms.Form):
    verslag = forms.CharField(label="Verslag", widget=forms.Textarea(attrs={"rows": 6}))
    wijziging = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**9)


class AfspraakForm(NLDesignFormMixin, forms.Form):
    omschrijving = forms.CharField(label="Afspraak", max_length=200, required=False)
    eigenaar = forms.TypedChoiceField(label="Wie", coerce=int, choices=(), required=False)
    vervaldatum = forms.DateField(label="Uiterlijk op", widget=DatumInput(), required=False)

    def __init__(self, *args, eigenaren, **kwargs):
        super().__init__(*args, **kwargs)
        self.eigenaren = {g.pk: g for g in eigenaren}
        self.fields["eigenaar"].choices = [
            ("", "Kies wie"),
            *[(g.pk, f"{g.get_full_name() or g.username} ({g.organisatie})") for g in eigenaren],
        ]

    def clean(self):
        """An empty row is no afspraak; a row begun needs all three."""
        data = super().clean()
        if not any(data.get(v) for v in ("omschrijving", "eigenaar", "vervaldatum")):
            return data
        berichten = {
            "omschrijving": "Wat is er afgesproken?",
            "eigenaar": "Wie doet het?",
            "vervaldatum": "Wanneer uiterlijk?",
        }
        for veld, bericht in berichten.items():
            if not data.get(veld) and veld not in self.errors:
                self.add_error(veld, bericht)
        vandaag = timezone.localdate()
        datum = data.get("vervaldatum")
        if datum and not vandaag <= datum <= vandaag + timedelta(days=731):
            self.add_error("vervaldatum", BINNEN_TWEE_JAAR)
        if data.get("eigenaar"):
            data["eigenaar"] = self.eigenaren[data["eigenaar"]]
        return data


AfspraakFormSet = forms.formset_factory(AfspraakForm, extra=2, max_num=10, absolute_max=10)
