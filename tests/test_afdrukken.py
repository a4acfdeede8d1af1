"""Printing this week's plans and reports: the list on screen, and the one PDF, whose
documents are made in worker processes so the web process does not grow with the batch."""

import datetime as dt
import io
import multiprocessing
import os
import signal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reintegratie import pdf
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from trajecten.models import PlanVanAanpak, Voortgangsrapportage

from .conftest import pagina_tekst, pdf_tekst


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
    response = client.get(reverse("afdrukken_week_pdf"), follow=True)
    assert response.redirect_chain == [(reverse("afdrukken_week"), 302)]


def test_een_pdf_gemaakt_buiten_het_webproces(client, wereld, manager, deze_week, monkeypatch):
    """WeasyPrint is unusable in this process; the batch is made all the same."""
    import weasyprint

    def niet_in_het_webproces(*args, **kwargs):
        raise AssertionError("WeasyPrint draaide in het webproces")

    monkeypatch.setattr(weasyprint, "HTML", niet_in_het_webproces)
    response = client.get(reverse("afdrukken_week_pdf"))
    assert response["Content-Type"] == "application/pdf"
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
    assert AuditRecord.objects.filter(
        deelnemer=wereld.deelnemer, actie=AuditRecord.Actie.AFGEDRUKT
    ).exists()


def test_mislukte_batch_geeft_een_melding(client, wereld, manager, deze_week, monkeypatch):
    def mislukt(documenten):
        raise pdf.PdfFout("Document 2 kon niet als PDF worden gemaakt.")

    monkeypatch.setattr("trajecten.views.afdrukken.render_batch", mislukt)
    response = client.get(reverse("afdrukken_week_pdf"), follow=True)
    assert response.redirect_chain == [(reverse("afdrukken_week"), 302)]
    assert "Het PDF-bestand is niet gemaakt. Document 2 kon niet" in response.content.decode()
    assert not AuditRecord.objects.filter(actie=AuditRecord.Actie.AFGEDRUKT).exists()


def _plan_context(wereld, plan):
    return {"traject": wereld.traject, "plan": plan, "deelnemer": wereld.deelnemer}


def test_fout_in_een_document_noemt_het_document(wereld, deze_week, settings):
    """An error inside WeasyPrint comes back from the worker as a PdfFout for that document."""
    plan, _ = deze_week
    basis = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **basis,
            "APP_DIRS": False,
            "OPTIONS": {
                **basis["OPTIONS"],
                "loaders": [
                    # Nested too deep for WeasyPrint's layout: a RecursionError in the worker.
                    ("django.template.loaders.locmem.Loader", {"diep.html": "<b>" * 2000}),
                    "django.template.loaders.filesystem.Loader",
                ],
            },
        }
    ]
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
