"""Printing in batches: the plans and reports due this week, as a list and as one PDF."""

import logging
from datetime import timedelta

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from reintegratie.access import log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.pdf import PdfFout, render_batch

from .. import rapportage as gegevens_van
from ..models import Leerdoel, PlanVanAanpak, Voortgangsrapportage
from ..weekrooster import maandag_van

logger = logging.getLogger(__name__)

MAX_DOCUMENTEN = 200


def _deze_week(user):
    """This week's Monday; the plans drawn up or signed this week and the progress reports of
    this week that ``user`` may see, by participant. The list and the PDF both start here, so
    the list shows what the PDF will hold."""
    maandag = maandag_van(timezone.localdate())
    week = (maandag, maandag + timedelta(days=6))
    volgorde = ("traject__deelnemer__achternaam", "traject__deelnemer__voornaam", "traject_id")
    plannen = (
        PlanVanAanpak.objects.zichtbaar_voor(user)
        .filter(Q(opgesteld_op__range=week) | Q(ondertekend_op__range=week))
        .select_related("traject__deelnemer")
        .order_by(*volgorde, "versie")
    )
    rapportages = (
        Voortgangsrapportage.objects.zichtbaar_voor(user)
        .filter(opgesteld_op__range=week)
        .select_related("traject__deelnemer")
        .order_by(*volgorde, "periode_tot", "pk")
    )
    return maandag, plannen, rapportages


def _deelnemers(*documenten):
    """Each participant once, for the audit log."""
    return list({d.traject.deelnemer_id: d.traject.deelnemer for d in documenten}.values())


@verwerking("afdrukken")
def deze_week(request):
    """What the batch of this week holds, with a link to each document."""
    vereist_recht(request.user, "afdrukken")
    maandag, plannen, rapportages = _deze_week(request.user)
    plannen, rapportages = list(plannen[:MAX_DOCUMENTEN]), list(rapportages[:MAX_DOCUMENTEN])
    log_toegang(
        request, _deelnemers(*plannen, *rapportages), AuditRecord.Actie.IN_LIJST, "deze week"
    )
    return render(
        request,
        "trajecten/afdrukken_week.html",
        {
            "maandag": maandag,
            "zondag": maandag + timedelta(days=6),
            "plannen": plannen,
            "rapportages": rapportages,
            "max_documenten": MAX_DOCUMENTEN,
        },
    )


@verwerking("afdrukken")
def deze_week_pdf(request):
    """The plans and reports of :func:`deze_week` as one PDF, plans first."""
    vereist_recht(request.user, "afdrukken")
    maandag, plannen, rapportages = _deze_week(request.user)
    plannen = list(
        plannen.select_related("traject__trajecttype", "traject__aanbieder")
        .select_related("traject__klantmanager", "opgesteld_door", "ondertekening_vastgelegd_door")
        .prefetch_related(
            Prefetch("leerdoelen", queryset=Leerdoel.objects.zichtbaar_voor(request.user)),
            "traject__fasen__fasetype",
        )[:MAX_DOCUMENTEN]
    )
    rapportages = list(
        rapportages.select_related("traject__trajecttype", "traject__aanbieder")
        .select_related("opgesteld_door", "gewijzigd_door")
        .prefetch_related("leerdoelen__leerdoel", "traject__fasen__fasetype")[:MAX_DOCUMENTEN]
    )
    if not plannen and not rapportages:
        messages.info(request, "Er zijn deze week geen plannen of rapportages om af te drukken.")
        return redirect("afdrukken_week")
    afgedrukt_op = timezone.localtime()

    def documenten():
        for plan in plannen:
            yield (
                "pdf/plan_van_aanpak.html",
                {
                    "traject": plan.traject,
                    "plan": plan,
                    "deelnemer": plan.traject.deelnemer,
                    "afgedrukt_op": afgedrukt_op,
                },
            )
        for rapportage in rapportages:
            traject = rapportage.traject
            yield (
                "pdf/voortgangsrapportage.html",
                {
                    "traject": traject,
                    "rapportage": rapportage,
                    "intern": False,
                    "afgedrukt_op": afgedrukt_op,
                    **gegevens_van.gegevens(
                        traject=traject,
                        van=rapportage.periode_van,
                        tot=rapportage.periode_tot,
                        lezer=request.user,
                    ),
                },
            )

    try:
        inhoud = render_batch(documenten())
    except PdfFout as fout:
        logger.exception("Afdrukken van deze week mislukt")
        messages.error(request, f"Het PDF-bestand is niet gemaakt. {fout}")
        return redirect("afdrukken_week")
    log_toegang(request, _deelnemers(*plannen, *rapportages), AuditRecord.Actie.AFGEDRUKT, "batch")
    response = HttpResponse(inhoud, content_type="application/pdf")
    # The ISO week, as the page shows it (%W counts weeks differently and was one behind).
    jaar, week, _ = maandag.isocalendar()
    response["Content-Disposition"] = f'inline; filename="afdrukken-week-{jaar}-{week:02d}.pdf"'
    return response
