"""The outcomes report: a scenario with a known answer, rows that add up, the same numbers in
every export, drill-down to the participants, and bad input."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reintegratie.accounts.models import Rol
from trajecten.models import Uitstroom

from .factories import DeelnemerFactory, TrajectFactory, UitstroomFactory

VORIG_JAAR = timezone.localdate().year - 1
PERIODE = {"van": f"{VORIG_JAAR}-01-01", "tot": f"{VORIG_JAAR}-12-31"}
VERWACHT = {
    "gestart": 10,
    "lopend": 2,
    "werk": 3,
    "studie": 1,
    "niet_haalbaar": 1,
    "zelf_beeindigd": 1,
    "overig": 0,
    "participatie": 1,
    "niet_geleid": 1,
}


@pytest.fixture
def scenario(wereld):
    """Ten trajectories started last year by our organisation, with known outcomes; plus
    some that must not count (started this year, or another organisation's)."""
    start = dt.date(VORIG_JAAR, 3, 1)
    einde = dt.date(VORIG_JAAR, 9, 1)

    def traject(**kwargs):
        # Our organisation holds these cases (regie), so it still sees them a year on.
        return TrajectFactory(
            deelnemer=DeelnemerFactory(
                verwijzer=wereld.verwijzer, klantmanager=wereld.gebruikers[Rol.KLANTMANAGER]
            ),
            aanbieder=wereld.eigen,
            startdatum=start,
            **kwargs,
        )

    for _ in range(2):
        traject()
    for resultaat, reden, aantal in [
        (Uitstroom.Resultaat.WERK, "", 3),
        (Uitstroom.Resultaat.STUDIE, "", 1),
        (Uitstroom.Resultaat.VOORTIJDIG, Uitstroom.Reden.NIET_HAALBAAR, 1),
        (Uitstroom.Resultaat.VOORTIJDIG, Uitstroom.Reden.ZELF_BEEINDIGD, 1),
        (Uitstroom.Resultaat.PARTICIPATIE, "", 1),
        (Uitstroom.Resultaat.NIET_GELEID, "", 1),
    ]:
        for _ in range(aantal):
            UitstroomFactory(
                traject=traject(afgesloten=True, einddatum=einde),
                datum=einde,
                resultaat=resultaat,
                reden=reden,
            )
    TrajectFactory(aanbieder=wereld.vreemd, startdatum=start)  # not ours
    return VERWACHT


def _rapport(client, wereld, **extra):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    return client.get(reverse("resultaten"), {**PERIODE, **extra})


def test_bekend_antwoord_en_sluitend(client, wereld, scenario):
    response = _rapport(client, wereld)
    assert {k: response.context["aantallen"][k] for k in scenario} == scenario
    assert response.context["sluitend"]
    assert "De regels tellen op tot het aantal gestarte trajecten (10)" in response.content.decode()


def test_zonder_periode_in_de_url_geldt_dit_jaar(client, wereld, scenario):
    # Links on a page opened with its default period carry only their own parameter.
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    response = client.get(reverse("resultaten"), {"formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    response = client.get(reverse("resultaten"), {"cel": "gestart"})
    assert "pagina" in response.context


def test_filter_op_verwijzer(client, wereld, scenario):
    response = _rapport(client, wereld, verwijzer=wereld.vreemd.pk)
    assert response.context["aantallen"]["gestart"] == 0


def test_doorklikken_naar_de_deelnemers(client, wereld, scenario):
    response = _rapport(client, wereld, cel="werk")
    assert response.context["pagina"].paginator.count == 3
    response = _rapport(client, wereld, cel="gestart")
    assert wereld.vreemde_deelnemer not in response.context["pagina"].object_list


def test_exports_bevatten_dezelfde_getallen(client, wereld, scenario):
    inhoud = _rapport(client, wereld, formaat="csv").content.decode("utf-8-sig")
    rijen = dict(r for r in csv.reader(io.StringIO(inhoud), delimiter=";") if len(r) == 2)
    assert rijen["Trajecten gestart"] == "10"
    assert rijen["Resultaat werk/proefplaatsing"] == "3"

    boek = load_workbook(io.BytesIO(_rapport(client, wereld, formaat="xlsx").content))
    waarden = {r[0]: r[1] for r in boek.active.iter_rows(values_only=True) if len(r) > 1}
    assert waarden["Trajecten gestart"] == 10
    assert waarden["Voortijdige beëindiging: zelf beëindigd"] == 1

    pdf = _rapport(client, wereld, formaat="pdf").content
    tekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Trajecten gestart 10" in tekst
    assert "Resultaat werk/proefplaatsing 3" in tekst


@pytest.mark.parametrize(
    ("extra", "veld", "melding"),
    [
        ({"van": "2025-12-31", "tot": "2025-01-01"}, "tot", "ligt voor het begin"),
        ({"van": "2014-01-01", "tot": "2025-12-31"}, "tot", "hoogstens 5 jaar"),
        ({"trajecttype": "99999"}, "trajecttype", "geldige keuze"),
        ({"route": "maan"}, "route", "geldige keuze"),
        ({"van": "gisteren"}, "van", "geldige datum"),
    ],
)
def test_foute_invoer_geeft_een_melding(client, wereld, extra, veld, melding):
    response = _rapport(client, wereld, **extra)
    assert response.status_code == 200
    assert melding in " ".join(response.context["form"].errors[veld])
    assert "aantallen" not in response.context


@pytest.mark.parametrize("extra", [0, 10], ids=["klein", "groter"])
def test_vast_aantal_queries(client, wereld, django_assert_num_queries, extra):
    for _ in range(extra):
        TrajectFactory(aanbieder=wereld.eigen, startdatum=dt.date(VORIG_JAAR, 5, 1))
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    # session, user (2); the counts (1); the filter form's choices:
    # trajecttypes, aanbieders, verwijzers, gemeenten, doelgroepen (5)
    with django_assert_num_queries(8):
        client.get(reverse("resultaten"), PERIODE)


def test_een_oud_traject_telt_mee_maar_de_naam_niet(client, wereld, scenario):
    """Only provided, ended more than the nawerking ago: the table counts it, the drill-down
    no longer names the participant (the organisation is no longer involved)."""
    oud = TrajectFactory(
        deelnemer=DeelnemerFactory(achternaam="Oudgediende-Aanbod"),
        aanbieder=wereld.eigen,
        startdatum=dt.date(VORIG_JAAR, 3, 1),
        afgesloten=True,
        einddatum=dt.date(VORIG_JAAR, 4, 1),
    )
    UitstroomFactory(traject=oud, datum=oud.einddatum, resultaat=Uitstroom.Resultaat.WERK)
    response = _rapport(client, wereld, cel="werk")
    assert response.context["aantallen"]["werk"] == 4
    namen = [d.achternaam for d in response.context["pagina"].object_list]
    assert len(namen) == 3
    assert "Oudgediende-Aanbod" not in namen
