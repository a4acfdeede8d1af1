"""Shared fixtures: two organisations, a user per role, and a participant in each.

``eigen`` is the organisation whose participant is involved everywhere (it provides the
trajectory, hosts the placement); ``vreemd`` is an outsider with a participant of its own.
"""

import html
import io
import os
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from reintegratie.accounts.models import Organisatie, Rol

from .factories import (
    DeelnemerFactory,
    GebruikerFactory,
    IntakeFactory,
    OrganisatieFactory,
    PlaatsingFactory,
    TrajectFactory,
    WerkplekFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


WEEKDAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def klok_doel(weekdag: str, nu: datetime) -> datetime:
    """11:00 on the first ``weekdag`` after ``nu``'s date (1 to 7 days ahead).

    Ahead, never back: the browser keeps the real clock, and cookies the server dates in the
    past would expire in it. A fixed hour keeps a run clear of midnight.
    """
    if weekdag not in WEEKDAGEN:
        raise pytest.UsageError(f"TEST_WEEKDAG={weekdag!r}: kies uit {', '.join(WEEKDAGEN)}.")
    vooruit = (WEEKDAGEN.index(weekdag) - nu.weekday() - 1) % 7 + 1
    return datetime.combine(nu.date() + timedelta(days=vooruit), time(11), tzinfo=nu.tzinfo)


_REIS = pytest.StashKey[object]()


def pytest_configure(config):
    """The whole run on another day of the week: ``TEST_WEEKDAG=zondag ./scripts/test``.

    The clock is set before the tests are collected, so that what a module reads at import
    (last year, say), every test, the live server thread and the demo data agree on
    "today"; it keeps ticking from there. Without the variable the run uses the real date.
    """
    weekdag = os.environ.get("TEST_WEEKDAG", "").strip().lower()
    if weekdag:
        reis = time_machine.travel(klok_doel(weekdag, timezone.localtime()), tick=True)
        reis.start()
        config.stash[_REIS] = reis


def pytest_unconfigure(config):
    if reis := config.stash.get(_REIS, None):
        reis.stop()


EERSTE_SLEUTEL = 100_000


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with every primary key from here on at 100,000 or more.

    A production database has such keys; a fresh test database starts at 1. A key printed as a
    number (``{{ taak.pk }}``) then comes out as "100.123" in Dutch, which breaks an element
    id, an htmx target and a checkbox value. With small keys only a long run showed it, and
    only when the tests before had used a thousand keys: now every test meets it.
    """
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(format('%%I.%%I', schemaname, sequencename), %s, false) "
                "FROM pg_sequences WHERE schemaname = current_schema() "
                "AND coalesce(last_value, 0) < %s",
                [EERSTE_SLEUTEL, EERSTE_SLEUTEL],
            )
        else:
            # SQLite: Django's AUTOINCREMENT keys continue after the row in sqlite_sequence.
            tabellen = connection.introspection.table_names(cursor)
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%%AUTOINCREMENT%%'")
            for (tabel,) in cursor.fetchall():
                if tabel in tabellen:
                    cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [tabel])
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) SELECT %s, max(coalesce("
                        f"(SELECT max(rowid) FROM {connection.ops.quote_name(tabel)}), 0), %s)",
                        [tabel, EERSTE_SLEUTEL - 1],
                    )


@pytest.fixture(autouse=True)
def lege_cache():
    """Every test starts without cached counts (the manager's overview caches them)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def force_login_met_tweede_stap(monkeypatch):
    """``client.force_login(user)`` stands for a user who passed both log-in steps.

    It already stands for the password step (the test does not type one); with two-factor
    authentication (reintegratie.accounts.tweestaps) the second step belongs to logging in
    just as much, so after Django's force_login the session is marked as verified exactly as
    the verification page does after a correct code (``markeer_geverifieerd``), with a real,
    confirmed TOTP device of that user (made here if he has none). Pages see
    ``user.is_verified()`` as in production, and the middleware checks the mark as for a real
    log-in.

    The tests of the second step itself (tests/test_tweestaps.py) do not use force_login:
    they log in through the form and type the code.
    """
    from django.http import HttpRequest
    from django.test.client import ClientMixin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reintegratie.accounts.tweestaps import markeer_geverifieerd

    force_login, aforce_login = ClientMixin.force_login, ClientMixin.aforce_login

    def apparaat_van(user):
        apparaat = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        return apparaat or TOTPDevice.objects.create(user=user, name="Test-app", confirmed=True)

    def tweede_stap(client, user):
        request = HttpRequest()
        request.user = user
        request.session = client.session  # a new store on each access: keep this one
        markeer_geverifieerd(request, apparaat_van(user))
        request.session.save()

    def force_login_beide_stappen(self, user, backend=None):
        force_login(self, user, backend)
        tweede_stap(self, user)

    async def aforce_login_beide_stappen(self, user, backend=None):
        from asgiref.sync import sync_to_async

        await aforce_login(self, user, backend)
        await sync_to_async(tweede_stap)(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login_beide_stappen)
    monkeypatch.setattr(ClientMixin, "aforce_login", aforce_login_beide_stappen)


def totp_code(apparaat) -> str:
    """The code the user's app shows now, computed from the device's key as the app does: for
    the first time step the device still accepts (a code is accepted once; within its
    tolerance of one step ahead)."""
    from django_otp.oath import TOTP

    apparaat.refresh_from_db()
    totp = TOTP(apparaat.bin_key, apparaat.step, apparaat.t0, apparaat.digits, apparaat.drift)
    stap = max(totp.t(), apparaat.last_t + 1)
    totp.drift += stap - totp.t()
    return f"{totp.token():0{apparaat.digits}d}"


@pytest.fixture(autouse=True)
def snelle_wachtwoorden(settings):
    """Real hashing is slow on purpose; tests log in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def vergaderstukken(taakwerker):
    """Ask for a meeting's pack as the user of ``client``, let the task worker make it, and
    return the download's response (the batch's page when it failed); a refused request's
    own response (404) when the user may not ask."""
    from django.urls import resolve, reverse

    def maken(client, bijeenkomst):
        gevraagd = client.post(reverse("overleg:pakket", args=[bijeenkomst.pk]))
        if gevraagd.status_code != 302:
            return gevraagd
        taakwerker()
        opdracht = resolve(gevraagd.url).kwargs["pk"]
        return client.get(reverse("afdrukopdracht_pdf", args=[opdracht]))

    return maken


def tegelijk(*schrijvers) -> list:
    """Runs each callable in a thread of its own, all let go at one moment (a barrier), and
    returns what each returned, or the exception it raised, in the order they finished. Each
    thread closes its database connections, as the end of a request does."""
    start = threading.Barrier(len(schrijvers))
    uitkomsten = []

    def draad(schrijver):
        from django.db import connections

        try:
            start.wait(timeout=10)
            uitkomsten.append(schrijver())
        except Exception as fout:
            uitkomsten.append(fout)
        finally:
            connections.close_all()

    draden = [threading.Thread(target=draad, args=(s,)) for s in schrijvers]
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    return uitkomsten


@dataclass
class Wereld:
    eigen: Organisatie
    verwijzer: Organisatie
    vreemd: Organisatie
    gebruikers: dict
    buitenstaander: object
    deelnemer: object
    traject: object
    werkplek: object
    plaatsing: object
    vreemde_deelnemer: object
    vreemd_traject: object
    vreemde_werkplek: object
    intake: object
    vreemde_intake: object


@pytest.fixture
def register_in_de_cache(db):
    """For query counts: the register of processing activities is read once per cache period,
    not per request (reintegratie.audit.verwerking.register); warm, as on a running server."""
    from reintegratie.audit.verwerking import register

    register()


@pytest.fixture
def taakwerker(db, monkeypatch):
    """Runs django-tasks-db's own worker (``manage.py db_worker``) here until the queue is
    empty, as production's worker would; then gives back the signal handlers it installs.

    Between tasks the worker closes connections past CONN_MAX_AGE, as a request's end does;
    on PostgreSQL that would close the test's own transaction (the test client's requests are
    kept from it the same way by Django)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    signalen = [s for s in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, s)]
    eerder = {s: signal.getsignal(getattr(signal, s)) for s in signalen}

    def uitvoeren():
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
        )

    yield uitvoeren
    for naam, handler in eerder.items():
        signal.signal(getattr(signal, naam), handler)


