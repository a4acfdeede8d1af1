"""Reading the processing log: the register, who saw one participant's file, and a search
across the log with an export.

The log answers "who looked at my file?" (AVG art. 15) without a database query: the regie
organisation's klantmanager, manager and privacy officer read it per participant; a
manager and the privacy officer search it for their organisation.
"""

import csv

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer
from reintegratie.access import (
    Categorie,
    Handeling,
    deelnemer_voor_view,
    log_toegang,
    vereist_recht,
)
from reintegratie.accounts.models import Gebruiker, Rol
from reintegratie.audit.models import AuditRecord, Verwerkingsactiviteit
from reintegratie.audit.verwerking import records, verwerking
from reintegratie.forms import DatumInput, NLDesignFormMixin
from reintegratie.rapport import querystring_zonder, spreadsheetcel
from reintegratie.templatetags.opmaak import datum_tijd

PAGINA_GROOTTE = 50
CATEGORIELABELS = dict(Categorie.choices)
ROLNAMEN = dict(Rol.choices)


class _Formulier(NLDesignFormMixin, forms.Form):
    pass


class VerwerkingenFilter(django_filters.FilterSet):
    gebruiker = django_filters.ModelChoiceFilter(
        label="Gebruiker", queryset=Gebruiker.objects.none(), empty_label="Alle"
    )
    deelnemer = django_filters.NumberFilter(
        label="Deelnemernummer",
        field_name="deelnemer_id",
        min_value=1,
        max_value=2**63 - 1,
        help_text="Het nummer in de adresbalk van het dossier: /deelnemers/123/.",
    )
    activiteit = django_filters.ModelChoiceFilter(
        label="Verwerking", queryset=Verwerkingsactiviteit.objects.all(), empty_label="Alle"
    )
    actie = django_filters.ChoiceFilter(
        label="Handeling", choices=AuditRecord.Actie.choices, empty_label="Alle"
    )
    van = django_filters.DateFilter(
        label="Van", field_name="tijdstip", lookup_expr="date__gte", widget=DatumInput
    )
    tot = django_filters.DateFilter(
        label="Tot en met", field_name="tijdstip", lookup_expr="date__lte", widget=DatumInput
    )

    class Meta:
        model = AuditRecord
        fields = ["gebruiker", "deelnemer", "activiteit", "actie", "van", "tot"]
        form = _Formulier

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["gebruiker"].queryset = Gebruiker.objects.filter(
            organisatie_id=user.organisatie_id
        )


def _gezocht(request):
    queryset = AuditRecord.objects.zichtbaar_voor(request.user).select_related("activiteit")
    return VerwerkingenFilter(request.GET, queryset=queryset, user=request.user)


@verwerking("verwerkingenlog")
def zoeken(request):
    """The log of the user's organisation, filtered; the participants named are those the
    user may still see (the others by number only)."""
    vereist_recht(request.user, "auditlog_zien")
    filterset = _gezocht(request)
    pagina = Paginator(filterset.qs.order_by("-tijdstip", "-pk"), PAGINA_GROOTTE).get_page(
        request.GET.get("pagina")
    )
    ids = {r.deelnemer_id for r in pagina.object_list if r.deelnemer_id}
    zichtbaar = Deelnemer.objects.zichtbaar_voor(request.user).filter(pk__in=ids).in_bulk()
    for record in pagina.object_list:
        record.zichtbare_deelnemer = zichtbaar.get(record.deelnemer_id)
        record.categorie_tekst = categorie_tekst(record.categorieen)
    log_toegang(request, zichtbaar.values(), AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        "verwerkingen/zoeken.html",
        {
            "filter": filterset,
            "pagina": pagina,
            "querystring": querystring_zonder(request, "pagina"),
        },
    )


class _Regels:
    def write(self, regel):
        return regel


EXPORTKOP = [
    "Tijdstip",
    "Gebruiker",
    "Organisatie",
    "Identificatie organisatie",
    "Rol",
    "Handeling",
    "Verwerking",
    "Doel",
    "Grondslag",
    "Vertrouwelijkheid",
    "Categorieën",
    "Deelnemernummer",
    "Verzoek-id",
    "Bewaren tot",
]


@verwerking("verwerkingenlog")
def export(request):
    """The search as CSV, streamed. Participants by number only: the export leaves the
    application, the names stay in it. The export itself is logged."""
    vereist_recht(request.user, "auditlog_zien")
    filterset = _gezocht(request)
    AuditRecord.objects.bulk_create(
        records(request, actie=AuditRecord.Actie.GEEXPORTEERD, omschrijving="log als CSV")
    )
    schrijver = csv.writer(_Regels(), delimiter=";")

    def regels():
        yield "\ufeff"
        yield schrijver.writerow(EXPORTKOP)
        for r in filterset.qs.order_by("-tijdstip", "-pk").iterator(chunk_size=2000):
            yield schrijver.writerow(spreadsheetcel(w) for w in _exportrij(r))

    response = StreamingHttpResponse(regels(), content_type="text/csv; charset=utf-8")
    naam = f"verwerkingenlog-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    return response


def _exportrij(r: AuditRecord) -> list:
    return [
        datum_tijd(timezone.localtime(r.tijdstip)),
        r.gebruikersnaam,
        r.organisatie,
        r.organisatie_identificatie,
        r.rol,
        r.get_actie_display(),
        r.activiteit.naam if r.activiteit else "",
        r.doel,
        r.grondslag,
        r.get_vertrouwelijkheid_display(),
        categorie_tekst(r.categorieen),
        r.deelnemer_id or "",
        str(r.verzoek_id or ""),
        r.bewaren_tot.isoformat() if r.bewaren_tot else "",
    ]


@verwerking("verwerkingenlog")
def deelnemer(request, pk):
    """Who saw or changed this participant's file: per organisation and role, then each
    processing, newest first."""
    gevonden = deelnemer_voor_view(request, pk, nodig=Handeling.VERWERKINGEN_ZIEN)
    log = AuditRecord.objects.filter(deelnemer_id=gevonden.pk)
    samenvatting = [
        {**rij, "rol": ROLNAMEN.get(rij["rol"], rij["rol"])}
        for rij in log.exclude(actie=AuditRecord.Actie.GEWEIGERD)
        .values("organisatie", "rol")
        .annotate(aantal=Count("pk"), laatst=Max("tijdstip"))
        .order_by("-laatst")
    ]
    pagina = Paginator(
        log.select_related("activiteit").order_by("-tijdstip", "-pk"), PAGINA_GROOTTE
    ).get_page(request.GET.get("pagina"))
    for record in pagina.object_list:
        record.categorie_tekst = categorie_tekst(record.categorieen)
    return render(
        request,
        "verwerkingen/deelnemer.html",
        {
            "deelnemer": gevonden,
            "samenvatting": samenvatting,
            "pagina": pagina,
            "geweigerd": log.filter(actie=AuditRecord.Actie.GEWEIGERD).count(),
        },
    )


def register(request):
    """The register of processing activities: open to every user, it holds no personal
    data."""
    activiteiten = list(Verwerkingsactiviteit.objects.all())
    for activiteit in activiteiten:
        activiteit.categorie_tekst = categorie_tekst(activiteit.categorieen)
    return render(request, "verwerkingen/register.html", {"activiteiten": activiteiten})


def categorie_tekst(codes) -> str:
    """The data categories in words, as the access module names them."""
    return ", ".join(CATEGORIELABELS.get(c, c) for c in codes) or "geen"
