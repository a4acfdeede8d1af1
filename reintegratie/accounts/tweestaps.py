"""Two-factor authentication (tweestapsverificatie), as the BIO asks of a public body.

Who: every user of an organisation with ``Organisatie.tweestaps_verplicht`` (the default),
whatever the role. The roles klantmanager, trajectbegeleider, manager, ketenpartner and
privacy see participant data. The functioneel beheerder sees none, but administers the
accounts of his organisation and can reset their second factor: whoever takes over his
account takes over theirs, so he needs it no less. A superuser without an organisation
(made from the command line) always needs it.

The one exception is the demo: an account the demodata command made (``demo_account``),
and only while DEBUG is on. With DEBUG off that mark gives nothing.

How: django-otp's devices, tokens and throttling. A correct code marks the session
(:func:`markeer_geverifieerd`): django-otp's key names the device, and ours holds the user's
``tweestaps_versie`` at that moment. :class:`TweestapsMiddleware` takes the place of
django-otp's ``OTPMiddleware``, which loads that device on every request: a session is
verified while its mark equals the version on the user row, which every request loads
anyway. Removing a device raises the version (:func:`factor_verwijderd`), so a reset or a
deleted app ends the second step of every open session at once, as loading the device
would. A user who needs the second step and has not passed it is sent to the verification
page, or to the enrolment page when he has no confirmed app yet. Before that only log-in,
log-out, these pages, static files and the health endpoint answer.
"""

from __future__ import annotations

from base64 import b32encode
from functools import partial

import segno
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, cached_property, empty
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Gebruiker, Rol

# Every role: see the module docstring for why the beheerder is among them.
VERPLICHT_VOOR = frozenset(Rol)
AANTAL_BACKUPCODES = 10
APP_NAAM = "Authenticator-app"
BACKUP_NAAM = "Back-upcodes"
# The user's tweestaps_versie when this session passed the second step.
VERSIE_SESSION_KEY = "tweestaps_versie"


def tweestaps_vereist(user) -> bool:
    """Whether ``user`` (logged in with his password) must also pass the second step."""
    if not user.is_authenticated:
        return False
    if settings.DEBUG and user.demo_account:
        return False
    if user.organisatie_id is None:
        return True  # superusers from the command line: they can do everything
    return user.rol in VERPLICHT_VOOR and user.organisatie.tweestaps_verplicht


def totp_apparaat(user, *, bevestigd=True) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=bevestigd).order_by("pk").first()


def backup_apparaat(user) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def nieuw_app_apparaat(user) -> TOTPDevice:
    """The unconfirmed device of an enrolment in progress; made once, so that a reload shows
    the same QR code as the app may already have scanned."""
    apparaat = totp_apparaat(user, bevestigd=False)
    if apparaat is None:
        apparaat = TOTPDevice.objects.create(user=user, name=APP_NAAM, confirmed=False)
    return apparaat


@transaction.atomic
def nieuwe_backupcodes(user) -> list[str]:
    """Ten fresh one-time codes; the old ones stop working. Returned once, to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    apparaat = StaticDevice.objects.create(user=user, name=BACKUP_NAAM, confirmed=True)
    codes = []
    while len(codes) < AANTAL_BACKUPCODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=apparaat, token=c) for c in codes])
    return codes


def backupcode_normaal(code: str) -> str:
    """A backup code as stored: lower case, without the space or dash it is shown with."""
    return "".join(code.split()).replace("-", "").lower()


def toon_backupcode(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


@transaction.atomic
def herstel(user) -> int:
    """Remove every second factor of ``user``: he enrols again at his next log-in. Returns
    the number of devices removed. His open sessions lose their verification at once
    (:func:`factor_verwijderd`)."""
    apps = TOTPDevice.objects.filter(user=user)
    backups = StaticDevice.objects.filter(user=user)
    aantal = apps.count() + backups.count()
    apps.delete()
    backups.delete()  # with its codes (cascade)
    return aantal


def geheim_in_groepen(apparaat: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing it into the app by hand."""
    geheim = b32encode(apparaat.bin_key).decode().rstrip("=")
    return " ".join(geheim[i : i + 4] for i in range(0, len(geheim), 4))


def qr_svg(apparaat: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code, drawn here: the secret never leaves the
    server for a QR service. Black on white with the quiet zone, for any page colour."""
    qr = segno.make(apparaat.config_url, error="m")
    svg = qr.svg_inline(scale=4, dark="#000", light="#fff", title="QR-code voor de app")
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR-code om uw authenticator-app in te stellen" ', 1
    )


def factor_verwijderd(sender, instance, **kwargs) -> None:
    """``post_delete`` of a device: no session verified before stays verified. A queryset
    delete sends it for each device, so every way of removing one counts, the admin's too."""
    Gebruiker.objects.filter(pk=instance.user_id).update(tweestaps_versie=F("tweestaps_versie") + 1)


def markeer_geverifieerd(request, apparaat=None) -> None:
    """This session passed the second step: with ``apparaat`` (django-otp records which), or,
    without one, again after the user renewed his own backup codes in it. The version is
    read from the database, since removing a device just now raised it there."""
    if apparaat is not None:
        otp_login(request, apparaat)
    versie = Gebruiker.objects.values_list("tweestaps_versie", flat=True).get(pk=request.user.pk)
    request.session[VERSIE_SESSION_KEY] = request.user.tweestaps_versie = versie


def _geverifieerd(session, user) -> bool:
    return (
        user.is_authenticated
        and DEVICE_ID_SESSION_KEY in session
        and session.get(VERSIE_SESSION_KEY) == user.tweestaps_versie
    )


def _uitgepakt(user):
    while isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


class TweestapsMiddleware:
    """In place of django-otp's OTPMiddleware: ``user.is_verified()``, and no page before the
    second step for who needs it.

    A logged-in user who must pass the second step (:func:`tweestaps_vereist`) and whose
    session is not verified is sent to the verification page, or to the enrolment page when
    he has no confirmed app. An htmx request gets ``HX-Redirect``, so the whole page goes
    there rather than a fragment. The cost for a verified user is a few reads of the session
    and the user, without a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def vrij(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """Exact paths and path prefixes open before the second step (resolved on first use,
        when the URLconf is loaded)."""
        paden = frozenset(
            reverse(naam)
            for naam in ("login", "logout", "tweestaps:controleren", "tweestaps:instellen")
        )
        # Django puts the script prefix before a relative STATIC_URL ("/static/").
        prefixen = (settings.STATIC_URL, *getattr(settings, "TWEESTAPS_VRIJE_PADEN", ()))
        return paden, tuple(p for p in prefixen if p and p != "/")

    def __call__(self, request):
        # The user once evaluated, without the lazy wrapper that every later read would
        # pass through: a list's access checks read it often
        # (bench/middleware.py: some 2 ms on a caseload of 25).
        user = request.user = _uitgepakt(request.user)
        # Asked afresh each time: a page that verifies the session sees it at once.
        user.is_verified = partial(_geverifieerd, request.session, user)
        if user.is_authenticated and not user.is_verified() and tweestaps_vereist(user):
            paden, prefixen = self.vrij
            pad = request.path_info
            if pad not in paden and not pad.startswith(prefixen):
                return self.doorsturen(request, user)
        return self.get_response(request)

    def doorsturen(self, request, user):
        naam = "tweestaps:controleren" if user_has_device(user) else "tweestaps:instellen"
        url = reverse(naam)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            url += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
