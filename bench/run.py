"""Benchmarks: server time, query count and size of the main pages at a given data size.

    createdb -h 127.0.0.1 -U postgres reintegratie_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench \\
        .venv/bin/python -m bench.run --deelnemers 100000

Builds the dataset (``migrate`` + ``demodata``) when the database has no participants, then
requests each page through Django's test client: in-process, so URL routing, all middleware,
the view, the queries and the template, without a web server or network. Per page: median and
p95 over ``--herhalingen`` requests after 3 warm-up requests, the number of queries and the
summed SQL time of one more request, and the response size. Prints a Markdown table and saves
it in bench/results/ (git-ignored). See bench/README.md.

Use a dedicated database: the demo data has log-ins with a known password, and the audit log
is append-only on PostgreSQL, so participants cannot be deleted: to start again, drop and
recreate the database (``--opnieuw`` does that for a database whose name contains "bench").
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

# Production-like settings, before Django reads them: DEBUG off (no query log kept, cached
# templates). DEBUG off requires a SECRET_KEY; this one is for benchmarks only.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)

import django

# Whitenoise looks for STATIC_ROOT, which only collectstatic makes; not needed here.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Sum  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from deelnemers.models import Deelnemer  # noqa: E402
from reintegratie.accounts.models import Gebruiker, Rol  # noqa: E402
from trajecten.weekrooster import maandag_van  # noqa: E402
from werkplekken.models import Werkplek  # noqa: E402

RESULTATEN = Path(__file__).resolve().parent / "results"
OPWARMEN = 3
KOUD = "(opnieuw geteld)"
ADMIN = "admin changelist"
KAAL = "kale view"
BEHEER_BENCH = "bench-admin"


class DeelnemerChangelist(admin.ModelAdmin):
    """Django's own admin changelist on the same data: the yardstick of the issue (100 rows,
    two list filters, a name search). Registered in this process only: the application keeps
    participants out of its admin, which bypasses the access rules and the audit log."""

    list_display = ["achternaam", "voornaam", "geboortedatum", "woongemeente", "klantmanager"]
    list_filter = ["woongemeente", "taalniveau"]
    search_fields = ["achternaam", "voornaam"]
    list_select_related = ["woongemeente", "klantmanager"]
    list_per_page = 100


def kaal(request):
    """All middleware and nothing else: what every page costs before its own work."""
    return HttpResponse("kaal")


# The bench's URLconf: the application's, the bare view, and the changelist above (the
# admin's URLs are read when this module is first resolved, after the registration).
admin.site.register(Deelnemer, DeelnemerChangelist)
urlpatterns = [path("bench/kaal/", kaal, name="bench_kaal"), path("", include("reintegratie.urls"))]


def paginas():
    """(name, username, url) of the measured pages; the objects are picked from the data."""
    km = Gebruiker.objects.get(username="klantmanager")
    tb = Gebruiker.objects.get(username="trajectbegeleider")
    # A participant of the klantmanager's own caseload with the most hours booked.
    dossier = (
        Deelnemer.objects.zichtbaar_voor(km)
        .filter(klantmanager=km)
        .annotate(geboekt=Sum("trajecten__fasen__uren_gebruikt"))
        .filter(geboekt__isnull=False)
        .order_by("-geboekt", "pk")
        .first()
    )
    # The most common surname: the search that returns the most rows.
    achternaam = (
        Deelnemer.objects.values("achternaam")
        .annotate(n=Count("pk"))
        .order_by("-n", "achternaam")
        .values_list("achternaam", flat=True)
        .first()
    )
    werkplek = Werkplek.objects.filter(begeleider=tb).order_by("pk").first()
    pagina_s = _vaste_paginas(achternaam)
    if dossier:
        url = reverse("deelnemers:dossier", args=[dossier.pk])
        pagina_s.insert(-1, ("deelnemers:dossier", "klantmanager", url))
    if werkplek:
        pagina_s += _werkplekpaginas(werkplek)
    return pagina_s


def _vaste_paginas(achternaam):
    """The pages every database has, the name search on ``achternaam``; the counted-afresh
    dashboard last."""
    lijst = reverse("deelnemers:lijst")
    zoek = urlencode({"q": achternaam or ""})
    changelist = reverse("admin:deelnemers_deelnemer_changelist")
    return [
        (KAAL, "klantmanager", reverse("bench_kaal")),
        (ADMIN, BEHEER_BENCH, changelist),
        (f"{ADMIN} ?q={achternaam}", BEHEER_BENCH, f"{changelist}?{zoek}"),
        ("start klantmanager", "klantmanager", reverse("start")),
        ("start trajectbegeleider", "trajectbegeleider", reverse("start")),
        ("start manager", "manager", reverse("start")),
        ("start ketenpartner", "ketenpartner", reverse("start")),
        ("deelnemers:lijst", "klantmanager", lijst),
        (f"deelnemers:lijst ?q={achternaam}", "klantmanager", f"{lijst}?{zoek}"),
        ("deelnemers:lijst ?status=actief", "klantmanager", f"{lijst}?status=actief"),
        (
            f"deelnemers:lijst alle km ?q={achternaam}",
            "klantmanager",
            f"{lijst}?klantmanager=alle&{zoek}",
        ),
        (
            "deelnemers:lijst alle km, actief, signaal",
            "klantmanager",
            f"{lijst}?klantmanager=alle&status=actief&signaal=evaluatie_nodig",
        ),
        ("werkplekken:lijst", "trajectbegeleider", reverse("werkplekken:lijst")),
        ("resultaten (dit jaar)", "manager", reverse("resultaten")),
        ("kosten (dit jaar)", "manager", reverse("kosten")),
        ("doelstellingen (12 maanden)", "manager", reverse("doelstellingen")),
        ("dashboard (uit de cache)", "manager", reverse("dashboard")),
        # Counted afresh on every request: what the first manager after five minutes waits.
        (f"dashboard {KOUD}", "manager", reverse("dashboard")),
    ]


def _werkplekpaginas(werkplek):
    week = maandag_van(timezone.localdate()).isoformat()
    return [
        (
            "werkplekken:detail",
            "trajectbegeleider",
            reverse("werkplekken:detail", args=[werkplek.pk]),
        ),
        (
            "werkplekken:week",
            "trajectbegeleider",
            f"{reverse('werkplekken:week', args=[werkplek.pk])}?week={week}",
        ),
        (
            "werkplekken:aanwezigheid",
            "trajectbegeleider",
            reverse("werkplekken:aanwezigheid", args=[werkplek.pk]),
        ),
    ]


class SqlTijd:
    """An execute wrapper summing the time spent in the database (CaptureQueriesContext
    rounds each query to whole milliseconds)."""

    def __init__(self):
        self.totaal = 0.0

    def __call__(self, execute, sql, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.totaal += time.perf_counter() - begin


def beheerder_bench():
    """A superuser of the klantmanager's organisation, for the admin changelist."""
    km = Gebruiker.objects.get(username="klantmanager")
    gebruiker = Gebruiker.objects.filter(username=BEHEER_BENCH).first() or Gebruiker(
        username=BEHEER_BENCH
    )
    gebruiker.organisatie_id, gebruiker.rol = km.organisatie_id, Rol.BEHEERDER
    gebruiker.is_staff = gebruiker.is_superuser = True
    gebruiker.save()
    return gebruiker


