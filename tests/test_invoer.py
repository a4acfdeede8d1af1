"""Bad input gets a clear Dutch message at the field, and nothing is saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Intake
from reintegratie.accounts.models import Rol
from trajecten.models import Urenregistratie
from werkplekken.models import Plaatsing


def _veldfout(response, veld, form="form"):
    return response.context[form].errors.get(veld)


@pytest.mark.parametrize(
    ("bsn", "melding"),
    [
        ("123456789", "elfproef"),  # nine digits, fails the elfproef
        ("12345678", "9 cijfers"),
        ("000000000", "elfproef"),
        ("12345678a", "9 cijfers"),
    ],
)
def test_ongeldig_bsn_bij_de_intake(client, klantmanager, bsn, melding):
    client.force_login(klantmanager)
    aantal = Intake.objects.count()
    response = client.post(reverse("deelnemers:intake_start"), {"bsn": bsn})
    assert response.status_code == 200
    assert melding in " ".join(_veldfout(response, "bsn"))
    assert Intake.objects.count() == aantal
    assert 'aria-invalid="true"' in response.content.decode()


def _wijzig(client, wereld, **wijzig):
    deelnemer = wereld.deelnemer
    gegevens = {
        "bsn": deelnemer.bsn,
        "voornaam": deelnemer.voornaam,
        "achternaam": deelnemer.achternaam,
        "geboortedatum": deelnemer.geboortedatum.isoformat(),
        "postcode": "7607 AB",
        "versie": deelnemer.versie,
    }
    gegevens.update(wijzig)
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    return client.post(reverse("deelnemers:bewerken", kwargs={"pk": deelnemer.pk}), gegevens)


def test_wijzigen_normaliseert_de_postcode(client, wereld):
    assert _wijzig(client, wereld, postcode="7607ab").status_code == 302
    wereld.deelnemer.refresh_from_db()
    assert wereld.deelnemer.postcode == "7607 AB"
    assert wereld.deelnemer.versie == 2


@pytest.mark.parametrize("postcode", ["7607", "760 AB", "0607 AB", "ABCD 12", "7607 ABC"])
def test_postcode_in_verkeerde_vorm(client, wereld, postcode):
    response = _wijzig(client, wereld, postcode=postcode, voornaam="Anders")
    assert _veldfout(response, "postcode") == ["Vul een postcode in als 1234 AB."]
    wereld.deelnemer.refresh_from_db()
    assert wereld.deelnemer.voornaam != "Anders"


def test_ongeldig_bsn_bij_wijzigen(client, wereld):
    response = _wijzig(client, wereld, bsn="123456789")
    assert "elfproef" in " ".join(_veldfout(response, "bsn"))


def test_geboortedatum_in_de_toekomst(client, wereld):
    morgen = timezone.localdate() + dt.timedelta(days=1)
    response = _wijzig(client, wereld, geboortedatum=morgen.isoformat())
    assert _veldfout(response, "geboortedatum") == ["De geboortedatum ligt in de toekomst."]


def test_tweede_gelijktijdige_wijziging_wordt_geweigerd(client, wereld):
    """Two people opened the form at version 1; the second save is refused, not merged."""
    assert _wijzig(client, wereld, voornaam="Eerste").status_code == 302
    response = _wijzig(client, wereld, voornaam="Tweede", versie=1)
    assert response.status_code == 200
    assert "Iemand anders heeft deze gegevens intussen gewijzigd" in response.content.decode()
    wereld.deelnemer.refresh_from_db()
    assert wereld.deelnemer.voornaam == "Eerste"


def test_einde_voor_start_bij_plaatsing(client, klantmanager, wereld):
    client.force_login(klantmanager)
    aantal = Plaatsing.objects.count()
    response = client.post(
        reverse("deelnemers:plaatsing_nieuw", kwargs={"pk": wereld.deelnemer.pk}),
        {
            "werkplek": wereld.werkplek.pk,
            "startdatum": f"{timezone.localdate():%Y-%m-%d}",
            "einddatum": f"{timezone.localdate() - dt.timedelta(days=9):%Y-%m-%d}",
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
