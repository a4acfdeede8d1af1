"""Tasks: next actions with an owner and a date, collected where the user looks, finished with
one click, derived from signals, and handed over with the caseload."""

import datetime as dt
import functools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment, Deelnemer
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from reintegratie.taken import services
from reintegratie.taken.achtergrond import taken_afleiden
from reintegratie.taken.models import Taak
from reintegratie.taken.signalen import taken_uit_signalen
from trajecten.models import Instrumentinzet

from .conftest import pagina_tekst, tegelijk
from .factories import DeelnemerFactory, GebruikerFactory, TaakFactory

KM, TB, MAN = Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER


def vandaag():
    return timezone.localdate()


def _journaal(client, wereld, **gegevens):
    data = {"soort": "gesprek", "onderwerp": "Gesprek over werk", **gegevens}
    url = reverse("deelnemers:contactmoment", kwargs={"pk": wereld.deelnemer.pk})
    return client.post(url, data)


def _collega(wereld, rol=KM, **kwargs):
    return GebruikerFactory(organisatie=wereld.eigen, rol=rol, **kwargs)


class TestVolgendeActieWordtTaak:
    def test_de_schrijver_krijgt_de_taak(self, client, wereld, km, klantmanager):
        op = vandaag() + dt.timedelta(days=3)
        _journaal(client, wereld, volgende_actie="CV nasturen", volgende_actie_op=op)
        taak = Taak.objects.get(deelnemer=wereld.deelnemer)
        assert (taak.omschrijving, taak.vervaldatum, taak.eigenaar) == (
            "CV nasturen",
            op,
            klantmanager,
        )
        assert (taak.bron, taak.medisch) == (Taak.Bron.JOURNAAL, False)

    def test_zonder_datum_is_de_taak_voor_de_dag_zelf(self, client, wereld, km):
        _journaal(client, wereld, volgende_actie="Terugbellen")
        assert Taak.objects.get().vervaldatum == vandaag()

    def test_een_medisch_contactmoment_geeft_een_medische_taak(self, client, wereld, km):
        _journaal(client, wereld, volgende_actie="Bedrijfsarts bellen", medisch="on")
        assert Taak.objects.get().medisch

    def test_voor_een_collega_die_het_dossier_opent(self, client, wereld, km):
        collega = _collega(wereld)
        _journaal(client, wereld, volgende_actie="Werkgever bellen", eigenaar=collega.pk)
        assert Taak.objects.get().eigenaar == collega

    def test_een_collega_die_het_dossier_niet_opent_een_melding_bij_het_veld(
        self, client, wereld, km
    ):
        # A trajectbegeleider of the organisation, not on this trajectory and not the
        # provider's: the file is closed to him.
        wereld.traject.aanbieder = wereld.vreemd
        wereld.traject.save()
        collega = _collega(wereld, rol=TB)
        response = _journaal(client, wereld, volgende_actie="Iets", eigenaar=collega.pk)
        assert "kan dit dossier niet openen" in " ".join(
            response.context["contact_form"].errors["eigenaar"]
        )
        assert not Contactmoment.objects.filter(onderwerp="Gesprek over werk").exists()
        assert not Taak.objects.exists()

    def test_een_volgende_actie_ver_terug_een_melding(self, client, wereld, km):
        oud = vandaag() - dt.timedelta(days=400)
        response = _journaal(client, wereld, volgende_actie="Iets", volgende_actie_op=oud)
        assert "dagen terug" in " ".join(
            response.context["contact_form"].errors["volgende_actie_op"]
        )
        assert not Taak.objects.exists()

    def test_het_contactmoment_wijzigen_werkt_de_taak_bij(self, wereld, klantmanager):
        from deelnemers.services import contactmoment_toevoegen

        moment = contactmoment_toevoegen(
            deelnemer=wereld.deelnemer,
            door=klantmanager,
            soort="gesprek",
            onderwerp="Gesprek",
            volgende_actie="Bellen",
        )
        moment.volgende_actie = "Mailen"
        moment.volgende_actie_op = vandaag() + dt.timedelta(days=1)
        moment.save()
        services.taak_uit_journaal(contactmoment=moment)
        taak = Taak.objects.get()
        assert (taak.omschrijving, taak.vervaldatum) == ("Mailen", moment.volgende_actie_op)
        moment.volgende_actie = ""
        services.taak_uit_journaal(contactmoment=moment)
        assert not Taak.objects.exists()


