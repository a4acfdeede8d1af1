"""The trajecttypes of the partners' own routes (Ferm Werk, Arnhem, Almere), shipped as
configuration data."""

from decimal import Decimal

from django.db import migrations

TRAJECTTYPES = [
    {
        "naam": "Route Werk",
        "omschrijving": "Ferm Werk: diagnose van 100 productieve uren, plan van aanpak, "
        "leer-werktraject van 350 uur met hoogstens één verlenging van 350 uur; "
        "afsluiting uiterlijk bij 800 uur.",
        "max_uren": Decimal(800),
        "fasen": [
            {"naam": "Diagnose", "uren_budget": Decimal(100), "max_verlengingen": 1,
             "verlenging_uren": Decimal(50)},
            {"naam": "Leer-werktraject", "uren_budget": Decimal(350), "max_verlengingen": 1,
             "verlenging_uren": Decimal(350), "vereist_plan": True},
        ],
    },
    {
        "naam": "Duaal traject",
        "omschrijving": "Arnhem met Refugee Company: pilotfase van 6 maanden, daarna een "
        "vervolg van 30 maanden, werken en inburgeren tegelijk.",
        "max_duur_maanden": 36,
        "fasen": [
            {"naam": "Pilotfase", "duur_maanden": 6},
            {"naam": "Vervolg", "duur_maanden": 30, "vereist_plan": True},
        ],
    },
    {
        "naam": "Beschut werk",
        "omschrijving": "Beschutte werkplek (Almere), hoogstens 7 maanden per indicatieperiode.",
        "max_duur_maanden": 7,
        "fasen": [{"naam": "Beschut werk", "duur_maanden": 7}],
    },
    {
        "naam": "Arbeidsmatige dagbesteding",
        "omschrijving": "Arbeidsmatige dagbesteding bij een aanbieder naar keuze (Almere), "
        "hoogstens 8 maanden.",
        "max_duur_maanden": 8,
        "fasen": [{"naam": "Dagbesteding", "duur_maanden": 8}],
    },
    {
        "naam": "Detacheringsbaan",
        "omschrijving": "Detachering bij een werkgever, hoogstens 8 maanden.",
        "max_duur_maanden": 8,
        "fasen": [{"naam": "Detachering", "duur_maanden": 8}],
    },
]


def voeg_toe(apps, schema_editor):
    Trajecttype = apps.get_model("trajecten", "Trajecttype")
    Fasetype = apps.get_model("trajecten", "Fasetype")
    for gegevens in TRAJECTTYPES:
        gegevens = dict(gegevens)
        fasen = gegevens.pop("fasen")
        naam = gegevens.pop("naam")
        trajecttype, _ = Trajecttype.objects.update_or_create(naam=naam, defaults=gegevens)
        for volgorde, fase in enumerate(fasen, start=1):
            Fasetype.objects.update_or_create(
                trajecttype=trajecttype, volgorde=volgorde, defaults=fase
            )


class Migration(migrations.Migration):
    dependencies = [("trajecten", "0002_initial")]

    operations = [migrations.RunPython(voeg_toe, migrations.RunPython.noop)]
