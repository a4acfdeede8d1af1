"""The agenda's pages at a given data size, as bench/run.py measures pages: median and p95
over ``--herhalingen`` requests after 3 warm-up requests through the test client, the number
of queries of one more request, and the size. The database must hold demo data already
(``manage.py demodata --deelnemers N --force``); the goal is a week under 50 ms median at
100,000 participants.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench_agenda \\
        .venv/bin/python -m bench.agenda [--herhalingen 50]
"""

import argparse
import os
import statistics
import time
import warnings
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)

import django

warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from deelnemers.models import Deelnemer  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from reintegratie.agenda.models import Afspraak  # noqa: E402
from trajecten.weekrooster import maandag_van  # noqa: E402

OPWARMEN = 3
# As bench/run.py: the plain static storage (the manifest one needs collectstatic).
STATISCH = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def meet(client, url, herhalingen):
    for _ in range(OPWARMEN):
        client.get(url, secure=True)
    tijden = []
    for _ in range(herhalingen):
        begin = time.perf_counter()
        response = client.get(url, secure=True)
        tijden.append((time.perf_counter() - begin) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    tijden.sort()
    return {
        "status": response.status_code,
        "mediaan": statistics.median(tijden),
        "p95": tijden[int(len(tijden) * 0.95) - 1],
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def paginas():
    """(label, user, URL): the demo klantmanager's week (his own and the team's), the start
    page with its lists, and the dossier with its appointments."""
    km = Gebruiker.objects.get(username="klantmanager")
    volgende = maandag_van(timezone.localdate()) + timedelta(weeks=1)
    deelnemer = (
        Deelnemer.objects.filter(klantmanager=km, afspraken__isnull=False).order_by("pk").first()
    )
    week = reverse("agenda:week")
    return [
        ("agenda eigen week, volgende", km, f"{week}?week={volgende:%Y-%m-%d}&medewerker={km.pk}"),
        ("agenda eigen week, standaard", km, week),
        ("agenda hele team (hoogstens 300)", km, f"{week}?medewerker=team"),
        ("start klantmanager", km, reverse("start")),
        ("dossier met afspraken", km, reverse("deelnemers:dossier", args=[deelnemer.pk])),
        ("afspraak plannen", km, reverse("agenda:nieuw")),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--herhalingen", type=int, default=50)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(
        f"{Deelnemer.objects.count()} deelnemers, {Afspraak.objects.count()} afspraken, "
        f"{connection.vendor}"
    )
    print("| pagina | status | mediaan ms | p95 ms | queries | KB |")
    print("|---|---|---|---|---|---|")
    with override_settings(STORAGES=STATISCH):
        for label, user, url in paginas():
            r = meet(ingelogd(user), url, args.herhalingen)
            print(
                f"| {label} | {r['status']} | {r['mediaan']:.1f} | {r['p95']:.1f} | "
                f"{r['queries']} | {r['kb']:.0f} |"
            )


if __name__ == "__main__":
    main()
