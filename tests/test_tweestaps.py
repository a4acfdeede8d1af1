"""Two-factor authentication (reintegratie.accounts.tweestaps): the second step after the
password, enrolment, backup codes, throttling, the beheerder's reset and the demo exemption.

These tests log in through the real form (username and password) and type the code, computed
from the device's key as the app does; they never use force_login, which stands for both steps.
"""

import base64
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from deelnemers.management.commands.demodata import Command as Demodata
from reintegratie.accounts import tweestaps
from reintegratie.accounts.models import Gebruiker, Rol
from reintegratie.audit.models import AuditRecord

from .conftest import totp_code
from .factories import GebruikerFactory, OrganisatieFactory

WACHTWOORD = "geheim-wachtwoord"  # GebruikerFactory's
KOP = "Voer de code uit uw authenticator-app in"
# Every role that sees participant data, and the beheerder who administers the accounts.
ROLLEN = (
    Rol.KLANTMANAGER,
    Rol.TRAJECTBEGELEIDER,
    Rol.MANAGER,
    Rol.KETENPARTNER,
    Rol.PRIVACY,
    Rol.BEHEERDER,
)
Actie = AuditRecord.Actie


def wachtwoord_stap(client, user, volgende=""):
    """The first step only: Django's log-in form with username and password."""
    data = {"username": user.username, "password": WACHTWOORD}
    if volgende:
        data["next"] = volgende
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id") == str(user.pk)
    return response


def app_van(user) -> TOTPDevice:
    """A confirmed app, as after an earlier enrolment."""
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)


def code_stap(client, code, volgende=""):
    data = {"code": code}
    if volgende:
        data["next"] = volgende
    return client.post(reverse("tweestaps:controleren"), data)


def beide_stappen(client, user):
    """Log in through the form and type the app's code; returns the app."""
    apparaat = tweestaps.totp_apparaat(user) or app_van(user)
    wachtwoord_stap(client, user)
    response = code_stap(client, totp_code(apparaat))
    assert response.status_code == 302, response.content.decode()[:500]
    return apparaat


def doorgestuurd_naar(response, naam):
    return response.status_code == 302 and response.url.split("?")[0] == reverse(naam)


@pytest.fixture
def klok():
    """A clock that stands still where the test puts it (the run may be days ahead)."""
    with time_machine.travel(timezone.now(), tick=False) as reis:
        yield reis


# Enforcement


@pytest.mark.parametrize("rol", ROLLEN, ids=lambda r: r.value)
def test_alleen_wachtwoord_is_niet_genoeg(client, wereld, rol):
    """A plain log-in (the password form, nothing more) reaches no page: to the enrolment page
    without an app, to the code page with one, for every role."""
    user = wereld.gebruikers[rol]
    wachtwoord_stap(client, user)
    for naam in ("start", "deelnemers:lijst", "werkplekken:lijst", "tweestaps:overzicht"):
        assert doorgestuurd_naar(client.get(reverse(naam)), "tweestaps:instellen"), naam
    app_van(user)
    response = client.get(reverse("deelnemers:lijst") + "?q=a")
    assert doorgestuurd_naar(response, "tweestaps:controleren")
    assert response.url == reverse("tweestaps:controleren") + "?next=%2Fdeelnemers%2F%3Fq%3Da"
    assert doorgestuurd_naar(client.get("/beheer/"), "tweestaps:controleren")
    # A state change is not carried out either, and not remembered as a next page.
    response = client.post(reverse("dashboard_opnieuw_tellen"))
    assert response.status_code == 302 and response.url == reverse("tweestaps:controleren")


