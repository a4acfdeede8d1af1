"""The health endpoint for the load balancer: open without log-in, JSON, ok or not ok per
part, and nothing more (no versions, no error texts that could name a host)."""

import platform
import re

import django
import health_check
import pytest
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from health_check import Database
from health_check.exceptions import ServiceUnavailable

from reintegratie.gezondheid import Migraties

URL = "/gezondheid/"


def test_het_pad():
    assert reverse("gezondheid") == URL


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["application/json", "text/html", "*/*", "text/plain"])
def test_zonder_inloggen_json_en_geen_versies(client, accept):
    response = client.get(URL, headers={"accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "onderdelen": {"database": "ok", "cache": "ok", "migraties": "ok"},
    }
    inhoud = response.content.decode()
    for versie in (django.get_version(), health_check.__version__, platform.python_version()):
        assert versie not in inhoud
    assert not re.search(r"\d+\.\d+", inhoud)  # no version-like string at all
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("formaat", ["atom", "rss", "openmetrics", "text"])
def test_geen_andere_formaten(client, formaat):
    """django-health-check's feeds and metrics name its checks and their errors."""
    response = client.get(URL, {"format": formaat})
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"status", "onderdelen"}


@pytest.mark.django_db
def test_een_fout_zonder_zijn_tekst(client, monkeypatch):
    def onbereikbaar(self):
        raise ServiceUnavailable('connection to server at "db-1.intern.example" (10.1.2.3) failed')

    monkeypatch.setattr(Database, "run", onbereikbaar)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "niet ok",
        "onderdelen": {"database": "niet ok", "cache": "ok", "migraties": "ok"},
    }
    assert "intern.example" not in response.content.decode()
    assert "10.1.2.3" not in response.content.decode()


@pytest.mark.django_db
def test_ontbrekende_migraties(client, monkeypatch):
    monkeypatch.setattr(Migraties, "_toegepast", False, raising=False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, doelen: ["0099_nieuw"])
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["onderdelen"]["migraties"] == "niet ok"


@pytest.mark.django_db
def test_ook_ingelogd_en_zonder_tweede_stap(client, wereld):
    from reintegratie.accounts.models import Rol

    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    assert client.get(URL).json()["status"] == "ok"
