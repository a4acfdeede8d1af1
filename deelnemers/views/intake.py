"""Ferm Werk's universal intake: find by BSN first, then one form that may be kept as concept."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from reintegratie.access import log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import services
from ..forms import BsnForm, DeelnemerForm, IntakeForm
from ..models import Intake

INTUSSEN_BEKEND = (
    "Dit BSN is intussen door iemand anders vastgelegd; er is niets opgeslagen. Zoek de "
    "deelnemer op in de caseload, of vraag de functioneel beheerder om het na te gaan."
)


@verwerking("intake")
@sensitive_post_parameters("bsn")
@require_http_methods(["GET", "POST"])
def start(request):
    vereist_recht(request.user, "intake_doen")
    form = BsnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        intake, bestaand = services.intake_beginnen(bsn=form.cleaned_data["bsn"], door=request.user)
        if bestaand is not None:
            # Who looked a person up is theirs to know (AVG art. 15), also when refused.
            omschrijving = "intake: BSN gezocht" + (" (geweigerd)" if intake is None else "")
            log_toegang(request, bestaand, AuditRecord.Actie.BEKEKEN, omschrijving)
        if intake is None:
            form.add_error(
                "bsn",
                "Voor dit BSN kunt u hier geen intake beginnen. Controleer het BSN. Klopt het, "
                "vraag dan de functioneel beheerder of het dossier aan uw organisatie kan "
                "worden overgedragen; zo ontstaat er geen tweede dossier.",
            )
        else:
            if bestaand is not None:
                messages.info(
                    request,
                    f"{bestaand.naam} is al bekend. De intake gaat verder met dit dossier.",
                )
            return redirect("deelnemers:intake", pk=intake.pk)
    return render(
        request,
        "deelnemers/intake_start.html",
        {"form": form, "concepten": Intake.objects.zichtbaar_voor(request.user).concepten()},
    )


def _beginwaarden(form_class, concept, **kwargs):
    """Initial values from a saved concept: lists for multi-valued fields, else one value."""
    velden = form_class(**kwargs).fields
    return {
        naam: waarden if isinstance(velden[naam], forms.MultipleChoiceField) else waarden[0]
        for naam, waarden in concept.items()
        if naam in velden and waarden
    }


@verwerking("intake")
@sensitive_post_parameters()  # names, BSN, health answers: none of it in an error report
@require_http_methods(["GET", "POST"])
def formulier(request, pk):
    vereist_recht(request.user, "intake_doen")
    intake = get_object_or_404(
        Intake.objects.zichtbaar_voor(request.user).concepten().select_related("deelnemer"), pk=pk
    )
    organisatie = request.user.organisatie
    deelnemer = intake.deelnemer
    if request.method == "POST" and request.POST.get("actie") == "concept":
        services.intake_concept_opslaan(intake=intake, gegevens=dict(request.POST.lists()))
        messages.success(request, "De intake is als concept bewaard.")
        return redirect("start")

    if request.method == "POST":
        persoon = DeelnemerForm(request.POST, instance=deelnemer, prefix="persoon")
        gesprek = IntakeForm(request.POST, organisatie=organisatie, prefix="intake")
    else:
        concept = intake.concept
        persoon = DeelnemerForm(
            instance=deelnemer,
            prefix="persoon",
            initial={"bsn": intake.bsn}
            | _beginwaarden(DeelnemerForm, _zonder_prefix(concept, "persoon")),
        )
        gesprek = IntakeForm(
            organisatie=organisatie,
            prefix="intake",
            initial=IntakeForm.beginwaarden(intake=intake, door=request.user)
            | _beginwaarden(IntakeForm, _zonder_prefix(concept, "intake"), organisatie=organisatie),
        )
    # The BSN was checked in step one; it is shown, not typed again.
    persoon.fields["bsn"].disabled = True
    persoon.fields["bsn"].initial = intake.bsn

    if request.method == "POST" and persoon.is_valid() and gesprek.is_valid():
        try:
            with transaction.atomic():
                traject = services.intake_afronden(
                    intake=intake, deelnemer_form=persoon, intake_form=gesprek, door=request.user
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.AANGEMAAKT, "intake")
        except ValidationError as fout:
            gesprek.add_error(None, fout)
        except IntegrityError:
            # The BSN was registered by someone else between the check and the save. Before,
            # a 500: the database's message, which quotes the BSN (PostgreSQL's "Key
            # (bsn)=(...) already exists"), went into the error log and the mail to ADMINS.
            gesprek.add_error(None, INTUSSEN_BEKEND)
        else:
            messages.success(
                request,
                f"Intake afgerond: {traject.get_route_display().lower()}, {traject.trajecttype} "
                f"begint op {datumtekst(traject.startdatum)}.",
            )
            return redirect(traject.deelnemer)
    if deelnemer is not None:
        log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN, "intake")
    return render(
        request,
        "deelnemers/intake.html",
        {
            "intake": intake,
            "persoon": persoon,
            "gesprek": gesprek,
        },
    )


def _zonder_prefix(concept, prefix):
    return {
        naam.removeprefix(f"{prefix}-"): waarden
        for naam, waarden in concept.items()
        if naam.startswith(f"{prefix}-")
    }
