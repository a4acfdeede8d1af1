from datetime import timedelta

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from reintegratie.forms import DatumInput, Keuzelijst, NLDesignFormMixin, Sleutelkeuze
from reintegratie.templatetags.opmaak import datum as datumtekst

from .models import MAX_VOORKEUREN, Plaatsing, Werkplek, Werksoort


class PlaatsingForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Plaatsing
        fields = [
            "werkplek",
            "startdatum",
            "einddatum",
            "uren_per_week",
            "taken",
            "voorkeur_deelnemer",
            "proefplaatsing",
            "reden_boven_capaciteit",
        ]
        widgets = {
            "startdatum": DatumInput(),
            "einddatum": DatumInput(),
            "taken": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args, deelnemer, mag_terugdateren=False, mag_boven_capaciteit=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.instance.deelnemer = deelnemer
        self.mag_terugdateren = mag_terugdateren
        if not mag_boven_capaciteit:
            # Only a manager may place beyond the capacity; nobody else is asked for a reason.
            del self.fields["reden_boven_capaciteit"]
        self.fields["werkplek"].queryset = Werkplek.objects.actief().select_related("organisatie")
        self.fields["uren_per_week"].localize = True
        self.fields["uren_per_week"].widget = forms.TextInput(
            attrs={"inputmode": "decimal", "class": "utrecht-textbox utrecht-textbox--html-input"}
        )

    def clean_startdatum(self):
        """A placement opens the participant's hours to the host from its start: starting it
        further back than a few days is a manager's decision."""
        start = self.cleaned_data["startdatum"]
        grens = timezone.localdate() - timedelta(days=settings.PLAATSING_TERUG_DAGEN)
        if start < grens and not self.mag_terugdateren:
            raise forms.ValidationError(
                f"Een plaatsing kan hoogstens {settings.PLAATSING_TERUG_DAGEN} dagen terug "
                f"beginnen (niet voor {datumtekst(grens)}). Vraag een manager om een eerdere "
                "start vast te leggen."
            )
        return start


class Werkplekkeuze(Sleutelkeuze):
    """The active workplaces of every organisation, named with their organisation: read as
    names, written without a template per option (a region has thousands)."""

    widget = Keuzelijst

    class iterator(ModelChoiceIterator):  # the name ModelChoiceField looks for
        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            for pk, naam, organisatie in self.queryset.values_list(
                "pk", "naam", "organisatie__naam"
            ):
                yield (pk, f"{naam} ({organisatie})")


def _werkplekken():
    return Werkplek.objects.actief().order_by("naam", "organisatie__naam", "pk")


GEEN_WERKPLEK = "Kies een werkplek uit de lijst."


class VoorkeurForm(NLDesignFormMixin, forms.Form):
    """One place in the ranked choice: a workplace or a werksoort, and why."""

    werkplek = Werkplekkeuze(
        label="Werkplek",
        queryset=Werkplek.objects.none(),
        required=False,
        empty_label="Geen bepaalde werkplek",
        error_messages={"invalid_choice": GEEN_WERKPLEK},
    )
    werksoort = forms.ChoiceField(
        label="Of een werksoort",
        choices=[("", "Geen bepaalde werksoort"), *Werksoort.choices],
        required=False,
        error_messages={"invalid_choice": "Kies een werksoort uit de lijst."},
    )
    reden = forms.CharField(
        label="Waarom",
        max_length=300,
        required=False,
        help_text="In de woorden van de deelnemer.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["werkplek"].queryset = _werkplekken()

    @property
    def leeg(self) -> bool:
        g = getattr(self, "cleaned_data", {})
        return not (g.get("werkplek") or g.get("werksoort") or g.get("reden"))

    def clean(self):
        g = super().clean()
        if self.leeg:
            return g
        if not g.get("werkplek") and not g.get("werksoort") and "werkplek" not in self.errors:
            self.add_error("werkplek", "Kies een werkplek of een werksoort.")
        elif g.get("werkplek") and g.get("werksoort"):
            # One of the two is the choice; saving both would silently drop the werksoort.
            self.add_error(
                "werksoort",
                "Kies een werkplek of een werksoort, niet allebei: zet de andere op "
                "\u201cgeen\u201d, of gebruik er een eigen regel voor.",
            )
        if not g.get("reden") and "reden" not in self.errors:
            self.add_error("reden", "Schrijf op waarom de deelnemer dit kiest.")
        return g


class BaseVoorkeurenFormSet(forms.BaseFormSet):
    def clean(self):
        # The page always posts every row; fewer means a form tampered with (or cut off),
        # whose missing rows would otherwise delete preferences nobody meant to delete.
        if self.total_form_count() != MAX_VOORKEUREN:
            raise forms.ValidationError(
                "Het formulier is niet compleet aangekomen. Open de pagina opnieuw."
            )
        if any(self.errors):
            return
        gezien = set()
        for form in self.forms:
            werkplek = form.cleaned_data.get("werkplek")
            if werkplek is None:
                continue
            if werkplek.pk in gezien:
                form.add_error("werkplek", "Deze werkplek staat al hoger in de lijst.")
            gezien.add(werkplek.pk)

    def voorkeuren(self) -> list[dict]:
        """The filled rows, in order: the first is the participant's first choice."""
        return [f.cleaned_data for f in self.forms if not f.leeg]


VoorkeurenFormSet = forms.formset_factory(
    VoorkeurForm,
    formset=BaseVoorkeurenFormSet,
    extra=0,
    min_num=MAX_VOORKEUREN,
    max_num=MAX_VOORKEUREN,
    absolute_max=MAX_VOORKEUREN,
    validate_max=True,
)


class WachtlijstForm(NLDesignFormMixin, forms.Form):
    werkplek = Werkplekkeuze(
        label="Werkplek",
        queryset=Werkplek.objects.none(),
        error_messages={"invalid_choice": GEEN_WERKPLEK, "required": GEEN_WERKPLEK},
    )
    gewenste_start = forms.DateField(
        label="Gewenste startdatum", widget=DatumInput(), required=False
    )
    toelichting = forms.CharField(label="Toelichting", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["werkplek"].queryset = _werkplekken()

    def clean_gewenste_start(self):
        start = self.cleaned_data["gewenste_start"]
        if start and start < timezone.localdate():
            raise forms.ValidationError("De gewenste startdatum ligt in het verleden.")
        return start


class WerksoortForm(NLDesignFormMixin, forms.Form):
    werksoort = forms.ChoiceField(
        label="Werksoort",
        choices=[("", "Alle werksoorten"), *Werksoort.choices],
        required=False,
        error_messages={"invalid_choice": "Kies een werksoort uit de lijst."},
    )


class BezettingForm(WerksoortForm):
    van = forms.DateField(
        label="Vanaf de week van",
        widget=DatumInput(),
        required=False,
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 2 maart 2026."},
    )
    field_order = ["van", "werksoort"]

    def clean_van(self):
        van = self.cleaned_data["van"]
        # Weeks are counted from here on: a year far off has no placements and no Monday
        # twelve weeks on (9999-12-31).
        if van and not (2000 <= van.year <= 2100):
            raise forms.ValidationError("Kies een datum tussen 2000 en 2100.")
        return van


class MatchingForm(NLDesignFormMixin, forms.Form):
    start = forms.DateField(
        label="Geplande start",
        widget=DatumInput(),
        required=False,
        help_text="Leeg: vandaag.",
        error_messages={"invalid": "Vul een geldige datum in, bijvoorbeeld 2 maart 2026."},
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start and not (
            timezone.localdate() <= start <= timezone.localdate() + timedelta(days=366)
        ):
            raise forms.ValidationError("Kies een start van vandaag tot een jaar vooruit.")
        return start
