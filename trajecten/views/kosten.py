"""The cost report for managers: what the trajectories cost in a period and who pays it,
per trajecttype, outcome and funder, each number opening the trajectories behind it."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer
from reintegratie.access import Categorie, log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.rapport import FORMATEN, Onderdeel, Tabel, export, querystring_zonder
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import kosten
from ..forms import RapportFilterForm, dit_jaar

KOLOMMEN = [
    "Trajecten",
    "Tarief (euro)",
    "Instrumenten (euro)",
    "Totaal (euro)",
    "Naar werk",
    "Per plaatsing (euro)",
]
SOORTEN = ["", "aantal", "bedrag", "bedrag", "bedrag", "aantal", "bedrag"]


@verwerking("kosten")
def rapport(request):
    vereist_recht(request.user, "rapportages_zien")
    form = RapportFilterForm({**dit_jaar(), **request.GET.dict()})
    context = {"form": form}
    if not form.is_valid():
        return render(request, "trajecten/kosten.html", context)
    van, tot = form.cleaned_data["van"], form.cleaned_data["tot"]
    qs = kosten.trajecten(user=request.user, van=van, tot=tot, filters=form.filters)
    context.update(
        kosten=kosten.rapport(qs, van=van, tot=tot),
        toelichting=kosten.TOELICHTING,
        toelichting_financier=kosten.TOELICHTING_FINANCIER,
        querystring=querystring_zonder(request, "cel", "formaat", "pagina"),
    )
    if request.GET.get("formaat") in FORMATEN:
        return _export(request, request.GET["formaat"], context["kosten"], form)
    cel = request.GET.get("cel", "")
    voorwaarde = kosten.cel_voorwaarde(cel, van=van, tot=tot)
    if voorwaarde is not None:
        context.update(
            cel=cel,
            cel_label=context["kosten"].label(cel),
            pagina=_uitsplitsing(request, qs, voorwaarde, van=van, tot=tot),
        )
    return render(request, "trajecten/kosten.html", context)


def _uitsplitsing(request, qs, voorwaarde, *, van, tot):
    """The trajectories behind a number, with their cost; names only of the participants
    whose financial data the user may still read (the number above counts them all)."""
    zichtbaar = Deelnemer.objects.met_categorie(request.user, Categorie.FINANCIEEL)
    rijen = (
        kosten.per_traject(
            qs.filter(voorwaarde, deelnemer__in=zichtbaar.values("pk")), van=van, tot=tot
        )
        .select_related("deelnemer", "trajecttype")
        .order_by("deelnemer__achternaam", "deelnemer__voornaam", "startdatum", "pk")
    )
    pagina = Paginator(rijen, 50).get_page(request.GET.get("pagina"))
    log_toegang(
        request,
        [traject.deelnemer for traject in pagina.object_list],
        AuditRecord.Actie.IN_LIJST,
        "kosten",
    )
    return pagina


def _tabel(kop: str, posten, voet=None) -> Tabel:
    def rij(post):
        return [
            post.label,
            post.trajecten,
            post.tarief,
            post.instrumenten,
            post.totaal,
            post.werk,
            post.per_plaatsing,
        ]

    return Tabel(
        [kop, *KOLOMMEN],
        [rij(post) for post in posten],
        voet=rij(voet) if voet else None,
        kolomsoorten=SOORTEN,
    )


def _export(request, formaat, rapport: kosten.Kosten, form):
    van, tot = form.cleaned_data["van"], form.cleaned_data["tot"]
    return export(
        formaat=formaat,
        naam=f"kosten-{van:%Y%m%d}-{tot:%Y%m%d}",
        titel="Kosten en financiering",
        kop=[
            f"Trajecten die liepen van {datumtekst(van)} tot en met {datumtekst(tot)}; "
            f"resultaat zoals het op {datumtekst(timezone.localdate())} is vastgelegd",
            *form.beschrijving(),
        ],
        onderdelen=[
            Onderdeel(
                "trajecttype",
                "Per trajecttype",
                _tabel("Trajecttype", rapport.per_trajecttype, rapport.totaal),
                kosten.TOELICHTING,
            ),
            Onderdeel(
                "resultaat",
                "Per resultaat",
                _tabel("Resultaat", rapport.per_resultaat, rapport.totaal),
            ),
            Onderdeel(
                "financier",
                "Per financier",
                _tabel("Financier", rapport.per_financier, rapport.totaal),
                kosten.TOELICHTING_FINANCIER,
            ),
        ],
        organisatie=request.user.organisatie,
    )
