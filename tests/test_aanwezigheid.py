"""Weekly observations and the attendance overview."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from trajecten.aanwezigheid import aanwezigheid, werkdagen_tussen
from trajecten.models import Observatie, Urenregistratie
from trajecten.weekrooster import maandag_van
from werkplekken.models import Plaatsing

from .factories import UrenregistratieFactory

MAANDAG = dt.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("van", "tot", "dagen"),
    [
        (MAANDAG, MAANDAG + dt.timedelta(days=6), 5),
        (MAANDAG + dt.timedelta(days=5), MAANDAG + dt.timedelta(days=6), 0),  # weekend
        (MAANDAG, MAANDAG + dt.timedelta(days=13), 10),
        (MAANDAG + dt.timedelta(days=4), MAANDAG + dt.timedelta(days=7), 2),
        (MAANDAG, MAANDAG - dt.timedelta(days=1), 0),
    ],
)
def test_werkdagen(van, tot, dagen):
    assert werkdagen_tussen(van, tot) == dagen


def test_aanwezigheid_gepland_tegen_aanwezig(wereld):
    maandag = maandag_van(timezone.localdate()) - dt.timedelta(days=7)
    fase = wereld.traject.fasen.get()
    for dag, (uren, soort) in enumerate(
        [(6, "gewerkt"), (6, "gewerkt"), (6, "ziek"), (2, "scholing"), (4, "afwezig_zonder")]
    ):
        UrenregistratieFactory(
            fase=fase,
            werkplek=wereld.werkplek,
            datum=maandag + dt.timedelta(days=dag),
            uren=Decimal(uren),
            soort=soort,
        )
    [regel] = aanwezigheid(
        plaatsingen=Plaatsing.objects.filter(werkplek=wereld.werkplek),
        werkplek=wereld.werkplek,
        van=maandag,
        tot=maandag + dt.timedelta(days=6),
    )
    assert regel.gepland == 24  # 24 hours a week, five working days
    assert regel.aanwezig == 14
    assert regel.percentage == 58
    assert dict(regel.soorten())["Ziek"] == 6
    assert dict(regel.soorten())["Afwezig zonder bericht"] == 4


def test_periode_omgedraaid_geeft_een_melding(client, wereld):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    response = client.get(
        reverse("werkplekken:aanwezigheid", args=[wereld.werkplek.pk]),
        {"van": "2026-11-20", "tot": "2026-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["tot"] == [
        "Het einde van de periode ligt voor het begin."
    ]


def test_periode_van_tien_jaar_wordt_begrensd(client, wereld):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    response = client.get(
        reverse("werkplekken:aanwezigheid", args=[wereld.werkplek.pk]),
        {"van": "2016-01-01", "tot": "2026-01-01"},
    )
    assert response.context["form"].errors["tot"] == ["Kies een periode van hoogstens een jaar."]


def test_observaties_opslaan_en_leeg_laten(client, wereld):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    maandag = maandag_van(timezone.localdate())
    url = reverse("werkplekken:observaties", args=[wereld.werkplek.pk])
    prefix = f"d{wereld.deelnemer.pk}"
    response = client.post(
        f"{url}?week={maandag:%Y-%m-%d}",
        {
            f"{prefix}-regelmatige_arbeid": "4",
            f"{prefix}-omgang": "2",
            f"{prefix}-opmerking": "Helpt nieuwe collega's",
        },
    )
    assert response.status_code == 302
    observatie = Observatie.objects.get()
    assert (observatie.week, observatie.regelmatige_arbeid, observatie.omgang) == (maandag, 4, 2)
    assert observatie.scores()[0] == ("Regelmatige arbeid", 4)
    # Saving the row empty (from the page as it now stands) removes it.
    client.post(f"{url}?week={maandag:%Y-%m-%d}", {f"{prefix}-wijziging": observatie.wijziging})
    assert not Observatie.objects.exists()


def test_score_buiten_de_schaal(client, wereld):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    url = reverse("werkplekken:observaties", args=[wereld.werkplek.pk])
    response = client.post(url, {f"d{wereld.deelnemer.pk}-omgang": "9"})
    assert response.status_code == 200
    assert not Observatie.objects.exists()
    assert "geldige keuze" in response.content.decode()


def test_observatie_alleen_op_maandag_in_de_database(wereld):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Observatie.objects.create(
            deelnemer=wereld.deelnemer,
            werkplek=wereld.werkplek,
            door=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
            week=maandag_van(timezone.localdate()) + dt.timedelta(days=1),
        )
    assert Urenregistratie.objects.count() == 0
