"""Groups: the list, a group with its members and sessions, a session's attendance."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from reintegratie.access import (
    Handeling,
    deelnemer_voor_view,
    handeling_scope,
    log_toegang,
    vereist_recht,
)
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum as datumtekst

from . import services
from .forms import AanwezigheidForm, GroepForm, LidForm, UitschrijvenForm, VerzettenForm
from .models import Aanwezigheid, Groep, Groepsbijeenkomst, Lidmaatschap

VERLEDEN = 6  # past sessions shown on a group's page


def _fout_bij(form, fout, andere_namen=None):
    """A service's error at the form's field of that name (or another name for it), else
    above the form: never at a field the form does not have."""
    if not hasattr(fout, "error_dict"):
        form.add_error(None, fout)
        return
    for naam, fouten in fout.message_dict.items():
        naam = (andere_namen or {}).get(naam, naam)
        form.add_error(naam if naam in form.fields else None, fouten)


def _groep(request, pk):
    vereist_recht(request.user, "groepen")
    return get_object_or_404(
        Groep.objects.zichtbaar_voor(request.user).select_related("begeleider", "werkplek"),
        pk=pk,
    )


def _bijeenkomst(request, pk):
    vereist_recht(request.user, "groepen")
    return get_object_or_404(
        Groepsbijeenkomst.objects.zichtbaar_voor(request.user).select_related(
            "groep__begeleider", "groep__werkplek"
        ),
        pk=pk,
    )


@verwerking("urenregistratie")
def lijst(request):
    vereist_recht(request.user, "groepen")
    groepen = Groep.objects.zichtbaar_voor(request.user).select_related("begeleider", "werkplek")
    return render(request, "groepen/lijst.html", {"groepen": groepen})


@verwerking("urenregistratie")
@require_http_methods(["GET", "POST"])
def nieuw(request):
    vereist_recht(request.user, "groepen")
    form = GroepForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            groep = form.save()
            services.plan_bijeenkomsten(groep=groep, door=request.user)
        messages.success(request, f"Groep {groep.naam} aangemaakt, met de bijeenkomsten gepland.")
        return redirect("groepen:detail", pk=groep.pk)
    return render(request, "groepen/nieuw.html", {"form": form})


def _leden(request, groep):
    return (
        Lidmaatschap.objects.zichtbaar_voor(request.user)
        .filter(groep=groep)
        .select_related("deelnemer")
        .order_by("einddatum", "deelnemer__achternaam", "id")
    )


@verwerking("urenregistratie")
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    """The group, its visible members and its sessions; adding a member is a POST here."""
    groep = _groep(request, pk)
    form = LidForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        deelnemer = deelnemer_voor_view(
            request, form.cleaned_data["deelnemer"].pk, actie=None, nodig=Handeling.UREN_SCHRIJVEN
        )
        try:
            with transaction.atomic():
                services.lid_toevoegen(
                    groep=groep,
                    deelnemer=deelnemer,
                    startdatum=form.cleaned_data["startdatum"],
                    door=request.user,
                )
                log_toegang(request, deelnemer, AuditRecord.Actie.GEWIJZIGD, "lid van groep")
        except ValidationError as fout:
            _fout_bij(form, fout)
        else:
            messages.success(request, f"{deelnemer.naam} is lid van {groep.naam}.")
            return redirect("groepen:detail", pk=groep.pk)
    return _toon_groep(request, groep, form)


def _toon_groep(request, groep, form, uitschrijffout=None):
    """The group's page; ``uitschrijffout`` (membership pk, message) shows at that row."""
    leden = list(_leden(request, groep))
    nu = timezone.now()
    bijeenkomsten = groep.bijeenkomsten.all()
    context = {
        "groep": groep,
        "leden": leden,
        "form": form,
        "verleden": list(bijeenkomsten.filter(begin__lt=nu).order_by("-begin")[:VERLEDEN]),
        "komend": list(bijeenkomsten.filter(begin__gte=nu)[:VERLEDEN]),
        "uitschrijven": UitschrijvenForm(initial={"einddatum": timezone.localdate()}),
        "uitschrijffout": uitschrijffout or (None, ""),
    }
    log_toegang(request, [lid.deelnemer for lid in leden], AuditRecord.Actie.IN_LIJST)
    return render(request, "groepen/detail.html", context)


