from django import forms
from django.utils import timezone

from reintegratie.forms import DatumInput, NLDesignFormMixin
from werkplekken.models import Werkplek

from .models import Urenregistratie


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
