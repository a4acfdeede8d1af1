"""Sessions as the BIO asks: logged out after a spell without activity and after a maximum,
and no page with personal data kept in a cache.

The session holds when it began and when its user last did something (seconds since the
epoch). :class:`SessieMiddleware` ends it when either is too long ago: it logs
``SESSIE_VERLOPEN``, logs out and sends the browser to the log-in page with the reason
(htmx gets an ``HX-Redirect``, so the log-in page does not land inside a fragment).

The last activity is written at most once a minute (``BIJWERKEN_NA``), so that most
requests do not write the session. Every response to a logged-in user says how many seconds
are left (``X-Sessie-Resterend``); static/js/sessie.js warns two minutes before.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import log_gebeurtenis

BEGIN = "sessie_begin"
ACTIEF = "sessie_actief"
BIJWERKEN_NA = 60
INACTIEF, MAXIMUM = "inactief", "maximum"


def nu() -> int:
    return int(timezone.now().timestamp())


def begin(request) -> None:
    """A new session: it begins, and its user is active, now (called at every log-in)."""
    request.session[BEGIN] = request.session[ACTIEF] = nu()


def actief(request) -> None:
    request.session[ACTIEF] = nu()


def inactief_seconden() -> int:
    return settings.SESSIE_INACTIEF_MINUTEN * 60


def maximum_seconden() -> int:
    return settings.SESSIE_MAXIMUM_UREN * 60 * 60


def resterend(request) -> int:
    """Seconds until the session ends, by whichever limit comes first."""
    sessie, moment = request.session, nu()
    return max(
        0,
        min(
            inactief_seconden() - (moment - sessie[ACTIEF]),
            maximum_seconden() - (moment - sessie[BEGIN]),
        ),
    )


def geen_activiteit(view):
    """Mark a view whose GET is not activity (the script asking how long is left)."""
    view.sessie_geen_activiteit = True
    return view


def login_url(reden: str, volgende: str = "") -> str:
    query = {"reden": reden}
    if volgende:
        query["next"] = volgende
    return f"{reverse(settings.LOGIN_URL)}?{urlencode(query)}"


class SessieMiddleware:
    """Idle timeout and maximum duration (process_view, so that it knows the view), and
    ``Cache-Control: no-store, private`` on every response to a logged-in user.

    Static files never get here (WhiteNoise answers them further up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.sessie_resterend = ""  # unknown until process_view (base.html reads it)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            if request.sessie_resterend != "":
                response["X-Sessie-Resterend"] = str(request.sessie_resterend)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        sessie, moment = request.session, nu()
        if BEGIN not in sessie or ACTIEF not in sessie:
            begin(request)  # a session from before these rules: it counts from now
        if moment - sessie[ACTIEF] >= inactief_seconden():
            return self._verlopen(request, INACTIEF)
        if moment - sessie[BEGIN] >= maximum_seconden():
            return self._verlopen(request, MAXIMUM)
        telt_niet = getattr(view_func, "sessie_geen_activiteit", False) and request.method in (
            "GET",
            "HEAD",
        )
        if not telt_niet and moment - sessie[ACTIEF] >= BIJWERKEN_NA:
            sessie[ACTIEF] = moment
        request.sessie_resterend = resterend(request)
        return None

    def _verlopen(self, request, reden):
        if reden == INACTIEF:
            omschrijving = (
                f"Uitgelogd na {settings.SESSIE_INACTIEF_MINUTEN} minuten zonder activiteit"
            )
        else:
            omschrijving = (
                f"Uitgelogd na de maximale sessieduur van {settings.SESSIE_MAXIMUM_UREN} uur"
            )
        log_gebeurtenis(
            request,
            AuditRecord.Actie.SESSIE_VERLOPEN,
            gebruiker=request.user,
            omschrijving=omschrijving,
        )
        request.sessie_verlopen = True
        logout(request)
        if request.path == reverse(settings.LOGIN_URL):
            return None  # the log-in page itself: shown as to anyone logged out
        # Back to the page, not its query string: a search there may hold a name, which
        # would then stand in the log-in page's address and the browser's history.
        if request.headers.get("HX-Request") == "true":
            volgende = urlsplit(request.headers.get("HX-Current-URL", "")).path
            response = HttpResponseClientRedirect(login_url(reden, volgende))
        else:
            response = HttpResponseRedirect(login_url(reden, request.path))
        add_never_cache_headers(response)
        return response