@pytest.fixture
def wereld(db):
    eigen = OrganisatieFactory(naam="Werkbedrijf Eigen", soort=Organisatie.Soort.WERKBEDRIJF)
    verwijzer = OrganisatieFactory(naam="Reclassering Test", soort=Organisatie.Soort.RECLASSERING)
    vreemd = OrganisatieFactory(naam="Werkbedrijf Vreemd", soort=Organisatie.Soort.WERKBEDRIJF)
    gebruikers = {
        rol: GebruikerFactory(
            username=rol.value, rol=rol, organisatie=verwijzer if rol == Rol.KETENPARTNER else eigen
        )
        for rol in Rol
    }
    # A name with an apostrophe, as many Dutch names have, so every test that looks for the
    # klantmanager's name on a page meets the escaped form every run, not one run in a few.
    # A first name the fakes never draw, so no participant's name is found in the header.
    gebruikers[Rol.KLANTMANAGER].first_name = "Wobbina"
    gebruikers[Rol.KLANTMANAGER].last_name = "van 't Wel"
    gebruikers[Rol.KLANTMANAGER].save(update_fields=["first_name", "last_name"])
    # Fixed names: tests look for them on pages, and fakes could collide (with each other,
    # and with the klantmanager's name in the page header).
    deelnemer = DeelnemerFactory(
        voornaam="Eline",
        achternaam="Akkerman-Eigen",
        verwijzer=verwijzer,
        klantmanager=gebruikers[Rol.KLANTMANAGER],
    )
    traject = TrajectFactory(deelnemer=deelnemer, aanbieder=eigen)
    werkplek = WerkplekFactory(organisatie=eigen, begeleider=gebruikers[Rol.TRAJECTBEGELEIDER])
    plaatsing = PlaatsingFactory(deelnemer=deelnemer, werkplek=werkplek, traject=traject)

    vreemde_deelnemer = DeelnemerFactory(
        voornaam="Vreni", achternaam="Bosman-Vreemd", verwijzer=vreemd
    )
    vreemd_traject = TrajectFactory(deelnemer=vreemde_deelnemer, aanbieder=vreemd)
    vreemde_werkplek = WerkplekFactory(organisatie=vreemd)
    PlaatsingFactory(deelnemer=vreemde_deelnemer, werkplek=vreemde_werkplek)
    buitenstaander = GebruikerFactory(username="buitenstaander", organisatie=vreemd)
    return Wereld(
        eigen=eigen,
        verwijzer=verwijzer,
        vreemd=vreemd,
        gebruikers=gebruikers,
        buitenstaander=buitenstaander,
        deelnemer=deelnemer,
        traject=traject,
        werkplek=werkplek,
        plaatsing=plaatsing,
        vreemde_deelnemer=vreemde_deelnemer,
        vreemd_traject=vreemd_traject,
        vreemde_werkplek=vreemde_werkplek,
        intake=IntakeFactory(aangemaakt_door=gebruikers[Rol.KLANTMANAGER]),
        vreemde_intake=IntakeFactory(aangemaakt_door=buitenstaander),
    )


