"""Printing this week's plans and reports: the list on screen, and the one PDF, made by the
task worker (django-tasks-db's db_worker, run here), whose documents are made in PDF worker
processes so the task worker does not grow with the batch."""

import datetime as dt
import io
import multiprocessing
import os
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from reintegratie import pdf
from reintegratie.accounts.models import Rol
from reintegratie.afdrukken.models import Afdrukopdracht
from reintegratie.afdrukken.taken import afdrukopdracht_maken
from reintegratie.audit.models import AuditRecord
from trajecten.models import PlanVanAanpak, Voortgangsrapportage

from .conftest import pagina_tekst, pdf_tekst
from .factories import GebruikerFactory


@pytest.fixture
def deze_week(wereld, klantmanager):
    """A plan drawn up today with a goal, a report of today, and what is not due: our plan
    signed weeks ago, and an outsider's plan of today."""
    vandaag = timezone.localdate()
    eerder = PlanVanAanpak.objects.create(
        traject=wereld.traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=klantmanager,
        opgesteld_op=vandaag - dt.timedelta(days=40),
        ondertekend_op=vandaag - dt.timedelta(days=30),
    )
    eerder.leerdoelen.create(soort="taal", omschrijving="Oud leerdoel uit versie een")
    plan = PlanVanAanpak.objects.create(
        traject=wereld.traject,
        versie=2,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=klantmanager,
    )
    plan.leerdoelen.create(soort="structuur", omschrijving="Vier dagen per week komen")
    rapportage = Voortgangsrapportage.objects.create(
        traject=wereld.traject,
        aanleiding="partneroverleg",
        periode_van=vandaag - dt.timedelta(days=14),
        periode_tot=vandaag,
        bevindingen_klantmanager="Komt op tijd en werkt zelfstandig.",
        advies="verlengen",
        opgesteld_door=klantmanager,
    )
    PlanVanAanpak.objects.create(
        traject=wereld.vreemd_traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=wereld.buitenstaander,
    )
    return plan, rapportage


@pytest.fixture
def manager(client, wereld):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    return wereld.gebruikers[Rol.MANAGER]


def test_lijst_toont_wat_de_pdf_bevat(client, wereld, manager, deze_week):
    _, rapportage = deze_week
    response = client.get(reverse("afdrukken_week"))
    inhoud = pagina_tekst(response)
    assert response.status_code == 200
    assert reverse("trajecten:plan", args=[wereld.traject.pk]) + "?versie=2" in inhoud
    assert "?versie=1" not in inhoud  # signed weeks ago: not due
    assert reverse("trajecten:rapportage", args=[wereld.traject.pk, rapportage.pk]) in inhoud
    assert reverse("deelnemers:dossier", args=[wereld.deelnemer.pk]) in inhoud
    assert wereld.deelnemer.naam in inhoud
    assert wereld.vreemde_deelnemer.naam not in inhoud
    assert reverse("afdrukken_week_pdf") in inhoud
    # Two documents of one participant: shown in a list once in the audit log.
    records = AuditRecord.objects.filter(actie=AuditRecord.Actie.IN_LIJST)
    assert [r.deelnemer_id for r in records] == [wereld.deelnemer.pk]


def test_lege_lijst(client, wereld, manager):
    response = client.get(reverse("afdrukken_week"))
    inhoud = response.content.decode()
    assert "Er zijn deze week geen plannen of rapportages om af te drukken." in inhoud
    assert reverse("afdrukken_week_pdf") not in inhoud
    response = client.post(reverse("afdrukken_week_pdf"), follow=True)
    assert response.redirect_chain == [(reverse("afdrukken_week"), 302)]
    assert not Afdrukopdracht.objects.exists()


def _starten(client):
    response = client.post(reverse("afdrukken_week_pdf"))
    assert response.status_code == 302
    return Afdrukopdracht.objects.get(pk=response.url.strip("/").split("/")[-1])


