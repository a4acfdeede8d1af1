"""Programme targets: a scenario with a known answer per measurement, the page, the exports,
bad input, and the data behind them (aanmelddatum, inburgeringsplicht)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reintegratie.accounts.models import Rol
from trajecten.doelstellingen import meten
from trajecten.models import (
    Doelstelling,
    Traject,
    Trajecttype,
    Uitstroom,
    Urenregistratie,
    Voortgangsrapportage,
)
from trajecten.services import maandtotalen_bijtellen

from .factories import DeelnemerFactory, TrajectFactory

pytestmark = pytest.mark.django_db

VANDAAG = date(2026, 6, 15)
M = Doelstelling.Meting


def _type(naam):
    return Trajecttype.objects.get(naam=naam)


def _traject(wereld, naam="Duaal traject", aanmelding=None, start=None, einde=None, **deelnemer):
    afgesloten = einde is not None
    return TrajectFactory(
        trajecttype=_type(naam),
        aanbieder=wereld.eigen,
        aanmelddatum=aanmelding or start,
        startdatum=start,
        einddatum=einde,
        status=Traject.Status.AFGESLOTEN if afgesloten else Traject.Status.ACTIEF,
        deelnemer=DeelnemerFactory(**deelnemer),
    )


def _doel(meting, termijn, streef, naam="Duaal traject"):
    return Doelstelling.objects.create(
        trajecttype=_type(naam), naam=f"Doel {meting}", meting=meting,
        termijn_maanden=termijn, streefwaarde=streef,
    )  # fmt: skip


def _meten(wereld, doel, van=date(2025, 10, 1), tot=VANDAAG):
    manager = wereld.gebruikers[Rol.MANAGER]
    return meten(
        doel, trajecten=Traject.objects.geteld_voor(manager), van=van, tot=tot, vandaag=VANDAAG
    )


def _per_maand(meting):
    return {
        (m.maand.year, m.maand.month): (m.aantal, m.gehaald, m.definitief)
        for m in meting.maanden
        if m.aantal
    }


def _gewerkt(wereld, traject, datum, soort=Urenregistratie.Soort.GEWERKT):
    """Hours as booked, straight into the table and its month totals, as the booking service
    writes both: this tests the measurement, not booking."""
    Urenregistratie.objects.create(
        deelnemer=traject.deelnemer, fase=traject.fasen.get(), werkplek=wereld.werkplek,
        datum=datum, uren=6, soort=soort, geregistreerd_door=wereld.gebruikers[Rol.KLANTMANAGER],
    )  # fmt: skip
    maandtotalen_bijtellen([(traject.pk, datum, soort, Decimal(6))])


def test_begonnen_binnen_drie_maanden_na_aanmelding(wereld):
    op_tijd = _traject(wereld, aanmelding=date(2026, 1, 10), start=date(2026, 1, 20))
    _gewerkt(wereld, op_tijd, date(2026, 1, 21))
    te_laat = _traject(wereld, aanmelding=date(2026, 1, 12), start=date(2026, 1, 20))
    _gewerkt(wereld, te_laat, date(2026, 1, 21), Urenregistratie.Soort.ZIEK)  # not begun
    _gewerkt(wereld, te_laat, date(2026, 5, 1))  # begun, too late
    net = _traject(wereld, aanmelding=date(2026, 2, 5), start=date(2026, 5, 4))
    _gewerkt(wereld, net, date(2026, 5, 5))  # on the last day of the term
    _traject(wereld, aanmelding=date(2026, 2, 10), start=date(2026, 2, 20))  # never turned up
    _traject(wereld, aanmelding=date(2026, 5, 10), start=date(2026, 6, 30))  # not yet
    _traject(wereld, "Route Werk", aanmelding=date(2026, 1, 10), start=date(2026, 1, 20))
    TrajectFactory(  # another organisation's: not visible to our manager
        trajecttype=_type("Duaal traject"),
        aanmelddatum=date(2026, 1, 10),
        startdatum=date(2026, 1, 20),
    )

    meting = _meten(wereld, _doel(M.BEGONNEN, 3, 80))

    assert _per_maand(meting) == {
        (2026, 1): (2, 1, True),
        (2026, 2): (2, 1, True),
        (2026, 5): (1, 0, False),  # its three months are still running
    }
    assert (meting.gehaald, meting.aantal, meting.percentage) == (2, 4, 50.0)
    assert (meting.voorlopig_gehaald, meting.voorlopig_aantal) == (0, 1)
    assert meting.op_koers is False


def test_begonnen_tot_en_met_de_laatste_dag_van_de_termijn(wereld):
    """The term ends within a month: an hour in that month counts up to its last day only,
    whole months before it count from their totals."""
    # Registered on 15 January: the term runs to 15 April.
    op_de_dag = _traject(wereld, aanmelding=date(2026, 1, 15), start=date(2026, 1, 20))
    _gewerkt(wereld, op_de_dag, date(2026, 4, 15))
    dag_te_laat = _traject(wereld, aanmelding=date(2026, 1, 15), start=date(2026, 1, 20))
    _gewerkt(wereld, dag_te_laat, date(2026, 4, 16))
    maart = _traject(wereld, aanmelding=date(2026, 1, 15), start=date(2026, 1, 20))
    _gewerkt(wereld, maart, date(2026, 3, 31))
    alleen_ziek = _traject(wereld, aanmelding=date(2026, 1, 15), start=date(2026, 1, 20))
    _gewerkt(wereld, alleen_ziek, date(2026, 2, 2), Urenregistratie.Soort.ZIEK)

    meting = _meten(wereld, _doel(M.BEGONNEN, 3, 80))

    assert _per_maand(meting) == {(2026, 1): (4, 2, True)}


def test_werkfit_binnen_zes_maanden_na_de_start(wereld):
    door = wereld.gebruikers[Rol.KLANTMANAGER]

    def rapport(traject, op, advies):
        Voortgangsrapportage.objects.create(
            traject=traject, aanleiding=Voortgangsrapportage.Aanleiding.TUSSENTIJDS,
            periode_van=traject.startdatum, periode_tot=op, advies=advies,
            opgesteld_door=door, opgesteld_op=op,
        )  # fmt: skip

    def uitstroom(traject, resultaat):
        Uitstroom.objects.create(traject=traject, datum=traject.einddatum, resultaat=resultaat)

    eerste = _traject(wereld, start=date(2025, 10, 10))
    rapport(eerste, date(2026, 3, 1), Voortgangsrapportage.Advies.VOLGENDE_FASE)  # werkfit
    te_laat = _traject(wereld, start=date(2025, 10, 20), einde=date(2026, 5, 1))
    uitstroom(te_laat, Uitstroom.Resultaat.WERK)  # work, but after six months
    studie = _traject(wereld, start=date(2025, 11, 3), einde=date(2026, 2, 1))
    uitstroom(studie, Uitstroom.Resultaat.STUDIE)  # werkfit
    verlengd = _traject(wereld, start=date(2025, 11, 5))
    rapport(verlengd, date(2026, 1, 1), Voortgangsrapportage.Advies.VERLENGEN)  # not (yet)

    meting = _meten(wereld, _doel(M.WERKFIT, 6, 40))

    assert _per_maand(meting) == {(2025, 10): (2, 1, True), (2025, 11): (2, 1, True)}
    assert meting.percentage == 50.0
    assert meting.op_koers is True


def test_inburgeringsplicht_binnen_drie_jaar(wereld):
    _traject(
        wereld,
        start=date(2026, 1, 15),
        inburgeringsplichtig=True,
        inburgering_voldaan_op=date(2026, 3, 1),
    )
    _traject(wereld, start=date(2026, 1, 20), inburgeringsplichtig=True)
    _traject(wereld, start=date(2026, 1, 25))  # no inburgeringsplicht: not in the cohort
    _traject(  # met it before the trajectory: nothing left to meet, not in the cohort
        wereld,
        start=date(2026, 1, 28),
        inburgeringsplichtig=True,
        inburgering_voldaan_op=date(2025, 12, 1),
    )

    meting = _meten(wereld, _doel(M.INBURGERING, 36, 70))

    assert _per_maand(meting) == {(2026, 1): (2, 1, False)}
    assert meting.percentage is None  # no cohort has had its three years yet
    assert (meting.voorlopig_gehaald, meting.voorlopig_aantal) == (1, 2)
    assert meting.op_koers is None


def test_taakstelling_plaatsingen_per_jaar(wereld):
    for start in (
        date(2025, 3, 3),  # before the period, in its first year: counts for that year
        date(2025, 12, 1),
        date(2026, 1, 5),
        date(2026, 1, 20),
        date(2026, 3, 10),
    ):
        _traject(wereld, "Beschut werk", start=start)

    meting = _meten(wereld, _doel(M.PLAATSINGEN, None, 25, naam="Beschut werk"))

    per_maand = {(m.maand.year, m.maand.month): (m.aantal, m.cumulatief) for m in meting.maanden}
    assert min(per_maand) == (2025, 10)  # the period shown
    assert per_maand[2025, 12] == (1, 2)  # the year so far, from 1 January
    assert per_maand[2026, 1] == (2, 2)  # counted per calendar year
    assert per_maand[2026, 3] == (1, 3)
    assert per_maand[2026, 6] == (0, 3)
    jaren = {j.jaar: (j.gerealiseerd, j.naar_rato) for j in meting.jaren}
    assert jaren == {2025: (2, 25.0), 2026: (3, round(25 * 166 / 365, 1))}
    assert meting.op_koers is False


def test_doelstelling_regels():
    duaal = _type("Duaal traject")
    fout = Doelstelling(trajecttype=duaal, naam="x", meting=M.WERKFIT, streefwaarde=140)
    with pytest.raises(ValidationError) as info:
        fout.full_clean()
    assert "termijn_maanden" in info.value.message_dict
    fout.termijn_maanden = 6
    with pytest.raises(ValidationError) as info:
        fout.full_clean()
    assert info.value.message_dict["streefwaarde"] == ["Een percentage is hoogstens 100."]


# The page, for the manager, with the targets shipped as data (Arnhem, Almere).


def _pagina(client, wereld, **params):
    client.force_login(wereld.gebruikers[Rol.MANAGER])
    return client.get(reverse("doelstellingen"), params)


@pytest.fixture
def plaatsingen(wereld):
    """Two placements on beschut werk, one and two months ago."""
    for maanden in (1, 2):
        _traject(wereld, "Beschut werk", start=timezone.localdate() - relativedelta(months=maanden))


def test_pagina_toont_de_verscheepte_doelstellingen(client, wereld, plaatsingen):
    inhoud = _pagina(client, wereld).content.decode()
    for naam in (
        "In een duaal traject binnen 3 maanden na selectie",
        "Werkfit na 6 maanden (de pilotfase)",
        "Voldoet binnen 3 jaar aan de inburgeringsplicht",
        "Plaatsingen beschut werk (taakstelling)",
    ):
        assert naam in inhoud
    assert "25 per kalenderjaar" in inhoud
    assert 'role="img"' in inhoud  # a chart, with the table under it


def test_exports_hebben_dezelfde_getallen(client, wereld, plaatsingen):
    vandaag = timezone.localdate()
    params = {"van": f"{vandaag.year - 1}-01-01", "tot": vandaag.isoformat()}
    scherm = _pagina(client, wereld, **params).context["onderdelen"]
    beschut = next(o for o in scherm if "beschut" in o.titel)
    totaal = sum(rij[1] for rij in beschut.tabel.rijen)
    assert totaal == 2

    tekst = _pagina(client, wereld, formaat="csv", **params).content.decode("utf-8-sig")
    regels = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    assert ["Taakstelling", "25 per kalenderjaar"] in regels
    kop = regels.index(["Maand", "Gestart", "Totaal in het jaar", "Taakstelling naar rato"])
    assert sum(int(r[1]) for r in regels[kop + 1 :] if len(r) == 4) == 2

    boek = load_workbook(io.BytesIO(_pagina(client, wereld, formaat="xlsx", **params).content))
    blad = next(b for b in boek.worksheets if "beschut" in b.title.lower())
    gestart = [r[1] for r in blad.iter_rows(values_only=True) if isinstance(r[1], int)]
    assert sum(gestart) == 2

    pdf = _pagina(client, wereld, formaat="pdf", **params).content
    pdftekst = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Plaatsingen beschut werk (taakstelling)" in pdftekst
    assert "25 per kalenderjaar" in pdftekst


@pytest.mark.parametrize(
    ("params", "veld", "melding"),
    [
        ({"van": "2026-05-01", "tot": "2026-01-01"}, "tot", "ligt voor het begin"),
        ({"van": "2014-01-01", "tot": "2025-12-31"}, "tot", "hoogstens 5 jaar"),
        ({"van": "2026-01-01", "tot": "2026-02-01", "trajecttype": "999999"}, "trajecttype", ""),
        ({"van": "gisteren", "tot": "2026-02-01"}, "van", "geldige datum"),
    ],
)
def test_verkeerde_invoer_geeft_een_melding(client, wereld, params, veld, melding):
    response = _pagina(client, wereld, **params)
    assert response.status_code == 200
    fouten = response.context["form"].errors
    assert veld in fouten
    assert melding in " ".join(fouten[veld])
    assert "onderdelen" not in response.context


# What the measurements stand on.


def test_voldaan_zonder_plicht_geeft_melding_bij_het_veld(client, wereld):
    from deelnemers.forms import DossierDeelnemerForm

    deelnemer = wereld.deelnemer
    gegevens = {
        "bsn": deelnemer.bsn,
        "voornaam": deelnemer.voornaam,
        "achternaam": deelnemer.achternaam,
        "geboortedatum": deelnemer.geboortedatum.isoformat(),
        "postcode": deelnemer.postcode,
        "inburgering_voldaan_op": "2026-01-05",
    }
    form = DossierDeelnemerForm(gegevens, instance=deelnemer)
    assert not form.is_valid()
    assert form.errors["inburgering_voldaan_op"] == [
        "Alleen wie inburgeringsplichtig is, kan aan de inburgeringsplicht voldoen."
    ]
    form = DossierDeelnemerForm({**gegevens, "inburgeringsplichtig": "on"}, instance=deelnemer)
    assert form.is_valid(), form.errors


def test_termijn_eindigt_op_de_laatste_dag_van_een_kortere_maand(wereld):
    """30 November + 3 months is 28 February, on both databases (as relativedelta)."""
    op_tijd = _traject(wereld, aanmelding=date(2025, 11, 30), start=date(2025, 12, 1))
    _gewerkt(wereld, op_tijd, date(2026, 2, 28))
    te_laat = _traject(wereld, aanmelding=date(2025, 11, 30), start=date(2025, 12, 1))
    _gewerkt(wereld, te_laat, date(2026, 3, 1))
    meting = _meten(wereld, _doel(M.BEGONNEN, 3, 80))
    assert _per_maand(meting) == {(2025, 11): (2, 1, True)}


def test_export_zonder_periode_neemt_de_standaardperiode(client, wereld, plaatsingen):
    # The export links on a page opened without choosing a period carry only "formaat".
    response = _pagina(client, wereld, formaat="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "Plaatsingen beschut werk (taakstelling)" in response.content.decode("utf-8-sig")


def test_een_werkbedrijf_is_geen_woongemeente(wereld):
    from trajecten.forms import RapportFilterForm

    gemeenten = RapportFilterForm().fields["woongemeente"].queryset
    assert wereld.eigen not in gemeenten  # Werkbedrijf Eigen refers and provides
