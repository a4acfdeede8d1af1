"""The participant's own choice and the waiting list: the ranked preferences recorded with the
begeleider, shown on the dossier; a full workplace offers its waiting list, in order of
registration, which placing there leaves; its host sees that someone waits, not who."""

import datetime as dt
import functools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from werkplekken import services
from werkplekken.models import MAX_VOORKEUREN, Voorkeur, Wachtlijstplaats, Werksoort

from .conftest import pagina_tekst, tegelijk
from .factories import (
    DeelnemerFactory,
    GebruikerFactory,
    PlaatsingFactory,
    TrajectFactory,
    VoorkeurFactory,
    WachtlijstplaatsFactory,
    WerkplekFactory,
)

KM, TB, MAN = Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER


def _dag(dagen):
    return timezone.localdate() + dt.timedelta(days=dagen)


def _rijen(*rijen, stand=""):
    """The preferences form as the browser posts it: MAX_VOORKEUREN rows, the rest empty."""
    data = {
        "stand": stand,
        "voorkeur-TOTAL_FORMS": str(MAX_VOORKEUREN),
        "voorkeur-INITIAL_FORMS": "0",
        "voorkeur-MIN_NUM_FORMS": str(MAX_VOORKEUREN),
        "voorkeur-MAX_NUM_FORMS": str(MAX_VOORKEUREN),
    }
    for i in range(MAX_VOORKEUREN):
        rij = rijen[i] if i < len(rijen) else {}
        for veld in ("werkplek", "werksoort", "reden"):
            data[f"voorkeur-{i}-{veld}"] = rij.get(veld, "")
    return data


@pytest.fixture
def km(client, wereld):
    client.force_login(wereld.gebruikers[KM])
    return wereld.gebruikers[KM]


def _url(wereld, naam="deelnemers:voorkeuren"):
    return reverse(naam, args=[wereld.deelnemer.pk])


def test_voorkeuren_in_volgorde_vastgelegd_en_op_het_dossier(client, wereld, km):
    kantine = WerkplekFactory(naam="Kantine De Hoek", organisatie=wereld.vreemd)
    data = _rijen(
        {"werkplek": kantine.pk, "reden": "Wil koken leren"},
        {},  # an empty row in between counts for nothing
        {"werksoort": Werksoort.GROEN, "reden": "Graag buiten"},
    )
    response = client.post(_url(wereld), data)
    assert response.status_code == 302
    assert response.url.endswith("#kop-plaatsingen")
    opgeslagen = list(wereld.deelnemer.voorkeuren.values_list("rang", "werkplek", "werksoort"))
    assert opgeslagen == [(1, kantine.pk, ""), (2, None, Werksoort.GROEN)]
    tekst = pagina_tekst(client.get(reverse("deelnemers:dossier", args=[wereld.deelnemer.pk])))
    assert "Kantine De Hoek, Werkbedrijf Vreemd: Wil koken leren" in tekst
    assert tekst.index("Wil koken leren") < tekst.index("Werksoort groen: Graag buiten")
    assert "Vastgelegd door Wobbina van 't Wel" in tekst
    assert AuditRecord.objects.filter(
        actie=AuditRecord.Actie.GEWIJZIGD, deelnemer=wereld.deelnemer, omschrijving="voorkeuren"
    ).exists()


def test_het_formulier_opent_met_de_opgeslagen_voorkeuren(client, wereld, km):
    VoorkeurFactory(deelnemer=wereld.deelnemer, werkplek=wereld.werkplek, reden="Vlakbij")
    response = client.get(_url(wereld))
    eerste = response.context["formset"].forms[0]
    assert eerste.initial == {"werkplek": wereld.werkplek, "werksoort": "", "reden": "Vlakbij"}
    assert len(response.context["formset"].forms) == MAX_VOORKEUREN