@pytest.mark.parametrize("rol", ROLLEN, ids=lambda r: r.value)
def test_client_login_zonder_tweede_stap_wordt_doorgestuurd(client, wereld, rol):
    """A session logged in the way django.contrib.auth.login leaves it (what client.login
    would do; with axes it needs a request, so the session is written here) is only the first
    step."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    user = wereld.gebruikers[rol]
    app_van(user)
    sessie = client.session
    sessie[SESSION_KEY] = str(user.pk)
    sessie[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    sessie[HASH_SESSION_KEY] = user.get_session_auth_hash()
    sessie.save()
    client.cookies["sessionid"] = sessie.session_key
    assert doorgestuurd_naar(client.get(reverse("start")), "tweestaps:controleren")


def test_htmx_verzoek_krijgt_hx_redirect(client, wereld):
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    app_van(user)
    wachtwoord_stap(client, user)
    url = reverse("deelnemers:contactmoment", kwargs={"pk": wereld.deelnemer.pk})
    response = client.post(url, {"onderwerp": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("tweestaps:controleren")
    assert not response.content


def test_organisatie_zonder_verplichting_laat_binnen_met_wachtwoord(client, wereld):
    wereld.eigen.tweestaps_verplicht = False
    wereld.eigen.save()
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    wachtwoord_stap(client, user)
    assert client.get(reverse("start")).status_code == 200
    assert client.get(reverse("deelnemers:lijst")).status_code == 200
    overzicht = client.get(reverse("tweestaps:overzicht")).content.decode()
    assert "vraagt geen tweestapsverificatie" in overzicht
    # Nothing to enrol, and the other organisations still ask for it.
    assert doorgestuurd_naar(client.get(reverse("tweestaps:instellen")), "tweestaps:overzicht")
    client.logout()
    wachtwoord_stap(client, wereld.gebruikers[Rol.KETENPARTNER])  # verwijzer: still on
    assert doorgestuurd_naar(client.get(reverse("start")), "tweestaps:instellen")


def test_superuser_zonder_organisatie_ook(client, db):
    admin = Gebruiker.objects.create_superuser("root", "root@example.nl", WACHTWOORD)
    wachtwoord_stap(client, admin)
    assert doorgestuurd_naar(client.get("/beheer/"), "tweestaps:instellen")


def test_voor_de_tweede_stap_alleen_inloggen_uitloggen_en_statische_bestanden(
    client, wereld, settings
):
    user = wereld.gebruikers[Rol.MANAGER]
    app_van(user)
    wachtwoord_stap(client, user)
    assert client.get(reverse("tweestaps:controleren")).status_code == 200
    assert client.get(reverse("tweestaps:instellen")).status_code == 302  # has an app
    for pad in ("/static/css/app.css", settings.TWEESTAPS_VRIJE_PADEN[0]):
        response = client.get(pad)
        assert not doorgestuurd_naar(response, "tweestaps:controleren"), pad
    # Almost the same paths are not open.
    for pad in ("/tweestaps/controleren/x/", "/staticx/", "/inloggen/x/"):
        assert doorgestuurd_naar(client.get(pad), "tweestaps:controleren"), pad
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# Enrolment


def test_instellen_met_qr_code_en_eerste_code(client, wereld):
    user = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    wachtwoord_stap(client, user, volgende=reverse("werkplekken:lijst"))
    response = client.get(reverse("start"))
    assert doorgestuurd_naar(response, "tweestaps:instellen")
    pagina = client.get(response.url)
    inhoud = pagina.content.decode()
    assert pagina["Cache-Control"].startswith("max-age=0")
    apparaat = TOTPDevice.objects.get(user=user)
    assert not apparaat.confirmed
    # The QR code is drawn here, inline; the secret never goes to an outside service.
    assert re.search(r'<svg role="img" aria-label="QR-code[^"]*"', inhoud)
    assert not re.search(r"<img[^>]+src=\"https?:", inhoud)
    geheim = base64.b32encode(apparaat.bin_key).decode().rstrip("=")
    groepen = " ".join(geheim[i : i + 4] for i in range(0, len(geheim), 4))
    assert groepen in inhoud and len(groepen.split()) == 8
    assert "steeds twee keer zo lang" in inhoud  # throttling, explained
    # A reload shows the same secret (the app may have scanned it already).
    assert groepen in client.get(reverse("tweestaps:instellen")).content.decode()
    assert TOTPDevice.objects.filter(user=user).count() == 1

    fout = "000000" if totp_code(apparaat) != "000000" else "111111"
    response = client.post(reverse("tweestaps:instellen"), {"code": fout})
    assert "Deze code klopt niet" in response.content.decode()
    apparaat.refresh_from_db()
    assert not apparaat.confirmed
    mislukt = AuditRecord.objects.get(actie=Actie.TWEESTAPS_MISLUKT)
    assert mislukt.gebruiker == user and fout not in mislukt.omschrijving

    with time_machine.travel(timezone.now() + timedelta(seconds=2), tick=False):  # throttle
        code = totp_code(apparaat)
        response = client.post(
            reverse("tweestaps:instellen"), {"code": code, "next": reverse("werkplekken:lijst")}
        )
    inhoud = response.content.decode()
    assert response.status_code == 200
    apparaat.refresh_from_db()
    assert apparaat.confirmed
    # Ten backup codes, shown this once, the same as stored.
    getoond = re.findall(r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>", inhoud)
    assert len(getoond) == 10
    opgeslagen = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert {c.replace(" ", "") for c in getoond} == opgeslagen
    assert f'href="{reverse("werkplekken:lijst")}"' in inhoud
    record = AuditRecord.objects.get(actie=Actie.TWEESTAPS_INGESTELD)
    assert record.gebruiker == user and code not in record.omschrijving
    # This session passed the second step with the new app.
    assert client.session[DEVICE_ID_SESSION_KEY] == apparaat.persistent_id
    assert client.get(reverse("werkplekken:lijst")).status_code == 200
    assert doorgestuurd_naar(client.get(reverse("tweestaps:instellen")), "tweestaps:overzicht")


def test_met_app_geen_tweede_app_instellen_zonder_code(client, wereld):
    """Who has only the password cannot enrol his own phone next to the user's app."""
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    app_van(user)
    wachtwoord_stap(client, user)
    assert doorgestuurd_naar(client.get(reverse("tweestaps:instellen")), "tweestaps:controleren")
    response = client.post(reverse("tweestaps:instellen"), {"code": "123456"})
    assert doorgestuurd_naar(response, "tweestaps:controleren")
    assert TOTPDevice.objects.filter(user=user).count() == 1


