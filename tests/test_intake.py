"""The universal intake: BSN first, never a duplicate, concept kept, all-or-nothing completion."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deelnemers.beslisboom import TRAJECTTYPE_VOOR_ROUTE
from deelnemers.models import Contactmoment, Deelnemer, Intake
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from trajecten.models import PlanVanAanpak, Route, Traject, Trajecttype

from .conftest import pagina_tekst
from .factories import DeelnemerFactory, TrajectFactory

NIEUW_BSN = "111222333"


def _start(client, gebruiker, bsn=NIEUW_BSN):
    client.force_login(gebruiker)
    return client.post(reverse("deelnemers:intake_start"), {"bsn": bsn})


def _gegevens(gebruiker, **wijzig):
    vandaag = timezone.localdate()
    gegevens = {
        "persoon-voornaam": "Fatima",
        "persoon-achternaam": "El Amrani",
        "persoon-geboortedatum": "1985-05-17",
        "persoon-postcode": "3441 AB",
        "intake-datum": vandaag.isoformat(),
        "intake-consulent_werk": gebruiker.pk,
        "intake-afstand_tot_arbeidsmarkt": "lang",
        "intake-trajecttype": Trajecttype.objects.get(naam="Route Werk").pk,
        "intake-trajectstart": (vandaag + dt.timedelta(days=7)).isoformat(),
        "intake-werkervaringsovereenkomst": "on",
        "intake-medische_klachten": "False",
        "intake-inburgeringsplicht": "False",
        "intake-recente_werkervaring": "True",
        "intake-zelfstandig_reizen": "True",
        "intake-zorg_geregeld": "True",
        "actie": "afronden",
    }
    gegevens.update(wijzig)
    return gegevens


@pytest.fixture
def km(wereld):
    return wereld.gebruikers[Rol.KLANTMANAGER]


def test_nieuwe_intake_afronden(client, km):
    response = _start(client, km)
    intake = Intake.objects.get(bsn=NIEUW_BSN)
    assert response.url == reverse("deelnemers:intake", kwargs={"pk": intake.pk})

    response = client.post(response.url, _gegevens(km))
    deelnemer = Deelnemer.objects.get(bsn=NIEUW_BSN)
    assert response.url == deelnemer.get_absolute_url()
    traject = deelnemer.trajecten.get()
    assert (traject.status, traject.route, traject.startdatum) == (
        Traject.Status.AANGEMELD,
        Route.WERK,
        timezone.localdate() + dt.timedelta(days=7),
    )
    assert traject.aanbieder == km.organisatie
    fase = traject.fasen.get()
    assert (fase.fasetype.naam, fase.uren_budget, fase.startdatum) == (
        "Diagnose",
        100,
        traject.startdatum,
    )
    plan = PlanVanAanpak.objects.get(traject=traject)
    assert (plan.versie, plan.ondertekend_op, plan.afstand_tot_arbeidsmarkt) == (1, None, "lang")
    intake.refresh_from_db()
    assert intake.status == Intake.Status.AFGEROND
    assert intake.werkervaringsovereenkomst is True
    assert intake.beslisboom["recente_werkervaring"] is True
    # The intake keeps what it decided, beside the trajectory that came of it.
    assert (intake.deelnemer, intake.traject, intake.route, intake.afstand_tot_arbeidsmarkt) == (
        deelnemer,
        traject,
        Route.WERK,
        "lang",
    )
    assert deelnemer.klantmanager == km
    assert Contactmoment.objects.filter(
        deelnemer=deelnemer, onderwerp__startswith="Intake"
    ).exists()


@pytest.mark.parametrize(
    ("geboren", "antwoorden", "afstand", "route"),
    [
        ("2005-01-01", {"intake-medische_klachten": "True"}, "lang", Route.JONGEREN),
        ("1980-01-01", {"intake-medische_klachten": "True"}, "kort", Route.MEDISCH),
        ("1980-01-01", {"intake-inburgeringsplicht": "True"}, "lang", Route.INBURGERING),
        ("1980-01-01", {}, "niet_belastbaar", Route.PARTICIPATIE),
        ("1980-01-01", {}, "kort", Route.WERK),
    ],
)
def test_beslisboom_bepaalt_de_route(client, km, geboren, antwoorden, afstand, route):
    url = _start(client, km).url
    client.post(
        url,
        _gegevens(
            km,
            **{"persoon-geboortedatum": geboren, "intake-afstand_tot_arbeidsmarkt": afstand},
            **{"intake-trajecttype": ""},  # the route's proposal
            **antwoorden,
        ),
    )
    traject = Traject.objects.select_related("deelnemer").get(deelnemer__bsn=NIEUW_BSN)
    assert traject.route == route
    assert traject.trajecttype.naam == TRAJECTTYPE_VOOR_ROUTE[route]
    # The programme targets count from these: selection date and inburgeringsplicht.
    assert traject.aanmelddatum == Intake.objects.get(bsn=NIEUW_BSN).datum
    assert traject.deelnemer.inburgeringsplichtig is ("intake-inburgeringsplicht" in antwoorden)


def test_bekend_bsn_leidt_naar_het_bestaande_dossier(client, km, wereld):
    response = _start(client, km, bsn=wereld.deelnemer.bsn)
    intake = Intake.objects.get(bsn=wereld.deelnemer.bsn)
    assert intake.deelnemer == wereld.deelnemer
    response = client.get(response.url)
    assert wereld.deelnemer.voornaam in pagina_tekst(response)  # form prefilled
    # The participant still has a running trajectory: completing is refused, nothing saved.
    response = client.post(
        reverse("deelnemers:intake", kwargs={"pk": intake.pk}),
        _gegevens(
            km,
            **{
                "persoon-voornaam": wereld.deelnemer.voornaam,
                "persoon-achternaam": wereld.deelnemer.achternaam,
                "persoon-geboortedatum": wereld.deelnemer.geboortedatum.isoformat(),
            },
        ),
    )
    assert "al een lopend traject" in response.content.decode()
    assert Deelnemer.objects.filter(bsn=wereld.deelnemer.bsn).count() == 1
    assert wereld.deelnemer.trajecten.count() == 1


def test_terugkerende_deelnemer_krijgt_nieuw_traject(client, km, wereld):
    terug = DeelnemerFactory(verwijzer=wereld.eigen, klantmanager=km)
    TrajectFactory(deelnemer=terug, aanbieder=wereld.eigen, afgesloten=True)
    url = _start(client, km, bsn=terug.bsn).url
    client.post(
        url,
        _gegevens(
            km,
            **{
                "persoon-voornaam": terug.voornaam,
                "persoon-achternaam": terug.achternaam,
                "persoon-geboortedatum": terug.geboortedatum.isoformat(),
            },
        ),
    )
    assert terug.trajecten.count() == 2
    assert Deelnemer.objects.filter(bsn=terug.bsn).count() == 1


def test_bsn_bekend_bij_andere_organisatie(client, km, wereld):
    """The klantmanager is told what to do next, not who knows the person; the lookup is in
    the participant's audit log."""
    response = _start(client, km, bsn=wereld.vreemde_deelnemer.bsn)
    assert response.status_code == 200
    inhoud = pagina_tekst(response)
    assert "geen intake beginnen" in inhoud
    assert "functioneel beheerder" in inhoud
    assert wereld.vreemde_deelnemer.voornaam not in inhoud
    assert wereld.vreemd.naam not in inhoud
    assert "andere organisatie" not in inhoud
    assert not Intake.objects.filter(bsn=wereld.vreemde_deelnemer.bsn).exists()
    record = AuditRecord.objects.get(deelnemer=wereld.vreemde_deelnemer)
    assert (record.gebruiker, record.omschrijving) == (km, "intake: BSN gezocht (geweigerd)")


