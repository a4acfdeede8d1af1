"""The one place that decides who may see which participant data, and do what with it.

Access follows **betrokkenheid**: how the user's organisation (or the user in person) is
involved in a participant, and since when and until when. Each kind of involvement, combined
with the user's role, grants a set of **data categories** to read and of **actions** to take
(the matrix below). Nothing else grants anything: the default is no.

Involvement is derived from the data where it lives, so it ends when its reason ends:

======================  =====================================  ===============================
kind                    from the data                          active
======================  =====================================  ===============================
regie                   ``Deelnemer.regie`` (owns the case)    while the file exists
aanbieder               ``Traject.aanbieder``                  from the registration until the
                                                               trajectory's end + nawerking
verwijzer               ``Deelnemer.verwijzer``                while it is the referrer (the
                                                               outcome stays readable)
werkplek                ``Plaatsing.werkplek.organisatie``     from the placement's start until
                                                               its end + nawerking
begeleider (personal)   ``Traject.trajectbegeleider``          until the trajectory's end +
                                                               nawerking
======================  =====================================  ===============================

The nawerking (grace) periods are settings: ``TOEGANG_NAWERKING_TRAJECT_DAGEN`` (the last
report) and ``TOEGANG_NAWERKING_PLAATSING_DAGEN`` (the last hours and observation).

Read (``LEZEN``), by involvement and role; a role not named gets nothing from that kind:

=========================  ================================================================
regie × klantmanager       everything, medical included
regie × manager            everything but medical (full BSN on request, logged)
aanbieder × klantmanager,  naam, identiteit (BSN masked), contact, journaal, uren,
manager                    observaties, plan, leerdoelen, rapportage, instrumenten,
                           financieel, traject
aanbieder × trajectbeg.,   naam, contact, journaal, uren, observaties, leerdoelen,
begeleider                 instrumenten, traject
werkplek × klantmanager,   naam, fase, leerdoelen; uren and observaties only at their own
manager, trajectbeg.       workplaces
verwijzer × any role       naam, traject (with its outcome), rapportage
regie × privacy            naam, identiteit: to find the person who asks; the file itself
                           only through an inzage, which is logged
functioneel beheerder      nothing
=========================  ================================================================

Where this differs from the proposal it started from, and why:

* *Rapportage intern / voor de verwijzer* are one category: the two versions differ only by
  the medical remark, which is category *medisch*.
* *Traject* holds the case context (trajecttype, phases, budgets, hours in total, outcome,
  referrer, doelgroepen, language, ladder). A workplace host gets *fase* instead: the
  trajecttype and the current phase, not the doelgroepen or referrer, which can reveal a
  detention.
* *Justitieel* has no fields yet; when it gets them, only regie reads them.
* A manager may write plans and reports where a klantmanager of the same involvement may:
  the teamleider corrects and signs off reports in practice.

Do (``DOEN``):

=============================================  ============================================
bsn_tonen                                      regie × klantmanager, manager, privacy
verwerkingen_zien (who saw the file)           regie × klantmanager, manager, privacy
inzage_geven (AVG art. 15: everything held)    regie × klantmanager, privacy
gegevens_wijzigen (incl. verwijzer), besluiten, regie × klantmanager
ladder_vastleggen
plaatsen                                       regie × klantmanager; regie × manager (also
                                               further back than PLAATSING_TERUG_DAGEN)
plan_schrijven (plan, rapportage)              regie, aanbieder × klantmanager, manager
journaal_schrijven                             regie, aanbieder × klantmanager;
                                               aanbieder, begeleider × trajectbegeleider
instrument_inzetten                            regie, aanbieder × klantmanager
uren_schrijven (hours, observations)           regie, aanbieder × klantmanager; aanbieder,
                                               begeleider × trajectbegeleider; werkplek ×
                                               trajectbegeleider, manager (locked hours), at
                                               their own workplaces
=============================================  ============================================

Every list, page, partial, PDF and export asks this module through the ``zichtbaar_voor``
queryset methods (which participants), :func:`toegang_van` (which categories and actions
for one participant) and :func:`categorie_scope` (which rows of a category). Every read is
logged by :func:`log_toegang`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import records

if TYPE_CHECKING:
    from deelnemers.models import Deelnemer


class Betrokkenheid(models.TextChoices):
    REGIE = "regie", "Regie"
    AANBIEDER = "aanbieder", "Aanbieder"
    VERWIJZER = "verwijzer", "Verwijzer"
    WERKPLEK = "werkplek", "Werkplek"
    BEGELEIDER = "begeleider", "Begeleider"


class Categorie(models.TextChoices):
    NAAM = "naam", "Naam en leeftijd"
    IDENTITEIT = "identiteit", "Identiteit (BSN, geboortedatum)"
    CONTACT = "contact", "Contactgegevens"
    JOURNAAL = "journaal", "Journaal"
    MEDISCH = "medisch", "Medisch"
    JUSTITIEEL = "justitieel", "Justitieel"
    UREN = "uren", "Uren en aanwezigheid"
    OBSERVATIES = "observaties", "Observaties"
    PLAN = "plan", "Plan van aanpak"
    LEERDOELEN = "leerdoelen", "Leerdoelen"
    RAPPORTAGE = "rapportage", "Voortgangsrapportage"
    INSTRUMENTEN = "instrumenten", "Instrumenten"
    FINANCIEEL = "financieel", "Financieel"
    TRAJECT = "traject", "Traject"
    FASE = "fase", "Fase"


class Handeling(models.TextChoices):
    BSN_TONEN = "bsn_tonen", "Volledig BSN tonen"
    GEGEVENS_WIJZIGEN = "gegevens_wijzigen", "Persoonsgegevens en verwijzer wijzigen"
    PLAATSEN = "plaatsen", "Plaatsen op een werkplek"
    BESLUITEN = "besluiten", "Besluiten over het traject"
    LADDER_VASTLEGGEN = "ladder_vastleggen", "Trede op de participatieladder vastleggen"
    PLAN_SCHRIJVEN = "plan_schrijven", "Plan van aanpak en rapportage schrijven"
    JOURNAAL_SCHRIJVEN = "journaal_schrijven", "Journaal schrijven"
    UREN_SCHRIJVEN = "uren_schrijven", "Uren en observaties registreren"
    INSTRUMENT_INZETTEN = "instrument_inzetten", "Instrument vastleggen"
    VERWERKINGEN_ZIEN = "verwerkingen_zien", "Zien wie het dossier inzag of wijzigde"
    INZAGE_GEVEN = "inzage_geven", "Inzage geven (AVG art. 15)"


C, H, B = Categorie, Handeling, Betrokkenheid
KM, TB, MAN, PRIV = Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER, Rol.PRIVACY

# Who reads the case (traject) reads its phases (fase) too.
_AANBIEDER_KM = frozenset(set(C) - {C.MEDISCH, C.JUSTITIEEL})
_BEGELEIDING = frozenset(
    {C.NAAM, C.CONTACT, C.JOURNAAL, C.UREN, C.OBSERVATIES, C.LEERDOELEN, C.INSTRUMENTEN}
    | {C.TRAJECT, C.FASE}
)
_WERKPLEK = frozenset({C.NAAM, C.FASE, C.LEERDOELEN, C.UREN, C.OBSERVATIES})
_VERWIJZER = frozenset({C.NAAM, C.TRAJECT, C.FASE, C.RAPPORTAGE})

LEZEN: dict[tuple[Betrokkenheid, Rol], frozenset[Categorie]] = {
    (B.REGIE, KM): frozenset(C),
    (B.REGIE, MAN): frozenset(set(C) - {C.MEDISCH}),
    (B.AANBIEDER, KM): _AANBIEDER_KM,
    (B.AANBIEDER, MAN): _AANBIEDER_KM,
    (B.AANBIEDER, TB): _BEGELEIDING,
    (B.BEGELEIDER, TB): _BEGELEIDING,
    (B.WERKPLEK, KM): _WERKPLEK,
    (B.WERKPLEK, MAN): _WERKPLEK,
    (B.WERKPLEK, TB): _WERKPLEK,
    **{(B.VERWIJZER, rol): _VERWIJZER for rol in (KM, MAN, TB, Rol.KETENPARTNER)},
    # The privacy officer finds the person who asks (name, BSN to be sure it is them) and
    # reads the file only through an inzage, which is itself logged.
    (B.REGIE, PRIV): frozenset({C.NAAM, C.IDENTITEIT}),
}
DOEN: dict[tuple[Betrokkenheid, Rol], frozenset[Handeling]] = {
    (B.REGIE, KM): frozenset(H),
    # A manager places only where a klantmanager may not: further back than a few days.
    (B.REGIE, MAN): frozenset({H.BSN_TONEN, H.PLAN_SCHRIJVEN, H.PLAATSEN, H.VERWERKINGEN_ZIEN}),
    (B.REGIE, PRIV): frozenset({H.BSN_TONEN, H.VERWERKINGEN_ZIEN, H.INZAGE_GEVEN}),
    (B.AANBIEDER, KM): frozenset(
        {H.PLAN_SCHRIJVEN, H.JOURNAAL_SCHRIJVEN, H.UREN_SCHRIJVEN, H.INSTRUMENT_INZETTEN}
    ),
    (B.AANBIEDER, MAN): frozenset({H.PLAN_SCHRIJVEN}),
    (B.AANBIEDER, TB): frozenset({H.JOURNAAL_SCHRIJVEN, H.UREN_SCHRIJVEN}),
    (B.BEGELEIDER, TB): frozenset({H.JOURNAAL_SCHRIJVEN, H.UREN_SCHRIJVEN}),
    # The host's manager corrects locked hours at its own workplaces.
    (B.WERKPLEK, TB): frozenset({H.UREN_SCHRIJVEN}),
    (B.WERKPLEK, MAN): frozenset({H.UREN_SCHRIJVEN}),
}
# Rows of these categories a workplace host reads (and, for hours, writes) only where they
# were made at one of its own workplaces.
EIGEN_WERKPLEK = frozenset({C.UREN, C.OBSERVATIES})

# What a role may do apart from any participant: pages and functions. A right not listed is
# denied. What it may see or do *with a participant* is the matrix above.
RECHTEN: dict[str, frozenset[Rol]] = {
    "deelnemers_zien": frozenset({KM, TB, MAN, Rol.KETENPARTNER, PRIV}),
    "intake_doen": frozenset({KM}),
    "afdrukken": frozenset({KM, MAN}),
    "rapportages_zien": frozenset({MAN}),
    "caseload_exporteren": frozenset({KM, MAN}),
    "weekrooster": frozenset({TB, MAN}),
    # Locked periods (evaluated, invoiced) are corrected by a manager only.
    "vergrendelde_uren_corrigeren": frozenset({MAN}),
    "werkplekken_zien": frozenset({TB, KM, MAN}),
    # A placement that starts further back than PLAATSING_TERUG_DAGEN opens old hours to the
    # host: a manager's decision.
    "plaatsing_terugdateren": frozenset({MAN}),
    # A workplace full on some day of the period: only a manager places there anyway, with a
    # reason that is kept (werkplekken.services.plaatsing_aanmaken).
    "boven_capaciteit_plaatsen": frozenset({MAN}),
    "auditlog_zien": frozenset({MAN, PRIV}),
    # Partner meetings: the partners' staff take part; case staff plan them and keep the
    # agenda. What of a participant each sees there is the matrix above.
    "overleg_zien": frozenset({KM, TB, MAN, Rol.KETENPARTNER}),
    "overleg_plannen": frozenset({KM, MAN}),
    # Who owns tasks: "Mijn taken" and the start page's "Vandaag en te laat".
    "taken_hebben": frozenset({KM, TB, MAN}),
    "caseload_overdragen": frozenset({KM}),
    # Groups of the own organisation (sollicitatietraining, intervisie): plan them, move or
    # cancel a session. Who joins a group and whose attendance is saved, the matrix decides.
    "groepen": frozenset({KM, TB, MAN}),
    # The team's week agenda; planning in it needs journaal_schrijven with the participant.
    "agenda_zien": frozenset({KM, TB, MAN}),
    "afspraken_plannen": frozenset({KM, TB}),
}

NIETS = Q(pk__in=[])


def heeft_recht(user, recht: str) -> bool:
    """Whether ``user``'s role grants the function ``recht`` (a key of RECHTEN)."""
    if not user.is_authenticated or not user.organisatie_id:
        return False
    return user.rol in RECHTEN[recht]


