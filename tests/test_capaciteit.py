"""A workplace's capacity is a rule, not a number on the page: placing beyond it on any day of
the period is refused, or done by a manager with a reason that is kept; two placements at once
cannot both take the last place."""

import datetime as dt
import functools
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from werkplekken import services
from werkplekken.forms import PlaatsingForm
from werkplekken.models import Plaatsing, Werkplek

from .conftest import tegelijk
from .factories import DeelnemerFactory, PlaatsingFactory, TrajectFactory, WerkplekFactory

KM, MAN = Rol.KLANTMANAGER, Rol.MANAGER


def _dag(dagen):
    return timezone.localdate() + dt.timedelta(days=dagen)


@pytest.fixture
def vol(wereld):
    """A workplace of our organisation with two places: one taken until day 20, one from
    day 10 on with no end; so it is full from day 10 to day 20 and has room after."""
    werkplek = WerkplekFactory(organisatie=wereld.eigen, capaciteit=2, naam="Kantine")
    PlaatsingFactory(werkplek=werkplek, startdatum=_dag(-30), einddatum=_dag(20))
    PlaatsingFactory(werkplek=werkplek, startdatum=_dag(10))
    return werkplek


def _velden(werkplek, start, einde=None, **extra):
    return {
        "werkplek": werkplek.pk,
        "startdatum": start.isoformat(),
        "einddatum": einde.isoformat() if einde else "",
        "uren_per_week": "16",
        **extra,
    }


def _plaatsen(client, wereld, rol, data):
    client.force_login(wereld.gebruikers[rol])
    return client.post(reverse("deelnemers:plaatsing_nieuw", args=[wereld.deelnemer.pk]), data)


def test_drukste_dag_telt_wie_er_tegelijk_zijn(vol):
    assert vol.drukste_dag(_dag(0), _dag(5)) == (1, _dag(0))
    assert vol.drukste_dag(_dag(0)) == (2, _dag(10))
    assert vol.drukste_dag(_dag(21), _dag(40)) == (1, _dag(21))


def test_vol_in_de_periode_geweigerd_met_de_dag_erbij(client, wereld, vol):
    voor = Plaatsing.objects.count()
    response = _plaatsen(client, wereld, KM, _velden(vol, _dag(0), _dag(15)))
    assert response.status_code == 200
    fout = " ".join(response.context["form"].errors["werkplek"])
    assert "Kantine is vol op" in fout and "2 van de 2 plaatsen" in fout
    assert "vraag een manager" in fout
    assert "reden_boven_capaciteit" not in response.context["form"].fields
    assert Plaatsing.objects.count() == voor


def test_ruimte_voor_en_na_de_drukte(client, wereld, vol):
    response = _plaatsen(client, wereld, KM, _velden(vol, _dag(0), _dag(9)))
    assert response.status_code == 302
    response = _plaatsen(client, wereld, KM, _velden(vol, _dag(21), _dag(40)))
    assert response.status_code == 302


def test_manager_plaatst_boven_de_capaciteit_alleen_met_reden(client, wereld, vol):
    data = _velden(vol, _dag(0))
    response = _plaatsen(client, wereld, MAN, data)
    assert "Geef een reden" in " ".join(response.context["form"].errors["reden_boven_capaciteit"])
    assert not wereld.deelnemer.plaatsingen.filter(werkplek=vol).exists()

    reden = "Tijdelijk extra begeleider op de kantine"
    response = _plaatsen(client, wereld, MAN, {**data, "reden_boven_capaciteit": reden})
    assert response.status_code == 302
    plaatsing = wereld.deelnemer.plaatsingen.get(werkplek=vol)
    assert plaatsing.reden_boven_capaciteit == reden
    record = AuditRecord.objects.filter(actie=AuditRecord.Actie.AANGEMAAKT).latest("tijdstip")
    assert record.omschrijving.endswith("boven de capaciteit")


def test_reden_zonder_nood_wordt_niet_bewaard(client, wereld, vol):
    data = _velden(vol, _dag(0), _dag(5), reden_boven_capaciteit="Voor de zekerheid")
    assert _plaatsen(client, wereld, MAN, data).status_code == 302
    assert wereld.deelnemer.plaatsingen.get(werkplek=vol).reden_boven_capaciteit == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twee_tegelijk_op_de_laatste_plaats(wereld, monkeypatch):
    """Both count one free place; the lock on the workplace makes the second count again after
    the first is saved, so only one is placed."""
    if connection.vendor != "postgresql":
        pytest.skip("Gelijktijdige transacties vragen PostgreSQL.")
    werkplek = WerkplekFactory(organisatie=wereld.eigen, capaciteit=1)
    deelnemers = []
    for _ in range(2):
        d = DeelnemerFactory(klantmanager=wereld.gebruikers[KM])
        TrajectFactory(deelnemer=d, aanbieder=wereld.eigen)
        deelnemers.append(d)
    tellen = Werkplek.drukste_dag

    def traag_tellen(self, *args, **kwargs):
        uitkomst = tellen(self, *args, **kwargs)
        time.sleep(0.3)  # the other writer would count now, without the lock
        return uitkomst

    monkeypatch.setattr(Werkplek, "drukste_dag", traag_tellen)
    formulieren = [(PlaatsingForm(_velden(werkplek, _dag(0)), deelnemer=d), d) for d in deelnemers]
    assert all(form.is_valid() for form, _ in formulieren)

    def plaatsen(form, deelnemer):
        services.plaatsing_aanmaken(form=form, deelnemer=deelnemer)
        return "geplaatst"

    uitkomsten = tegelijk(*(functools.partial(plaatsen, f, d) for f, d in formulieren))
    assert uitkomsten.count("geplaatst") == 1, uitkomsten
    assert Plaatsing.objects.filter(werkplek=werkplek).count() == 1
