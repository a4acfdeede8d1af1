"""Apply the appointment rules of the trajecttypes to every running trajectory (daily)."""

from django.core.management.base import BaseCommand

from reintegratie.agenda.regels import alle_regels_toepassen


class Command(BaseCommand):
    help = "Past de afspraakregels van de trajecttypes toe op alle lopende trajecten."

    def handle(self, *args, **options):
        aantal = alle_regels_toepassen()
        self.stdout.write(f"{aantal} afspraken volgens de regels staan in de agenda.")