def verhoudingen(gemeten):
    """Each page's median against the admin changelist's (the search against its search)."""
    admin_lijst = next((m for n, m in gemeten.items() if n == ADMIN), None)
    admin_zoek = next((m for n, m in gemeten.items() if n.startswith(f"{ADMIN} ?q=")), None)
    regels = []
    for naam, m in gemeten.items():
        if naam.startswith(ADMIN) or naam == KAAL:
            continue
        maat = admin_zoek if "?q=" in naam and admin_zoek else admin_lijst
        if maat:
            regels.append((naam, m["mediaan"] / maat["mediaan"]))
    return regels


def meet(client, url, herhalingen, koud=False):
    """Time ``herhalingen`` GETs after a warm-up; count the queries of one more. ``koud``
    empties Django's cache before each request (outside the timing)."""
    # secure=True: production serves HTTPS only (SECURE_SSL_REDIRECT), as a proxy would pass.
    for _ in range(OPWARMEN):  # connection, template loaders, caches
        client.get(url, secure=True)
    tijden = []
    for _ in range(herhalingen):
        if koud:
            cache.clear()
        begin = time.perf_counter()
        response = client.get(url, secure=True)
        tijden.append((time.perf_counter() - begin) * 1000)
        if response.status_code != 200:
            break
    # Counted apart: capturing queries switches on the debug cursor, which costs time.
    sql = SqlTijd()
    if koud:
        cache.clear()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(sql):
        response = client.get(url, secure=True)
    return {
        "status": response.status_code,
        "mediaan": statistics.median(tijden),
        "p95": statistics.quantiles(tijden, n=20, method="inclusive")[18]
        if len(tijden) > 1
        else tijden[0],
        "queries": len(queries),
        "sql_ms": sql.totaal * 1000,
        "kb": len(response.content) / 1024,
        "traagste": sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3],
    }