@pytest.fixture
def beheerder(client, wereld):
    """The beheerder of ``wereld.eigen``, staff with the rights the demo data gives him."""
    beheerder = wereld.gebruikers[Rol.BEHEERDER]
    beheerder.is_staff = True
    beheerder.save()
    from deelnemers.management.commands.demodata import Command

    Command().beheerrechten(beheerder)
    client.force_login(beheerder)
    return beheerder


@pytest.fixture
def klantmanager(wereld):
    return wereld.gebruikers[Rol.KLANTMANAGER]


@pytest.fixture
def km(client, klantmanager):
    """The klantmanager, logged in on ``client``."""
    client.force_login(klantmanager)
    return klantmanager


def pagina_tekst(response) -> str:
    """A page's HTML with its character references read back, so a test can look for a name
    as the reader sees it: Django writes the apostrophe of a Dutch name such as "van 't Wel"
    as &#x27;, and a name with one would otherwise be missed, or a "not in" pass unseen."""
    return html.unescape(response.content.decode())


def pdf_tekst(pdf: bytes) -> str:
    """The text of a PDF, page after page (what a reader of the document sees)."""
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def url_namen() -> set[str]:
    """Every named URL of the application (the admin's aside): the URL tables of the access
    tests must name each one, so a new view cannot ship without its rules."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def namen(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                yield from namen(
                    p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix
                )
            elif isinstance(p, URLPattern) and p.name:
                yield f"{prefix}{p.name}"

    return set(namen(get_resolver().url_patterns))
