from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from reintegratie.accounts.models import Gebruiker, Organisatie, Rol
from reintegratie.forms import DatumInput, NLDesignFormMixin, Sleutelkeuzes, is_sleutel
from reintegratie.taken.forms import Collega, collegas
from reintegratie.taken.services import controleer_vervaldatum
from reintegratie.validators import BSNValidator
from trajecten.models import AfstandTotArbeidsmarkt, Trajecttype

from .beslisboom import VRAGEN
from .models import Contactmoment, Deelnemer, LadderTrede


def sleutels(waarden) -> list[int]:
    """The sane whole numbers among posted keys or initial objects; the rest is for the
    field's own validation to refuse."""
    gevonden = []
    for waarde in waarden or ():
        waarde = getattr(waarde, "pk", waarde)
        if is_sleutel(waarde):
            gevonden.append(int(waarde))
    return gevonden


# Staff found by one search; a region has thousands, an appointment or a meeting a handful.
GEVONDEN_MAXIMUM = 25


class Medewerkerkeuze(Sleutelkeuzes):
    """Staff chosen by searching: validated against everyone ``queryset`` allows, shown as
    who is chosen plus who the last search found. ``zoek_url`` answers the search over htmx
    (sending the chosen, and the fields named in ``ook_meesturen``); the search box is
    ``<name>_zoeken``, never saved."""

    widget = forms.CheckboxSelectMultiple
    keuzes_sjabloon = "fragmenten/medewerkers_zoeken.html"

    def __init__(self, *args, zoek_url, ook_meesturen=(), met_organisatie=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.zoek_url, self.ook_meesturen = zoek_url, ook_meesturen
        self.met_organisatie = met_organisatie

    def toon(self, form, naam, *, organisaties=None) -> None:
        """Shows the chosen first, then up to GEVONDEN_MAXIMUM others matching every word
        of the search in their name (or organisation), of ``organisaties`` if given."""
        gegevens = form.data if form.is_bound else form.initial
        # Only what can be typed: PostgreSQL refuses a NUL byte in a query outright.
        zoekterm = "".join(t for t in str(gegevens.get(f"{naam}_zoeken") or "") if t.isprintable())
        self.zoekterm = " ".join(zoekterm.split())[:100]
        gekozen = sleutels(form[naam].value())
        namen = self.queryset.values_list(
            "pk", "first_name", "last_name", "username", "organisatie__naam"
        )
        gevonden = []
        if self.zoekterm:
            zoek = namen.exclude(pk__in=gekozen)
            if organisaties:
                zoek = zoek.filter(organisatie__in=organisaties)
            for woord in self.zoekterm.split()[:5]:
                zoek = zoek.filter(
                    Q(first_name__icontains=woord)
                    | Q(last_name__icontains=woord)
                    | (Q(organisatie__naam__icontains=woord) if self.met_organisatie else Q())
                )
            gevonden = list(zoek[: GEVONDEN_MAXIMUM + 1])
        self.meer_gevonden = len(gevonden) > GEVONDEN_MAXIMUM
        self.aantal_gevonden = min(len(gevonden), GEVONDEN_MAXIMUM)
        self.widget.choices = [
            (pk, self._label(voornaam, achternaam, gebruikersnaam, organisatie))
            for pk, voornaam, achternaam, gebruikersnaam, organisatie in list(
                namen.filter(pk__in=gekozen)
            )
            + gevonden[:GEVONDEN_MAXIMUM]
        ]

    def _label(self, voornaam, achternaam, gebruikersnaam, organisatie) -> str:
        naam = f"{voornaam} {achternaam}".strip() or gebruikersnaam
        return f"{naam} ({organisatie})" if self.met_organisatie else naam


class MedewerkersZoekenMixin:
    """A form with a ``Medewerkerkeuze``: its search without JavaScript posts the form back
    with ``_zoeken``, and ``opnieuw`` shows it as typed, unbound, without judging it yet."""

    @classmethod
    def opnieuw(cls, data, **kwargs):
        # Bound once to learn its fields: some are added in __init__.
        velden = cls(data, **kwargs).fields
        initial = {
            naam: data.getlist(naam)
            if getattr(veld.widget, "allow_multiple_selected", False)
            else data.get(naam)
            for naam, veld in velden.items()
            if naam in data
        }
        initial.update({k: v for k, v in data.items() if k.endswith("_zoeken")})
        return cls(initial=initial, **kwargs)


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
        field_classes = {"doelgroepen": Sleutelkeuzes}
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
