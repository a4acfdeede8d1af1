"""The replica router (reintegratie/databases.py): reads from a replica, writes and the reads
after them from the primary.

The replica is a second connection to the test database (as a TEST MIRROR would be), added
for these tests only: the rest of the suite runs without replicas, as a configuration without
DATABASE_REPLICA_URLS does. Queries are counted per connection to see where each went. The
tests commit (transaction=True): a second connection does not see a test's open transaction.
"""

import re

import pytest
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deelnemers.models import Deelnemer
from reintegratie.accounts.models import Rol
from reintegratie.databases import COOKIE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def replica(transactional_db, settings):
    # Connected here, and kept open across requests (CONN_MAX_AGE None): Django's test case
    # refuses a connection to an alias it did not set up, and it set this one up before it
    # existed.
    connections.settings["replica1"] = {
        **connections["default"].settings_dict,
        "CONN_MAX_AGE": None,
    }
    connections["replica1"].connect()
    settings.DATABASE_REPLICAS = ["replica1"]
    yield connections["replica1"]
    connections["replica1"].close()
    del connections["replica1"]
    del connections.settings["replica1"]


def _tabellen(vangst):
    """The tables the captured SELECTs read from."""
    return {
        tabel
        for q in vangst.captured_queries
        if q["sql"].startswith("SELECT")
        for tabel in re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"])
    }


def _opvragen(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primair,
        CaptureQueriesContext(connections["replica1"]) as kopie,
    ):
        response = client.get(url)
    assert response.status_code == 200
    # Security state is read as a table of its own, never from the replica.
    for q in kopie.captured_queries:
        assert not re.search(r'FROM "(accounts_gebruiker|django_session)"', q["sql"]), q["sql"]
    return _tabellen(primair), _tabellen(kopie)


@pytest.fixture
def km_client(client, wereld):
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    return client


def test_zonder_replica_beslist_django(wereld, settings):
    assert settings.DATABASE_REPLICAS == []
    assert router.db_for_read(Deelnemer) == "default"
    assert router.db_for_write(Deelnemer) == "default"


def test_lezen_van_de_replica_sessie_van_de_primaire(replica, km_client, wereld):
    url = reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk})
    primair, kopie = _opvragen(km_client, url)
    assert "deelnemers_deelnemer" in kopie
    assert "deelnemers_deelnemer" not in primair
    # Sessions and users (the second step's version) never from a replica; a user's name
    # joined to a journal entry may come from it.
    assert "django_session" in primair
    assert "accounts_gebruiker" in primair
    assert "django_session" not in kopie
    # The audit record the page wrote does not pin the user to the primary.
    assert COOKIE not in km_client.cookies


def test_na_een_schrijvend_verzoek_van_de_primaire(replica, km_client, wereld, settings):
    dossier = reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk})
    response = km_client.post(
        reverse("deelnemers:contactmoment", kwargs={"pk": wereld.deelnemer.pk}),
        {"soort": "telefoon", "onderwerp": "Gebeld"},
    )
    assert response.status_code == 302
    assert response.cookies[COOKIE]["max-age"] == settings.DATABASE_PRIMAIR_NA_SCHRIJVEN_SECONDEN
    primair, kopie = _opvragen(km_client, dossier)
    assert "deelnemers_deelnemer" in primair
    assert not kopie

    # Once the pin expires (here: a cookie the server no longer accepts) reads go back.
    settings.DATABASE_PRIMAIR_NA_SCHRIJVEN_SECONDEN = 0
    primair, kopie = _opvragen(km_client, dossier)
    assert "deelnemers_deelnemer" in kopie


def test_een_schrijvend_verzoek_leest_daarna_van_de_primaire(replica, km_client, wereld):
    """The contactmoment view renders the dossier again after saving (an htmx request): that
    second read is of the request that wrote, so from the primary."""
    with (
        CaptureQueriesContext(connections["default"]) as primair,
        CaptureQueriesContext(connections["replica1"]) as kopie,
    ):
        response = km_client.post(
            reverse("deelnemers:contactmoment", kwargs={"pk": wereld.deelnemer.pk}),
            {"soort": "telefoon", "onderwerp": "Gebeld"},
            headers={"HX-Request": "true"},
        )
    assert "Gebeld" in response.content.decode()
    sql = [q["sql"] for q in primair.captured_queries]
    geschreven = next(i for i, s in enumerate(sql) if s.startswith("INSERT"))
    assert any("deelnemers_contactmoment" in s for s in sql[geschreven + 1 :])
    assert not any("deelnemers_contactmoment" in q["sql"] for q in kopie.captured_queries)


def test_transactie_en_select_for_update_op_de_primaire(replica, rf):
    from reintegratie.databases import PrimairNaSchrijvenMiddleware

    gezien = {}

    def view(request):
        gezien["buiten"] = router.db_for_read(Deelnemer)
        with transaction.atomic():
            gezien["binnen"] = router.db_for_read(Deelnemer)
            gezien["voor_update"] = Deelnemer.objects.select_for_update().db
        return HttpResponse()

    PrimairNaSchrijvenMiddleware(view)(rf.get("/"))
    assert gezien == {"buiten": "replica1", "binnen": "default", "voor_update": "default"}
    # Outside a request (commands, task workers): the primary.
    assert router.db_for_read(Deelnemer) == "default"


def test_migraties_alleen_op_default():
    assert router.allow_migrate("default", "deelnemers")
    assert not router.allow_migrate("replica1", "deelnemers")
