"""The detacheringsbaan as a chain of contracts (7, 8 and 8 months), its two signals, the
contract at uitstroom to work, the follow-up at 6 and 12 months, and the sustained outcome
in the outcomes report."""

import datetime as dt
import functools

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment
from reintegratie.accounts.models import Organisatie, Rol
from reintegratie.taken.models import Taak
from reintegratie.taken.signalen import taken_uit_signalen
from trajecten import resultaten
from trajecten.contracten import contract_vastleggen
from trajecten.models import Contract, Nazorg, Signaal, Traject, Trajecttype, Uitstroom

from .conftest import pagina_tekst, tegelijk
from .factories import (
    ContractFactory,
    DeelnemerFactory,
    NazorgFactory,
    OrganisatieFactory,
    PlaatsingFactory,
    TrajectFactory,
    UitstroomFactory,
)


@pytest.fixture
def werkgever(db):
    return OrganisatieFactory(naam="Bouwbedrijf Stapel", soort=Organisatie.Soort.WERKGEVER)


@pytest.fixture
def detachering(wereld, werkgever):
    """A running detacheringsbaan of one of our klantmanager's participants, placed at our
    workplace; it started a year ago, so a chain fits in its past and its future."""
    deelnemer = DeelnemerFactory(
        voornaam="Dirk",
        achternaam="Detacheer",
        verwijzer=wereld.verwijzer,
        klantmanager=wereld.gebruikers[Rol.KLANTMANAGER],
    )
    start = timezone.localdate() - relativedelta(years=1)
    traject = TrajectFactory(
        deelnemer=deelnemer, aanbieder=wereld.eigen, detachering=True, startdatum=start
    )
    PlaatsingFactory(deelnemer=deelnemer, werkplek=wereld.werkplek, traject=traject)
    return traject


def _vastleggen(client, traject, **gegevens):
    return client.post(reverse("trajecten:contract_nieuw", kwargs={"pk": traject.pk}), gegevens)


def _contract(client, traject, werkgever, start, eind, soort="tijdelijk"):
    return _vastleggen(
        client,
        traject,
        werkgever=werkgever.pk,
        soort=soort,
        startdatum=start.isoformat(),
        einddatum=eind.isoformat() if eind else "",
        toelichting="",
    )


def _einde(start, maanden):
    return start + relativedelta(months=maanden) - dt.timedelta(days=1)


def _signalen(traject):
    return {code for code, _ in Traject.objects.met_signalen().get(pk=traject.pk).signalen()}


