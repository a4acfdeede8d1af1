"""What the security layer costs per request: two-factor checks, sessions, request and
processing logs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench \\
        .venv/bin/python -m bench.middleware --herhalingen 300

Measures pages through Django's test client twice, in alternating rounds: with the full
middleware stack, and without the middleware this layer adds (the request id, the request
log, OTP and its enforcement, the idle timeout and no-store, the lockout). The difference of
the medians is what every request pays. Then the processing log of a list page alone: the
records of 25 participants built and inserted in one statement. Needs the demo data
(``bench.run`` builds it).
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
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from deelnemers.models import Deelnemer  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from reintegratie.audit.models import AuditRecord  # noqa: E402
from reintegratie.audit.verwerking import records  # noqa: E402

# The middleware of the security layer, by where it comes from.
LAAG = (
    "reintegratie.accounts.",
    "reintegratie.audit.",
    "django_otp.",
    "axes.",
    "django_structlog.",
)


def zonder_laag(middleware):
    return [m for m in middleware if not m.startswith(LAAG)]


def ingelogd(gebruiker) -> Client:
    """A client logged in past both steps, as after the password and the code."""
    client = Client(raise_request_exception=False)
    client.force_login(gebruiker)
    apparaat, _ = TOTPDevice.objects.get_or_create(
        user=gebruiker, name="bench", defaults={"confirmed": True}
    )
    sessie = client.session
    sessie[DEVICE_ID_SESSION_KEY] = apparaat.persistent_id
    sessie.save()
    return client


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


def log_van_een_lijst(gebruiker, herhalingen) -> float:
    """Median ms to build and insert the records of a 25-row list (one INSERT), rolled back."""
    verzoek = RequestFactory().get("/deelnemers/")
    verzoek.user, verzoek.verwerking = gebruiker, "caseload"
    deelnemers = list(Deelnemer.objects.zichtbaar_voor(gebruiker)[:25])
    tijden = []
    for _ in range(herhalingen):
        with transaction.atomic():
            begin = time.perf_counter()
            AuditRecord.objects.bulk_create(
                records(verzoek, actie=AuditRecord.Actie.IN_LIJST, deelnemers=deelnemers)
            )
            tijden.append((time.perf_counter() - begin) * 1000)
            transaction.set_rollback(True)
    return statistics.median(tijden)


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
    print(
        f"\nVerwerkingenlog van een lijst van 25 (één INSERT): "
        f"{log_van_een_lijst(klantmanager, args.herhalingen):.2f} ms (mediaan)"
    )


if __name__ == "__main__":
    main()
