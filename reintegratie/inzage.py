"""Inzage (AVG art. 15): everything the application holds on one participant, and who
processed it.

The data is found, not listed: every model of :data:`APPS` that declares ``CATEGORIEEN`` and
reaches Deelnemer (its queryset's ``deelnemer_pad``, or else its one foreign key to
Deelnemer) is read in one query, each field that holds personal data with its Dutch name,
its value as the person reads it and its category. A model added with participant data is
in the inzage without a change here; one that declares categories but has no way to the
participant is an error, not a silent gap.

Then the processing log: every record about the participant, in words (when, which
organisation in which role, what, for which activity, purpose and legal basis, which
categories). The views log the inzage itself after collecting it, so an inzage holds the log
up to just before it, and the next one shows it.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

from reintegratie.access import Betrokkenheid, Categorie
from reintegratie.accounts.models import Organisatie, Rol
from reintegratie.audit.models import AuditRecord
from reintegratie.templatetags.opmaak import bedrag, datum, datum_tijd, getal

# The apps whose models hold participant data (tests/test_betrokkenheid.py checks that each
# of their models names the category of every field).
APPS = ("deelnemers", "trajecten", "werkplekken", "agenda", "taken", "overleg", "groepen")

# The order of the inzage: a model's place follows its main category; placements (app
# werkplekken) come after the instruments, whatever their fields' category.
GROEPEN = (
    "Persoonsgegevens",
    "Traject en fasen",
    "Uren en aanwezigheid",
    "Plan van aanpak en leerdoelen",
    "Voortgangsrapportages",
    "Instrumenten",
    "Plaatsingen",
    "Journaal",
    "Overige gegevens",
)
C = Categorie
_GROEP_VAN_CATEGORIE = {
    C.NAAM: 0,
    C.IDENTITEIT: 0,
    C.CONTACT: 0,
    C.TRAJECT: 1,
    C.FASE: 1,
    C.UREN: 2,
    C.OBSERVATIES: 2,
    C.PLAN: 3,
    C.LEERDOELEN: 3,
    C.RAPPORTAGE: 4,
    C.INSTRUMENTEN: 5,
    C.FINANCIEEL: 5,
    C.JOURNAAL: 7,
    C.MEDISCH: 7,
}
_GROEP_PLAATSINGEN = 6
_GROEP_OVERIG = len(GROEPEN) - 1
# Models whose fields are too many or too long for one row per record get a block each.
_KOLOMMEN_HOOGSTENS = 8

ROL_UITLEG = {
    Rol.KLANTMANAGER: "Uw vaste contactpersoon bij de gemeente of het werkbedrijf. Stelt met u "
    "het plan van aanpak op en beslist over uw traject.",
    Rol.TRAJECTBEGELEIDER: "Begeleidt u in het traject of op de werkplek en houdt uw uren, "
    "aanwezigheid en voortgang bij.",
    Rol.MANAGER: "Leidinggevende van een team. Keurt rapportages goed, corrigeert uren en "
    "ziet overzichten.",
    Rol.KETENPARTNER: "Contactpersoon bij een organisatie die u heeft aangemeld, zoals UWV of "
    "de reclassering. Ziet alleen uw traject en de voortgang.",
    Rol.BEHEERDER: "Richt de applicatie in; ziet geen dossiers.",
    Rol.PRIVACY: "Privacyfunctionaris. Behandelt verzoeken zoals dit inzageverzoek en "
    "controleert wie uw gegevens heeft bekeken.",
}
BETROKKENHEID_UITLEG = {
    Betrokkenheid.REGIE: "voert de regie over uw dossier",
    Betrokkenheid.AANBIEDER: "voert uw traject uit",
    Betrokkenheid.VERWIJZER: "heeft u aangemeld voor het traject",
    Betrokkenheid.WERKPLEK: "biedt de werkplek waar u werkt of werkte",
    Betrokkenheid.BEGELEIDER: "is uw persoonlijke begeleider in het traject",
}
_ROLNAMEN = dict(Rol.choices)
_CATEGORIENAMEN = dict(Categorie.choices)
_ACTIENAMEN = dict(AuditRecord.Actie.choices)
_BETROKKENHEIDNAMEN = dict(Betrokkenheid.choices)
_ORGANISATIESOORTEN = dict(Organisatie.Soort.choices)


@dataclass(frozen=True)
class Veld:
    naam: str
    label: str
    categorie: Categorie
    waarde: Any  # for JSON: ISO dates, codes, numbers as text, names of what it refers to
    tekst: str  # as the person reads it: Dutch dates and numbers, labels of codes

    @property
    def categorie_naam(self) -> str:
        return _CATEGORIENAMEN[self.categorie]


@dataclass(frozen=True)
class Rij:
    nummer: int
    velden: list[Veld]


@dataclass(frozen=True)
class Kolom:
    naam: str
    label: str
    categorie: Categorie

    @property
    def categorie_naam(self) -> str:
        return _CATEGORIENAMEN[self.categorie]


@dataclass
class Onderdeel:
    """The rows of one model."""

    sleutel: str  # app_label.model
    titel: str
    groep: int
    kolommen: list[Kolom]
    tabel: bool  # one line per row (short fields) or a block per row
    rijen: list[Rij] = field(default_factory=list)

    @property
    def groep_titel(self) -> str:
        return GROEPEN[self.groep]

    @property
    def een_categorie(self) -> str:
        """The category's name when every field of every row has the same one (said once,
        above the rows), else ""."""
        categorieen = {v.categorie for rij in self.rijen for v in rij.velden}
        return _CATEGORIENAMEN[categorieen.pop()] if len(categorieen) == 1 else ""


@dataclass(frozen=True)
class Verwerking:
    """One log record in words."""

    tijdstip: datetime.datetime
    organisatie: str
    organisatie_identificatie: str
    rol: str
    gebruikersnaam: str
    actie: str
    activiteit: str
    activiteit_naam: str
    doel: str
    grondslag: str
    vertrouwelijkheid: str
    categorieen: list[str]
    betrokkenheid: list[str]
    omschrijving: str
    bewaren_tot: datetime.date | None
    verzoek_id: str

    @property
    def rol_naam(self) -> str:
        return _ROLNAMEN.get(self.rol, self.rol)

    @property
    def actie_naam(self) -> str:
        return _ACTIENAMEN.get(self.actie, self.actie)

    @property
    def categorie_tekst(self) -> str:
        return ", ".join(_CATEGORIENAMEN.get(c, c) for c in self.categorieen) or "geen"

    @property
    def betrokkenheid_tekst(self) -> str:
        return ", ".join(_BETROKKENHEIDNAMEN.get(b, b).lower() for b in self.betrokkenheid)


@dataclass(frozen=True)
class OrganisatieUitleg:
    naam: str
    soort: str
    rollen: list[str]
    betrokkenheid: list[str]


@dataclass
class Inzage:
    deelnemer: Any
    opgesteld_op: datetime.datetime
    onderdelen: list[Onderdeel]
    verwerkingen: list[Verwerking]
    organisaties: list[OrganisatieUitleg]

    @property
    def groepen(self) -> list[tuple[str, list[Onderdeel]]]:
        """(title, parts) in the order of GROEPEN, only the groups that have parts."""
        uit: dict[int, list[Onderdeel]] = {}
        for onderdeel in self.onderdelen:
            uit.setdefault(onderdeel.groep, []).append(onderdeel)
        return [(GROEPEN[g], uit[g]) for g in sorted(uit)]

    @property
    def rollen(self) -> list[tuple[str, str]]:
        """(role name, what it is) for the roles in the log, in the order of Rol."""
        gezien = {v.rol for v in self.verwerkingen}
        return [(rol.label, ROL_UITLEG[rol]) for rol in Rol if rol in gezien]


@dataclass(frozen=True)
class _Model:
    """How one model is read: its path to Deelnemer and its fields with personal data."""

    model: type[models.Model]
    pad: str
    velden: tuple[models.Field, ...]
    groep: int
    titel: str

    @property
    def sleutel(self) -> str:
        return self.model._meta.label_lower


def _deelnemer_model():
    return apps.get_model("deelnemers", "Deelnemer")


def deelnemer_pad(model) -> str | None:
    """The lookup path from ``model`` to Deelnemer, ending in ``__`` ("" on Deelnemer): the
    queryset's ``deelnemer_pad`` (reintegratie.access.ToegangQuerySet), else the model's one
    foreign key to Deelnemer; None when it has neither."""
    deelnemer = _deelnemer_model()
    if model is deelnemer:
        return ""
    pad = getattr(model._default_manager.get_queryset(), "deelnemer_pad", None)
    if pad is not None:
        return pad
    directe = [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model is deelnemer
    ]
    return f"{directe[0].name}__" if len(directe) == 1 else None


def _persoonsvelden(model) -> tuple[models.Field, ...]:
    """The fields holding personal data (a category in CATEGORIEEN), in the model's order."""
    alle = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return tuple(f for f in alle if model.CATEGORIEEN.get(f.name) is not None)