# Verification


def test_code_na_het_wachtwoord(client, wereld, klok):
    user = wereld.gebruikers[Rol.KETENPARTNER]
    apparaat = app_van(user)
    wachtwoord_stap(client, user)
    response = client.get(reverse("deelnemers:lijst"))
    assert doorgestuurd_naar(response, "tweestaps:controleren")
    pagina = client.get(response.url).content.decode()
    assert KOP in pagina
    assert 'name="next" value="/deelnemers/"' in pagina
    assert 'autocomplete="one-time-code"' in pagina
    sessie_voor = client.session.session_key

    code = totp_code(apparaat)
    response = code_stap(client, code, volgende="/deelnemers/")
    assert response.status_code == 302 and response.url == "/deelnemers/"
    assert client.session[DEVICE_ID_SESSION_KEY] == apparaat.persistent_id
    assert client.session.session_key != sessie_voor  # a new key at the second step too
    assert client.get(reverse("deelnemers:lijst")).status_code == 200
    # Already verified: the page sends on.
    assert client.get(reverse("tweestaps:controleren")).url == reverse("start")
    assert not AuditRecord.objects.filter(actie=Actie.TWEESTAPS_MISLUKT).exists()

    # The same code is accepted once: in another session it is refused.
    client.logout()
    wachtwoord_stap(client, user)
    response = code_stap(client, code)
    assert response.status_code == 200 and "Deze code klopt niet" in response.content.decode()


