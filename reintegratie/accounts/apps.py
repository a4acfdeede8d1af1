from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reintegratie.accounts"
    label = "accounts"
    verbose_name = "Organisaties en gebruikers"

    def ready(self):
        # Log-ins, failures, lockouts and log-outs in the audit log.
        from . import signalen

        signalen.verbind()