class TestCaseloadKolom:
    def test_de_eerste_open_taak_met_te_laat(self, client, wereld, km, klantmanager):
        TaakFactory(
            deelnemer=wereld.deelnemer, eigenaar=klantmanager, omschrijving="Later", later=True
        )
        TaakFactory(
            deelnemer=wereld.deelnemer, eigenaar=klantmanager, omschrijving="Eerst", te_laat=True
        )
        TaakFactory(
            deelnemer=wereld.deelnemer,
            eigenaar=klantmanager,
            omschrijving="Klaar",
            te_laat=True,
            afgerond=True,
        )
        tekst = pagina_tekst(client.get(reverse("deelnemers:lijst")))
        assert "Eerst" in tekst and "te laat" in tekst
        assert "Later" not in tekst and "Klaar" not in tekst

    def test_een_medische_taak_niet_voor_de_manager(self, client, wereld, klantmanager):
        TaakFactory(
            deelnemer=wereld.deelnemer,
            eigenaar=klantmanager,
            omschrijving="Arts bellen",
            medisch=True,
        )
        client.force_login(wereld.gebruikers[MAN])
        assert "Arts bellen" not in pagina_tekst(client.get(reverse("deelnemers:lijst")))
        client.force_login(klantmanager)
        assert "Arts bellen" in pagina_tekst(client.get(reverse("deelnemers:lijst")))


class TestDossierTaken:
    def _nieuw(self, client, wereld, deelnemer=None, **gegevens):
        url = reverse("taken:nieuw", kwargs={"pk": (deelnemer or wereld.deelnemer).pk})
        return client.post(url, gegevens)

    def test_een_taak_voor_een_collega(self, client, wereld, km):
        collega = _collega(wereld, first_name="Chris", last_name="Collega")
        op = vandaag() + dt.timedelta(days=2)
        response = self._nieuw(
            client, wereld, omschrijving="Werkgever bezoeken", vervaldatum=op, eigenaar=collega.pk
        )
        assert response.status_code == 302
        taak = Taak.objects.get()
        assert (taak.eigenaar, taak.vervaldatum, taak.bron) == (collega, op, Taak.Bron.HAND)
        tekst = pagina_tekst(
            client.get(reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk}))
        )
        assert "Werkgever bezoeken" in tekst and "Chris Collega" in tekst

    def test_afgeronde_taken_opgevouwen(self, client, wereld, km, klantmanager):
        TaakFactory(
            deelnemer=wereld.deelnemer, eigenaar=klantmanager, omschrijving="Gedaan", afgerond=True
        )
        inhoud = client.get(
            reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk})
        ).content.decode()
        assert inhoud.index("Afgeronde taken") < inhoud.index("Gedaan")

    def test_voor_een_deelnemer_die_u_niet_ziet_een_404(self, client, wereld, km):
        response = self._nieuw(
            client,
            wereld,
            deelnemer=wereld.vreemde_deelnemer,
            omschrijving="x",
            vervaldatum=vandaag(),
        )
        assert response.status_code == 404
        assert not Taak.objects.exists()

    def test_een_eigenaar_die_het_dossier_niet_opent(self, client, wereld, km):
        wereld.traject.aanbieder = wereld.vreemd
        wereld.traject.save()
        collega = _collega(wereld, rol=TB)
        response = self._nieuw(
            client, wereld, omschrijving="x", vervaldatum=vandaag(), eigenaar=collega.pk
        )
        assert "kan dit dossier niet openen" in " ".join(
            response.context["taak_form"].errors["eigenaar"]
        )
        assert not Taak.objects.exists()

    def test_een_datum_ver_in_het_verleden(self, client, wereld, km, klantmanager):
        oud = vandaag() - dt.timedelta(days=365)
        response = self._nieuw(
            client, wereld, omschrijving="x", vervaldatum=oud, eigenaar=klantmanager.pk
        )
        assert "dagen terug" in " ".join(response.context["taak_form"].errors["vervaldatum"])
        assert not Taak.objects.exists()


