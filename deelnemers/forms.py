from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from reintegratie.accounts.models import Gebruiker, Organisatie, Rol
from reintegratie.forms import DatumInput, NLDesignFormMixin
from reintegratie.taken.forms import Collega, collegas
from reintegratie.taken.services import controleer_vervaldatum
from reintegratie.validators import BSNValidator
from trajecten.models import AfstandTotArbeidsmarkt, Trajecttype

from .beslisboom import VRAGEN
from .models import Contactmoment, Deelnemer, LadderTrede


class Keuzes(forms.ModelMultipleChoiceField):
    """Refuses a key that is no whole number of a sane length before the database sees it:
    SQLite cannot even compare an integer of 50 digits (OverflowError, a 500)."""

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdecimal() or len(str(pk)) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


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
        field_classes = {"doelgroepen": Keuzes}
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


class DossierDeelnemerForm(DeelnemerForm):
    """The personal data as the klantmanager keeps it up to date after the intake, with the
    inburgeringsplicht (the intake's beslisboom sets whether it applies)."""

    class Meta(DeelnemerForm.Meta):
        fields = [*DeelnemerForm.Meta.fields, "inburgeringsplichtig", "inburgering_voldaan_op"]
        widgets = {**DeelnemerForm.Meta.widgets, "inburgering_voldaan_op": DatumInput()}

    def omschrijving(self) -> str:
        """For the audit log: which fields changed, and a new referrer by name (a change of
        referrer opens the file to another organisation). No personal values."""
        tekst = "gewijzigd: " + ", ".join(self.changed_data) if self.changed_data else "opgeslagen"
        if "verwijzer" in self.changed_data:
            oud = Organisatie.objects.filter(pk=self.initial.get("verwijzer")).first()
            tekst += f"; verwijzer {oud or 'geen'} → {self.instance.verwijzer or 'geen'}"
        return tekst[:300]