class TestDeKeten:
    def test_drie_tijdelijke_contracten_van_7_8_en_8_maanden_dan_vast(
        self, client, km, detachering, werkgever
    ):
        start = detachering.startdatum
        for maanden in (7, 8, 8):
            eind = _einde(start, maanden)
            # One day longer than its link allows is refused, at the end date.
            te_lang = _contract(client, detachering, werkgever, start, eind + dt.timedelta(days=1))
            assert te_lang.status_code == 200
            fout = " ".join(te_lang.context["form"].errors["einddatum"])
            assert f"hoogstens {maanden} maanden" in fout
            assert _contract(client, detachering, werkgever, start, eind).status_code == 302
            start = eind + dt.timedelta(days=1)
        vierde = _contract(client, detachering, werkgever, start, _einde(start, 6))
        assert "hoogstens 3 tijdelijke contracten" in " ".join(
            vierde.context["form"].errors["soort"]
        )
        assert _contract(client, detachering, werkgever, start, None, "vast").status_code == 302
        assert list(detachering.contracten.values_list("soort", flat=True)) == [
            "tijdelijk",
            "tijdelijk",
            "tijdelijk",
            "vast",
        ]
        journaal = Contactmoment.objects.filter(
            deelnemer=detachering.deelnemer, soort="besluit"
        ).values_list("onderwerp", flat=True)
        assert (
            sum(
                "Contract 2 van 3 (tijdelijk contract) bij Bouwbedrijf Stapel" in j
                for j in journaal
            )
            == 1
        )

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_twee_tegelijk_op_de_laatste_schakel_een_slaagt(self, detachering, werkgever, wereld):
        """Two people record the third and last temporary contract at the same moment, at
        two employers: the lock on the trajectory lets exactly one through."""
        if connection.vendor != "postgresql":
            pytest.skip("Gelijktijdige transacties vragen PostgreSQL.")
        start = detachering.startdatum
        for maanden in (7, 8):
            eind = _einde(start, maanden)
            ContractFactory(
                traject=detachering, werkgever=werkgever, startdatum=start, einddatum=eind
            )
            start = eind + dt.timedelta(days=1)
        ander = OrganisatieFactory(naam="Kwekerij Groen", soort=Organisatie.Soort.WERKGEVER)
        uitkomsten = tegelijk(
            *(
                functools.partial(
                    contract_vastleggen,
                    traject=detachering,
                    door=wereld.gebruikers[Rol.KLANTMANAGER],
                    werkgever=org,
                    soort="tijdelijk",
                    startdatum=start,
                    einddatum=_einde(start, 8),
                )
                for org in (werkgever, ander)
            )
        )
        fouten = [u for u in uitkomsten if isinstance(u, Exception)]
        assert len(fouten) == 1 and isinstance(fouten[0], ValidationError), uitkomsten
        assert detachering.contracten.count() == 3

    def test_het_formulier_zegt_welk_contract_het_wordt(self, client, km, detachering):
        ContractFactory(traject=detachering)
        response = client.get(reverse("trajecten:contract_nieuw", kwargs={"pk": detachering.pk}))
        tekst = pagina_tekst(response)
        assert "contract 2 van 3" in tekst
        assert "hoogstens 8 maanden" in tekst
        # The likely employer is the organisation of the running placement.
        assert response.context["form"].initial["werkgever"] == detachering.aanbieder.pk

    @pytest.mark.parametrize(
        ("gegevens", "veld", "melding"),
        [
            ({"einddatum": ""}, "einddatum", "Een tijdelijk contract heeft een einddatum"),
            ({"startdatum": "2000-01-01"}, "startdatum", "Het traject begon op"),
            ({"werkgever": "9" * 40}, "werkgever", "Kies een werkgever uit de lijst"),
            ({"werkgever": ""}, "werkgever", "Kies de werkgever"),
            ({"soort": "levenslang"}, "soort", "Selecteer een geldige keuze"),
        ],
    )
    def test_onjuiste_invoer_geeft_een_melding_bij_het_veld_en_slaat_niets_op(
        self, client, km, detachering, werkgever, gegevens, veld, melding
    ):
        start = detachering.startdatum
        data = {
            "werkgever": werkgever.pk,
            "soort": "tijdelijk",
            "startdatum": start.isoformat(),
            "einddatum": _einde(start, 3).isoformat(),
            **gegevens,
        }
        response = _vastleggen(client, detachering, **data)
        assert response.status_code == 200
        assert melding in " ".join(response.context["form"].errors[veld])
        assert not Contract.objects.exists()

    def test_een_deelnemer_heeft_een_contract_tegelijk(
        self, client, km, detachering, werkgever, wereld
    ):
        # Also over trajectories: an earlier one of the same participant.
        eerder = ContractFactory(
            traject=TrajectFactory(
                deelnemer=detachering.deelnemer, detachering=True, afgesloten=True
            ),
            startdatum=detachering.startdatum + dt.timedelta(days=30),
            einddatum=detachering.startdatum + dt.timedelta(days=90),
        )
        response = _contract(
            client,
            detachering,
            werkgever,
            detachering.startdatum,
            detachering.startdatum + dt.timedelta(days=60),
        )
        assert "overlapt met het contract bij" in " ".join(
            response.context["form"].errors["startdatum"]
        )
        assert Contract.objects.get() == eerder

    def test_een_nieuw_contract_begint_na_het_vorige(self, client, km, detachering, werkgever):
        ContractFactory(
            traject=detachering,
            startdatum=detachering.startdatum + dt.timedelta(days=100),
            einddatum=detachering.startdatum + dt.timedelta(days=150),
        )
        response = _contract(
            client,
            detachering,
            werkgever,
            detachering.startdatum,
            detachering.startdatum + dt.timedelta(days=30),
        )
        assert "begint na het vorige" in " ".join(response.context["form"].errors["startdatum"])

    def test_de_keten_staat_op_het_dossier_met_een_link_om_vast_te_leggen(
        self, client, km, detachering
    ):
        ContractFactory(traject=detachering, werkgever__naam="Kwekerij Groen")
        tekst = pagina_tekst(client.get(detachering.deelnemer.get_absolute_url()))
        assert "Contracten" in tekst
        assert "Kwekerij Groen" in tekst
        assert "Contract vastleggen" in tekst

    def test_afsluiten_beeindigt_het_lopende_contract(self, client, km, detachering):
        contract = ContractFactory(
            traject=detachering, einddatum=timezone.localdate() + dt.timedelta(days=60)
        )
        vandaag = timezone.localdate()
        response = client.post(
            reverse("trajecten:afsluiten", kwargs={"pk": detachering.pk}),
            {"datum": vandaag.isoformat(), "resultaat": "werk", "contract": "vast"},
        )
        assert response.status_code == 302
        contract.refresh_from_db()
        assert contract.einddatum == vandaag


