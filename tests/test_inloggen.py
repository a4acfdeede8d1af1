"""Log-in protection: lockout per account and per address (django-axes), the same answer and
the same cost for a known and an unknown user name, unlocking by the beheerder of the same
organisation, and every log-in, failure, lockout, unlock and log-out in the audit log."""

import os
import re
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.accounts.views import client_ip
from reintegratie.audit.models import AuditRecord

Actie = AuditRecord.Actie
WACHTWOORD = "geheim-wachtwoord"  # tests/factories.py
ONBEKEND = "niemand-heet-zo"
VERGRENDELD = "Inloggen is tijdelijk geblokkeerd"
ROOT = Path(__file__).resolve().parent.parent


def _inloggen(client, gebruikersnaam, wachtwoord="fout-wachtwoord", ip="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": gebruikersnaam, "password": wachtwoord},
        REMOTE_ADDR=ip,
    )


def _vergrendel(client, gebruikersnaam, ip="10.0.0.1", pogingen=5):
    for _ in range(pogingen):
        response = _inloggen(client, gebruikersnaam, ip=ip)
    return response


def _zonder_tokens(response) -> str:
    """The page without what differs per request anyway (CSRF token, CSP nonce)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def _melding(response) -> str:
    blok = re.search(r'role="alert">(.*?)</div></div>', response.content.decode(), re.S)
    assert blok, "geen melding op de pagina"
    return blok.group(1)


@contextmanager
def hashes_geteld():
    """Counts the password hashes computed (MD5 in the tests: verify() encodes too)."""
    teller = []
    echt = MD5PasswordHasher.encode

    def encode(self, password, salt):
        teller.append(1)
        return echt(self, password, salt)

    with mock.patch.object(MD5PasswordHasher, "encode", encode):
        yield teller


@pytest.fixture
def km(wereld):
    return wereld.gebruikers[Rol.KLANTMANAGER]


def test_inloggen_lukt_en_wordt_gelogd(client, km):
    response = _inloggen(client, km.username, WACHTWOORD)
    assert response.status_code == 302
    record = AuditRecord.objects.get(actie=Actie.INGELOGD)
    assert (record.gebruiker, record.omschrijving) == (km, "Ingelogd")
    assert record.activiteit.code == "beveiliging"


def test_uitloggen_wordt_gelogd(client, km):
    _inloggen(client, km.username, WACHTWOORD)
    assert client.post(reverse("logout")).status_code == 302
    assert AuditRecord.objects.get(actie=Actie.UITGELOGD).gebruiker == km


def test_mislukt_zelfde_melding_bekend_en_onbekend(client, km):
    bekend = _inloggen(client, km.username)
    onbekend = _inloggen(client, ONBEKEND)
    assert bekend.status_code == onbekend.status_code == 200
    assert _melding(bekend) == _melding(onbekend)
    assert "combinatie van gebruikersnaam en wachtwoord is niet bekend" in _melding(bekend)


def test_mislukt_gelogd_zonder_getypte_naam(client, km):
    _inloggen(client, km.username)
    _inloggen(client, ONBEKEND)
    records = AuditRecord.objects.filter(actie=Actie.INLOGGEN_MISLUKT).order_by("pk")
    assert [r.gebruiker for r in records] == [km, None]
    onbekend = records[1]
    assert onbekend.gebruikersnaam == "" and onbekend.omschrijving == "Inloggen mislukt"
    for record in AuditRecord.objects.values():
        assert ONBEKEND not in str(record)


def test_vergrendeld_na_vijf_pogingen_ook_met_goed_wachtwoord(client, km):
    for _ in range(4):
        assert _inloggen(client, km.username).status_code == 200
    vijfde = _inloggen(client, km.username)
    assert vijfde.status_code == 429
    assert VERGRENDELD in vijfde.content.decode()
    goed = _inloggen(client, km.username, WACHTWOORD)
    assert goed.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(actie=Actie.INGELOGD).count() == 0
    # One lockout; six failures, the last refused before any password was checked.
    vergrendeld = AuditRecord.objects.get(actie=Actie.VERGRENDELD)
    assert vergrendeld.gebruiker == km
    assert vergrendeld.omschrijving.startswith("Vergrendeld (account) na 5")
    mislukt = AuditRecord.objects.filter(actie=Actie.INLOGGEN_MISLUKT).order_by("pk")
    assert [r.omschrijving for r in mislukt][-2:] == ["Inloggen mislukt", "Geweigerd: vergrendeld"]
    assert mislukt.count() == 6


def test_vergrendelpagina_is_de_inlogpagina_in_het_nederlands(client, km):
    response = _vergrendel(client, km.username)
    html = response.content.decode()
    assert 'for="id_username">Gebruikersnaam</label>' in html
    assert 'for="id_password">Wachtwoord</label>' in html
    assert "Wacht 15 minuten" in html
    assert "functioneel beheerder van uw organisatie" in html
    assert "Account locked" not in html and "too many" not in html


def test_vergrendeling_identiek_voor_bekend_en_onbekend(client, km):
    bekend = _vergrendel(client, km.username, ip="10.0.0.1")
    onbekend = _vergrendel(Client(), ONBEKEND, ip="10.0.0.2")
    assert bekend.status_code == onbekend.status_code == 429
    assert _zonder_tokens(bekend) == _zonder_tokens(onbekend)
    # And while locked, with any password.
    nog_eens = _inloggen(client, km.username, WACHTWOORD, ip="10.0.0.1")
    onbekend_nog_eens = _inloggen(Client(), ONBEKEND, WACHTWOORD, ip="10.0.0.2")
    assert _zonder_tokens(nog_eens) == _zonder_tokens(onbekend_nog_eens)
    assert ONBEKEND not in _zonder_tokens(onbekend_nog_eens)
    # The unknown name's lockout is logged without a name.
    assert list(
        AuditRecord.objects.filter(actie=Actie.VERGRENDELD).values_list("gebruiker", flat=True)
    ) == [None, km.pk]


def test_even_veel_hashwerk_voor_bekend_en_onbekend(client, km):
    """The ModelBackend hashes the password once for an unknown name as it checks it once for
    a known one; during a lockout axes refuses before either. Counted, not timed."""
    for naam in (km.username, ONBEKEND):
        with hashes_geteld() as teller:
            _inloggen(client, naam, ip="10.0.0.9")
        assert len(teller) == 1, naam
    for n, naam in enumerate((km.username, ONBEKEND)):
        ip = f"10.0.1.{n}"
        _vergrendel(Client(), naam, ip=ip)
        for wachtwoord in ("fout-wachtwoord", WACHTWOORD):
            with hashes_geteld() as teller:
                assert _inloggen(client, naam, wachtwoord, ip=ip).status_code == 429
            assert teller == [], naam


def test_een_kantoor_achter_een_adres_blijft_binnen(client, km):
    """Five colleagues behind one address (NAT) each typing a wrong password once: the
    address is not locked, as its limit is INLOG_POGINGEN_PER_ADRES."""
    for n in range(5):
        _inloggen(client, f"collega{n}", ip="10.0.0.7")
    assert _inloggen(client, km.username, WACHTWOORD, ip="10.0.0.7").status_code == 302
    assert not AuditRecord.objects.filter(actie=Actie.VERGRENDELD).exists()


def test_adres_vergrendeld_na_pogingen_op_verschillende_namen(client, km, settings):
    settings.INLOG_POGINGEN_PER_ADRES = 8
    for n in range(7):
        assert _inloggen(client, f"naam{n}", ip="10.0.0.7").status_code == 200
    assert _inloggen(client, "naam7", ip="10.0.0.7").status_code == 429
    assert _inloggen(client, km.username, WACHTWOORD, ip="10.0.0.7").status_code == 429
    # The account itself is not locked: from another address it logs in.
    assert _inloggen(Client(), km.username, WACHTWOORD, ip="10.0.0.8").status_code == 302
    record = AuditRecord.objects.get(actie=Actie.VERGRENDELD)
    assert record.gebruiker is None and "(IP-adres)" in record.omschrijving


def test_vergrendeling_duurt_vijftien_minuten_en_een_poging_verlengt_niet(client, km):
    begin = timezone.now()
    with time_machine.travel(begin, tick=False) as reis:
        _vergrendel(client, km.username)
        reis.move_to(begin + timedelta(minutes=10))
        assert _inloggen(client, km.username, WACHTWOORD).status_code == 429
        reis.move_to(begin + timedelta(minutes=15, seconds=1))
        assert _inloggen(client, km.username, WACHTWOORD).status_code == 302


def test_goede_inlog_zet_de_teller_terug(client, km):
    for _ in range(4):
        _inloggen(client, km.username)
    assert _inloggen(client, km.username, WACHTWOORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert _inloggen(client, km.username).status_code == 200


@pytest.fixture
def beheerder(client, wereld):
    gebruiker = wereld.gebruikers[Rol.BEHEERDER]
    client.force_login(gebruiker)
    return gebruiker


def test_beheerder_ziet_alleen_vergrendelde_accounts_van_eigen_organisatie(
    client, wereld, km, beheerder
):
    _vergrendel(Client(), km.username, ip="10.0.0.1")
    _vergrendel(Client(), wereld.buitenstaander.username, ip="10.0.0.2")
    _vergrendel(Client(), ONBEKEND, ip="10.0.0.3")
    niet_vergrendeld = wereld.gebruikers[Rol.MANAGER]
    _inloggen(Client(), niet_vergrendeld.username, ip="10.0.0.4")
    response = client.get(reverse("accounts:vergrendeld"))
    assert [a["gebruiker"] for a in response.context["accounts"]] == [km]
    html = response.content.decode()
    assert f'<td class="utrecht-table__cell">{km.username}</td>' in html
    assert html.count("Ontgrendelen<") == 1
    assert wereld.buitenstaander.username not in html and ONBEKEND not in html


def test_beheerder_ontgrendelt_account_van_eigen_organisatie(client, km, beheerder):
    _vergrendel(Client(), km.username)
    url = reverse("accounts:ontgrendelen", args=[km.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("accounts:vergrendeld")
    assert km.username not in client.get(response.url).content.decode()
    assert _inloggen(Client(), km.username, WACHTWOORD, ip="10.0.0.5").status_code == 302
    record = AuditRecord.objects.get(actie=Actie.ONTGRENDELD)
    assert record.gebruiker == beheerder
    assert record.omschrijving == f"Account {km.username} ontgrendeld door de beheerder"


def test_account_van_andere_organisatie_ontgrendelen_geeft_404(client, wereld, beheerder):
    vreemd = wereld.buitenstaander
    _vergrendel(Client(), vreemd.username)
    response = client.post(reverse("accounts:ontgrendelen", args=[vreemd.pk]))
    assert response.status_code == 404
    assert _inloggen(Client(), vreemd.username, WACHTWOORD).status_code == 429
    assert not AuditRecord.objects.filter(actie=Actie.ONTGRENDELD).exists()


@pytest.mark.parametrize("rol", [r for r in Rol if r != Rol.BEHEERDER], ids=lambda r: r.value)
def test_alleen_de_beheerder_ontgrendelt(client, wereld, km, rol):
    _vergrendel(Client(), km.username)
    client.force_login(wereld.gebruikers[rol])
    assert client.get(reverse("accounts:vergrendeld")).status_code == 404
    assert client.post(reverse("accounts:ontgrendelen", args=[km.pk])).status_code == 404


@pytest.mark.parametrize(
    ("aantal", "meta", "verwacht"),
    [
        (0, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}, "192.0.2.1"),
        (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}, "198.51.100.9"),
        # What the client wrote itself comes before what the proxy added.
        (
            1,
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9"},
            "198.51.100.9",
        ),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.9, 10.0.0.2"},
            "198.51.100.9",
        ),
        (1, {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
        (1, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "geen-adres"}, None),
    ],
)
def test_client_ip_achter_de_proxy(settings, aantal, meta, verwacht):
    settings.INLOG_PROXY_AANTAL = aantal
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == verwacht


def test_instellingen_uit_de_omgeving():
    omgeving = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    omgeving.update(
        DJANGO_SETTINGS_MODULE="reintegratie.settings",
        DEBUG="true",
        INLOG_POGINGEN="3",
        INLOG_VERGRENDELING_MINUTEN="60",
        BEHIND_TLS_PROXY="ja",
    )
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        "import environ; environ.Env.read_env = lambda *a, **k: None; "
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.INLOG_PROXY_AANTAL)"
    )
    uitkomst = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=omgeving, cwd="/"
    )
    assert uitkomst.stdout.split() == ["3", "1:00:00", "1"], uitkomst.stderr
