"""A test client logged in as a bench user, past both log-in steps. Imported by the bench
scripts after they have set Django up."""

from django.http import HttpRequest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from reintegratie.accounts.tweestaps import markeer_geverifieerd


def ingelogd(gebruiker) -> Client:
    """As after the password and the code, with a confirmed app of the user's (made once). A
    page that fails answers with its status instead of raising, so a script can report it."""
    client = Client(raise_request_exception=False)
    client.force_login(gebruiker)
    apparaat, _ = TOTPDevice.objects.get_or_create(
        user=gebruiker, name="bench", defaults={"confirmed": True}
    )
    verzoek = HttpRequest()
    verzoek.user, verzoek.session = gebruiker, client.session
    markeer_geverifieerd(verzoek, apparaat)
    verzoek.session.save()
    return client