class TestAfrondenEnWijzigen:
    def test_met_een_klik_afgerond(self, client, wereld, km, klantmanager):
        taak = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=klantmanager)
        url = reverse("taken:afronden", kwargs={"pk": taak.pk})
        response = client.post(url, {"afgerond": "ja"}, HTTP_HX_REQUEST="true")
        assert "afgerond" in response.content.decode()
        taak.refresh_from_db()
        assert taak.afgerond_door == klantmanager
        assert AuditRecord.objects.filter(
            deelnemer=wereld.deelnemer, omschrijving="taak afgerond"
        ).exists()

    def test_tweemaal_afronden_houdt_de_eerste(self, wereld, klantmanager):
        taak = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=klantmanager)
        eerste = services.rond_af(taak=taak, door=klantmanager).afgerond_op
        tweede = services.rond_af(taak=taak, door=wereld.gebruikers[TB])
        assert (tweede.afgerond_op, tweede.afgerond_door) == (eerste, klantmanager)

    def test_een_lege_post_rondt_niets_af(self, client, wereld, km, klantmanager):
        taak = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=klantmanager)
        client.post(reverse("taken:afronden", kwargs={"pk": taak.pk}))
        taak.refresh_from_db()
        assert taak.afgerond_op is None

    def test_een_taak_van_een_ander_dossier_404(self, client, wereld, km):
        vreemd = TaakFactory(deelnemer=wereld.vreemde_deelnemer, eigenaar=wereld.buitenstaander)
        response = client.post(
            reverse("taken:afronden", kwargs={"pk": vreemd.pk}), {"afgerond": "ja"}
        )
        assert response.status_code == 404
        vreemd.refresh_from_db()
        assert vreemd.afgerond_op is None

    def test_eigenaar_en_datum_wijzigen(self, client, wereld, km, klantmanager):
        taak = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=klantmanager)
        collega = _collega(wereld)
        op = vandaag() + dt.timedelta(days=5)
        url = reverse("taken:wijzigen", kwargs={"pk": taak.pk})
        assert client.post(url, {"eigenaar": collega.pk, "vervaldatum": op}).status_code == 302
        taak.refresh_from_db()
        assert (taak.eigenaar, taak.vervaldatum) == (collega, op)

    def test_een_afgeronde_taak_wijzigt_niet(self, client, wereld, km, klantmanager):
        taak = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=klantmanager, afgerond=True)
        url = reverse("taken:wijzigen", kwargs={"pk": taak.pk})
        response = client.post(url, {"eigenaar": klantmanager.pk, "vervaldatum": vandaag()})
        assert services.AL_AFGEROND in response.context["form"].non_field_errors()

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_twee_tegelijk_afronden_een_uitkomst(self, wereld):
        if connection.vendor != "postgresql":
            pytest.skip("Gelijktijdige transacties vragen PostgreSQL.")
        km = wereld.gebruikers[KM]
        taak = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=km)
        door = [km, wereld.gebruikers[TB]]
        uitkomsten = tegelijk(
            *(functools.partial(services.rond_af, taak=taak, door=g) for g in door)
        )
        assert not [u for u in uitkomsten if isinstance(u, Exception)]
        taak.refresh_from_db()
        assert taak.afgerond_door in door