def opnieuw():
    """Drop and recreate the benchmark database (PostgreSQL, name containing "bench")."""
    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or "bench" not in db["NAME"]:
        sys.exit(
            "--opnieuw alleen voor een eigen PostgreSQL-benchmarkdatabase (naam met 'bench'). "
            "Anders: dropdb en createdb met de hand, zie bench/README.md."
        )
    import psycopg

    connection.close()
    with psycopg.connect(
        dbname="postgres",
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    ) as beheer:
        beheer.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
        beheer.execute(f'CREATE DATABASE "{db["NAME"]}"')
    print(f"Database {db['NAME']} opnieuw aangemaakt.")


def opbouwen(aantal):
    """migrate + demodata when there are no participants; returns the build time or None."""
    call_command("migrate", verbosity=0)
    bestaand = Deelnemer.objects.count()
    if bestaand:
        if bestaand != aantal:
            print(
                f"Let op: de database heeft al {bestaand} deelnemers (niet {aantal}); die worden "
                "gemeten. Opnieuw opbouwen: --opnieuw.",
                file=sys.stderr,
            )
        return None
    print(f"demodata: {aantal} deelnemers laden...", flush=True)
    begin = time.perf_counter()
    call_command("demodata", deelnemers=aantal, force=True)
    duur = time.perf_counter() - begin
    piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"demodata: {aantal} deelnemers in {duur:.0f} s, piekgeheugen {piek:.0f} MB", flush=True)
    return duur, piek


def git_versie():
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def argumenten():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deelnemers", type=int, default=2000, help="grootte bij opbouwen")
    parser.add_argument("--herhalingen", type=int, default=50, help="gemeten requests per pagina")
    parser.add_argument(
        "--pagina",
        action="extend",
        nargs="+",
        metavar="NAAM",
        help="alleen pagina's waarvan de naam dit bevat (bv. dossier, start, werkplekken)",
    )
    parser.add_argument(
        "--opnieuw",
        action="store_true",
        help="de benchmarkdatabase weggooien en opnieuw opbouwen (alleen PostgreSQL, naam "
        "met 'bench')",
    )
    parser.add_argument(
        "--sql", action="store_true", help="per pagina de drie traagste queries tonen"
    )
    args = parser.parse_args()
    if args.herhalingen < 1:
        parser.error("--herhalingen moet 1 of meer zijn")
    return args


