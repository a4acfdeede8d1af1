"""Who pays a trajectory (its shares per financier) and the ESF hours statement."""

from django import forms
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
    log_toegang,
    traject_voor_view,
)
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.rapport import FORMATEN, Onderdeel, Tabel, export
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import financiering
from ..forms import FinancieringForm
from ..models import Financier, Financiering


@verwerking("financiering")
@require_http_methods(["GET", "POST"])
def vastleggen(request, pk):
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.BESLUITEN)
    instrumenten = list(traject.instrumenten.order_by("startdatum", "pk"))
    huidig = {
        (f.instrument_id, f.financier_id): f.aandeel
        for f in Financiering.objects.zichtbaar_voor(request.user).filter(traject=traject)
    }
    form = FinancieringForm(
        request.POST or None,
        traject=traject,
        financiers=list(Financier.objects.filter(actief=True)),
        instrumenten=instrumenten,
        huidig=huidig,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                financiering.financiering_vastleggen(traject=traject, aandelen=form.aandelen)
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.GEWIJZIGD, "financiering")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, "De financiering is vastgelegd.")
            return redirect(f"{traject.deelnemer.get_absolute_url()}#traject-{traject.pk}")
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "financiering")
    return render(request, "trajecten/financiering.html", {"form": form, "traject": traject})


class JaarForm(forms.Form):
    jaar = forms.IntegerField(min_value=2000, max_value=2100)


@verwerking("financiering")
def esf_urenstaat(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Categorie.FINANCIEEL)
    form = JaarForm(request.GET or {"jaar": timezone.localdate().year})
    jaar = form.cleaned_data["jaar"] if form.is_valid() else timezone.localdate().year
    staat = financiering.esf_urenstaat(deelnemer=deelnemer, jaar=jaar, user=request.user)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN, "ESF-urenstaat")
    tabel = Tabel(
        ["Maand", "Gewerkt (uren)", "Scholing (uren)", "Productief (uren)"],
        [
            [maand, gewerkt, scholing, gewerkt + scholing]
            for maand, gewerkt, scholing in staat.maanden
        ],
        voet=["Totaal", *staat.totaal, sum(staat.totaal)],
    )
    kop = [
        f"{deelnemer.naam}, geboren {datumtekst(deelnemer.geboortedatum)}",
        *(
            f"{t.trajecttype} vanaf {datumtekst(t.startdatum)}"
            + (f" tot en met {datumtekst(t.einddatum)}" if t.einddatum else "")
            for t in staat.trajecten
        ),
    ]
    onderdeel = Onderdeel(
        "esf",
        f"Productieve uren {jaar}",
        tabel,
        "Gewerkt en scholing, zoals geregistreerd op de werkplekken, op de trajecten die het "
        "ESF medefinanciert. Ziekte, verlof en afwezigheid tellen niet mee.",
    )
    formaat = request.GET.get("formaat")
    if formaat in ("pdf", "xlsx") and formaat in FORMATEN:
        return export(
            formaat=formaat,
            naam=f"esf-urenstaat-{deelnemer.pk}-{jaar}",
            titel=f"ESF-urenstaat {jaar}",
            kop=kop,
            onderdelen=[onderdeel],
            organisatie=request.user.organisatie,
        )
    return render(
        request,
        "trajecten/esf_urenstaat.html",
        {"deelnemer": deelnemer, "staat": staat, "onderdeel": onderdeel, "kop": kop, "jaar": jaar},
    )
