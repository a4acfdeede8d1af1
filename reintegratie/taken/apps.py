from django.apps import AppConfig


class TakenConfig(AppConfig):
    name = "reintegratie.taken"
    label = "taken"
    verbose_name = "Taken"
