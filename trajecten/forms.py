from django import forms
from django.utils import timezone

from reintegratie.forms import DatumInput, NLDesignFormMixin
from werkplekken.models import Werkplek

from .models import Uitstroom, Urenregistratie


class UrenForm(NLDesignFormMixin, forms.ModelForm):
    """One registration for one participant; the week grid builds on the same service."""

    class Meta:
        model = Urenregistratie
        fields = ["werkplek", "datum", "uren", "soort"]
        widgets = {"datum": DatumInput()}
        help_texts = {"uren": "Per kwartier, bijvoorbeeld 3,25 of 7,5."}

    def __init__(self, *args, deelnemer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.deelnemer = deelnemer
        self.fields["werkplek"].queryset = Werkplek.objects.filter(
            plaatsingen__deelnemer=deelnemer
        ).distinct()
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
    toelichting = forms.CharField(
        label="Toelichting, bijvoorbeeld de verwijzing",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
