from django.core.management.base import BaseCommand

from reintegratie.taken.achtergrond import taken_afleiden
from reintegratie.taken.signalen import taken_uit_signalen


class Command(BaseCommand):
    help = (
        "Maakt de taken bij signalen (evaluatie nodig, certificaat verloopt) die er nog niet "
        "zijn. Met --wachtrij als achtergrondtaak voor de db_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--weken", type=int, default=None, help="Certificaten: weken vooruit.")
        parser.add_argument("--wachtrij", action="store_true", help="In de wachtrij zetten.")

    def handle(self, *args, weken, wachtrij, **options):
        if wachtrij:
            resultaat = taken_afleiden.enqueue()
            self.stdout.write(f"In de wachtrij gezet ({resultaat.id}).")
            return
        nieuw = taken_uit_signalen(weken=weken)
        self.stdout.write(self.style.SUCCESS(f"{nieuw} nieuwe taken uit signalen."))
