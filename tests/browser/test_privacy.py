"""Privacy and account pages in real Chromium, with axe-core on each (WCAG 2.1 AA).

The privacy officer searches the processing log, follows a row to "who saw this file", goes
back to the file and gives an inzage as PDF and JSON; the register of processing activities;
the klantmanager finds his own earlier view in the file's log; the functioneel beheerder
unlocks a locked account; a user changes his password (first too short); the log-in page
after too many wrong passwords. The register and a file's log on a phone: no sideways
scrolling.
"""

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reintegratie.accounts.models import Rol
from tests.conftest import totp_code

from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser

WACHTWOORD = "geheim-wachtwoord"  # the factories' password
TELEFOON = {"width": 390, "height": 844}
LOG_KOP = "Wie heeft dit dossier ingezien of gewijzigd"


def inloggen(page, url, user, wachtwoord=WACHTWOORD):
    """Both steps through the real forms: password, then the code the user's app shows."""
    apparaat = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    apparaat = apparaat or TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    page.goto(f"{url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(wachtwoord)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    page.get_by_label("Code", exact=True).fill(totp_code(apparaat))
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state()
    return page


def dossier_bekeken(user, deelnemer):
    """The user opened the file earlier (another session): a line in the log."""
    client = Client()
    client.force_login(user)
    assert client.get(reverse("deelnemers:dossier", args=[deelnemer.pk])).status_code == 200


def vergrendel(gebruikersnaam, ip="192.0.2.10"):
    """Wrong passwords until the lockout, from another address than the browser's: the
    address is locked as well, and the browser must still log in."""
    client = Client()
    for _ in range(settings.INLOG_POGINGEN):
        response = client.post(
            reverse("login"),
            {"username": gebruikersnaam, "password": "fout-wachtwoord"},
            REMOTE_ADDR=ip,
        )
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE


def geen_horizontale_scroll(page):
    breedte = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert breedte[0] <= breedte[1] + 1, f"{page.url}: scrollWidth {breedte[0]} > {breedte[1]}"


def test_privacyfunctionaris_log_wie_zag_en_inzage(page, server, wereld):
    page.set_default_timeout(10_000)
    km, privacy = wereld.gebruikers[Rol.KLANTMANAGER], wereld.gebruikers[Rol.PRIVACY]
    deelnemer = wereld.deelnemer
    dossier_bekeken(km, deelnemer)

    inloggen(page, server.url, privacy)
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    assert_toegankelijk(page)

    page.get_by_role("link", name="Het verwerkingenlog doorzoeken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwerkingenlog")
    assert_toegankelijk(page)
    zoeken = page.get_by_role("search", name="Verwerkingenlog doorzoeken")
    zoeken.get_by_label("Gebruiker").select_option(label=str(km))
    zoeken.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(re.compile(rf"gebruiker={km.pk}"))
    expect(page.get_by_role("status")).not_to_contain_text("0 verwerkingen")
    tabel = page.get_by_role("table", name="Gevonden verwerkingen")
    rij = tabel.locator("tbody tr").filter(has_text=km.username).first
    expect(rij).to_be_visible()
    expect(page.get_by_label("Gebruiker")).to_have_value(str(km.pk))
    assert_toegankelijk(page)

    rij.get_by_role("link", name=deelnemer.naam).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LOG_KOP)
    expect(page).to_have_url(re.compile(rf"/verwerkingen/deelnemer/{deelnemer.pk}/$"))
    alle = page.get_by_role("table", name="Verwerkingen van dit dossier")
    expect(alle).to_contain_text(km.username)
    assert_toegankelijk(page)

    page.get_by_role("link", name="Terug naar het dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(deelnemer.naam)
    assert_toegankelijk(page)

    page.get_by_role("link", name="Inzage (AVG)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Inzage voor {deelnemer.naam}")
    expect(page.get_by_role("table", name="Aantal gegevens per onderdeel")).to_be_visible()
    assert_toegankelijk(page)

    # Both links download a file, as the user clicks them.
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Inzage als PDF").click()
    assert pdf.value.suggested_filename.startswith(f"inzage-{deelnemer.pk}-")
    assert pdf.value.suggested_filename.endswith(".pdf")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as json_bestand:
        page.get_by_role("link", name="Inzage als JSON").click()
    assert json_bestand.value.suggested_filename.endswith(".json")
    json.loads(Path(json_bestand.value.path()).read_text(encoding="utf-8"))

    # And with the content types the browser is told.
    soorten = {}
    for naam in ("Inzage als PDF", "Inzage als JSON"):
        href = page.get_by_role("link", name=naam).get_attribute("href")
        antwoord = page.request.get(urljoin(page.url, href))
        assert antwoord.ok
        assert antwoord.headers["content-disposition"].startswith("attachment;")
        soorten[naam] = antwoord.headers["content-type"].split(";")[0]
    assert soorten == {"Inzage als PDF": "application/pdf", "Inzage als JSON": "application/json"}

    # The register, from the start page.
    page.get_by_role("link", name="Re-integratie", exact=True).click()
    page.get_by_role("link", name="Het register van verwerkingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register van verwerkingen")
    expect(page).to_have_url(re.compile(r"/verwerkingen/register/$"))
    register = page.get_by_role("table", name="Verwerkingsactiviteiten")
    expect(register.locator("tbody tr").first).to_be_visible()
    assert_toegankelijk(page)

    # The inzagen given are in the file's log now.
    page.goto(f"{server.url}/verwerkingen/deelnemer/{deelnemer.pk}/")
    alle = page.get_by_role("table", name="Verwerkingen van dit dossier")
    expect(alle).to_contain_text("inzage als PDF")
    expect(alle).to_contain_text("inzage als JSON")


def test_klantmanager_ziet_eigen_inzage_in_het_log(page, server, wereld):
    page.set_default_timeout(10_000)
    km, deelnemer = wereld.gebruikers[Rol.KLANTMANAGER], wereld.deelnemer
    inloggen(page, server.url, km)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    page.get_by_role("table", name="Mijn caseload").get_by_role("link", name=deelnemer.naam).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(deelnemer.naam)

    page.get_by_role("link", name="Wie zag dit dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LOG_KOP)
    per_rol = page.get_by_role("table", name="Verwerkingen per organisatie en rol")
    expect(per_rol.locator("tbody tr").filter(has_text=wereld.eigen.naam)).to_contain_text(
        "Klantmanager"
    )
    # His own view of the file a moment ago, as the last line but this page's own.
    alle = page.get_by_role("table", name="Verwerkingen van dit dossier")
    bekeken = alle.locator("tbody tr").filter(has_text=km.username).filter(has_text="Bekeken")
    expect(bekeken.first).to_be_visible()
    assert_toegankelijk(page)


def test_beheerder_ontgrendelt_een_account(page, server, wereld, browser):
    page.set_default_timeout(10_000)
    beheerder, km = wereld.gebruikers[Rol.BEHEERDER], wereld.gebruikers[Rol.KLANTMANAGER]
    inloggen(page, server.url, beheerder)
    vergrendel(km.username)

    page.get_by_role("link", name="Vergrendelde accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vergrendelde accounts")
    tabel = page.get_by_role("table", name="Vergrendelde accounts van uw organisatie")
    expect(tabel.locator("tbody tr")).to_have_count(1)
    expect(tabel.locator("tbody tr")).to_contain_text(km.username)
    assert_toegankelijk(page)

    tabel.get_by_role("button", name=f"Ontgrendelen {km.username}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Het account van {km} is ontgrendeld.")
    expect(page.get_by_role("main")).to_contain_text("Er zijn nu geen vergrendelde accounts")
    assert_toegankelijk(page)

    # Open again: the klantmanager logs in, in a browser of his own.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        inloggen(context.new_page(), server.url, km)
        expect(context.pages[0].get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    finally:
        context.close()


def test_wachtwoord_wijzigen(page, server, wereld):
    page.set_default_timeout(10_000)
    user = wereld.gebruikers[Rol.TRAJECTBEGELEIDER]
    inloggen(page, server.url, user)
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord wijzigen")
    assert_toegankelijk(page)

    main = page.get_by_role("main")
    main.get_by_label("Oud wachtwoord").fill(WACHTWOORD)
    main.get_by_label("Nieuw wachtwoord", exact=True).fill("kort-ww")
    main.get_by_label("Nieuw wachtwoord bevestigen").fill("kort-ww")
    main.get_by_role("button", name="Wachtwoord wijzigen").click()
    fout = "Dit wachtwoord is te kort: gebruik minstens 12 tekens."
    melding = main.locator(".utrecht-form-field-error-message")
    expect(melding).to_have_count(1)
    expect(melding).to_have_text(fout)
    # At its field (one of the two new-password fields), and read out with it.
    veld = main.locator("input[aria-invalid=true]")
    expect(veld).to_have_count(1)
    assert veld.get_attribute("name") in {"new_password1", "new_password2"}
    expect(veld).to_have_accessible_description(re.compile(re.escape(fout)))
    assert_toegankelijk(page)

    nieuw = "fietsen langs de Vecht 2024"
    main.get_by_label("Oud wachtwoord").fill(WACHTWOORD)
    main.get_by_label("Nieuw wachtwoord", exact=True).fill(nieuw)
    main.get_by_label("Nieuw wachtwoord bevestigen").fill(nieuw)
    main.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw wachtwoord is gewijzigd.")
    assert_toegankelijk(page)
    user.refresh_from_db()
    assert user.check_password(nieuw)


def test_inlogpagina_na_te_veel_pogingen(page, server, wereld):
    page.set_default_timeout(10_000)
    km = wereld.gebruikers[Rol.KLANTMANAGER]
    page.goto(f"{server.url}/inloggen/")
    for _ in range(settings.INLOG_POGINGEN):
        page.get_by_label("Gebruikersnaam").fill(km.username)
        page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
    melding = page.get_by_role("alert")
    expect(melding).to_contain_text("Inloggen is tijdelijk geblokkeerd")
    expect(melding).to_contain_text(f"Wacht {settings.INLOG_VERGRENDELING_MINUTEN} minuten")
    assert_toegankelijk(page)

    # Now even the right password is refused, with the same message.
    page.get_by_label("Gebruikersnaam").fill(km.username)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("Inloggen is tijdelijk geblokkeerd")
    expect(page).to_have_url(re.compile(r"/inloggen/"))


@pytest.mark.parametrize("pagina", ["register", "log van het dossier"])
def test_op_telefoon_zonder_horizontale_scroll(page, server, wereld, pagina):
    page.set_default_timeout(10_000)
    page.set_viewport_size(TELEFOON)
    km, privacy = wereld.gebruikers[Rol.KLANTMANAGER], wereld.gebruikers[Rol.PRIVACY]
    deelnemer = wereld.deelnemer
    dossier_bekeken(km, deelnemer)
    inloggen(page, server.url, privacy)

    if pagina == "register":
        page.get_by_role("link", name="Het register van verwerkingen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Register van verwerkingen")
    else:
        page.goto(f"{server.url}/verwerkingen/deelnemer/{deelnemer.pk}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(LOG_KOP)
        alle = page.get_by_role("table", name="Verwerkingen van dit dossier")
        expect(alle).to_contain_text(km.username)
    geen_horizontale_scroll(page)
    assert_toegankelijk(page)
