"""Occupancy over time: per week the number placed on its Monday against the capacity, per
werksoort and per workplace, of the user's own organisation only; counts, never names."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.templatetags.opmaak import datum
from trajecten.weekrooster import maandag_van
from werkplekken.models import Werksoort
from werkplekken.selectors import BEZETTING_TERUG, BEZETTING_WEKEN

from .conftest import pagina_tekst
from .factories import PlaatsingFactory, WachtlijstplaatsFactory, WerkplekFactory


def _maandag(weken):
    """The Monday ``weken`` weeks from this week's."""
    return maandag_van(timezone.localdate()) + dt.timedelta(weeks=weken)


@pytest.fixture
def bezet(wereld):
    """Two workplaces for groen of our organisation, and one of another organisation."""
    hout = WerkplekFactory(
        organisatie=wereld.eigen, naam="Hout", werksoort=Werksoort.GROEN, capaciteit=2
    )
    tuin = WerkplekFactory(
        organisatie=wereld.eigen, naam="Tuin", werksoort=Werksoort.GROEN, capaciteit=1
    )
    # Hout: one from two weeks back to the end of next week, one from the week after on.
    PlaatsingFactory(
        werkplek=hout, startdatum=_maandag(-2), einddatum=_maandag(1) + dt.timedelta(days=6)
    )
    PlaatsingFactory(werkplek=hout, startdatum=_maandag(2))
    # Tuin: from this Tuesday: on no Monday before next week's.
    PlaatsingFactory(werkplek=tuin, startdatum=_maandag(0) + dt.timedelta(days=1))
    WachtlijstplaatsFactory(werkplek=tuin)
    WachtlijstplaatsFactory(werkplek=tuin, geplaatst=True)  # off the list: not counted
    vreemd = WerkplekFactory(organisatie=wereld.vreemd, werksoort=Werksoort.GROEN, capaciteit=9)
    PlaatsingFactory(werkplek=vreemd, startdatum=_maandag(-8))
    return hout, tuin


def _week(i):
    """The index of the week ``i`` weeks from this one in the default overview."""
    return BEZETTING_TERUG + i


def test_bekende_uitkomst_per_werkplek_en_werksoort(client, wereld, bezet):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    response = client.get(reverse("werkplekken:bezetting"), {"werksoort": Werksoort.GROEN})
    b = response.context["bezetting"]
    assert b.weken[0] == _maandag(-BEZETTING_TERUG) and len(b.weken) == BEZETTING_WEKEN
    rijen = {w.naam: w for w in b.pagina.object_list}
    verwacht_hout = [0] * BEZETTING_WEKEN
    for i in (-2, -1, 0, 1):
        verwacht_hout[_week(i)] = 1
    for i in range(2, BEZETTING_WEKEN - BEZETTING_TERUG):
        verwacht_hout[_week(i)] = 1
    verwacht_tuin = [0] * _week(1) + [1] * (BEZETTING_WEKEN - _week(1))
    assert rijen["Hout"].weken == verwacht_hout
    assert rijen["Tuin"].weken == verwacht_tuin
    assert (rijen["Hout"].wachtend, rijen["Tuin"].wachtend) == (0, 1)
    # Groen in all: our two workplaces (the other organisation's is not ours to count);
    # the fixture's own workplace is productie, with its one placement all along.
    soorten = {s: (cap, n) for s, _, cap, n in b.soorten}
    som = [h + t for h, t in zip(verwacht_hout, verwacht_tuin, strict=True)]
    assert soorten[Werksoort.GROEN] == (3, som)
    assert soorten[Werksoort.PRODUCTIE] == (wereld.werkplek.capaciteit, [1] * BEZETTING_WEKEN)
    tekst = pagina_tekst(response)
    assert "Hout" in tekst and "Tuin" in tekst


def test_andere_weken_kiezen(client, wereld, bezet):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    van = _maandag(2) + dt.timedelta(days=3)  # a Thursday: its week's Monday
    response = client.get(reverse("werkplekken:bezetting"), {"van": van.isoformat()})
    assert response.context["bezetting"].weken[0] == _maandag(2)


@pytest.mark.parametrize(
    ("params", "veld"),
    [
        ({"van": "abc"}, "van"),
        ({"van": "2026-02-31"}, "van"),
        ({"van": "9999-12-31"}, "van"),
        ({"van": "0001-01-01"}, "van"),
        ({"werksoort": "<script>"}, "werksoort"),
        ({"werksoort": "groen\x00"}, "werksoort"),
        ({"pagina": "9" * 40}, None),
        ({"pagina": "-1"}, None),
    ],
)
def test_vijandige_invoer_een_melding_geen_fout(client, wereld, bezet, params, veld):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    response = client.get(reverse("werkplekken:bezetting"), params)
    assert response.status_code == 200
    if veld:
        assert response.context["form"].errors[veld]
    assert response.context["bezetting"].weken[0] == _maandag(-BEZETTING_TERUG)


def test_situatie_per_werkplek_nu_wachtend_en_wie_kiest(client, wereld):
    from .factories import DeelnemerFactory, TrajectFactory, VoorkeurFactory

    plek = WerkplekFactory(organisatie=wereld.eigen, naam="Drukkerij", capaciteit=3)
    tot = timezone.localdate() + dt.timedelta(days=30)
    PlaatsingFactory(werkplek=plek, deelnemer=wereld.deelnemer, einddatum=tot, proefplaatsing=True)
    # Placed here by another organisation: as host we read the name (the matrix).
    gast = DeelnemerFactory(achternaam="Gast-Vreemd", verwijzer=wereld.vreemd)
    PlaatsingFactory(werkplek=plek, deelnemer=gast, startdatum=timezone.localdate())
    WachtlijstplaatsFactory(werkplek=plek, deelnemer=DeelnemerFactory(achternaam="Wacht-Vreemd"))
    kiest = DeelnemerFactory(
        klantmanager=wereld.gebruikers[Rol.KLANTMANAGER], verwijzer=wereld.verwijzer
    )
    TrajectFactory(deelnemer=kiest, aanbieder=wereld.eigen)
    VoorkeurFactory(deelnemer=kiest, werkplek=plek)
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    response = client.get(reverse("werkplekken:situatie"))
    rij = next(w for w in response.context["pagina"].object_list if w.naam == "Drukkerij")
    assert [p.deelnemer for p in rij.nu] == [wereld.deelnemer, gast]  # the first to leave first
    assert (rij.anderen, rij.kiezen, len(rij.wachtend)) == (0, 1, 1)
    tekst = pagina_tekst(response)
    assert f"{wereld.deelnemer.naam}, tot {datum(tot)}" in tekst
    assert "op proef" in tekst
    assert "Gast-Vreemd" in tekst
    # Waiting, not yet placed: the host is not involved, so no name.
    assert "Wacht-Vreemd" not in tekst and "Een deelnemer van wie u het dossier niet opent" in tekst
    assert reverse("werkplekken:kandidaten", args=[plek.pk]) in response.content.decode()


@pytest.mark.parametrize("params", [{"werksoort": "<b>"}, {"pagina": "x"}, {"werksoort": "\x00"}])
def test_situatie_vijandige_invoer(client, wereld, params):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    assert client.get(reverse("werkplekken:situatie"), params).status_code == 200