def test_bsn_bekend_bij_ons_maar_niet_als_regie(client, km, wereld):
    """Our organisation provides the trajectory or hosts, but another holds the case: the
    same answer as for a stranger, so the intake does not tell them apart."""
    from .factories import DeelnemerFactory, TrajectFactory

    anders = DeelnemerFactory(regie=wereld.vreemd)
    TrajectFactory(deelnemer=anders, aanbieder=wereld.eigen)
    inhoud = _start(client, km, bsn=anders.bsn).content.decode()
    assert "geen intake beginnen" in inhoud
    assert not Intake.objects.filter(bsn=anders.bsn).exists()


def test_concept_bewaart_wat_getypt_is(client, km):
    url = _start(client, km).url
    response = client.post(
        url,
        {
            "persoon-voornaam": "Half",
            "persoon-geboortedatum": "1990-13-45",  # not even a date: kept as typed
            "persoon-doelgroepen": ["1", "2"],
            "intake-medische_klachten": "True",
            "actie": "concept",
        },
    )
    assert response.url == reverse("start")
    assert not Deelnemer.objects.filter(bsn=NIEUW_BSN).exists()
    inhoud = client.get(url).content.decode()
    assert 'value="Half"' in inhoud
    assert 'value="1990-13-45"' in inhoud
    # Starting again with the same BSN continues the concept, not a second intake.
    assert _start(client, km).url == url
    assert Intake.objects.filter(bsn=NIEUW_BSN).count() == 1


def test_concept_ouder_dan_een_week_is_een_signaal(client, km):
    _start(client, km)
    Intake.objects.update(aangemaakt_op=timezone.now() - dt.timedelta(days=8))
    inhoud = client.get(reverse("start")).content.decode()
    assert "Intake langer dan een week in concept" in inhoud