def test_onjuiste_code_wordt_gelogd_en_vertraagd(client, wereld, klok):
    """django-otp's throttling is on: after n wrong codes the app accepts none, not even the
    right one, for 2^(n-1) seconds; each failure is logged without what was typed."""
    user = wereld.gebruikers[Rol.MANAGER]
    apparaat = app_van(user)
    wachtwoord_stap(client, user)
    goed = totp_code(apparaat)
    fout = f"{(int(goed) + 1) % 10**6:06d}"

    response = code_stap(client, fout)
    inhoud = response.content.decode()
    assert response.status_code == 200 and "Deze code klopt niet" in inhoud
    assert "steeds twee keer zo lang" in inhoud
    response = code_stap(client, goed)  # within the second
    assert "Wacht 1 seconde en probeer het dan opnieuw" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    klok.shift(1.5)
    response = code_stap(client, fout)  # the second wrong code: two seconds now
    klok.shift(1.5)
    response = code_stap(client, goed)
    assert "Wacht 1 seconde" in response.content.decode()
    klok.shift(1)
    apparaat.refresh_from_db()
    assert apparaat.throttling_failure_count == 2
    response = code_stap(client, totp_code(apparaat))
    assert response.status_code == 302
    apparaat.refresh_from_db()
    assert apparaat.throttling_failure_count == 0  # a right code resets the count

    records = AuditRecord.objects.filter(actie=Actie.TWEESTAPS_MISLUKT).order_by("tijdstip", "pk")
    assert [r.omschrijving for r in records] == [
        "Onjuiste code bij inloggen",
        "Code geweigerd: wachttijd na onjuiste codes",
        "Onjuiste code bij inloggen",
        "Code geweigerd: wachttijd na onjuiste codes",
    ]
    assert {r.gebruiker for r in records} == {user}
    assert all(fout not in r.omschrijving and goed not in r.omschrijving for r in records)


def test_app_en_back_upcodes_delen_de_vertraging(client, wereld, klok):
    """Guessing backup codes while the app's codes wait (or the other way round) gains
    nothing: a wrong code of either kind makes both wait, and a right one clears both."""
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    apparaat = app_van(user)
    codes = tweestaps.nieuwe_backupcodes(user)
    wachtwoord_stap(client, user)
    assert "Deze code klopt niet" in code_stap(client, "aaaabbbb").content.decode()
    response = code_stap(client, totp_code(apparaat))  # right, but within the second
    assert "Wacht 1 seconde" in response.content.decode()
    klok.shift(1.5)
    fout = f"{(int(totp_code(apparaat)) + 1) % 10**6:06d}"
    assert "Deze code klopt niet" in code_stap(client, fout).content.decode()
    klok.shift(1)
    response = code_stap(client, codes[0])  # right, but the wait is two seconds now
    assert "Wacht 1 seconde" in response.content.decode()
    klok.shift(1.5)
    assert code_stap(client, codes[0]).status_code == 302
    apparaat.refresh_from_db()
    backup = StaticDevice.objects.get(user=user)
    assert apparaat.throttling_failure_count == backup.throttling_failure_count == 0


