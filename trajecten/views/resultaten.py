"""The outcomes report for managers: Ferm Werk's table, drill-down, and exports."""

import csv
import io
from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer, Doelgroep
from reintegratie.access import log_toegang, vereist_recht
from reintegratie.accounts.models import Organisatie
from reintegratie.audit.models import AuditRecord
from reintegratie.forms import DatumInput, NLDesignFormMixin
from reintegratie.pdf import render_to_pdf

from .. import resultaten
from ..models import Route, Trajecttype

MAX_JAREN = 5


class ResultatenForm(NLDesignFormMixin, forms.Form):
    van = forms.DateField(label="Gestart vanaf", widget=DatumInput)
    tot = forms.DateField(label="Gestart tot en met", widget=DatumInput)
    trajecttype = forms.ModelChoiceField(
        label="Trajecttype", queryset=Trajecttype.objects.all(), required=False, empty_label="Alle"
    )
    route = forms.ChoiceField(label="Route", choices=[("", "Alle"), *Route.choices], required=False)
    aanbieder = forms.ModelChoiceField(
        label="Aanbieder", queryset=Organisatie.objects.all(), required=False, empty_label="Alle"
    )
    verwijzer = forms.ModelChoiceField(
        label="Verwijzer", queryset=Organisatie.objects.all(), required=False, empty_label="Alle"
    )
    woongemeente = forms.ModelChoiceField(
        label="Woongemeente",
        queryset=Organisatie.objects.filter(soort=Organisatie.Soort.GEMEENTE),
        required=False,
        empty_label="Alle",
    )
    doelgroep = forms.ModelChoiceField(
        label="Doelgroep", queryset=Doelgroep.objects.all(), required=False, empty_label="Alle"
    )

    def clean(self):
        gegevens = super().clean()
        van, tot = gegevens.get("van"), gegevens.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", "Het einde van de periode ligt voor het begin.")
        elif van and tot and (tot - van).days > 366 * MAX_JAREN:
            self.add_error("tot", f"Kies een periode van hoogstens {MAX_JAREN} jaar.")
        return gegevens


def _standaard():
    vandaag = timezone.localdate()
    return {"van": date(vandaag.year, 1, 1), "tot": vandaag}


def rapport(request):
    vereist_recht(request.user, "rapportages_zien")
    form = ResultatenForm(request.GET or _standaard())
    context = {"form": form, "rijen": resultaten.RIJEN}
    if form.is_valid():
        filters = form.cleaned_data
        qs = resultaten.trajecten(
            user=request.user, van=filters["van"], tot=filters["tot"], filters=filters
        )
        aantallen, sluitend = resultaten.tabel(qs)
        context.update(aantallen=aantallen, sluitend=sluitend, querystring=_querystring(request))
        cel = request.GET.get("cel")
        formaat = request.GET.get("formaat")
        if formaat in ("csv", "xlsx", "pdf"):
            return _export(request, formaat, context, filters)
        if cel in resultaten.CELLEN:
            deelnemers = Deelnemer.objects.filter(
                pk__in=qs.filter(resultaten.CELLEN[cel]).values("deelnemer")
            ).select_related("klantmanager", "verwijzer")
            pagina = Paginator(deelnemers.order_by("achternaam", "voornaam"), 50).get_page(
                request.GET.get("pagina")
            )
            log_toegang(request, pagina.object_list, AuditRecord.Actie.IN_LIJST, "resultaten")
            context.update(cel=cel, cel_label=_label(cel), pagina=pagina)
    return render(request, "trajecten/resultaten.html", context)


def _label(cel):
    return (
        "Gestart" if cel == "gestart" else next(r.label for r in resultaten.RIJEN if r.code == cel)
    )


def _querystring(request):
    params = request.GET.copy()
    for sleutel in ("cel", "formaat", "pagina"):
        params.pop(sleutel, None)
    return params.urlencode()


def _regels(aantallen):
    yield ("Trajecten gestart", aantallen["gestart"])
    for rij in resultaten.RIJEN:
        yield (rij.label, aantallen[rij.code])


def _export(request, formaat, context, filters):
    naam = f"resultaten-{filters['van']:%Y%m%d}-{filters['tot']:%Y%m%d}"
    aantallen = context["aantallen"]
    kop = f"Trajecten gestart van {filters['van']:%d-%m-%Y} tot en met {filters['tot']:%d-%m-%Y}"
    if formaat == "csv":
        uit = io.StringIO()
        schrijver = csv.writer(uit, delimiter=";")
        schrijver.writerow([kop, ""])
        schrijver.writerows(_regels(aantallen))
        response = HttpResponse("\ufeff" + uit.getvalue(), content_type="text/csv; charset=utf-8")
    elif formaat == "xlsx":
        from openpyxl import Workbook

        boek = Workbook()
        blad = boek.active
        blad.title = "Resultaten"
        blad.append([kop])
        blad.append(["Regel", "Aantal"])
        for regel in _regels(aantallen):
            blad.append(list(regel))
        blad.column_dimensions["A"].width = 48
        uit = io.BytesIO()
        boek.save(uit)
        response = HttpResponse(
            uit.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        _, pdf = render_to_pdf(
            "pdf/resultaten.html",
            {**context, "filters": filters, "kop": kop, "afgedrukt_op": timezone.localtime()},
        )
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{naam}.{formaat}"'
    return response
