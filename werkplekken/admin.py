from django.contrib import admin

from .models import Werkplek


@admin.register(Werkplek)
class WerkplekAdmin(admin.ModelAdmin):
    list_display = [
        "naam",
        "organisatie",
        "soort",
        "werksoort",
        "capaciteit",
        "begeleider",
        "actief",
    ]
    list_filter = ["soort", "werksoort", "actief", "organisatie"]
    list_select_related = ["organisatie", "begeleider"]
    search_fields = ["naam", "organisatie__naam", "plaats"]

    def get_readonly_fields(self, request, obj=None):
        # Hours booked at a workplace count for its organisation (week totals, access): a
        # workplace that moves to another organisation is a new workplace.
        return ["organisatie"] if obj is not None else []