class TestMijnTakenEnStart:
    def test_vandaag_en_te_laat_op_de_startpagina(self, client, wereld, km, klantmanager):
        TaakFactory(
            deelnemer=wereld.deelnemer, eigenaar=klantmanager, omschrijving="Vandaag bellen"
        )
        TaakFactory(
            deelnemer=wereld.deelnemer, eigenaar=klantmanager, omschrijving="Oud", te_laat=True
        )
        TaakFactory(
            deelnemer=wereld.deelnemer,
            eigenaar=klantmanager,
            omschrijving="Volgende week",
            later=True,
        )
        inhoud = client.get(reverse("start")).content.decode()
        sectie = inhoud[inhoud.index("Vandaag en te laat") :]
        sectie = sectie[: sectie.index("</section>")]
        assert "Vandaag bellen" in sectie and "Oud" in sectie and "te laat" in sectie
        assert "Volgende week" not in sectie
        assert sectie.count('badge--warning">te laat') == 1

    def test_ook_op_de_startpagina_van_de_trajectbegeleider(self, client, wereld):
        tb = wereld.gebruikers[TB]
        TaakFactory(deelnemer=wereld.deelnemer, eigenaar=tb, omschrijving="Rooster bespreken")
        # An old medical next action on his name: not for him, who reads no medical data.
        TaakFactory(
            deelnemer=wereld.deelnemer,
            eigenaar=tb,
            omschrijving="Bedrijfsarts bellen",
            medisch=True,
        )
        client.force_login(tb)
        tekst = pagina_tekst(client.get(reverse("start")))
        assert "Rooster bespreken" in tekst and "Bedrijfsarts" not in tekst

    def test_mijn_taken_alleen_de_eigen_open_taken(self, client, wereld, km, klantmanager):
        TaakFactory(
            deelnemer=wereld.deelnemer, eigenaar=klantmanager, omschrijving="Mijn taak", later=True
        )
        TaakFactory(deelnemer=wereld.deelnemer, eigenaar=_collega(wereld), omschrijving="Andermans")
        tekst = pagina_tekst(client.get(reverse("taken:mijn")))
        assert "Mijn taak" in tekst and "Andermans" not in tekst


class TestSignalen:
    def _evaluatie(self, wereld):
        fase = wereld.traject.fasen.get()
        fase.geplande_einddatum = vandaag() + dt.timedelta(days=5)
        fase.save()
        return fase

    def test_evaluatie_en_certificaat_eenmaal(self, wereld, klantmanager, settings):
        fase = self._evaluatie(wereld)
        Instrumentinzet.objects.create(
            traject=wereld.traject,
            instrument=Instrumentinzet.Instrument.VCA,
            startdatum=vandaag() - dt.timedelta(days=300),
            geldig_tot=vandaag() + dt.timedelta(weeks=3),
        )
        settings.TAKEN_CERTIFICAAT_WEKEN = 4
        assert taken_uit_signalen() == 2
        assert taken_uit_signalen() == 0
        evaluatie = Taak.objects.get(sleutel=f"signaal:evaluatie:{fase.pk}")
        assert (evaluatie.eigenaar, evaluatie.vervaldatum) == (
            klantmanager,
            fase.geplande_einddatum,
        )
        assert Taak.objects.filter(omschrijving__startswith="VCA").exists()

    def test_een_afgeronde_signaaltaak_komt_niet_terug(self, wereld, klantmanager):
        self._evaluatie(wereld)
        taken_uit_signalen()
        services.rond_af(taak=Taak.objects.get(), door=klantmanager)
        assert taken_uit_signalen() == 0

    def test_een_certificaat_verder_weg_nog_niet(self, wereld, settings):
        Instrumentinzet.objects.create(
            traject=wereld.traject,
            instrument=Instrumentinzet.Instrument.VCA,
            startdatum=vandaag() - dt.timedelta(days=300),
            geldig_tot=vandaag() + dt.timedelta(weeks=10),
        )
        settings.TAKEN_CERTIFICAAT_WEKEN = 6
        assert taken_uit_signalen() == 0

    def test_commando_en_achtergrondtaak(self, wereld, taakwerker):
        self._evaluatie(wereld)
        call_command("taken_afleiden", "--wachtrij", verbosity=0)
        taakwerker()
        assert Taak.objects.filter(bron=Taak.Bron.SIGNAAL).count() == 1
        call_command("taken_afleiden", verbosity=0)
        assert Taak.objects.count() == 1
        assert taken_afleiden.call() == 0