def test_batch_op_de_achtergrond(client, wereld, manager, deze_week, taakwerker, monkeypatch):
    """The request only queues the batch; the task worker makes it, outside the web process
    and without WeasyPrint in its own process either; then the owner downloads it."""
    import weasyprint

    def niet_in_dit_proces(*args, **kwargs):
        raise AssertionError("WeasyPrint draaide in het proces zelf")

    monkeypatch.setattr(weasyprint, "HTML", niet_in_dit_proces)
    opdracht = _starten(client)
    assert (opdracht.gebruiker, opdracht.organisatie, opdracht.totaal) == (manager, wereld.eigen, 2)
    pagina = client.get(reverse("afdrukopdracht", args=[opdracht.pk]))
    assert "Wacht op de verwerking" in pagina_tekst(pagina)
    assert 'hx-trigger="every 2s"' in pagina.content.decode()
    pdf_url = reverse("afdrukopdracht_pdf", args=[opdracht.pk])
    assert pdf_url not in pagina.content.decode()
    # Not ready: back to the page, nothing shown, nothing logged.
    assert client.get(pdf_url).url == reverse("afdrukopdracht", args=[opdracht.pk])
    assert not AuditRecord.objects.filter(actie=AuditRecord.Actie.AFGEDRUKT).exists()

    taakwerker()

    pagina = client.get(reverse("afdrukopdracht", args=[opdracht.pk]))
    assert "Klaar: 2 documenten." in pagina_tekst(pagina)
    assert "hx-trigger" not in pagina.content.decode()  # done: no more polling
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    jaar, week, _ = timezone.localdate().isocalendar()
    assert f'filename="afdrukken-week-{jaar}-{week:02d}.pdf"' in response["Content-Disposition"]
    tekst = " ".join(pdf_tekst(response.content).split())
    assert tekst.index("Plan van aanpak") < tekst.index("Voortgangsrapportage")
    assert "Vier dagen per week komen" in tekst
    assert "Komt op tijd en werkt zelfstandig." in tekst
    assert tekst.count(wereld.deelnemer.naam) >= 2
    assert "Oud leerdoel uit versie een" not in tekst
    assert wereld.vreemde_deelnemer.naam not in tekst
    bladwijzers = [
        b.title for b in PdfReader(io.BytesIO(response.content)).outline if not isinstance(b, list)
    ]  # the top level: one per document; lists hold their sections
    assert f"Plan van aanpak – {wereld.deelnemer.naam}" in bladwijzers
    assert f"Voortgangsrapportage – {wereld.deelnemer.naam}" in bladwijzers
    # The download is logged as the request that made the PDF was: one record per participant.
    record = AuditRecord.objects.get(actie=AuditRecord.Actie.AFGEDRUKT)
    assert (record.deelnemer, record.gebruiker, record.omschrijving) == (
        wereld.deelnemer,
        manager,
        "batch",
    )
    assert record.activiteit.code == "afdrukken"
    assert record.categorieen
    client.get(pdf_url)
    assert AuditRecord.objects.filter(actie=AuditRecord.Actie.AFGEDRUKT).count() == 2


def test_voortgang_als_fragment(client, wereld, manager, deze_week):
    """htmx asks for the progress alone; while busy it shows how far, and asks again."""
    opdracht = _starten(client)
    Afdrukopdracht.objects.filter(pk=opdracht.pk).update(status="bezig", klaar=1)
    response = client.get(reverse("afdrukopdracht", args=[opdracht.pk]), HTTP_HX_REQUEST="true")
    inhoud = response.content.decode()
    assert "<html" not in inhoud and inhoud.lstrip().startswith('<div id="voortgang"')
    assert "1 van de 2 documenten gemaakt." in pagina_tekst(response)
    assert 'hx-trigger="every 2s"' in inhoud


def test_nog_eens_vragen_start_geen_tweede_batch(client, wereld, manager, deze_week, taakwerker):
    eerste = _starten(client)
    assert _starten(client) == eerste
    assert DBTaskResult.objects.count() == 1
    taakwerker()
    # Done: a new click makes a new batch.
    assert _starten(client) != eerste