def _hoofdcategorie(model) -> Categorie:
    categorie = getattr(model._default_manager.get_queryset(), "categorie", None)
    if categorie is not None:
        return categorie
    return Counter(c for c in model.CATEGORIEEN.values() if c is not None).most_common(1)[0][0]


def modellen() -> list[_Model]:
    """Every model with participant data, Deelnemer first, in the order of the inzage."""
    deelnemer = _deelnemer_model()
    uit = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if not hasattr(model, "CATEGORIEEN"):
                continue
            velden = _persoonsvelden(model)
            if not velden:
                continue
            pad = deelnemer_pad(model)
            if pad is None:
                raise ImproperlyConfigured(
                    f"{model._meta.label} heeft persoonsgegevens (CATEGORIEEN) maar geen weg "
                    "naar de deelnemer: geef de queryset een deelnemer_pad."
                )
            if model is deelnemer:
                groep, titel = 0, GROEPEN[0]
            else:
                groep = (
                    _GROEP_PLAATSINGEN
                    if app == "werkplekken"
                    else _GROEP_VAN_CATEGORIE.get(_hoofdcategorie(model), _GROEP_OVERIG)
                )
                titel = str(model._meta.verbose_name_plural).capitalize()
            uit.append(_Model(model, pad, velden, groep, titel))
    # Deelnemer, then by group; within a group the trajectory's own models first, each app's
    # in the order they are defined (a trajectory before its phases, hours before changes).
    volgorde = {m.model: n for n, m in enumerate(uit)}
    return sorted(
        uit,
        key=lambda m: (
            m.model is not deelnemer,
            m.groep,
            m.model._meta.app_label != "trajecten",
            volgorde[m.model],
        ),
    )


