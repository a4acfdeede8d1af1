"""The forms of tasks: by hand from the dossier, changing owner or date, handing over a
caseload. Who may own a task is checked by the services (the owner must open the file); the
forms only offer colleagues and check the input."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from reintegratie.accounts.models import Gebruiker, Rol
from reintegratie.forms import (
    DatumInput,
    Keuzelijst,
    NLDesignFormMixin,
    Sleutelkeuze,
    Sleutelkeuzes,
)

from . import services
from .models import Taak


def collegas(user, rollen=(Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER)):
    """The active colleagues of ``user``'s organisation who could own a task."""
    return Gebruiker.objects.filter(
        organisatie_id=user.organisatie_id, is_active=True, rol__in=rollen
    ).order_by("first_name", "last_name", "username")


class Collega(Sleutelkeuze):
    """A colleague, named by full name."""

    # A whole organisation's staff: written without a template per option, read without a
    # model instance per person.
    widget = Keuzelijst

    class iterator(ModelChoiceIterator):  # the name ModelChoiceField looks for
        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            for pk, voornaam, achternaam, gebruikersnaam in self.queryset.values_list(
                "pk", "first_name", "last_name", "username"
            ):
                # As Gebruiker.get_full_name, then the user name, as label_from_instance.
                yield (pk, f"{voornaam} {achternaam}".strip() or gebruikersnaam)

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _vervaldatum(waarde):
    try:
        services.controleer_vervaldatum(waarde)
    except forms.ValidationError as fout:
        raise forms.ValidationError(fout.message_dict["vervaldatum"]) from None
    return waarde


class TaakForm(NLDesignFormMixin, forms.ModelForm):
    """A task by hand, for the user or a colleague."""

    eigenaar = Collega(label="Voor", queryset=Gebruiker.objects.none())

    class Meta:
        model = Taak
        fields = ["omschrijving", "vervaldatum", "eigenaar"]
        widgets = {"vervaldatum": DatumInput()}

    def __init__(self, *args, gebruiker, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("eigenaar", gebruiker.pk)
        kwargs["initial"].setdefault("vervaldatum", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["eigenaar"].queryset = collegas(gebruiker)

    def clean_vervaldatum(self):
        return _vervaldatum(self.cleaned_data["vervaldatum"])


class TaakWijzigenForm(NLDesignFormMixin, forms.Form):
    """Another owner or date for an open task."""

    eigenaar = Collega(label="Voor", queryset=Gebruiker.objects.none())
    vervaldatum = forms.DateField(label="Uiterlijk op", widget=DatumInput)

    def __init__(self, *args, gebruiker, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eigenaar"].queryset = collegas(gebruiker)


class OverdrachtForm(NLDesignFormMixin, forms.Form):
    """Hand the caseload, or the chosen participants of it, to a colleague klantmanager."""

    naar = Collega(label="Aan klantmanager", queryset=Gebruiker.objects.none())
    alles = forms.BooleanField(label="De hele caseload overdragen", required=False)
    deelnemers = Sleutelkeuzes(
        label="Deelnemers",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, gebruiker, caseload, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naar"].queryset = collegas(gebruiker, rollen=(Rol.KLANTMANAGER,)).exclude(
            pk=gebruiker.pk
        )
        self.fields["deelnemers"].queryset = caseload
        self.fields["deelnemers"].label_from_instance = lambda d: d.naam

    def clean(self):
        gegevens = super().clean()
        if not gegevens.get("alles") and not gegevens.get("deelnemers"):
            self.add_error("deelnemers", "Kies een of meer deelnemers, of de hele caseload.")
        return gegevens
