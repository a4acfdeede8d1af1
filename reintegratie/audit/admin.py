from django.contrib import admin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched, never edited."""

    list_display = ["tijdstip", "gebruikersnaam", "organisatie", "rol", "deelnemer_id", "actie"]
    list_filter = ["actie", "rol"]
    search_fields = ["gebruikersnaam", "organisatie", "=deelnemer__id"]
    date_hierarchy = "tijdstip"
    list_select_related = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