def _gerelateerd(velden) -> tuple[list[str], list[str]]:
    """select_related for the foreign keys shown (and the non-null keys of what they point
    to, which their names use: a phase's type, a workplace's organisation), prefetch for the
    many-to-many fields: one query per model, whatever the number of rows."""
    joins, prefetch = [], []
    for veld in velden:
        if veld.many_to_many:
            prefetch.append(veld.name)
        elif veld.is_relation:
            joins.append(veld.name)
            joins.extend(
                f"{veld.name}__{f.name}"
                for f in veld.related_model._meta.concrete_fields
                if f.is_relation and f.many_to_one and not f.null
            )
    return joins, prefetch


def _rijen(spec: _Model, deelnemer) -> list[models.Model]:
    joins, prefetch = _gerelateerd(spec.velden)
    queryset = spec.model._default_manager.filter(**{f"{spec.pad}pk": deelnemer.pk})
    if joins:
        queryset = queryset.select_related(*joins)
    return list(queryset.prefetch_related(*prefetch))


def _json_tekst(waarde) -> str:
    if isinstance(waarde, dict):
        return "; ".join(f"{k}: {_json_tekst(v)}" for k, v in waarde.items())
    if isinstance(waarde, list):
        return ", ".join(_json_tekst(v) for v in waarde)
    if waarde is None:
        return "–"
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    return str(waarde)