def test_instellingen_zetten_de_vertraging_aan(settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1
    assert settings.OTP_STATIC_THROTTLE_FACTOR >= 1


def test_back_upcode_werkt_een_keer(client, wereld):
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    app_van(user)
    codes = tweestaps.nieuwe_backupcodes(user)
    assert len(codes) == len(set(codes)) == 10
    wachtwoord_stap(client, user)
    response = code_stap(client, tweestaps.toon_backupcode(codes[3]).upper())  # as printed
    assert response.status_code == 302
    backup = StaticDevice.objects.get(user=user)
    assert client.session[DEVICE_ID_SESSION_KEY] == backup.persistent_id
    assert client.get(reverse("start")).status_code == 200
    assert backup.token_set.count() == 9
    assert "nog 9 van de 10" in client.get(reverse("tweestaps:overzicht")).content.decode()

    client.logout()
    wachtwoord_stap(client, user)
    response = code_stap(client, codes[3])
    assert response.status_code == 200 and "Deze code klopt niet" in response.content.decode()


def test_volgende_pagina_alleen_op_deze_site(client, wereld):
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    apparaat = app_van(user)
    wachtwoord_stap(client, user)
    response = code_stap(client, totp_code(apparaat), volgende="https://kwaad.example/")
    assert response.url == reverse("start")


# Backup codes renewed by the user


def test_nieuwe_back_upcodes(client, wereld):
    user = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    beide_stappen(client, user)
    oud = tweestaps.nieuwe_backupcodes(user)
    # An empty POST acts on nothing.
    response = client.post(reverse("tweestaps:backupcodes"))
    assert "Bevestig" in response.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(oud)

    response = client.post(reverse("tweestaps:backupcodes"), {"bevestigen": "ja"})
    nieuw = re.findall(r"<code>([a-z2-7]{4} [a-z2-7]{4})</code>", response.content.decode())
    assert len(nieuw) == 10
    opgeslagen = set(StaticToken.objects.values_list("token", flat=True))
    assert opgeslagen == {c.replace(" ", "") for c in nieuw}
    assert not opgeslagen & set(oud)
    assert response["Cache-Control"].startswith("max-age=0")
    record = AuditRecord.objects.get(actie=Actie.TWEESTAPS_INGESTELD)
    assert record.omschrijving == "Nieuwe back-upcodes gemaakt"


def test_nieuwe_back_upcodes_beeindigen_de_tweede_stap_van_andere_sessies(client, wereld):
    """A session opened with a backup code that leaked loses its second step when the user
    renews his codes elsewhere; the session he renews them in keeps it."""
    from django.test import Client

    user = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    beide_stappen(client, user)
    tweestaps.nieuwe_backupcodes(user)
    elders = Client()
    wachtwoord_stap(elders, user)
    assert code_stap(elders, StaticToken.objects.first().token).status_code == 302
    assert elders.get(reverse("start")).status_code == 200

    client.post(reverse("tweestaps:backupcodes"), {"bevestigen": "ja"})
    assert client.get(reverse("start")).status_code == 200
    assert doorgestuurd_naar(elders.get(reverse("start")), "tweestaps:controleren")


def test_verwijderd_apparaat_beeindigt_de_tweede_stap(client, wereld):
    """However a device goes (here as the admin's delete does: a queryset delete), no session
    stays verified by it, though the middleware loads no device."""
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    apparaat = beide_stappen(client, user)
    assert client.get(reverse("start")).status_code == 200
    TOTPDevice.objects.filter(pk=apparaat.pk).delete()
    assert doorgestuurd_naar(client.get(reverse("start")), "tweestaps:instellen")


def test_verificatie_van_een_andere_versie_telt_niet(client, wereld):
    """The session's mark is the user's version when it was verified; a mark of another
    version (a session from before a reset) does not let it in."""
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    beide_stappen(client, user)
    Gebruiker.objects.filter(pk=user.pk).update(tweestaps_versie=user.tweestaps_versie + 1)
    assert doorgestuurd_naar(client.get(reverse("start")), "tweestaps:controleren")
    sessie = client.session
    sessie[tweestaps.VERSIE_SESSION_KEY] = user.tweestaps_versie + 1
    sessie.save()
    assert client.get(reverse("start")).status_code == 200


# Reset by the functioneel beheerder


@pytest.fixture
def beheerder_client(client, wereld):
    beheerder = wereld.gebruikers[Rol.BEHEERDER]
    beheerder.is_staff = True
    beheerder.save()
    Demodata().beheerrechten(beheerder)
    beide_stappen(client, beheerder)
    return client


def _herstel(client, *users):
    return client.post(
        reverse("admin:accounts_gebruiker_changelist"),
        {"action": "tweestaps_herstellen", "_selected_action": [u.pk for u in users]},
    )


def test_beheerder_herstelt_tweestaps_van_eigen_organisatie(beheerder_client, wereld):
    from django.test import Client

    km = wereld.gebruikers[Rol.KLANTMANAGER]
    # The klantmanager is logged in elsewhere, with both steps.
    elders = Client()
    beide_stappen(elders, km)
    tweestaps.nieuwe_backupcodes(km)
    assert elders.get(reverse("start")).status_code == 200

    lijst = beheerder_client.get(reverse("admin:accounts_gebruiker_changelist"))
    assert "Tweestapsverificatie herstellen" in lijst.content.decode()
    response = _herstel(beheerder_client, km)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=km).exists()
    assert not StaticDevice.objects.filter(user=km).exists()
    # His open session loses the second step at once; the next log-in enrols a new app.
    assert doorgestuurd_naar(elders.get(reverse("start")), "tweestaps:instellen")

    records = AuditRecord.objects.filter(actie=Actie.TWEESTAPS_HERSTELD)
    assert {(r.gebruiker, r.omschrijving) for r in records} == {
        (km, "Tweestapsverificatie hersteld door een functioneel beheerder"),
        (wereld.gebruikers[Rol.BEHEERDER], "Tweestapsverificatie van een ander account hersteld"),
    }
    assert len({r.verzoek_id for r in records}) == 1  # who reset whose: one request


