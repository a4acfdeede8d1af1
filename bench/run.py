"""Benchmarks: server time and query count of named pages at a given data size.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench \\
        .venv/bin/python -m bench.run --deelnemers 100000

Builds the dataset with ``demodata`` when the database has no participants, then requests
each page through Django's test client (in-process: URL routing, middleware, view, template)
and prints median and p95 server time, the number of queries and the response size. Use a
dedicated database: the demo data has log-ins with a known password.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
# Production-like settings: DEBUG off (no query log kept, templates cached).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from deelnemers.models import Deelnemer  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from trajecten.weekrooster import maandag_van  # noqa: E402
from werkplekken.models import Werkplek  # noqa: E402

RESULTATEN = Path(__file__).parent / "results"


def paginas():
    """(name, username, url) of the pages measured; objects picked from the data."""
    km = Gebruiker.objects.get(username="klantmanager")
    tb = Gebruiker.objects.get(username="trajectbegeleider")
    dossier = (
        Deelnemer.objects.zichtbaar_voor(km)
        .filter(klantmanager=km, trajecten__status="actief")
        .order_by("-trajecten__fasen__uren_gebruikt")
        .first()
    )
    werkplek = Werkplek.objects.filter(begeleider=tb).first()
    achternaam = dossier.achternaam
    vorige_week = maandag_van(datetime.now().date()).isoformat()
    return [
        ("start klantmanager", "klantmanager", reverse("start")),
        ("start trajectbegeleider", "trajectbegeleider", reverse("start")),
        ("start manager", "manager", reverse("start")),
        ("start ketenpartner", "ketenpartner", reverse("start")),
        ("caseload", "klantmanager", reverse("deelnemers:lijst")),
        ("caseload: zoek op naam", "klantmanager", f"{reverse('deelnemers:lijst')}?q={achternaam}"),
        (
            "caseload: alle km, lopend, signaal",
            "klantmanager",
            f"{reverse('deelnemers:lijst')}?klantmanager=alle&status=actief&signaal=evaluatie_nodig",
        ),
        ("dossier", "klantmanager", reverse("deelnemers:dossier", args=[dossier.pk])),
        ("werkplekken", "trajectbegeleider", reverse("werkplekken:lijst")),
        ("werkplek", "trajectbegeleider", reverse("werkplekken:detail", args=[werkplek.pk])),
        (
            "weekrooster",
            "trajectbegeleider",
            f"{reverse('werkplekken:week', args=[werkplek.pk])}?week={vorige_week}",
        ),
        (
            "aanwezigheid",
            "trajectbegeleider",
            reverse("werkplekken:aanwezigheid", args=[werkplek.pk]),
        ),
    ]


def meet(client, url, herhalingen):
    for _ in range(3):  # warm up: connections, template cache
        client.get(url)
    tijden = []
    for _ in range(herhalingen):
        begin = time.perf_counter()
        response = client.get(url)
        tijden.append((time.perf_counter() - begin) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    tijden.sort()
    return {
        "median": statistics.median(tijden),
        "p95": tijden[min(len(tijden) - 1, int(len(tijden) * 0.95))],
        "queries": len(queries),
        "kb": len(response.content) / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deelnemers", type=int, default=2000)
    parser.add_argument("--herhalingen", type=int, default=50)
    parser.add_argument("--pagina", action="append", help="alleen pagina's met deze naam")
    args = parser.parse_args()

    vendor = connection.vendor
    if vendor != "postgresql":
        print("Let op: meet op PostgreSQL (DATABASE_URL); SQLite zegt weinig.", file=sys.stderr)
    call_command("migrate", verbosity=0)
    bestaand = Deelnemer.objects.count()
    if not bestaand:
        begin = time.perf_counter()
        call_command("demodata", deelnemers=args.deelnemers, force=True)
        print(f"demodata: {args.deelnemers} deelnemers in {time.perf_counter() - begin:.0f} s")
    elif bestaand != args.deelnemers:
        print(f"Let op: de database heeft al {bestaand} deelnemers; die worden gemeten.")

    regels = [
        f"# {vendor}, {Deelnemer.objects.count()} deelnemers, {args.herhalingen} herhalingen",
        "",
        "| pagina | mediaan ms | p95 ms | queries | KB |",
        "|---|---:|---:|---:|---:|",
    ]
    # Static files: the manifest storage of production needs collectstatic; not measured here.
    opslag = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=opslag):
        clients = {}
        for naam, gebruiker, url in paginas():
            if args.pagina and not any(p in naam for p in args.pagina):
                continue
            if gebruiker not in clients:
                clients[gebruiker] = Client()
                clients[gebruiker].force_login(Gebruiker.objects.get(username=gebruiker))
            m = meet(clients[gebruiker], url, args.herhalingen)
            regels.append(
                f"| {naam} | {m['median']:.1f} | {m['p95']:.1f} | {m['queries']} | {m['kb']:.0f} |"
            )
            print(regels[-1], flush=True)
    RESULTATEN.mkdir(exist_ok=True)
    bestand = RESULTATEN / f"{datetime.now():%Y%m%d-%H%M}-{vendor}-{Deelnemer.objects.count()}.md"
    bestand.write_text("\n".join(regels) + "\n")
    print("\n".join(regels[:4]))
    print(f"Bewaard in {bestand}")


if __name__ == "__main__":
    main()
