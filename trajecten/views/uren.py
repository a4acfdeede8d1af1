"""Registering hours for one participant."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reintegratie.access import (
    Categorie,
    Handeling,
    deelnemer_voor_view,
    heeft_recht,
    log_toegang,
)
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import services
from ..forms import UrenForm
from ..models import UrenMutatie, Urenregistratie, uren_tekst

WEKEN = 8
MUTATIES = 50


@verwerking("urenregistratie")
@require_http_methods(["GET", "POST"])
def registreren(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.UREN_SCHRIJVEN)
    form = UrenForm(request.POST or None, deelnemer=deelnemer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                registratie = services.registreer_uren(
                    deelnemer=deelnemer, door=request.user, **form.cleaned_data
                )
                log_toegang(request, deelnemer, AuditRecord.Actie.AANGEMAAKT, "uren geregistreerd")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(
                request,
                f"{uren_tekst(registratie.uren)} uur {registratie.get_soort_display().lower()} "
                f"geregistreerd op {datumtekst(registratie.datum)}.",
            )
            return redirect("deelnemers:dossier", pk=deelnemer.pk)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    return render(request, "trajecten/uren_form.html", {"form": form, "deelnemer": deelnemer})


@verwerking("urenregistratie")
def overzicht(request, pk):
    """A participant's recent hours per day, and every change made to them (who, when, why)."""
    deelnemer = deelnemer_voor_view(request, pk, nodig=Categorie.UREN)
    vanaf = timezone.localdate() - timedelta(weeks=WEKEN)
    registraties = (
        Urenregistratie.objects.zichtbaar_voor(request.user)
        .filter(deelnemer=deelnemer, datum__gte=vanaf)
        .select_related("werkplek", "geregistreerd_door", "fase__fasetype")
        .order_by("-datum", "werkplek__naam")
    )
    mutaties = (
        UrenMutatie.objects.zichtbaar_voor(request.user)
        .filter(deelnemer=deelnemer)
        .select_related("werkplek", "door")
        .order_by("-tijdstip", "-id")[:MUTATIES]
    )
    return render(
        request,
        "trajecten/uren_overzicht.html",
        {
            "deelnemer": deelnemer,
            "registraties": registraties,
            "mutaties": mutaties,
            "weken": WEKEN,
            "mag_registreren": deelnemer.toegang.mag(Handeling.UREN_SCHRIJVEN),
            "mag_corrigeren": heeft_recht(request.user, "weekrooster"),
        },
    )
