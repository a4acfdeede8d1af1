"""Keep every group's sessions planned a quarter ahead: run daily (cron, like the other jobs).

manage.py groepen_plannen
"""

from django.core.management.base import BaseCommand

from reintegratie.groepen.models import Groep
from reintegratie.groepen.services import plan_bijeenkomsten


class Command(BaseCommand):
    help = "Plan de bijeenkomsten van elke groep een kwartaal vooruit, met de afspraken."

    def handle(self, *args, **options):
        nieuw = sum(
            plan_bijeenkomsten(groep=groep, door=None)
            for groep in Groep.objects.select_related("begeleider", "werkplek")
        )
        self.stdout.write(f"{nieuw} bijeenkomsten gepland.")
