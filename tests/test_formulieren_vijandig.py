"""Hostile values in every form of the application: a Dutch message or a refused request,
never a 500, and nothing saved unless the view answers with its success redirect.

Each form is read from its page as a browser would (the names and the values it shows), made
valid where the page leaves required fields empty (``FORMULIEREN``; checked by
test_het_formulier_van_de_pagina_slaagt), then posted with a hostile value in every field at
once and, for date and number fields, in one field at a time with the rest valid: so the value
also reaches the form's clean() and the service, not only the field. Each post is rolled back,
so every one meets the same state.
"""

import datetime as dt
import os
import traceback
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment, Deelnemer, Intake, LadderTrede
from reintegratie.accounts.models import Rol
from reintegratie.agenda.models import Afspraak, Agendafeed
from reintegratie.forms import MAX_TEKST_LENGTE
from reintegratie.groepen.models import Aanwezigheid, Groep, Groepsbijeenkomst, Lidmaatschap
from reintegratie.overleg.models import Bespreking, Bijeenkomst, Overleg, Overlegafspraak
from reintegratie.taken.models import Taak
from trajecten.forms import VerlengenForm
from trajecten.models import (
    Contract,
    Fase,
    Financiering,
    Instrumentinzet,
    Leerdoel,
    Nazorg,
    Observatie,
    PlanVanAanpak,
    Traject,
    Uitstroom,
    Urenregistratie,
    Voortgangsrapportage,
)
from werkplekken.models import Plaatsing

from .factories import GebruikerFactory
from .test_toegang import URLS, _plan

BASIS = Path(__file__).resolve().parent.parent
# FUZZ_VERZAMEL=/tmp/500.txt: write every 500 found to that file instead of failing at the
# first, to list them all at once (the strict xfails below then report XPASS).
VERZAMEL = os.environ.get("FUZZ_VERZAMEL")
MILJOEN = "a" * 1_000_000
# "\ud800" (a lone surrogate) is left out: it cannot be encoded in a request at all.
VIJANDIG = [
    "\x00",
    "NaN",
    "-1",
    "9" * 50,
    "0001-01-01",
    "9999-12-31",
    "<script>alert(1)</script>",
    "'; DROP TABLE x;--",
    "²",
    "%00",
    " ",
]
# One field at a time, the others valid: the values that pass that kind of field and so
# reach the form's clean() and the service. Text and choices are not here: what passes a
# text field is just text, and no hostile value is among a field's choices; every field at
# once has each field cleaned with each value (a form cleans all fields, also after an error).
PER_SOORT = {
    "datum": ("0001-01-01", "9999-12-31"),
    "getal": ("NaN", "-1", "²", "9" * 50),
}


MODELLEN = (
    Deelnemer,
    Contract,
    Nazorg,
    Uitstroom,
    Financiering,
    Contactmoment,
    Plaatsing,
    Urenregistratie,
    PlanVanAanpak,
    Leerdoel,
    Voortgangsrapportage,
    Instrumentinzet,
    Fase,
    Traject,
    Intake,
    LadderTrede,
    Observatie,
    Overleg,
    Bijeenkomst,
    Bespreking,
    Overlegafspraak,
    Taak,
    Groep,
    Groepsbijeenkomst,
    Lidmaatschap,
    Aanwezigheid,
    Afspraak,
    Agendafeed,
)

KM, TB = Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER
TE_LANG_NU_MILJOEN = "Dit veld mag hoogstens 5.000 tekens bevatten (nu 1.000.000)."
# Forms with no free text without a maximum of its own (their text fields have one).
ZONDER_VRIJE_TEKST = {
    # The agenda's place and video link have a maximum of their own (200).
    "agenda:feed_instellingen",
    "agenda:nieuw",
    "agenda:plannen",
    "agenda:wijzigen",
    "deelnemers:bewerken",
    "deelnemers:intake_start",
    "deelnemers:ladder",
    "deelnemers:uren_registreren",
    "login",
    "overleg:nieuw",
    "overleg:wijzigen",
    "overleg:verplaatsen",
    "trajecten:instrument_nieuw",
    "trajecten:financiering",
    "werkplekken:observaties",
    "werkplekken:week",
    # A task's text has its own maximum (200); the rest are choices, dates and hidden keys.
    "taken:nieuw",
    "taken:afronden",
    "taken:wijzigen",
    "taken:overdragen",
    "groepen:nieuw",
    "groepen:detail",
    "groepen:uitschrijven",
    "groepen:aanwezigheid",
    "groepen:verzetten",
}