class TestEerderBeeindigen:
    """The employer or the participant stops before the agreed end: the klantmanager records
    the last day from the dossier; what follows is then to be decided (the signal)."""

    def _url(self, contract):
        return reverse(
            "trajecten:contract_beeindigen",
            kwargs={"pk": contract.traject_id, "contract": contract.pk},
        )

    def test_vanaf_het_dossier_met_de_reden_in_het_journaal(self, client, km, detachering):
        vandaag = timezone.localdate()
        contract = ContractFactory(
            traject=detachering,
            startdatum=vandaag - dt.timedelta(days=30),
            einddatum=vandaag + dt.timedelta(days=150),
            werkgever__naam="Kwekerij Groen",
        )
        assert Signaal.CONTRACT_LOOPT_AF not in _signalen(detachering)
        dossier = client.get(detachering.deelnemer.get_absolute_url()).content.decode()
        assert f'href="{self._url(contract)}"' in dossier
        assert "Contract beëindigen" in client.get(self._url(contract)).content.decode()

        einde = vandaag + dt.timedelta(days=5)
        response = client.post(
            self._url(contract), {"einddatum": einde.isoformat(), "reden": "Bedrijf failliet."}
        )
        assert response.status_code == 302
        contract.refresh_from_db()
        assert contract.einddatum == einde
        besluit = Contactmoment.objects.get(deelnemer=detachering.deelnemer)
        assert besluit.onderwerp.startswith("Contract bij Kwekerij Groen eerder beëindigd")
        assert besluit.verslag == "Bedrijf failliet."
        # The end is near now: what follows is to be decided.
        assert Signaal.CONTRACT_LOOPT_AF in _signalen(detachering)

    def test_een_vast_contract_krijgt_een_einde(self, client, km, detachering):
        contract = ContractFactory(traject=detachering, vast=True)
        einde = timezone.localdate()
        response = client.post(
            self._url(contract), {"einddatum": einde.isoformat(), "reden": "Zelf opgezegd."}
        )
        assert response.status_code == 302
        contract.refresh_from_db()
        assert contract.einddatum == einde

    @pytest.mark.parametrize(
        ("gegevens", "veld", "melding"),
        [
            ({"einddatum": "+200", "reden": "x"}, "einddatum", "kies een eerdere datum"),
            ({"einddatum": "-400", "reden": "x"}, "einddatum", "Het contract begon op"),
            ({"einddatum": "+5", "reden": ""}, "reden", "Geef de reden"),
            ({"einddatum": "", "reden": "x"}, "einddatum", "Vul de laatste dag"),
            ({"einddatum": "31-02-2026", "reden": "x"}, "einddatum", "geldige datum"),
        ],
    )
    def test_onjuiste_invoer_geeft_een_melding_bij_het_veld(
        self, client, km, detachering, gegevens, veld, melding
    ):
        vandaag = timezone.localdate()
        contract = ContractFactory(
            traject=detachering,
            startdatum=vandaag - dt.timedelta(days=30),
            einddatum=vandaag + dt.timedelta(days=150),
        )
        datum = gegevens["einddatum"]
        if datum[:1] in "+-" and datum:
            gegevens = {**gegevens, "einddatum": str(vandaag + dt.timedelta(days=int(datum)))}
        response = client.post(self._url(contract), gegevens)
        assert response.status_code == 200
        assert melding in " ".join(response.context["form"].errors[veld])
        contract.refresh_from_db()
        assert contract.einddatum == vandaag + dt.timedelta(days=150)
        assert not Contactmoment.objects.filter(deelnemer=detachering.deelnemer).exists()

    def test_niet_als_er_al_een_volgend_contract_is(self, client, km, detachering):
        eerste = ContractFactory(traject=detachering)
        ContractFactory(traject=detachering, startdatum=eerste.einddatum + dt.timedelta(days=1))
        response = client.post(
            self._url(eerste), {"einddatum": str(eerste.startdatum), "reden": "Fout."}
        )
        assert "al een volgend contract" in " ".join(response.context["form"].non_field_errors())
        assert Contract.objects.get(pk=eerste.pk).einddatum == eerste.einddatum

    def test_een_contract_van_een_ander_traject_is_er_niet(self, client, km, wereld, detachering):
        vreemd = ContractFactory(traject=wereld.vreemd_traject)
        url = reverse(
            "trajecten:contract_beeindigen",
            kwargs={"pk": detachering.pk, "contract": vreemd.pk},
        )
        assert client.get(url).status_code == 404


