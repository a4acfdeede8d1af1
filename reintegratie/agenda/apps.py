from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "reintegratie.agenda"
    label = "agenda"
    verbose_name = "Agenda"
