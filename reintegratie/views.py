"""The start page: each role lands on what it needs first."""

from datetime import timedelta

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer, Intake
from deelnemers.selectors import deelnemerlijst, met_toegang
from reintegratie.access import log_toegang
from reintegratie.accounts.models import Rol
from reintegratie.agenda import selectors as agenda
from reintegratie.audit.models import AuditRecord
from reintegratie.audit.verwerking import verwerking
from reintegratie.taken.selectors import start_taken
from trajecten.models import Signaal, Traject, signaal_voorwaarden
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


def _deelnemerlijst(request, queryset, template, **extra):
    deelnemers = met_toegang(deelnemerlijst(queryset, request.user)[:STARTLIJST], request.user)
    log_toegang(request, deelnemers, AuditRecord.Actie.IN_LIJST)
    return render(
        request, template, {"deelnemers": deelnemers, "aantal": queryset.count(), **extra}
    )


def _caseload(request):
    """The klantmanager's own caseload, what needs action in it, and intakes left half-done."""
    user = request.user
    caseload = Deelnemer.objects.zichtbaar_voor(user).met_klantmanager_van(user)
    vandaag = timezone.localdate()
    voorwaarden = signaal_voorwaarden(vandaag)
    aantallen = (
        Traject.objects.zichtbaar_voor(user)
        .filter(deelnemer__klantmanager=user)
        .aggregate(**{code: Count("pk", filter=Q(expr)) for code, expr in voorwaarden.items()})
    )
    signalen = [(s, aantallen[s.value]) for s in Signaal if aantallen[s.value]]
    week_geleden = timezone.now() - timedelta(days=7)
    concepten = list(Intake.objects.zichtbaar_voor(user).concepten().filter(aangemaakt_door=user))
    return _deelnemerlijst(
        request,
        caseload,
        "start/klantmanager.html",
        signalen=signalen,
        concepten=concepten,
        oude_concepten=sum(1 for i in concepten if i.aangemaakt_op < week_geleden),
        **start_taken(request),
        **_afspraken(request),
    )


def _afspraken(request) -> dict:
    """The start page's "Mijn afspraken" and "Mijn te late afspraken"
    (templates/agenda/_start_afspraken.html)."""
    mijn = agenda.mijn_afspraken(request.user)
    te_laat = agenda.mijn_te_late_afspraken(request.user)
    log_toegang(request, {a.deelnemer for a in mijn + te_laat}, AuditRecord.Actie.IN_LIJST)
    return {"mijn_afspraken": mijn, "te_late_afspraken": te_laat}


def _verwijzingen(request):
    return _deelnemerlijst(
        request, Deelnemer.objects.zichtbaar_voor(request.user), "start/ketenpartner.html"
    )


def _vandaag(request):
    vandaag = timezone.localdate()
    werkplekken = werkplekken_vandaag(user=request.user, datum=vandaag)
    log_toegang(
        request,
        [p.deelnemer for w in werkplekken for p in w.lopende_plaatsingen],
        AuditRecord.Actie.IN_LIJST,
    )
    return render(
        request,
        "start/trajectbegeleider.html",
        {
            "werkplekken": werkplekken,
            "vandaag": vandaag,
            **start_taken(request),
            **_afspraken(request),
        },
    )


def _overzicht(request):
    """The manager lands on the dashboard of the organisation, with the team's participants
    per klantmanager and phase (counts only)."""
    return dashboard.dashboard(request, team_per_fase=agenda.team_per_fase(request.user))
