from django.apps import AppConfig


class AfdrukkenConfig(AppConfig):
    name = "afdrukken"
    verbose_name = "Afdrukken"
