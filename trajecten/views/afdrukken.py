"""Printing in batches: all plans and reports due this week, as one PDF."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from reintegratie.access import deelnemer_scope, log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.pdf import render_to_pdf, samenvoegen

from .. import rapportage as gegevens_van
from ..models import PlanVanAanpak, Voortgangsrapportage
from ..weekrooster import maandag_van

MAX_DOCUMENTEN = 200


def deze_week(request):
    """Plans drawn up or signed this week, and the progress reports of this week."""
    vereist_recht(request.user, "afdrukken")
    maandag = maandag_van(timezone.localdate())
    week = (maandag, maandag + timedelta(days=6))
    scope = deelnemer_scope(request.user, via="traject__deelnemer__")
    plannen = (
        PlanVanAanpak.objects.filter(scope)
        .filter(Q(opgesteld_op__range=week) | Q(ondertekend_op__range=week))
        .select_related("traject__deelnemer", "traject__trajecttype", "traject__aanbieder")
        .select_related("traject__klantmanager", "opgesteld_door", "ondertekening_vastgelegd_door")
        .prefetch_related("leerdoelen", "traject__fasen__fasetype")
        .order_by("traject__deelnemer__achternaam")
    )
    rapportages = (
        Voortgangsrapportage.objects.filter(scope, opgesteld_op__range=week)
        .select_related("traject__deelnemer", "traject__trajecttype", "traject__aanbieder")
        .select_related("opgesteld_door", "gewijzigd_door")
        .prefetch_related("leerdoelen__leerdoel", "traject__fasen__fasetype")
        .order_by("traject__deelnemer__achternaam")
    )
    documenten = [*plannen[:MAX_DOCUMENTEN], *rapportages[:MAX_DOCUMENTEN]]
    if not documenten:
        messages.info(request, "Er zijn deze week geen plannen of rapportages om af te drukken.")
        return redirect("start")
    log_toegang(
        request, [d.traject.deelnemer for d in documenten], AuditRecord.Actie.AFGEDRUKT, "batch"
    )
    afgedrukt_op = timezone.localtime()

    def pdfs():
        for document in documenten:
            traject = document.traject
            if isinstance(document, PlanVanAanpak):
                context = {"traject": traject, "plan": document, "deelnemer": traject.deelnemer}
                template = "pdf/plan_van_aanpak.html"
            else:
                context = {
                    "traject": traject,
                    "rapportage": document,
                    "intern": False,
                    **gegevens_van.gegevens(
                        traject=traject, van=document.periode_van, tot=document.periode_tot
                    ),
                }
                template = "pdf/voortgangsrapportage.html"
            yield render_to_pdf(template, {**context, "afgedrukt_op": afgedrukt_op})[1]

    response = HttpResponse(samenvoegen(pdfs()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="afdrukken-week-{maandag:%Y-%W}.pdf"'
    return response
