"""Sessions: logged out after 30 minutes without activity and after 8 hours in all, a page
with personal data never cached, a password change that ends the other sessions, and a
password policy after the NCSC's advice."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord

from .test_toegang import ALLEEN_POST, URLS

Actie = AuditRecord.Actie
WACHTWOORD = "geheim-wachtwoord"  # tests/factories.py
AFGEMELD = "U bent uitgelogd omdat u 30 minuten niets heeft gedaan."


@pytest.fixture
def klok():
    """A fixed clock that the test moves on; whatever day the run is on (TEST_WEEKDAG)."""
    begin = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    with time_machine.travel(begin, tick=False) as reis:
        reis.begin = begin
        yield reis


@pytest.fixture
def km(client, wereld, klok):
    gebruiker = wereld.gebruikers[Rol.KLANTMANAGER]
    client.force_login(gebruiker)
    return gebruiker


def _na(klok, **tijd):
    klok.move_to(klok.begin + timedelta(**tijd))


def _ingelogd(client) -> bool:
    return "_auth_user_id" in client.session


def test_actief_blijft_ingelogd(client, km, klok):
    for minuten in (10, 39, 68):
        _na(klok, minutes=minuten)
        assert client.get(reverse("start")).status_code == 200
    assert not AuditRecord.objects.filter(actie=Actie.SESSIE_VERLOPEN).exists()


def test_na_30_minuten_niets_uitgelogd(client, km, klok):
    assert client.get(reverse("start")).status_code == 200
    _na(klok, minutes=29, seconds=59)
    assert client.get(reverse("deelnemers:lijst")).status_code == 200
    _na(klok, minutes=59, seconds=59)
    response = client.get(reverse("deelnemers:lijst") + "?q=Akkerman")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    url = urlsplit(response.url)
    assert url.path == reverse("login")
    # Back to the page, without the search: a name must not travel to the log-in URL.
    assert parse_qs(url.query) == {"reden": ["inactief"], "next": ["/deelnemers/"]}
    assert not _ingelogd(client)
    record = AuditRecord.objects.get(actie=Actie.SESSIE_VERLOPEN)
    assert record.gebruiker == km
    assert record.omschrijving == "Uitgelogd na 30 minuten zonder activiteit"
    assert not AuditRecord.objects.filter(actie=Actie.UITGELOGD).exists()
    pagina = client.get(response.url)
    assert pagina.status_code == 200
    assert AFGEMELD in pagina.content.decode()


def test_inactief_instelbaar(client, km, klok, settings):
    settings.SESSIE_INACTIEF_MINUTEN = 10
    _na(klok, minutes=10)
    assert client.get(reverse("start")).status_code == 302
    pagina = client.get(reverse("login") + "?reden=inactief")
    assert "omdat u 10 minuten niets heeft gedaan" in pagina.content.decode()


def test_htmx_krijgt_hx_redirect(client, km, klok):
    _na(klok, minutes=31)
    response = client.post(
        reverse("deelnemers:contactmoment", kwargs={"pk": 1}),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/deelnemers/1/",
    )
    assert response.status_code == 200
    assert response.content == b""
    url = urlsplit(response["HX-Redirect"])
    assert url.path == reverse("login")
    assert parse_qs(url.query) == {"reden": ["inactief"], "next": ["/deelnemers/1/"]}
    assert not _ingelogd(client)


def test_de_inlogpagina_na_verlopen_sessie(client, km, klok):
    """Where the script sends the browser after the warning: the session ends there too."""
    _na(klok, minutes=30, seconds=3)
    pagina = client.get(reverse("login") + "?reden=inactief")
    assert pagina.status_code == 200
    assert AFGEMELD in pagina.content.decode()
    assert not _ingelogd(client)
    assert AuditRecord.objects.filter(actie=Actie.SESSIE_VERLOPEN).count() == 1


def test_vragen_hoe_lang_nog_is_geen_activiteit(client, km, klok):
    url = reverse("accounts:sessie")
    _na(klok, minutes=20)
    assert client.get(url).json() == {"resterend": 600}
    _na(klok, minutes=30)
    assert client.get(url).status_code == 302
    assert not _ingelogd(client)


def test_ingelogd_blijven_verlengt(client, km, klok):
    url = reverse("accounts:sessie")
    _na(klok, minutes=29)
    assert client.post(url).json() == {"resterend": 1800}
    _na(klok, minutes=58)
    assert client.get(reverse("start")).status_code == 200


def test_pagina_zegt_hoe_lang_nog(client, km, klok):
    _na(klok, minutes=5)
    response = client.get(reverse("start"))
    assert response["X-Sessie-Resterend"] == "1800"
    html = response.content.decode()
    script = re.search(r'<script src="[^"]*sessie\.js"[^>]*>', html).group(0)
    assert 'data-resterend="1800"' in script
    assert f'data-url="{reverse("accounts:sessie")}"' in script
    assert 'nonce="' in script


def test_activiteit_binnen_de_minuut_schrijft_de_sessie_niet(client, km, klok):
    _na(klok, seconds=59)
    assert client.get(reverse("start"))["X-Sessie-Resterend"] == "1741"
    _na(klok, seconds=61)
    assert client.get(reverse("start"))["X-Sessie-Resterend"] == "1800"


def test_na_8_uur_uitgelogd_ook_als_actief(client, km, klok):
    for minuten in range(25, 8 * 60, 25):
        _na(klok, minutes=minuten)
        assert client.get(reverse("start")).status_code == 200, minuten
    _na(klok, hours=8)
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.url).query)["reden"] == ["maximum"]
    record = AuditRecord.objects.get(actie=Actie.SESSIE_VERLOPEN)
    assert record.omschrijving == "Uitgelogd na de maximale sessieduur van 8 uur"
    pagina = client.get(response.url).content.decode()
    assert "U bent uitgelogd omdat u 8 uur ingelogd was" in pagina


def test_sessiecookie_duurt_even_lang_als_het_maximum(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSIE_MAXIMUM_UREN * 3600 == 8 * 3600
    assert settings.SESSIE_INACTIEF_MINUTEN == 30
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


# Cache-Control on every page, export and PDF a logged-in user gets.

VARIANTEN = {
    "resultaten": ["", "?formaat=csv", "?formaat=xlsx", "?formaat=pdf"],
    "kosten": ["", "?cel=totaal", "?formaat=csv", "?formaat=xlsx", "?formaat=pdf"],
    "dashboard": ["", "?formaat=xlsx"],
    "trajecten:rapportage_pdf": ["", "?voor=ketenpartner"],
}


def _geen_cache(response) -> bool:
    waarden = {w.strip() for w in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= waarden


@pytest.mark.parametrize("naam", sorted(URLS))
def test_geen_cache_voor_ingelogde_gebruiker(client, wereld, naam):
    maker, _, rollen = URLS[naam]
    client.force_login(wereld.gebruikers[rollen[0]])
    url = reverse(naam, kwargs=maker(wereld) if maker else None)
    for extra in VARIANTEN.get(naam, [""]):
        response = (client.post if naam in ALLEEN_POST else client.get)(url + extra)
        assert response.status_code in (200, 302), (naam, extra, response.status_code)
        assert _geen_cache(response), (naam, extra, response.get("Cache-Control"))


def test_geen_cache_ook_op_pdf_en_export(client, wereld):
    """The walk above reaches these; here it is checked that they are what they say."""
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    soorten = {
        reverse("deelnemers:dossier_pdf", kwargs={"pk": wereld.deelnemer.pk}): "application/pdf",
        reverse("resultaten") + "?formaat=csv": "text/csv",
        reverse("resultaten") + "?formaat=pdf": "application/pdf",
        reverse("dashboard") + "?formaat=xlsx": "application/vnd.openxmlformats",
        reverse("deelnemers:export"): "",
    }
    for url, soort in soorten.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(soort), (url, response["Content-Type"])
        assert _geen_cache(response), url


def test_geen_cache_ook_op_404_voor_ingelogde_gebruiker(client, wereld):
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    response = client.get(reverse("deelnemers:dossier", kwargs={"pk": wereld.vreemde_deelnemer.pk}))
    assert response.status_code == 404
    assert _geen_cache(response)


# Changing the password.


def test_wachtwoordpagina_in_het_nederlands(client, wereld):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    response = client.get(reverse("accounts:wachtwoord"))
    assert response.status_code == 200
    html = response.content.decode()
    for tekst in (
        "Oud wachtwoord",
        "Nieuw wachtwoord",
        "minstens 12 tekens",
        "Wachtwoord wijzigen",
    ):
        assert tekst in html
    assert 'autocomplete="current-password"' in html and 'autocomplete="new-password"' in html


def test_link_in_het_gebruikersmenu(client, wereld):
    client.force_login(wereld.gebruikers[Rol.KETENPARTNER])
    html = client.get(reverse("start")).content.decode()
    assert f'href="{reverse("accounts:wachtwoord")}">Wachtwoord wijzigen</a>' in html
    assert reverse("accounts:vergrendeld") not in html
    client.force_login(wereld.gebruikers[Rol.BEHEERDER])
    assert reverse("accounts:vergrendeld") in client.get(reverse("start")).content.decode()


def _wijzig(client, nieuw):
    return client.post(
        reverse("accounts:wachtwoord"),
        {"old_password": WACHTWOORD, "new_password1": nieuw, "new_password2": nieuw},
    )


def test_wachtwoord_wijzigen_logt_andere_sessies_uit(client, wereld):
    gebruiker = wereld.gebruikers[Rol.KLANTMANAGER]
    client.force_login(gebruiker)
    ander = Client()
    ander.force_login(gebruiker)
    assert ander.get(reverse("start")).status_code == 200
    response = _wijzig(client, "een lange zin als wachtwoord")
    assert response.status_code == 302 and response.url == reverse("start")
    assert client.get(reverse("start")).status_code == 200
    weg = ander.get(reverse("start"))
    assert weg.status_code == 302 and weg.url.startswith(reverse("login"))
    gebruiker.refresh_from_db()
    assert gebruiker.check_password("een lange zin als wachtwoord")
    record = AuditRecord.objects.get(actie=Actie.WACHTWOORD_GEWIJZIGD)
    assert record.gebruiker == gebruiker


@pytest.mark.parametrize(
    ("nieuw", "melding"),
    [
        ("kort-wacht", "Dit wachtwoord is te kort: gebruik minstens 12 tekens."),
        ("password1234", "Dit wachtwoord is te algemeen."),
        ("klantmanager-1", "Het wachtwoord lijkt te veel op de gebruikersnaam."),
    ],
)
def test_zwak_wachtwoord_geweigerd_met_melding_bij_het_veld(client, wereld, nieuw, melding):
    gebruiker = wereld.gebruikers[Rol.KLANTMANAGER]
    client.force_login(gebruiker)
    response = _wijzig(client, nieuw)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_new_password1_error">[^<]*' + re.escape(melding), html), html
    gebruiker.refresh_from_db()
    assert gebruiker.check_password(WACHTWOORD)
    assert not AuditRecord.objects.filter(actie=Actie.WACHTWOORD_GEWIJZIGD).exists()


@pytest.mark.parametrize(
    "wachtwoord", ["alleen kleine letters en spaties", "837261945038271", "zonderhoofdletter"]
)
def test_geen_samenstellingseisen(wachtwoord):
    validate_password(wachtwoord)


def test_elf_tekens_is_te_kort():
    with pytest.raises(ValidationError) as fout:
        validate_password("elf-tekens!")
    assert fout.value.messages == ["Dit wachtwoord is te kort: gebruik minstens 12 tekens."]
