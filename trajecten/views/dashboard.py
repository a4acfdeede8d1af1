"""The manager's dashboard: counted in trajecten.dashboard, kept five minutes, exportable."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reintegratie import rapport
from reintegratie.access import vereist_recht
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum_tijd

from .. import dashboard as berekening


@verwerking("sturing")
def dashboard(request, **extra):
    """``extra``: what the start page adds around the figures (reintegratie/views.py)."""
    vereist_recht(request.user, "rapportages_zien")
    context = berekening.cijfers(request.user)
    formaat = request.GET.get("formaat")
    if formaat in rapport.FORMATEN:
        return rapport.export(
            formaat=formaat,
            naam=f"dashboard-{context['berekend_op']:%Y%m%d-%H%M}",
            titel=f"Dashboard {request.user.organisatie}",
            kop=[f"Geteld op {datum_tijd(timezone.localtime(context['berekend_op']))}"],
            onderdelen=context["onderdelen"],
            organisatie=request.user.organisatie,
        )
    return render(request, "trajecten/dashboard.html", context | extra)


@verwerking("sturing")
@require_POST
def opnieuw_tellen(request):
    vereist_recht(request.user, "rapportages_zien")
    berekening.opnieuw_tellen(request.user)
    return redirect("start")
