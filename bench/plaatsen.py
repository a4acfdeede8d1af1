"""Placing at a given data size: wie past waar for one participant over all active
workplaces, the candidates for one workplace, the occupancy per week and a dossier with its
preferences and waiting lists; median and p95 ms, and the queries of one more request.

    createdb -h 127.0.0.1 -U postgres reintegratie_bench100k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench100k \\
        .venv/bin/python -m bench.plaatsen --deelnemers 100000 [--herhalingen 30]

Builds the dataset (``migrate`` + ``demodata``) when the database has no participants. The
goal (issue 14): matching for one participant over the 5,500 workplaces of the 100,000 demo
in under 100 ms; the queries stay the same at any size (tests/test_queries.py,
tests/test_matching.py).
"""

import argparse
import os
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)

import django

warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from bench.taken import STATISCH, meten  # noqa: E402
from deelnemers.models import Deelnemer  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from werkplekken.models import Voorkeur, Werkplek  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deelnemers", type=int, default=2000)
    parser.add_argument("--herhalingen", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Deelnemer.objects.exists():
        call_command("demodata", deelnemers=args.deelnemers, force=True, verbosity=1)
    km = Gebruiker.objects.get(username="klantmanager")
    tb = Gebruiker.objects.get(username="trajectbegeleider")
    # A participant with an own choice, and a workplace of the klantmanager's organisation
    # (where she may look for candidates) that someone chose.
    keuze = Voorkeur.objects.filter(deelnemer__klantmanager=km).order_by("pk").first()
    deelnemer = keuze.deelnemer if keuze else Deelnemer.objects.filter(klantmanager=km).first()
    eigen = Werkplek.objects.filter(organisatie_id=km.organisatie_id, actief=True)
    gekozen = eigen.filter(voorkeuren__isnull=False).order_by("pk").first() or eigen.first()
    print(
        f"{Deelnemer.objects.count()} deelnemers, {Werkplek.objects.actief().count()} actieve "
        f"werkplekken, {Voorkeur.objects.count()} voorkeuren"
    )
    paginas = [
        (
            km,
            "wie past waar (1 deelnemer)",
            reverse("deelnemers:wie_past_waar", args=[deelnemer.pk]),
        ),
        (km, "wie past hier (1 werkplek)", reverse("werkplekken:kandidaten", args=[gekozen.pk])),
        (tb, "bezetting per week", reverse("werkplekken:bezetting")),
        (km, "dossier", reverse("deelnemers:dossier", args=[deelnemer.pk])),
    ]
    print("| pagina | mediaan ms | p95 ms | queries |\n|---|---:|---:|---:|")
    with override_settings(
        STORAGES=STATISCH, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]
    ):
        for gebruiker, naam, url in paginas:
            mediaan, p95, queries = meten(ingelogd(gebruiker), url, args.herhalingen)
            print(f"| {naam} | {mediaan:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
