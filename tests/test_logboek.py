"""Logs without personal data (AVG, BIO): no BSN, no participant's name, in any log line.

Everything logged is read: the records at DEBUG on the root logger (caplog, whose handler
comes after ours and so gets the records as our filter left them), what the console handler
wrote (structlog's JSON lines, the request log) and the mail to ADMINS. The marker is a BSN
that passes the elfproef.
"""

import io
import json
import logging
from dataclasses import dataclass

import pytest
from django.core import mail
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from deelnemers.forms import DeelnemerForm
from deelnemers.models import Deelnemer, Intake
from deelnemers.views.caseload import BSN_IN_URL, ZOEKOPDRACHT_VERLOPEN
from deelnemers.views.intake import INTUSSEN_BEKEND
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from reintegratie.logboek import BsnFilter, Foutfilter, Foutrapport, elfproef, opmaak, redigeer

from .factories import DeelnemerFactory
from .test_intake import _gegevens

BSN = "123456782"  # passes the elfproef, and is no participant's in the fixture


@dataclass
class Logboek:
    caplog: pytest.LogCaptureFixture
    stroom: io.StringIO

    def regels(self) -> list[dict]:
        """The console's lines, as JSON (every line is one)."""
        return [json.loads(r) for r in self.stroom.getvalue().splitlines() if r.strip()]

    def verzoeken(self) -> list[dict]:
        return [r for r in self.regels() if r["event"] == "request_finished"]

    def alles(self) -> str:
        """Every line written and every record, formatted with its traceback, and the mails."""
        opmaak = logging.Formatter("%(name)s %(levelname)s %(message)s")
        delen = [self.stroom.getvalue()]
        for record in self.caplog.records:
            delen += [opmaak.format(record), repr(record.msg), repr(record.args)]
        for bericht in mail.outbox:
            delen += [bericht.subject, bericht.body, repr(bericht.alternatives)]
        return "\n".join(delen)