def waarschuwingen(vendor):
    if vendor != "postgresql":
        print(
            "Let op: dit meet op SQLite (geen DATABASE_URL). Meet op PostgreSQL, zoals productie: "
            "zie bench/README.md.",
            file=sys.stderr,
        )
    if settings.DEBUG:
        print("Let op: DEBUG staat aan; de tijden zijn niet realistisch.", file=sys.stderr)


def kop(*, vendor, aantal, herhalingen, bouw) -> list[str]:
    regels = [
        f"# {vendor}, {aantal} deelnemers",
        "",
        f"{datetime.now():%Y-%m-%d %H:%M}, versie {git_versie()}, {herhalingen} "
        f"herhalingen na {OPWARMEN} om op te warmen, Django test client (in-process, met "
        "middleware), DEBUG uit.",
    ]
    if bouw:
        regels.append(f"Opbouw (demodata): {bouw[0]:.0f} s, piekgeheugen {bouw[1]:.0f} MB.")
    return regels


def meet_paginas(args, regels) -> dict:
    """Each page's measurement, by name; its line of the table added to ``regels`` and
    printed as it comes."""
    # DEBUG off selects whitenoise's CompressedManifestStaticFilesStorage, whose {% static %}
    # needs the manifest from collectstatic. Static files are not what is measured here, so
    # the plain storage stands in (same URLs minus the hash), and the test client's host is
    # allowed whatever ALLOWED_HOSTS says.
    aanpassingen = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        ROOT_URLCONF=sys.modules[__name__],
    )
    beheerder_bench()
    gemeten = {}
    with aanpassingen:
        clients = {}
        for naam, gebruiker, url in paginas():
            if args.pagina and not any(p in naam for p in args.pagina):
                continue
            if gebruiker not in clients:
                clients[gebruiker] = ingelogd(Gebruiker.objects.get(username=gebruiker))
            m = gemeten[naam] = meet(clients[gebruiker], url, args.herhalingen, koud=KOUD in naam)
            status = "" if m["status"] == 200 else f" (HTTP {m['status']})"
            regels.append(
                f"| {naam}{status} | {m['mediaan']:.1f} | {m['p95']:.1f} | {m['queries']} | "
                f"{m['kb']:.0f} | {m['sql_ms']:.1f} |"
            )
            print(regels[-1], flush=True)
            if args.sql:
                for q in m["traagste"]:
                    print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}", flush=True)
    return gemeten


def verhoudingstabel(gemeten) -> list[str]:
    """The pages' medians beside the admin changelist's, as lines of a table; none without it."""
    if not (verhouding := verhoudingen(gemeten)):
        return []
    return [
        "",
        f"Mediaan t.o.v. de {ADMIN} (100 rijen, twee list filters; een zoekopdracht t.o.v. "
        "dezelfde zoekopdracht daar):",
        "",
        "| pagina | × admin |",
        "|---|---:|",
        *[f"| {naam} | {factor:.2f} |" for naam, factor in verhouding],
    ]


def main():
    args = argumenten()
    vendor = connection.vendor
    waarschuwingen(vendor)
    if args.opnieuw:
        opnieuw()
    bouw = opbouwen(args.deelnemers)
    aantal = Deelnemer.objects.count()
    koptekst = kop(vendor=vendor, aantal=aantal, herhalingen=args.herhalingen, bouw=bouw)
    regels = [
        "",
        "| pagina | mediaan ms | p95 ms | queries | KB | SQL ms (1 request) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(koptekst + regels), flush=True)
    gemeten = meet_paginas(args, regels)
    if verhouding := verhoudingstabel(gemeten):
        regels += verhouding
        print("\n".join(verhouding), flush=True)

    RESULTATEN.mkdir(exist_ok=True)
    bestand = RESULTATEN / f"{datetime.now():%Y%m%d-%H%M%S}-{vendor}-{aantal}.md"
    bestand.write_text("\n".join(koptekst + regels) + "\n")
    print(f"\nBewaard in {bestand}")


if __name__ == "__main__":
    main()
