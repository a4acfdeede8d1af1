from django.contrib import admin

from .models import Doelgroep


# Participants' data is not in the admin: it bypasses the access rules and the audit log.
@admin.register(Doelgroep)
class DoelgroepAdmin(admin.ModelAdmin):
    list_display = ["naam", "code", "volgorde"]
    prepopulated_fields = {"code": ["naam"]}
