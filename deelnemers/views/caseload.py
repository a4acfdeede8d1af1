"""The caseload: the klantmanager's list of participants, and its CSV export.

The filters live in the URL (bookmarkable), a BSN never does: access logs and the browser's
history would keep it. The search box posts; a name search is sent on to the GET URL with
the name in it, a search by BSN is kept in the session under a random token and sent on to
``?zoek=<token>``, so that reloading, going back, paging and the export work as for any
other search while the URL holds nothing but the token, which means nothing outside the
session.
"""

import csv
import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from reintegratie.access import Categorie, heeft_recht, log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.rapport import spreadsheetcel
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import selectors
from ..filters import CaseloadFilter, zoekt_op_nummer
from ..models import Deelnemer

PAGINA_GROOTTE = 25
EXPORT_BATCH = 1000
# The session's searches by BSN, token -> search term; the last few, for the back button.
ZOEKOPDRACHTEN = "caseload_zoekopdrachten"
BEWAARDE_ZOEKOPDRACHTEN = 10
BSN_IN_URL = (
    "Zoek op BSN met het zoekvak. Een BSN in een link of bladwijzer gebruiken we niet: zo "
    "komt het niet in logbestanden en de geschiedenis van de browser."
)
ZOEKOPDRACHT_VERLOPEN = "Deze zoekopdracht is verlopen. Zoek opnieuw met het zoekvak."


def _lijst_url(params) -> str:
    url = reverse("deelnemers:lijst")
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def _zoeken(request):
    """The search box: on to the GET URL with the filters (303, so reload does not post
    again); a search term with a digit stays in the session, the URL gets its token."""
    params = {
        naam: waarde
        for naam in CaseloadFilter.base_filters
        if (waarde := request.POST.get(naam, "").strip())
    }
    zoekterm = params.pop("q", "")
    if zoekt_op_nummer(zoekterm):
        token = secrets.token_urlsafe(12)
        bewaard = {**request.session.get(ZOEKOPDRACHTEN, {}), token: zoekterm}
        request.session[ZOEKOPDRACHTEN] = dict(list(bewaard.items())[-BEWAARDE_ZOEKOPDRACHTEN:])
        params = {"zoek": token, **params}
    elif zoekterm:
        params = {"q": zoekterm, **params}
    return HttpResponseRedirect(_lijst_url(params), status=303)


def _parameters(request):
    """The filters of a GET, with the search by BSN its token stands for. A BSN in ``q``
    (an old bookmark, a crafted link) is not searched for, nor an unknown token: both send
    the user to the same list without it, with a message; the answer is then
    ``(None, redirect)``, else ``(params, None)``."""
    params = request.GET.copy()
    melding = None
    if any(zoekt_op_nummer(waarde) for waarde in params.getlist("q")):
        params.pop("q")
        melding = BSN_IN_URL
    elif "zoek" in params:
        zoekterm = request.session.get(ZOEKOPDRACHTEN, {}).get(params["zoek"])
        if zoekterm is None:
            params.pop("zoek")
            melding = ZOEKOPDRACHT_VERLOPEN
        else:
            params["q"] = zoekterm
    if melding is not None:
        messages.warning(request, melding)
        params.pop("pagina", None)
        return None, HttpResponseRedirect(_lijst_url(params))
    return params, None


@verwerking("caseload")
@require_http_methods(["GET", "POST"])
def lijst(request):
    vereist_recht(request.user, "deelnemers_zien")
    if request.method == "POST":
        return _zoeken(request)
    params, doorsturen = _parameters(request)
    if doorsturen is not None:
        return doorsturen
    if request.htmx and params.get("meer"):
        # "Meer filters" opened: only those widgets, bound to the filters in the URL.
        filterset = CaseloadFilter(params, queryset=Deelnemer.objects.none(), user=request.user)
        return render(request, "deelnemers/lijst.html#meer_filters", {"filter": filterset})
    filterset = selectors.caseload(user=request.user, params=params)
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
            # Without JavaScript ?meer=1 opens them too, rendered with the page.
            "meer_open": filterset.meer_in_gebruik or bool(params.get("meer")),
            "mag_exporteren": heeft_recht(request.user, "caseload_exporteren"),
            "mag_intake": heeft_recht(request.user, "intake_doen"),
            "mag_overdragen": heeft_recht(request.user, "caseload_overdragen"),
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
    params, doorsturen = _parameters(request)
    if doorsturen is not None:
        return doorsturen
    filterset = selectors.caseload(user=request.user, params=params)
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
