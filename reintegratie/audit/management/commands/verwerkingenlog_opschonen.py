"""Delete the log records whose retention has passed (``bewaren_tot``, from the register).

Run as the database owner, for instance nightly: the runtime role may not delete from the
log, and the database refuses to delete a record that is still within its retention.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from reintegratie.audit.models import AuditRecord


class Command(BaseCommand):
    help = "Verwijdert logregels waarvan de bewaartermijn voorbij is. Draai als eigenaar."

    def handle(self, *args, **options):
        vandaag = timezone.localdate()
        tabel = connection.ops.quote_name(AuditRecord._meta.db_table)
        # Raw SQL: the ORM refuses every delete on this model, on purpose.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {tabel} WHERE bewaren_tot < %s", [vandaag])
            aantal = cursor.rowcount
        self.stdout.write(f"{aantal} logregel(s) met een verstreken bewaartermijn verwijderd.")
