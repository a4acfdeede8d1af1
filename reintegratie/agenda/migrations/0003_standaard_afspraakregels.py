"""The rules the issue names, for Route Werk: a starting point the beheerder may change."""

from decimal import Decimal

from django.db import migrations

REGELS = [
    {"naam": "Verdiepende intake binnen 4 weken", "soort": "verdiepende_intake", "binnen_weken": 4},
    {"naam": "Evaluatie voor 350 uren", "soort": "evaluatie", "voor_uren": Decimal(350)},
]


def regels(apps, schema_editor):
    Trajecttype = apps.get_model("trajecten", "Trajecttype")
    Afspraakregel = apps.get_model("agenda", "Afspraakregel")
    route_werk = Trajecttype.objects.filter(naam="Route Werk").first()
    if route_werk is None:
        return
    for regel in REGELS:
        Afspraakregel.objects.get_or_create(trajecttype=route_werk, naam=regel["naam"], defaults=regel)


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0002_regels_en_feed"),
        ("trajecten", "0003_standaard_trajecttypes"),
    ]

    operations = [migrations.RunPython(regels, migrations.RunPython.noop)]
