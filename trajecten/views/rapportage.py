"""Progress reports: prefilled from the data, written by people, printed for partners."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reintegratie.access import Categorie, Handeling, log_toegang, traject_voor_view
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.pdf import render_to_pdf

from .. import rapportage as gegevens_van
from .. import services
from ..forms import RapportageForm
from ..models import Voortgangsrapportage


def _beginwaarden(traject):
    fase = traject.huidige_fase()
    budget_op = fase is not None and fase.uren_budget and fase.uren_gebruikt >= fase.uren_budget
    return {
        "aanleiding": Voortgangsrapportage.Aanleiding.EINDE_FASE
        if budget_op
        else Voortgangsrapportage.Aanleiding.TUSSENTIJDS,
        "periode_van": fase.startdatum if fase else traject.startdatum,
        "periode_tot": timezone.localdate(),
        "advies": Voortgangsrapportage.Advies.VOLGENDE_FASE if budget_op else None,
    }


def _formulier(request, traject, form, titel):
    """The report's form with the data of its period: as typed once valid, else as it was."""
    periode = (form.cleaned_data if form.is_bound and not form.errors else None) or form.initial
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "rapportage")
    return render(
        request,
        "trajecten/rapportage_form.html",
        {
            "traject": traject,
            "form": form,
            "titel": titel,
            **gegevens_van.gegevens(
                traject=traject,
                van=periode["periode_van"],
                tot=periode["periode_tot"],
                lezer=request.user,
            ),
        },
    )


@verwerking("rapportage")
@require_http_methods(["GET", "POST"])
def nieuw(request, pk):
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.PLAN_SCHRIJVEN)
    plan = traject.plannen.order_by("-versie").prefetch_related("leerdoelen").first()
    form = RapportageForm(
        request.POST if request.method == "POST" else None,
        initial=_beginwaarden(traject),
        voortgang=[(doel, doel.status, "") for doel in plan.leerdoelen.all()] if plan else [],
        mag_medisch=traject.deelnemer.toegang.leest(Categorie.MEDISCH),
    )
    if form.is_valid():
        with transaction.atomic():
            rapportage = services.rapportage_opslaan(form=form, traject=traject, door=request.user)
            log_toegang(request, traject.deelnemer, AuditRecord.Actie.AANGEMAAKT, "rapportage")
        messages.success(request, "De voortgangsrapportage is opgeslagen.")
        return redirect("trajecten:rapportage", pk=pk, rapportage=rapportage.pk)
    return _formulier(request, traject, form, "Nieuwe voortgangsrapportage")


def _rapportage(request, pk, rapportage, nodig=Categorie.RAPPORTAGE):
    traject = traject_voor_view(request, pk, actie=None, nodig=nodig)
    return traject, get_object_or_404(
        Voortgangsrapportage.objects.zichtbaar_voor(request.user)
        .filter(traject=traject)
        .select_related("opgesteld_door", "gewijzigd_door")
        .prefetch_related("leerdoelen__leerdoel"),
        pk=rapportage,
    )


@verwerking("rapportage")
@require_http_methods(["GET", "POST"])
def bewerken(request, pk, rapportage):
    """The form of a new report, filled in as saved; refused when someone else saved since."""
    traject, rapportage = _rapportage(request, pk, rapportage, nodig=Handeling.PLAN_SCHRIJVEN)
    form = RapportageForm(
        request.POST if request.method == "POST" else None,
        instance=rapportage,
        voortgang=[(v.leerdoel, v.status, v.toelichting) for v in rapportage.leerdoelen.all()],
        mag_medisch=traject.deelnemer.toegang.leest(Categorie.MEDISCH),
    )
    if form.is_valid():
        try:
            with transaction.atomic():
                services.rapportage_wijzigen(
                    form=form, wijziging=form.cleaned_data["wijziging"], door=request.user
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.GEWIJZIGD, "rapportage")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, "De wijzigingen in de voortgangsrapportage zijn opgeslagen.")
            return redirect("trajecten:rapportage", pk=pk, rapportage=rapportage.pk)
    return _formulier(request, traject, form, "Voortgangsrapportage wijzigen")


@verwerking("rapportage")
def detail(request, pk, rapportage):
    traject, rapportage = _rapportage(request, pk, rapportage)
    toegang = traject.deelnemer.toegang
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "rapportage")
    return render(
        request,
        "trajecten/rapportage.html",
        {
            "traject": traject,
            "rapportage": rapportage,
            "intern": toegang.leest(Categorie.MEDISCH),
            "mag_bewerken": toegang.mag(Handeling.PLAN_SCHRIJVEN),
            **gegevens_van.gegevens(
                traject=traject,
                van=rapportage.periode_van,
                tot=rapportage.periode_tot,
                lezer=request.user,
            ),
        },
    )


@verwerking("rapportage")
def pdf(request, pk, rapportage):
    """The report as PDF, for whoever reads it. ``?voor=ketenpartner`` is the version for the
    referrer: without medical information, whoever prints it."""
    traject, rapportage = _rapportage(request, pk, rapportage)
    voor_ketenpartner = request.GET.get("voor") == "ketenpartner"
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.AFGEDRUKT, "rapportage")
    _, inhoud = render_to_pdf(
        "pdf/voortgangsrapportage.html",
        {
            "traject": traject,
            "rapportage": rapportage,
            "intern": not voor_ketenpartner and traject.deelnemer.toegang.leest(Categorie.MEDISCH),
            "voor_ketenpartner": voor_ketenpartner,
            "afgedrukt_op": timezone.localtime(),
            **gegevens_van.gegevens(
                traject=traject,
                van=rapportage.periode_van,
                tot=rapportage.periode_tot,
                lezer=request.user,
            ),
        },
    )
    response = HttpResponse(inhoud, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="voortgangsrapportage-{rapportage.periode_tot:%Y-%m-%d}.pdf"'
    )
    return response