def _veld(rij, veld: models.Field, categorie: Categorie) -> Veld:
    label = str(veld.verbose_name)
    if veld.many_to_many:
        namen = [str(o) for o in getattr(rij, veld.name).all()]
        return Veld(veld.name, label, categorie, namen, ", ".join(namen))
    if veld.is_relation:
        doel = getattr(rij, veld.name)
        naam = str(doel) if doel is not None else None
        return Veld(veld.name, label, categorie, naam, naam or "")
    waarde = getattr(rij, veld.attname)
    if waarde is None:
        return Veld(veld.name, label, categorie, None, "")
    if veld.choices:
        return Veld(
            veld.name, label, categorie, waarde, str(dict(veld.flatchoices).get(waarde, waarde))
        )
    if isinstance(waarde, bool):
        return Veld(veld.name, label, categorie, waarde, "ja" if waarde else "nee")
    if isinstance(waarde, datetime.datetime):
        lokaal = timezone.localtime(waarde)
        return Veld(veld.name, label, categorie, lokaal.isoformat(), datum_tijd(lokaal))
    if isinstance(waarde, datetime.date):
        return Veld(veld.name, label, categorie, waarde.isoformat(), datum(waarde))
    if isinstance(waarde, Decimal):
        tekst = bedrag(waarde) if categorie == Categorie.FINANCIEEL else getal(waarde)
        return Veld(veld.name, label, categorie, str(waarde), tekst)
    if isinstance(waarde, int):
        return Veld(veld.name, label, categorie, waarde, getal(waarde, 0))
    if isinstance(veld, models.JSONField):
        return Veld(veld.name, label, categorie, waarde, _json_tekst(waarde))
    return Veld(veld.name, label, categorie, waarde, str(waarde))


def _medisch(rij) -> bool:
    """A row flagged medical (a journal entry) is category medisch in all its fields, as the
    access module reads it (ContactmomentQuerySet)."""
    veld = next((f for f in rij._meta.concrete_fields if f.name == "medisch"), None)
    return isinstance(veld, models.BooleanField) and bool(rij.medisch)


def _onderdeel(spec: _Model, deelnemer) -> Onderdeel:
    categorieen = spec.model.CATEGORIEEN
    kolommen = [Kolom(f.name, str(f.verbose_name), categorieen[f.name]) for f in spec.velden]
    lang = any(isinstance(f, models.TextField | models.JSONField) for f in spec.velden)
    onderdeel = Onderdeel(
        sleutel=spec.sleutel,
        titel=spec.titel,
        groep=spec.groep,
        kolommen=kolommen,
        tabel=len(kolommen) <= _KOLOMMEN_HOOGSTENS and not lang,
    )
    for rij in _rijen(spec, deelnemer):
        medisch = _medisch(rij)
        velden = [
            _veld(rij, f, Categorie.MEDISCH if medisch else categorieen[f.name])
            for f in spec.velden
        ]
        onderdeel.rijen.append(Rij(rij.pk, velden))
    return onderdeel


def _verwerkingen(deelnemer) -> list[Verwerking]:
    records = (
        AuditRecord.objects.filter(deelnemer_id=deelnemer.pk)
        .select_related("activiteit")
        .order_by("tijdstip", "pk")
    )
    return [
        Verwerking(
            tijdstip=timezone.localtime(r.tijdstip),
            organisatie=r.organisatie,
            organisatie_identificatie=r.organisatie_identificatie,
            rol=r.rol,
            gebruikersnaam=r.gebruikersnaam,
            actie=r.actie,
            activiteit=r.activiteit.code if r.activiteit else "",
            activiteit_naam=r.activiteit.naam if r.activiteit else "",
            doel=r.doel,
            grondslag=r.grondslag,
            vertrouwelijkheid=r.vertrouwelijkheid,
            categorieen=list(r.categorieen),
            betrokkenheid=list(r.betrokkenheid),
            omschrijving=r.omschrijving,
            bewaren_tot=r.bewaren_tot,
            verzoek_id=str(r.verzoek_id or ""),
        )
        for r in records
    ]


def _organisaties(verwerkingen: list[Verwerking]) -> list[OrganisatieUitleg]:
    """Each organisation in the log: what kind it is, in which roles and as what it was
    involved. The log keeps the name as it was; the kind is looked up (one query)."""
    rollen: dict[str, set[str]] = {}
    betrokken: dict[str, set[str]] = {}
    for v in verwerkingen:
        if v.organisatie:
            rollen.setdefault(v.organisatie, set()).add(v.rol)
            betrokken.setdefault(v.organisatie, set()).update(v.betrokkenheid)
    soorten = dict(Organisatie.objects.filter(naam__in=rollen).values_list("naam", "soort"))
    return [
        OrganisatieUitleg(
            naam=naam,
            soort=_ORGANISATIESOORTEN.get(soorten.get(naam, ""), ""),
            rollen=[rol.label for rol in Rol if rol in rollen[naam]],
            betrokkenheid=[BETROKKENHEID_UITLEG[b] for b in Betrokkenheid if b in betrokken[naam]],
        )
        for naam in sorted(rollen)
    ]


