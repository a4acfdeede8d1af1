"""Load run: throughput and response times under gunicorn, on one instance or two.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench \\
        .venv/bin/python -m bench.last [--instanties 2] [--duur 180]

Starts gunicorn with reintegratie/gunicorn_conf.py (``--workers`` each, default 2) on
127.0.0.1 under production settings (DEBUG off, collected static files, persistent
connections, the cache in Redis), logs the demo users in through the real log-in form and the
second step (the password, then a TOTP code computed from the device as the user's app does;
a user without an app gets one), and then:

1. the caseload and the dossier, each for ``--vast`` seconds, by ``--gelijktijdig`` clients
   that never wait: requests per second;
2. ``--gebruikers`` users of mixed roles for ``--duur`` seconds, each opening a page of his
   role, waiting ``--denktijd`` seconds on average, and opening the next: median and p95.

With ``--instanties 2`` two gunicorns on two ports share the database and the cache, every
user is logged in on one and sends his requests to both in turn (his session cookie from the
one works on the other), and the table shows each instance's share. Every answer but a 200 is
an error. Prints a Markdown report, also saved in bench/results/ (git-ignored), with the load
average and the CPU time gunicorn used (its requests per CPU second are its throughput per
core). Loopback only, a fixed duration and a fixed number of users: nothing else is reached.

``--taakwerker`` also starts ``manage.py db_worker`` (django-tasks-db) beside the instances,
as production runs the batch printing: a worker of its own on the same database.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BASIS = Path(__file__).resolve().parent.parent
RESULTATEN = BASIS / "bench" / "results"
WACHTWOORD = "demo"  # the demo data's (bench/README.md: use a dedicated database)

# Production settings, but over plain HTTP on the loopback: no redirect to HTTPS, cookies
# without Secure (the client would not send them back otherwise), no HSTS.
PRODUCTIE_OVER_HTTP = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-" + "0123456789" * 5,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
}


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Antwoord:
    status: int
    tekst: str
    locatie: str
    duur: float
    inhoud: bytes = b""


class Sessie:
    """One browser: its cookies, sent to whichever instance (port) a request goes to."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def verzoek(self, poort: int, methode: str, pad: str, data: dict | None = None) -> Antwoord:
        kop = {"Host": f"127.0.0.1:{poort}"}
        if self.cookies:
            kop["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            kop["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check wants the origin of a POST.
            kop["Origin"] = f"http://127.0.0.1:{poort}"
        begin = time.perf_counter()
        verbinding = http.client.HTTPConnection("127.0.0.1", poort, timeout=60)
        try:
            verbinding.request(methode, pad, body=body, headers=kop)
            response = verbinding.getresponse()
            inhoud = response.read()
            tekst = inhoud.decode("utf-8", "replace")
        finally:
            verbinding.close()
        duur = time.perf_counter() - begin
        for regel in response.headers.get_all("Set-Cookie") or []:
            koekje = SimpleCookie()
            koekje.load(regel)
            for naam, morsel in koekje.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(naam, None)
                else:
                    self.cookies[naam] = morsel.value
        return Antwoord(response.status, tekst, response.getheader("Location", ""), duur, inhoud)

    def get(self, poort: int, pad: str) -> Antwoord:
        return self.verzoek(poort, "GET", pad)

    def post(self, poort: int, pad: str, data: dict) -> Antwoord:
        return self.verzoek(poort, "POST", pad, {**data, "csrfmiddlewaretoken": self._csrf()})

    def _csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def inloggen(self, poort: int, gebruikersnaam: str, wachtwoord: str, code) -> None:
        """Both steps through the forms, as a browser does; ``code()`` gives the app's code
        at the moment it is asked for."""
        self.get(poort, "/inloggen/")
        stap1 = self.post(poort, "/inloggen/", {"username": gebruikersnaam, "password": wachtwoord})
        # Django's log-in answers with a redirect to the start page, which asks the second step.
        if stap1.status != 302 or "/inloggen/" in stap1.locatie:
            raise RuntimeError(f"{gebruikersnaam}: wachtwoordstap gaf {stap1.status}")
        stap2 = self.post(poort, "/tweestaps/controleren/", {"code": code()})
        if stap2.status != 302 or "/tweestaps/" in stap2.locatie:
            raise RuntimeError(f"{gebruikersnaam}: tweede stap gaf {stap2.status}")


def gunicorn_starten(poort: int, workers: int, omgeving: dict, log: Path) -> subprocess.Popen:
    """gunicorn with the project's configuration on 127.0.0.1:``poort``; returns once its
    health check answers 200."""
    proces = subprocess.Popen(
        [
            str(BASIS / ".venv" / "bin" / "gunicorn"),
            "reintegratie.wsgi",
            "-c",
            str(BASIS / "reintegratie" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{poort}",
            "--workers",
            str(workers),
        ],
        cwd=BASIS,
        env={**os.environ, **omgeving},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    tot = time.monotonic() + 60
    while time.monotonic() < tot:
        if proces.poll() is not None:
            raise RuntimeError(f"gunicorn op poort {poort} stopte; zie {log}")
        try:
            if Sessie().get(poort, "/gezondheid/").status == 200:
                return proces
        except OSError:
            pass
        time.sleep(0.2)
    proces.terminate()
    raise RuntimeError(f"gunicorn op poort {poort} antwoordt niet; zie {log}")


def gunicorn_stoppen(proces: subprocess.Popen) -> None:
    proces.terminate()
    try:
        proces.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proces.kill()
        proces.wait()


def cpu_seconden(proces: subprocess.Popen) -> float:
    """User and system CPU time of gunicorn's master and its workers so far (Linux /proc)."""
    tik = os.sysconf("SC_CLK_TCK")
    pids = [proces.pid]
    kinderen = Path(f"/proc/{proces.pid}/task/{proces.pid}/children")
    if kinderen.exists():
        pids += [int(p) for p in kinderen.read_text().split()]
    totaal = 0
    for pid in pids:
        try:
            velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        totaal += int(velden[11]) + int(velden[12])  # utime, stime
    return totaal / tik


@dataclass
class Gebruiker:
    gebruikersnaam: str
    rol: str
    paginas: list[str]
    apparaat_pk: int
    sessie: Sessie = field(default_factory=Sessie)


def voorbereiden(aantal: int) -> list[Gebruiker]:
    """``aantal`` demo users of mixed roles, each with a TOTP app and the pages of his role."""
    import django

    django.setup()
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from deelnemers.models import Deelnemer
    from reintegratie.accounts.models import Gebruiker as Model
    from reintegratie.accounts.models import Rol
    from reintegratie.accounts.tweestaps import totp_apparaat
    from werkplekken.models import Werkplek

    # Klantmanagers and trajectbegeleiders in turn, then a manager and a ketenpartner: the
    # mix of a werkbedrijf's office.
    per_rol = {
        rol: list(Model.objects.filter(rol=rol, is_active=True).order_by("username"))
        for rol in (Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER, Rol.KETENPARTNER)
    }
    gekozen = [*per_rol[Rol.MANAGER], *per_rol[Rol.KETENPARTNER]]
    for km, tb in zip(per_rol[Rol.KLANTMANAGER], per_rol[Rol.TRAJECTBEGELEIDER], strict=False):
        gekozen += [km, tb]
    if len(gekozen) < aantal:
        raise SystemExit(f"De database heeft {len(gekozen)} bruikbare demogebruikers.")
    lijst = reverse("deelnemers:lijst")
    gebruikers = []
    for user in gekozen[:aantal]:
        apparaat = totp_apparaat(user) or TOTPDevice.objects.create(
            user=user, name="Bench", confirmed=True
        )
        dossiers = [
            reverse("deelnemers:dossier", args=[pk])
            for pk in Deelnemer.objects.zichtbaar_voor(user)
            .order_by("pk")
            .values_list("pk", flat=True)[:20]
        ]
        paginas = [reverse("start"), lijst, *dossiers]
        if user.rol == Rol.KLANTMANAGER:
            paginas += [f"{lijst}?status=actief", f"{lijst}?klantmanager=alle&q=de"]
        elif user.rol == Rol.TRAJECTBEGELEIDER:
            paginas += [reverse("werkplekken:lijst")] + [
                reverse("werkplekken:detail", args=[pk])
                for pk in Werkplek.objects.filter(begeleider=user).values_list("pk", flat=True)[:5]
            ]
        elif user.rol == Rol.MANAGER:
            paginas += [reverse("dashboard"), f"{lijst}?klantmanager=alle"]
        gebruikers.append(Gebruiker(user.username, user.rol, paginas, apparaat.pk))
    return gebruikers


def app_code(apparaat_pk: int) -> str:
    """What the user's app shows now; one step ahead when this step's code was used (a code
    counts once), as tests/conftest.py's totp_code."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    apparaat = TOTPDevice.objects.get(pk=apparaat_pk)
    totp = TOTP(apparaat.bin_key, apparaat.step, apparaat.t0, apparaat.digits, apparaat.drift)
    stap = max(totp.t(), apparaat.last_t + 1)
    totp.drift += stap - totp.t()
    return f"{totp.token():0{apparaat.digits}d}"


@dataclass
class Meting:
    duren: list[float] = field(default_factory=list)
    fouten: list[str] = field(default_factory=list)
    per_poort: dict[int, int] = field(default_factory=dict)
    slot: threading.Lock = field(default_factory=threading.Lock)

    def noteer(self, poort: int, pad: str, antwoord: Antwoord | None, fout: str = "") -> None:
        with self.slot:
            self.per_poort[poort] = self.per_poort.get(poort, 0) + 1
            if antwoord is not None and antwoord.status == 200:
                self.duren.append(antwoord.duur)
            else:
                self.fouten.append(f"{pad}: {antwoord.status if antwoord else fout}")


def belasten(gebruikers, poorten, seconden, kies, denktijd: float) -> Meting:
    """Each user in his own thread for ``seconden``: a page (``kies``), then a pause."""
    meting = Meting()
    einde = time.monotonic() + seconden

    def gebruiker_loop(nummer: int, g: Gebruiker):
        toeval = random.Random(nummer)
        beurt = nummer
        # Spread the start over one think time, as users who did not arrive at once.
        time.sleep(toeval.uniform(0, denktijd))
        while time.monotonic() < einde:
            pad = kies(g, toeval)
            poort = poorten[beurt % len(poorten)]
            beurt += 1
            try:
                meting.noteer(poort, pad, g.sessie.get(poort, pad))
            except OSError as e:
                meting.noteer(poort, pad, None, type(e).__name__)
            if denktijd:
                time.sleep(toeval.uniform(0.5, 1.5) * denktijd)

    draden = [
        threading.Thread(target=gebruiker_loop, args=(i, g), daemon=True)
        for i, g in enumerate(gebruikers)
    ]
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    return meting


def ms(seconden: float) -> str:
    return f"{seconden * 1000:.0f}"


def regel(naam, meting: Meting, seconden: float, cpu: float, poorten) -> str:
    duren = sorted(meting.duren)
    n = len(duren)
    p95 = duren[min(n - 1, int(n * 0.95))] if n else 0.0
    verdeling = " / ".join(str(meting.per_poort.get(p, 0)) for p in poorten)
    per_cpu = f"{n / cpu:.0f}" if cpu else "-"
    return (
        f"| {naam} | {n / seconden:.0f} | {ms(statistics.median(duren)) if n else '-'} | "
        f"{ms(p95)} | {len(meting.fouten)} | {per_cpu} | {verdeling} |"
    )


def argumenten(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instanties", type=int, default=1, choices=(1, 2))
    parser.add_argument("--workers", type=int, default=2, help="per instantie")
    parser.add_argument("--vast", type=float, default=20, help="seconden per pagina (deel 1)")
    parser.add_argument("--gelijktijdig", type=int, default=4, help="clients in deel 1")
    parser.add_argument("--gebruikers", type=int, default=50)
    parser.add_argument("--duur", type=float, default=180, help="seconden (deel 2)")
    parser.add_argument("--denktijd", type=float, default=5.0, help="seconden, gemiddeld")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/13", help="CACHE_URL")
    parser.add_argument("--taakwerker", action="store_true", help="ook manage.py db_worker")
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        parser.error("zet DATABASE_URL op de benchdatabase (bench/README.md)")
    return args


def main(argv=None) -> int:
    args = argumenten(argv)
    RESULTATEN.mkdir(exist_ok=True)
    omgeving = {
        **PRODUCTIE_OVER_HTTP,
        "CACHE_URL": args.cache,
        "STATIC_ROOT": str(RESULTATEN / "static"),
    }
    os.environ.update(omgeving)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
    python = str(BASIS / ".venv" / "bin" / "python")
    if not (RESULTATEN / "static" / "staticfiles.json").exists():
        subprocess.run([python, "manage.py", "collectstatic", "--no-input", "-v0"], check=True)
    gebruikers = voorbereiden(args.gebruikers)
    log = RESULTATEN / f"last-gunicorn-{datetime.now():%Y%m%d-%H%M%S}.log"
    poorten = [vrije_poort() for _ in range(args.instanties)]
    processen = []
    try:
        processen = [gunicorn_starten(p, args.workers, omgeving, log) for p in poorten]
        if args.taakwerker:
            processen.append(
                subprocess.Popen(
                    [python, "manage.py", "db_worker"], cwd=BASIS, stdout=log.open("ab")
                )
            )
        # Logged in on one instance each, in turn; after that every user asks both.
        for i, g in enumerate(gebruikers):
            g.sessie.inloggen(
                poorten[i % len(poorten)],
                g.gebruikersnaam,
                WACHTWOORD,
                lambda g=g: app_code(g.apparaat_pk),
            )
        load_voor = os.getloadavg()
        rijen, fouten = belastingen(args, gebruikers, poorten, processen)
        load_na = os.getloadavg()
    finally:
        for p in processen:
            gunicorn_stoppen(p)
    tabel = verslag(args, rijen, load_voor=load_voor, load_na=load_na)
    print(tabel)
    if fouten:
        print("Fouten (eerste 10):", *fouten[:10], sep="\n  ")
    bestand = RESULTATEN / f"last-{datetime.now():%Y%m%d-%H%M%S}.md"
    bestand.write_text(tabel + "\n")
    return 1 if fouten else 0


def belastingen(args, gebruikers, poorten, processen):
    """Part 1, each page alone without think time; part 2, every user on mixed pages. The
    table's lines, and the errors."""
    rijen, fouten = [], []
    km = [g for g in gebruikers if g.rol == "klantmanager"][: args.gelijktijdig]
    for naam, kies in (
        ("caseload", lambda g, t: "/deelnemers/"),
        ("dossier", lambda g, t: t.choice([p for p in g.paginas if re.search(r"/\d+/$", p)])),
    ):
        cpu = sum(cpu_seconden(p) for p in processen)
        meting = belasten(km, poorten, args.vast, kies, denktijd=0)
        cpu = sum(cpu_seconden(p) for p in processen) - cpu
        rijen.append(regel(f"{naam}, {len(km)} clients", meting, args.vast, cpu, poorten))
        fouten += meting.fouten
    cpu = sum(cpu_seconden(p) for p in processen)
    meting = belasten(
        gebruikers, poorten, args.duur, lambda g, t: t.choice(g.paginas), args.denktijd
    )
    cpu = sum(cpu_seconden(p) for p in processen) - cpu
    rijen.append(regel(f"{len(gebruikers)} gebruikers, gemengd", meting, args.duur, cpu, poorten))
    fouten += meting.fouten
    return rijen, fouten


def verslag(args, rijen, *, load_voor, load_na) -> str:
    kop = (
        f"Belasting {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.instanties} instantie(s) x "
        f"{args.workers} workers, {os.cpu_count()} cores, cache {args.cache or 'lokaal'}; "
        f"deel 1 {args.vast:.0f} s per pagina, deel 2 {args.duur:.0f} s met denktijd "
        f"{args.denktijd} s; load average voor {load_voor[0]:.2f}, na {load_na[0]:.2f} "
        f"(1 min), {load_na[1]:.2f} (5 min)."
    )
    return "\n".join(
        [
            kop,
            "",
            "| wat | verzoeken/s | mediaan ms | p95 ms | fouten | verzoeken per CPU-s "
            "gunicorn | per instantie |",
            "|---|---:|---:|---:|---:|---:|---|",
            *rijen,
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
