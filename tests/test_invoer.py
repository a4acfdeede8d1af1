"""Bad input gets a clear Dutch message at the field, and nothing is saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Deelnemer
from reintegratie.accounts.models import Rol
from trajecten.models import Urenregistratie
from werkplekken.models import Plaatsing

GELDIG_BSN = "111222333"


def _deelnemer_post(**wijzig):
    gegevens = {
        "bsn": GELDIG_BSN,
        "voornaam": "Fatima",
        "achternaam": "El Amrani",
        "geboortedatum": "1990-05-17",
        "postcode": "7607 AB",
    }
    gegevens.update(wijzig)
    return gegevens


def _veldfout(response, veld):
    return response.context["form"].errors.get(veld)


def test_geldige_deelnemer_wordt_opgeslagen(client, klantmanager):
    client.force_login(klantmanager)
    response = client.post(reverse("deelnemers:nieuw"), _deelnemer_post(postcode="7607ab"))
    deelnemer = Deelnemer.objects.get(bsn=GELDIG_BSN)
    assert response.status_code == 302
    assert deelnemer.postcode == "7607 AB"  # normalised
    assert deelnemer.klantmanager == klantmanager


@pytest.mark.parametrize(
    ("bsn", "melding"),
    [
        ("123456789", "elfproef"),  # nine digits, fails the elfproef
        ("12345678", "9 cijfers"),
        ("000000000", "elfproef"),
        ("12345678a", "9 cijfers"),
    ],
)
def test_ongeldig_bsn(client, klantmanager, bsn, melding):
    client.force_login(klantmanager)
    aantal = Deelnemer.objects.count()
    response = client.post(reverse("deelnemers:nieuw"), _deelnemer_post(bsn=bsn))
    assert response.status_code == 200
    assert melding in " ".join(_veldfout(response, "bsn"))
    assert Deelnemer.objects.count() == aantal
    assert 'aria-invalid="true"' in response.content.decode()


def test_dubbel_bsn(client, klantmanager, wereld):
    client.force_login(klantmanager)
    response = client.post(reverse("deelnemers:nieuw"), _deelnemer_post(bsn=wereld.deelnemer.bsn))
    assert _veldfout(response, "bsn") == ["Dit BSN is al bekend."]


@pytest.mark.parametrize("postcode", ["7607", "760 AB", "0607 AB", "ABCD 12", "7607 ABC"])
def test_postcode_in_verkeerde_vorm(client, klantmanager, postcode):
    client.force_login(klantmanager)
    response = client.post(reverse("deelnemers:nieuw"), _deelnemer_post(postcode=postcode))
    assert _veldfout(response, "postcode") == ["Vul een postcode in als 1234 AB."]
    assert not Deelnemer.objects.filter(bsn=GELDIG_BSN).exists()


def test_geboortedatum_in_de_toekomst(client, klantmanager):
    client.force_login(klantmanager)
    morgen = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(reverse("deelnemers:nieuw"), _deelnemer_post(geboortedatum=morgen))
    assert _veldfout(response, "geboortedatum") == ["De geboortedatum ligt in de toekomst."]


def test_einde_voor_start_bij_plaatsing(client, klantmanager, wereld):
    client.force_login(klantmanager)
    aantal = Plaatsing.objects.count()
    response = client.post(
        reverse("deelnemers:plaatsing_nieuw", kwargs={"pk": wereld.deelnemer.pk}),
        {
            "werkplek": wereld.werkplek.pk,
            "startdatum": "2026-11-10",
            "einddatum": "2026-11-01",
            "uren_per_week": "24",
        },
    )
    assert _veldfout(response, "einddatum") == ["De einddatum ligt voor de startdatum."]
    assert Plaatsing.objects.count() == aantal


def _uren_post(client, wereld, rol=Rol.TRAJECTBEGELEIDER, **wijzig):
    client.force_login(wereld.gebruikers[rol])
    gegevens = {
        "werkplek": wereld.werkplek.pk,
        "datum": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "uren": "6",
        "soort": Urenregistratie.Soort.GEWERKT,
    }
    gegevens.update(wijzig)
    return client.post(
        reverse("deelnemers:uren_registreren", kwargs={"pk": wereld.deelnemer.pk}), gegevens
    )


def test_uren_registreren(client, wereld):
    response = _uren_post(client, wereld, uren="7,5")
    assert response.status_code == 302
    assert Urenregistratie.objects.get().uren == Decimal("7.5")


@pytest.mark.parametrize(
    ("uren", "melding"),
    [
        ("0", "groter dan 0 en hoogstens 24"),
        ("-2", "groter dan 0 en hoogstens 24"),
        ("24,25", "groter dan 0 en hoogstens 24"),
        ("25", "groter dan 0 en hoogstens 24"),
        ("3,1", "per kwartier"),
    ],
)
def test_uren_buiten_bereik(client, wereld, uren, melding):
    response = _uren_post(client, wereld, uren=uren)
    assert response.status_code == 200
    assert melding in " ".join(_veldfout(response, "uren"))
    assert not Urenregistratie.objects.exists()


def test_uren_op_een_dag_zonder_plaatsing(client, wereld):
    voor_plaatsing = wereld.plaatsing.startdatum - dt.timedelta(days=1)
    response = _uren_post(client, wereld, datum=voor_plaatsing.isoformat())
    assert "niet geplaatst" in " ".join(_veldfout(response, "datum"))
    assert not Urenregistratie.objects.exists()


def test_samen_meer_dan_24_uur_op_een_dag(client, wereld):
    _uren_post(client, wereld, uren="20")
    response = _uren_post(client, wereld, uren="5", soort=Urenregistratie.Soort.SCHOLING)
    assert "meer dan 24 uur" in " ".join(_veldfout(response, "uren"))
    assert Urenregistratie.objects.count() == 1