@pytest.fixture
def logboek(caplog):
    """The console handler as configured, writing to a buffer, in its production format
    (JSON: the tests' .env may have DEBUG on, which gives readable lines)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    console = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stroom, opmaak_ = io.StringIO(), console.formatter
    oud = console.setStream(stroom)
    console.setFormatter(opmaak(leesbaar=False))
    yield Logboek(caplog, stroom)
    console.setStream(oud)
    console.setFormatter(opmaak_)


def test_de_marker_is_een_bsn():
    assert elfproef(BSN)


class TestZoekenOpBsn:
    def test_de_bsn_komt_niet_in_de_url_en_niet_in_het_log(self, client, wereld, km, logboek):
        bsn = wereld.deelnemer.bsn
        assert elfproef(bsn)
        response = client.post(reverse("deelnemers:lijst"), {"q": f" {bsn} "}, follow=True)
        (url, status), *_ = response.redirect_chain
        assert status == 303
        assert bsn not in url and "zoek=" in url
        assert list(response.context["pagina"].object_list) == [wereld.deelnemer]
        inhoud = response.content.decode()
        assert f'value="{bsn}"' in inhoud  # the box shows what was typed
        assert '<form method="post" action="/deelnemers/"' in inhoud
        assert 'name="csrfmiddlewaretoken"' in inhoud

        assert [(v["method"], v["path"], v["code"]) for v in logboek.verzoeken()] == [
            ("POST", "/deelnemers/", 303),
            ("GET", "/deelnemers/", 200),
        ]
        assert bsn not in logboek.alles()

    def test_zoeken_op_naam_blijft_in_de_url(self, client, wereld, km, logboek):
        naam = wereld.deelnemer.achternaam
        response = client.post(
            reverse("deelnemers:lijst"), {"q": naam, "status": "actief"}, follow=True
        )
        (url, status), *_ = response.redirect_chain
        assert status == 303
        assert QueryDict(url.partition("?")[2]) == QueryDict(f"q={naam}&status=actief")
        assert list(response.context["pagina"].object_list) == [wereld.deelnemer]
        # The request log has the path, not the query string, where the name is.
        client.get(wereld.deelnemer.get_absolute_url())
        assert len(logboek.verzoeken()) == 3
        for naam_deel in (naam, wereld.deelnemer.voornaam, wereld.deelnemer.naam):
            assert naam_deel not in logboek.alles()

    def test_de_token_geldt_voor_bladeren_en_de_export(self, client, wereld, km):
        url = client.post(reverse("deelnemers:lijst"), {"q": wereld.deelnemer.bsn}).url
        token = QueryDict(url.partition("?")[2])["zoek"]
        lijst = client.get(url)
        assert f"zoek={token}" in lijst.context["querystring"]
        export = client.get(reverse("deelnemers:export"), {"zoek": token})
        inhoud = b"".join(export.streaming_content).decode("utf-8-sig")
        assert [r.split(";")[0] for r in inhoud.splitlines()[1:]] == [wereld.deelnemer.naam]

    def test_een_token_van_een_andere_sessie_zoekt_niet(self, client, wereld, km):
        from django.test import Client

        url = client.post(reverse("deelnemers:lijst"), {"q": wereld.deelnemer.bsn}).url
        ander = Client()
        ander.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
        response = ander.get(url, follow=True)
        assert response.redirect_chain[0][0] == reverse("deelnemers:lijst")
        assert ZOEKOPDRACHT_VERLOPEN in response.content.decode()

    @pytest.mark.parametrize("naam", ["deelnemers:lijst", "deelnemers:export"])
    def test_een_bsn_in_de_link_zoekt_niet(self, client, wereld, km, logboek, naam):
        """An old bookmark or a crafted link: no search by BSN, the list without it and a
        message why; the BSN came in the URL, it goes into no log line of ours."""
        bsn = wereld.deelnemer.bsn
        response = client.get(reverse(naam), {"q": bsn, "status": "actief", "pagina": "2"})
        assert response.status_code == 302
        assert response.url == reverse("deelnemers:lijst") + "?status=actief"
        lijst = client.get(response.url)
        assert BSN_IN_URL in lijst.content.decode()
        assert bsn not in lijst.content.decode()
        assert bsn not in logboek.alles()


class TestMisluksteIntake:
    def test_bsn_intussen_vastgelegd_geeft_een_melding_en_geen_bsn_in_het_log(
        self, client, km, klantmanager, logboek, monkeypatch, settings
    ):
        """Someone registers the BSN between the form's check and the save (a race): the
        database refuses it. Before, a 500 with the database's message, which quotes the BSN
        on PostgreSQL, in the error log and the mail to ADMINS."""
        settings.ADMINS = ["beheer@example.org"]
        url = client.post(reverse("deelnemers:intake_start"), {"bsn": BSN}).url
        opslaan = DeelnemerForm.save

        def tegelijk(self, *args, **kwargs):
            DeelnemerFactory(bsn=BSN)  # the other one, first
            return opslaan(self, *args, **kwargs)

        monkeypatch.setattr(DeelnemerForm, "save", tegelijk)
        response = client.post(url, _gegevens(klantmanager))
        assert response.status_code == 200
        assert INTUSSEN_BEKEND in response.content.decode()
        assert not Deelnemer.objects.filter(bsn=BSN).exists()  # nothing half saved
        assert Intake.objects.get(bsn=BSN).status == Intake.Status.CONCEPT
        assert not [r for r in logboek.caplog.records if r.levelno >= logging.ERROR]
        assert BSN not in logboek.alles()

    def test_een_500_met_de_bsn_in_de_fout(self, client, km, logboek, monkeypatch, settings):
        """A 500 whose exception quotes the BSN, as PostgreSQL's unique violation does: the
        traceback is logged and mailed, with [BSN] in its place, and no POST value."""
        settings.ADMINS = ["beheer@example.org"]
        get_or_create = QuerySet.get_or_create

        def botsing(self, *args, **kwargs):
            if self.model is Intake:
                raise IntegrityError(
                    'duplicate key value violates unique constraint "een_concept_intake_per_bsn"'
                    f"\nDETAIL:  Key (bsn)=({BSN}) already exists."
                )
            return get_or_create(self, *args, **kwargs)

        monkeypatch.setattr(QuerySet, "get_or_create", botsing)
        client.raise_request_exception = False
        response = client.post(reverse("deelnemers:intake_start"), {"bsn": BSN})
        assert response.status_code == 500

        fouten = [r for r in logboek.caplog.records if r.levelno >= logging.ERROR]
        assert {r.name for r in fouten} >= {
            "django.request",
            "django_structlog.middlewares.request",
        }
        (bericht,) = mail.outbox
        assert "Key (bsn)=([BSN]) already exists" in bericht.body  # the traceback is there
        mislukt = next(r for r in logboek.regels() if r["event"] == "request_failed")
        assert "Key (bsn)=([BSN]) already exists" in mislukt["exception"]
        assert mislukt["path"] == reverse("deelnemers:intake_start")
        assert BSN not in logboek.alles()

    def test_een_bsn_in_het_pad_van_een_404(self, client, km, logboek):
        url = reverse("deelnemers:dossier", kwargs={"pk": int(BSN)})
        assert client.get(url).status_code == 404
        (niet_gevonden,) = [r for r in logboek.caplog.records if r.name == "django.request"]
        assert niet_gevonden.getMessage() == "Not Found: /deelnemers/[BSN]/"
        # Django's line has the request id too, though django-structlog has finished.
        regels = {r["logger"]: r for r in logboek.regels() if r["level"] == "warning"}
        assert regels["django.request"]["request_id"] == next(
            r["request_id"] for r in logboek.verzoeken()
        )
        assert BSN not in logboek.alles()


def test_de_verzoekregel_heeft_het_verzoek_id_van_het_auditrecord(
    client, wereld, klantmanager, km, logboek
):
    response = client.get(wereld.deelnemer.get_absolute_url() + "?onbekend=1")
    record = AuditRecord.objects.get(actie=AuditRecord.Actie.BEKEKEN, deelnemer=wereld.deelnemer)
    (regel,) = logboek.verzoeken()
    assert regel["request_id"] == str(record.verzoek_id) == response["X-Request-ID"]
    assert regel["user_id"] == klantmanager.pk
    assert regel["method"] == "GET"
    assert regel["path"] == wereld.deelnemer.get_absolute_url()  # no query string
    assert regel["request"] == f"GET {wereld.deelnemer.get_absolute_url()}"
    assert regel["code"] == 200
    assert regel["duration_ms"] >= 0
    assert regel["level"] == "info"
    assert klantmanager.username not in logboek.stroom.getvalue()
    # One line per request at INFO: its start is at DEBUG.
    assert [r["event"] for r in logboek.regels() if r["level"] != "debug"] == ["request_finished"]


def test_de_verzoekregel_heeft_het_adres_zoals_de_vergrendeling_het_leest(
    client, wereld, km, logboek, settings
):
    """Not an address the client wrote itself: behind one proxy, the one it added."""
    settings.INLOG_PROXY_AANTAL = 1
    client.get(
        reverse("start"), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9"
    )
    (regel,) = logboek.verzoeken()
    assert regel["ip"] == "198.51.100.9"


class TestRedigeren:
    @pytest.mark.parametrize(
        ("tekst", "verwacht"),
        [
            (f"bsn={BSN}&x=1", "bsn=[BSN]&x=1"),
            (f"Key (bsn)=({BSN})", "Key (bsn)=([BSN])"),
            ("123456789", "[BSN]"),  # no elfproef, but nine digits: to be safe
            ("1234.56.782", "[BSN]"),
            ("123 456 782", "[BSN]"),
            ("1234.56.789", "1234.56.789"),  # in groups only when it passes the elfproef
            ("1234567820", "1234567820"),  # ten digits: not a BSN
            ("12345678", "12345678"),
            (
                "9f0e1d2c-3b4a-4596-8877-a12345678901",
                "9f0e1d2c-3b4a-4596-8877-a12345678901",
            ),
        ],
    )
    def test_tekst(self, tekst, verwacht):
        assert redigeer(tekst) == verwacht

    def test_filter_op_bericht_argumenten_en_traceback(self):
        try:
            raise ValueError(f"fout bij {BSN}")
        except ValueError:
            import sys

            record = logging.LogRecord(
                "x", logging.ERROR, __file__, 1, "bsn %s, %d", (BSN, int(BSN)), sys.exc_info()
            )
        assert BsnFilter().filter(record)
        assert "fout bij [BSN]" in record.exc_text
        assert logging.Formatter().format(record) == "bsn [BSN], [BSN]\n" + record.exc_text
        assert BSN not in logging.Formatter().format(record)

    def test_foutrapport(self, rf: RequestFactory, settings):
        settings.DEBUG = False
        request = rf.post(f"/deelnemers/?q={BSN}", {"bsn": BSN, "persoon-voornaam": "Fatima"})
        geheim = {"bsn": BSN, "naam": "Fatima"}  # noqa: F841 (a local of the report's frame)
        try:
            raise ValueError(f"fout bij {BSN}")
        except ValueError:
            import sys

            rapport = Foutrapport(request, *sys.exc_info(), is_email=True)
            tekst, html = rapport.get_traceback_text(), rapport.get_traceback_html()
        for uitvoer in (tekst, html):
            assert BSN not in uitvoer
            assert "Fatima" not in uitvoer
        assert "fout bij [BSN]" in tekst
        assert isinstance(rapport.filter, Foutfilter)
