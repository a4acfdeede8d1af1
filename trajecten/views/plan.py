"""The plan van aanpak: write and revise per version, sign, print as PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from reintegratie.access import (
    Categorie,
    Handeling,
    heeft_recht,
    log_toegang,
    traject_voor_view,
    vereist,
    vereist_recht,
)
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.pdf import render_to_pdf

from .. import services
from ..forms import LeerdoelFormSet, OndertekenForm, PlanForm
from ..models import Leerdoel


def _plannen(traject, user):
    """The trajectory's plan versions; the leerdoelen as far as ``user`` reads them."""
    return list(
        traject.plannen.select_related("opgesteld_door", "ondertekening_vastgelegd_door")
        .prefetch_related(Prefetch("leerdoelen", queryset=Leerdoel.objects.zichtbaar_voor(user)))
        .order_by("-versie")
    )


def _kies(plannen, versie):
    if versie is None:
        return plannen[0] if plannen else None
    plan = next((p for p in plannen if p.versie == versie), None)
    if plan is None:
        raise Http404("Deze versie bestaat niet.")
    return plan


def _bewerkbaar(toegang, plannen, plan) -> bool:
    """Only the latest version, while a concept, by who may write plans."""
    return (
        plan is not None
        and not plan.is_ondertekend
        and plan == plannen[0]
        and toegang.mag(Handeling.PLAN_SCHRIJVEN)
    )


def _pagina(request, traject, plannen, plan, form=None, formset=None, teken=None):
    toegang = traject.deelnemer.toegang
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.BEKEKEN, "plan van aanpak")
    return render(
        request,
        "trajecten/plan.html",
        {
            "traject": traject,
            "plannen": plannen,
            "plan": plan,
            "form": form,
            "formset": formset,
            "onderteken_form": teken or OndertekenForm(initial={"datum": timezone.localdate()}),
            "mag": toegang.sjabloon,
            "mag_bewerken": toegang.mag(Handeling.PLAN_SCHRIJVEN),
            "mag_afdrukken": heeft_recht(request.user, "afdrukken")
            and toegang.leest(Categorie.PLAN),
        },
    )


def _formulieren(request, plan):
    data = request.POST if request.method == "POST" else None
    return PlanForm(data, instance=plan), LeerdoelFormSet(data, instance=plan, prefix="doelen")


def _al_ondertekend(request, pk):
    messages.error(
        request,
        "Deze versie is ondertekend en kan niet meer worden gewijzigd; maak een nieuwe versie.",
    )
    return redirect("trajecten:plan", pk=pk)


@verwerking("plan_van_aanpak")
@require_http_methods(["GET", "POST"])
def plan(request, pk):
    traject = traject_voor_view(request, pk, actie=None, nodig=Categorie.LEERDOELEN)
    plannen = _plannen(traject, request.user)
    versie = request.GET.get("versie", "")
    huidig = _kies(plannen, int(versie) if versie.isascii() and versie.isdigit() else None)
    if not _bewerkbaar(traject.deelnemer.toegang, plannen, huidig):
        if request.method == "POST":
            return _al_ondertekend(request, pk)
        return _pagina(request, traject, plannen, huidig)
    form, formset = _formulieren(request, huidig)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                services.plan_opslaan(
                    form=form, formset=formset, wijziging=form.cleaned_data["wijziging"]
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.GEWIJZIGD, "plan")
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            messages.success(request, f"Versie {huidig.versie} is opgeslagen.")
            return redirect("trajecten:plan", pk=pk)
    return _pagina(request, traject, plannen, huidig, form, formset)


@verwerking("plan_van_aanpak")
@require_POST
def nieuwe_versie(request, pk):
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.PLAN_SCHRIJVEN)
    try:
        with transaction.atomic():
            plan = services.plan_nieuwe_versie(traject=traject, door=request.user)
            log_toegang(request, traject.deelnemer, AuditRecord.Actie.AANGEMAAKT, "plan")
    except ValidationError as fout:
        messages.error(request, " ".join(fout.messages))
    else:
        messages.success(request, f"Versie {plan.versie} is aangemaakt als concept.")
    return redirect("trajecten:plan", pk=pk)


@verwerking("plan_van_aanpak")
@require_POST
def ondertekenen(request, pk, versie):
    """The plan page's form with its signing date: what was typed is saved with the
    signature, or on a refusal shown again as typed."""
    traject = traject_voor_view(request, pk, actie=None, nodig=Handeling.PLAN_SCHRIJVEN)
    plannen = _plannen(traject, request.user)
    plan = _kies(plannen, versie)
    if not _bewerkbaar(traject.deelnemer.toegang, plannen, plan):
        return _al_ondertekend(request, pk)
    form, formset = _formulieren(request, plan)
    teken = OndertekenForm(request.POST)
    if all([form.is_valid(), formset.is_valid(), teken.is_valid()]):
        try:
            with transaction.atomic():
                services.plan_opslaan_en_ondertekenen(
                    form=form,
                    formset=formset,
                    wijziging=form.cleaned_data["wijziging"],
                    datum=teken.cleaned_data["datum"],
                    door=request.user,
                )
                log_toegang(request, traject.deelnemer, AuditRecord.Actie.GEWIJZIGD, "ondertekend")
        except ValidationError as fout:
            (teken if hasattr(fout, "error_dict") else form).add_error(None, fout)
        else:
            messages.success(
                request, f"Versie {plan.versie} is opgeslagen, ondertekend en vastgezet."
            )
            return redirect("trajecten:plan", pk=pk)
    return _pagina(request, traject, plannen, plan, form, formset, teken)


@verwerking("plan_van_aanpak")
def pdf(request, pk, versie):
    vereist_recht(request.user, "afdrukken")
    traject = traject_voor_view(request, pk, actie=None, nodig=Categorie.PLAN)
    plan = _kies(_plannen(traject, request.user), versie)
    log_toegang(request, traject.deelnemer, AuditRecord.Actie.AFGEDRUKT, f"plan v{versie}")
    _, inhoud = render_to_pdf(
        "pdf/plan_van_aanpak.html",
        {
            "traject": traject,
            "plan": plan,
            "deelnemer": traject.deelnemer,
            "afgedrukt_op": timezone.localtime(),
        },
    )
    response = HttpResponse(inhoud, content_type="application/pdf")
    naam = f"plan-van-aanpak-{traject.deelnemer.achternaam}-v{plan.versie}.pdf".replace(" ", "-")
    response["Content-Disposition"] = f'inline; filename="{naam}"'
    return response


@verwerking("plan_van_aanpak")
def werkervaringsovereenkomst(request, pk):
    """The werkervaringsovereenkomst to sign, from the trajectory and its current placement."""
    vereist_recht(request.user, "afdrukken")
    traject = traject_voor_view(request, pk, actie=None, nodig=Categorie.CONTACT)
    vereist(traject.deelnemer.toegang, Categorie.TRAJECT)
    log_toegang(
        request, traject.deelnemer, AuditRecord.Actie.AFGEDRUKT, "werkervaringsovereenkomst"
    )
    plaatsing = (
        traject.plaatsingen.select_related("werkplek__organisatie", "werkplek__begeleider")
        .order_by("-startdatum")
        .first()
    )
    _, inhoud = render_to_pdf(
        "pdf/werkervaringsovereenkomst.html",
        {
            "traject": traject,
            "deelnemer": traject.deelnemer,
            "plaatsing": plaatsing,
            "afgedrukt_op": timezone.localtime(),
        },
    )
    response = HttpResponse(inhoud, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="werkervaringsovereenkomst-{pk}.pdf"'
    return response
