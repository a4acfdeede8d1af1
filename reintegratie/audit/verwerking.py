"""Logging a processing (verwerking) the way the VNG standard Verwerkingenlogging asks.

A view declares its activity with :func:`verwerking`; :class:`VerzoekMiddleware` gives each
request a correlation id; :func:`records` builds the log records of one request, each with
the activity's purpose, basis, confidentiality and retention, and the categories the access
module let through; :func:`log_gebeurtenis` logs what concerns no participant (log-ins,
lockouts) or a refused attempt.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.utils import timezone

from .models import AuditRecord, Verwerkingsactiviteit
from .register import CODES

_CACHE_SLEUTEL = "verwerkingsregister"
# The register changes a few times a year; a shared cache keeps every worker in step, and
# a save clears it (register_gewijzigd).
_CACHE_SECONDEN = 600


def verwerking(code: str):
    """Declare that a view performs the activity ``code`` of the register."""
    if code not in CODES:
        raise ImproperlyConfigured(f"{code!r} staat niet in het register van verwerkingen.")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            request.verwerking = code
            return view(request, *args, **kwargs)

        wrapper.verwerkingsactiviteit = code
        return wrapper

    return decorator


class VerzoekMiddleware:
    """One correlation id per request, on every log record it writes and in the response's
    ``X-Request-ID``, so an audit record can be matched to the request log line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.verzoek_id = uuid.uuid4()
        response = self.get_response(request)
        response["X-Request-ID"] = str(request.verzoek_id)
        return response

    def process_exception(self, request, exception):
        """A 404 raised by a view is a refused attempt when a user is logged in: the access
        module answers 404 for what lies outside the user's scope."""
        user = getattr(request, "user", None)
        if isinstance(exception, Http404) and user is not None and user.is_authenticated:
            log_geweigerd(request, getattr(request, "geweigerde_deelnemer", None))


def register() -> dict[str, Verwerkingsactiviteit]:
    activiteiten = cache.get(_CACHE_SLEUTEL)
    if activiteiten is None:
        activiteiten = {a.code: a for a in Verwerkingsactiviteit.objects.all()}
        cache.set(_CACHE_SLEUTEL, activiteiten, _CACHE_SECONDEN)
    return activiteiten


def register_gewijzigd(**kwargs) -> None:
    cache.delete(_CACHE_SLEUTEL)


def _activiteit(request, code: str | None) -> Verwerkingsactiviteit:
    code = code or getattr(request, "verwerking", None)
    if code is None:
        raise ImproperlyConfigured(
            f"{request.path}: de view verwerkt persoonsgegevens maar noemt geen "
            "verwerkingsactiviteit (@verwerking)."
        )
    return register()[code]


def records(
    request,
    *,
    actie: str,
    deelnemers: Iterable = (None,),
    omschrijving: str = "",
    code: str | None = None,
    toegang=None,
    gebruiker=None,
) -> list[AuditRecord]:
    """The records of one processing, one per participant (unsaved, for one bulk insert).

    ``toegang(deelnemer)`` gives the access module's verdict for a participant: its
    categories, intersected with the activity's, are what the response could show.
    """
    activiteit = _activiteit(request, code)
    ingelogd = getattr(request, "user", None)
    user = gebruiker or (ingelogd if ingelogd is not None and ingelogd.is_authenticated else None)
    organisatie = user.organisatie if user is not None and user.organisatie_id else None
    nu = timezone.now()
    # A day or two over the years, for leap days: never shorter than the register says.
    bewaren_tot = timezone.localdate(nu) + timedelta(days=365 * activiteit.bewaartermijn_jaren + 2)
    omschrijving = (omschrijving or f"{request.method} {request.path}")[:300]
    uitkomst = []
    for deelnemer in deelnemers:
        verdict = toegang(deelnemer) if toegang and deelnemer is not None else None
        categorieen = activiteit.categorieen
        if actie == AuditRecord.Actie.GEWEIGERD:
            categorieen = []  # refused: nothing was shown
        elif verdict is not None:
            categorieen = [c for c in categorieen if c in verdict.categorieen]
        uitkomst.append(
            AuditRecord(
                tijdstip=nu,
                gebruiker=user,
                gebruikersnaam=user.get_username() if user else "",
                organisatie=organisatie.naam if organisatie else "",
                organisatie_identificatie=organisatie.identificatie if organisatie else "",
                rol=user.rol if user else "",
                deelnemer=deelnemer,
                actie=actie,
                omschrijving=omschrijving,
                activiteit=activiteit,
                doel=activiteit.doel,
                grondslag=activiteit.grondslag,
                vertrouwelijkheid=activiteit.vertrouwelijkheid,
                bewaren_tot=bewaren_tot,
                categorieen=categorieen,
                betrokkenheid=sorted(verdict.soorten) if verdict is not None else [],
                verzoek_id=getattr(request, "verzoek_id", None),
            )
        )
    return uitkomst


def log_geweigerd(request, deelnemer_id=None) -> None:
    """Log a refused attempt: who tried which activity at which path, never what was typed
    (the path holds no query string). The participant is kept only when it exists."""
    deelnemer = None
    if isinstance(deelnemer_id, int) and 0 < deelnemer_id < 2**63:
        model = AuditRecord._meta.get_field("deelnemer").related_model
        deelnemer = model.objects.filter(pk=deelnemer_id).only("pk").first()
    AuditRecord.objects.bulk_create(
        records(
            request,
            actie=AuditRecord.Actie.GEWEIGERD,
            deelnemers=[deelnemer],
            code=getattr(request, "verwerking", None) or "beveiliging",
        )
    )


def log_gebeurtenis(request, actie: str, *, gebruiker=None, omschrijving: str = "") -> None:
    """Log a security event (activity ``beveiliging``): a log-in, a lockout, a failed second
    step. ``gebruiker`` is the account concerned when the request has no logged-in user; an
    unknown user name is not stored. ``omschrijving`` is a fixed phrase, never typed input."""
    AuditRecord.objects.bulk_create(
        records(
            request,
            actie=actie,
            omschrijving=omschrijving or actie,
            code="beveiliging",
            gebruiker=gebruiker,
        )
    )
