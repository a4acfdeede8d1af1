"""The pages of the second step: enrol an authenticator app, enter its code after the
password, and see or renew the backup codes. They touch no participant data.

A code typed here is never logged or stored: the audit log gets a fixed phrase, and
``sensitive_post_parameters`` keeps it out of error reports.
"""

from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import user_has_device, verify_token

from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import log_gebeurtenis
from reintegratie.forms import NLDesignFormMixin

from .tweestaps import (
    AANTAL_BACKUPCODES,
    backup_apparaat,
    backupcode_normaal,
    geheim_in_groepen,
    markeer_geverifieerd,
    nieuw_app_apparaat,
    nieuwe_backupcodes,
    qr_svg,
    toon_backupcode,
    totp_apparaat,
    tweestaps_vereist,
)

Actie = AuditRecord.Actie

WACHTTIJD_UITLEG = (
    "Na een onjuiste code wacht u even voordat u het opnieuw kunt proberen: eerst 1 seconde, "
    "dan 2, 4, 8 seconden en zo verder, steeds twee keer zo lang. Een juiste code zet de "
    "wachttijd weer op nul. Zo kan niemand uw code raden door veel codes te proberen."
)


class CodeForm(NLDesignFormMixin, forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        error_messages={"required": "Vul de code in."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


def _volgende(request) -> str:
    """Where to go after the second step: ``next`` if it is a path on this site."""
    volgende = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return volgende
    return reverse(settings.LOGIN_REDIRECT_URL)


def _geverifieerd(request, apparaat) -> None:
    """The session passed the second step with ``apparaat``; a new session key, as at the
    password step, so a key known before cannot ride along."""
    markeer_geverifieerd(request, apparaat)
    request.session.cycle_key()


def _wachttijd(apparaat) -> int | None:
    """Seconds until ``apparaat`` accepts a code again after wrong ones, or None."""
    toegestaan, info = apparaat.verify_is_allowed()
    if toegestaan:
        return None
    tot = (info or {}).get("locked_until")
    return max(1, int((tot - timezone.now()).total_seconds() + 0.999)) if tot else 1


def _wacht_melding(seconden: int) -> str:
    eenheid = "seconde" if seconden == 1 else "seconden"
    return (
        f"U heeft te vaak een onjuiste code ingevuld. Wacht {seconden} {eenheid} en probeer "
        "het dan opnieuw."
    )


def _kies_apparaat(apparaten, code: str):
    """An app code is six digits; anything else is tried as a backup code."""
    app, backup = apparaten
    return app if code.isdigit() and len(code) == 6 else backup


def _gedeelde_wachttijd(apparaten) -> int | None:
    """The longest wait of the user's app and backup codes. They share one throttle, so
    that guessing codes of one kind while the other waits gains nothing."""
    return max((_wachttijd(a) or 0 for a in apparaten if a), default=0) or None


def _telt_voor_beide(apparaten, gebruikt, geldig: bool) -> None:
    """django-otp counted the failure (or reset the count) of the device the code was tried
    on; the other device follows it."""
    for apparaat in apparaten:
        if apparaat is None or apparaat == gebruikt:
            continue
        if geldig:
            apparaat.throttle_reset()
        else:
            apparaat.throttle_increment()


@never_cache
@sensitive_post_parameters("code")
def controleren(request):
    user = request.user
    if not tweestaps_vereist(user) or user.is_verified():
        return redirect(_volgende(request))
    if not user_has_device(user):
        return redirect("tweestaps:instellen")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = backupcode_normaal(form.cleaned_data["code"])  # "123 456" is "123456" too
        apparaten = (totp_apparaat(user), backup_apparaat(user))
        apparaat = _kies_apparaat(apparaten, code)
        wachten = _gedeelde_wachttijd(apparaten)
        if wachten:
            log_gebeurtenis(
                request,
                Actie.TWEESTAPS_MISLUKT,
                gebruiker=user,
                omschrijving="Code geweigerd: wachttijd na onjuiste codes",
            )
            form.add_error(None, _wacht_melding(wachten))
        else:
            geldig = apparaat and verify_token(user, apparaat.persistent_id, code)
            _telt_voor_beide(apparaten, apparaat, bool(geldig))
            if geldig:
                _geverifieerd(request, geldig)
                return redirect(_volgende(request))
            log_gebeurtenis(
                request,
                Actie.TWEESTAPS_MISLUKT,
                gebruiker=user,
                omschrijving="Onjuiste code bij inloggen",
            )
            form.add_error(
                None,
                "Deze code klopt niet. Vul de code in die de app nu toont, of een back-upcode.",
            )
    return render(
        request,
        "tweestaps/controleren.html",
        {
            "form": form,
            "next": _volgende(request),
            "uitleg": WACHTTIJD_UITLEG,
            "navigatie": [],  # nothing to go to before this step
        },
    )


@never_cache
@sensitive_post_parameters("code")
def instellen(request):
    user = request.user
    if not tweestaps_vereist(user):
        return redirect("tweestaps:overzicht")
    if user_has_device(user):
        # An app or backup codes exist: first show one of them. Otherwise a stolen password
        # alone would be enough to enrol a second app.
        if not user.is_verified():
            return redirect("tweestaps:controleren")
        if totp_apparaat(user) is not None:
            return redirect("tweestaps:overzicht")
    apparaat = nieuw_app_apparaat(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        wachten = _wachttijd(apparaat)
        if wachten:
            form.add_error(None, _wacht_melding(wachten))
        elif verify_token(user, apparaat.persistent_id, code):
            with transaction.atomic():
                apparaat.confirmed = True
                apparaat.save(update_fields=["confirmed"])
                type(apparaat).objects.filter(user=user, confirmed=False).delete()
                codes = nieuwe_backupcodes(user)
            _geverifieerd(request, apparaat)
            log_gebeurtenis(
                request,
                Actie.TWEESTAPS_INGESTELD,
                gebruiker=user,
                omschrijving="Authenticator-app ingesteld en back-upcodes gemaakt",
            )
            return _toon_codes(request, codes, nieuw=True)
        else:
            log_gebeurtenis(
                request,
                Actie.TWEESTAPS_MISLUKT,
                gebruiker=user,
                omschrijving="Onjuiste code bij het instellen van de app",
            )
            form.add_error(
                None,
                "Deze code klopt niet. Controleer of de klok van uw telefoon goed staat en vul "
                "de code in die de app nu toont.",
            )
    return render(
        request,
        "tweestaps/instellen.html",
        {
            "form": form,
            "qr": qr_svg(apparaat),
            "geheim": geheim_in_groepen(apparaat),
            "next": _volgende(request),
            "uitleg": WACHTTIJD_UITLEG,
            "navigatie": [],
        },
    )


def _toon_codes(request, codes, *, nieuw):
    """The backup codes, this once: they are not shown again (never_cache on the callers)."""
    return render(
        request,
        "tweestaps/backupcodes.html",
        {
            "codes": [toon_backupcode(c) for c in codes],
            "nieuw": nieuw,
            "next": _volgende(request),
        },
    )


def _overzicht_context(user):
    app = totp_apparaat(user)
    backups = backup_apparaat(user)
    return {
        "vereist": tweestaps_vereist(user),
        "demo": settings.DEBUG and user.demo_account,
        "app": app,
        "resterend": backups.token_set.count() if backups else 0,
        "aantal": AANTAL_BACKUPCODES,
    }


@never_cache
def overzicht(request):
    return render(request, "tweestaps/overzicht.html", _overzicht_context(request.user))


@never_cache
@require_POST
def backupcodes(request):
    """New backup codes for a user with an app; the old ones stop working."""
    user = request.user
    context = _overzicht_context(user)
    if context["app"] is None:
        context["fout"] = "Stel eerst een authenticator-app in; de back-upcodes horen daarbij."
    elif request.POST.get("bevestigen") != "ja":
        context["fout"] = "Bevestig dat u nieuwe back-upcodes wilt maken."
    else:
        codes = nieuwe_backupcodes(user)
        # Renewing removed the old codes, which ends the second step of his other sessions
        # (one may have been opened with a code that leaked); this one he is working in.
        markeer_geverifieerd(request)
        log_gebeurtenis(
            request,
            Actie.TWEESTAPS_INGESTELD,
            gebruiker=user,
            omschrijving="Nieuwe back-upcodes gemaakt",
        )
        return _toon_codes(request, codes, nieuw=False)
    return render(request, "tweestaps/overzicht.html", context)
