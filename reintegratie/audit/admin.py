from django.contrib import admin

from .models import AuditRecord, Verwerkingsactiviteit


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched, never edited. For the organisation's own reading
    there is the page Verwerkingen; this is the system administrator's view across all."""

    list_display = [
        "tijdstip",
        "gebruikersnaam",
        "organisatie",
        "rol",
        "deelnemer_id",
        "actie",
        "activiteit",
    ]
    list_filter = ["actie", "rol", "activiteit"]
    search_fields = ["gebruikersnaam", "organisatie", "=deelnemer__id"]
    date_hierarchy = "tijdstip"
    list_select_related = ["activiteit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Verwerkingsactiviteit)
class VerwerkingsactiviteitAdmin(admin.ModelAdmin):
    """The register: its wording and retention can be revised; an activity is added in code,
    with the view that performs it, and never removed while the log names it."""

    list_display = ["naam", "code", "grondslag", "vertrouwelijkheid", "bewaartermijn_jaren"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
