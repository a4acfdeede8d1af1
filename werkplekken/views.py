"""Workplace pages and placing a participant on a workplace."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reintegratie.access import (
    Handeling,
    deelnemer_voor_view,
    heeft_recht,
    log_toegang,
    vereist_recht,
)
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum as datumtekst

from . import services
from .forms import PlaatsingForm
from .models import Plaatsing, Werkplek

PAGINA_GROOTTE = 50


@verwerking("plaatsing")
def lijst(request):
    vereist_recht(request.user, "werkplekken_zien")
    werkplekken = Werkplek.objects.zichtbaar_voor(request.user).select_related(
        "organisatie", "begeleider"
    )
    # PostgreSQL refuses a NUL byte in a string (it was a 500); 100 characters find any name.
    zoek = request.GET.get("q", "").replace("\x00", "").strip()[:100].strip()
    if zoek:
        werkplekken = werkplekken.filter(naam__icontains=zoek)
    pagina = Paginator(
        werkplekken.met_bezetting(timezone.localdate()).order_by("naam", "pk"), PAGINA_GROOTTE
    ).get_page(request.GET.get("pagina"))
    return render(
        request,
        "werkplekken/lijst.html",
        {"pagina": pagina, "zoek": zoek, "querystring": urlencode({"q": zoek}) if zoek else ""},
    )


@verwerking("plaatsing")
def detail(request, pk):
    vereist_recht(request.user, "werkplekken_zien")
    vandaag = timezone.localdate()
    werkplek = get_object_or_404(
        Werkplek.objects.zichtbaar_voor(request.user)
        .select_related("organisatie", "begeleider")
        .prefetch_related(
            Prefetch(
                "plaatsingen",
                queryset=Plaatsing.objects.zichtbaar_voor(request.user)
                .lopend_op(vandaag)
                .select_related("deelnemer")
                .order_by("deelnemer__achternaam"),
                to_attr="lopende_plaatsingen",
            )
        ),
        pk=pk,
    )
    log_toegang(
        request, [p.deelnemer for p in werkplek.lopende_plaatsingen], AuditRecord.Actie.IN_LIJST
    )
    return render(
        request,
        "werkplekken/detail.html",
        {
            "werkplek": werkplek,
            "vandaag": vandaag,
            "mag_weekrooster": heeft_recht(request.user, "weekrooster"),
        },
    )


@verwerking("plaatsing")
@require_http_methods(["GET", "POST"])
def plaatsing_nieuw(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.PLAATSEN)
    boven_capaciteit = heeft_recht(request.user, "boven_capaciteit_plaatsen")
    form = PlaatsingForm(
        request.POST or None,
        deelnemer=deelnemer,
        mag_terugdateren=heeft_recht(request.user, "plaatsing_terugdateren"),
        mag_boven_capaciteit=boven_capaciteit,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                plaatsing = services.plaatsing_aanmaken(
                    form=form, deelnemer=deelnemer, mag_boven_capaciteit=boven_capaciteit
                )
                # A placement opens the file to the host: say to whom, from when.
                log_toegang(
                    request,
                    deelnemer,
                    AuditRecord.Actie.AANGEMAAKT,
                    f"plaatsing bij {plaatsing.werkplek.organisatie} vanaf "
                    f"{datumtekst(plaatsing.startdatum)}"
                    + (", boven de capaciteit" if plaatsing.reden_boven_capaciteit else ""),
                )
        except ValidationError as fout:
            for veld, berichten in fout.message_dict.items():
                form.add_error(veld, berichten)
        else:
            messages.success(
                request, f"{deelnemer.naam} is geplaatst bij {plaatsing.werkplek.naam}."
            )
            return redirect("deelnemers:dossier", pk=deelnemer.pk)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    return render(
        request, "werkplekken/plaatsing_form.html", {"form": form, "deelnemer": deelnemer}
    )
