"""Time the partner meeting: the agenda proposal (up to AGENDA_MAXIMUM participants) and the
pages of an occurrence, as the demo klantmanager, on the demo meeting.

    createdb -h 127.0.0.1 -U postgres reintegratie_bench_overleg
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reintegratie_bench_overleg \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py demodata --deelnemers 2000 --force
    DATABASE_URL=... .venv/bin/python -m bench.overleg

Each proposal runs in a transaction that is rolled back, on a fresh occurrence, so every
run proposes the whole agenda again. Prints the median and p95 in ms and the query count.
"""

import os
import statistics
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reintegratie.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "0123456789" * 5)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.inloggen import ingelogd  # noqa: E402
from reintegratie.accounts.models import Gebruiker  # noqa: E402
from reintegratie.overleg.agenda import stel_agenda_voor  # noqa: E402
from reintegratie.overleg.models import Bijeenkomst, Overleg  # noqa: E402

OPWARMEN = 2
# The case: a meeting whose partners share forty participants, in a large database.
GEDEELD = 40


def _regel(naam, tijden, queries, extra=""):
    tijden.sort()
    p95 = tijden[max(0, int(len(tijden) * 0.95) - 1)]
    print(
        f"| {naam} | {statistics.median(tijden):.1f} | {p95:.1f} | {queries} |{extra}",
        flush=True,
    )


def voorstel(overleg, herhalingen):
    tijden, queries, aantal = [], 0, 0
    for i in range(herhalingen + OPWARMEN):
        with transaction.atomic():
            laatste = overleg.bijeenkomsten.order_by("-volgnummer").first()
            nieuw = Bijeenkomst.objects.create(
                overleg=overleg,
                volgnummer=laatste.volgnummer + 1,
                begin=laatste.begin + timedelta(weeks=overleg.interval_weken),
            )
            with CaptureQueriesContext(connection) as q:
                begin = time.perf_counter()
                aantal = len(stel_agenda_voor(bijeenkomst=nieuw))
                duur = (time.perf_counter() - begin) * 1000
            transaction.set_rollback(True)
        if i >= OPWARMEN:
            tijden.append(duur)
            queries = len(q)
    _regel(f"agendavoorstel, {overleg.naam}", tijden, queries, f" {aantal} deelnemers")


def veertig_gedeeld(km):
    """A meeting of the klantmanager's organisation with a new partner that hosts GEDEELD of
    its running participants at a workplace: made inside the caller's transaction."""
    from decimal import Decimal

    from django.utils import timezone

    from deelnemers.models import Deelnemer
    from reintegratie.accounts.models import Organisatie
    from werkplekken.models import Plaatsing, Werkplek, Werksoort

    partner = Organisatie.objects.create(naam="Bench-partner", soort=Organisatie.Soort.WERKGEVER)
    werkplek = Werkplek.objects.create(
        naam="Bench",
        organisatie=partner,
        soort="extern",
        werksoort=Werksoort.PRODUCTIE,
        capaciteit=GEDEELD,
    )
    vandaag = timezone.localdate()
    deelnemers = Deelnemer.objects.filter(regie=km.organisatie).order_by("?")[:GEDEELD]
    Plaatsing.objects.bulk_create(
        Plaatsing(deelnemer=d, werkplek=werkplek, startdatum=vandaag, uren_per_week=Decimal(8))
        for d in deelnemers
    )
    overleg = Overleg.objects.create(
        naam="Bench",
        organisator=km.organisatie,
        interval_weken=4,
        eerste_begin=timezone.now(),
        aangemaakt_door=km,
    )
    overleg.organisaties.set([km.organisatie, partner])
    Bijeenkomst.objects.create(overleg=overleg, volgnummer=0, begin=overleg.eerste_begin)
    return overleg


def pagina(client, naam, url, herhalingen):
    tijden, queries = [], 0
    for i in range(herhalingen + OPWARMEN):
        with CaptureQueriesContext(connection) as q:
            begin = time.perf_counter()
            response = client.get(url, secure=True)
            duur = (time.perf_counter() - begin) * 1000
        assert response.status_code == 200, (naam, response.status_code)
        if i >= OPWARMEN:
            tijden.append(duur)
            queries = len(q)
    _regel(naam, tijden, queries)


def vergaderstukken_maken(km, bijeenkomst, herhalingen):
    """The meeting pack as the task worker makes it (run here, in this process): from the
    batch waiting to its PDF stored."""
    from reintegratie.afdrukken.models import Afdrukopdracht
    from reintegratie.afdrukken.taken import afdrukopdracht_maken
    from reintegratie.overleg import vergaderstukken

    tijden = []
    for _ in range(herhalingen):
        opdracht = Afdrukopdracht.objects.create(
            gebruiker=km,
            organisatie=km.organisatie,
            soort=Afdrukopdracht.Soort.OVERLEGPAKKET,
            periode=bijeenkomst.begin.date(),
            onderwerp=str(bijeenkomst.pk),
            inhoud=vergaderstukken.inhoud(bijeenkomst),
            totaal=vergaderstukken.aantal(bijeenkomst, km),
        )
        begin = time.perf_counter()
        afdrukopdracht_maken.call(str(opdracht.pk))
        tijden.append((time.perf_counter() - begin) * 1000)
        opdracht.refresh_from_db()
        assert opdracht.status == Afdrukopdracht.Status.KLAAR, opdracht.melding
        opdracht.delete()
    _regel("vergaderstukken (taak)", tijden, "–", f" {opdracht.totaal} documenten")


def main(herhalingen=20):
    km = Gebruiker.objects.get(username="klantmanager")
    overleg = Overleg.objects.filter(organisator=km.organisatie).first()
    print("| meting | mediaan ms | p95 ms | queries |\n|---|---|---|---|")
    with transaction.atomic():
        voorstel(veertig_gedeeld(km), herhalingen)
        transaction.set_rollback(True)
    # The demo meeting shares nearly the whole caseload: the ranking sees every participant.
    voorstel(overleg, herhalingen)
    bijeenkomst = overleg.bijeenkomsten.filter(besprekingen__isnull=False).last()
    client = ingelogd(km)
    opslag = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=opslag):
        pagina(client, "overleg plannen (formulier)", reverse("overleg:nieuw"), herhalingen)
        partner = overleg.organisaties.exclude(pk=km.organisatie_id).first()
        pagina(
            client,
            "aanwezigen zoeken ('jan')",
            f"{reverse('overleg:aanwezigen')}?aanwezigen_zoeken=jan&organisaties={partner.pk}",
            herhalingen,
        )
        pagina(client, "agenda", reverse("overleg:bijeenkomst", args=[bijeenkomst.pk]), herhalingen)
        bespreking = bijeenkomst.besprekingen.order_by("volgorde").first()
        pagina(
            client,
            "bespreking",
            reverse("overleg:bespreking", args=[bespreking.pk]),
            herhalingen,
        )
        vergaderstukken_maken(km, bijeenkomst, 3)


if __name__ == "__main__":
    main()
