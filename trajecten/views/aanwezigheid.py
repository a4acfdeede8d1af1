"""Attendance per workplace over a period, for klantmanagers, managers and begeleiders."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from reintegratie.access import log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.forms import DatumInput, NLDesignFormMixin
from werkplekken.models import Plaatsing, Werkplek

from ..aanwezigheid import aanwezigheid
from ..models import Urenregistratie

MAX_PERIODE = timedelta(days=366)


class PeriodeForm(NLDesignFormMixin, forms.Form):
    van = forms.DateField(label="Van", widget=DatumInput)
    tot = forms.DateField(label="Tot en met", widget=DatumInput)

    def clean(self):
        gegevens = super().clean()
        van, tot = gegevens.get("van"), gegevens.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", "Het einde van de periode ligt voor het begin.")
        elif van and tot and tot - van > MAX_PERIODE:
            self.add_error("tot", "Kies een periode van hoogstens een jaar.")
        return gegevens


@verwerking("urenregistratie")
def werkplek(request, pk):
    vereist_recht(request.user, "werkplekken_zien")
    plek = get_object_or_404(Werkplek.objects.zichtbaar_voor(request.user), pk=pk)
    vandaag = timezone.localdate()
    standaard = {"van": vandaag - timedelta(days=27), "tot": vandaag}
    form = PeriodeForm(request.GET or None, initial=standaard)
    periode = form.cleaned_data if form.is_bound and form.is_valid() else standaard
    regels = []
    if not form.is_bound or form.is_valid():
        plaatsingen = Plaatsing.objects.zichtbaar_voor(request.user).filter(
            Q(einddatum__isnull=True) | Q(einddatum__gte=periode["van"]),
            werkplek=plek,
            startdatum__lte=periode["tot"],
        )
        regels = aanwezigheid(plaatsingen=plaatsingen, werkplek=plek, user=request.user, **periode)
        log_toegang(request, [r.deelnemer for r in regels], AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        "trajecten/aanwezigheid.html",
        {
            "werkplek": plek,
            "form": form,
            "regels": regels,
            "periode": periode,
            "soorten": Urenregistratie.Soort.choices,
        },
    )
