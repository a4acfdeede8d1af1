"""The caseload: the klantmanager's list of participants, and its CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from reintegratie.access import Categorie, heeft_recht, log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.rapport import spreadsheetcel
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import selectors

PAGINA_GROOTTE = 25
EXPORT_BATCH = 1000


@verwerking("caseload")
def lijst(request):
    vereist_recht(request.user, "deelnemers_zien")
    filterset = selectors.caseload(user=request.user, params=request.GET)
    pagina = Paginator(filterset.qs, PAGINA_GROOTTE).get_page(request.GET.get("pagina"))
    pagina.object_list = selectors.met_toegang(pagina.object_list, request.user)
    log_toegang(request, pagina.object_list, AuditRecord.Actie.IN_LIJST)
    querystring = request.GET.copy()
    querystring.pop("pagina", None)
    return render(
        request,
        "deelnemers/lijst.html",
        {
            "filter": filterset,
            "pagina": pagina,
            "querystring": querystring.urlencode(),
            "mag_exporteren": heeft_recht(request.user, "caseload_exporteren"),
            "mag_intake": heeft_recht(request.user, "intake_doen"),
        },
    )


class _Regels:
    """A write-only file for csv.writer that hands each line back instead of storing it."""

    def write(self, regel):
        return regel


@verwerking("export")
def export(request):
    """The filtered list as CSV (semicolon-separated, as Dutch Excel opens it), streamed."""
    vereist_recht(request.user, "caseload_exporteren")
    filterset = selectors.caseload(user=request.user, params=request.GET)
    schrijver = csv.writer(_Regels(), delimiter=";")

    def regels():
        yield "\ufeff"  # BOM, so Excel reads the file as UTF-8
        yield schrijver.writerow(
            [
                "Naam",
                "Geboortedatum",
                "Traject",
                "Status",
                "Fase",
                "Uren in fase",
                "Budget fase",
                "Signalen",
                "Klantmanager",
                "Laatste contact",
                "Volgende actie",
            ]
        )
        batch = []
        for deelnemer in filterset.qs.iterator(chunk_size=EXPORT_BATCH):
            batch.append(deelnemer)
            if len(batch) == EXPORT_BATCH:
                yield from _rijen(batch)
                batch = []
        yield from _rijen(batch)

    def _rijen(batch):
        log_toegang(request, batch, AuditRecord.Actie.GEEXPORTEERD, "caseload als CSV")
        for d in selectors.met_toegang(batch, request.user):
            yield schrijver.writerow(spreadsheetcel(w) for w in _exportrij(d))

    response = StreamingHttpResponse(regels(), content_type="text/csv; charset=utf-8")
    naam = f"caseload-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    return response


def _exportrij(d):
    """One participant's row, holding only the categories the user may read for them (the
    journal columns are scoped in the query already)."""
    mag = d.toegang.leest
    traject = d.lopende_trajecten[0] if d.lopende_trajecten else None
    fase = traject.huidige_fase() if traject else None
    case = mag(Categorie.TRAJECT)
    return [
        d.naam,
        datumtekst(d.geboortedatum) if mag(Categorie.IDENTITEIT) else "",
        traject.trajecttype.naam if traject and mag(Categorie.FASE) else "",
        traject.get_status_display() if traject and case else "",
        fase.fasetype.naam if fase and mag(Categorie.FASE) else "",
        getal(fase.uren_gebruikt) if fase and case else "",
        getal(fase.uren_budget) if fase and fase.uren_budget and case else "",
        ", ".join(label for _, label in traject.signalen()) if traject and case else "",
        str(d.klantmanager or "") if case else "",
        datumtekst(timezone.localtime(d.laatste_contact)) if d.laatste_contact else "",
        d.volgende_actie or "",
    ]


def getal(waarde) -> str:
    return str(waarde).replace(".", ",")
