"""The appointment rules beside the trajecttypes, for the functioneel beheerder."""

from django.contrib import admin

from .models import Afspraakregel


@admin.register(Afspraakregel)
class AfspraakregelAdmin(admin.ModelAdmin):
    list_display = ["naam", "trajecttype", "soort", "binnen_weken", "voor_uren", "actief"]
    list_filter = ["trajecttype", "soort", "actief"]
    fields = ["trajecttype", "naam", "soort", "binnen_weken", "voor_uren", "duur_minuten", "actief"]
