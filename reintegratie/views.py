"""The start page: each role lands on what it needs first."""

from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer
from deelnemers.selectors import lopende_trajecten_prefetch
from reintegratie.access import deelnemer_scope, log_toegang
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from trajecten.models import Fase, Traject, Uitstroom, Urenregistratie
from werkplekken.models import Werkplek
from werkplekken.selectors import werkplekken_vandaag

STARTLIJST = 25


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
    return render(request, "start/beheer.html")


def _deelnemerlijst(request, queryset, template, titel):
    deelnemers = list(
        queryset.select_related("klantmanager").prefetch_related(lopende_trajecten_prefetch())[
            :STARTLIJST
        ]
    )
    log_toegang(request, deelnemers, AuditRecord.Actie.IN_LIJST)
    return render(
        request,
        template,
        {"deelnemers": deelnemers, "aantal": queryset.count(), "titel": titel},
    )


def _caseload(request):
    caseload = Deelnemer.objects.zichtbaar_voor(request.user).met_klantmanager_van(request.user)
    return _deelnemerlijst(request, caseload, "start/klantmanager.html", "Mijn caseload")


def _verwijzingen(request):
    return _deelnemerlijst(
        request,
        Deelnemer.objects.zichtbaar_voor(request.user),
        "start/ketenpartner.html",
        "Mijn verwijzingen",
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
        request, "start/trajectbegeleider.html", {"werkplekken": werkplekken, "vandaag": vandaag}
    )


def _overzicht(request):
    """Counts over everything the manager's organisation is involved in, aggregated in SQL."""
    user = request.user
    vandaag = timezone.localdate()
    week_start = vandaag - timezone.timedelta(days=vandaag.weekday())
    lopende_fasen = (
        Fase.objects.filter(
            deelnemer_scope(user, via="traject__deelnemer__"),
            einddatum__isnull=True,
            traject__status=Traject.Status.ACTIEF,
        )
        .values("fasetype__trajecttype__naam", "fasetype__naam", "fasetype__volgorde")
        .annotate(aantal=Count("id"))
        .order_by("fasetype__trajecttype__naam", "fasetype__volgorde")
    )
    uren_week = (
        Urenregistratie.objects.filter(
            deelnemer_scope(user, via="deelnemer__"), datum__gte=week_start, datum__lte=vandaag
        )
        .values("soort")
        .annotate(totaal=Sum("uren"))
        .order_by("soort")
    )
    soorten = dict(Urenregistratie.Soort.choices)
    uitstroom = (
        Uitstroom.objects.filter(
            deelnemer_scope(user, via="traject__deelnemer__"), datum__year=vandaag.year
        )
        .values("resultaat")
        .annotate(aantal=Count("id"))
        .order_by("resultaat")
    )
    resultaten = dict(Uitstroom.Resultaat.choices)
    werkplekken = (
        Werkplek.objects.zichtbaar_voor(user).actief().met_bezetting(vandaag).order_by("naam")
    )
    return render(
        request,
        "start/manager.html",
        {
            "lopende_fasen": lopende_fasen,
            "uren_week": [(soorten[r["soort"]], r["totaal"]) for r in uren_week],
            "week_start": week_start,
            "uitstroom": [(resultaten[r["resultaat"]], r["aantal"]) for r in uitstroom],
            "jaar": vandaag.year,
            "werkplekken": werkplekken,
        },
    )
