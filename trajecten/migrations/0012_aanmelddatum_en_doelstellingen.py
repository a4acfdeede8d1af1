"""Existing trajectories get their selection date; the programme targets of the seed
documents are shipped as configuration data, like the trajecttypes (0003)."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models.functions import Coalesce, Least

# Arnhem (document 002) on the dual trajectory; Almere (document 001) on beschut werk.
DOELSTELLINGEN = [
    ("Duaal traject", 1, "In een duaal traject binnen 3 maanden na selectie", "begonnen", 3, 80,
     "Arnhem, pilot duale trajecten met Refugee Company"),
    ("Duaal traject", 2, "Werkfit na 6 maanden (de pilotfase)", "werkfit", 6, 40,
     "Arnhem, pilot duale trajecten met Refugee Company"),
    ("Duaal traject", 3, "Voldoet binnen 3 jaar aan de inburgeringsplicht", "inburgering", 36, 70,
     "Arnhem, pilot duale trajecten met Refugee Company"),
    ("Beschut werk", 1, "Plaatsingen beschut werk (taakstelling)", "plaatsingen", None, 25,
     "Almere, taakstelling beschut werk"),
]


def aanmelddatum(apps, schema_editor):
    Traject = apps.get_model("trajecten", "Traject")
    Intake = apps.get_model("deelnemers", "Intake")
    intake = Intake.objects.filter(traject=models.OuterRef("pk")).values("datum")[:1]
    # Without an intake: the default week between intake and start; never after the start
    # (the constraint of 0013).
    Traject.objects.update(
        aanmelddatum=Least(
            Coalesce(
                models.Subquery(intake),
                models.ExpressionWrapper(
                    models.F("startdatum") - timedelta(days=7), output_field=models.DateField()
                ),
            ),
            models.F("startdatum"),
        )
    )


def doelstellingen(apps, schema_editor):
    Trajecttype = apps.get_model("trajecten", "Trajecttype")
    Doelstelling = apps.get_model("trajecten", "Doelstelling")
    types = {t.naam: t for t in Trajecttype.objects.all()}
    for type_naam, volgorde, naam, meting, termijn, streefwaarde, bron in DOELSTELLINGEN:
        if type_naam in types:
            Doelstelling.objects.get_or_create(
                trajecttype=types[type_naam],
                naam=naam,
                defaults={
                    "meting": meting,
                    "termijn_maanden": termijn,
                    "streefwaarde": streefwaarde,
                    "bron": bron,
                    "volgorde": volgorde,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("deelnemers", "0004_inburgering"),
        ("trajecten", "0011_doelstellingen"),
    ]

    operations = [
        migrations.RunPython(aanmelddatum, migrations.RunPython.noop),
        migrations.RunPython(doelstellingen, migrations.RunPython.noop),
    ]