@verwerking("urenregistratie")
@require_POST
def uitschrijven(request, pk):
    lid = get_object_or_404(
        Lidmaatschap.objects.zichtbaar_voor(request.user)
        .filter(groep__in=Groep.objects.zichtbaar_voor(request.user))
        .select_related("groep"),
        pk=pk,
    )
    deelnemer = deelnemer_voor_view(
        request, lid.deelnemer_id, actie=None, nodig=Handeling.UREN_SCHRIJVEN
    )
    form = UitschrijvenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for fouten in form.errors.values() for e in fouten])
        with transaction.atomic():
            services.lid_uitschrijven(lidmaatschap=lid, einddatum=form.cleaned_data["einddatum"])
            log_toegang(request, deelnemer, AuditRecord.Actie.GEWIJZIGD, "uit groep")
    except ValidationError as fout:
        groep = _groep(request, lid.groep_id)
        bericht = " ".join(fout.messages)
        return _toon_groep(request, groep, LidForm(user=request.user), (lid.pk, bericht))
    messages.success(
        request,
        f"{deelnemer.naam} is lid tot en met {datumtekst(form.cleaned_data['einddatum'])}.",
    )
    return redirect("groepen:detail", pk=lid.groep_id)


@verwerking("urenregistratie")
@require_http_methods(["GET", "POST"])
def verzetten(request, pk):
    """Move a coming session to another day or time, or cancel it."""
    bijeenkomst = _bijeenkomst(request, pk)
    begin = timezone.localtime(bijeenkomst.begin)
    form = VerzettenForm(
        request.POST or None,
        initial={
            "datum": begin.date(),
            "begintijd": begin.time(),
            "eindtijd": timezone.localtime(bijeenkomst.einde).time(),
        },
    )
    if request.method == "POST" and (request.POST.get("annuleren") or form.is_valid()):
        try:
            if request.POST.get("annuleren"):
                services.bijeenkomst_annuleren(bijeenkomst=bijeenkomst)
                melding = "Groepsbijeenkomst geannuleerd; ze is uit de agenda's van de leden."
            else:
                d = form.cleaned_data
                services.bijeenkomst_verzetten(
                    bijeenkomst=bijeenkomst,
                    begin=timezone.make_aware(datetime.combine(d["datum"], d["begintijd"])),
                    einde=timezone.make_aware(datetime.combine(d["datum"], d["eindtijd"])),
                )
                melding = "Groepsbijeenkomst verzet, ook in de agenda's van de leden."
        except ValidationError as fout:
            _fout_bij(form, fout, {"begin": "datum", "einde": "eindtijd"})
        else:
            messages.success(request, melding)
            return redirect("groepen:detail", pk=bijeenkomst.groep_id)
    return render(request, "groepen/verzetten.html", {"bijeenkomst": bijeenkomst, "form": form})


def _aanwezigen(request, bijeenkomst):
    """The members on the session's day for whom the user may record hours (the matrix)."""
    return [
        lid.deelnemer
        for lid in Lidmaatschap.objects.zichtbaar_voor(request.user)
        .lopend_op(bijeenkomst.datum)
        .filter(groep=bijeenkomst.groep)
        .filter(handeling_scope(request.user, Handeling.UREN_SCHRIJVEN, "deelnemer__"))
        .select_related("deelnemer")
        .order_by("deelnemer__achternaam", "deelnemer__voornaam", "id")
    ]


@verwerking("urenregistratie")
@require_http_methods(["GET", "POST"])
def aanwezigheid(request, pk):
    """One screen for the whole group: who came, and the hours of those present."""
    bijeenkomst = _bijeenkomst(request, pk)
    leden = _aanwezigen(request, bijeenkomst)
    bestaand = {
        a.deelnemer_id: a
        for a in Aanwezigheid.objects.zichtbaar_voor(request.user).filter(
            bijeenkomst=bijeenkomst, deelnemer__in=leden
        )
    }
    form = AanwezigheidForm(
        request.POST or None, bijeenkomst=bijeenkomst, leden=leden, bestaand=bestaand
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.aanwezigheid_opslaan(
                    bijeenkomst=bijeenkomst, regels=form.cleaned_data["regels"], door=request.user
                )
                log_toegang(request, leden, AuditRecord.Actie.GEWIJZIGD, "aanwezigheid groep")
        except services.AanwezigheidFouten as fout:
            form.fouten_van_service(fout.fouten)
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, "Aanwezigheid opgeslagen.")
            return redirect("groepen:aanwezigheid", pk=bijeenkomst.pk)
    log_toegang(request, leden, AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        "groepen/aanwezigheid.html",
        {"bijeenkomst": bijeenkomst, "form": form, "groep": bijeenkomst.groep},
    )
