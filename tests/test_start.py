"""The klantmanager's start page: what needs action is counted over the whole caseload, from
the same read of its trajectories that gives the rows shown their signals."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Deelnemer
from deelnemers.selectors import deelnemerlijst
from reintegratie.accounts.models import Rol
from reintegratie.views import STARTLIJST
from trajecten.models import Signaal, Traject, signaal_voorwaarden

from .factories import DeelnemerFactory, GebruikerFactory, TrajectFactory


def _fase_verlopen(traject):
    """The open phase ended as planned five days ago: fase_verlopen, evaluatie_nodig."""
    traject.fasen.filter(einddatum__isnull=True).update(
        geplande_einddatum=timezone.localdate() - dt.timedelta(days=5)
    )


def _caseload_met_signalen(wereld, klantmanager):
    """More than the page lists, each with a phase past its end; one more with a closed
    trajectory only, and a colleague's participant with the same signal."""
    _fase_verlopen(wereld.traject)
    for _ in range(STARTLIJST + 2):
        deelnemer = DeelnemerFactory(klantmanager=klantmanager)
        _fase_verlopen(TrajectFactory(deelnemer=deelnemer, aanbieder=wereld.eigen))
    gesloten = TrajectFactory(
        deelnemer=DeelnemerFactory(klantmanager=klantmanager),
        aanbieder=wereld.eigen,
        afgesloten=True,
    )
    _fase_verlopen(gesloten)
    collega = GebruikerFactory(rol=Rol.KLANTMANAGER, organisatie=wereld.eigen)
    _fase_verlopen(
        TrajectFactory(deelnemer=DeelnemerFactory(klantmanager=collega), aanbieder=wereld.eigen)
    )


def test_signalen_geteld_over_de_hele_caseload(client, wereld, km, klantmanager):
    _caseload_met_signalen(wereld, klantmanager)
    response = client.get(reverse("start"))
    # What an aggregate over the caseload's trajectories counts, for every signal there is.
    voorwaarden = signaal_voorwaarden(timezone.localdate())
    verwacht = (
        Traject.objects.zichtbaar_voor(klantmanager)
        .filter(deelnemer__klantmanager=klantmanager)
        .aggregate(**{code: Count("pk", filter=Q(expr)) for code, expr in voorwaarden.items()})
    )
    assert response.context["signalen"] == [(s, verwacht[s.value]) for s in Signaal if verwacht[s]]
    assert dict(response.context["signalen"])[Signaal.FASE_VERLOPEN] == STARTLIJST + 3
    assert f"{Signaal.FASE_VERLOPEN.label}: <strong>{STARTLIJST + 3}</strong>" in (
        response.content.decode()
    )


def test_rijen_met_het_lopende_traject_zoals_de_caseload(client, wereld, km, klantmanager):
    """The rows get their running trajectory, signals and phases as the caseload list's
    prefetch gives them."""
    _caseload_met_signalen(wereld, klantmanager)
    getoond = client.get(reverse("start")).context["deelnemers"]
    assert len(getoond) == STARTLIJST
    caseload = Deelnemer.objects.zichtbaar_voor(klantmanager).met_klantmanager_van(klantmanager)
    zo = {d.pk: d for d in deelnemerlijst(caseload, klantmanager)}

    def rij(deelnemer):
        return [
            (t.pk, t.trajecttype.naam, t.signalen(), t.huidige_fase())
            for t in deelnemer.lopende_trajecten
        ]

    assert [rij(d) for d in getoond] == [rij(zo[d.pk]) for d in getoond]
    # Not an empty comparison: only the participant whose trajectory closed has none.
    assert sum(not rij(d) for d in getoond) <= 1
