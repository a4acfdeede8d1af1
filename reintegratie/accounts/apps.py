from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "reintegratie.accounts"
    label = "accounts"
    verbose_name = "Organisaties en gebruikers"

    def ready(self):
        # Log-ins, failures, lockouts and log-outs in the audit log.
        from django.db.models.signals import post_delete
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from . import signalen, tweestaps

        signalen.verbind()
        # A removed second factor ends the second step of the user's open sessions.
        for apparaat in (TOTPDevice, StaticDevice):
            post_delete.connect(tweestaps.factor_verwijderd, sender=apparaat)
