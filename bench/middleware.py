"""What the security layer costs per request: two-factor checks, sessions, request and
processing logs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench \\
        .venv/bin/python -m bench.middleware --herhalingen 300

Measures pages through Django's test client twice, in alternating rounds: with the full
middleware stack, and without the middleware this layer adds (the request id, the request
log, the second step's check, the idle timeout and no-store, the lockout). The difference of
the medians is what every request pays. Then the processing log of a list page alone: the
records of 25 participants built and inserted in one statement, as written and with the
fields of the VNG standard left empty, for what those fields add. The layer's added cost on
a list is the middleware's difference plus theirs. Needs the demo data (``bench.run`` builds
it).
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
from django.db import transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from deelnemers.models import Deelnemer  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from reintegratie.audit.models import AuditRecord  # noqa: E402
from reintegratie.audit.verwerking import records  # noqa: E402

# The middleware of the security layer, by where it comes from.
LAAG = (
    "reintegratie.accounts.",
    "reintegratie.audit.",
    "axes.",
    "django_structlog.",
)


def zonder_laag(middleware):
    return [m for m in middleware if not m.startswith(LAAG)]


def clients(gebruiker, stapels, url) -> dict[str, Client]:
    """A client per middleware stack: the test client loads its stack on the first request
    and keeps it."""
    uitkomst = {}
    for naam, middleware in stapels.items():
        with override_settings(MIDDLEWARE=middleware):
            uitkomst[naam] = ingelogd(gebruiker)
            uitkomst[naam].get(url, secure=True)
    return uitkomst


def rondes(clients, url, herhalingen):
    """Alternate the stacks request by request, so drift in the machine hits both alike."""
    tijden = {naam: [] for naam in clients}
    cpu = {naam: [] for naam in clients}
    for _ in range(3):
        for client in clients.values():
            client.get(url, secure=True)
    for _ in range(herhalingen):
        for naam, client in clients.items():
            begin, begin_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, secure=True)
            tijden[naam].append((time.perf_counter() - begin) * 1000)
            cpu[naam].append((time.process_time() - begin_cpu) * 1000)
            assert response.status_code == 200, (url, naam, response.status_code)
    return {
        naam: (statistics.median(tijden[naam]), statistics.median(cpu[naam])) for naam in clients
    }


# The fields the processing log gained with the VNG standard (activity, purpose, legal
# basis, confidentiality, retention, categories, involvement, request id, organisation id).
VNG_VELDEN = {
    "activiteit": None,
    "doel": "",
    "grondslag": "",
    "vertrouwelijkheid": "",
    "bewaren_tot": None,
    "categorieen": [],
    "betrokkenheid": [],
    "verzoek_id": None,
    "organisatie_identificatie": "",
}


def log_van_een_lijst(gebruiker, herhalingen) -> dict[str, float]:
    """Median ms to build and insert the records of a 25-row list (one INSERT), rolled back:
    as written, and with the VNG fields left empty, alternating."""
    verzoek = RequestFactory().get("/deelnemers/")
    verzoek.user, verzoek.verwerking = gebruiker, "caseload"
    deelnemers = list(Deelnemer.objects.zichtbaar_voor(gebruiker)[:25])
    tijden = {"volledig": [], "zonder VNG-velden": []}
    for _ in range(herhalingen):
        for naam, tijd in tijden.items():
            with transaction.atomic():
                begin = time.perf_counter()
                lijst = records(verzoek, actie=AuditRecord.Actie.IN_LIJST, deelnemers=deelnemers)
                if naam != "volledig":
                    for record in lijst:
                        for veld, leeg in VNG_VELDEN.items():
                            setattr(record, veld, leeg)
                AuditRecord.objects.bulk_create(lijst)
                tijd.append((time.perf_counter() - begin) * 1000)
                transaction.set_rollback(True)
    return {naam: statistics.median(tijd) for naam, tijd in tijden.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--herhalingen", type=int, default=300)
    args = parser.parse_args()
    volledig = list(settings.MIDDLEWARE)
    stapels = {"volledig": volledig, "zonder beveiligingslaag": zonder_laag(volledig)}
    weg = sorted(set(volledig) - set(stapels["zonder beveiligingslaag"]))
    klantmanager = Gebruiker.objects.get(username="klantmanager")
    aanpassingen = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
    )
    print(f"Weggelaten in de vergelijking: {', '.join(weg)}")
    print(
        "\n| pagina | volledig ms | zonder ms | verschil ms | verschil CPU ms (dit proces) |"
        "\n|---|---:|---:|---:|---:|"
    )
    with aanpassingen:
        for naam, url in (
            ("register (geen deelnemers)", reverse("verwerkingen_register")),
            ("caseload (25 rijen, log)", reverse("deelnemers:lijst")),
        ):
            m = rondes(clients(klantmanager, stapels, url), url, args.herhalingen)
            (vol, vol_cpu), (zonder, zonder_cpu) = m["volledig"], m["zonder beveiligingslaag"]
            print(
                f"| {naam} | {vol:.2f} | {zonder:.2f} | {vol - zonder:.2f} | "
                f"{vol_cpu - zonder_cpu:.2f} |"
            )
    log = log_van_een_lijst(klantmanager, args.herhalingen)
    print(
        f"\nVerwerkingenlog van een lijst van 25 (één INSERT, mediaan): {log['volledig']:.2f} ms; "
        f"met de VNG-velden leeg {log['zonder VNG-velden']:.2f} ms, dus die velden kosten "
        f"{log['volledig'] - log['zonder VNG-velden']:.2f} ms"
    )


if __name__ == "__main__":
    main()
