"""Log-ins, failures, lockouts and log-outs in the audit log (activity ``beveiliging``).

Connected in :meth:`AccountsConfig.ready`. What was typed is never logged: a failure under an
unknown name is logged without a user, and every description is a fixed phrase.

Only a log-in through a request of the application counts (one that passed
:class:`~reintegratie.audit.verwerking.VerzoekMiddleware`): a script or the test client
logging a user in directly is nobody's log-in at a workstation.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import log_gebeurtenis

from . import sessies

Actie = AuditRecord.Actie


def _via_de_applicatie(request) -> bool:
    return request is not None and hasattr(request, "verzoek_id")


def _gebruiker(gebruikersnaam):
    """The account with exactly this name (as the ModelBackend looks it up), or None."""
    if not isinstance(gebruikersnaam, str) or not gebruikersnaam:
        return None
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: gebruikersnaam}).first()


def ingelogd(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessies.begin(request)  # every session, also one a script or test opens
    if not _via_de_applicatie(request):
        return
    log_gebeurtenis(request, Actie.INGELOGD, gebruiker=user, omschrijving="Ingelogd")


def uitgelogd(sender, request, user, **kwargs):
    # An expired session is logged as such (sessies.SessieMiddleware), not a second time here.
    if not _via_de_applicatie(request) or user is None or getattr(request, "sessie_verlopen", 0):
        return
    log_gebeurtenis(request, Actie.UITGELOGD, gebruiker=user, omschrijving="Uitgelogd")


def inloggen_mislukt(sender, credentials, request=None, **kwargs):
    if not _via_de_applicatie(request):
        return
    # Refused by axes before any password was checked: the account or address is locked.
    # (axes counts the failures of a try it lets through; of a refused one it counts none.)
    geweigerd = getattr(request, "axes_locked_out", False) and (
        getattr(request, "axes_failures_since_start", None) is None
    )
    log_gebeurtenis(
        request,
        Actie.INLOGGEN_MISLUKT,
        gebruiker=_gebruiker(credentials.get("username")),
        omschrijving="Geweigerd: vergrendeld" if geweigerd else "Inloggen mislukt",
    )


def _mislukt_sinds(**filter) -> int:
    from axes.models import AccessAttempt

    sinds = timezone.now() - settings.AXES_COOLOFF_TIME
    pogingen = AccessAttempt.objects.filter(attempt_time__gte=sinds, **filter)
    return pogingen.aggregate(n=Sum("failures_since_start"))["n"] or 0


def vergrendeld(sender, request, username=None, ip_address=None, **kwargs):
    """axes sends this for the failure that locks, and again for every try it refuses during
    the lockout; only the first is a lockout (axes counted its failures)."""
    if (
        not _via_de_applicatie(request)
        or getattr(request, "axes_failures_since_start", None) is None
    ):
        return
    grens = settings.AXES_FAILURE_LIMIT
    wat = []
    if username and _mislukt_sinds(username=username) >= grens:
        wat.append("account")
    if ip_address and _mislukt_sinds(ip_address=ip_address) >= settings.INLOG_POGINGEN_PER_ADRES:
        wat.append("IP-adres")
    log_gebeurtenis(
        request,
        Actie.VERGRENDELD,
        gebruiker=_gebruiker(username),
        omschrijving=f"Vergrendeld ({' en '.join(wat) or 'account'}) na {grens} mislukte "
        f"pogingen, {settings.INLOG_VERGRENDELING_MINUTEN} minuten",
    )


def verbind():
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    uid = "reintegratie.accounts.signalen"
    user_logged_in.connect(ingelogd, dispatch_uid=f"{uid}.ingelogd")
    user_logged_out.connect(uitgelogd, dispatch_uid=f"{uid}.uitgelogd")
    user_login_failed.connect(inloggen_mislukt, dispatch_uid=f"{uid}.mislukt")
    user_locked_out.connect(vergrendeld, dispatch_uid=f"{uid}.vergrendeld")
