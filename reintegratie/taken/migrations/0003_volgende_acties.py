"""The journal's next actions become tasks. Owner: the entry's author while he can still open
the file (his organisation holds the case, or provides a running trajectory for a
non-medical entry), else the participant's klantmanager. An entry without a date is due on
its own day: it was meant to be done next. Idempotent by the task's ``sleutel``."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

BATCH = 2000


def _kan_openen(auteur, deelnemer, medisch, aanbieders) -> bool:
    if not auteur.is_active or not auteur.organisatie_id:
        return False
    if auteur.organisatie_id == deelnemer.regie_id:
        return auteur.rol == "klantmanager" or (not medisch and auteur.rol == "manager")
    return not medisch and auteur.organisatie_id in aanbieders.get(deelnemer.pk, ())


def naar_taken(apps, schema_editor):
    Contactmoment = apps.get_model("deelnemers", "Contactmoment")
    Traject = apps.get_model("trajecten", "Traject")
    Taak = apps.get_model("taken", "Taak")
    momenten = (
        Contactmoment.objects.exclude(volgende_actie="")
        .select_related("door", "deelnemer__klantmanager")
        .order_by("pk")
    )
    batch = []

    def opslaan():
        ids = {m.deelnemer_id for m in batch}
        aanbieders = {}
        lopend = Traject.objects.filter(
            ~Q(status="afgesloten"), deelnemer_id__in=ids
        ).values_list("deelnemer_id", "aanbieder_id")
        for deelnemer_id, aanbieder_id in lopend:
            aanbieders.setdefault(deelnemer_id, set()).add(aanbieder_id)
        taken = []
        for m in batch:
            eigenaar = m.door
            if not _kan_openen(m.door, m.deelnemer, m.medisch, aanbieders):
                eigenaar = m.deelnemer.klantmanager or m.door
            taken.append(
                Taak(
                    deelnemer_id=m.deelnemer_id,
                    eigenaar=eigenaar,
                    omschrijving=m.volgende_actie,
                    vervaldatum=m.volgende_actie_op or timezone.localdate(m.tijdstip),
                    medisch=m.medisch,
                    bron="journaal",
                    sleutel=f"journaal:{m.pk}",
                    aangemaakt_door=m.door,
                )
            )
        Taak.objects.bulk_create(taken, ignore_conflicts=True)
        batch.clear()

    for moment in momenten.iterator(chunk_size=BATCH):
        batch.append(moment)
        if len(batch) == BATCH:
            opslaan()
    opslaan()


class Migration(migrations.Migration):
    dependencies = [
        ("taken", "0002_open_per_deelnemer"),
        ("trajecten", "0021_traject_aanbieder_deelnemer"),
    ]

    operations = [migrations.RunPython(naar_taken, migrations.RunPython.noop)]