def vereist_recht(user, recht: str) -> None:
    """404 (not 403: we don't confirm what exists) when the role lacks ``recht``."""
    if not heeft_recht(user, recht):
        raise Http404("Deze pagina is niet beschikbaar voor uw rol.")


def _nawerking(naam: str) -> timedelta:
    return timedelta(days=getattr(settings, naam))


def betrokken(user, soort: Betrokkenheid, via: str = "", vandaag=None) -> Q:
    """A filter on rows whose participant (``via`` the lookup path to Deelnemer, ending in
    ``__``, or empty on Deelnemer) has ``user``'s organisation, or ``user``, involved as
    ``soort`` today. Each is one indexed lookup or EXISTS."""
    from trajecten.models import Traject

    if soort == B.BEGELEIDER:
        vandaag = vandaag or timezone.localdate()
        trajecten = Traject.objects.filter(
            _traject_loopt(vandaag), deelnemer_id=OuterRef(f"{via}id" if via else "id")
        )
        return Q(Exists(trajecten.filter(trajectbegeleider_id=user.pk)))
    return organisatie_betrokken(user.organisatie_id, soort, via, vandaag)


def _traject_loopt(vandaag) -> Q:
    return Q(einddatum__isnull=True) | Q(
        einddatum__gte=vandaag - _nawerking("TOEGANG_NAWERKING_TRAJECT_DAGEN")
    )