def test_beheerder_kan_andere_organisatie_niet_herstellen(beheerder_client, wereld):
    vreemd = wereld.buitenstaander
    app_van(vreemd)
    tweestaps.nieuwe_backupcodes(vreemd)
    lijst = beheerder_client.get(reverse("admin:accounts_gebruiker_changelist"))
    assert f'value="{vreemd.pk}"' not in lijst.content.decode()  # not listed
    _herstel(beheerder_client, vreemd)
    assert TOTPDevice.objects.filter(user=vreemd).exists()
    assert StaticDevice.objects.filter(user=vreemd).exists()
    assert not AuditRecord.objects.filter(actie=Actie.TWEESTAPS_HERSTELD).exists()
    # Nor his own: that takes another beheerder.
    beheerder = wereld.gebruikers[Rol.BEHEERDER]
    _herstel(beheerder_client, beheerder)
    assert TOTPDevice.objects.filter(user=beheerder).exists()


def test_herstellen_vraagt_wijzigrecht(client, wereld):
    beheerder = wereld.gebruikers[Rol.BEHEERDER]
    beheerder.is_staff = True
    beheerder.save()
    beheerder.user_permissions.set(Permission.objects.filter(codename="view_gebruiker"))
    beide_stappen(client, beheerder)
    km = wereld.gebruikers[Rol.KLANTMANAGER]
    app_van(km)
    lijst = client.get(reverse("admin:accounts_gebruiker_changelist")).content.decode()
    assert "tweestaps_herstellen" not in lijst
    _herstel(client, km)
    assert TOTPDevice.objects.filter(user=km).exists()


# Demo mode


def test_demodata_markeert_demo_accounts(db, settings):
    call_command("demodata", deelnemers=1, force=True, verbosity=0)
    for naam in ("klantmanager", "trajectbegeleider", "manager", "ketenpartner", "beheerder"):
        assert Gebruiker.objects.get(username=naam).demo_account, naam


@pytest.mark.parametrize("debug", [True, False], ids=["demomodus", "productie"])
def test_demo_account_alleen_vrijgesteld_met_debug(client, wereld, settings, debug):
    settings.DEBUG = debug
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    Gebruiker.objects.filter(pk=user.pk).update(demo_account=True)
    wachtwoord_stap(client, user)
    response = client.get(reverse("start"))
    if debug:
        assert response.status_code == 200
    else:
        assert doorgestuurd_naar(response, "tweestaps:instellen")


def test_gewone_gebruiker_niet_vrijgesteld_met_debug(client, wereld, settings):
    settings.DEBUG = True
    wachtwoord_stap(client, wereld.gebruikers[Rol.MANAGER])
    assert doorgestuurd_naar(client.get(reverse("start")), "tweestaps:instellen")


# The force_login of the other tests


def test_force_login_staat_voor_beide_stappen(client, wereld):
    user = wereld.gebruikers[Rol.KLANTMANAGER]
    client.force_login(user)
    apparaat = TOTPDevice.objects.get(user=user)
    assert apparaat.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == apparaat.persistent_id
    assert client.session[tweestaps.VERSIE_SESSION_KEY] == user.tweestaps_versie
    assert client.get(reverse("start")).status_code == 200


def test_totp_code_is_die_van_de_app(db):
    """The test helper computes the code as RFC 6238 does (the RFC's SHA-1 test vector)."""
    user = GebruikerFactory(organisatie=OrganisatieFactory())
    sleutel = b"12345678901234567890"
    apparaat = TOTPDevice.objects.create(user=user, key=sleutel.hex(), digits=8)
    with time_machine.travel(59, tick=False):
        assert totp_code(apparaat) == "94287082"
