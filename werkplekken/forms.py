from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from reintegratie.forms import DatumInput, NLDesignFormMixin
from reintegratie.templatetags.opmaak import datum as datumtekst

from .models import Plaatsing, Werkplek


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
