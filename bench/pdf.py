"""PDF timings and memory: one three-page plan van aanpak cold and warm (rendered in this
process, as a single PDF is), then batches of fifty plans through the PDF workers, with the
memory of this process (standing in for the task worker, which calls ``render_batch``), of
the fork server and of each worker. ``bench.afdrukken`` measures the real task worker.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.pdf [--batches 5] [--werkers 2]
    DATABASE_URL=postgres://... .venv/bin/python -m bench.pdf --in-dit-proces

``--in-dit-proces`` renders the same documents here, one after the other, as batches were
made before the workers: it shows what WeasyPrint leaves behind in the process.
"""

import argparse
import io
import multiprocessing
import os
import statistics
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from reintegratie import pdf  # noqa: E402
from trajecten.models import PlanVanAanpak  # noqa: E402

# Production's manifest storage needs collectstatic; the files themselves are the same.
STATISCH = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
BATCH = 50


def geheugen_mb(pid="self"):
    """Resident memory of a process now and at its peak (VmRSS, VmHWM), in MB."""
    regels = Path(f"/proc/{pid}/status").read_text().splitlines()
    waarden = dict(r.split(":", 1) for r in regels if r.startswith(("VmRSS", "VmHWM")))
    return tuple(int(waarden[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))


def fork_server():
    """The pid of this process's fork server, if it runs."""
    for taak in Path("/proc/self/task").iterdir():
        for pid in (taak / "children").read_text().split():
            if b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
    return None


class Werkers(threading.Thread):
    """Samples the workers' memory ten times a second: the peak of each worker."""

    def __init__(self):
        super().__init__(daemon=True)
        self.piek = {}  # pid -> MB

    def run(self):
        while True:
            for werker in multiprocessing.active_children():
                try:
                    rss, _ = geheugen_mb(werker.pid)
                except (FileNotFoundError, KeyError):  # gone, or a zombie without memory
                    continue
                self.piek[werker.pid] = max(self.piek.get(werker.pid, 0), rss)
            time.sleep(0.1)


def context(plan):
    return {
        "traject": plan.traject,
        "plan": plan,
        "deelnemer": plan.traject.deelnemer,
        "afgedrukt_op": timezone.localtime(),
    }


def los(plan):
    """A three-page plan, rendered here: the first time, then the median of ten."""
    # Three pages: the plan with enough text to run over.
    plan.afspraken = "Vier dagen per week aanwezig; afspraken over ziekmelding en verlof. " * 90
    begin = time.perf_counter()
    _, inhoud = pdf.render_to_pdf("pdf/plan_van_aanpak.html", context(plan))
    koud = (time.perf_counter() - begin) * 1000
    warm = []
    for _ in range(10):
        begin = time.perf_counter()
        pdf.render_to_pdf("pdf/plan_van_aanpak.html", context(plan))
        warm.append((time.perf_counter() - begin) * 1000)
    pagina_s = len(PdfReader(io.BytesIO(inhoud)).pages)
    print(
        f"plan van aanpak ({pagina_s} pagina's), in dit proces: eerste {koud:.0f} ms, "
        f"daarna mediaan {statistics.median(warm):.0f} ms"
    )


def main(batches, werkers, in_dit_proces):
    plannen = list(
        PlanVanAanpak.objects.annotate(n=Count("leerdoelen"))
        .filter(n__gt=0)
        .select_related("traject__deelnemer", "traject__trajecttype", "traject__aanbieder")
        .select_related("traject__klantmanager", "opgesteld_door")
        .prefetch_related("leerdoelen", "traject__fasen__fasetype")[: BATCH + 1]
    )
    los(plannen[0])
    documenten = [("pdf/plan_van_aanpak.html", context(p)) for p in plannen[1:]]
    rss, piek = geheugen_mb()
    print(f"webproces voor de batches: {rss:.0f} MB (piek {piek:.0f} MB)")
    if in_dit_proces:
        print(f"batches van {len(documenten)} plannen, in dit proces:")
    else:
        pdf.WERKERS = werkers
        print(
            f"batches van {len(documenten)} plannen, {pdf.WERKERS} werker(s) per batch, een "
            f"nieuwe werker na {pdf.DOCUMENTEN_PER_WERKER} documenten:"
        )
    bemonsteraar = Werkers()
    bemonsteraar.start()
    for n in range(1, batches + 1):
        begin = time.perf_counter()
        if in_dit_proces:
            for template, ctx in documenten:
                pdf.render_to_pdf(template, ctx)
            uitkomst = ""
        else:
            batch = pdf.render_batch(documenten)
            pagina_s = len(PdfReader(io.BytesIO(batch)).pages)
            uitkomst = f"{pagina_s} pagina's, {len(batch) / 1024:.0f} KB; "
        duur = time.perf_counter() - begin
        rss, piek = geheugen_mb()
        server = fork_server()
        print(
            f"  batch {n} (na {n * len(documenten)} documenten): {duur:.1f} s, {uitkomst}"
            f"webproces {rss:.0f} MB (piek {piek:.0f} MB)"
            + (f", fork server {geheugen_mb(server)[0]:.0f} MB" if server else "")
        )
    if bemonsteraar.piek:
        time.sleep(0.3)
        pieken = sorted(bemonsteraar.piek.values())
        print(
            f"{len(pieken)} werkers, piek RSS per werker: kleinste {pieken[0]:.0f} MB, "
            f"mediaan {statistics.median(pieken):.0f} MB, grootste {pieken[-1]:.0f} MB"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=5, help="aantal batches (5)")
    parser.add_argument(
        "--werkers", type=int, default=pdf.WERKERS, help=f"werkers per batch ({pdf.WERKERS})"
    )
    parser.add_argument("--in-dit-proces", action="store_true", help="zonder werkers")
    argumenten = parser.parse_args()
    with override_settings(STORAGES=STATISCH):
        main(argumenten.batches, argumenten.werkers, argumenten.in_dit_proces)