def organisatie_betrokken(org, soort: Betrokkenheid, via: str = "", vandaag=None) -> Q:
    """A filter on rows whose participant has the organisation ``org`` (a pk) involved as
    ``soort`` today: the same involvement :func:`betrokken` grants a user by, so a partner
    meeting shares exactly the participants its partners are involved in."""
    from trajecten.models import Traject
    from werkplekken.models import Plaatsing

    vandaag = vandaag or timezone.localdate()
    deelnemer = OuterRef(f"{via}id" if via else "id")
    match soort:
        case B.REGIE:
            return Q(**{f"{via}regie_id": org})
        case B.VERWIJZER:
            return Q(**{f"{via}verwijzer_id": org})
        case B.AANBIEDER:
            trajecten = Traject.objects.filter(_traject_loopt(vandaag), deelnemer_id=deelnemer)
            return Q(Exists(trajecten.filter(aanbieder_id=org, aanmelddatum__lte=vandaag)))
        case B.WERKPLEK:
            plaatsingen = Plaatsing.objects.filter(
                _plaatsing_loopt(vandaag),
                deelnemer_id=deelnemer,
                werkplek__organisatie_id=org,
                startdatum__lte=vandaag,
            )
            return Q(Exists(plaatsingen))
    raise ValueError(soort)


