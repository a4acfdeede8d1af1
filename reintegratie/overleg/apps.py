from django.apps import AppConfig


class OverlegConfig(AppConfig):
    name = "reintegratie.overleg"
    label = "overleg"
    verbose_name = "Partneroverleg"
