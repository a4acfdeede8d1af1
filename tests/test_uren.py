"""The hour rules of Route Werk in the service that books hours."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from reintegratie.accounts.models import Rol
from trajecten.models import Fase, Traject, Urenregistratie
from trajecten.services import registreer_uren

from .factories import UrenregistratieFactory

GEWERKT = Urenregistratie.Soort.GEWERKT


def _dag(wereld, n):
    return wereld.plaatsing.startdatum + dt.timedelta(days=n)


def _boek(wereld, dag, uren, soort=GEWERKT):
    return registreer_uren(
        deelnemer=wereld.deelnemer,
        werkplek=wereld.werkplek,
        datum=_dag(wereld, dag),
        uren=Decimal(uren),
        soort=soort,
        door=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
    )


def _vul(wereld, uren):
    """Book ``uren`` productive hours in long days; returns the next free day."""
    fase = wereld.traject.fasen.get()
    dag = 0
    while uren > 0:
        UrenregistratieFactory(
            fase=fase, werkplek=wereld.werkplek, datum=_dag(wereld, dag), uren=min(uren, 24)
        )
        uren -= min(uren, 24)
        dag += 1
    return dag


def test_boeken_in_de_lopende_fase(wereld):
    registratie = _boek(wereld, 1, "6")
    assert registratie.fase == wereld.traject.fasen.get()


def test_diagnosebudget_geweigerd_met_wat_er_over_is(wereld):
    dag = _vul(wereld, 96)
    with pytest.raises(ValidationError) as fout:
        _boek(wereld, dag, "6")
    assert fout.value.message_dict["uren"] == [
        "Dit past niet in het budget van de fase Diagnose: er is nog 4 uur over."
    ]
    _boek(wereld, dag, "4")  # exactly what is left fits


def test_ziek_telt_niet_voor_het_budget(wereld):
    dag = _vul(wereld, 100)
    _boek(wereld, dag, "8", soort=Urenregistratie.Soort.ZIEK)
    assert Fase.objects.get(traject=wereld.traject).uren_gebruikt == 100


def test_plafond_van_het_hele_traject(wereld):
    """Budgets of phases may add up to more than the cap; the cap of 800 still holds."""
    fase = wereld.traject.fasen.get()
    fase.uren_budget = Decimal(1000)
    fase.save()
    dag = _vul(wereld, Decimal("799.5"))
    with pytest.raises(ValidationError) as fout:
        _boek(wereld, dag, "1")
    assert "plafond van 800 uur" in fout.value.message_dict["uren"][0]
    assert "nog 0,5 uur over" in fout.value.message_dict["uren"][0]


def test_niet_vooruit(wereld):
    with pytest.raises(ValidationError) as fout:
        registreer_uren(
            deelnemer=wereld.deelnemer,
            werkplek=wereld.werkplek,
            datum=timezone.localdate() + dt.timedelta(days=1),
            uren=Decimal(4),
            soort=GEWERKT,
            door=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
        )
    assert fout.value.message_dict["datum"] == ["Uren kunnen niet vooruit worden geregistreerd."]


def test_niet_na_afsluiten_van_het_traject(wereld):
    wereld.traject.status = Traject.Status.AFGESLOTEN
    wereld.traject.einddatum = _dag(wereld, 5)
    wereld.traject.save()
    with pytest.raises(ValidationError) as fout:
        _boek(wereld, 6, "4")
    assert "geen traject" in fout.value.message_dict["datum"][0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twee_gelijktijdige_schrijvers_passeren_het_budget_niet(wereld):
    """Two trajectbegeleiders book the last hours at the same moment: one of them gets them.

    On PostgreSQL the second waits for the first's row lock and is refused with a message.
    SQLite (development only) allows one writer at a time and refuses a conflicting writer
    outright, sometimes both of them; the budget holds either way.
    """
    dag = _vul(wereld, 94)
    start = threading.Barrier(2)
    uitkomsten = []

    def schrijver(n):
        try:
            start.wait()
            _boek(wereld, dag + n, "6")
            uitkomsten.append("geboekt")
        except ValidationError as fout:
            uitkomsten.append(fout.message_dict["uren"][0])
        except Exception as fout:  # SQLite: "database table is locked"
            uitkomsten.append(f"fout: {fout}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=schrijver, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    geboekt = uitkomsten.count("geboekt")
    fase = Fase.objects.get(traject=wereld.traject)
    assert fase.uren_gebruikt == 94 + 6 * geboekt <= fase.uren_budget
    if connection.vendor == "postgresql":
        assert geboekt == 1
        assert "er is nog 0 uur over" in next(u for u in uitkomsten if u != "geboekt")
    else:
        assert geboekt <= 1
