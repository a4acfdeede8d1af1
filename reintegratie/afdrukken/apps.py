from django.apps import AppConfig


class AfdrukkenConfig(AppConfig):
    name = "reintegratie.afdrukken"
    label = "afdrukken"
    verbose_name = "Afdrukken"
