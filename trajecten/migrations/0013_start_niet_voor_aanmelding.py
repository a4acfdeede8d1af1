from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("trajecten", "0012_aanmelddatum_en_doelstellingen")]

    operations = [
        migrations.AddConstraint(
            model_name="traject",
            constraint=models.CheckConstraint(
                condition=models.Q(("aanmelddatum__lte", models.F("startdatum"))),
                name="traject_start_niet_voor_aanmelding",
                violation_error_message="Een traject begint niet voor de aanmelding.",
            ),
        ),
    ]
