from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from deelnemers.models import Deelnemer
from reintegratie.access import Handeling, handeling_scope
from reintegratie.accounts.models import Gebruiker
from reintegratie.forms import DatumInput, NLDesignFormMixin
from trajecten.forms import WeekForm
from trajecten.models import uren_tekst
from werkplekken.models import Werkplek

from .models import EINDE_VOOR_BEGIN, Aanwezigheid, Groep


class TijdInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class GroepForm(NLDesignFormMixin, forms.ModelForm):
    class Meta:
        model = Groep
        fields = [
            "naam",
            "soort",
            "begeleider",
            "werkplek",
            "interval_weken",
            "weekdag",
            "begintijd",
            "eindtijd",
            "startdatum",
            "plaats",
            "telt_voor_budget",
        ]
        widgets = {"begintijd": TijdInput(), "eindtijd": TijdInput(), "startdatum": DatumInput()}
        help_texts = {
            "werkplek": "Op deze werkplek worden de uren van wie aanwezig was geboekt.",
            "interval_weken": "1 voor elke week, 3 voor eens in de drie weken.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisatie = user.organisatie
        self.fields["werkplek"].queryset = Werkplek.objects.zichtbaar_voor(user).actief()
        self.fields["begeleider"].queryset = Gebruiker.objects.filter(
            organisatie=user.organisatie, is_active=True
        )
        self.fields["begeleider"].initial = user


class LidForm(NLDesignFormMixin, forms.Form):
    deelnemer = forms.ModelChoiceField(label="Deelnemer", queryset=Deelnemer.objects.none())
    startdatum = forms.DateField(label="Lid vanaf", widget=DatumInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The user's own caseload among those they may book hours for: a short list, and
        # the matrix (uren_schrijven) decides who may be booked as present.
        self.fields["deelnemer"].queryset = (
            Deelnemer.objects.filter(handeling_scope(user, Handeling.UREN_SCHRIJVEN))
            .filter(Q(klantmanager=user) | Q(trajecten__trajectbegeleider=user))
            .distinct()
            .order_by("achternaam", "voornaam")
        )
        self.fields["startdatum"].initial = timezone.localdate()


class UitschrijvenForm(NLDesignFormMixin, forms.Form):
    einddatum = forms.DateField(label="Lid tot en met", widget=DatumInput)


class VerzettenForm(NLDesignFormMixin, forms.Form):
    datum = forms.DateField(label="Datum", widget=DatumInput)
    begintijd = forms.TimeField(label="Begintijd", widget=TijdInput)
    eindtijd = forms.TimeField(label="Eindtijd", widget=TijdInput)

    def clean(self):
        gegevens = super().clean()
        begin, einde = gegevens.get("begintijd"), gegevens.get("eindtijd")
        if begin and einde and einde <= begin:
            self.add_error("eindtijd", EINDE_VOOR_BEGIN)
        return gegevens


class AanwezigheidForm(NLDesignFormMixin, forms.Form):
    """One screen for the whole group: per member a status and, if present, the hours."""

    def __init__(self, *args, bijeenkomst, leden, bestaand, **kwargs):
        super().__init__(*args, **kwargs)
        self.bijeenkomst, self.leden = bijeenkomst, leden
        duur = uren_tekst(bijeenkomst.duur_uren)
        for deelnemer in leden:
            rij = bestaand.get(deelnemer.pk)
            self.fields[f"s_{deelnemer.pk}"] = forms.ChoiceField(
                label=f"Aanwezigheid {deelnemer.naam}",
                choices=Aanwezigheid.Status.choices,
                initial=rij.status if rij else Aanwezigheid.Status.AANWEZIG,
                widget=forms.RadioSelect,
            )
            self.fields[f"u_{deelnemer.pk}"] = forms.CharField(
                label=f"Uren {deelnemer.naam}",
                required=False,
                max_length=WeekForm.UREN_LENGTE,
                initial=uren_tekst(rij.uren) if rij and rij.uren else duur,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4}),
            )

    def rijen(self):
        return [(d, self[f"s_{d.pk}"], self[f"u_{d.pk}"]) for d in self.leden]

    def clean(self):
        gegevens = super().clean()
        regels = {}
        for deelnemer in self.leden:
            status = gegevens.get(f"s_{deelnemer.pk}")
            if not status:
                continue
            try:
                uren = WeekForm.uren_uit_cel(gegevens.get(f"u_{deelnemer.pk}", ""))
            except ValidationError as fout:
                self.add_error(f"u_{deelnemer.pk}", fout)
                continue
            regels[deelnemer] = (status, uren if status == Aanwezigheid.Status.AANWEZIG else None)
        gegevens["regels"] = regels
        return gegevens

    def fouten_van_service(self, fouten):
        for deelnemer_id, bericht in fouten.items():
            veld = f"u_{deelnemer_id}"
            if veld in self.fields:
                self.add_error(veld, bericht)
            else:
                self.add_error(None, bericht)