def _plaatsing_loopt(vandaag) -> Q:
    return Q(einddatum__isnull=True) | Q(
        einddatum__gte=vandaag - _nawerking("TOEGANG_NAWERKING_PLAATSING_DAGEN")
    )


def organisaties_betrokken(orgs, vandaag=None) -> Q:
    """A filter on Deelnemer: any of the organisations ``orgs`` (pks) is involved today as
    regie, aanbieder, verwijzer or werkplek (not begeleider: a person, not an organisation), as
    :func:`organisatie_betrokken` says, but by uncorrelated subqueries: the database reads
    the organisations' trajectories and placements once, instead of probing per participant,
    so a partner meeting finds the few participants two partners share among very many."""
    from trajecten.models import Traject
    from werkplekken.models import Plaatsing

    vandaag = vandaag or timezone.localdate()
    trajecten = Traject.objects.filter(
        _traject_loopt(vandaag), aanbieder_id__in=orgs, aanmelddatum__lte=vandaag
    ).values("deelnemer_id")
    plaatsingen = Plaatsing.objects.filter(
        _plaatsing_loopt(vandaag), werkplek__organisatie_id__in=orgs, startdatum__lte=vandaag
    ).values("deelnemer_id")
    return (
        Q(regie_id__in=orgs)
        | Q(verwijzer_id__in=orgs)
        | Q(pk__in=trajecten)
        | Q(pk__in=plaatsingen)
    )


