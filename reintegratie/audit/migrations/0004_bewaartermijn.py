"""Records past their retention may be deleted, and only those.

The trigger of 0002 refuses every UPDATE and DELETE. From here it lets a DELETE through for a
record whose ``bewaren_tot`` has passed (AVG art. 5 lid 1 sub e: not kept longer than needed).
The runtime role still has no DELETE privilege (``databaserechten``), so only the owner can
run ``verwerkingenlog_opschonen``; everything within its retention stays refused for all.
"""

from django.db import migrations

PG_BEWAARTERMIJN = """
CREATE OR REPLACE FUNCTION audit_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.bewaren_tot IS NOT NULL AND OLD.bewaren_tot < current_date THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'Het auditlog kan alleen worden aangevuld, niet gewijzigd of verwijderd.';
END;
$$ LANGUAGE plpgsql;
"""
PG_ZONDER = """
CREATE OR REPLACE FUNCTION audit_alleen_toevoegen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Het auditlog kan alleen worden aangevuld, niet gewijzigd of verwijderd.';
END;
$$ LANGUAGE plpgsql;
"""


def aan(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BEWAARTERMIJN)


def uit(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_ZONDER)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_verwerkingenlog")]

    operations = [migrations.RunPython(aan, uit)]
