from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Gebruiker, Organisatie


@admin.register(Organisatie)
class OrganisatieAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort", "plaats"]
    list_filter = ["soort"]
    search_fields = ["naam", "plaats"]


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
