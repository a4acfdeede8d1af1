"""The outcomes report for managers: Ferm Werk's table, drill-down, and exports."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer
from reintegratie.access import Categorie, log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.forms import DatumInput
from reintegratie.rapport import FORMATEN, Onderdeel, Tabel, export, querystring_zonder
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import resultaten
from ..forms import RapportFilterForm, dit_jaar


class ResultatenForm(RapportFilterForm):
    van = forms.DateField(label="Gestart vanaf", widget=DatumInput)
    tot = forms.DateField(label="Gestart tot en met", widget=DatumInput)


@verwerking("sturing")
def rapport(request):
    vereist_recht(request.user, "rapportages_zien")
    form = ResultatenForm({**dit_jaar(), **request.GET.dict()})
    context = {"form": form}
    if form.is_valid():
        filters = form.cleaned_data
        qs = resultaten.trajecten(
            user=request.user, van=filters["van"], tot=filters["tot"], filters=form.filters
        )
        aantallen, sluitend = resultaten.tabel(qs)
        context.update(
            aantallen=aantallen,
            rijen=resultaten.getoonde_rijen(aantallen),
            werk_rijen=resultaten.WERK_RIJEN,
            sluitend=sluitend,
            querystring=querystring_zonder(request, "cel", "formaat", "pagina"),
        )
        cel = request.GET.get("cel")
        formaat = request.GET.get("formaat")
        if formaat in FORMATEN:
            return _export(request, formaat, context, form)
        if cel in resultaten.CELLEN:
            # Names only of whom the user may still see; the count above holds them all.
            deelnemers = (
                Deelnemer.objects.met_categorie(request.user, Categorie.TRAJECT)
                .filter(pk__in=qs.filter(resultaten.CELLEN[cel]).values("deelnemer"))
                .select_related("klantmanager", "verwijzer")
            )
            pagina = Paginator(deelnemers.order_by("achternaam", "voornaam"), 50).get_page(
                request.GET.get("pagina")
            )
            log_toegang(request, pagina.object_list, AuditRecord.Actie.IN_LIJST, "resultaten")
            context.update(cel=cel, cel_label=resultaten.label(cel), pagina=pagina)
    return render(request, "trajecten/resultaten.html", context)


def _export(request, formaat, context, form):
    van, tot = form.cleaned_data["van"], form.cleaned_data["tot"]
    aantallen = context["aantallen"]
    tabel = Tabel(
        ["Regel", "Aantal"],
        [["Trajecten gestart", aantallen["gestart"]]]
        + [[rij.label, aantallen[rij.code]] for rij in resultaten.getoonde_rijen(aantallen)],
    )
    sluitend = (
        f"De regels tellen op tot het aantal gestarte trajecten ({aantallen['gestart']})."
        if context["sluitend"]
        else "Let op: de regels tellen niet op tot het aantal gestarte trajecten."
    )
    return export(
        formaat=formaat,
        naam=f"resultaten-{van:%Y%m%d}-{tot:%Y%m%d}",
        titel="Capaciteit, inzet en resultaten",
        kop=[
            f"Trajecten gestart van {datumtekst(van)} tot en met {datumtekst(tot)}; resultaat "
            f"zoals het op {datumtekst(timezone.localdate())} is vastgelegd",
            *form.beschrijving(),
        ],
        onderdelen=[
            Onderdeel("resultaten", "Resultaten", tabel, sluitend),
            Onderdeel(
                "werk",
                "Uitstroom naar werk: contract en nazorg",
                Tabel(
                    ["Regel", "Aantal"],
                    [["Uitgestroomd naar werk", aantallen["werk"]]]
                    + [[rij.label, aantallen[rij.code]] for rij in resultaten.WERK_RIJEN],
                ),
                "Deze regels splitsen het resultaat werk uit; ze tellen niet mee in de som.",
            ),
        ],
        organisatie=request.user.organisatie,
    )