@pytest.mark.parametrize(
    ("rij", "veld", "melding"),
    [
        ({"reden": "Iets met dieren"}, "werkplek", "Kies een werkplek of een werksoort."),
        ({"werksoort": Werksoort.GROEN}, "reden", "Schrijf op waarom"),
        ({"werkplek": "abc", "reden": "x"}, "werkplek", "Kies een werkplek uit de lijst."),
        ({"werkplek": "9" * 50, "reden": "x"}, "werkplek", "Kies een werkplek uit de lijst."),
        ({"werkplek": "-1", "reden": "x"}, "werkplek", "Kies een werkplek uit de lijst."),
        ({"werksoort": "<script>", "reden": "x"}, "werksoort", "Kies een werksoort"),
        ({"werksoort": Werksoort.GROEN, "reden": "x" * 301}, "reden", "niet meer dan 300 tekens"),
        (
            {"werkplek": "{werkplek}", "werksoort": Werksoort.GROEN, "reden": "x"},
            "werksoort",
            "niet allebei",
        ),
    ],
    ids=[
        "zonder-keuze",
        "zonder-reden",
        "tekst",
        "te-groot",
        "negatief",
        "script",
        "te-lang",
        "allebei",
    ],
)
def test_foute_invoer_een_melding_bij_het_veld_en_niets_opgeslagen(
    client, wereld, km, rij, veld, melding
):
    VoorkeurFactory(deelnemer=wereld.deelnemer, werkplek=wereld.werkplek)
    rij = {k: v.format(werkplek=wereld.werkplek.pk) for k, v in rij.items()}
    response = client.post(
        _url(wereld), _rijen({"werksoort": Werksoort.HORECA, "reden": "ok"}, rij)
    )
    assert response.status_code == 200
    assert melding in " ".join(response.context["formset"].forms[1].errors[veld])
    assert list(wereld.deelnemer.voorkeuren.values_list("werkplek", flat=True)) == [
        wereld.werkplek.pk
    ]


def test_dezelfde_werkplek_twee_keer(client, wereld, km):
    rij = {"werkplek": wereld.werkplek.pk, "reden": "Fijn"}
    response = client.post(_url(wereld), _rijen(rij, rij))
    assert "staat al hoger in de lijst" in " ".join(
        response.context["formset"].forms[1].errors["werkplek"]
    )
    assert not Voorkeur.objects.exists()


