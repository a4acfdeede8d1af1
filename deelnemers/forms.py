from django import forms

from reintegratie.accounts.models import Organisatie
from reintegratie.forms import DatumInput, NLDesignFormMixin

from .models import Deelnemer


class DeelnemerForm(NLDesignFormMixin, forms.ModelForm):
    """Personal data of a participant. ``versie`` guards against two people editing at once."""

    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Deelnemer
        fields = [
            "bsn",
            "voornaam",
            "tussenvoegsel",
            "achternaam",
            "geboortedatum",
            "email",
            "telefoon",
            "straat",
            "huisnummer",
            "postcode",
            "woonplaats",
            "woongemeente",
            "verwijzer",
            "doelgroepen",
            "taalniveau",
            "taalachtergrond",
        ]
        widgets = {
            "geboortedatum": DatumInput(),
            "doelgroepen": forms.CheckboxSelectMultiple,
        }
        help_texts = {"postcode": "Bijvoorbeeld 7607 AB.", "bsn": "9 cijfers."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["woongemeente"].queryset = Organisatie.objects.filter(
            soort=Organisatie.Soort.GEMEENTE
        )
        self.fields["bsn"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["postcode"].widget.attrs.update({"autocomplete": "postal-code"})
        if self.instance.pk:
            self.fields["versie"].initial = self.instance.versie
