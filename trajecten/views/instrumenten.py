"""Recording the instruments deployed for a trajectory: trainings, certificates, employer
instruments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reintegratie.access import Handeling, log_toegang, traject_voor_view
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking

from .. import services
from ..forms import InstrumentForm


@verwerking("instrumenten")
@require_http_methods(["GET", "POST"])
def nieuw(request, pk):
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.INSTRUMENT_INZETTEN)
    form = InstrumentForm(request.POST or None, traject=traject)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                inzet = services.instrument_vastleggen(
                    form=form, traject=traject, door=request.user
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.AANGEMAAKT, "instrument")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, f"{inzet.get_instrument_display()} is vastgelegd.")
            return redirect(f"{traject.deelnemer.get_absolute_url()}#traject-{traject.pk}")
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "instrument")
    return render(
        request,
        "trajecten/instrument_form.html",
        {"form": form, "traject": traject, "titel": "Instrument vastleggen"},
    )