def _soorten(user, matrix, wat) -> list[Betrokkenheid]:
    """The kinds of involvement that give ``user``'s role ``wat`` in ``matrix``."""
    if not user.is_authenticated or not user.organisatie_id:
        return []
    return [soort for soort in B if wat in matrix.get((soort, user.rol), ())]


def categorie_scope(user, categorie: Categorie, via: str = "", werkplek: str | None = None) -> Q:
    """A filter on rows holding ``categorie`` data that ``user`` may read.

    ``via`` is the path to Deelnemer; ``werkplek`` the path to the row's Werkplek, for the
    rows a workplace host reads only at its own workplaces (EIGEN_WERKPLEK).
    """
    scope = NIETS
    for soort in _soorten(user, LEZEN, categorie):
        voorwaarde = betrokken(user, soort, via)
        if soort == B.WERKPLEK and categorie in EIGEN_WERKPLEK:
            if werkplek is None:
                continue
            voorwaarde &= Q(**{f"{werkplek}organisatie_id": user.organisatie_id})
        scope |= voorwaarde
    return scope


def handeling_scope(user, handeling: Handeling, via: str = "") -> Q:
    """A filter on the participants (``via``) with whom ``user`` may take ``handeling``."""
    scope = NIETS
    for soort in _soorten(user, DOEN, handeling):
        scope |= betrokken(user, soort, via)
    return scope


def deelnemer_scope(user, via: str = "") -> Q:
    """A filter on the participants ``user`` may see at all: their name, in a list."""
    return categorie_scope(user, C.NAAM, via)


def verwerkingen_scope(user) -> Q:
    """A filter on the log records ``user`` may read: those about participants whose file
    they may audit (verwerkingen_zien), and, for a role with ``auditlog_zien``, those of
    their own organisation's users (log-ins, lockouts, refused attempts)."""
    scope = handeling_scope(user, H.VERWERKINGEN_ZIEN, "deelnemer__")
    if heeft_recht(user, "auditlog_zien"):
        scope |= Q(gebruiker__organisatie_id=user.organisatie_id)
    return scope


def tel_scope(
    user, via: str = "", traject: str | None = None, categorie: Categorie = C.TRAJECT
) -> Q:
    """A filter on rows a manager's report counts: participants whose case the organisation
    holds (regie), referred, or whose trajectory it provided, in any period; of those kinds
    the ones whose manager reads ``categorie`` (costs, category financieel, are not the
    referrer's).

    Counts only, never names: a report of last year counts what the organisation did then,
    while a drill-down lists only whom the user may still see (:func:`deelnemer_scope`).
    ``traject`` is the path to the row's own trajectory (``""`` on Traject), whose provider
    is then checked directly.
    """
    from trajecten.models import Traject

    if not heeft_recht(user, "rapportages_zien"):
        return NIETS
    org = user.organisatie_id
    soorten = {soort for soort in B if categorie in LEZEN.get((soort, MAN), ())}
    scope = NIETS
    if B.REGIE in soorten:
        scope |= Q(**{f"{via}regie_id": org})
    if B.VERWIJZER in soorten:
        scope |= Q(**{f"{via}verwijzer_id": org})
    if B.AANBIEDER not in soorten:
        return scope
    if traject is not None:
        return scope | Q(**{f"{traject}aanbieder_id": org})
    deelnemer = OuterRef(f"{via}id" if via else "id")
    return scope | Q(Exists(Traject.objects.filter(deelnemer_id=deelnemer, aanbieder_id=org)))