def test_een_taak_die_twee_keer_draait_maakt_een_pdf(
    client, wereld, manager, deze_week, taakwerker
):
    opdracht = _starten(client)
    taakwerker()
    pdf = Afdrukopdracht.objects.get(pk=opdracht.pk).pdf
    afdrukopdracht_maken.call(str(opdracht.pk))  # delivered again: nothing happens
    assert Afdrukopdracht.objects.get(pk=opdracht.pk).pdf == pdf


def test_alleen_wie_het_vroeg(client, wereld, manager, deze_week, taakwerker):
    """A colleague of the same organisation and role, the klantmanager and an outsider get a
    404 on the page and on the PDF."""
    opdracht = _starten(client)
    taakwerker()
    urls = [
        reverse("afdrukopdracht", args=[opdracht.pk]),
        reverse("afdrukopdracht_pdf", args=[opdracht.pk]),
    ]
    collega = GebruikerFactory(organisatie=wereld.eigen, rol=Rol.MANAGER)
    for ander in (collega, wereld.gebruikers[Rol.KLANTMANAGER], wereld.buitenstaander):
        client.force_login(ander)
        for url in urls:
            assert client.get(url).status_code == 404, (ander, url)
    assert not AuditRecord.objects.filter(actie=AuditRecord.Actie.AFGEDRUKT).exists()
    geweigerd = AuditRecord.objects.filter(actie=AuditRecord.Actie.GEWEIGERD)
    assert geweigerd.count() == 6
    assert {r.activiteit.code for r in geweigerd} == {"afdrukken"}
    # The owner, moved to another organisation, no longer sees it either.
    manager.organisatie = wereld.vreemd
    manager.save()
    client.force_login(manager)
    assert client.get(urls[0]).status_code == 404


def _te_diep(settings, template):
    """``template`` nested too deep for WeasyPrint's layout: a RecursionError in the worker."""
    basis = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **basis,
            "APP_DIRS": False,
            "OPTIONS": {
                **basis["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {template: "<b>" * 2000}),
                    "django.template.loaders.filesystem.Loader",
                ],
            },
        }
    ]


def test_mislukte_batch_geeft_een_melding(client, wereld, manager, deze_week, taakwerker, settings):
    opdracht = _starten(client)
    _te_diep(settings, "pdf/voortgangsrapportage.html")  # the second document
    taakwerker()
    opdracht.refresh_from_db()
    assert opdracht.status == "mislukt" and opdracht.pdf is None
    pagina = client.get(reverse("afdrukopdracht", args=[opdracht.pk]))
    assert "Het PDF-bestand is niet gemaakt. Document 2 kon niet" in pagina_tekst(pagina)
    assert "hx-trigger" not in pagina.content.decode()
    pdf_url = reverse("afdrukopdracht_pdf", args=[opdracht.pk])
    assert client.get(pdf_url).status_code == 302
    assert not AuditRecord.objects.filter(actie=AuditRecord.Actie.AFGEDRUKT).exists()
    # Failed is over: the user may try again.
    assert _starten(client) != opdracht


def test_wie_het_recht_verloor_krijgt_niets(client, wereld, manager, deze_week, taakwerker):
    opdracht = _starten(client)
    manager.rol = Rol.TRAJECTBEGELEIDER
    manager.save()
    taakwerker()
    opdracht.refresh_from_db()
    assert (opdracht.status, opdracht.melding) == (
        "mislukt",
        "Het PDF-bestand is niet gemaakt. U mag deze documenten niet meer afdrukken.",
    )


