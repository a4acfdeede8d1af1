"""The runtime database role cannot empty or unprotect the audit log.

The append-only triggers only bind a role that does not own the table: the owner can TRUNCATE,
disable or drop the triggers, or drop the table. `databaserechten` gives the application's role
SELECT and INSERT on the audit log; this test logs in as that role and tries everything else.
"""

import os

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import errors, sql

from tests.factories import GebruikerFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="alleen op PostgreSQL"),
]

ROL = os.environ.get("DATABASE_APP_ROLE", "reintegratie_app")

VERBODEN = [
    "TRUNCATE audit_auditrecord",
    "UPDATE audit_auditrecord SET actie = 'x'",
    "DELETE FROM audit_auditrecord",
    "ALTER TABLE audit_auditrecord DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_alleen_toevoegen ON audit_auditrecord",
    "DROP TABLE audit_auditrecord",
]


@pytest.fixture
def als_app(transactional_db, django_db_serialized_rollback):
    """An autocommit connection to the test database as the runtime role, after the grant.

    Committed rows, so the second connection sees them; with serialized rollback, so the
    tables are restored as migrated for the transactional tests that follow."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROL])
        if cursor.fetchone() is None:
            if os.environ.get("CI"):
                pytest.fail(f"De rol {ROL} bestaat niet; .ci/run moet die aanmaken (CREATE ROLE).")
            # Locally the test user is a superuser and may make the role itself.
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(ROL)))
    call_command("databaserechten", ROL)
    instellingen = connection.settings_dict
    with psycopg.connect(
        host=instellingen["HOST"] or None,
        port=instellingen["PORT"] or None,
        dbname=instellingen["NAME"],
        user=ROL,
        autocommit=True,
    ) as app:
        yield app


@pytest.mark.parametrize("opdracht", VERBODEN)
def test_rol_kan_auditlog_niet_legen_of_ontgrendelen(als_app, opdracht):
    with pytest.raises(errors.InsufficientPrivilege):
        als_app.execute(opdracht)


def test_rol_kan_auditlog_aanvullen_en_lezen_en_andere_tabellen_wijzigen(als_app):
    gebruiker = GebruikerFactory()
    (nieuw,) = als_app.execute(
        """
        INSERT INTO audit_auditrecord
            (tijdstip, gebruiker_id, gebruikersnaam, organisatie, organisatie_identificatie, rol,
             deelnemer_id, actie, omschrijving, doel, grondslag, vertrouwelijkheid, categorieen,
             betrokkenheid)
        VALUES (now(), %s, %s, '', '', '', 1, 'bekeken', 'test', '', '', '', '[]', '[]')
        RETURNING id
        """,
        [gebruiker.pk, gebruiker.username],
    ).fetchone()
    assert als_app.execute("SELECT actie FROM audit_auditrecord WHERE id = %s", [nieuw]).fetchone()
    als_app.execute("UPDATE accounts_organisatie SET plaats = plaats")
    assert not als_app.execute(
        "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user"
    ).fetchone()[0]
