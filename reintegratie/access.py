"""The one place that decides what a user may see and do, and that logs access.

A user sees a participant only when their organisation is involved in that participant, and
within that only what their role needs (domain.md, "Who uses it"). Everything that reads
participant data starts from :func:`deelnemer_scope` (through the ``zichtbaar_voor`` queryset
methods); every view that opens a participant's data goes through :func:`deelnemer_voor_view`
or :func:`log_toegang`, which write the audit record. The default answer is no.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord

if TYPE_CHECKING:
    from deelnemers.models import Deelnemer

# What each role may do beyond seeing its participants. A right not listed is denied.
RECHTEN: dict[str, frozenset[Rol]] = {
    "deelnemers_zien": frozenset(
        {Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER, Rol.KETENPARTNER}
    ),
    # Full BSN on screen: only those who need it to act on the benefit or the file.
    "bsn_zien": frozenset({Rol.KLANTMANAGER, Rol.MANAGER}),
    "deelnemer_bewerken": frozenset({Rol.KLANTMANAGER}),
    # Contact details and the journal: those who work with the participant.
    "persoonsgegevens_zien": frozenset({Rol.KLANTMANAGER, Rol.MANAGER, Rol.TRAJECTBEGELEIDER}),
    "journaal_zien": frozenset({Rol.KLANTMANAGER, Rol.MANAGER, Rol.TRAJECTBEGELEIDER}),
    "journaal_schrijven": frozenset({Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER}),
    # Medical notes stay with the klantmanager (AVG: special category data).
    "medisch_zien": frozenset({Rol.KLANTMANAGER}),
    "traject_besluiten": frozenset({Rol.KLANTMANAGER}),
    # Its own right, not deelnemer_bewerken: a step on the ladder is an assessment of the
    # participant, not personal data, and who assesses may widen without giving edit rights.
    "ladder_vastleggen": frozenset({Rol.KLANTMANAGER}),
    "intake_doen": frozenset({Rol.KLANTMANAGER}),
    "plan_zien": frozenset({Rol.KLANTMANAGER, Rol.MANAGER, Rol.TRAJECTBEGELEIDER}),
    "plan_bewerken": frozenset({Rol.KLANTMANAGER, Rol.MANAGER}),
    "afdrukken": frozenset({Rol.KLANTMANAGER, Rol.MANAGER}),
    "rapportages_zien": frozenset({Rol.MANAGER}),
    "caseload_exporteren": frozenset({Rol.KLANTMANAGER, Rol.MANAGER}),
    "plaatsing_beheren": frozenset({Rol.KLANTMANAGER}),
    "uren_registreren": frozenset({Rol.TRAJECTBEGELEIDER, Rol.KLANTMANAGER}),
    "weekrooster": frozenset({Rol.TRAJECTBEGELEIDER, Rol.MANAGER}),
    "uren_zien": frozenset({Rol.TRAJECTBEGELEIDER, Rol.KLANTMANAGER, Rol.MANAGER}),
    # Locked periods (evaluated, invoiced) are corrected by a manager only.
    "vergrendelde_uren_corrigeren": frozenset({Rol.MANAGER}),
    "werkplekken_zien": frozenset({Rol.TRAJECTBEGELEIDER, Rol.KLANTMANAGER, Rol.MANAGER}),
    "auditlog_zien": frozenset({Rol.MANAGER}),
}

NIETS = Q(pk__in=[])


def heeft_recht(user, recht: str) -> bool:
    """Whether ``user``'s role grants ``recht`` (a key of RECHTEN)."""
    if not user.is_authenticated or not user.organisatie_id:
        return False
    return user.rol in RECHTEN[recht]


