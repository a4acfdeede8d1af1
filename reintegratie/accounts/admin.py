from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Gebruiker, Organisatie, Rol

# A functioneel beheerder (staff, not superuser) configures his own organisation only; the
# powers that reach beyond it (superuser, staff, permissions, groups) stay with the
# superusers created from the command line.
ALLEEN_SUPERUSER = {"is_superuser", "groups", "user_permissions"}


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "plaats"]
    list_filter = ["soort"]
    search_fields = ["naam", "plaats"]

    # Every beheerder reads the ketenpartner registry and may add to it; he changes only
    # his own organisation, and removes none (users, workplaces and cases hang on them).
    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return request.user.is_superuser or obj is None or obj.pk == request.user.organisatie_id

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Gebruiker)
class GebruikerAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "organisatie", "rol", "is_active"]
    list_filter = ["rol", "organisatie", "is_active"]
    list_select_related = ["organisatie"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Organisatie en rol", {"fields": ["organisatie", "rol"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Organisatie en rol", {"fields": ["first_name", "last_name", "organisatie", "rol"]}),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if request.user.organisatie_id is None:
            return qs.none()
        # Scoping the queryset scopes get_object, so the change, password, history and
        # delete views of other organisations' users answer 404.
        return qs.filter(organisatie_id=request.user.organisatie_id, is_superuser=False)

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        return [f for f in self.list_filter if f != "organisatie"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (naam, {**opties, "fields": [f for f in opties["fields"] if f not in ALLEEN_SUPERUSER]})
            for naam, opties in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        readonly += ["is_staff", "organisatie"]
        if obj is not None and obj.pk == request.user.pk:
            readonly.append("rol")
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            if not change:
                obj.organisatie_id = request.user.organisatie_id
            if not change or "rol" in form.changed_data:
                # The admin is the beheerder's workplace: only beheerders enter it.
                obj.is_staff = obj.rol == Rol.BEHEERDER
        super().save_model(request, obj, form, change)
