"""Two gunicorn instances on one PostgreSQL: what one knows of a user, the other knows.

A small version of ``bench/last.py --instanties 2``, run with the suite (and so by .ci/run):
two gunicorns with the project's configuration on two loopback ports, against the test
database. A user logs in through the forms on the one; his session cookie works on the other,
requests spread over both all succeed, and logging out on the other ends the session on the
first. A batch print asked for on the one is made by a task worker (a third process) and
downloaded from the other. The web processes keep no state of their own: sessions, lockout
counters and batches live in the database.
"""

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from bench.last import PRODUCTIE_OVER_HTTP, Sessie, gunicorn_starten, gunicorn_stoppen, vrije_poort
from reintegratie.accounts.models import Rol

pytestmark = [
    pytest.mark.schaal,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="twee processen delen een databaseserver; de SQLite-testdatabase is in het geheugen",
    ),
]

WACHTWOORD = "twee-instanties-wachtwoord"


def app_code(apparaat) -> str:
    """The app's code by the real clock, which the gunicorns keep: the suite's clock may be
    on another weekday (TEST_WEEKDAG). One step ahead when this step's code was used."""
    from django_otp.oath import TOTP

    apparaat.refresh_from_db()
    klok = time_machine.escape_hatch
    totp = TOTP(apparaat.bin_key, apparaat.step, apparaat.t0, apparaat.digits, apparaat.drift)
    totp.time = klok.time.time() if klok.is_travelling() else time.time()
    totp.drift += max(totp.t(), apparaat.last_t + 1) - totp.t()
    return f"{totp.token():0{apparaat.digits}d}"


@pytest.fixture
def omgeving(transactional_db):
    """The environment of the processes: production settings, on the test database."""
    instelling = connection.settings_dict
    return {
        **PRODUCTIE_OVER_HTTP,
        "DJANGO_SETTINGS_MODULE": "tests.gunicorn_instellingen",
        "DATABASE_URL": (
            f"postgres://{instelling['USER']}@{instelling['HOST']}:{instelling['PORT']}/"
            f"{instelling['NAME']}"
        ),
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def instanties(omgeving, tmp_path):
    """Two ports, a gunicorn with one worker on each; stopped before the database is emptied
    (their persistent connections would hold it)."""
    poorten = [vrije_poort(), vrije_poort()]
    processen = []
    try:
        for poort in poorten:
            processen.append(gunicorn_starten(poort, 1, omgeving, tmp_path / "gunicorn.log"))
        yield poorten
    finally:
        for proces in processen:
            gunicorn_stoppen(proces)


def test_ingelogd_op_de_een_is_ingelogd_op_de_ander(instanties, wereld):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    een, ander = instanties
    km = wereld.gebruikers[Rol.KLANTMANAGER]
    km.set_password(WACHTWOORD)
    km.save()
    app = TOTPDevice.objects.create(user=km, name="App", confirmed=True)

    browser = Sessie()
    browser.inloggen(een, km.username, WACHTWOORD, lambda: app_code(app))
    # Pages on both, in turn; every answer the page itself, none a redirect to log in.
    for i in range(10):
        antwoord = browser.get((een, ander)[i % 2], "/deelnemers/")
        assert antwoord.status == 200, (i, antwoord.status, antwoord.locatie)
        assert "Akkerman-Eigen" in antwoord.tekst

    # Logged out on the other: the session is gone on the first too (the old cookie is sent
    # again, as a copied cookie would be).
    sessie = browser.cookies["sessionid"]
    assert browser.post(ander, "/uitloggen/", {}).status == 302
    browser.cookies["sessionid"] = sessie
    weg = browser.get(een, "/deelnemers/")
    assert weg.status == 302
    assert "/inloggen/" in weg.locatie


@pytest.fixture
def taakwerker(omgeving, tmp_path):
    """django-tasks-db's worker as production runs it, a process of its own; stopped before
    the database is emptied."""
    log = (tmp_path / "db_worker.log").open("w")
    proces = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=Path(__file__).resolve().parent.parent,
        env=omgeving,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield proces
    proces.terminate()
    try:
        proces.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proces.kill()
        proces.wait()
    log.close()


def echte_datum() -> dt.date:
    """Today by the real clock, which the gunicorns keep (see app_code)."""
    klok = time_machine.escape_hatch
    return klok.datetime.date.today() if klok.is_travelling() else dt.date.today()


def test_afdrukken_op_de_een_ophalen_bij_de_ander(instanties, taakwerker, wereld):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from trajecten.models import PlanVanAanpak

    from .conftest import pdf_tekst

    een, ander = instanties
    manager = wereld.gebruikers[Rol.MANAGER]
    manager.set_password(WACHTWOORD)
    manager.save()
    app = TOTPDevice.objects.create(user=manager, name="App", confirmed=True)
    plan = PlanVanAanpak.objects.create(
        traject=wereld.traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=wereld.gebruikers[Rol.KLANTMANAGER],
        opgesteld_op=echte_datum(),
    )
    plan.leerdoelen.create(soort="structuur", omschrijving="Twee instanties, een leerdoel")

    browser = Sessie()
    browser.inloggen(een, manager.username, WACHTWOORD, lambda: app_code(app))
    assert browser.get(een, "/afdrukken/deze-week/").status == 200  # its CSRF cookie
    gevraagd = browser.post(een, "/afdrukken/deze-week/pdf/", {})
    assert gevraagd.status == 302, gevraagd.tekst[:500]
    opdracht = gevraagd.locatie
    # The other instance shows the batch's progress until the worker is done, then the PDF.
    tot = time.monotonic() + 120
    while True:
        pdf = browser.get(ander, opdracht + "pdf/")
        if pdf.status == 200 or time.monotonic() > tot:
            break
        assert pdf.status == 302 and pdf.locatie == opdracht, (pdf.status, pdf.locatie)
        assert browser.get(ander, opdracht).status == 200
        time.sleep(0.5)
    assert pdf.status == 200, taakwerker.poll()
    tekst = pdf_tekst(pdf.inhoud)
    assert wereld.deelnemer.naam in tekst
    assert "Twee instanties, een leerdoel" in tekst
