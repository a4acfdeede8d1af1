from django import forms

from reintegratie.forms import DatumInput, NLDesignFormMixin

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
        ]
        widgets = {
            "startdatum": DatumInput(),
            "einddatum": DatumInput(),
            "taken": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, deelnemer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.deelnemer = deelnemer
        self.fields["werkplek"].queryset = Werkplek.objects.actief().select_related("organisatie")
        self.fields["uren_per_week"].localize = True
        self.fields["uren_per_week"].widget = forms.TextInput(
            attrs={"inputmode": "decimal", "class": "utrecht-textbox utrecht-textbox--html-input"}
        )
