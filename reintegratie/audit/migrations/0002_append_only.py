"""Make the audit log append-only in the database itself, not only in the ORM.

PostgreSQL (production) refuses UPDATE and DELETE. SQLite, the development database, refuses
UPDATE only: Django's test runner empties tables with DELETE there (PostgreSQL uses TRUNCATE).
"""

from django.db import migrations

PG_AAN = """
CREATE FUNCTION audit_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Het auditlog kan alleen worden aangevuld, niet gewijzigd of verwijderd.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_alleen_toevoegen BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_alleen_toevoegen();
"""
PG_UIT = """
DROP TRIGGER IF EXISTS audit_alleen_toevoegen ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_alleen_toevoegen();
"""
SQLITE_AAN = """
CREATE TRIGGER audit_alleen_toevoegen BEFORE UPDATE ON audit_auditrecord
BEGIN
    SELECT RAISE(ABORT, 'Het auditlog kan alleen worden aangevuld, niet gewijzigd.');
END;
"""
SQLITE_UIT = "DROP TRIGGER IF EXISTS audit_alleen_toevoegen;"


def aan(apps, schema_editor):
    sql = {"postgresql": PG_AAN, "sqlite": SQLITE_AAN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def uit(apps, schema_editor):
    sql = {"postgresql": PG_UIT, "sqlite": SQLITE_UIT}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(aan, uit)]