def _vandaag():
    return timezone.localdate().isoformat()


def _morgen():
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


# name -> (the page the form is on, if not the URL itself; extra POST values that make the
# page's form valid: a required field the page shows empty, the button that was pressed).
FORMULIEREN = {
    "login": (None, lambda w: {"username": KM.value, "password": "geheim-wachtwoord"}),
    "deelnemers:bewerken": (None, lambda w: {}),
    "deelnemers:contactmoment": (
        "deelnemers:dossier",
        lambda w: {"soort": "gesprek", "onderwerp": "Gesprek", "verslag": "Goed gesprek."},
    ),
    "deelnemers:ladder": ("deelnemers:dossier", lambda w: {"trede": "3"}),
    "deelnemers:plaatsing_nieuw": (
        None,
        lambda w: {"werkplek": str(w.werkplek.pk), "uren_per_week": "16", "startdatum": _vandaag()},
    ),
    "deelnemers:uren_registreren": (
        None,
        lambda w: {"werkplek": str(w.werkplek.pk), "uren": "4", "soort": "gewerkt"},
    ),
    "deelnemers:intake_start": (None, lambda w: {"bsn": "111222333"}),
    "deelnemers:intake#concept": ("deelnemers:intake", lambda w: {"actie": "concept"}),
    "deelnemers:intake#afronden": (
        "deelnemers:intake",
        lambda w: {
            "actie": "afronden",
            "persoon-voornaam": "Sanne",
            "persoon-achternaam": "Visser",
            "persoon-geboortedatum": "1990-05-17",
        },
    ),
    "trajecten:plan": (None, lambda w: {}),
    "trajecten:plan_ondertekenen": ("trajecten:plan", lambda w: {"datum": _vandaag()}),
    "trajecten:rapportage_nieuw": (None, lambda w: {"advies": "verlengen"}),
    "trajecten:rapportage_bewerken": (None, lambda w: {}),
    "trajecten:verlengen": (None, lambda w: {"toelichting": "Meer tijd nodig."}),
    "trajecten:volgende_fase": (None, lambda w: {}),
    "trajecten:overdragen": (None, lambda w: {"toelichting": "Past beter."}),
    "trajecten:afsluiten": (None, lambda w: {"resultaat": "werk", "contract": "vast"}),
    "trajecten:instrument_nieuw": (None, lambda w: {"instrument": "jobcoaching", "uren": "10"}),
    "trajecten:contract_nieuw": (
        None,
        lambda w: {"startdatum": _vandaag(), "einddatum": _morgen()},
    ),
    "trajecten:contract_beeindigen": (
        None,
        lambda w: {"einddatum": _vandaag(), "reden": "Het bedrijf stopt."},
    ),
    "trajecten:nazorg": (None, lambda w: {"aan_het_werk": "ja"}),
    "trajecten:financiering": (None, lambda w: {}),
    "werkplekken:week": (None, lambda w: {}),
    "werkplekken:observaties": (None, lambda w: {}),
    "overleg:nieuw": (
        None,
        lambda w: {
            "naam": "Casusoverleg",
            "organisaties": str(w.verwijzer.pk),
            "interval_weken": "4",
            "datum": _morgen(),
            "tijd": "10:00",
        },
    ),
    "overleg:wijzigen": (None, lambda w: {}),
    "overleg:verplaatsen": (None, lambda w: {"datum": _morgen(), "tijd": "09:30"}),
    "overleg:bespreking": (None, lambda w: {"verslag": "Goed besproken."}),
    "taken:nieuw": (
        "deelnemers:dossier",
        lambda w: {"omschrijving": "Werkgever bellen", "vervaldatum": _vandaag()},
    ),
    # The task the URL's maker plants shows on the dossier, with its one-click form.
    "taken:afronden": ("deelnemers:dossier", lambda w: {}),
    "taken:wijzigen": (None, lambda w: {}),
    "taken:overdragen": (None, lambda w: {"alles": "on"}),
    "groepen:nieuw": (
        None,
        lambda w: {
            "naam": "Sollicitatiegroep",
            "werkplek": str(w.werkplek.pk),
            "interval_weken": "1",
            "weekdag": "0",
            "startdatum": _maandag(),
            "begintijd": "09:30",
            "eindtijd": "12:00",
        },
    ),
    "groepen:detail": (None, lambda w: {"deelnemer": str(_nog_geen_lid(w).pk)}),
    "groepen:uitschrijven": ("groepen:detail", lambda w: {}),
    "groepen:aanwezigheid": (None, lambda w: {}),
    "groepen:verzetten": (None, lambda w: {}),
    "agenda:plannen": (None, lambda w: _afspraak_velden()),
    "agenda:nieuw": (None, lambda w: _afspraak_velden() | {"deelnemer": str(w.deelnemer.pk)}),
    "agenda:wijzigen": (None, lambda w: {}),
    "agenda:feed_instellingen": (None, lambda w: {"actie": "opslaan"}),
}