class TestSignalen:
    def test_contract_loopt_af_binnen_de_weken_van_het_trajecttype(self, detachering):
        vandaag = timezone.localdate()
        contract = ContractFactory(traject=detachering, einddatum=vandaag + dt.timedelta(weeks=5))
        assert Signaal.CONTRACT_LOOPT_AF not in _signalen(detachering)
        contract.einddatum = vandaag + dt.timedelta(weeks=3)
        contract.zet_signaal(4)
        contract.save()
        assert Signaal.CONTRACT_LOOPT_AF in _signalen(detachering)
        # The caseload filter asks the same definition.
        assert Traject.objects.met_signaal(Signaal.CONTRACT_LOOPT_AF).filter(pk=detachering.pk)

    def test_een_volgend_contract_neemt_het_signaal_weg(self, detachering):
        vandaag = timezone.localdate()
        eerste = ContractFactory(traject=detachering, einddatum=vandaag + dt.timedelta(days=10))
        assert Signaal.CONTRACT_LOOPT_AF in _signalen(detachering)
        ContractFactory(
            traject=detachering,
            startdatum=eerste.einddatum + dt.timedelta(days=1),
            einddatum=eerste.einddatum + dt.timedelta(days=200),
        )
        assert Signaal.CONTRACT_LOOPT_AF not in _signalen(detachering)

    def test_andere_weken_in_beheer_gelden_ook_voor_lopende_contracten(self, detachering):
        ContractFactory(traject=detachering, einddatum=timezone.localdate() + dt.timedelta(weeks=6))
        assert Signaal.CONTRACT_LOOPT_AF not in _signalen(detachering)
        type_ = Trajecttype.objects.get(pk=detachering.trajecttype_id)
        type_.contract_signaal_weken = 8
        type_.save()
        assert Signaal.CONTRACT_LOOPT_AF in _signalen(detachering)

    def test_carrousel_meer_tijdelijke_contracten_op_rij_dan_het_trajecttype_toestaat(
        self, detachering
    ):
        """Three in the chain is the detacheringsbaan; a fourth temporary one, even in an
        earlier trajectory, is a carrousel. A permanent contract in between resets it."""
        eerder = TrajectFactory(
            deelnemer=detachering.deelnemer,
            detachering=True,
            afgesloten=True,
            startdatum=detachering.startdatum - relativedelta(years=3),
            einddatum=detachering.startdatum - dt.timedelta(days=1),
        )
        begin = eerder.startdatum
        ContractFactory(traject=eerder, startdatum=begin, einddatum=begin + dt.timedelta(days=30))
        start = detachering.startdatum
        for n in range(3):
            ContractFactory(
                traject=detachering,
                startdatum=start + dt.timedelta(days=60 * n),
                einddatum=start + dt.timedelta(days=60 * n + 59),
            )
        assert Signaal.CARROUSEL in _signalen(detachering)
        ContractFactory(traject=eerder, vast=True, startdatum=begin + dt.timedelta(days=31))
        assert Signaal.CARROUSEL not in _signalen(detachering)

    def test_zonder_drempel_geen_carrousel(self, wereld):
        for n in range(5):
            ContractFactory(
                traject=wereld.traject,
                startdatum=wereld.traject.startdatum + dt.timedelta(days=10 * n),
                einddatum=wereld.traject.startdatum + dt.timedelta(days=10 * n + 9),
            )
        assert Signaal.CARROUSEL not in _signalen(wereld.traject)

    def test_het_einde_van_een_contract_wordt_een_taak_voor_de_klantmanager(self, detachering):
        vandaag = timezone.localdate()
        contract = ContractFactory(traject=detachering, einddatum=vandaag + dt.timedelta(days=10))
        assert taken_uit_signalen() >= 1
        taak = Taak.objects.get(sleutel__startswith=f"signaal:contract:{contract.pk}:")
        assert taak.eigenaar == detachering.deelnemer.klantmanager
        assert taak.vervaldatum == contract.signaal_vanaf
        assert "loopt af" in taak.omschrijving
        assert taken_uit_signalen() == 0