@pytest.mark.parametrize(
    ("wijzig", "veld", "melding"),
    [
        (
            {"intake-trajectstart": "2000-01-01"},
            "trajectstart",
            "Het traject kan niet beginnen voor de intake.",
        ),
        ({"persoon-geboortedatum": "2999-01-01"}, "geboortedatum", "in de toekomst"),
        ({"persoon-postcode": "12345"}, "postcode", "1234 AB"),
        ({"intake-afstand_tot_arbeidsmarkt": ""}, "afstand_tot_arbeidsmarkt", "verplicht"),
    ],
)
def test_foute_invoer_slaat_niets_half_op(client, km, wijzig, veld, melding):
    url = _start(client, km).url
    response = client.post(url, _gegevens(km, **wijzig))
    assert response.status_code == 200
    form = response.context["persoon" if wijzig.popitem()[0].startswith("persoon") else "gesprek"]
    assert melding in " ".join(form.errors[veld])
    assert not Deelnemer.objects.filter(bsn=NIEUW_BSN).exists()
    assert not Traject.objects.filter(deelnemer__bsn=NIEUW_BSN).exists()
    assert Intake.objects.get(bsn=NIEUW_BSN).status == Intake.Status.CONCEPT


def test_nieuwe_intake_met_een_andere_verwijzer_verhuist_de_uren(client, km, wereld):
    """A returning participant referred by someone else now: their booked hours move to the
    new referrer in the week totals, as when the referrer is changed on the dossier."""
    from trajecten.models import UrenPerWeek
    from trajecten.services import weektotalen_opnieuw_opbouwen

    from .factories import OrganisatieFactory, UrenregistratieFactory

    UrenregistratieFactory(fase=wereld.traject.fasen.get(), werkplek=wereld.werkplek)
    Traject.objects.filter(pk=wereld.traject.pk).update(
        status=Traject.Status.AFGESLOTEN, einddatum=timezone.localdate()
    )
    nieuw = OrganisatieFactory(naam="Nieuwe verwijzer")
    url = _start(client, km, bsn=wereld.deelnemer.bsn).url
    client.post(
        url, _gegevens(km, **{"persoon-bsn": wereld.deelnemer.bsn, "persoon-verwijzer": nieuw.pk})
    )
    wereld.deelnemer.refresh_from_db()
    assert wereld.deelnemer.verwijzer == nieuw

    def stand():
        return sorted(UrenPerWeek.objects.exclude(uren=0).values_list("verwijzer_id", "uren"))

    bijgehouden = stand()
    weektotalen_opnieuw_opbouwen()
    assert bijgehouden == stand() == [(nieuw.pk, 6)]


class TestRouteKiestHetTrajecttype:
    """The intake's answers gave "route participatie", yet it created a Route Werk trajectory:
    the trajecttype list was filled before the answers and never followed the route."""

    def _afronden(self, client, km, **wijzig):
        url = _start(client, km).url
        return client.post(url, _gegevens(km, **{"intake-trajecttype": "", **wijzig}))

    def test_de_route_stelt_het_trajecttype_voor(self, client, km):
        self._afronden(client, km, **{"intake-afstand_tot_arbeidsmarkt": "niet_belastbaar"})
        traject = Traject.objects.get(deelnemer__bsn=NIEUW_BSN)
        assert (traject.route, traject.trajecttype.naam) == (
            Route.PARTICIPATIE,
            "Arbeidsmatige dagbesteding",
        )

    def test_de_organisatie_richt_het_voorstel_zelf_in(self, client, km):
        from trajecten.models import RouteTrajecttype

        beschut = Trajecttype.objects.get(naam="Beschut werk")
        RouteTrajecttype.objects.create(
            organisatie=km.organisatie, route=Route.PARTICIPATIE, trajecttype=beschut
        )
        self._afronden(client, km, **{"intake-afstand_tot_arbeidsmarkt": "niet_belastbaar"})
        assert Traject.objects.get(deelnemer__bsn=NIEUW_BSN).trajecttype == beschut

    def test_afwijken_kan_met_een_reden(self, client, km):
        werk = Trajecttype.objects.get(naam="Route Werk").pk
        anders = {"intake-afstand_tot_arbeidsmarkt": "niet_belastbaar", "intake-trajecttype": werk}
        response = self._afronden(client, km, **anders)
        assert "Zeg waarom u Route Werk kiest" in response.content.decode()
        assert not Traject.objects.filter(deelnemer__bsn=NIEUW_BSN).exists()
        url = reverse("deelnemers:intake", args=[Intake.objects.get(bsn=NIEUW_BSN).pk])
        client.post(
            url,
            _gegevens(km, **anders, **{"intake-reden_afwijking": "Wil graag werken, arts akkoord"}),
        )
        traject = Traject.objects.get(deelnemer__bsn=NIEUW_BSN)
        assert traject.trajecttype.naam == "Route Werk"
        assert Contactmoment.objects.filter(verslag__contains="arts akkoord").exists()