class TestOverdracht:
    def _overdragen(self, client, **gegevens):
        return client.post(reverse("taken:overdragen"), gegevens)

    def test_een_deel_van_de_caseload_met_de_taken(self, client, wereld, km, klantmanager):
        collega = _collega(wereld, first_name="Olga", last_name="Opvolger")
        wereld.traject.klantmanager = klantmanager
        wereld.traject.save()
        blijft = DeelnemerFactory(klantmanager=klantmanager)
        mijn = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=klantmanager)
        andermans = TaakFactory(deelnemer=wereld.deelnemer, eigenaar=wereld.gebruikers[TB])
        response = self._overdragen(client, naar=collega.pk, deelnemers=[wereld.deelnemer.pk])
        assert response.status_code == 302
        wereld.deelnemer.refresh_from_db()
        blijft.refresh_from_db()
        assert (wereld.deelnemer.klantmanager, blijft.klantmanager) == (collega, klantmanager)
        assert Taak.objects.get(pk=mijn.pk).eigenaar == collega
        assert Taak.objects.get(pk=andermans.pk).eigenaar == wereld.gebruikers[TB]
        wereld.traject.refresh_from_db()
        assert wereld.traject.klantmanager == collega
        notitie = Contactmoment.objects.get(deelnemer=wereld.deelnemer)
        assert notitie.onderwerp.startswith("Overgedragen van Wobbina van 't Wel aan Olga Opvolger")
        records = AuditRecord.objects.filter(activiteit__code="caseload_overdragen")
        assert list(records.values_list("deelnemer_id", flat=True)) == [wereld.deelnemer.pk]

    def test_de_hele_caseload(self, client, wereld, km, klantmanager):
        collega = _collega(wereld)
        DeelnemerFactory.create_batch(2, klantmanager=klantmanager)
        self._overdragen(client, naar=collega.pk, alles="on")
        assert not Deelnemer.objects.filter(klantmanager=klantmanager).exists()
        assert Deelnemer.objects.filter(klantmanager=collega).count() == 3

    def test_niet_aan_een_trajectbegeleider(self, client, wereld, km, klantmanager):
        tb = wereld.gebruikers[TB]
        response = self._overdragen(client, naar=tb.pk, deelnemers=[wereld.deelnemer.pk])
        assert response.context["form"].errors["naar"]
        wereld.deelnemer.refresh_from_db()
        assert wereld.deelnemer.klantmanager == klantmanager

    def test_niets_als_de_collega_een_dossier_niet_opent(self, wereld, klantmanager):
        collega = _collega(wereld)
        elders = DeelnemerFactory(klantmanager=klantmanager, regie=wereld.vreemd)
        with pytest.raises(ValidationError):
            from reintegratie.taken.overdracht import draag_over

            draag_over(
                van=klantmanager,
                naar=collega,
                deelnemer_ids=[wereld.deelnemer.pk, elders.pk],
                door=klantmanager,
            )
        assert Deelnemer.objects.filter(klantmanager=klantmanager).count() == 2
        assert not Contactmoment.objects.exists()

    def test_een_ander_zijn_deelnemer_wordt_niet_overgedragen(self, client, wereld, km):
        collega = _collega(wereld)
        van_een_ander = DeelnemerFactory(klantmanager=collega)
        response = self._overdragen(client, naar=collega.pk, deelnemers=[van_een_ander.pk])
        assert response.context["form"].errors["deelnemers"]


def test_datamigratie_maakt_taken_van_de_volgende_acties(wereld, klantmanager):
    from importlib import import_module

    migratie = import_module("reintegratie.taken.migrations.0003_volgende_acties")
    vertrokken = _collega(wereld, is_active=False)
    tb = wereld.gebruikers[TB]
    gegevens = {"deelnemer": wereld.deelnemer, "soort": "gesprek", "onderwerp": "x"}
    door_km = Contactmoment.objects.create(**gegevens, door=klantmanager, volgende_actie="A")
    weg = Contactmoment.objects.create(**gegevens, door=vertrokken, volgende_actie="B")
    medisch_tb = Contactmoment.objects.create(
        **gegevens, door=tb, volgende_actie="C", medisch=True, volgende_actie_op=vandaag()
    )
    Contactmoment.objects.create(**gegevens, door=tb)
    migratie.naar_taken(apps, None)
    migratie.naar_taken(apps, None)
    eigenaren = dict(Taak.objects.values_list("sleutel", "eigenaar_id"))
    assert eigenaren == {
        f"journaal:{door_km.pk}": klantmanager.pk,
        f"journaal:{weg.pk}": klantmanager.pk,
        f"journaal:{medisch_tb.pk}": klantmanager.pk,
    }
    assert Taak.objects.get(sleutel=f"journaal:{medisch_tb.pk}").medisch
