"""Time a full week save of the grid at the largest workplace of the demo trajectbegeleider.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.weekopslaan

Saves alternately 6 and 6,5 hours in every open cell of last week, so every save changes
every cell (budgets permitting), and prints the median and p95 server time and query count.
"""

import os
import statistics
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from reintegratie.accounts.models import Gebruiker  # noqa: E402
from trajecten.forms import WeekForm  # noqa: E402
from trajecten.weekrooster import lees_rooster, maandag_van  # noqa: E402
from werkplekken.models import Werkplek  # noqa: E402


def main(herhalingen=20):
    tb = Gebruiker.objects.get(username="trajectbegeleider")
    maandag = maandag_van(timezone.localdate()) - timedelta(days=7)
    werkplek = (
        Werkplek.objects.filter(begeleider=tb)
        .annotate(n=Count("plaatsingen"))
        .order_by("-n")
        .first()
    )
    rooster = lees_rooster(werkplek=werkplek, maandag=maandag, user=tb)
    client = Client()
    client.force_login(tb)
    url = f"{reverse('werkplekken:week', args=[werkplek.pk])}?week={maandag:%Y-%m-%d}"
    tijden, queries = [], 0
    opslag = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=opslag):
        for i in range(herhalingen + 2):
            gegevens = {"reden": "benchmark"}
            for rij in rooster.rijen:
                for cel in rij.cellen:
                    if cel.open and not cel.meerdere:
                        naam = WeekForm.celnaam(rij, cel)
                        gegevens[f"u_{naam}"] = "6" if i % 2 else "6,5"
                        gegevens[f"s_{naam}"] = "ziek"  # never over a budget
            with CaptureQueriesContext(connection) as q:
                begin = time.perf_counter()
                response = client.post(url, gegevens)
                duur = (time.perf_counter() - begin) * 1000
            assert response.status_code == 302, response.status_code
            if i >= 2:
                tijden.append(duur)
                queries = len(q)
    tijden.sort()
    cellen = sum(1 for k in gegevens if k.startswith("u_"))
    print(
        f"weekrooster opslaan: {len(rooster.rijen)} deelnemers, {cellen} cellen; "
        f"mediaan {statistics.median(tijden):.1f} ms, p95 {tijden[int(len(tijden) * 0.95) - 1]:.1f}"
        f" ms, {queries} queries"
    )


if __name__ == "__main__":
    main()
