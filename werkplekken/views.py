"""Workplace pages and placing a participant on a workplace."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deelnemers.models import Deelnemer
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
from trajecten.weekrooster import maandag_van

from . import matching, selectors, services
from .forms import (
    BezettingForm,
    MatchingForm,
    PlaatsingForm,
    VoorkeurenFormSet,
    WachtlijstForm,
    WerksoortForm,
)
from .models import Plaatsing, Wachtlijstplaats, Werkplek

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
def bezetting(request):
    """Occupancy over time per werksoort and workplace, past and planned: counts only."""
    vereist_recht(request.user, "werkplekken_zien")
    form = BezettingForm(request.GET or None)
    gekozen = {}
    if form.is_bound:
        form.is_valid()  # each valid choice counts; one that is not shows its error
        gekozen = form.cleaned_data
    van = gekozen.get("van") or timezone.localdate() - timedelta(weeks=selectors.BEZETTING_TERUG)
    overzicht = selectors.bezetting(
        user=request.user,
        maandag=maandag_van(van),
        werksoort=gekozen.get("werksoort", ""),
        pagina=request.GET.get("pagina"),
    )
    keuzes = {k: v for k, v in request.GET.items() if k in form.fields and k not in form.errors}
    return render(
        request,
        "werkplekken/bezetting.html",
        {"form": form, "bezetting": overzicht, "querystring": urlencode(keuzes)},
    )


@verwerking("plaatsing")
def detail(request, pk):
    vereist_recht(request.user, "werkplekken_zien")
    vandaag = timezone.localdate()
    werkplek = get_object_or_404(
        Werkplek.objects.zichtbaar_voor(request.user)
        .select_related("organisatie", "begeleider")
        .met_bezetting(vandaag)
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
    wachtlijst = selectors.wachtlijst(user=request.user, werkplek=werkplek)
    log_toegang(
        request,
        [p.deelnemer for p in werkplek.lopende_plaatsingen]
        + [w.deelnemer for w in wachtlijst if w.leesbaar],
        AuditRecord.Actie.IN_LIJST,
    )
    return render(
        request,
        "werkplekken/detail.html",
        {
            "werkplek": werkplek,
            "vandaag": vandaag,
            "wachtlijst": wachtlijst,
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
        # From "wie past waar": the workplace and start chosen there (the form checks them).
        initial={k: request.GET[k] for k in ("werkplek", "startdatum") if k in request.GET},
        deelnemer=deelnemer,
        mag_terugdateren=heeft_recht(request.user, "plaatsing_terugdateren"),
        mag_boven_capaciteit=boven_capaciteit,
    )
    vol = None
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
            # Refused for capacity (the service's only refusal): offer the waiting list.
            vol = form.cleaned_data["werkplek"]
            for veld, berichten in fout.message_dict.items():
                form.add_error(veld, berichten)
        else:
            messages.success(
                request, f"{deelnemer.naam} is geplaatst bij {plaatsing.werkplek.naam}."
            )
            return redirect("deelnemers:dossier", pk=deelnemer.pk)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    return render(
        request,
        "werkplekken/plaatsing_form.html",
        {"form": form, "deelnemer": deelnemer, "vol": vol},
    )


def _naar_plaatsingen(deelnemer):
    return redirect(f"{reverse('deelnemers:dossier', args=[deelnemer.pk])}#kop-plaatsingen")


@verwerking("plaatsing")
@require_http_methods(["GET", "POST"])
def voorkeuren(request, pk):
    """The participant's own ranked choice of workplaces or werksoorten, with the reason,
    recorded with the begeleider: the whole list on one form, first choice on top."""
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.PLAATSEN)
    opgeslagen = list(deelnemer.voorkeuren.select_related("werkplek__organisatie"))
    formset = VoorkeurenFormSet(
        request.POST if request.method == "POST" else None,
        initial=[
            {"werkplek": v.werkplek, "werksoort": v.werksoort, "reden": v.reden} for v in opgeslagen
        ],
        prefix="voorkeur",
    )
    stand = services.voorkeuren_stand(deelnemer)
    gewijzigd = None
    if request.method == "POST" and formset.is_valid():
        try:
            with transaction.atomic():
                services.voorkeuren_vastleggen(
                    deelnemer=deelnemer,
                    voorkeuren=formset.voorkeuren(),
                    door=request.user,
                    stand=request.POST.get("stand", ""),
                )
                log_toegang(request, deelnemer, AuditRecord.Actie.GEWIJZIGD, "voorkeuren")
        except ValidationError as fout:
            # A colleague saved first: what they saved is shown, what this user typed stays
            # in the form, and saving again (with the new stand) is a conscious choice.
            gewijzigd = " ".join(fout.messages)
        else:
            messages.success(request, f"De voorkeuren van {deelnemer.naam} zijn opgeslagen.")
            return _naar_plaatsingen(deelnemer)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN, "voorkeuren")
    return render(
        request,
        "werkplekken/voorkeuren.html",
        {
            "deelnemer": deelnemer,
            "formset": formset,
            "stand": stand,
            "gewijzigd": gewijzigd,
            "opgeslagen": opgeslagen,
        },
    )


@verwerking("plaatsing")
@require_http_methods(["GET", "POST"])
def wachtlijst(request, pk):
    """Put the participant on a (full) workplace's waiting list; from the placement form,
    the workplace and start it refused come along."""
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.PLAATSEN)
    form = WachtlijstForm(
        request.POST if request.method == "POST" else None,
        initial={
            "werkplek": request.GET.get("werkplek"),
            "gewenste_start": request.GET.get("start"),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                plaats = services.op_wachtlijst(
                    deelnemer=deelnemer, door=request.user, **form.cleaned_data
                )
                log_toegang(
                    request,
                    deelnemer,
                    AuditRecord.Actie.GEWIJZIGD,
                    f"op de wachtlijst van {plaats.werkplek.naam} ({plaats.werkplek.organisatie})",
                )
        except ValidationError as fout:
            for veld, berichten in fout.message_dict.items():
                form.add_error(veld, berichten)
        else:
            messages.success(
                request, f"{deelnemer.naam} staat op de wachtlijst van {plaats.werkplek.naam}."
            )
            return _naar_plaatsingen(deelnemer)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN, "wachtlijst")
    return render(
        request, "werkplekken/wachtlijst_form.html", {"form": form, "deelnemer": deelnemer}
    )


@verwerking("plaatsing")
@require_POST
def van_wachtlijst(request, pk, plaats):
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.PLAATSEN)
    wachtende = get_object_or_404(
        Wachtlijstplaats.objects.zichtbaar_voor(request.user).select_related("werkplek"),
        pk=plaats,
        deelnemer=deelnemer,
    )
    with transaction.atomic():
        if services.van_wachtlijst(plaats=wachtende):
            log_toegang(
                request,
                deelnemer,
                AuditRecord.Actie.GEWIJZIGD,
                f"van de wachtlijst van {wachtende.werkplek.naam}",
            )
            messages.success(
                request,
                f"{deelnemer.naam} staat niet meer op de wachtlijst van {wachtende.werkplek.naam}.",
            )
        else:
            messages.info(request, "Deze deelnemer stond daar al niet meer op de wachtlijst.")
    return _naar_plaatsingen(deelnemer)


@verwerking("plaatsing")
@require_GET
def wie_past_waar(request, pk):
    """For one participant, the workplaces ranked with the reasons in words: a proposal the
    klantmanager accepts (place, or put on the waiting list) or not."""
    deelnemer = deelnemer_voor_view(
        request,
        pk,
        actie=None,
        queryset=Deelnemer.objects.select_related("woongemeente"),
        nodig=Handeling.PLAATSEN,
    )
    form = MatchingForm(request.GET or None)
    vandaag = timezone.localdate()
    start = (
        form.cleaned_data.get("start") if form.is_bound and form.is_valid() else None
    ) or vandaag
    uitkomst = matching.voor_deelnemer(deelnemer=deelnemer, start=start, vandaag=vandaag)
    log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN, "wie past waar")
    return render(
        request,
        "werkplekken/wie_past_waar.html",
        {"deelnemer": deelnemer, "form": form, "matching": uitkomst},
    )


@verwerking("plaatsing")
@require_GET
def kandidaten(request, pk):
    """For one of the organisation's workplaces, who could go there: the participants the
    user may place who chose it or its werksoort, or wait for it, ranked with the reasons."""
    vereist_recht(request.user, "werkplekken_zien")
    werkplek = get_object_or_404(
        Werkplek.objects.zichtbaar_voor(request.user).select_related("organisatie"), pk=pk
    )
    uitkomst = matching.voor_werkplek(
        user=request.user, werkplek=werkplek, vandaag=timezone.localdate()
    )
    log_toegang(request, [k.deelnemer for k in uitkomst.kandidaten], AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        "werkplekken/kandidaten.html",
        {"werkplek": werkplek, "uitkomst": uitkomst},
    )


@verwerking("plaatsing")
@require_GET
def situatie(request):
    """Per workplace: who works there now and until when, who waits, who chose it; to fill
    places as they come free."""
    vereist_recht(request.user, "werkplekken_zien")
    form = WerksoortForm(request.GET or None)
    werksoort = form.cleaned_data.get("werksoort", "") if form.is_bound and form.is_valid() else ""
    blad = selectors.situatie(
        user=request.user, werksoort=werksoort, pagina=request.GET.get("pagina")
    )
    getoond = [p.deelnemer for w in blad.object_list for p in w.nu]
    getoond += [p.deelnemer for w in blad.object_list for p in w.wachtend if p.leesbaar]
    log_toegang(request, getoond, AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        "werkplekken/situatie.html",
        {
            "form": form,
            "pagina": blad,
            "querystring": urlencode({"werksoort": werksoort}) if werksoort else "",
        },
    )