class BsnForm(NLDesignFormMixin, forms.Form):
    """Step one of the intake: look the person up by BSN before anything is typed."""

    bsn = forms.CharField(
        label="BSN",
        max_length=9,
        validators=[BSNValidator()],
        help_text="Eerst zoeken we of deze persoon al bekend is.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_bsn(self):
        return self.cleaned_data["bsn"].strip()


JA_NEE = [(True, "Ja"), (False, "Nee")]


class IntakeForm(NLDesignFormMixin, forms.Form):
    """The intake conversation: who took part, the beslisboom, and the start."""

    datum = forms.DateField(label="Datum van de intake", widget=DatumInput)
    consulent_werk = forms.ModelChoiceField(label="Consulent werk", queryset=Gebruiker.objects)
    consulent_inkomen = forms.ModelChoiceField(
        label="Consulent inkomen", queryset=Gebruiker.objects, required=False
    )
    afstand_tot_arbeidsmarkt = forms.ChoiceField(
        label="Afstand tot de arbeidsmarkt", choices=AfstandTotArbeidsmarkt.choices
    )
    trajecttype = forms.ModelChoiceField(
        label="Ander trajecttype dan het voorstel",
        queryset=Trajecttype.objects.filter(actief=True),
        required=False,
        empty_label="Het voorstel bij de route",
        help_text="De beslisboom geeft de route; bij de route hoort een trajecttype, zoals de "
        "functioneel beheerder het inrichtte. Kies alleen een ander als dat nodig is.",
    )
    reden_afwijking = forms.CharField(
        label="Waarom een ander trajecttype?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    trajectstart = forms.DateField(
        label="Start van het traject",
        widget=DatumInput,
        help_text="Standaard een week na de intake.",
    )
    werkervaringsovereenkomst = forms.BooleanField(
        label="Werkervaringsovereenkomst is ondertekend", required=False
    )
    verslag = forms.CharField(
        label="Verslag van het gesprek", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, organisatie, **kwargs):
        super().__init__(*args, **kwargs)
        collega_s = Gebruiker.objects.filter(organisatie=organisatie, is_active=True)
        self.fields["consulent_werk"].queryset = collega_s.filter(rol=Rol.KLANTMANAGER)
        self.fields["consulent_inkomen"].queryset = collega_s
        # The beslisboom questions, as yes/no radios between the other fields.
        for code, vraag in reversed(VRAGEN):
            self.fields[code] = forms.TypedChoiceField(
                label=vraag,
                choices=JA_NEE,
                coerce=lambda v: v in (True, "True"),
                widget=forms.RadioSelect,
            )
        self.order_fields(["datum", "consulent_werk", "consulent_inkomen", *dict(VRAGEN)])

    def clean(self):
        gegevens = super().clean()
        datum, start = gegevens.get("datum"), gegevens.get("trajectstart")
        if datum and start and start < datum:
            self.add_error("trajectstart", "Het traject kan niet beginnen voor de intake.")
        return gegevens

    @staticmethod
    def beginwaarden(*, intake, door):
        return {
            "datum": intake.datum,
            "consulent_werk": intake.consulent_werk_id or door.pk,
            "trajectstart": intake.datum + timedelta(days=7),
        }


class ContactmomentForm(NLDesignFormMixin, forms.ModelForm):
    """A journal entry, on the day it happened: yesterday's phone call is recorded as
    yesterday's."""

    # Empty means today, as the field starts out.
    datum = forms.DateField(
        label="Datum", initial=timezone.localdate, widget=DatumInput, required=False
    )
    # The next action becomes a task (reintegratie.taken), for the writer unless a colleague
    # is chosen; the service checks the colleague can open the file.
    eigenaar = Collega(
        label="Volgende actie voor",
        queryset=Gebruiker.objects.none(),
        required=False,
        empty_label="Mijzelf",
    )

    class Meta:
        model = Contactmoment
        fields = ["soort", "onderwerp", "verslag", "volgende_actie", "volgende_actie_op", "medisch"]
        widgets = {
            "verslag": forms.Textarea(attrs={"rows": 3}),
            "volgende_actie_op": DatumInput(),
        }

    def __init__(self, *args, mag_medisch, gebruiker=None, **kwargs):
        super().__init__(*args, **kwargs)
        if gebruiker is None:
            del self.fields["eigenaar"]
        else:
            self.fields["eigenaar"].queryset = collegas(gebruiker).exclude(pk=gebruiker.pk)
        # Decisions are recorded by the decisions themselves, not typed in.
        self.fields["soort"].choices = [
            c for c in Contactmoment.Soort.choices if c[0] != Contactmoment.Soort.BESLUIT
        ]
        if not mag_medisch:
            del self.fields["medisch"]
        self.order_fields(["datum", "soort"])

    def clean_volgende_actie_op(self):
        op = self.cleaned_data["volgende_actie_op"]
        if op is not None:
            try:
                controleer_vervaldatum(op)
            except forms.ValidationError as fout:
                raise forms.ValidationError(fout.message_dict["vervaldatum"]) from None
        return op

    def clean_datum(self):
        datum = self.cleaned_data["datum"] or timezone.localdate()
        if datum > timezone.localdate():
            raise forms.ValidationError("Een contactmoment ligt niet in de toekomst.")
        return datum

    def clean(self):
        gegevens = super().clean()
        datum = gegevens.pop("datum", None)
        if datum is not None:
            # Today's entry at this moment; an earlier day's at noon (its time is not asked).
            nu = timezone.localtime()
            tijd = nu.time() if datum == nu.date() else time(12)
            gegevens["tijdstip"] = timezone.make_aware(datetime.combine(datum, tijd))
        return gegevens


class LadderForm(NLDesignFormMixin, forms.Form):
    """A step on the participatieladder, from the dossier. Only the input is checked here; the
    rules on the date are the model's (LadderTrede.clean), applied when the service saves."""

    datum = forms.DateField(
        label="Datum van de meting", initial=timezone.localdate, widget=DatumInput
    )
    # No step is preselected: a forgotten choice must not be recorded as trede 1.
    trede = forms.TypedChoiceField(
        label="Trede", coerce=int, choices=[("", "Kies een trede"), *LadderTrede.Trede.choices]
    )
