from django.apps import AppConfig


class WerkplekkenConfig(AppConfig):
    name = "werkplekken"
    verbose_name = "Werkplekken"
