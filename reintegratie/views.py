"""The start page: each role lands on what it needs first."""

from collections import Counter
from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer, Intake
from deelnemers.selectors import deelnemerlijst, met_lopende_trajecten, met_toegang
from reintegratie.access import log_toegang
from reintegratie.accounts.models import Rol
from reintegratie.agenda import selectors as agenda
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.taken.selectors import start_taken
from trajecten.models import Signaal, Traject
from trajecten.views import dashboard
from werkplekken.selectors import werkplekken_vandaag

STARTLIJST = 25


@verwerking("caseload")
def start(request):
    rol = request.user.rol
    if rol == Rol.KLANTMANAGER:
        return _caseload(request)
    if rol == Rol.TRAJECTBEGELEIDER:
        return _vandaag(request)
    if rol == Rol.MANAGER:
        return _overzicht(request)
    if rol == Rol.KETENPARTNER:
        return _verwijzingen(request)
    if rol == Rol.PRIVACY:
        return render(request, "start/privacy.html")
    return render(request, "start/beheer.html")


def _deelnemerlijst(request, queryset, template, ook_getoond=(), trajecten=None, **extra):
    """A start page with the first participants of ``queryset``; ``ook_getoond`` are those
    its other sections show. Logged in one insert, each participant once. ``trajecten``: the
    running trajectories of ``queryset`` with their signals, if the page read them already
    (see :func:`deelnemers.selectors.met_lopende_trajecten`)."""
    user = request.user
    lijst = deelnemerlijst(queryset, user, trajecten=trajecten is None)[:STARTLIJST]
    deelnemers = met_toegang(lijst, user)
    if trajecten is not None:
        met_lopende_trajecten(deelnemers, trajecten, user)
    _log_getoond(request, deelnemers, ook_getoond)
    return render(
        request, template, {"deelnemers": deelnemers, "aantal": queryset.count(), **extra}
    )


def _log_getoond(request, *lijsten) -> None:
    """One list record per participant a start page shows, whichever sections show him; the
    first row of each keeps the access it was shown with."""
    getoond = {}
    for lijst in lijsten:
        for deelnemer in lijst:
            getoond.setdefault(deelnemer.pk, deelnemer)
    log_toegang(request, getoond.values(), AuditRecord.Actie.IN_LIJST)


def _taken_en_afspraken(user) -> tuple[dict, list]:
    """The start page's tasks (Vandaag en te laat) and appointments (Mijn afspraken, Mijn te
    late afspraken), and the participants they show."""
    taken = start_taken(user)
    mijn = agenda.mijn_afspraken(user)
    te_laat = agenda.mijn_te_late_afspraken(user)
    getoond = [t.deelnemer for t in taken["taken_vandaag"]] + [a.deelnemer for a in mijn + te_laat]
    return {**taken, "mijn_afspraken": mijn, "te_late_afspraken": te_laat}, getoond


def _caseload(request):
    """The klantmanager's own caseload, what needs action in it, and intakes left half-done."""
    user = request.user
    caseload = Deelnemer.objects.zichtbaar_voor(user).met_klantmanager_van(user)
    # The caseload's trajectories with their signals, read once for both the counts ("Vraagt
    # uw actie") and the badges of the rows shown: building and compiling the signal
    # expressions is the dearest part of the page, and an aggregate beside the list's
    # prefetch did it twice. Traject.zichtbaar_voor is the participant's scope, as the
    # caseload's, so these are all the trajectories of the rows shown.
    trajecten = list(
        Traject.objects.zichtbaar_voor(user)
        .filter(deelnemer__klantmanager=user)
        .select_related("trajecttype")
        .met_signalen()
    )
    aantallen = Counter(code for traject in trajecten for code, _ in traject.signalen())
    signalen = [(s, aantallen[s.value]) for s in Signaal if aantallen[s.value]]
    week_geleden = timezone.now() - timedelta(days=7)
    concepten = list(Intake.objects.zichtbaar_voor(user).concepten().filter(aangemaakt_door=user))
    secties, getoond = _taken_en_afspraken(user)
    return _deelnemerlijst(
        request,
        caseload,
        "start/klantmanager.html",
        ook_getoond=getoond,
        trajecten=trajecten,
        signalen=signalen,
        concepten=concepten,
        oude_concepten=sum(1 for i in concepten if i.aangemaakt_op < week_geleden),
        **secties,
    )


def _verwijzingen(request):
    return _deelnemerlijst(
        request, Deelnemer.objects.zichtbaar_voor(request.user), "start/ketenpartner.html"
    )


def _vandaag(request):
    vandaag = timezone.localdate()
    werkplekken = werkplekken_vandaag(user=request.user, datum=vandaag)
    secties, getoond = _taken_en_afspraken(request.user)
    _log_getoond(
        request, [p.deelnemer for w in werkplekken for p in w.lopende_plaatsingen], getoond
    )
    return render(
        request,
        "start/trajectbegeleider.html",
        {"werkplekken": werkplekken, "vandaag": vandaag, **secties},
    )


def _overzicht(request):
    """The manager lands on the dashboard of the organisation, with the team's participants
    per klantmanager and phase (counts only)."""
    return dashboard.dashboard(request, team_per_fase=agenda.team_per_fase(request.user))
