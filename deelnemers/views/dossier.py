"""The dossier: one page that tells the participant's story; the journal; the participatieladder;
the BSN on request."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from reintegratie.access import (
    Categorie,
    Handeling,
    deelnemer_voor_view,
    heeft_recht,
    log_toegang,
    vereist_recht,
)
from reintegratie.agenda.selectors import van_deelnemer as afspraken_van
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.pdf import render_to_pdf
from reintegratie.taken.forms import TaakForm
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import selectors, services
from ..forms import ContactmomentForm, DossierDeelnemerForm, LadderForm


def _mag(request, deelnemer):
    """What the templates ask: the matrix's categories and actions for this participant, and
    whether the role prints."""
    return deelnemer.toegang.sjabloon | {"afdrukken": heeft_recht(request.user, "afdrukken")}


def _render_dossier(request, deelnemer, **extra):
    mag = _mag(request, deelnemer)
    context = {
        "deelnemer": deelnemer,
        "mag": mag,
        "contact_form": ContactmomentForm(
            mag_medisch=mag[Categorie.MEDISCH], gebruiker=request.user
        ),
        "ladder_form": LadderForm(),
        "taak_form": TaakForm(gebruiker=request.user),
        **extra,
    }
    if request.htmx and "contact_form" in extra:
        return render(request, "deelnemers/dossier.html#journaal", context)
    if mag[Categorie.JOURNAAL]:
        context["afspraken"] = afspraken_van(user=request.user, deelnemer=deelnemer)
    return render(request, "deelnemers/dossier.html", context)


@verwerking("dossier")
def dossier(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, queryset=selectors.dossier_queryset(request.user))
    return _render_dossier(request, deelnemer)


@verwerking("bsn_raadplegen")
@require_POST
def bsn_tonen(request, pk):
    """The full BSN, only on request and only for those who need it; logged."""
    # Without htmx the whole dossier is shown again, so fetch what it needs in one go.
    queryset = None if request.htmx else selectors.dossier_queryset(request.user)
    deelnemer = deelnemer_voor_view(
        request, pk, actie=None, queryset=queryset, nodig=Handeling.BSN_TONEN
    )
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN, "BSN getoond")
    if request.htmx:
        return render(request, "deelnemers/fragmenten/bsn.html", {"deelnemer": deelnemer})
    return _render_dossier(request, deelnemer, bsn_zichtbaar=True)


@verwerking("dossier")
@require_POST
def contactmoment(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.JOURNAAL_SCHRIJVEN)
    mag_medisch = deelnemer.toegang.leest(Categorie.MEDISCH)
    form = ContactmomentForm(request.POST, mag_medisch=mag_medisch, gebruiker=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.contactmoment_toevoegen(
                    deelnemer=deelnemer, door=request.user, **form.cleaned_data
                )
                log_toegang(request, deelnemer, AuditRecord.Actie.AANGEMAAKT, "contactmoment")
        except ValidationError as fout:
            # The colleague chosen for the next action cannot open this file.
            form.add_error("eigenaar" if "eigenaar" in form.fields else None, fout.messages)
        else:
            if not request.htmx:
                messages.success(request, "Het contactmoment is vastgelegd.")
                return redirect(f"{deelnemer.get_absolute_url()}#journaal")
            form = ContactmomentForm(mag_medisch=mag_medisch, gebruiker=request.user)
    deelnemer = deelnemer_voor_view(request, pk, queryset=selectors.dossier_queryset(request.user))
    return _render_dossier(request, deelnemer, contact_form=form)


@verwerking("dossier")
@require_POST
def ladder(request, pk):
    """Record a step on the participatieladder. No htmx here: a step changes two sections of
    the dossier (the ladder and the journal), so the page is simply loaded again."""
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.LADDER_VASTLEGGEN)
    form = LadderForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                stap, nieuw = services.ladder_vastleggen(
                    deelnemer=deelnemer, door=request.user, **form.cleaned_data
                )
                actie = AuditRecord.Actie.AANGEMAAKT if nieuw else AuditRecord.Actie.GEWIJZIGD
                log_toegang(request, deelnemer, actie, "participatieladder")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            if nieuw:
                melding = (
                    f"Trede {stap.get_trede_display()} vastgelegd op {datumtekst(stap.datum)}."
                )
            else:
                melding = (
                    f"De trede van {datumtekst(stap.datum)} is gewijzigd in "
                    f"{stap.get_trede_display()}."
                )
            messages.success(request, melding)
            return redirect(f"{deelnemer.get_absolute_url()}#kop-ladder")
    deelnemer = deelnemer_voor_view(request, pk, queryset=selectors.dossier_queryset(request.user))
    return _render_dossier(request, deelnemer, ladder_form=form)


@verwerking("dossier")
@require_http_methods(["GET", "POST"])
def bewerken(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.GEGEVENS_WIJZIGEN)
    form = DossierDeelnemerForm(request.POST or None, instance=deelnemer)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.deelnemer_wijzigen(form=form, versie=form.cleaned_data["versie"] or 0)
                log_toegang(request, deelnemer, AuditRecord.Actie.GEWIJZIGD, form.omschrijving())
        except services.GelijktijdigGewijzigd as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(request, "De gegevens zijn opgeslagen.")
            return redirect(deelnemer)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    return render(
        request,
        "deelnemers/form.html",
        {"form": form, "deelnemer": deelnemer, "titel": f"Gegevens van {deelnemer.naam} wijzigen"},
    )


@verwerking("dossier")
def dossier_pdf(request, pk):
    """The participant's complete dossier as PDF, as the user may see it (BSN masked)."""
    vereist_recht(request.user, "afdrukken")
    deelnemer = deelnemer_voor_view(
        request,
        pk,
        actie=AuditRecord.Actie.AFGEDRUKT,
        queryset=selectors.dossier_queryset(request.user),
    )
    _, inhoud = render_to_pdf(
        "pdf/dossier.html",
        {
            "deelnemer": deelnemer,
            "mag": _mag(request, deelnemer),
            "traject": next(iter(deelnemer.trajecten.all()), None),
            "afgedrukt_op": timezone.localtime(),
        },
    )
    response = HttpResponse(inhoud, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="dossier-{deelnemer.pk}.pdf"'
    return response