class TestUitstroomEnNazorg:
    def _uitstroom(self, wereld, maanden_geleden, contract="vast"):
        datum = timezone.localdate() - relativedelta(months=maanden_geleden)
        traject = TrajectFactory(
            deelnemer=DeelnemerFactory(
                verwijzer=wereld.verwijzer, klantmanager=wereld.gebruikers[Rol.KLANTMANAGER]
            ),
            aanbieder=wereld.eigen,
            afgesloten=True,
            startdatum=datum - dt.timedelta(days=100),
            einddatum=datum,
        )
        return UitstroomFactory(traject=traject, datum=datum, contract=contract)

    def test_nazorg_na_6_maanden_vanaf_het_dossier(self, client, km, wereld):
        uitstroom = self._uitstroom(wereld, 6)
        dossier = uitstroom.traject.deelnemer.get_absolute_url()
        tekst = pagina_tekst(client.get(dossier))
        assert "Nazorg na 6 maanden vastleggen" in tekst
        assert "Nazorg na 12 maanden vastleggen" not in tekst
        url = reverse("trajecten:nazorg", kwargs={"pk": uitstroom.traject.pk, "moment": 6})
        response = client.post(
            url,
            {"datum": timezone.localdate().isoformat(), "aan_het_werk": "ja", "toelichting": ""},
        )
        assert response.status_code == 302
        nazorg = Nazorg.objects.get()
        assert (nazorg.moment, nazorg.aan_het_werk) == (6, True)
        tekst = pagina_tekst(client.get(dossier))
        assert "Nazorg na 6 maanden: nog aan het werk" in tekst
        assert "Nazorg na 6 maanden vastleggen" not in tekst
        # A second time is refused at the field; nothing changes.
        response = client.post(
            url,
            {"datum": timezone.localdate().isoformat(), "aan_het_werk": "nee"},
        )
        assert "al vastgelegd" in pagina_tekst(response)
        assert Nazorg.objects.get().aan_het_werk is True

    def test_nazorg_kan_niet_te_vroeg_en_niet_in_de_toekomst(self, client, km, wereld):
        uitstroom = self._uitstroom(wereld, 2)
        url = reverse("trajecten:nazorg", kwargs={"pk": uitstroom.traject.pk, "moment": 6})
        vandaag = timezone.localdate()
        for datum, melding in [
            (vandaag, "kan vanaf"),
            (vandaag + relativedelta(months=5), "niet in de toekomst"),
        ]:
            response = client.post(url, {"datum": datum.isoformat(), "aan_het_werk": "ja"})
            assert melding in " ".join(response.context["form"].errors["datum"])
        assert not Nazorg.objects.exists()

    def test_nazorg_alleen_bij_werk_en_op_de_twee_momenten(self, client, km, wereld):
        uitstroom = self._uitstroom(wereld, 7)
        for moment in (3, 24):
            url = reverse("trajecten:nazorg", kwargs={"pk": uitstroom.traject.pk, "moment": moment})
            assert client.get(url).status_code == 404
        uitstroom.resultaat, uitstroom.contract = Uitstroom.Resultaat.STUDIE, ""
        uitstroom.save()
        url = reverse("trajecten:nazorg", kwargs={"pk": uitstroom.traject.pk, "moment": 6})
        assert client.get(url).status_code == 404

    def test_nazorg_die_aan_de_beurt_is_wordt_een_taak(self, wereld):
        uitstroom = self._uitstroom(wereld, 6)
        gedaan = self._uitstroom(wereld, 6)
        NazorgFactory(uitstroom=gedaan, moment=6)
        taken_uit_signalen()
        assert not Taak.objects.filter(sleutel=f"nazorg:{gedaan.pk}:6").exists()
        taak = Taak.objects.get(sleutel=f"nazorg:{uitstroom.pk}:6")
        assert taak.eigenaar == wereld.gebruikers[Rol.KLANTMANAGER]
        assert "Nazorg na 6 maanden" in taak.omschrijving
        assert not Taak.objects.filter(sleutel=f"nazorg:{uitstroom.pk}:12").exists()

    def test_duurzaam_resultaat_in_het_resultatenrapport(self, wereld):
        """Known answer: four to work, each in the cohort."""
        vast = self._uitstroom(wereld, 13, "vast")
        NazorgFactory(uitstroom=vast, moment=6, aan_het_werk=True)
        NazorgFactory(uitstroom=vast, moment=12, aan_het_werk=True)
        tijdelijk = self._uitstroom(wereld, 8, "tijdelijk")
        NazorgFactory(uitstroom=tijdelijk, moment=6, aan_het_werk=False)
        self._uitstroom(wereld, 1, "loonkostensubsidie")
        zonder = self._uitstroom(wereld, 2, "")
        UitstroomFactory(traject__deelnemer__verwijzer=wereld.verwijzer, resultaat="studie")
        qs = resultaten.trajecten(
            user=wereld.gebruikers[Rol.MANAGER],
            van=timezone.localdate() - relativedelta(years=3),
            tot=timezone.localdate(),
            filters={},
        )
        aantallen, sluitend = resultaten.tabel(qs)
        assert sluitend
        verwacht = {
            "werk": 4,
            "contract_vast": 1,
            "contract_tijdelijk": 1,
            "contract_loonkostensubsidie": 1,
            "contract_onbekend": 1,
            "nazorg_6_werk": 1,
            "nazorg_6_niet": 1,
            "nazorg_6_open": 2,
            "nazorg_12_werk": 1,
            "nazorg_12_niet": 0,
            "nazorg_12_open": 3,
        }
        assert {code: aantallen[code] for code in verwacht} == verwacht
        assert zonder.contract == ""

    def test_de_doorklik_toont_wie_na_6_maanden_nog_werkt(self, client, wereld):
        vast = self._uitstroom(wereld, 7)
        NazorgFactory(uitstroom=vast, moment=6, aan_het_werk=True)
        self._uitstroom(wereld, 8)
        client.force_login(wereld.gebruikers[Rol.MANAGER])
        van = (timezone.localdate() - relativedelta(years=2)).isoformat()
        response = client.get(reverse("resultaten"), {"van": van, "cel": "nazorg_6_werk"})
        tekst = pagina_tekst(response)
        assert "Uitstroom naar werk: contract en nazorg" in tekst
        assert "Na 6 maanden nog aan het werk: 1 deelnemer" in tekst
        assert vast.traject.deelnemer.naam in tekst
