"""The start page: each role lands on what it needs first."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.shortcuts import render
from django.utils import timezone

from deelnemers.models import Deelnemer, Intake
from deelnemers.selectors import lopende_trajecten_prefetch, met_contact
from reintegratie.access import deelnemer_scope, log_toegang
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from trajecten.models import Fase, Signaal, Traject, Uitstroom, Urenregistratie, signaal_voorwaarden
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


def _deelnemerlijst(request, queryset, template, **extra):
    deelnemers = list(
        met_contact(
            queryset.select_related("klantmanager").prefetch_related(lopende_trajecten_prefetch())
        )[:STARTLIJST]
    )
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
    )


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
        request, "start/trajectbegeleider.html", {"werkplekken": werkplekken, "vandaag": vandaag}
    )


OVERZICHT_SECONDEN = 300
WERKPLEKKEN_OP_OVERZICHT = 20


def _overzicht(request):
    """Counts over everything the manager's organisation is involved in, aggregated in SQL.

    The counts span the whole organisation (at 100,000 participants about 300 ms), so they
    are kept for five minutes per organisation; the page says when they were counted.
    """
    user = request.user
    sleutel = f"overzicht:{user.organisatie_id}:{user.rol}:{timezone.localdate():%Y%m%d}"
    cijfers = cache.get_or_set(sleutel, lambda: _overzicht_cijfers(user), OVERZICHT_SECONDEN)
    return render(request, "start/manager.html", cijfers)


def _overzicht_cijfers(user):
    vandaag = timezone.localdate()
    week_start = vandaag - timedelta(days=vandaag.weekday())
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
    werkplekken = Werkplek.objects.zichtbaar_voor(user).actief()
    return {
        "lopende_fasen": list(lopende_fasen),
        "uren_week": [(soorten[r["soort"]], r["totaal"]) for r in uren_week],
        "week_start": week_start,
        "uitstroom": [(resultaten[r["resultaat"]], r["aantal"]) for r in uitstroom],
        "jaar": vandaag.year,
        # The fullest workplaces; the workplace list has them all.
        "werkplekken": list(
            werkplekken.met_bezetting(vandaag).order_by("-bezetting", "naam")[
                :WERKPLEKKEN_OP_OVERZICHT
            ]
        ),
        "aantal_werkplekken": werkplekken.count(),
        "berekend_op": timezone.localtime(),
    }
