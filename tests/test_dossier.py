"""Decisions on a trajectory, the journal, the participatieladder, the BSN on request, the
caseload and its export."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment, LadderTrede
from deelnemers.services import ladder_vastleggen
from reintegratie.accounts.models import Rol
from reintegratie.audit.models import AuditRecord
from trajecten.models import Fase, PlanVanAanpak, Traject, Uitstroom

from .conftest import pagina_tekst
from .factories import UrenregistratieFactory


def _besluit(client, wereld, soort, **gegevens):
    return client.post(reverse(f"trajecten:{soort}", kwargs={"pk": wereld.traject.pk}), gegevens)


def _journaal(wereld):
    return list(
        Contactmoment.objects.filter(deelnemer=wereld.deelnemer, soort="besluit").values_list(
            "onderwerp", flat=True
        )
    )


class TestBesluiten:
    def test_diagnose_verlengen_binnen_wat_het_trajecttype_toestaat(self, client, wereld, km):
        response = _besluit(client, wereld, "verlengen", toelichting="Beeld nog niet compleet.")
        assert response.url == wereld.deelnemer.get_absolute_url()
        fase = wereld.traject.fasen.get()
        assert (fase.verlengingen, fase.uren_budget) == (1, Decimal(150))
        assert _journaal(wereld) == ["Diagnose verlengd met 50 uur"]

        response = _besluit(client, wereld, "verlengen", toelichting="Nog een keer.")
        assert response.status_code == 200
        assert "kan niet verder verlengd worden" in response.content.decode()
        assert wereld.traject.fasen.get().uren_budget == Decimal(150)

    def test_leerwerk_vraagt_een_plan_van_aanpak(self, client, wereld, km):
        morgen = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        response = _besluit(client, wereld, "volgende_fase", datum=morgen)
        assert "ondertekend plan van aanpak met ten minste één leerdoel" in (
            response.content.decode()
        )
        assert wereld.traject.fasen.count() == 1

        # The empty concept the intake makes is not a plan to work from.
        plan = PlanVanAanpak.objects.create(
            traject=wereld.traject, versie=1, afstand_tot_arbeidsmarkt="lang", opgesteld_door=km
        )
        response = _besluit(client, wereld, "volgende_fase", datum=morgen)
        assert "ondertekend plan van aanpak" in response.content.decode()
        plan.leerdoelen.create(soort="taal", omschrijving="Taalniveau 2F halen")
        assert "ondertekend plan van aanpak" in (
            _besluit(client, wereld, "volgende_fase", datum=morgen).content.decode()
        )
        plan.ondertekend_op = timezone.localdate()
        plan.save()
        response = _besluit(client, wereld, "volgende_fase", datum=morgen)
        assert response.status_code == 302
        diagnose, leerwerk = wereld.traject.fasen.order_by("startdatum")
        assert diagnose.einddatum == timezone.localdate()
        assert (leerwerk.fasetype.naam, leerwerk.uren_budget) == ("Leer-werktraject", 350)
        assert _journaal(wereld)[0].startswith("Door naar de fase Leer-werktraject")

    def test_afsluiten_met_resultaat(self, client, wereld, km):
        vandaag = timezone.localdate().isoformat()
        response = _besluit(
            client, wereld, "afsluiten", datum=vandaag, resultaat="werk", contract="vast"
        )
        assert response.status_code == 302
        traject = Traject.objects.get(pk=wereld.traject.pk)
        assert traject.status == Traject.Status.AFGESLOTEN
        assert traject.uitstroom.resultaat == Uitstroom.Resultaat.WERK
        assert traject.uitstroom.contract == "vast"
        assert traject.fasen.get().einddatum == timezone.localdate()
        wereld.plaatsing.refresh_from_db()
        assert wereld.plaatsing.einddatum == timezone.localdate()
        assert _journaal(wereld) == ["Traject afgesloten: werk/proefplaatsing"]

    @pytest.mark.parametrize(
        ("gegevens", "melding"),
        [
            ({"resultaat": ""}, "verplicht"),
            ({"resultaat": "voortijdig"}, "Kies de reden"),
            ({"resultaat": "werk", "reden": "overig"}, "alleen bij voortijdige"),
            ({"resultaat": "werk"}, "Kies het soort contract"),
            ({"resultaat": "studie", "contract": "vast"}, "alleen bij uitstroom naar werk"),
            ({"resultaat": "werk", "datum": "2000-01-01"}, "niet eindigen voor het begon"),
        ],
    )
    def test_afsluiten_zonder_goed_resultaat_slaat_niets_op(
        self, client, wereld, km, gegevens, melding
    ):
        gegevens = {"datum": timezone.localdate().isoformat(), **gegevens}
        response = _besluit(client, wereld, "afsluiten", **gegevens)
        assert response.status_code == 200
        assert melding in response.content.decode()
        traject = Traject.objects.get(pk=wereld.traject.pk)
        assert traject.status == Traject.Status.ACTIEF
        assert not Uitstroom.objects.exists()
        assert traject.fasen.get().einddatum is None

    def test_overdragen_naar_participatie(self, client, wereld, km):
        response = _besluit(
            client,
            wereld,
            "overdragen",
            datum=timezone.localdate().isoformat(),
            toelichting="Afstand te groot na medisch advies.",
        )
        assert response.status_code == 302
        uitstroom = Uitstroom.objects.get(traject=wereld.traject)
        assert uitstroom.resultaat == Uitstroom.Resultaat.NIET_GELEID
        assert "route participatie" in uitstroom.toelichting

    def test_geen_besluit_op_afgesloten_traject(self, client, wereld, km):
        vandaag = timezone.localdate().isoformat()
        _besluit(client, wereld, "afsluiten", datum=vandaag, resultaat="studie")
        response = _besluit(client, wereld, "verlengen", toelichting="x")
        assert "al afgesloten" in response.content.decode()


class TestJournaal:
    def test_contactmoment_met_htmx_geeft_alleen_het_journaal(self, client, wereld, km):
        response = client.post(
            reverse("deelnemers:contactmoment", kwargs={"pk": wereld.deelnemer.pk}),
            {"soort": "telefoon", "onderwerp": "Gebeld over rooster", "volgende_actie": "Mailen"},
            headers={"HX-Request": "true"},
        )
        inhoud = response.content.decode()
        assert inhoud.lstrip().startswith('<section class="app-sectie" id="journaal"')
        assert "Gebeld over rooster" in inhoud
        assert "<html" not in inhoud
        moment = Contactmoment.objects.get()
        assert (moment.door, moment.volgende_actie) == (km, "Mailen")

    def test_zonder_onderwerp_een_melding_bij_het_veld(self, client, wereld, km):
        response = client.post(
            reverse("deelnemers:contactmoment", kwargs={"pk": wereld.deelnemer.pk}),
            {"soort": "gesprek", "volgende_actie_op": "2026-12-01"},
        )
        form = response.context["contact_form"]
        assert "onderwerp" in form.errors
        assert form.errors["volgende_actie"] == ["Wat is de volgende actie op die datum?"]
        assert not Contactmoment.objects.exists()

    @pytest.mark.parametrize(
        ("rol", "ziet_medisch"),
        [(Rol.KLANTMANAGER, True), (Rol.TRAJECTBEGELEIDER, False), (Rol.MANAGER, False)],
    )
    def test_medische_notities_alleen_voor_de_klantmanager(self, client, wereld, rol, ziet_medisch):
        Contactmoment.objects.create(
            deelnemer=wereld.deelnemer,
            soort="gesprek",
            onderwerp="Uitslag bedrijfsarts",
            medisch=True,
            door=wereld.gebruikers[Rol.KLANTMANAGER],
        )
        client.force_login(wereld.gebruikers[rol])
        inhoud = client.get(wereld.deelnemer.get_absolute_url()).content.decode()
        assert ("Uitslag bedrijfsarts" in inhoud) is ziet_medisch

    def test_ketenpartner_ziet_geen_journaal_en_geen_contactgegevens(self, client, wereld):
        wereld.deelnemer.telefoon = "0612345678"
        wereld.deelnemer.save()
        client.force_login(wereld.gebruikers[Rol.KETENPARTNER])
        inhoud = client.get(wereld.deelnemer.get_absolute_url()).content.decode()
        assert 'id="journaal"' not in inhoud
        assert "0612345678" not in inhoud


def _trede(client, wereld, **gegevens):
    return client.post(reverse("deelnemers:ladder", kwargs={"pk": wereld.deelnemer.pk}), gegevens)


def _notities(wereld):
    return list(
        Contactmoment.objects.filter(deelnemer=wereld.deelnemer, soort="notitie").values_list(
            "onderwerp", flat=True
        )
    )


def _wijzigingen():
    return AuditRecord.objects.filter(
        actie__in=[AuditRecord.Actie.AANGEMAAKT, AuditRecord.Actie.GEWIJZIGD]
    )


class TestParticipatieladder:
    def test_vastleggen_toont_de_trede_in_het_dossier(self, client, wereld, km):
        LadderTrede.objects.create(
            deelnemer=wereld.deelnemer,
            datum=timezone.localdate() - dt.timedelta(days=90),
            trede=LadderTrede.Trede.GEORGANISEERDE_ACTIVITEITEN,
        )
        vandaag = timezone.localdate()
        response = _trede(client, wereld, datum=vandaag.isoformat(), trede="4")
        assert response.url == f"{wereld.deelnemer.get_absolute_url()}#kop-ladder"
        stap = LadderTrede.objects.get(datum=vandaag)
        assert (stap.trede, stap.vastgesteld_door) == (4, km)
        assert _notities(wereld) == ["Participatieladder: trede 3 → 4"]
        record = _wijzigingen().get()
        assert (record.actie, record.omschrijving) == ("aangemaakt", "participatieladder")

        inhoud = client.get(response.url).content.decode()
        assert (
            f"Trede 4 Onbetaald werk vastgelegd op {vandaag.day}-{vandaag.month}-{vandaag.year}."
            in inhoud
        )
        assert "trede 4 Onbetaald werk <strong>(nu)</strong>" in inhoud

    def test_eerste_en_laatste_trede_op_de_deelnemer(self, client, wereld, km):
        """The participant's row keeps its first and latest step (by date) with every
        measurement: a correction today, and a measurement dated before the first."""
        vandaag = timezone.localdate()

        def uitersten():
            wereld.deelnemer.refresh_from_db()
            return wereld.deelnemer.eerste_trede, wereld.deelnemer.laatste_trede

        assert uitersten() == (None, None)
        _trede(client, wereld, datum=vandaag.isoformat(), trede="3")
        assert uitersten() == (3, 3)
        _trede(client, wereld, datum=vandaag.isoformat(), trede="5")
        assert uitersten() == (5, 5)
        _trede(client, wereld, datum=(vandaag - dt.timedelta(days=60)).isoformat(), trede="2")
        assert uitersten() == (2, 5)
        _trede(client, wereld, datum=(vandaag - dt.timedelta(days=30)).isoformat(), trede="4")
        assert uitersten() == (2, 5)

    def test_dezelfde_dag_vervangt_de_trede(self, client, wereld, km):
        vandaag = timezone.localdate().isoformat()
        _trede(client, wereld, datum=vandaag, trede="3")
        response = _trede(client, wereld, datum=vandaag, trede="5")
        assert response.status_code == 302
        assert list(LadderTrede.objects.values_list("trede", flat=True)) == [5]
        assert _notities(wereld) == [
            "Participatieladder: trede 3 → 5",
            "Participatieladder: trede 3",
        ]
        assert _wijzigingen().filter(actie=AuditRecord.Actie.GEWIJZIGD).count() == 1

    @pytest.mark.parametrize(
        ("datum", "trede", "veld", "melding"),
        [
            (1, "4", "datum", "Een meting kan niet in de toekomst liggen."),
            ("1950-01-01", "4", "datum", "ligt voor de geboortedatum"),
            (0, "7", "trede", "7 is geen beschikbare keuze"),
            (0, "", "trede", "Dit veld is verplicht."),
            ("", "4", "datum", "Dit veld is verplicht."),
        ],
        ids=["toekomst", "voor-geboorte", "trede-7", "zonder-trede", "zonder-datum"],
    )
    def test_foute_invoer_geeft_een_melding_bij_het_veld(
        self, client, wereld, km, datum, trede, veld, melding
    ):
        # A whole number is a day relative to today.
        if isinstance(datum, int):
            datum = (timezone.localdate() + dt.timedelta(days=datum)).isoformat()
        response = _trede(client, wereld, datum=datum, trede=trede)
        assert response.status_code == 200
        assert melding in " ".join(response.context["ladder_form"].errors[veld])
        assert melding in response.content.decode()
        assert not LadderTrede.objects.exists()
        assert not _notities(wereld)
        assert not _wijzigingen().exists()

    def test_de_service_weigert_een_trede_buiten_de_ladder(self, wereld, klantmanager):
        with pytest.raises(ValidationError) as fout:
            ladder_vastleggen(
                deelnemer=wereld.deelnemer, datum=timezone.localdate(), trede=7, door=klantmanager
            )
        assert "trede" in fout.value.message_dict
        assert not LadderTrede.objects.exists()

    def test_een_eerdere_meting_vergelijkt_met_de_trede_ervoor(self, wereld, klantmanager):
        vandaag = timezone.localdate()
        for dagen, trede in [(200, 2), (10, 5)]:
            LadderTrede.objects.create(
                deelnemer=wereld.deelnemer, datum=vandaag - dt.timedelta(days=dagen), trede=trede
            )
        ladder_vastleggen(
            deelnemer=wereld.deelnemer,
            datum=vandaag - dt.timedelta(days=100),
            trede=3,
            door=klantmanager,
        )
        assert _notities(wereld) == ["Participatieladder: trede 2 → 3"]

    def test_alleen_de_klantmanager_krijgt_het_formulier(self, client, wereld, km):
        url = wereld.deelnemer.get_absolute_url()
        assert "Trede vastleggen" in client.get(url).content.decode()
        client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
        assert "Trede vastleggen" not in client.get(url).content.decode()

    def test_buitenstaander_krijgt_404_en_er_verandert_niets(self, client, wereld):
        client.force_login(wereld.buitenstaander)
        response = _trede(client, wereld, datum=timezone.localdate().isoformat(), trede="4")
        assert response.status_code == 404
        assert not LadderTrede.objects.exists()
        assert not _notities(wereld)


class TestBsn:
    def test_gemaskeerd_tot_het_gevraagd_wordt(self, client, wereld, km):
        url = wereld.deelnemer.get_absolute_url()
        assert wereld.deelnemer.bsn not in client.get(url).content.decode()
        response = client.post(
            reverse("deelnemers:bsn", kwargs={"pk": wereld.deelnemer.pk}),
            headers={"HX-Request": "true"},
        )
        assert response.content.decode().strip() == (
            f'<span id="bsn" class="app-bsn" aria-live="polite">{wereld.deelnemer.bsn}</span>'
        )
        assert AuditRecord.objects.filter(omschrijving="BSN getoond").count() == 1

    def test_trajectbegeleider_krijgt_de_knop_niet(self, client, wereld):
        client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
        inhoud = client.get(wereld.deelnemer.get_absolute_url()).content.decode()
        assert "Toon BSN" not in inhoud


class TestCaseload:
    def test_standaard_de_eigen_caseload(self, client, wereld, km):
        inhoud = pagina_tekst(client.get(reverse("deelnemers:lijst")))
        assert wereld.deelnemer.achternaam in inhoud

    def test_filters_staan_in_de_url_en_combineren(self, client, wereld, km):
        url = reverse("deelnemers:lijst")
        gevonden = client.get(url, {"status": "actief", "route": "werk"}).context["pagina"]
        assert list(gevonden.object_list) == [wereld.deelnemer]
        gevonden = client.get(url, {"status": "aangemeld"}).context["pagina"]
        assert list(gevonden.object_list) == []

    def test_zoeken_op_bsn(self, client, wereld, km):
        # The search box posts; the BSN stays out of the URL it is sent on to.
        url = reverse("deelnemers:lijst")
        response = client.post(url, {"q": wereld.deelnemer.bsn}, follow=True)
        assert wereld.deelnemer.bsn not in response.redirect_chain[0][0]
        assert list(response.context["pagina"].object_list) == [wereld.deelnemer]
        # Someone else's participant is not found by BSN either.
        response = client.post(
            url, {"q": wereld.vreemde_deelnemer.bsn, "klantmanager": "alle"}, follow=True
        )
        assert list(response.context["pagina"].object_list) == []

    def test_signaal_filter(self, client, wereld, km):
        fase = wereld.traject.fasen.get()
        for dag in range(16):
            UrenregistratieFactory(
                fase=fase,
                werkplek=wereld.werkplek,
                uren=Decimal(6),
                datum=fase.startdatum + dt.timedelta(days=dag),
            )
        assert Fase.objects.get(pk=fase.pk).uren_gebruikt == 96
        url = reverse("deelnemers:lijst")
        for signaal, verwacht in [
            ("diagnose_bijna_op", True),
            ("geen_uren", True),
            ("evaluatie_nodig", False),
        ]:
            gevonden = client.get(url, {"signaal": signaal}).context["pagina"]
            assert (wereld.deelnemer in gevonden.object_list) is verwacht, signaal

    def test_meer_filters_pas_als_ze_nodig_zijn(self, client, wereld, km):
        """The less used filters are not rendered with the page; opened (htmx) they come on
        their own, bound to the filters in the URL, without reading participants; one in use
        shows them with the page."""
        url = reverse("deelnemers:lijst")
        inhoud = client.get(url).content.decode()
        assert 'name="status"' in inhoud
        assert 'name="verwijzer"' not in inhoud
        assert 'id="meer-filters" hx-get=' in inhoud

        gelogd = AuditRecord.objects.count()
        deel = client.get(url, {"route": "werk", "meer": "1"}, headers={"HX-Request": "true"})
        tekst = deel.content.decode()
        assert 'name="verwijzer"' in tekst
        assert 'name="status"' not in tekst
        assert '<option value="werk" selected>' in tekst
        assert wereld.deelnemer.achternaam not in tekst
        assert AuditRecord.objects.count() == gelogd

        inhoud = client.get(url, {"route": "werk"}).content.decode()
        assert '<details class="app-filters__meer" id="meer-filters" open>' in inhoud
        assert '<option value="werk" selected>' in inhoud
        # Without JavaScript the link asks for them with the page.
        inhoud = client.get(url, {"meer": "1"}).content.decode()
        assert 'name="verwijzer"' in inhoud

    def test_onbekende_filterwaarde_geeft_een_melding(self, client, wereld, km):
        response = client.get(reverse("deelnemers:lijst"), {"signaal": "bestaat-niet"})
        assert response.status_code == 200
        assert "bestaat-niet" in " ".join(response.context["filter"].form.errors["signaal"])

    def test_export_csv(self, client, wereld, km):
        response = client.get(reverse("deelnemers:export"), {"status": "actief"})
        inhoud = b"".join(response.streaming_content).decode("utf-8-sig")
        rijen = list(csv.reader(io.StringIO(inhoud), delimiter=";"))
        assert rijen[0][:3] == ["Naam", "Geboortedatum", "Traject"]
        assert [r[0] for r in rijen[1:]] == [wereld.deelnemer.naam]
        assert wereld.deelnemer.bsn not in inhoud
        assert AuditRecord.objects.filter(actie=AuditRecord.Actie.GEEXPORTEERD).count() == 1

    def test_export_zet_geen_formules_in_excel(self, client, wereld, km):
        wereld.deelnemer.voornaam = '=HYPERLINK("https://example.invalid","klik")'
        wereld.deelnemer.save()
        response = client.get(reverse("deelnemers:export"))
        inhoud = b"".join(response.streaming_content).decode("utf-8-sig")
        naam = list(csv.reader(io.StringIO(inhoud), delimiter=";"))[1][0]
        assert naam.startswith("'=HYPERLINK(")  # text, not a formula, when Excel opens it
