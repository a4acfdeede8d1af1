"""The week grid of a workplace: the trajectbegeleider's daily hour logging."""

from datetime import date, datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reintegratie.access import log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from werkplekken.models import Werkplek

from .. import services
from ..forms import ObservatieForm, WeekForm
from ..models import Observatie, Werknemersvaardigheid
from ..weekrooster import lees_rooster, maandag_van


def _maandag(request) -> date:
    """The Monday of ``?week=2026-11-23`` (any day of that week), else of this week."""
    try:
        dag = datetime.strptime(request.GET.get("week", ""), "%Y-%m-%d").date()
    except ValueError:
        dag = timezone.localdate()
    return maandag_van(dag)


def _rooster(request, pk):
    """The workplace (within the user's scope, else 404), the week's Monday, and its grid."""
    vereist_recht(request.user, "weekrooster")
    werkplek = get_object_or_404(
        Werkplek.objects.zichtbaar_voor(request.user).select_related("organisatie"), pk=pk
    )
    maandag = _maandag(request)
    return werkplek, maandag, lees_rooster(werkplek=werkplek, maandag=maandag, user=request.user)


@require_http_methods(["GET", "POST"])
def week(request, pk):
    werkplek, maandag, rooster = _rooster(request, pk)
    deelnemers = [rij.deelnemer for rij in rooster.rijen]
    form = WeekForm(request.POST or None, rooster=rooster)
    standaard = request.POST.get("standaard")
    if standaard:
        # Fill a standard day for everyone, not saved yet: the user corrects, then saves.
        dag = datetime.strptime(standaard, "%Y%m%d").date()
        waarden, leeg = form.met_standaarddag(dag)
        form = WeekForm(initial=waarden, rooster=rooster)
        messages.info(request, f"Standaarddag ingevuld voor {dag:%d-%m}. Nog niet opgeslagen.")
        if leeg:
            messages.warning(
                request,
                f"Niet ingevuld voor {', '.join(leeg)}: het budget van de fase of het "
                "urenplafond van het traject is bereikt.",
            )
    elif request.method == "POST" and form.is_valid():
        try:
            aantal = services.week_opslaan(
                werkplek=werkplek,
                maandag=maandag,
                invoer=form.cleaned_data["invoer"],
                door=request.user,
                reden=form.cleaned_data["reden"],
            )
        except services.WeekFouten as fout:
            form.fouten_van_service(fout.fouten)
        else:
            log_toegang(request, deelnemers, AuditRecord.Actie.GEWIJZIGD, "weekrooster")
            messages.success(
                request,
                f"Week opgeslagen: {aantal} wijziging{'en' if aantal != 1 else ''}."
                if aantal
                else "Er was niets gewijzigd.",
            )
            return redirect(f"{reverse('werkplekken:week', args=[pk])}?week={maandag:%Y-%m-%d}")
    log_toegang(request, deelnemers, AuditRecord.Actie.IN_LIJST, "weekrooster")
    return render(
        request,
        "trajecten/week.html",
        {
            "rooster": rooster,
            "form": form,
            "rijen": _rijen_met_velden(rooster, form),
            "vandaag": timezone.localdate(),
        },
    )


def _rijen_met_velden(rooster, form):
    """Each row with, per day, its cell and the bound fields (or None for a closed cell)."""
    for rij in rooster.rijen:
        cellen = []
        for cel in rij.cellen:
            naam = WeekForm.celnaam(rij, cel)
            if f"u_{naam}" in form.fields:
                cellen.append((cel, form[f"u_{naam}"], form[f"s_{naam}"]))
            else:
                cellen.append((cel, None, None))
        yield rij, cellen


@require_http_methods(["GET", "POST"])
def observaties(request, pk):
    """Per participant per week: a score on each werknemersvaardigheid and a remark."""
    werkplek, maandag, rooster = _rooster(request, pk)
    deelnemers = [rij.deelnemer for rij in rooster.rijen]
    bestaand = {
        o.deelnemer_id: o
        for o in Observatie.objects.filter(
            werkplek=werkplek, week=maandag, deelnemer__in=deelnemers
        )
    }
    forms = [
        ObservatieForm(
            request.POST if request.method == "POST" else None,
            prefix=f"d{d.pk}",
            instance=bestaand.get(d.pk) or Observatie(deelnemer=d),
        )
        for d in deelnemers
    ]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        aantal = services.observaties_opslaan(
            werkplek=werkplek, maandag=maandag, forms=forms, door=request.user
        )
        log_toegang(request, deelnemers, AuditRecord.Actie.GEWIJZIGD, "observaties")
        messages.success(request, f"Observaties opgeslagen voor {aantal} deelnemer(s).")
        return redirect(f"{reverse('werkplekken:observaties', args=[pk])}?week={maandag:%Y-%m-%d}")
    log_toegang(request, deelnemers, AuditRecord.Actie.IN_LIJST, "observaties")
    return render(
        request,
        "trajecten/observaties.html",
        {
            "rooster": rooster,
            "rijen": list(zip(deelnemers, forms, strict=True)),
            "vaardigheden": Werknemersvaardigheid,
            "vandaag": timezone.localdate(),
        },
    )
