from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_verwerkingenlog"),
    ]

    operations = [
        migrations.AddField(
            model_name="gebruiker",
            name="demo_account",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Aangemaakt door demodata (wachtwoord 'demo'); alleen in de demomodus zonder tweestapsverificatie.",
                verbose_name="demo-account",
            ),
        ),
    ]
