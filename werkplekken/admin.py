from django.contrib import admin

from reintegratie.accounts.models import Gebruiker, Rol

from .models import Mixdoel, Werkplek


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

    # A functioneel beheerder manages the workplaces of his own organisation; superusers all.
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organisatie_id=request.user.organisatie_id)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisatie"]

    def get_readonly_fields(self, request, obj=None):
        # Hours booked at a workplace count for its organisation (week totals, access): a
        # workplace that moves to another organisation is a new workplace.
        if obj is not None or not request.user.is_superuser:
            return ["organisatie"]
        return []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "begeleider":
            begeleiders = Gebruiker.objects.filter(rol=Rol.TRAJECTBEGELEIDER)
            if not request.user.is_superuser:
                begeleiders = begeleiders.filter(organisatie_id=request.user.organisatie_id)
            kwargs["queryset"] = begeleiders
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.organisatie_id = request.user.organisatie_id
        super().save_model(request, obj, form, change)


@admin.register(Mixdoel)
class MixdoelAdmin(admin.ModelAdmin):
    """The doelgroep mix the own organisation aims for; matching reads it."""

    list_display = ["doelgroep", "aandeel", "organisatie"]
    list_select_related = ["organisatie", "doelgroep"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organisatie_id=request.user.organisatie_id)

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["organisatie"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            # Set before validation, so the model's check of the total sees the organisation.
            eigen = request.user.organisatie_id

            class EigenForm(form):
                def _post_clean(self):
                    self.instance.organisatie_id = eigen
                    super()._post_clean()

            return EigenForm
        return form