def inzage_van(*, deelnemer) -> Inzage:
    """Everything held on ``deelnemer``: one query per model, the log, the organisations."""
    onderdelen = [_onderdeel(spec, deelnemer) for spec in modellen()]
    verwerkingen = _verwerkingen(deelnemer)
    return Inzage(
        deelnemer=deelnemer,
        opgesteld_op=timezone.localtime(),
        onderdelen=onderdelen,
        verwerkingen=verwerkingen,
        organisaties=_organisaties(verwerkingen),
    )


def tellingen(*, deelnemer) -> list[tuple[str, str, int]]:
    """(group, part, number of rows) of what an inzage of ``deelnemer`` holds, and the log
    last: a count per model, for the page that offers the inzage."""
    uit = [
        (
            GROEPEN[spec.groep],
            spec.titel,
            spec.model._default_manager.filter(**{f"{spec.pad}pk": deelnemer.pk}).count(),
        )
        for spec in modellen()
    ]
    verwerkingen = AuditRecord.objects.filter(deelnemer_id=deelnemer.pk).count()
    return [*uit, ("Verwerkingen", "Wie uw gegevens verwerkte", verwerkingen)]


def als_json(*, inzage: Inzage, verstrekt_door) -> str:
    """The inzage machine-readable (AVG art. 20): Dutch keys, ISO 8601 dates, codes with
    their labels."""
    organisatie = verstrekt_door.organisatie
    gegevens = {
        "inzage": {
            "grondslag": "AVG art. 15 (inzage) en art. 20 (overdraagbaarheid)",
            "opgesteld_op": inzage.opgesteld_op.isoformat(),
            "verstrekt_door": {
                "organisatie": organisatie.naam if organisatie else "",
                "rol": verstrekt_door.rol,
                "rol_naam": _ROLNAMEN.get(verstrekt_door.rol, verstrekt_door.rol),
            },
            "deelnemer": {"nummer": inzage.deelnemer.pk, "naam": inzage.deelnemer.naam},
        },
        "gegevens": [_onderdeel_json(o) for o in inzage.onderdelen],
        "verwerkingen": [_verwerking_json(v) for v in inzage.verwerkingen],
        "organisaties": [
            {
                "naam": o.naam,
                "soort": o.soort,
                "rollen": o.rollen,
                "betrokkenheid": o.betrokkenheid,
            }
            for o in inzage.organisaties
        ],
    }
    return json.dumps(gegevens, ensure_ascii=False, indent=2)


def _onderdeel_json(onderdeel) -> dict:
    """One part of the inzage, each field of each row with its category."""
    return {
        "groep": onderdeel.groep_titel,
        "onderdeel": onderdeel.titel,
        "soort": onderdeel.sleutel,
        "rijen": [
            {
                "nummer": rij.nummer,
                "velden": [
                    {
                        "veld": v.naam,
                        "omschrijving": v.label,
                        "categorie": v.categorie.value,
                        "categorie_omschrijving": v.categorie_naam,
                        "waarde": v.waarde,
                        "weergave": v.tekst,
                    }
                    for v in rij.velden
                ],
            }
            for rij in onderdeel.rijen
        ],
    }


def _verwerking_json(v) -> dict:
    """One processing of the participant's data, as the register of processings records it."""
    return {
        "tijdstip": v.tijdstip.isoformat(),
        "organisatie": v.organisatie,
        "organisatie_identificatie": v.organisatie_identificatie,
        "rol": v.rol,
        "rol_naam": v.rol_naam,
        "gebruikersnaam": v.gebruikersnaam,
        "actie": v.actie,
        "actie_naam": v.actie_naam,
        "verwerkingsactiviteit": v.activiteit,
        "verwerkingsactiviteit_naam": v.activiteit_naam,
        "doel": v.doel,
        "grondslag": v.grondslag,
        "vertrouwelijkheid": v.vertrouwelijkheid,
        "categorieen": v.categorieen,
        "betrokkenheid": v.betrokkenheid,
        "omschrijving": v.omschrijving,
        "bewaren_tot": v.bewaren_tot.isoformat() if v.bewaren_tot else None,
        "verzoek_id": v.verzoek_id,
    }
