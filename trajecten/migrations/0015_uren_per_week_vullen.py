"""Fill the week totals from the registrations that exist already."""

from django.db import migrations
from django.db.models import Sum
from django.db.models.functions import TruncWeek


def vullen(apps, schema_editor):
    Urenregistratie = apps.get_model("trajecten", "Urenregistratie")
    UrenPerWeek = apps.get_model("trajecten", "UrenPerWeek")
    UrenPerWeek.objects.bulk_create(
        UrenPerWeek(
            week=r["week"],
            soort=r["soort"],
            aanbieder_id=r["fase__traject__aanbieder"],
            werkplek_organisatie_id=r["werkplek__organisatie"],
            verwijzer_id=r["deelnemer__verwijzer"] or 0,
            uren=r["totaal"],
        )
        for r in Urenregistratie.objects.annotate(week=TruncWeek("datum"))
        .values(
            "week", "soort", "fase__traject__aanbieder", "werkplek__organisatie",
            "deelnemer__verwijzer",
        )
        .annotate(totaal=Sum("uren"))
        .order_by()
    )


class Migration(migrations.Migration):
    dependencies = [("trajecten", "0014_uren_per_week")]

    operations = [migrations.RunPython(vullen, migrations.RunPython.noop)]