def _maandag():
    vandaag = timezone.localdate()
    return (vandaag + timedelta(days=7 - vandaag.weekday())).isoformat()


def _nog_geen_lid(w):
    """A participant of the klantmanager's caseload who is not yet in the group."""
    from .factories import DeelnemerFactory, TrajectFactory

    deelnemer = DeelnemerFactory(klantmanager=w.gebruikers[KM])
    TrajectFactory(deelnemer=deelnemer, aanbieder=w.eigen)
    return deelnemer


def _afspraak_velden():
    morgen = timezone.localdate() + dt.timedelta(days=1)
    return {"datum": morgen.isoformat(), "begintijd": "10:00", "eindtijd": "11:00", "plaats": "Hal"}


def _agendafeed(w):
    feed = Agendafeed(gebruiker=w.gebruikers[KM])
    feed.nieuw_token()
    feed.save()


def _plan_met_leerdoel(w):
    _plan(w)
    plan = PlanVanAanpak.objects.get(traject=w.traject, versie=1)
    Leerdoel.objects.create(plan=plan, soort="taal", omschrijving="Nederlands op niveau A2")
    return plan


def _ondertekend_plan(w):
    plan = _plan_met_leerdoel(w)
    plan.ondertekend_op = plan.opgesteld_op
    plan.ondertekening_vastgelegd_door = w.gebruikers[KM]
    plan.save()


# What the fixture lacks for the form to be valid: a plan with a learning goal to write,
# sign and report on; a signed one for the next phase.
VOORBEREIDING = {
    "trajecten:plan": _plan_met_leerdoel,
    "trajecten:plan_ondertekenen": _plan_met_leerdoel,
    "trajecten:rapportage_nieuw": _plan_met_leerdoel,
    "trajecten:rapportage_bewerken": _plan_met_leerdoel,
    "trajecten:volgende_fase": _ondertekend_plan,
    # A colleague klantmanager to hand the caseload to.
    "taken:overdragen": lambda w: GebruikerFactory(organisatie=w.eigen, rol=KM),
    "agenda:feed_instellingen": _agendafeed,
}


