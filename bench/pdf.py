"""PDF timings: one three-page plan van aanpak cold and warm, and a batch of fifty documents
with the process's peak memory before and after.

    DATABASE_URL=postgres://... .venv/bin/python -m bench.pdf
"""

import io
import os
import resource
import statistics
import time

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

from reintegratie.pdf import render_to_pdf, samenvoegen  # noqa: E402
from trajecten.models import PlanVanAanpak  # noqa: E402

# Production's manifest storage needs collectstatic; the files themselves are the same.
STATISCH = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def piek_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def context(plan):
    return {
        "traject": plan.traject,
        "plan": plan,
        "deelnemer": plan.traject.deelnemer,
        "afgedrukt_op": timezone.localtime(),
    }


def main():
    plannen = list(
        PlanVanAanpak.objects.annotate(n=Count("leerdoelen"))
        .filter(n__gt=0)
        .select_related("traject__deelnemer", "traject__trajecttype", "traject__aanbieder")
        .select_related("traject__klantmanager", "opgesteld_door")
        .prefetch_related("leerdoelen", "traject__fasen__fasetype")[:51]
    )
    plan = plannen[0]
    # Three pages: the plan with enough learning goals to run over.
    plan.afspraken = "Vier dagen per week aanwezig; afspraken over ziekmelding en verlof. " * 90
    begin = time.perf_counter()
    _, pdf = render_to_pdf("pdf/plan_van_aanpak.html", context(plan))
    koud = (time.perf_counter() - begin) * 1000
    warm = []
    for _ in range(10):
        begin = time.perf_counter()
        render_to_pdf("pdf/plan_van_aanpak.html", context(plan))
        warm.append((time.perf_counter() - begin) * 1000)

    pagina_s = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"plan van aanpak ({pagina_s} pagina's): eerste {koud:.0f} ms, "
        f"daarna mediaan {statistics.median(warm):.0f} ms"
    )

    # Memory flat means: the peak after 50 documents is the peak after 10.
    begin = time.perf_counter()
    stand = {}

    def documenten():
        for i, p in enumerate(plannen[1:51], start=1):
            yield render_to_pdf("pdf/plan_van_aanpak.html", context(p))[1]
            if i in (10, 50):
                stand[i] = piek_mb()

    batch = samenvoegen(documenten())
    duur = time.perf_counter() - begin
    print(
        f"batch van {len(plannen[1:51])} plannen: {duur:.1f} s, {len(batch) / 1024:.0f} KB; "
        f"piekgeheugen na 10: {stand.get(10, 0):.0f} MB, na 50: {stand.get(50, 0):.0f} MB"
    )


if __name__ == "__main__":
    with override_settings(STORAGES=STATISCH):
        main()
