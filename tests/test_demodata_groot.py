"""demodata's large-load path on PostgreSQL: the big tables are loaded without their indexes
and keys, which must come back exactly as they were, also when the load fails."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from deelnemers.management.commands import demodata
from deelnemers.models import Deelnemer
from trajecten.models import Observatie, Urenregistratie

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="alleen op PostgreSQL"),
]

GROTE_TABELLEN = (Urenregistratie, Observatie)


def schema():
    """Every index and constraint definition of the big tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
            WHERE indrelid = ANY(%(tabellen)s::regclass[])
            UNION ALL
            SELECT conrelid::regclass::text, conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid = ANY(%(tabellen)s::regclass[])
            ORDER BY 1, 2
            """,
            {"tabellen": [m._meta.db_table for m in GROTE_TABELLEN]},
        )
        return cursor.fetchall()


@pytest.fixture
def klein_is_groot(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(demodata, "GROTE_LOAD", 10)


def test_indexen_en_sleutels_komen_terug(klein_is_groot):
    voor = schema()
    assert any("FOREIGN KEY" in definitie for _, definitie in voor)
    uitvoer = StringIO()
    call_command("demodata", deelnemers=30, verbosity=2, stdout=uitvoer)
    assert "Indexen en sleutels terug" in uitvoer.getvalue()
    assert schema() == voor
    assert Urenregistratie.objects.exists()
    assert Observatie.objects.exists()


def test_mislukte_load_laat_database_zoals_hij_was(klein_is_groot, monkeypatch):
    voor = schema()

    def mislukt(self, ctx, n):
        raise RuntimeError("halverwege")

    monkeypatch.setattr(demodata.Command, "chunk", mislukt)
    with pytest.raises(RuntimeError, match="halverwege"):
        call_command("demodata", deelnemers=30, verbosity=0)
    assert schema() == voor
    assert not Deelnemer.objects.exists()
