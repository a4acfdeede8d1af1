"""Participant pages: the list, the dossier, and the personal-data form."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reintegratie.access import deelnemer_voor_view, heeft_recht, log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord

from . import selectors, services
from .forms import DeelnemerForm

PAGINA_GROOTTE = 25


def lijst(request):
    vereist_recht(request.user, "deelnemers_zien")
    filterset = selectors.deelnemer_lijst(user=request.user, params=request.GET)
    pagina = Paginator(filterset.qs, PAGINA_GROOTTE).get_page(request.GET.get("pagina"))
    log_toegang(request, pagina.object_list, AuditRecord.Actie.IN_LIJST)
    querystring = request.GET.copy()
    querystring.pop("pagina", None)
    return render(
        request,
        "deelnemers/lijst.html",
        {"filter": filterset, "pagina": pagina, "querystring": querystring.urlencode()},
    )


def dossier(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, queryset=selectors.dossier_queryset())
    return render(
        request,
        "deelnemers/dossier.html",
        {
            "deelnemer": deelnemer,
            "mag_bewerken": heeft_recht(request.user, "deelnemer_bewerken"),
            "mag_uren": heeft_recht(request.user, "uren_registreren"),
        },
    )


@require_http_methods(["GET", "POST"])
def nieuw(request):
    vereist_recht(request.user, "deelnemer_bewerken")
    form = DeelnemerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            deelnemer = services.deelnemer_aanmaken(form=form, klantmanager=request.user)
            log_toegang(request, deelnemer, AuditRecord.Actie.AANGEMAAKT)
        messages.success(request, f"{deelnemer.naam} is toegevoegd.")
        return redirect("deelnemers:dossier", pk=deelnemer.pk)
    return render(request, "deelnemers/form.html", {"form": form, "titel": "Nieuwe deelnemer"})


@require_http_methods(["GET", "POST"])
def bewerken(request, pk):
    vereist_recht(request.user, "deelnemer_bewerken")
    deelnemer = deelnemer_voor_view(request, pk, actie=None)
    form = DeelnemerForm(request.POST or None, instance=deelnemer)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.deelnemer_wijzigen(form=form, versie=form.cleaned_data["versie"] or 0)
                log_toegang(request, deelnemer, AuditRecord.Actie.GEWIJZIGD)
        except services.GelijktijdigGewijzigd as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(request, "De gegevens zijn opgeslagen.")
            return redirect("deelnemers:dossier", pk=deelnemer.pk)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    return render(
        request,
        "deelnemers/form.html",
        {"form": form, "deelnemer": deelnemer, "titel": f"Gegevens van {deelnemer.naam} wijzigen"},
    )
