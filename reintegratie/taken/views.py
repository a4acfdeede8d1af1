"""Tasks: "Mijn taken", a task by hand from the dossier, finishing one with one click,
another owner or date, and handing a caseload over."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from deelnemers.models import Deelnemer
from deelnemers.selectors import dossier_queryset
from deelnemers.views.dossier import _render_dossier
from reintegratie.access import (
    Handeling,
    deelnemer_voor_view,
    log_toegang,
    toegang_van,
    vereist_recht,
)
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum as datumtekst

from . import overdracht, selectors, services
from .forms import OverdrachtForm, TaakForm, TaakWijzigenForm
from .models import Taak

PAGINA_GROOTTE = 50


def _taak_voor_view(request, pk) -> Taak:
    """The task ``pk`` if the user may read it and act on it: its owner, or who writes the
    participant's journal; else 404."""
    taak = get_object_or_404(
        Taak.objects.zichtbaar_voor(request.user).select_related("deelnemer", "eigenaar"), pk=pk
    )
    if taak.eigenaar_id != request.user.pk and not toegang_van(request.user, taak.deelnemer).mag(
        Handeling.JOURNAAL_SCHRIJVEN
    ):
        raise Http404("Geen taak gevonden.")
    return taak


def _terug(request, taak) -> str:
    """Back where the user came from (the start page, Mijn taken), else the dossier."""
    volgende = request.POST.get("volgende") or request.GET.get("volgende") or ""
    # A path on this site only: no other host, and nothing redirect() would read as a name.
    if volgende.startswith("/") and url_has_allowed_host_and_scheme(
        volgende, {request.get_host()}, request.is_secure()
    ):
        return volgende
    return f"{taak.deelnemer.get_absolute_url()}#kop-taken"


@verwerking("taken")
def mijn_taken(request):
    vereist_recht(request.user, "taken_hebben")
    pagina = Paginator(selectors.mijn_open_taken(request.user), PAGINA_GROOTTE).get_page(
        request.GET.get("pagina")
    )
    log_toegang(request, [t.deelnemer for t in pagina.object_list], AuditRecord.Actie.IN_LIJST)
    return render(request, "taken/mijn.html", {"pagina": pagina})


@verwerking("taken")
@require_POST
def nieuw(request, pk):
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.JOURNAAL_SCHRIJVEN)
    form = TaakForm(request.POST, gebruiker=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                taak = services.maak_taak(
                    deelnemer=deelnemer, door=request.user, **form.cleaned_data
                )
                log_toegang(request, deelnemer, AuditRecord.Actie.AANGEMAAKT, "taak")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(
                request,
                f"De taak voor {taak.eigenaar.get_full_name() or taak.eigenaar} is gemaakt.",
            )
            return redirect(f"{deelnemer.get_absolute_url()}#kop-taken")
    deelnemer = deelnemer_voor_view(request, pk, queryset=dossier_queryset(request.user))
    return _render_dossier(request, deelnemer, taak_form=form)


@verwerking("taken")
@require_POST
def afronden(request, pk):
    """One click: the task is done. An empty POST (no ``afgerond``) changes nothing; a second
    click, or a colleague's at the same moment, keeps the first."""
    taak = _taak_voor_view(request, pk)
    if request.POST.get("afgerond", "ja") != "ja":
        return HttpResponseBadRequest("Onbekende waarde voor afgerond.")
    if request.POST.get("afgerond") == "ja":
        taak = services.rond_af(taak=taak, door=request.user)
        log_toegang(request, taak.deelnemer, AuditRecord.Actie.GEWIJZIGD, "taak afgerond")
    if request.htmx:
        return render(request, "taken/_taak_rij.html", {"taak": taak, "afgerond_nu": True})
    if taak.afgerond_op:
        messages.success(request, f"Afgerond: {taak.omschrijving}")
    return HttpResponseRedirect(_terug(request, taak))


@verwerking("taken")
@require_http_methods(["GET", "POST"])
def wijzigen(request, pk):
    taak = _taak_voor_view(request, pk)
    form = TaakWijzigenForm(
        request.POST or None,
        gebruiker=request.user,
        initial={"eigenaar": taak.eigenaar_id, "vervaldatum": taak.vervaldatum},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                taak = services.wijzig_taak(taak=taak, **form.cleaned_data)
                log_toegang(request, taak.deelnemer, AuditRecord.Actie.GEWIJZIGD, "taak")
        except ValidationError as fout:
            _fouten_bij_velden(form, fout)
        else:
            messages.success(
                request,
                f"De taak staat op naam van {taak.eigenaar.get_full_name() or taak.eigenaar}, "
                f"uiterlijk {datumtekst(taak.vervaldatum)}.",
            )
            return HttpResponseRedirect(_terug(request, taak))
    log_toegang(request, taak.deelnemer, AuditRecord.Actie.BEKEKEN, "taak")
    return render(
        request,
        "taken/wijzigen.html",
        {"form": form, "taak": taak, "volgende": request.GET.get("volgende", "")},
    )


def _fouten_bij_velden(form, fout: ValidationError) -> None:
    """A service's error at its field when the form has it, else above the form."""
    if hasattr(fout, "error_dict"):
        for veld, lijst in fout.error_dict.items():
            form.add_error(veld if veld in form.fields else None, lijst)
    else:
        form.add_error(None, fout)


@verwerking("caseload_overdragen")
@require_http_methods(["GET", "POST"])
def overdragen(request):
    """The klantmanager hands the chosen participants of his caseload (or all of it) to a
    colleague klantmanager; one log record per participant, a journal note on each file."""
    vereist_recht(request.user, "caseload_overdragen")
    caseload = Deelnemer.objects.zichtbaar_voor(request.user).met_klantmanager_van(request.user)
    form = OverdrachtForm(
        request.POST or None,
        gebruiker=request.user,
        caseload=caseload.order_by("achternaam", "voornaam", "pk"),
        initial={"deelnemers": request.GET.getlist("deelnemers")[:1000]},
    )
    if request.method == "POST" and form.is_valid():
        gegevens = form.cleaned_data
        ids = (
            list(caseload.values_list("pk", flat=True))
            if gegevens["alles"]
            else [d.pk for d in gegevens["deelnemers"]]
        )
        try:
            with transaction.atomic():
                deelnemers = overdracht.draag_over(
                    van=request.user, naar=gegevens["naar"], deelnemer_ids=ids, door=request.user
                )
                log_toegang(
                    request,
                    deelnemers,
                    AuditRecord.Actie.GEWIJZIGD,
                    f"overgedragen aan {gegevens['naar']}",
                )
        except ValidationError as fout:
            _fouten_bij_velden(form, fout)
        else:
            messages.success(
                request,
                f"{len(deelnemers)} deelnemer(s) overgedragen aan {gegevens['naar']}, met hun "
                "open taken.",
            )
            return redirect(reverse("deelnemers:lijst"))
    return render(request, "taken/overdragen.html", {"form": form})