def deelnemer_scope(user, via: str = "", traject: str | None = None) -> Q:
    """A filter on the participants ``user`` may see.

    ``via`` is the lookup path from the queried model to Deelnemer, ending in ``__``
    (``"deelnemer__"`` for trajecten), or empty when querying Deelnemer itself. ``traject``
    is the path to a trajectory of the row (``""`` on Traject, ``"traject__"`` on Fase), if
    any, and only where that trajectory is the row's participant's own (Traject, Fase; not
    Plaatsing, whose trajectory the database does not tie to its participant): its provider
    is checked first, which settles most rows of a report without the subqueries (the same
    rule, found sooner).
    """
    from trajecten.models import Traject
    from werkplekken.models import Plaatsing

    if not user.is_authenticated or not user.organisatie_id:
        return NIETS
    org = user.organisatie_id
    deelnemer_id = OuterRef(f"{via}id" if via else "id")
    verwijst = Q(**{f"{via}verwijzer_id": org})
    levert_traject = Exists(Traject.objects.filter(deelnemer_id=deelnemer_id, aanbieder_id=org))
    biedt_werkplek = Exists(
        Plaatsing.objects.filter(deelnemer_id=deelnemer_id, werkplek__organisatie_id=org)
    )
    match user.rol:
        case Rol.KLANTMANAGER | Rol.MANAGER:
            if traject is not None:
                verwijst = Q(**{f"{traject}aanbieder_id": org}) | verwijst
            return verwijst | Q(levert_traject) | Q(biedt_werkplek)
        case Rol.TRAJECTBEGELEIDER:
            begeleidt = Exists(
                Traject.objects.filter(deelnemer_id=deelnemer_id, trajectbegeleider_id=user.pk)
            )
            return Q(biedt_werkplek) | Q(begeleidt)
        case Rol.KETENPARTNER:
            # A referring partner follows its own referrals, nothing else.
            return verwijst
        case _:
            # Functioneel beheerders configure the system; they do not read case files.
            return NIETS


def werkplek_scope(user, via: str = "") -> Q:
    """A filter on the werkplekken ``user`` may open: those of their own organisation."""
    if not heeft_recht(user, "werkplekken_zien"):
        return NIETS
    return Q(**{f"{via}organisatie_id": user.organisatie_id})


def log_toegang(
    request, deelnemers: Deelnemer | Iterable[Deelnemer], actie: str, omschrijving: str = ""
) -> None:
    """Write one audit record per participant, in a single insert."""
    from deelnemers.models import Deelnemer

    if isinstance(deelnemers, Deelnemer):
        deelnemers = [deelnemers]
    user = request.user
    organisatie = user.organisatie.naam if user.organisatie_id else ""
    omschrijving = omschrijving or f"{request.method} {request.path}"[:300]
    AuditRecord.objects.bulk_create(
        AuditRecord(
            gebruiker=user,
            gebruikersnaam=user.get_username(),
            organisatie=organisatie,
            rol=user.rol,
            deelnemer=deelnemer,
            actie=actie,
            omschrijving=omschrijving,
        )
        for deelnemer in deelnemers
    )


def deelnemer_voor_view(request, pk, actie: str | None = AuditRecord.Actie.BEKEKEN, queryset=None):
    """The participant ``pk`` if the user may see it, else 404; logs the access as ``actie``.

    ``queryset`` narrows or extends the lookup (select_related for the page); it is always
    intersected with the user's scope. ``actie=None`` leaves the logging to the caller, for a
    view that logs a change only once it has succeeded.
    """
    from deelnemers.models import Deelnemer

    queryset = queryset if queryset is not None else Deelnemer.objects.all()
    try:
        deelnemer = queryset.zichtbaar_voor(request.user).get(pk=pk)
    except Deelnemer.DoesNotExist:
        raise Http404("Geen deelnemer gevonden.") from None
    if actie:
        log_toegang(request, deelnemer, actie)
    return deelnemer


def vereist_recht(user, recht: str) -> None:
    """404 (not 403: we don't confirm what exists) when the role lacks ``recht``."""
    if not heeft_recht(user, recht):
        raise Http404("Deze pagina is niet beschikbaar voor uw rol.")


def traject_voor_view(request, pk, actie: str | None = AuditRecord.Actie.BEKEKEN):
    """The trajectory ``pk`` if the user may see its participant, else 404; logs the access."""
    from trajecten.models import Traject

    try:
        traject = (
            Traject.objects.zichtbaar_voor(request.user)
            .select_related("deelnemer", "trajecttype")
            .get(pk=pk)
        )
    except Traject.DoesNotExist:
        raise Http404("Geen traject gevonden.") from None
    if actie:
        log_toegang(request, traject.deelnemer, actie)
    return traject
