"""The week grid of a workplace: the trajectbegeleider's daily hour logging."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from reintegratie.access import heeft_recht, log_toegang, vereist_recht
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.templatetags.opmaak import datum_kort
from werkplekken.models import Werkplek

from .. import services
from ..forms import ObservatieForm, WeekForm
from ..models import Observatie, Werknemersvaardigheid
from ..weekrooster import lees_rooster, maandag_van

EERSTE_DAG = date(2000, 1, 1)  # no trajectory here is older; earlier is a typo or a probe
WEEK_ONGELDIG = "Deze week kan niet worden getoond. U ziet nu de huidige week."


class WeekKeuzeForm(forms.Form):
    """``?week=2026-11-23``: any day of the week, from 2000 to a year ahead.

    Outside that range the week arithmetic (the previous and next week) would overflow at the
    ends of the calendar, and no registration is that old or that far ahead anyway."""

    week = forms.DateField(input_formats=["%Y-%m-%d"])

    def clean_week(self):
        dag = self.cleaned_data["week"]
        if not EERSTE_DAG <= dag <= timezone.localdate() + relativedelta(years=1):
            raise ValidationError("Buiten het bereik.")
        return dag


class StandaardDagForm(forms.Form):
    """The standard day button: ``standaard=20261123``, a day of the week shown."""

    standaard = forms.DateField(
        input_formats=["%Y%m%d"],
        error_messages={
            "required": "Kies een geldige dag voor de standaarddag.",
            "invalid": "Kies een geldige dag voor de standaarddag.",
        },
    )

    def __init__(self, *args, dagen, **kwargs):
        super().__init__(*args, **kwargs)
        self.dagen = dagen

    def clean_standaard(self):
        dag = self.cleaned_data["standaard"]
        if dag not in self.dagen:
            raise ValidationError("De standaarddag moet een dag van de getoonde week zijn.")
        return dag


def _maandag(request) -> tuple[date, bool]:
    """The Monday of ``?week=2026-11-23`` (any day of that week), else of this week; and
    whether a ``week`` that was asked for could be shown (with a message when not)."""
    if not request.GET.get("week"):
        return maandag_van(timezone.localdate()), True
    form = WeekKeuzeForm(request.GET)
    if form.is_valid():
        return maandag_van(form.cleaned_data["week"]), True
    return maandag_van(timezone.localdate()), False


def _rooster(request, pk):
    """The workplace (within the user's scope, else 404), the week's Monday, its grid, and
    whether the request may be handled: a POST for a week that cannot be shown is not
    saved, neither here nor for this week instead (the user meant another week)."""
    vereist_recht(request.user, "weekrooster")
    werkplek = get_object_or_404(
        Werkplek.objects.zichtbaar_voor(request.user).select_related("organisatie"), pk=pk
    )
    maandag, geldig = _maandag(request)
    if not geldig:
        niets = " Er is niets opgeslagen." if request.method == "POST" else ""
        messages.warning(request, WEEK_ONGELDIG + niets)
    rooster = lees_rooster(werkplek=werkplek, maandag=maandag, user=request.user)
    return werkplek, maandag, rooster, geldig


@verwerking("urenregistratie")
@require_http_methods(["GET", "POST"])
def week(request, pk):
    werkplek, maandag, rooster, geldig = _rooster(request, pk)
    deelnemers = [rij.deelnemer for rij in rooster.rijen]
    post = request.POST if request.method == "POST" and geldig else None
    form = WeekForm(post, rooster=rooster)
    if post is not None and "standaard" in post:
        # Fill a standard day for everyone, not saved yet: the user corrects, then saves.
        keuze = StandaardDagForm(post, dagen=rooster.dagen)
        if keuze.is_valid():
            dag = keuze.cleaned_data["standaard"]
            waarden, leeg = form.met_standaarddag(dag)
            form = WeekForm(initial=waarden, rooster=rooster)
            messages.info(
                request, f"Standaarddag ingevuld voor {datum_kort(dag)}. Nog niet opgeslagen."
            )
            if leeg:
                messages.warning(
                    request,
                    f"Niet ingevuld voor {', '.join(leeg)}: het budget van de fase of het "
                    "urenplafond van het traject is bereikt.",
                )
        else:
            # What was typed stays on the page, unsaved and without cell errors.
            messages.error(request, keuze.errors["standaard"][0])
            form = WeekForm(initial=form.getypte_waarden(), rooster=rooster)
    elif post is not None:
        goed_getypt = form.is_valid()
        try:
            aantal = services.week_opslaan(
                werkplek=werkplek,
                maandag=maandag,
                invoer=form.cleaned_data.get("invoer", {}),
                door=request.user,
                reden=form.cleaned_data.get("reden", ""),
                # With cells typed wrong, the rest is still checked: one round of errors.
                alleen_controleren=not goed_getypt,
            )
        except services.WeekFouten as fout:
            form.fouten_van_service(fout.fouten)
        if goed_getypt and not form.errors:
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
            # A locked day is shown to all, editable for who may correct it (not sent else).
            "mag_vergrendeld": heeft_recht(request.user, "vergrendelde_uren_corrigeren"),
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


@verwerking("urenregistratie")
@require_http_methods(["GET", "POST"])
def observaties(request, pk):
    """Per participant per week: a score on each werknemersvaardigheid and a remark."""
    werkplek, maandag, rooster, geldig = _rooster(request, pk)
    deelnemers = [rij.deelnemer for rij in rooster.rijen]
    post = request.POST if request.method == "POST" and geldig else None
    bestaand = {
        o.deelnemer_id: o
        for o in Observatie.objects.filter(
            werkplek=werkplek, week=maandag, deelnemer__in=deelnemers
        )
    }
    formulieren = [
        ObservatieForm(
            post,
            prefix=f"d{d.pk}",
            instance=bestaand.get(d.pk) or Observatie(deelnemer=d),
        )
        for d in deelnemers
    ]
    if post is not None and all(f.is_valid() for f in formulieren):
        try:
            aantal = services.observaties_opslaan(
                werkplek=werkplek, maandag=maandag, forms=formulieren, door=request.user
            )
        except services.ObservatiesGewijzigd as fout:
            _gelijktijdig_gewijzigd(
                formulieren, fout.deelnemers, werkplek=werkplek, maandag=maandag
            )
        else:
            log_toegang(request, deelnemers, AuditRecord.Actie.GEWIJZIGD, "observaties")
            messages.success(request, f"Observaties opgeslagen voor {aantal} deelnemer(s).")
            week = f"?week={maandag:%Y-%m-%d}"
            return redirect(reverse("werkplekken:observaties", args=[pk]) + week)
    log_toegang(request, deelnemers, AuditRecord.Actie.IN_LIJST, "observaties")
    return render(
        request,
        "trajecten/observaties.html",
        {
            "rooster": rooster,
            "rijen": list(zip(deelnemers, formulieren, strict=True)),
            "vaardigheden": Werknemersvaardigheid,
            "vandaag": timezone.localdate(),
        },
    )


def _gelijktijdig_gewijzigd(formulieren, deelnemers, *, werkplek, maandag):
    """Nothing was saved; say so at each row someone else saved meanwhile. What was typed
    stays on the page, now against the version saved since: saving again (after a look)
    replaces it, knowingly."""
    nu = dict(
        Observatie.objects.filter(
            deelnemer__in=deelnemers, werkplek=werkplek, week=maandag
        ).values_list("deelnemer_id", "wijziging")
    )
    ids = {d.pk for d in deelnemers}
    for form in formulieren:
        deelnemer_id = form.instance.deelnemer_id
        if deelnemer_id not in ids:
            continue
        form.add_error(
            None,
            "Iemand anders heeft deze observatie intussen opgeslagen; er is niets opgeslagen. "
            "Uw invoer staat er nog: kijk wat er nu staat en sla opnieuw op.",
        )
        data = form.data.copy()
        data[form.add_prefix("wijziging")] = nu.get(deelnemer_id, "")
        form.data = data
