"""Fill the first and latest step on the participatieladder from the measurements."""

from django.db import migrations

from deelnemers.models import ladder_uitersten


def vullen(apps, schema_editor):
    Deelnemer = apps.get_model("deelnemers", "Deelnemer")
    LadderTrede = apps.get_model("deelnemers", "LadderTrede")
    Deelnemer.objects.filter(pk__in=LadderTrede.objects.values("deelnemer")).update(
        **ladder_uitersten(LadderTrede)
    )


class Migration(migrations.Migration):
    dependencies = [("deelnemers", "0006_ladder_uitersten")]

    operations = [migrations.RunPython(vullen, migrations.RunPython.noop)]
