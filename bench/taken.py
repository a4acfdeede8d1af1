"""The pages with tasks at a given data size: the klantmanager's start page (with "Vandaag en
te laat"), "Mijn taken", the caseload (its "volgende actie" is the first open task) and a
dossier (its "Taken" section): median and p95 ms, and the queries of one more request.

    createdb -h 127.0.0.1 -U postgres reintegratie_bench_taken
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench_taken \\
        .venv/bin/python -m bench.taken --deelnemers 2000 [--herhalingen 30]

Builds the dataset (``migrate`` + ``demodata``, tasks included) when the database has no
participants. The goal: the start page under 50 ms median at 100,000 participants, with the
same number of queries at any size (asserted in tests/test_queries.py).
"""

import argparse
import os
import statistics
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)

import django

warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from deelnemers.models import Deelnemer  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from reintegratie.taken.models import Taak  # noqa: E402

OPWARMEN = 3
STATISCH = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def meten(client, url, herhalingen):
    # secure=True: production serves HTTPS only (SECURE_SSL_REDIRECT), as in bench/run.py.
    for _ in range(OPWARMEN):
        client.get(url, secure=True)
    tijden = []
    for _ in range(herhalingen):
        begin = time.perf_counter()
        response = client.get(url, secure=True)
        tijden.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, secure=True)
    p95 = statistics.quantiles(tijden, n=20)[-1] if len(tijden) > 1 else tijden[0]
    return statistics.median(tijden), p95, len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deelnemers", type=int, default=2000)
    parser.add_argument("--herhalingen", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Deelnemer.objects.exists():
        call_command("demodata", deelnemers=args.deelnemers, force=True, verbosity=1)
    km = Gebruiker.objects.get(username="klantmanager")
    vandaag = timezone.localdate()
    mijn = Taak.objects.open().filter(eigenaar=km)
    deelnemer = Deelnemer.objects.filter(klantmanager=km).order_by("pk").first()
    print(
        f"{Deelnemer.objects.count()} deelnemers, {Taak.objects.count()} taken; "
        f"klantmanager: {mijn.count()} open, {mijn.filter(vervaldatum__lte=vandaag).count()} "
        "vandaag of te laat"
    )
    client = ingelogd(km)
    paginas = [
        ("start (Vandaag en te laat)", reverse("start")),
        ("Mijn taken", reverse("taken:mijn")),
        ("caseload", reverse("deelnemers:lijst")),
        ("dossier", reverse("deelnemers:dossier", args=[deelnemer.pk])),
    ]
    print("| pagina | mediaan ms | p95 ms | queries |\n|---|---:|---:|---:|")
    # The test client's host is allowed whatever ALLOWED_HOSTS says, as in bench/run.py.
    with override_settings(
        STORAGES=STATISCH, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]
    ):
        for naam, url in paginas:
            mediaan, p95, queries = meten(client, url, args.herhalingen)
            print(f"| {naam} | {mediaan:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
