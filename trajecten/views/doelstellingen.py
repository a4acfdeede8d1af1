"""Programme targets: target, realised and the trend per month, with exports."""

from dateutil.relativedelta import relativedelta
from django.shortcuts import render
from django.utils import timezone

from reintegratie import rapport
from reintegratie.access import vereist_recht
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum as datumtekst

from .. import doelstellingen
from ..forms import RapportFilterForm


def _standaard():
    """The last twelve months, this one included."""
    vandaag = timezone.localdate()
    return {"van": vandaag.replace(day=1) - relativedelta(months=11), "tot": vandaag}


@verwerking("sturing")
def rapport_doelstellingen(request):
    vereist_recht(request.user, "rapportages_zien")
    form = RapportFilterForm({**_standaard(), **request.GET.dict()})
    context = {"form": form}
    if form.is_valid():
        gegevens = form.cleaned_data
        vandaag = timezone.localdate()
        metingen = doelstellingen.doelstellingen_meten(
            user=request.user,
            van=gegevens["van"],
            tot=gegevens["tot"],
            filters=form.filters,
            vandaag=vandaag,
        )
        onderdelen = doelstellingen.onderdelen(metingen)
        kop = [
            f"Periode {datumtekst(gegevens['van'])} tot en met {datumtekst(gegevens['tot'])}, "
            f"gemeten op {datumtekst(vandaag)}",
            *form.beschrijving(),
        ]
        formaat = request.GET.get("formaat")
        if formaat in rapport.FORMATEN:
            return rapport.export(
                formaat=formaat,
                naam=f"doelstellingen-{gegevens['van']:%Y%m%d}-{gegevens['tot']:%Y%m%d}",
                titel="Programmadoelstellingen",
                kop=kop,
                onderdelen=onderdelen,
                organisatie=request.user.organisatie,
            )
        context.update(
            onderdelen=onderdelen,
            kop=kop,
            querystring=rapport.querystring_zonder(request, "formaat"),
        )
    return render(request, "trajecten/doelstellingen.html", context)
