"""Time the group pages and an attendance save of the demo sollicitatiegroep, as the demo
trajectbegeleider.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.groepen

The database must hold the demo data (``demodata --deelnemers N``). Per page: median and p95
server time over the requests after 3 warm-up requests, and the queries of one more. The save
posts every member present with alternately 2 and 2,5 hours, so each save corrects every
member's hours (budgets permitting: who has no room is left afgemeld).
"""

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from reintegratie.groepen.models import Groepsbijeenkomst  # noqa: E402
from reintegratie.groepen.services import AanwezigheidFouten, aanwezigheid_opslaan  # noqa: E402
from reintegratie.groepen.views import _aanwezigen  # noqa: E402

OPWARMEN = 3


def _meet(client, verzoek, herhalingen):
    tijden = []
    for i in range(OPWARMEN + herhalingen):
        begin = time.perf_counter()
        response = verzoek(client, i)
        duur = (time.perf_counter() - begin) * 1000
        assert response.status_code in (200, 302), response.status_code
        if i >= OPWARMEN:
            tijden.append(duur)
    with CaptureQueriesContext(connection) as q:
        verzoek(client, 0)
    tijden.sort()
    return statistics.median(tijden), tijden[int(len(tijden) * 0.95) - 1], len(q)


def _leden_met_ruimte(tb, bijeenkomst):
    """The members the begeleider records for; those whose phase is full stay afgemeld."""
    verzoek = type("Verzoek", (), {"user": tb})
    leden = _aanwezigen(verzoek, bijeenkomst)
    passend = []
    for d in leden:
        try:
            aanwezigheid_opslaan(
                bijeenkomst=bijeenkomst,
                regels={d: ("aanwezig", bijeenkomst.duur_uren)},
                door=tb,
            )
            passend.append(d)
        except AanwezigheidFouten:
            pass
    return leden, passend


def main(herhalingen=20):
    tb = Gebruiker.objects.get(username="trajectbegeleider")
    bijeenkomst = (
        Groepsbijeenkomst.objects.filter(
            groep__begeleider=tb, begin__lt=timezone.now(), status=Groepsbijeenkomst.Status.GEPLAND
        )
        .order_by("-begin")
        .first()
    )
    leden, passend = _leden_met_ruimte(tb, bijeenkomst)
    client = ingelogd(tb)
    detail = reverse("groepen:detail", args=[bijeenkomst.groep_id])
    pagina = reverse("groepen:aanwezigheid", args=[bijeenkomst.pk])

    def opslaan(client, i):
        gegevens = {}
        for d in leden:
            aanwezig = d in passend
            gegevens[f"s_{d.pk}"] = "aanwezig" if aanwezig else "afgemeld"
            gegevens[f"u_{d.pk}"] = ("2" if i % 2 else "2,5") if aanwezig else ""
        return client.post(pagina, gegevens)

    opslag = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=opslag):
        for naam, verzoek in (
            ("groepen:detail", lambda c, i: c.get(detail)),
            ("groepen:aanwezigheid", lambda c, i: c.get(pagina)),
            (f"aanwezigheid opslaan ({len(passend)} van {len(leden)})", opslaan),
        ):
            mediaan, p95, queries = _meet(client, verzoek, herhalingen)
            print(f"{naam}: mediaan {mediaan:.1f} ms, p95 {p95:.1f} ms, {queries} queries")


if __name__ == "__main__":
    main()
