"""The agenda: the team's week, planning and changing an appointment, recording its outcome
with one click, and the personal iCalendar feed."""

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reintegratie.access import (
    Handeling,
    deelnemer_voor_view,
    heeft_recht,
    log_toegang,
    vereist_recht,
)
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from trajecten.weekrooster import maandag_van

from . import feed as ical
from . import selectors, services
from .forms import AfspraakForm, FeedForm, MedewerkersForm, WeekForm, getal
from .models import Afspraak, Agendafeed


@verwerking("agenda")
@require_GET
def week(request):
    vereist_recht(request.user, "agenda_zien")
    form = WeekForm(request.GET or None, user=request.user)
    gekozen = {}
    if form.is_bound:
        form.is_valid()  # each valid choice counts; one that is not shows its error
        gekozen = form.cleaned_data
    maandag = maandag_van(gekozen.get("week") or timezone.localdate())
    # Without a choice the user's own agenda (when he is in the team), else the team's.
    keuze = gekozen.get("medewerker") or str(request.user.pk)
    team = selectors.team(request.user)
    if keuze not in form.team_ids:
        medewerker = None
    elif keuze == str(request.user.pk):
        medewerker = request.user
    else:
        medewerker = team.filter(pk=keuze).first()  # None if just deactivated: the team
    medewerkers = [medewerker] if medewerker else team
    agenda = selectors.week(user=request.user, maandag=maandag, medewerkers=medewerkers)
    log_toegang(request, {a.deelnemer for a in agenda.afspraken}, AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        "agenda/week.html",
        {
            "form": form,
            "agenda": agenda,
            "medewerker": medewerker,
            "mag_plannen": heeft_recht(request.user, "afspraken_plannen"),
        },
    )


def _beginwaarden(request) -> dict:
    """The form prefilled from the week view's free slot: ``datum``, ``tijd`` (an hour) and
    ``medewerker``; what does not parse is left empty."""
    waarden = {"medewerkers": [request.user.pk]}
    try:
        datum = date.fromisoformat(request.GET.get("datum", ""))
        waarden["datum"] = datum
    except ValueError:
        pass
    uur = getal(request.GET.get("uur"))
    if uur is not None and selectors.EERSTE_UUR <= uur < selectors.LAATSTE_UUR:
        waarden["begintijd"], waarden["eindtijd"] = time(uur), time(uur + 1)
    if medewerker := getal(request.GET.get("medewerker")):
        waarden["medewerkers"] = [medewerker]
    if deelnemer := getal(request.GET.get("deelnemer")):
        waarden["deelnemer"] = deelnemer
    return waarden


def _afspraakform(request, *, initial, deelnemer=None):
    """The appointment form: as posted; or, when its staff search was posted without
    JavaScript, as typed but not yet judged; or fresh from ``initial``."""
    if "_zoeken" in request.POST:
        return AfspraakForm.opnieuw(request.POST, user=request.user, deelnemer=deelnemer)
    return AfspraakForm(
        request.POST or None, user=request.user, deelnemer=deelnemer, initial=initial
    )


@verwerking("agenda")
@require_GET
def medewerkers(request):
    """The appointment form's staff checkboxes for a search, as htmx asks them."""
    vereist_recht(request.user, "afspraken_plannen")
    form = MedewerkersForm.opnieuw(request.GET, user=request.user)
    return render(request, "fragmenten/medewerkers_keuzes.html", {"veld": form["medewerkers"]})


def _opslaan(request, form, deelnemer, afspraak=None):
    """Plan or change; the errors of the service go to the fields. Returns the appointment
    or None."""
    try:
        with transaction.atomic():
            if afspraak is None:
                afspraak = services.plan_afspraak(
                    deelnemer=deelnemer, door=request.user, **form.velden()
                )
                actie = AuditRecord.Actie.AANGEMAAKT
            else:
                afspraak = services.wijzig_afspraak(afspraak=afspraak, **form.velden())
                actie = AuditRecord.Actie.GEWIJZIGD
            log_toegang(request, deelnemer, actie, "afspraak")
    except ValidationError as fout:
        form.fouten_van_service(fout)
        return None
    messages.success(request, f"De afspraak is opgeslagen: {afspraak.get_soort_display()}.")
    return afspraak


@verwerking("agenda")
@require_http_methods(["GET", "POST"])
def nieuw(request):
    """Plan an appointment from the week view: the participant is chosen in the form."""
    vereist_recht(request.user, "afspraken_plannen")
    form = _afspraakform(request, initial=_beginwaarden(request))
    if form.is_bound and form.is_valid():
        deelnemer = deelnemer_voor_view(
            request,
            form.cleaned_data["deelnemer"].pk,
            actie=None,
            nodig=Handeling.JOURNAAL_SCHRIJVEN,
        )
        if _opslaan(request, form, deelnemer):
            return redirect(f"{reverse('agenda:week')}?week={form.cleaned_data['datum']:%Y-%m-%d}")
    return render(request, "agenda/form.html", {"form": form, "titel": "Afspraak plannen"})


