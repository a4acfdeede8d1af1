"""Trigram indexes for searching by part of a name in the whole organisation.

The caseload's search is ``icontains`` on voornaam and achternaam, which PostgreSQL runs as
``UPPER(naam::text) LIKE UPPER('%...%')``: without these indexes a sequential scan of every
participant. The indexes are on that same expression, so the planner can use them. PostgreSQL
only: the extension needs the owner role (migrations run as the owner, the application does
not), and SQLite has neither the extension nor GIN; there the migration does nothing.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXEN = {
    "deelnemer_achternaam_trgm": "achternaam",
    "deelnemer_voornaam_trgm": "voornaam",
}


def aanmaken(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for naam, kolom in INDEXEN.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{naam}" ON "deelnemers_deelnemer" '
            f'USING gin ((UPPER("{kolom}"::text)) gin_trgm_ops)'
        )


def verwijderen(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for naam in INDEXEN:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{naam}"')


class Migration(migrations.Migration):
    dependencies = [("deelnemers", "0007_ladder_uitersten_vullen")]

    operations = [TrigramExtension(), migrations.RunPython(aanmaken, verwijderen)]
