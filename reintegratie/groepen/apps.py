from django.apps import AppConfig


class GroepenConfig(AppConfig):
    name = "reintegratie.groepen"
    label = "groepen"
    verbose_name = "Groepsbijeenkomsten"
