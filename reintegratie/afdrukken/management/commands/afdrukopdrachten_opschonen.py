from django.conf import settings
from django.core.management.base import BaseCommand

from reintegratie.afdrukken.services import opschonen


class Command(BaseCommand):
    help = (
        "Verwijdert afdrukopdrachten (met hun PDF) die langer dan AFDRUKKEN_BEWAAR_UREN klaar "
        "of mislukt zijn, en meldt vastgelopen opdrachten als mislukt. Draai het elk uur."
    )

    def handle(self, *args, **options):
        vastgelopen, verwijderd = opschonen()
        self.stdout.write(
            f"{verwijderd} afdrukopdracht(en) ouder dan {settings.AFDRUKKEN_BEWAAR_UREN} uur "
            f"verwijderd, {vastgelopen} vastgelopen als mislukt gemeld."
        )
