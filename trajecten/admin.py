from django.contrib import admin

from .models import Doelstelling, Fasetype, Trajecttype


class FasetypeInline(admin.TabularInline):
    model = Fasetype
    extra = 0
    fields = [
        "volgorde",
        "naam",
        "uren_budget",
        "duur_maanden",
        "max_verlengingen",
        "verlenging_uren",
        "verlenging_maanden",
        "vereist_plan",
    ]


@admin.register(Trajecttype)
class TrajecttypeAdmin(admin.ModelAdmin):
    list_display = ["naam", "max_uren", "max_duur_maanden", "actief"]
    list_filter = ["actief"]
    inlines = [FasetypeInline]


@admin.register(Doelstelling)
class DoelstellingAdmin(admin.ModelAdmin):
    list_display = ["naam", "trajecttype", "meting", "termijn_maanden", "streefwaarde", "actief"]
    list_filter = ["trajecttype", "meting", "actief"]