@pytest.mark.parametrize("totaal", ["abc", "-1", "9" * 30, "1000"])
def test_gemorreld_aan_het_aantal_rijen(client, wereld, km, totaal):
    data = _rijen({"werksoort": Werksoort.GROEN, "reden": "Buiten"})
    data["voorkeur-TOTAL_FORMS"] = totaal
    response = client.post(_url(wereld), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert not Voorkeur.objects.exists()


def test_een_collega_sloeg_eerst_op_de_tweede_wordt_verteld_en_verliest_niets(client, wereld, km):
    stand = client.get(_url(wereld)).context["stand"]
    # Meanwhile a colleague records a choice.
    services.voorkeuren_vastleggen(
        deelnemer=wereld.deelnemer,
        voorkeuren=[{"werksoort": Werksoort.LOGISTIEK, "reden": "Van de collega"}],
        door=GebruikerFactory(organisatie=wereld.eigen, rol=KM),
        stand=stand,
    )
    mijn = _rijen({"werksoort": Werksoort.GROEN, "reden": "Van mij"}, stand=stand)
    response = client.post(_url(wereld), mijn)
    assert response.status_code == 200
    tekst = pagina_tekst(response)
    assert "Een collega heeft de voorkeuren" in tekst
    assert "Van de collega" in tekst  # what is saved now
    assert response.context["formset"].forms[0]["reden"].value() == "Van mij"  # kept
    assert list(wereld.deelnemer.voorkeuren.values_list("reden", flat=True)) == ["Van de collega"]
    # Saving again, now knowing, replaces it.
    response = client.post(_url(wereld), {**mijn, "stand": response.context["stand"]})
    assert response.status_code == 302
    assert list(wereld.deelnemer.voorkeuren.values_list("reden", flat=True)) == ["Van mij"]


@pytest.fixture
def vol(wereld):
    """A workplace of another organisation with one place, taken."""
    werkplek = WerkplekFactory(organisatie=wereld.vreemd, capaciteit=1, naam="Fietsenwerkplaats")
    PlaatsingFactory(werkplek=werkplek, startdatum=_dag(-30), einddatum=_dag(30))
    return werkplek


def test_vol_biedt_de_wachtlijst_aan_en_daar_staat_de_deelnemer_achteraan(client, wereld, km, vol):
    eerder = WachtlijstplaatsFactory(
        werkplek=vol, aangemeld_op=timezone.now() - dt.timedelta(days=3)
    )
    response = client.post(
        reverse("deelnemers:plaatsing_nieuw", args=[wereld.deelnemer.pk]),
        {"werkplek": vol.pk, "startdatum": _dag(1).isoformat(), "uren_per_week": "16"},
    )
    assert response.status_code == 200
    assert response.context["vol"] == vol
    link = f"{_url(wereld, 'deelnemers:wachtlijst')}?werkplek={vol.pk}&amp;start={_dag(1):%Y-%m-%d}"
    assert link in response.content.decode()

    # The second click: the link opens the form with the workplace and start chosen.
    response = client.get(link.replace("&amp;", "&"))
    form = response.context["form"]
    assert str(form["werkplek"].value()) == str(vol.pk)
    assert form["gewenste_start"].value() == f"{_dag(1):%Y-%m-%d}"
    response = client.post(
        _url(wereld, "deelnemers:wachtlijst"),
        {"werkplek": vol.pk, "gewenste_start": _dag(1).isoformat(), "toelichting": "Na de zomer"},
    )
    assert response.status_code == 302
    plaats = Wachtlijstplaats.objects.get(deelnemer=wereld.deelnemer)
    assert (plaats.werkplek, plaats.aangemeld_door, plaats.toelichting) == (vol, km, "Na de zomer")
    tekst = pagina_tekst(client.get(reverse("deelnemers:dossier", args=[wereld.deelnemer.pk])))
    assert "Fietsenwerkplaats, Werkbedrijf Vreemd: plaats 2 van 2" in tekst
    assert eerder.deelnemer.achternaam not in tekst  # only the count of the others


def test_plaatsen_waar_de_deelnemer_wachtte_haalt_hem_van_de_lijst(client, wereld, km, vol):
    plaats = WachtlijstplaatsFactory(werkplek=vol, deelnemer=wereld.deelnemer, aangemeld_door=km)
    ander = WachtlijstplaatsFactory(werkplek=wereld.werkplek, deelnemer=wereld.deelnemer)
    response = client.post(
        reverse("deelnemers:plaatsing_nieuw", args=[wereld.deelnemer.pk]),
        {"werkplek": vol.pk, "startdatum": _dag(31).isoformat(), "uren_per_week": "16"},
    )
    assert response.status_code == 302
    plaats.refresh_from_db()
    ander.refresh_from_db()
    assert plaats.uitkomst == Wachtlijstplaats.Uitkomst.GEPLAATST and plaats.afgemeld_op
    assert ander.afgemeld_op is None  # another workplace's list is another matter


def test_van_de_wachtlijst_halen_en_een_tweede_klik_verandert_niets(client, wereld, km, vol):
    plaats = WachtlijstplaatsFactory(werkplek=vol, deelnemer=wereld.deelnemer)
    url = reverse("deelnemers:van_wachtlijst", args=[wereld.deelnemer.pk, plaats.pk])
    response = client.post(url, follow=True)
    assert "staat niet meer op de wachtlijst van Fietsenwerkplaats" in pagina_tekst(response)
    plaats.refresh_from_db()
    afgemeld_op = plaats.afgemeld_op
    assert plaats.uitkomst == Wachtlijstplaats.Uitkomst.AFGEMELD
    response = client.post(url, follow=True)
    assert "stond daar al niet meer op de wachtlijst" in pagina_tekst(response)
    plaats.refresh_from_db()
    assert plaats.afgemeld_op == afgemeld_op


def test_de_plaats_van_een_ander_is_niet_te_raken(client, wereld, km, vol):
    """Another participant's entry, through our participant's URL: 404."""
    anders = WachtlijstplaatsFactory(werkplek=vol, deelnemer=wereld.vreemde_deelnemer)
    url = reverse("deelnemers:van_wachtlijst", args=[wereld.deelnemer.pk, anders.pk])
    assert client.post(url).status_code == 404
    anders.refresh_from_db()
    assert anders.afgemeld_op is None


@pytest.mark.parametrize(
    ("data", "veld", "melding"),
    [
        ({}, "werkplek", "Kies een werkplek uit de lijst."),
        ({"werkplek": "<script>"}, "werkplek", "Kies een werkplek uit de lijst."),
        ({"werkplek": "{vol}", "gewenste_start": "2026-02-31"}, "gewenste_start", "geldige datum"),
        ({"werkplek": "{vol}", "gewenste_start": "{gisteren}"}, "gewenste_start", "verleden"),
        (
            {"werkplek": "{vol}", "toelichting": "x" * 301},
            "toelichting",
            "niet meer dan 300 tekens",
        ),
        ({"werkplek": "{vol}"}, "werkplek", "staat al op de wachtlijst van Fietsenwerkplaats"),
    ],
    ids=["leeg", "script", "geen-datum", "verleden", "te-lang", "al-op-de-lijst"],
)
def test_wachtlijst_foute_invoer(client, wereld, km, vol, data, veld, melding):
    WachtlijstplaatsFactory(werkplek=vol, deelnemer=wereld.deelnemer)
    invullen = {"vol": vol.pk, "gisteren": _dag(-1).isoformat()}
    data = {k: v.format(**invullen) for k, v in data.items()}
    response = client.post(_url(wereld, "deelnemers:wachtlijst"), data)
    assert response.status_code == 200
    assert melding in " ".join(response.context["form"].errors[veld])
    assert Wachtlijstplaats.objects.filter(deelnemer=wereld.deelnemer).count() == 1


def test_host_ziet_dat_er_iemand_wacht_niet_wie(client, wereld):
    """The workplace's own page: in order of registration; names only of whom the user opens."""
    eigen_plek = wereld.werkplek
    onbekend = DeelnemerFactory(achternaam="Onbekend-Vreemd", verwijzer=wereld.vreemd)
    WachtlijstplaatsFactory(
        werkplek=eigen_plek,
        deelnemer=onbekend,
        toelichting="Geheim van een ander",
        aangemeld_op=timezone.now() - dt.timedelta(days=5),
    )
    WachtlijstplaatsFactory(
        werkplek=eigen_plek, deelnemer=wereld.deelnemer, toelichting="Na de zomer"
    )
    client.force_login(wereld.gebruikers[TB])
    response = client.get(reverse("werkplekken:detail", args=[eigen_plek.pk]))
    tekst = pagina_tekst(response)
    assert "Onbekend-Vreemd" not in tekst and "Geheim van een ander" not in tekst
    wachtlijst = tekst[tekst.index("Wachtlijst") :]
    assert wachtlijst.index("Een deelnemer van wie u het dossier niet opent") < wachtlijst.index(
        wereld.deelnemer.naam
    )
    assert "Na de zomer" in wachtlijst


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twee_tegelijk_dezelfde_aanmelding_een_keer_op_de_lijst(wereld):
    if connection.vendor != "postgresql":
        pytest.skip("Gelijktijdige transacties vragen PostgreSQL.")
    werkplek = WerkplekFactory(organisatie=wereld.eigen, capaciteit=1)
    deelnemer = DeelnemerFactory(klantmanager=wereld.gebruikers[KM])
    TrajectFactory(deelnemer=deelnemer, aanbieder=wereld.eigen)
    aanmelden = functools.partial(
        services.op_wachtlijst, deelnemer=deelnemer, werkplek=werkplek, door=wereld.gebruikers[KM]
    )
    uitkomsten = tegelijk(aanmelden, aanmelden)
    assert sum(isinstance(u, Wachtlijstplaats) for u in uitkomsten) == 1, uitkomsten
    assert sum(isinstance(u, ValidationError) for u in uitkomsten) == 1, uitkomsten
    assert Wachtlijstplaats.objects.filter(deelnemer=deelnemer).count() == 1
