from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reintegratie.accounts"
    label = "accounts"
    verbose_name = "Organisaties en gebruikers"
