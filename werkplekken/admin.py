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
