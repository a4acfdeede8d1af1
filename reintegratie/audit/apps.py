from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class AuditConfig(AppConfig):
    name = "reintegratie.audit"
    label = "audit"
    verbose_name = "Verwerkingenlog"

    def ready(self):
        from . import register, verwerking
        from .models import Verwerkingsactiviteit

        post_migrate.connect(register.vul_register, sender=self)
        post_save.connect(verwerking.register_gewijzigd, sender=Verwerkingsactiviteit)
