"""The forms of the agenda: an appointment, the week to show, the feed's setting."""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Q
from django.utils import timezone

from deelnemers.forms import Medewerkerkeuze, MedewerkersZoekenMixin
from deelnemers.models import Deelnemer
from reintegratie.access import Handeling, handeling_scope
from reintegratie.forms import DatumInput, Keuzelijst, NLDesignFormMixin

from . import selectors
from .models import EINDE_VOOR_BEGIN, Afspraak
from .services import GEPLAND_IN_HET_VERLEDEN

ONZICHTBARE_DEELNEMER = "Kies een deelnemer voor wie u afspraken mag plannen."
PLAATS_OF_LINK = "Geef een plaats of een videolink."
# The participants offered in the week view's form: the user's own, at most this many.
KEUZE_HOOGSTENS = 500


def getal(tekst) -> int | None:
    """A key from a parameter: plain digits that fit a database integer, else None."""
    tekst = str(tekst or "")
    if tekst.isascii() and tekst.isdigit() and len(tekst) <= 18:
        return int(tekst)
    return None


# Appointments are planned at most this far ahead; a week is shown from 2000 on. Outside
# these the date arithmetic overflows at the ends of the calendar, and no one means them.
VOORUIT = relativedelta(years=2)
EERSTE_DAG = date(2000, 1, 1)
BUITEN_BEREIK = "Kies een datum tussen 2000 en twee jaar vooruit."


def _binnen_bereik(dag):
    if dag and not EERSTE_DAG <= dag <= timezone.localdate() + VOORUIT:
        raise forms.ValidationError(BUITEN_BEREIK)
    return dag


class Deelnemerkeuze(forms.ModelChoiceField):
    """A key that is no sane whole number is refused before the database sees it (SQLite
    cannot compare an integer of 50 digits)."""

    def to_python(self, value):
        if value not in self.empty_values and getal(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class TijdInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _medewerkers(user):
    """The staff of an appointment: the user's team, found by name (a large organisation has
    two thousand)."""
    return Medewerkerkeuze(
        label="Medewerkers",
        queryset=selectors.team(user),
        zoek_url="agenda:medewerkers",
        met_organisatie=False,
        widget=forms.CheckboxSelectMultiple(
            attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}
        ),
        error_messages={
            "invalid_choice": "Kies medewerkers van uw eigen organisatie.",
            "invalid_pk_value": "Kies medewerkers van uw eigen organisatie.",
            "required": "Kies ten minste één medewerker.",
        },
    )


class MedewerkersForm(MedewerkersZoekenMixin, forms.Form):
    """Only the staff field, for its search over htmx."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medewerkers"] = _medewerkers(user)
        self.fields["medewerkers"].toon(self, "medewerkers")


class AfspraakForm(MedewerkersZoekenMixin, NLDesignFormMixin, forms.Form):
    deelnemer = Deelnemerkeuze(
        label="Deelnemer",
        queryset=Deelnemer.objects.none(),
        error_messages={"invalid_choice": ONZICHTBARE_DEELNEMER},
    )
    soort = forms.ChoiceField(label="Soort afspraak", choices=Afspraak.Soort.choices)
    datum = forms.DateField(label="Datum", widget=DatumInput)
    begintijd = forms.TimeField(label="Begin", widget=TijdInput)
    eindtijd = forms.TimeField(label="Einde", widget=TijdInput)
    plaats = forms.CharField(label="Plaats", max_length=200, required=False)
    videolink = forms.URLField(label="Videolink", max_length=200, required=False)
    # medewerkers: the user's team, added in __init__.

    def __init__(self, *args, user, deelnemer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["medewerkers"] = _medewerkers(user)
        self.fields["medewerkers"].toon(self, "medewerkers")
        if deelnemer is not None:
            del self.fields["deelnemer"]
            return
        veld = self.fields["deelnemer"]
        veld.queryset = Deelnemer.objects.filter(
            handeling_scope(user, Handeling.JOURNAAL_SCHRIJVEN)
        )
        eigen = (
            veld.queryset.filter(
                Q(klantmanager=user)
                | Q(trajecten__trajectbegeleider=user, trajecten__einddatum__isnull=True)
            )
            .distinct()
            .order_by("achternaam", "voornaam", "pk")[:KEUZE_HOOGSTENS]
        )
        gekozen = getal(self.initial.get("deelnemer") or self.data.get("deelnemer"))
        keuzes = {d.pk: d for d in eigen}
        if gekozen and gekozen not in keuzes:
            keuzes.update({d.pk: d for d in veld.queryset.filter(pk=gekozen)})
        veld.choices = [("", "Kies een deelnemer")] + [(pk, d.naam) for pk, d in keuzes.items()]

    def clean_datum(self):
        return _binnen_bereik(self.cleaned_data["datum"])

    def clean(self):
        gegevens = super().clean()
        datum, van, tot = (gegevens.get(n) for n in ("datum", "begintijd", "eindtijd"))
        if datum and van and tot:
            gegevens["begin"] = timezone.make_aware(datetime.combine(datum, van))
            gegevens["einde"] = timezone.make_aware(datetime.combine(datum, tot))
            if gegevens["einde"] <= gegevens["begin"]:
                self.add_error("eindtijd", EINDE_VOOR_BEGIN)
            elif gegevens["begin"] < timezone.now() and self.gepland:
                self.add_error("datum", GEPLAND_IN_HET_VERLEDEN)
        if not gegevens.get("plaats") and not gegevens.get("videolink") and "plaats" in gegevens:
            self.add_error("plaats", PLAATS_OF_LINK)
        return gegevens

    # A change to an appointment already held may keep its (past) moment.
    gepland = True

    def velden(self) -> dict:
        """What the services take."""
        g = self.cleaned_data
        return {
            "soort": g["soort"],
            "begin": g["begin"],
            "einde": g["einde"],
            "plaats": g["plaats"],
            "videolink": g["videolink"],
            "medewerkers": list(g["medewerkers"]),
        }

    def fouten_van_service(self, fout) -> None:
        """Put a service's errors at the fields they concern."""
        velden = {"begin": "datum", "einde": "eindtijd"}
        for naam, berichten in fout.message_dict.items():
            veld = velden.get(naam, naam)
            self.add_error(veld if veld in self.fields else None, berichten)


TEAM = "team"


class WeekForm(NLDesignFormMixin, forms.Form):
    week = forms.DateField(label="Week van", widget=DatumInput, required=False)
    # The whole organisation's staff at a large one: written without a template per option.
    medewerker = forms.ChoiceField(label="Agenda van", required=False, widget=Keuzelijst)

    def clean_week(self):
        return _binnen_bereik(self.cleaned_data["week"])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Names only, not a model instance per colleague: the view reads the one it shows.
        namen = [(str(pk), naam) for pk, naam in selectors.team_namen(user)]
        self.team_ids = {pk for pk, _ in namen}
        self.fields["medewerker"].choices = [(TEAM, "Het hele team"), *namen]


class FeedForm(NLDesignFormMixin, forms.Form):
    namen = forms.ChoiceField(
        label="Namen van deelnemers in mijn agenda",
        choices=[
            ("kort", "Alleen de voornaam en de eerste letter van de achternaam"),
            ("volledig", "De volledige naam"),
        ],
        initial="kort",
        widget=forms.RadioSelect,
        help_text="Uw agenda-app bewaart wat de feed toont, ook buiten deze applicatie.",
        error_messages={"invalid_choice": "Kies een van de twee mogelijkheden."},
    )

    @property
    def volledige_namen(self) -> bool:
        return self.cleaned_data["namen"] == "volledig"
