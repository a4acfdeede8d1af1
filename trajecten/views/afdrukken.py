"""Printing in batches: the plans and reports due this week as a list, and as one PDF that a
task worker makes while the page shows its progress."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reintegratie.access import log_toegang, vereist_recht
from reintegratie.afdrukken import services
from reintegratie.afdrukken.models import Afdrukopdracht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking

from .. import afdrukken
from ..weekrooster import maandag_van


@verwerking("afdrukken")
def deze_week(request):
    """What the batch of this week holds, with a link to each document."""
    vereist_recht(request.user, "afdrukken")
    maandag = maandag_van(timezone.localdate())
    plannen, rapportages = (list(d) for d in afdrukken.deze_week(request.user, maandag))
    log_toegang(
        request,
        afdrukken.deelnemers(*plannen, *rapportages),
        AuditRecord.Actie.IN_LIJST,
        "deze week",
    )
    return render(
        request,
        "trajecten/afdrukken_week.html",
        {
            "maandag": maandag,
            "zondag": maandag + timedelta(days=6),
            "plannen": plannen,
            "rapportages": rapportages,
            "max_documenten": afdrukken.MAX_DOCUMENTEN,
        },
    )


@require_POST
@verwerking("afdrukken")
def deze_week_pdf(request):
    """Ask for the plans and reports of :func:`deze_week` as one PDF, plans first; the page of
    the batch shows how far it is. A batch of this week that still runs is shown again."""
    vereist_recht(request.user, "afdrukken")
    maandag = maandag_van(timezone.localdate())
    plannen, rapportages = afdrukken.deze_week(request.user, maandag)
    plannen = list(plannen.values_list("pk", flat=True))
    rapportages = list(rapportages.values_list("pk", flat=True))
    if not plannen and not rapportages:
        messages.info(request, "Er zijn deze week geen plannen of rapportages om af te drukken.")
        return redirect("afdrukken_week")
    opdracht, _ = services.starten(
        gebruiker=request.user,
        soort=Afdrukopdracht.Soort.DEZE_WEEK,
        periode=maandag,
        inhoud={"plannen": plannen, "rapportages": rapportages},
        totaal=len(plannen) + len(rapportages),
    )
    return redirect("afdrukopdracht", pk=opdracht.pk)


def _opdracht(request, pk):
    """The user's own batch, with the right its kind takes; logged as the processing that
    kind serves (a meeting pack as the partner meeting, not as the week's printing)."""
    opdracht = get_object_or_404(
        Afdrukopdracht.objects.zichtbaar_voor(request.user).defer("pdf"), pk=pk
    )
    vereist_recht(request.user, opdracht.recht)
    request.verwerking = opdracht.verwerking
    return opdracht


@verwerking("afdrukken")
def opdracht(request, pk):
    """How far the batch is; htmx asks for the progress again until it is done or failed."""
    opdracht = _opdracht(request, pk)
    template = "afdrukken/opdracht.html"
    if request.htmx:
        template += "#voortgang"
    return render(
        request,
        template,
        {"opdracht": opdracht, "bewaar_uren": settings.AFDRUKKEN_BEWAAR_UREN},
    )


@verwerking("afdrukken")
def opdracht_pdf(request, pk):
    """The finished PDF, to the user who asked for it; every download is logged."""
    opdracht = _opdracht(request, pk)
    if opdracht.status != Afdrukopdracht.Status.KLAAR:
        return redirect("afdrukopdracht", pk=opdracht.pk)
    inhoud = Afdrukopdracht.objects.values_list("pdf", flat=True).get(pk=opdracht.pk)
    log_toegang(request, list(opdracht.deelnemers.all()), AuditRecord.Actie.AFGEDRUKT, "batch")
    response = HttpResponse(bytes(inhoud), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{opdracht.bestandsnaam}"'
    return response
