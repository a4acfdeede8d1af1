"""Batch printing as it runs in production: a batch of plans queued through django.tasks and
made by a separate ``manage.py db_worker`` process, whose memory (and that of the PDF
processes under it) is sampled while the batch runs; and the single PDFs that stay in the
request, through the test client: median ms.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.afdrukken [--documenten 500]
        [--batches 2] [--herhalingen 20]
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)

import django

warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from reintegratie.afdrukken import services  # noqa: E402
from reintegratie.afdrukken.models import Afdrukopdracht  # noqa: E402
from trajecten.models import PlanVanAanpak, Voortgangsrapportage  # noqa: E402

# The worker runs with the same production-like settings, and the plain static storage
# (the manifest one needs collectstatic), as bench/pdf.py.
STATISCH = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# `manage.py db_worker`, with the bench's storage override around it.
WERKER_START = """
import django
django.setup()
from django.core.management import call_command
from django.test.utils import override_settings
from bench.afdrukken import STATISCH
with override_settings(STORAGES=STATISCH):
    call_command("db_worker", reload=False, startup_delay=False, interval=0.2, verbosity=0)
"""


def rss_mb(pid) -> float:
    for regel in Path(f"/proc/{pid}/status").read_text().splitlines():
        if regel.startswith("VmRSS"):
            return int(regel.split()[1]) / 1024
    return 0.0


def kinderen(pid) -> list[int]:
    uit = []
    for taak in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread or process that just ended
            for kind in (taak / "children").read_text().split():
                uit += [int(kind), *kinderen(int(kind))]
    return uit


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def batch(werker, gebruiker, plannen, stap):
    """One batch through the worker: seconds, and RSS samples (done, worker, largest other)."""
    opdracht, _ = services.starten(
        gebruiker=gebruiker,
        soort="deze_week",
        periode="2000-01-03",
        inhoud={"plannen": plannen, "rapportages": []},
        totaal=len(plannen),
    )
    begin, volgende, metingen = time.monotonic(), 0, []
    while True:
        opdracht.refresh_from_db(fields=["status", "klaar", "totaal", "melding"])
        if opdracht.klaar >= volgende or opdracht.status != "bezig":
            anderen = []
            for kind in kinderen(werker.pid):
                with contextlib.suppress(FileNotFoundError):  # a PDF process just replaced
                    anderen.append(rss_mb(kind))
            metingen.append((opdracht.klaar, rss_mb(werker.pid), max(anderen, default=0)))
            volgende = opdracht.klaar + stap
        if opdracht.status in ("klaar", "mislukt"):
            break
        time.sleep(0.1)
    if opdracht.status != "klaar":
        sys.exit(f"batch mislukt: {opdracht.melding}")
    grootte = len(Afdrukopdracht.objects.values_list("pdf", flat=True).get(pk=opdracht.pk))
    opdracht.delete()
    return time.monotonic() - begin, metingen, grootte


def los(client, naam, url, herhalingen):
    for _ in range(3):
        antwoord = client.get(url, secure=True)
    assert antwoord.status_code == 200 and antwoord["Content-Type"] == "application/pdf", url
    tijden = []
    for _ in range(herhalingen):
        begin = time.perf_counter()
        client.get(url, secure=True)
        tijden.append((time.perf_counter() - begin) * 1000)
    tijden.sort()
    print(
        f"| {naam} | {statistics.median(tijden):.0f} | {tijden[int(0.95 * len(tijden)) - 1]:.0f} "
        f"| {len(antwoord.content) / 1024:.0f} |",
        flush=True,
    )


def main(documenten, batches, herhalingen):
    gebruiker = Gebruiker.objects.get(username="klantmanager")
    plannen = list(
        PlanVanAanpak.objects.zichtbaar_voor(gebruiker).order_by("pk").values_list("pk", flat=True)
    )
    if not plannen:
        sys.exit("Geen plannen: laad eerst demodata (bench/README.md).")
    # As many documents as asked: the plans over again when there are fewer.
    plannen = (plannen * (documenten // len(plannen) + 1))[:documenten]
    print(f"load voor: {load()}")
    print("\n| los PDF-bestand (in het verzoek) | mediaan ms | p95 ms | KB |\n|---|---:|---:|---:|")
    client = ingelogd(gebruiker)
    plan = PlanVanAanpak.objects.zichtbaar_voor(gebruiker).select_related("traject").first()
    rapportage = Voortgangsrapportage.objects.zichtbaar_voor(gebruiker).first()
    with override_settings(
        STORAGES=STATISCH, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]
    ):
        los(
            client,
            "plan van aanpak",
            reverse("trajecten:plan_pdf", args=[plan.traject_id, plan.versie]),
            herhalingen,
        )
        if rapportage:
            los(
                client,
                "voortgangsrapportage",
                reverse("trajecten:rapportage_pdf", args=[rapportage.traject_id, rapportage.pk]),
                herhalingen,
            )
        los(
            client,
            "dossier",
            reverse("deelnemers:dossier_pdf", args=[plan.traject.deelnemer_id]),
            herhalingen,
        )
    print(f"load: {load()}")

    werker = subprocess.Popen([sys.executable, "-c", WERKER_START], env=os.environ.copy())
    try:
        time.sleep(3)
        print(f"\ndb_worker (pid {werker.pid}) na het starten: {rss_mb(werker.pid):.0f} MB")
        stap = max(documenten // 10, 1)
        for n in range(1, batches + 1):
            duur, metingen, grootte = batch(werker, gebruiker, plannen, stap)
            mb = grootte / 1024 / 1024
            print(f"\nbatch {n}: {documenten} plannen in {duur:.1f} s, PDF {mb:.1f} MB")
            print(f"load: {load()}")
            print("| documenten klaar | db_worker MB | grootste PDF-proces MB |\n|---:|---:|---:|")
            for klaar, eigen, ander in metingen:
                print(f"| {klaar} | {eigen:.0f} | {ander:.0f} |")
            time.sleep(1)
            print(f"db_worker na batch {n}: {rss_mb(werker.pid):.0f} MB")
    finally:
        werker.terminate()
        werker.wait(60)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documenten", type=int, default=500)
    parser.add_argument("--batches", type=int, default=2)
    parser.add_argument("--herhalingen", type=int, default=20)
    argumenten = parser.parse_args()
    main(argumenten.documenten, argumenten.batches, argumenten.herhalingen)
