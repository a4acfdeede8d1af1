"""The target groups (doelgroepen) the partners work with, shipped as data; the functioneel
beheerder may add more."""

from django.db import migrations

DOELGROEPEN = [
    ("bijstand", "Bijstand / Participatiewet"),
    ("uwv-ww", "UWV: WW"),
    ("uwv-wajong", "UWV: Wajong"),
    ("uwv-wia", "UWV: WIA"),
    ("gedetineerde", "(Ex-)gedetineerde / penitentiair programma"),
    ("taakgestrafte", "Taakgestrafte"),
    ("statushouder", "Statushouder / inburgeraar"),
    ("beschut-werk", "Beschut werk"),
    ("dagbesteding", "Arbeidsmatige dagbesteding"),
    ("jongere", "Jongere (< 27)"),
    ("banenafspraak", "Banenafspraak / doelgroepregister"),
]


def voeg_toe(apps, schema_editor):
    Doelgroep = apps.get_model("deelnemers", "Doelgroep")
    for volgorde, (code, naam) in enumerate(DOELGROEPEN, start=1):
        Doelgroep.objects.update_or_create(code=code, defaults={"naam": naam, "volgorde": volgorde})


class Migration(migrations.Migration):
    dependencies = [("deelnemers", "0001_initial")]

    operations = [migrations.RunPython(voeg_toe, migrations.RunPython.noop)]
