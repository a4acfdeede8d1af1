"""Ferm Werk's detacheringsbaan as a chain: temporary contracts of at most 7, 8 and 8
months, a signal four weeks before each ends, and more than three in a row is a carrousel.
The phase lasts as long as the whole chain."""

from django.db import migrations

KETEN = (7, 8, 8)


def keten(apps, schema_editor):
    Trajecttype = apps.get_model("trajecten", "Trajecttype")
    type_ = Trajecttype.objects.filter(naam="Detacheringsbaan").first()
    if type_ is None:
        return
    duur = sum(KETEN)
    type_.omschrijving = (
        "Detachering bij een werkgever: een keten van tijdelijke contracten van hoogstens "
        "7, 8 en 8 maanden."
    )
    type_.max_duur_maanden = duur
    type_.max_tijdelijke_contracten = len(KETEN)
    type_.save(update_fields=["omschrijving", "max_duur_maanden", "max_tijdelijke_contracten"])
    type_.fasetypes.filter(volgorde=1, duur_maanden=8).update(duur_maanden=duur)
    Contractschakel = apps.get_model("trajecten", "Contractschakel")
    for volgorde, maanden in enumerate(KETEN, start=1):
        Contractschakel.objects.get_or_create(
            trajecttype=type_, volgorde=volgorde, defaults={"max_maanden": maanden}
        )


class Migration(migrations.Migration):
    dependencies = [("trajecten", "0023_contracten_en_nazorg")]

    operations = [migrations.RunPython(keten, migrations.RunPython.noop)]