@verwerking("agenda")
@require_http_methods(["GET", "POST"])
def plannen(request, pk):
    """Plan an appointment from the dossier."""
    deelnemer = deelnemer_voor_view(request, pk, actie=None, nodig=Handeling.JOURNAAL_SCHRIJVEN)
    form = _afspraakform(request, deelnemer=deelnemer, initial=_beginwaarden(request))
    if form.is_bound and form.is_valid():
        if _opslaan(request, form, deelnemer):
            return redirect(f"{deelnemer.get_absolute_url()}#afspraken")
    else:
        log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    return render(
        request,
        "agenda/form.html",
        {"form": form, "deelnemer": deelnemer, "titel": f"Afspraak plannen met {deelnemer.naam}"},
    )


def _afspraak_voor_view(request, pk):
    """The appointment if the user may read it and plan with its participant, else 404."""
    afspraak = get_object_or_404(Afspraak.objects.zichtbaar_voor(request.user), pk=pk)
    deelnemer = deelnemer_voor_view(
        request, afspraak.deelnemer_id, actie=None, nodig=Handeling.JOURNAAL_SCHRIJVEN
    )
    afspraak.deelnemer = deelnemer
    return afspraak


@verwerking("agenda")
@require_http_methods(["GET", "POST"])
def wijzigen(request, pk):
    afspraak = _afspraak_voor_view(request, pk)
    deelnemer = afspraak.deelnemer
    begin, einde = timezone.localtime(afspraak.begin), timezone.localtime(afspraak.einde)
    initial = {
        "soort": afspraak.soort,
        "datum": begin.date(),
        "begintijd": begin.time(),
        "eindtijd": einde.time(),
        "plaats": afspraak.plaats,
        "videolink": afspraak.videolink,
        "medewerkers": list(afspraak.medewerkers.values_list("pk", flat=True)),
    }
    form = _afspraakform(request, deelnemer=deelnemer, initial=initial)
    form.gepland = afspraak.status == Afspraak.Status.GEPLAND
    if form.is_bound and form.is_valid():
        if _opslaan(request, form, deelnemer, afspraak):
            return redirect(f"{deelnemer.get_absolute_url()}#afspraken")
    else:
        log_toegang(request, deelnemer, AuditRecord.Actie.BEKEKEN)
    return render(
        request,
        "agenda/form.html",
        {"form": form, "deelnemer": deelnemer, "afspraak": afspraak, "titel": "Afspraak wijzigen"},
    )


@verwerking("agenda")
@require_POST
def uitkomst(request, pk):
    """One click: gehouden, or niet verschenen with or without notice."""
    afspraak = _afspraak_voor_view(request, pk)
    status = request.POST.get("status", "")
    fout = None
    if status not in Afspraak.Status.uitkomsten():
        fout = services.GEEN_UITKOMST
    else:
        with transaction.atomic():
            afspraak = services.leg_uitkomst_vast(afspraak=afspraak, status=status)
            log_toegang(request, afspraak.deelnemer, AuditRecord.Actie.GEWIJZIGD, "afspraak")
    if request.htmx:
        # The item as it was shown: on the start page with the participant's name.
        met_naam = request.POST.get("met_naam") == "1"
        return render(
            request,
            "agenda/_afspraak.html",
            {"afspraak": afspraak, "fout": fout, "met_naam": met_naam},
        )
    if fout:
        messages.error(request, fout)
    else:
        messages.success(request, f"Vastgelegd: {afspraak.get_status_display().lower()}.")
    terug = request.POST.get("terug", "")
    if url_has_allowed_host_and_scheme(terug, {request.get_host()}, request.is_secure()):
        return redirect(terug)
    return redirect(f"{reverse('deelnemers:dossier', args=[afspraak.deelnemer_id])}#afspraken")


@verwerking("agendafeed")
@require_http_methods(["GET", "POST"])
def feed_instellingen(request):
    """The user's own feed: its secret address (shown once, after a reset) and whether it
    carries full names."""
    feed = Agendafeed.objects.filter(gebruiker=request.user).first()
    form = FeedForm(
        request.POST or None,
        initial={"namen": "volledig" if feed and feed.volledige_namen else "kort"},
    )
    token = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            feed = feed or Agendafeed(gebruiker=request.user)
            if request.POST.get("actie") == "vernieuwen" or not feed.token_hash:
                token = feed.nieuw_token()
            feed.volledige_namen = form.volledige_namen
            feed.save()
        if token is None:
            messages.success(request, "De instelling van uw agendafeed is opgeslagen.")
            return redirect("agenda:feed_instellingen")
    adres = (
        request.build_absolute_uri(reverse("agenda:feed", kwargs={"token": token}))
        if token
        else None
    )
    return render(request, "agenda/feed.html", {"form": form, "feed": feed, "adres": adres})


@login_not_required
@verwerking("agendafeed")
@require_GET
def feed(request, token):
    """The feed itself, read by a calendar app without a session: the token is the key. It
    is logged as the user it belongs to."""
    gevonden = Agendafeed.bij_token(token)
    if gevonden is None:
        raise Http404("Onbekende agendafeed.")
    request.user = gevonden.gebruiker
    afspraken = list(ical.afspraken_voor_feed(gevonden))
    log_toegang(request, {a.deelnemer for a in afspraken}, AuditRecord.Actie.IN_LIJST, "agendafeed")
    response = HttpResponse(ical.agenda(gevonden, afspraken), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="afspraken.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