def test_opschonen(client, wereld, manager, deze_week, taakwerker, settings):
    """Finished batches go after AFDRUKKEN_BEWAAR_UREN with their PDF; one whose worker died
    is reported failed, so a new one can start; a batch still running stays."""
    settings.AFDRUKKEN_BEWAAR_UREN = 24
    settings.AFDRUKKEN_STIL_MINUTEN = 10
    oud = _starten(client)
    taakwerker()
    recent = _starten(client)
    taakwerker()
    Afdrukopdracht.objects.filter(pk=oud.pk).update(
        bijgewerkt_op=timezone.now() - dt.timedelta(hours=25)
    )
    vast = _starten(client)
    Afdrukopdracht.objects.filter(pk=vast.pk).update(
        status="bezig", bijgewerkt_op=timezone.now() - dt.timedelta(minutes=11)
    )
    wachtend = Afdrukopdracht.objects.create(
        gebruiker=manager, organisatie=wereld.eigen, soort="deze_week", periode="2020-01-06"
    )  # waiting for a worker, however long: stays
    Afdrukopdracht.objects.filter(pk=wachtend.pk).update(
        bijgewerkt_op=timezone.now() - dt.timedelta(hours=30)
    )
    uit = io.StringIO()
    call_command("afdrukopdrachten_opschonen", stdout=uit)
    assert "1 afdrukopdracht(en) ouder dan 24 uur verwijderd, 1 vastgelopen" in uit.getvalue()
    assert set(Afdrukopdracht.objects.values_list("pk", "status")) == {
        (recent.pk, "klaar"),
        (vast.pk, "mislukt"),
        (wachtend.pk, "wachtend"),
    }
    assert client.get(reverse("afdrukopdracht_pdf", args=[oud.pk])).status_code == 404


def test_voortgang_van_een_batch(wereld, deze_week):
    plan, _ = deze_week
    gemeld = []
    pdf.render_batch([("pdf/plan_van_aanpak.html", _plan_context(wereld, plan))] * 3, gemeld.append)
    assert gemeld == [1, 2, 3]


def _plan_context(wereld, plan):
    return {"traject": wereld.traject, "plan": plan, "deelnemer": wereld.deelnemer}


def test_fout_in_een_document_noemt_het_document(wereld, deze_week, settings):
    """An error inside WeasyPrint comes back from the worker as a PdfFout for that document."""
    plan, _ = deze_week
    _te_diep(settings, "diep.html")
    documenten = [("pdf/plan_van_aanpak.html", _plan_context(wereld, plan)), ("diep.html", {})]
    with pytest.raises(pdf.PdfFout, match="Document 2 kon niet") as fout:
        pdf.render_batch(documenten)
    assert isinstance(fout.value.__cause__, RecursionError)


def test_gestopte_werker_geeft_een_duidelijke_fout(wereld, deze_week):
    plan, _ = deze_week

    def documenten():
        yield "pdf/plan_van_aanpak.html", _plan_context(wereld, plan)
        for werker in multiprocessing.active_children():  # as if the OOM killer struck
            os.kill(werker.pid, signal.SIGKILL)
        yield "pdf/plan_van_aanpak.html", _plan_context(wereld, plan)

    with pytest.raises(pdf.PdfFout, match="Het PDF-proces is gestopt bij document"):
        pdf.render_batch(documenten())
    # The next batch has workers of its own.
    volgende = pdf.render_batch([("pdf/plan_van_aanpak.html", _plan_context(wereld, plan))])
    assert wereld.deelnemer.naam in pdf_tekst(volgende)


def test_een_batch_over_meer_werkers_na_elkaar(wereld, deze_week, monkeypatch):
    """Past what one set of workers makes, new workers take over, in order. (With the pool's
    own max_tasks_per_child this waited for ever on Python 3.13.0: CPython gh-115634.)"""
    plan, _ = deze_week
    monkeypatch.setattr(pdf, "WERKERS", 1)
    monkeypatch.setattr(pdf, "DOCUMENTEN_PER_WERKER", 2)
    gemeld = []
    documenten = [("pdf/plan_van_aanpak.html", _plan_context(wereld, plan))] * 5
    uit = pdf.render_batch(documenten, gemeld.append)
    assert gemeld == [1, 2, 3, 4, 5]
    lezer = PdfReader(io.BytesIO(uit))
    enkel = PdfReader(io.BytesIO(pdf.render_batch(documenten[:1])))
    assert len(lezer.pages) == 5 * len(enkel.pages)


def test_het_beheer_toont_geen_taakresultaten(admin_client):
    """The admin is Dutch throughout; django-tasks-db's English task results are not in it."""
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "dbtaskresult" not in response.content.decode().lower()
    assert admin_client.get("/beheer/django_tasks_db/dbtaskresult/").status_code == 404
