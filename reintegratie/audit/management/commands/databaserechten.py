"""Grant the runtime database role what the web application needs, and no more.

The owner of the tables can TRUNCATE the audit log, disable or drop its append-only triggers
and drop the table; only a role that does not own the tables is held to them. Run this as the
owner after every `migrate`, because privileges go per table and migrations add tables.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from reintegratie.audit.models import AuditRecord


class Command(BaseCommand):
    help = (
        "Geeft de databaserol van de webapplicatie lees- en schrijfrechten op alle tabellen, "
        "maar op het auditlog alleen SELECT en INSERT. Draai als eigenaar, na migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("rol", help="de rol waarmee de webapplicatie inlogt")

    def handle(self, *args, rol, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(
                f"Databaserechten alleen op PostgreSQL, niet op {connection.vendor}; niets gedaan."
            )
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            eigenaar, database = cursor.fetchone()
            if rol == eigenaar:
                raise CommandError("Geef de rol van de webapplicatie, niet de eigenaar.")
            namen = {
                "rol": sql.Identifier(rol),
                "database": sql.Identifier(database),
                "audit": sql.Identifier(AuditRecord._meta.db_table),
            }
            with transaction.atomic():
                for opdracht in (
                    # REVOKE first, so that running it again leaves exactly these rights.
                    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {rol}",
                    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {rol}",
                    "GRANT CONNECT ON DATABASE {database} TO {rol}",
                    "GRANT USAGE ON SCHEMA public TO {rol}",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {rol}",
                    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {rol}",
                    # Append-only: without UPDATE and DELETE, and never TRUNCATE or ownership.
                    "REVOKE UPDATE, DELETE ON {audit} FROM {rol}",
                ):
                    cursor.execute(sql.SQL(opdracht).format(**namen))
        self.stdout.write(
            f"Rechten voor {rol} gezet; op {AuditRecord._meta.db_table} alleen SELECT en INSERT."
        )
