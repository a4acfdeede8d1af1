from django.contrib import admin

from .models import (
    Contractschakel,
    Doelstelling,
    Fasetype,
    Financier,
    RouteTrajecttype,
    Tarief,
    Trajecttype,
)


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


class ContractschakelInline(admin.TabularInline):
    """The contract chain (a detacheringsbaan: 7, 8 and 8 months); empty for a type
    without one."""

    model = Contractschakel
    extra = 0
    fields = ["volgorde", "max_maanden"]


class TariefInline(admin.TabularInline):
    """The prices, from a date on and per loonwaarde band: a new price is a new row from
    its first day, so the cost of earlier periods stays what it was."""

    model = Tarief
    extra = 0
    fields = ["geldig_vanaf", "loonwaarde_vanaf", "eenheid", "bedrag"]


@admin.register(Trajecttype)
class TrajecttypeAdmin(admin.ModelAdmin):
    list_display = ["naam", "max_uren", "max_duur_maanden", "actief"]
    list_filter = ["actief"]
    inlines = [FasetypeInline, ContractschakelInline, TariefInline]


@admin.register(Doelstelling)
class DoelstellingAdmin(admin.ModelAdmin):
    list_display = ["naam", "trajecttype", "meting", "termijn_maanden", "streefwaarde", "actief"]
    list_filter = ["trajecttype", "meting", "actief"]


@admin.register(RouteTrajecttype)
class RouteTrajecttypeAdmin(admin.ModelAdmin):
    """Which trajecttype each route proposes at the intake: per organisation, so a
    functioneel beheerder sets his own and no other's."""

    list_display = ["route", "trajecttype", "organisatie"]
    list_select_related = ["organisatie", "trajecttype"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organisatie_id=request.user.organisatie_id)

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["organisatie"]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.organisatie_id = request.user.organisatie_id
        super().save_model(request, obj, form, change)


@admin.register(Financier)
class FinancierAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "actief"]
    list_filter = ["soort", "actief"]
