"""Two-factor authentication in real Chromium: a new user enrols an app by the key the page
shows, keeps his backup codes, and logs in again with password and code; axe-core on every
page of the second step."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reintegratie.accounts.models import Organisatie, Rol
from tests.conftest import totp_code
from tests.factories import GebruikerFactory, OrganisatieFactory

from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser

WACHTWOORD = "geheim-wachtwoord"


def wachtwoord(page, url, user):
    page.goto(f"{url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_app_instellen_en_inloggen_met_code(page, server):
    organisatie = OrganisatieFactory(naam="Werkbedrijf Twee", soort=Organisatie.Soort.WERKBEDRIJF)
    user = GebruikerFactory(username="nieuw", rol=Rol.KLANTMANAGER, organisatie=organisatie)

    # Password only: the enrolment page, with the QR code and the key to type over.
    wachtwoord(page, server.url, user)
    expect(page).to_have_url(re.compile(r"/tweestaps/instellen/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert page.get_by_role("navigation", name="Hoofdmenu").locator("a").count() == 0
    assert_toegankelijk(page)

    # The app, from the key on the page (as a user types it in when scanning fails).
    geheim = page.locator("#geheim").inner_text().replace(" ", "")
    sleutel = base64.b32decode(geheim + "=" * (-len(geheim) % 8))
    page.get_by_label("Code", exact=True).fill("000000" if totp(sleutel) != 0 else "111111")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet")
    assert_toegankelijk(page)
    page.wait_for_timeout(1100)  # the throttle's first second
    page.get_by_label("Code", exact=True).fill(f"{totp(sleutel):06d}")
    page.get_by_role("button", name="Bevestigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Uw back-upcodes")
    codes = page.get_by_role("list", name="Back-upcodes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    assert_toegankelijk(page)
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")

    page.get_by_role("link", name="Tweestapsverificatie").click()
    expect(page.get_by_role("main")).to_contain_text("nog 10 van de 10 back-upcodes")
    assert_toegankelijk(page)

    # Log out and in again: password, then the code the app shows now.
    page.get_by_role("button", name="Uitloggen").click()
    wachtwoord(page, server.url, user)
    expect(page).to_have_url(re.compile(r"/tweestaps/controleren/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Voer de code uit uw authenticator-app in"
    )
    expect(page.get_by_label("Code", exact=True)).to_be_focused()
    assert_toegankelijk(page)
    apparaat = TOTPDevice.objects.get(user=user, confirmed=True)
    page.get_by_label("Code", exact=True).fill(totp_code(apparaat))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
