"""The manager's dashboard: served from a five-minute cache per organisation, exportable."""

from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from reintegratie import rapport
from reintegratie.access import vereist_recht

from .. import dashboard as berekening

BEWAARTIJD = 300


def _sleutel(user):
    return f"dashboard:{user.organisatie_id}:{timezone.localdate():%Y%m%d}"


def cijfers(user):
    """The dashboard's sections and when they were counted.

    Counting everything an organisation is involved in takes a few hundred milliseconds at
    100,000 participants, so the result is kept five minutes per organisation (the page
    says when it was counted, and a manager can count again).
    """

    def tellen():
        return {
            "onderdelen": berekening.dashboard(user=user, vandaag=timezone.localdate()),
            "berekend_op": timezone.localtime(),
        }

    return cache.get_or_set(_sleutel(user), tellen, BEWAARTIJD)


def dashboard(request):
    vereist_recht(request.user, "rapportages_zien")
    context = cijfers(request.user)
    formaat = request.GET.get("formaat")
    if formaat in rapport.FORMATEN:
        return rapport.export(
            formaat=formaat,
            naam=f"dashboard-{context['berekend_op']:%Y%m%d-%H%M}",
            titel=f"Dashboard {request.user.organisatie}",
            kop=[f"Geteld op {context['berekend_op']:%d-%m-%Y %H:%M}"],
            onderdelen=context["onderdelen"],
            organisatie=request.user.organisatie,
        )
    return render(request, "trajecten/dashboard.html", context)


@require_POST
def opnieuw_tellen(request):
    vereist_recht(request.user, "rapportages_zien")
    cache.delete(_sleutel(request.user))
    return redirect("start")