def met_betrokkenheid(queryset, user, via: str = ""):
    """Annotate ``betrokken_<soort>`` booleans on each row: what :class:`Toegang` reads."""
    return queryset.annotate(
        **{
            f"betrokken_{soort}": models.ExpressionWrapper(
                betrokken(user, soort, via), output_field=models.BooleanField()
            )
            for soort in B
            if _rol_heeft(user, soort)
        }
    )


def _rol_heeft(user, soort) -> bool:
    return (soort, user.rol) in LEZEN or (soort, user.rol) in DOEN


@dataclass(frozen=True)
class Toegang:
    """What one user may read and do for one participant, by the matrix."""

    soorten: frozenset[Betrokkenheid]
    categorieen: frozenset[Categorie]
    handelingen: frozenset[Handeling]

    @classmethod
    def voor(cls, user, soorten: Iterable[Betrokkenheid]) -> Toegang:
        return _toegang(user.rol, frozenset(soorten))

    @classmethod
    def van_rij(cls, user, rij) -> Toegang:
        """From a row annotated by :func:`met_betrokkenheid`."""
        return cls.voor(user, [s for s in B if getattr(rij, f"betrokken_{s}", False)])

    def leest(self, categorie: Categorie) -> bool:
        return categorie in self.categorieen

    def mag(self, handeling: Handeling) -> bool:
        return handeling in self.handelingen

    @property
    def alleen_eigen_werkplek(self) -> bool:
        """Hours and observations only at the user's own workplaces: a host, nothing more."""
        return not self.soorten - {B.WERKPLEK}

    @functools.cached_property
    def sjabloon(self) -> Mapping[str, bool]:
        """For templates: ``toegang.sjabloon.contact``, ``toegang.sjabloon.plaatsen``. Read
        only: the instance is shared (:func:`_toegang`)."""
        categorieen = {c.value: c in self.categorieen for c in C}
        return MappingProxyType(categorieen | {h.value: h in self.handelingen for h in H})


@functools.cache
def _toegang(rol: Rol, soorten: frozenset[Betrokkenheid]) -> Toegang:
    """The Toegang of a role by these kinds of involvement: one immutable instance for each
    (at most 6 roles x 32 sets), so a list's rows share theirs and its ``sjabloon`` is made once,
    not per row of every list."""
    return Toegang(
        soorten=soorten,
        categorieen=frozenset().union(*(LEZEN.get((s, rol), ()) for s in soorten)),
        handelingen=frozenset().union(*(DOEN.get((s, rol), ()) for s in soorten)),
    )


GEEN_TOEGANG = Toegang(frozenset(), frozenset(), frozenset())


def toegang_van(user, deelnemer) -> Toegang:
    """The access of ``user`` to ``deelnemer``: from its ``betrokken_*`` annotations when
    present (:func:`met_betrokkenheid`), else in one query."""
    if hasattr(deelnemer, "toegang"):
        return deelnemer.toegang
    if not any(hasattr(deelnemer, f"betrokken_{s}") for s in B):
        from deelnemers.models import Deelnemer

        rij = met_betrokkenheid(Deelnemer.objects.filter(pk=deelnemer.pk), user).first()
        if rij is None:
            return GEEN_TOEGANG
        deelnemer = rij
    return Toegang.van_rij(user, deelnemer)


def log_toegang(
    request, deelnemers: Deelnemer | Iterable[Deelnemer], actie: str, omschrijving: str = ""
) -> None:
    """Write one record per participant, in a single insert, under the view's declared
    activity, with the categories this user's access let through for each participant."""
    from deelnemers.models import Deelnemer

    if isinstance(deelnemers, Deelnemer):
        deelnemers = [deelnemers]
    AuditRecord.objects.bulk_create(
        records(
            request,
            actie=actie,
            deelnemers=deelnemers,
            omschrijving=omschrijving,
            toegang=functools.partial(_bekende_toegang, request.user),
        )
    )


