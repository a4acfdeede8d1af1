"""The contract chain of a trajectory, and the follow-up after uitstroom to work."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reintegratie.access import Handeling, log_toegang, traject_voor_view
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from werkplekken.models import Plaatsing

from .. import contracten
from ..forms import ContractBeeindigenForm, ContractForm, NazorgForm
from ..models import Contract, Nazorg, Uitstroom


def _naar_traject(traject):
    return redirect(f"{traject.deelnemer.get_absolute_url()}#traject-{traject.pk}")


def _huidige_werkgever(traject):
    """The organisation of the participant's running placement: the likely employer."""
    return (
        Plaatsing.objects.filter(traject=traject)
        .lopend_op(timezone.localdate())
        .values_list("werkplek__organisatie", flat=True)
        .first()
    )


@verwerking("contracten")
@require_http_methods(["GET", "POST"])
def contract_nieuw(request, pk):
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.BESLUITEN)
    form = ContractForm(request.POST or None, initial={"werkgever": _huidige_werkgever(traject)})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contract = contracten.contract_vastleggen(
                    traject=traject, door=request.user, **form.cleaned_data
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.AANGEMAAKT, "contract")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, f"Het contract bij {contract.werkgever} is vastgelegd.")
            return _naar_traject(traject)
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "contract")
    return render(
        request,
        "trajecten/contract_form.html",
        {
            "form": form,
            "traject": traject,
            "keten": traject.contracten.select_related("werkgever"),
            "schakel": contracten.volgende_schakel(traject),
        },
    )


@verwerking("contracten")
@require_http_methods(["GET", "POST"])
def contract_beeindigen(request, pk, contract):
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.BESLUITEN)
    contract = (
        Contract.objects.zichtbaar_voor(request.user)
        .filter(traject=traject, pk=contract)
        .select_related("werkgever")
        .first()
    )
    if contract is None:
        raise Http404("Geen contract van dit traject.")
    form = ContractBeeindigenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contracten.contract_beeindigen(
                    contract=contract, door=request.user, **form.cleaned_data
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.GEWIJZIGD, "contract")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, f"Het contract bij {contract.werkgever} is beëindigd.")
            return _naar_traject(traject)
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "contract")
    return render(
        request,
        "trajecten/contract_beeindigen.html",
        {"form": form, "traject": traject, "contract": contract},
    )


@verwerking("contracten")
@require_http_methods(["GET", "POST"])
def nazorg(request, pk, moment):
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.BESLUITEN)
    uitstroom = (
        Uitstroom.objects.zichtbaar_voor(request.user)
        .filter(traject=traject, resultaat=Uitstroom.Resultaat.WERK)
        .first()
    )
    if uitstroom is None or moment not in Nazorg.Moment.values:
        raise Http404("Geen uitstroom naar werk.")
    label = Nazorg.Moment(moment).label.lower()
    form = NazorgForm(request.POST or None, initial={"datum": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                contracten.nazorg_vastleggen(
                    uitstroom=uitstroom, door=request.user, moment=moment, **form.cleaned_data
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.AANGEMAAKT, "nazorg")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, f"De nazorg {label} is vastgelegd.")
            return _naar_traject(traject)
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "nazorg")
    return render(
        request,
        "trajecten/nazorg_form.html",
        {"form": form, "traject": traject, "uitstroom": uitstroom, "titel": f"Nazorg {label}"},
    )
