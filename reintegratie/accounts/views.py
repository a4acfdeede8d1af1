"""Log-in, lockout, password change, the session ping and unlocking accounts.

None of these views touch participant data, so none declares a processing activity; what
they do to accounts goes to the audit log as a security event.
"""

import ipaddress

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.db.models import Max, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import log_gebeurtenis
from reintegratie.forms import NLDesignFormMixin

from . import sessies
from .models import Gebruiker, Rol

AFMELDINGEN = {
    sessies.INACTIEF: "U bent uitgelogd omdat u {inactief} minuten niets heeft gedaan. "
    "Log opnieuw in om verder te gaan.",
    sessies.MAXIMUM: "U bent uitgelogd omdat u {maximum} uur ingelogd was; langer kan niet. "
    "Log opnieuw in om verder te gaan.",
}


def _login_context(request) -> dict:
    reden = request.GET.get("reden")
    afmelding = AFMELDINGEN.get(reden, "") if isinstance(reden, str) else ""
    return {
        "afmelding": afmelding.format(
            inactief=settings.SESSIE_INACTIEF_MINUTEN, maximum=settings.SESSIE_MAXIMUM_UREN
        ),
        "vergrendeling_minuten": settings.INLOG_VERGRENDELING_MINUTEN,
    }


class InloggenView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | _login_context(self.request)


# Hooks for django-axes (settings AXES_LOCKOUT_CALLABLE, AXES_CLIENT_IP_CALLABLE).


def vergrendeld(request, original_response=None, credentials=None):
    """The answer to a try while locked: the log-in page with what to do, the same for every
    user name, known or not (it names none, and shows none back)."""
    volgende = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        volgende = ""
    context = {
        "form": AuthenticationForm(request),
        "next": volgende,
        "vergrendeld": True,
        **_login_context(request),
    }
    return render(
        request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def client_ip(request) -> str | None:
    """The client's address: behind INLOG_PROXY_AANTAL proxies the one the outermost added to
    X-Forwarded-For (what the client put before it is ignored), else REMOTE_ADDR."""
    adres = request.META.get("REMOTE_ADDR")
    aantal = settings.INLOG_PROXY_AANTAL
    if aantal:
        keten = [d.strip() for d in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        keten = [d for d in keten if d]
        if len(keten) >= aantal:
            adres = keten[-aantal]
    try:
        return str(ipaddress.ip_address(adres))
    except (TypeError, ValueError):
        return None


class MinimaleLengteValidator(MinimumLengthValidator):
    """Django's, with its message in Dutch: the nl catalogue translates the message of an
    older Django (a changed msgid), so it would show in English."""

    def get_error_message(self):
        return f"Dit wachtwoord is te kort: gebruik minstens {self.min_length} tekens."


class WachtwoordWijzigenForm(NLDesignFormMixin, PasswordChangeForm):
    def validate_password_for_user(self, user, password_field_name="new_password2"):
        # The policy's message at the field where the new password was typed, not at its
        # repetition (Django's choice).
        super().validate_password_for_user(user, "new_password1")


class WachtwoordWijzigenView(auth_views.PasswordChangeView):
    """Django's password change; it keeps this session and ends every other one (the
    session hash of the other sessions no longer matches)."""

    form_class = WachtwoordWijzigenForm
    template_name = "registration/wachtwoord_wijzigen.html"
    success_url = reverse_lazy("start")

    def form_valid(self, form):
        response = super().form_valid(form)
        log_gebeurtenis(
            self.request,
            AuditRecord.Actie.WACHTWOORD_GEWIJZIGD,
            omschrijving="Wachtwoord gewijzigd; andere sessies beëindigd",
        )
        messages.success(
            self.request,
            "Uw wachtwoord is gewijzigd. Op andere computers en browsers bent u uitgelogd.",
        )
        return response


@sessies.geen_activiteit
@require_http_methods(["GET", "POST"])
def sessie(request):
    """GET: how many seconds are left. POST ("Ingelogd blijven"): activity, then the same."""
    if request.method == "POST":
        sessies.actief(request)
    return JsonResponse({"resterend": sessies.resterend(request)})


def _beheerder(request):
    if request.user.rol != Rol.BEHEERDER or request.user.organisatie_id is None:
        raise Http404
    return request.user


def _vergrendeld_sinds():
    return timezone.now() - settings.AXES_COOLOFF_TIME


def vergrendelde_accounts(request):
    """The accounts of the beheerder's own organisation that are locked now."""
    beheerder = _beheerder(request)
    eigen = Gebruiker.objects.filter(organisatie_id=beheerder.organisatie_id, is_superuser=False)
    pogingen = (
        AccessAttempt.objects.filter(
            attempt_time__gte=_vergrendeld_sinds(),
            username__in=eigen.values("username"),
        )
        .values("username")
        .annotate(mislukt=Sum("failures_since_start"), laatste=Max("attempt_time"))
        .filter(mislukt__gte=settings.AXES_FAILURE_LIMIT)
    )
    tot = {p["username"]: p["laatste"] + settings.AXES_COOLOFF_TIME for p in pogingen}
    accounts = [
        {"gebruiker": g, "tot": timezone.localtime(tot[g.username])}
        for g in eigen.filter(username__in=tot)
    ]
    context = {"accounts": accounts, "pogingen": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/vergrendeld.html", context)


@require_POST
def ontgrendelen(request, pk):
    beheerder = _beheerder(request)
    gebruiker = get_object_or_404(
        Gebruiker, pk=pk, organisatie_id=beheerder.organisatie_id, is_superuser=False
    )
    reset(username=gebruiker.get_username())
    log_gebeurtenis(
        request,
        AuditRecord.Actie.ONTGRENDELD,
        omschrijving=f"Account {gebruiker.get_username()} ontgrendeld door de beheerder",
    )
    messages.success(request, f"Het account van {gebruiker} is ontgrendeld.")
    return redirect("accounts:vergrendeld")