def _bekende_toegang(user, deelnemer) -> Toegang:
    """The access already known for a row (no query): its Toegang or annotations; else what
    the role could read through any involvement, as the row was shown through the scope."""
    if hasattr(deelnemer, "toegang") or any(hasattr(deelnemer, f"betrokken_{s}") for s in B):
        return toegang_van(user, deelnemer)
    return Toegang.voor(user, [s for s in B if _rol_heeft(user, s)])


def deelnemer_voor_view(
    request,
    pk,
    actie: str | None = AuditRecord.Actie.BEKEKEN,
    queryset=None,
    nodig: Handeling | Categorie | None = None,
):
    """The participant ``pk`` if the user may see it (and, with ``nodig``, read that category
    or take that action), else 404; logs the access as ``actie``. The result carries its
    :class:`Toegang` as ``.toegang``.

    ``queryset`` narrows or extends the lookup (select_related for the page); it is always
    intersected with the user's scope. ``actie=None`` leaves the logging to the caller, for a
    view that logs a change only once it has succeeded.
    """
    from deelnemers.models import Deelnemer

    queryset = queryset if queryset is not None else Deelnemer.objects.all()
    try:
        deelnemer = met_betrokkenheid(queryset.zichtbaar_voor(request.user), request.user).get(
            pk=pk
        )
    except Deelnemer.DoesNotExist:
        request.geweigerde_deelnemer = pk
        raise Http404("Geen deelnemer gevonden.") from None
    deelnemer.toegang = Toegang.van_rij(request.user, deelnemer)
    request.geweigerde_deelnemer = deelnemer.pk
    vereist(deelnemer.toegang, nodig)
    if actie:
        log_toegang(request, deelnemer, actie)
    return deelnemer


def vereist(toegang: Toegang, nodig: Handeling | Categorie | None) -> None:
    """404 unless ``toegang`` reads the category or takes the action ``nodig``."""
    if nodig is None:
        return
    toegestaan = toegang.mag(nodig) if isinstance(nodig, Handeling) else toegang.leest(nodig)
    if not toegestaan:
        raise Http404("Deze pagina is niet beschikbaar.")


def traject_voor_view(
    request,
    pk,
    actie: str | None = AuditRecord.Actie.BEKEKEN,
    nodig: Handeling | Categorie | None = None,
):
    """The trajectory ``pk`` if the user may see its participant (and ``nodig``), else 404;
    logs the access. ``traject.deelnemer.toegang`` holds the access."""
    from trajecten.models import Traject

    try:
        traject = (
            Traject.objects.zichtbaar_voor(request.user)
            .select_related("deelnemer", "trajecttype")
            .get(pk=pk)
        )
    except Traject.DoesNotExist:
        request.geweigerde_deelnemer = (
            Traject.objects.filter(pk=pk).values_list("deelnemer_id", flat=True).first()
        )
        raise Http404("Geen traject gevonden.") from None
    traject.deelnemer.toegang = toegang_van(request.user, traject.deelnemer)
    request.geweigerde_deelnemer = traject.deelnemer_id
    vereist(traject.deelnemer.toegang, nodig)
    if actie:
        log_toegang(request, traject.deelnemer, actie)
    return traject


class ToegangQuerySet(models.QuerySet):
    """The queryset of a model holding participant data, scoped by the matrix.

    The model names its category and its paths, as Open Zaak's ``authorizations_lookup``:
    ``categorie``, ``deelnemer_pad`` (to Deelnemer, ending in ``__``) and, for rows a host
    reads only at its own workplaces, ``werkplek_pad``.
    """

    categorie: Categorie
    deelnemer_pad = "deelnemer__"
    werkplek_pad: str | None = None

    def zichtbaar_voor(self, user):
        return self.filter(
            categorie_scope(user, self.categorie, self.deelnemer_pad, self.werkplek_pad)
        )


def velden(categorie: Categorie | None, *namen: str) -> dict[str, Categorie | None]:
    """For a model's ``CATEGORIEEN``: these fields hold ``categorie`` (None: no personal
    data, such as keys and version counters)."""
    return dict.fromkeys(namen, categorie)