class _Formulieren(HTMLParser):
    """The POST forms of a page: per form its action(s) and its fields as a browser sends
    them (name -> list of values), with the choices of selects and radios."""

    def __init__(self):
        super().__init__()
        self.formulieren = []
        self._huidig = None
        self._select = None
        self._meervoud = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._huidig = {
                    "acties": {a.get("action") or ""},
                    "velden": {},
                    "keuzes": {},
                    "verplicht": set(),
                    "maxlength": {},
                    "soort": {},
                }
                self.formulieren.append(self._huidig)
            return
        f = self._huidig
        if f is None:
            return
        naam = a.get("name")
        if naam and "required" in a:
            f["verplicht"].add(naam)
        if naam and a.get("maxlength"):
            f["maxlength"][naam] = int(a["maxlength"])
        if naam and tag in ("input", "select", "textarea"):
            soort = a.get("type", "text") if tag == "input" else tag
            getal = soort in ("number", "hidden") or a.get("inputmode") in ("decimal", "numeric")
            f["soort"][naam] = (
                "datum"
                if soort == "date"
                else "getal"
                if getal
                else "keuze"
                if soort in ("select", "checkbox", "radio")
                else "tekst"
            )
        if tag == "button" and a.get("formaction"):
            f["acties"].add(a["formaction"])
        if tag == "input" and naam and a.get("type") not in ("submit", "button", "file"):
            soort = a.get("type", "text")
            waarden = f["velden"].setdefault(naam, [])
            if soort in ("checkbox", "radio"):
                f["keuzes"].setdefault(naam, []).append(a.get("value", "on"))
                if "checked" in a:
                    waarden.append(a.get("value", "on"))
            else:
                waarden.append(a.get("value", ""))
        elif tag == "select" and naam:
            self._select, self._meervoud = naam, "multiple" in a
            f["velden"].setdefault(naam, [])
        elif tag == "option" and self._select:
            f["keuzes"].setdefault(self._select, []).append(a.get("value", ""))
            if "selected" in a:
                f["velden"][self._select].append(a.get("value", ""))
        elif tag == "textarea" and naam:
            self._textarea = naam
            f["velden"][naam] = [""]

    def handle_data(self, data):
        if self._textarea:
            self._huidig["velden"][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._huidig = None
        elif tag == "select" and self._select:
            # Nothing selected: a browser sends the first option.
            naam, f = self._select, self._huidig
            if not f["velden"][naam] and f["keuzes"].get(naam) and not self._meervoud:
                f["velden"][naam] = [f["keuzes"][naam][0]]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _formulier(html, pad, pagina):
    """The page's POST form that sends to ``pad``; its fields with, where the page chose
    nothing for a required select or radio group, its first real choice."""
    lezer = _Formulieren()
    lezer.feed(html)
    for f in lezer.formulieren:
        doelen = {urlsplit(a).path or pagina for a in f["acties"]}
        if pad in doelen:
            velden = {n: list(w) for n, w in f["velden"].items()}
            for naam, keuzes in f["keuzes"].items():
                echte = [k for k in keuzes if k]
                if naam in f["verplicht"] and not any(velden.get(naam, [])) and echte:
                    velden[naam] = [echte[0]]
            return velden, f["maxlength"], f["soort"]
    raise AssertionError(f"Geen formulier naar {pad} op {pagina}.")


def _toestand():
    """Every row of the models a form may write, in full: "unchanged" means unchanged."""
    return {m.__name__: sorted(map(repr, m.objects.order_by("pk").values_list())) for m in MODELLEN}


def _voorbereid(naam, wereld):
    """(client, the URL to post to, the page's valid form data)."""
    url_naam = naam.split("#")[0]
    bron, aanvulling = FORMULIEREN[naam]
    client = Client()
    if url_naam == "login":
        url = reverse("login")
    else:
        maker, _, rollen = URLS[url_naam]
        if url_naam in VOORBEREIDING:
            VOORBEREIDING[url_naam](wereld)
        if url_naam in ("deelnemers:contactmoment", "deelnemers:ladder"):
            maker = URLS["deelnemers:dossier"][0]
        client.force_login(wereld.gebruikers[rollen[0]])
        url = reverse(url_naam, kwargs=maker(wereld) if maker else None)
    if bron == "trajecten:plan":
        pagina = reverse(bron, kwargs={"pk": wereld.traject.pk})
    elif bron:
        pagina = reverse(bron, kwargs=URLS[bron][0](wereld))
    else:
        pagina = url
    response = client.get(pagina)
    assert response.status_code == 200, pagina
    velden, maxima, soorten = _formulier(response.content.decode(), urlsplit(url).path, pagina)
    velden.update({k: [v] for k, v in aanvulling(wereld).items()})
    velden.pop("csrfmiddlewaretoken", None)
    if url_naam == "login":
        client = Client()
    return client, url, velden, maxima, soorten


def _oorzaak(fout):
    """The innermost line of the project's own code in the traceback of ``fout``."""
    regels = [
        f"{Path(r.filename).relative_to(BASIS)}:{r.lineno}"
        for r in traceback.extract_tb(fout.__traceback__)
        if r.filename.startswith(str(BASIS))
        and "/.venv/" not in r.filename
        and "/tests/" not in r.filename
    ]
    return regels[-1] if regels else "?"


def _post(client, url, data, veld="alle"):
    """POST ``data`` and roll back what it did, so each post starts from the same state (a
    success must not change what the next one meets: a closed trajectory, a signed plan).
    Not saved unless it succeeded; never a 500 (the test client raises it)."""
    with transaction.atomic():
        try:
            voor = _toestand()
            try:
                response = client.post(url, data)
            except Exception as fout:
                melding = (
                    f"500: {url} veld {veld}: {type(fout).__name__}: {str(fout)[:200]} "
                    f"bij {_oorzaak(fout)}"
                )
                if not VERZAMEL:
                    raise AssertionError(melding) from fout
                with open(VERZAMEL, "a") as f:
                    f.write(melding + "\n")
                return None
            assert response.status_code in (200, 302, 400, 404), (url, veld, response.status_code)
            if response.status_code != 302:
                assert _toestand() == voor, f"{url} {veld}: opgeslagen zonder succes"
            return response
        finally:
            transaction.set_rollback(True)


def _fouten(response):
    """The errors of the forms on a page that was shown again: to say why it was not saved."""
    fouten = {}
    for context in response.context or []:
        for sleutel, waarde in context.flatten().items():
            for f in waarde if isinstance(waarde, list | tuple) else [waarde]:
                if isinstance(f, tuple):
                    f = next((x for x in f if hasattr(x, "is_bound")), None)
                if getattr(f, "is_bound", False) and (
                    f.errors or f.non_form_errors() if hasattr(f, "non_form_errors") else f.errors
                ):
                    fouten[sleutel] = (f.errors, getattr(f, "non_form_errors", list)())
    return fouten


def _velden_zonder_knop(velden):
    """The fields to fill: all but the button that was pressed."""
    return [n for n in velden if n != "actie"]


@pytest.mark.parametrize("naam", sorted(FORMULIEREN))
def test_het_formulier_van_de_pagina_slaagt(wereld, naam):
    """The starting point of the sweep is a form the view accepts: the hostile value is then
    the only thing wrong (login: the log-in succeeds)."""
    client, url, velden, *_ = _voorbereid(naam, wereld)
    response = _post(client, url, velden)
    assert response.status_code == 302, _fouten(response)


def _gevallen():
    for naam in sorted(FORMULIEREN):
        for waarde in VIJANDIG:
            yield pytest.param(naam, waarde, id=f"{naam}-{waarde[:12]!r}")


@pytest.mark.parametrize(("naam", "waarde"), list(_gevallen()))
def test_vijandige_waarde(wereld, naam, waarde):
    client, url, velden, _, soorten = _voorbereid(naam, wereld)
    # Every field at once (the button as pressed, or the form is not sent at all).
    _post(client, url, velden | {n: [waarde] for n in _velden_zonder_knop(velden)})
    for veld in _velden_zonder_knop(velden):
        if waarde not in PER_SOORT.get(soorten[veld], ()):
            continue
        _post(client, url, velden | {veld: [waarde]}, veld)


@pytest.mark.parametrize("naam", sorted(FORMULIEREN))
def test_een_miljoen_tekens(wereld, naam):
    """A million characters in every field at once is more than Django reads of a request
    (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) where a form has three or more fields: a 400. In one
    free-text field it is read, and refused at that field with the Dutch message; nothing is
    saved in part. (The time is not asserted: it depends on the machine.)"""
    client, url, velden, maxima, _ = _voorbereid(naam, wereld)
    knop = {k: v for k, v in velden.items() if k == "actie"}
    response = _post(client, url, dict.fromkeys(_velden_zonder_knop(velden), MILJOEN) | knop)
    assert response is None or response.status_code in (200, 400)
    vrij = [n for n, m in maxima.items() if m == MAX_TEKST_LENGTE]
    if naam == "deelnemers:intake#concept":
        return  # a concept keeps what was typed, unchecked (it is not saved as data)
    assert vrij or naam in ZONDER_VRIJE_TEKST, f"{naam}: geen vrij tekstveld"
    for veld in vrij:
        response = _post(client, url, velden | {veld: [MILJOEN]}, veld)
        if response is None:
            continue
        assert response.status_code == 200, veld
        assert TE_LANG_NU_MILJOEN in response.content.decode(), veld


def test_leerdoelformset_telt_hoogstens_60_formulieren(wereld):
    """A crafted number of forms builds no more than the 60 allowed (absolute_max): Django's
    default of max_num + 1000 made a plan POST render 1060 forms, 14-17 s a request."""
    from trajecten.forms import LeerdoelFormSet

    plan = _plan_met_leerdoel(wereld)
    data = {"doelen-TOTAL_FORMS": "9" * 50, "doelen-INITIAL_FORMS": "0"}
    formset = LeerdoelFormSet(data, instance=plan, prefix="doelen")
    assert not formset.is_valid()
    assert len(formset.forms) <= 60


def test_lange_tekst_krijgt_een_nederlandse_melding():
    form = VerlengenForm({"toelichting": "x" * (MAX_TEKST_LENGTE + 1)})
    assert not form.is_valid()
    assert form.errors["toelichting"] == [
        "Dit veld mag hoogstens 5.000 tekens bevatten (nu 5.001)."
    ]
    assert form.fields["toelichting"].widget.attrs["maxlength"] == "5000"
    assert VerlengenForm({"toelichting": "x" * MAX_TEKST_LENGTE}).is_valid()


def test_een_eigen_maximum_blijft_staan():
    """A field that has a maximum of its own keeps it, with Django's message in Dutch."""
    from deelnemers.forms import IntakeForm

    data = {"reden_afwijking": "x" * 501}
    form = IntakeForm(data, organisatie=None)
    veld = form.fields["reden_afwijking"]
    assert veld.max_length == 500
    assert veld.widget.attrs["maxlength"] == "500"
    assert form.errors["reden_afwijking"] == [
        "Zorg dat deze waarde niet meer dan 500 tekens bevat (het zijn er nu 501)."
    ]


def test_verborgen_en_niet_tekstvelden():
    """A hidden text field gets the maximum but no maxlength attribute; a JSON field neither."""
    from django import forms

    from reintegratie.forms import NLDesignFormMixin

    class Proef(NLDesignFormMixin, forms.Form):
        verborgen = forms.CharField(widget=forms.HiddenInput, required=False)
        gegevens = forms.JSONField(required=False)

    form = Proef({"verborgen": "x" * 5001, "gegevens": "[" + "1," * 3000 + "1]"})
    assert form.fields["verborgen"].max_length == MAX_TEKST_LENGTE
    assert "maxlength" not in form.fields["verborgen"].widget.attrs
    assert form.fields["gegevens"].max_length is None
    assert list(form.errors) == ["verborgen"]
