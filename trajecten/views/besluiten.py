"""Decisions on a trajectory: extend a phase, the next phase, hand over, close.

Each is a small form page; the service does the work under a row lock and writes the
decision into the participant's journal.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reintegratie.access import Handeling, log_toegang, traject_voor_view
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking

from .. import services
from ..forms import AfsluitenForm, OverdragenForm, VerlengenForm, VolgendeFaseForm

BESLUITEN = {
    "verlengen": (VerlengenForm, services.fase_verlengen, "Fase verlengen", "De fase is verlengd."),
    "volgende_fase": (
        VolgendeFaseForm,
        services.volgende_fase,
        "Door naar de volgende fase",
        "De volgende fase is begonnen.",
    ),
    "overdragen": (
        OverdragenForm,
        services.overdragen_participatie,
        "Overdragen naar route participatie",
        "De deelnemer is overgedragen naar route participatie.",
    ),
    "afsluiten": (
        AfsluitenForm,
        services.traject_afsluiten,
        "Traject afsluiten",
        "Het traject is afgesloten.",
    ),
}


@verwerking("besluiten")
@require_http_methods(["GET", "POST"])
def besluit(request, pk, soort):
    form_class, uitvoeren, titel, gelukt = BESLUITEN[soort]
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.BESLUITEN)
    form = form_class(request.POST or None, initial={"datum": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                uitvoeren(traject=traject, door=request.user, **form.cleaned_data)
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.GEWIJZIGD, titel)
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, gelukt)
            return redirect(traject.deelnemer)
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, titel)
    fase = traject.huidige_fase()
    return render(
        request,
        "trajecten/besluit.html",
        {
            "form": form,
            "traject": traject,
            "fase": fase,
            "titel": titel,
            "soort": soort,
            "vandaag": timezone.localdate(),
        },
    )
