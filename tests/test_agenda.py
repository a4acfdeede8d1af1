"""The agenda: appointments with a participant planned from the dossier and the week view,
their outcome in one click, the rules of a trajecttype, and the personal iCalendar feed."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from reintegratie.accounts.models import Rol
from reintegratie.agenda.models import Afspraak, Afspraakregel, Agendafeed
from reintegratie.agenda.regels import alle_regels_toepassen, regels_toepassen
from reintegratie.audit.models import AuditRecord

from .conftest import pagina_tekst
from .factories import (
    AfspraakFactory,
    DeelnemerFactory,
    GebruikerFactory,
    UrenregistratieFactory,
)

KM, TB, MAN = Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER


def _morgen():
    return timezone.localdate() + dt.timedelta(days=1)


def _formulier(wereld, **anders):
    gegevens = {
        "soort": "evaluatie",
        "datum": f"{_morgen():%Y-%m-%d}",
        "begintijd": "10:00",
        "eindtijd": "11:00",
        "plaats": "Stadskantoor, kamer 3",
        "videolink": "",
        "medewerkers": [wereld.gebruikers[KM].pk],
    }
    return gegevens | anders


def _plannen(client, wereld, **anders):
    url = reverse("agenda:plannen", kwargs={"pk": wereld.deelnemer.pk})
    return client.post(url, _formulier(wereld, **anders))


def test_klantmanager_plant_vanuit_het_dossier_en_ziet_de_afspraak_daar(client, wereld, km):
    response = _plannen(client, wereld)
    assert response.status_code == 302
    afspraak = Afspraak.objects.get()
    assert (afspraak.soort, afspraak.status, afspraak.aangemaakt_door) == (
        "evaluatie",
        "gepland",
        km,
    )
    assert list(afspraak.medewerkers.all()) == [km]
    tekst = pagina_tekst(client.get(wereld.deelnemer.get_absolute_url()))
    assert "Komende afspraken" in tekst and "Stadskantoor, kamer 3" in tekst
    assert AuditRecord.objects.filter(
        deelnemer=wereld.deelnemer, actie=AuditRecord.Actie.AANGEMAAKT, activiteit__code="agenda"
    ).exists()


@pytest.mark.parametrize(
    ("anders", "veld", "bericht"),
    [
        (
            {"datum": "2020-01-06"},
            "datum",
            "Een afspraak in het verleden kan niet meer gepland zijn.",
        ),
        ({"eindtijd": "09:00"}, "eindtijd", "Het einde ligt voor het begin."),
        ({"plaats": ""}, "plaats", "Geef een plaats of een videolink."),
        ({"medewerkers": []}, "medewerkers", "Kies ten minste één medewerker."),
    ],
    ids=["verleden", "einde-voor-begin", "geen-plaats", "geen-medewerker"],
)
def test_slechte_invoer_geeft_een_melding_bij_het_veld(client, wereld, km, anders, veld, bericht):
    response = _plannen(client, wereld, **anders)
    assert response.status_code == 200
    assert bericht in response.context["form"].errors[veld]
    assert not Afspraak.objects.exists()


def test_medewerker_die_het_dossier_niet_opent_krijgt_een_melding(client, wereld, km):
    """A trajectbegeleider of the team opens a file only while he provides or supervises its
    trajectory: before one starts he cannot keep an appointment with the participant."""
    nieuw = DeelnemerFactory(klantmanager=km)
    begeleider = GebruikerFactory(
        organisatie=wereld.eigen, rol=TB, first_name="Tim", last_name="Ver"
    )
    url = reverse("agenda:plannen", kwargs={"pk": nieuw.pk})
    response = client.post(url, _formulier(wereld, medewerkers=[km.pk, begeleider.pk]))
    assert response.status_code == 200
    fouten = response.context["form"].errors["medewerkers"]
    assert fouten == ["Tim Ver kan het dossier van deze deelnemer niet openen."]
    assert not Afspraak.objects.exists()


def _medewerkers_op(form_of_veld) -> list[tuple[str, bool]]:
    veld = form_of_veld["medewerkers"] if hasattr(form_of_veld, "fields") else form_of_veld
    return [(keuze.choice_label, keuze.data["selected"]) for keuze in veld]


def test_het_formulier_zoekt_collegas_in_plaats_van_ze_allemaal_te_tonen(client, wereld, km):
    """A large organisation has two thousand staff: the form shows the planner, ticked, and
    finds colleagues of the own organisation by name; another organisation's are not found."""
    GebruikerFactory(organisatie=wereld.eigen, rol=TB, first_name="Tim", last_name="Zandvoort")
    GebruikerFactory(organisatie=wereld.eigen, rol=KM, first_name="Anna", last_name="Brouwer")
    GebruikerFactory(organisatie=wereld.vreemd, rol=TB, first_name="Tim", last_name="Zand")
    pagina = client.get(reverse("agenda:plannen", kwargs={"pk": wereld.deelnemer.pk}))
    assert _medewerkers_op(pagina.context["form"]) == [(str(km), True)]

    fragment = client.get(
        reverse("agenda:medewerkers"), {"medewerkers_zoeken": "tim zand", "medewerkers": km.pk}
    )
    assert _medewerkers_op(fragment.context["veld"]) == [
        (str(km), True),
        ("Tim Zandvoort", False),
    ]
    assert "1 gevonden bij “tim zand”" in pagina_tekst(fragment)


def test_zoeken_zonder_javascript_bewaart_de_afspraak_zoals_getypt(client, wereld, km):
    collega = GebruikerFactory(organisatie=wereld.eigen, rol=TB, last_name="Zandvoort")
    url = reverse("agenda:plannen", kwargs={"pk": wereld.deelnemer.pk})
    response = client.post(
        url,
        _formulier(
            wereld, plaats="Wijkcentrum", eindtijd="", medewerkers_zoeken="zandv", _zoeken="1"
        ),
    )
    assert response.status_code == 200
    assert not Afspraak.objects.exists()
    form = response.context["form"]
    assert not form.is_bound
    assert form["plaats"].value() == "Wijkcentrum"
    assert _medewerkers_op(form) == [(str(km), True), (str(collega), False)]


def test_deelnemer_die_de_gebruiker_niet_ziet_kan_niet_gekozen_worden(client, wereld, km):
    data = _formulier(wereld, deelnemer=wereld.vreemde_deelnemer.pk)
    response = client.post(reverse("agenda:nieuw"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["deelnemer"] == [
        "Kies een deelnemer voor wie u afspraken mag plannen."
    ]
    assert not Afspraak.objects.exists()


def test_alleen_wie_het_journaal_schrijft_plant(client, wereld):
    client.force_login(wereld.gebruikers[MAN])
    assert _plannen(client, wereld).status_code == 404
    assert not Afspraak.objects.exists()


def test_een_klik_legt_niet_verschenen_vast_en_het_dossier_telt_het(client, wereld, km):
    afspraak = AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], te_laat=True)
    url = reverse("agenda:uitkomst", kwargs={"pk": afspraak.pk})
    response = client.post(url, {"status": "niet_verschenen"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Niet verschenen, zonder bericht" in pagina_tekst(response)
    afspraak.refresh_from_db()
    assert afspraak.status == Afspraak.Status.NIET_VERSCHENEN_ZONDER_BERICHT
    dossier = client.get(wereld.deelnemer.get_absolute_url())
    assert dossier.context["afspraken"]["niet_verschenen"] == 1


def test_uitkomst_zonder_geldige_status_verandert_niets(client, wereld, km):
    afspraak = AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], te_laat=True)
    url = reverse("agenda:uitkomst", kwargs={"pk": afspraak.pk})
    response = client.post(url, {"status": "gepland<script>"}, HTTP_HX_REQUEST="true")
    assert "Kies gehouden of niet verschenen." in pagina_tekst(response)
    afspraak.refresh_from_db()
    assert afspraak.status == Afspraak.Status.GEPLAND


def test_startpagina_toont_mijn_afspraken_en_de_te_late(client, wereld, km):
    AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], soort="intake")
    AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], te_laat=True)
    AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], niet_verschenen=True)
    response = client.get(reverse("start"))
    assert [a.soort for a in response.context["mijn_afspraken"]] == ["intake"]
    assert len(response.context["te_late_afspraken"]) == 1
    assert "Mijn te late afspraken" in pagina_tekst(response)


def test_startpagina_logt_een_deelnemer_een_keer_in_hoeveel_secties_ook(client, wereld, km):
    """In the caseload, with a task due and an appointment: one list record, not three."""
    from .factories import TaakFactory

    AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], soort="intake")
    TaakFactory(deelnemer=wereld.deelnemer, eigenaar=km, vervaldatum=timezone.localdate())
    response = client.get(reverse("start"))
    assert response.context["taken_vandaag"] and response.context["mijn_afspraken"]
    assert wereld.deelnemer in response.context["deelnemers"]
    records = AuditRecord.objects.filter(actie=AuditRecord.Actie.IN_LIJST, gebruiker=km)
    assert list(records.values_list("deelnemer", flat=True)) == [wereld.deelnemer.pk]


def _woensdag_volgende_week_om(uur):
    vandaag = timezone.localdate()
    woensdag = vandaag + dt.timedelta(days=7 - vandaag.weekday() + 2)
    return timezone.make_aware(dt.datetime.combine(woensdag, dt.time(uur)))


def test_weekoverzicht_toont_afspraken_in_hun_uur_en_verbergt_wat_de_gebruiker_niet_ziet(
    client, wereld, km
):
    eigen = AfspraakFactory(
        deelnemer=wereld.deelnemer, medewerkers=[km], begin=_woensdag_volgende_week_om(10)
    )
    # A colleague's appointment with a participant of another organisation: busy, no name.
    collega = GebruikerFactory(organisatie=wereld.eigen, rol=KM)
    bezet = AfspraakFactory(
        deelnemer=wereld.vreemde_deelnemer,
        medewerkers=[collega],
        begin=_woensdag_volgende_week_om(14),
    )
    response = client.get(
        reverse("agenda:week"), {"week": f"{eigen.begin:%Y-%m-%d}", "medewerker": "team"}
    )
    tekst = pagina_tekst(response)
    assert wereld.deelnemer.naam in tekst
    assert wereld.vreemde_deelnemer.achternaam not in tekst
    assert "14:00 bezet" in tekst
    vakken = {
        (v.begin.weekday(), v.begin.hour): [a.pk for a in v.afspraken]
        for _, rij in response.context["agenda"].rijen
        for v in rij
        if v.afspraken
    }
    assert vakken == {(2, 10): [eigen.pk], (2, 14): [bezet.pk]}


def test_weekoverzicht_van_een_collega_en_standaard_van_de_gebruiker_zelf(client, wereld, km):
    collega = GebruikerFactory(organisatie=wereld.eigen, rol=KM, first_name="Chris")
    eigen = AfspraakFactory(
        deelnemer=wereld.deelnemer, medewerkers=[km], begin=_woensdag_volgende_week_om(10)
    )
    van_collega = AfspraakFactory(
        deelnemer=wereld.deelnemer, medewerkers=[collega], begin=_woensdag_volgende_week_om(14)
    )
    week = f"{eigen.begin:%Y-%m-%d}"
    for params, medewerker, afspraken in [
        ({"week": week}, km, [eigen]),
        ({"week": week, "medewerker": collega.pk}, collega, [van_collega]),
        # Not a colleague (another organisation's user): the form refuses, the user's own.
        ({"week": week, "medewerker": wereld.buitenstaander.pk}, km, [eigen]),
    ]:
        response = client.get(reverse("agenda:week"), params)
        assert response.context["medewerker"] == medewerker, params
        assert response.context["agenda"].afspraken == afspraken, params


def test_vrij_uur_opent_het_formulier_met_datum_tijd_en_medewerker(client, wereld, km):
    begin = _woensdag_volgende_week_om(11)
    response = client.get(
        reverse("agenda:nieuw"), {"datum": f"{begin:%Y-%m-%d}", "uur": "11", "medewerker": km.pk}
    )
    form = response.context["form"]
    assert (form.initial["datum"], form.initial["begintijd"]) == (begin.date(), dt.time(11))
    assert form.initial["medewerkers"] == [km.pk]
    assert wereld.deelnemer.naam in pagina_tekst(response)  # one of the user's own


def test_weekoverzicht_met_een_onzinweek_toont_deze_week(client, wereld, km):
    response = client.get(reverse("agenda:week"), {"week": "2026-13-45", "medewerker": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["week"]


def _woensdag():
    """A Wednesday one to two weeks ahead: the rules' clock (set, so any weekday runs)."""
    vandaag = timezone.localdate()
    return vandaag + dt.timedelta(days=(2 - vandaag.weekday()) % 7 + 7)


def _start_maandag(traject, woensdag):
    traject.startdatum = traject.aanmelddatum = woensdag - dt.timedelta(days=2)
    traject.save()


@pytest.fixture
def woensdag(wereld):
    dag = _woensdag()
    with time_machine.travel(
        timezone.make_aware(dt.datetime.combine(dag, dt.time(12))), tick=False
    ):
        yield dag


def test_regel_verdiepende_intake_binnen_vier_weken_eenmaal(wereld, woensdag):
    """Route Werk ships "verdiepende intake binnen 4 weken": on the last working day before
    the deadline, at the klantmanager's first free hour; applied twice, made once."""
    traject = wereld.traject
    _start_maandag(traject, woensdag)
    vrijdag = woensdag + dt.timedelta(days=23)
    regel = Afspraakregel.objects.create(
        trajecttype=traject.trajecttype, naam="VI", soort="verdiepende_intake", binnen_weken=4
    )
    AfspraakFactory(
        deelnemer=wereld.deelnemer,
        medewerkers=[wereld.gebruikers[KM]],
        begin=timezone.make_aware(dt.datetime.combine(vrijdag, dt.time(9))),
    )
    [afspraak] = regels_toepassen(traject=traject, regels=[regel])
    # Monday + 4 weeks is a Monday: the Friday before, 9:00 taken, so 10:00.
    assert timezone.localtime(afspraak.begin) == timezone.make_aware(
        dt.datetime.combine(vrijdag, dt.time(10))
    )
    assert afspraak.status == Afspraak.Status.GEPLAND
    assert list(afspraak.medewerkers.all()) == [traject.klantmanager or wereld.gebruikers[KM]]
    assert regels_toepassen(traject=traject, regels=[regel]) == [afspraak]
    assert Afspraak.objects.filter(sleutel=regel.sleutel(traject)).count() == 1


def test_regel_evaluatie_voor_350_uren_in_het_huidige_tempo(wereld, woensdag):
    """20 hours a week over the last four weeks, 310 used: 40 left is two weeks."""
    traject = wereld.traject
    fase = traject.huidige_fase()
    for week in range(4):
        UrenregistratieFactory(
            fase=fase,
            werkplek=wereld.werkplek,
            datum=woensdag - dt.timedelta(days=1, weeks=week),
            uren=Decimal(20),
            geregistreerd_door=wereld.gebruikers[TB],
        )
    fase.uren_gebruikt = Decimal(310)
    fase.save(update_fields=["uren_gebruikt"])
    regel = Afspraakregel.objects.create(
        trajecttype=traject.trajecttype, naam="Eval", soort="evaluatie", voor_uren=Decimal(350)
    )
    [afspraak] = regels_toepassen(traject=traject, regels=[regel])
    # Wednesday + 14 days is a Wednesday; the working day before: the Tuesday.
    assert timezone.localtime(afspraak.begin).date() == woensdag + dt.timedelta(days=13)


def test_regels_voor_alle_lopende_trajecten_met_het_commando(wereld, woensdag):
    """The rules Route Werk ships (migration 0003) applied nightly: twice is once."""
    _start_maandag(wereld.traject, woensdag)
    call_command("afspraakregels_toepassen")
    gemaakt = Afspraak.objects.count()
    call_command("afspraakregels_toepassen")
    assert Afspraak.objects.count() == gemaakt == alle_regels_toepassen()
    assert wereld.deelnemer.afspraken.get().soort == "verdiepende_intake"


def _feed(client, wereld, km):
    client.post(reverse("agenda:feed_instellingen"), {"actie": "opslaan", "namen": "kort"})
    response = client.post(
        reverse("agenda:feed_instellingen"), {"actie": "vernieuwen", "namen": "kort"}
    )
    return response.context["adres"]


def test_feed_is_geldig_icalendar_met_alleen_voornaam_en_voorletter(client, wereld, km):
    AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], soort="intake")
    adres = _feed(client, wereld, km)
    client.logout()
    response = client.get(adres)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Intake met Eline A."
    assert "Akkerman" not in response.content.decode()
    record = AuditRecord.objects.filter(activiteit__code="agendafeed").get()
    assert (record.gebruiker, record.deelnemer) == (km, wereld.deelnemer)


def test_feed_met_volledige_namen_als_de_gebruiker_dat_kiest(client, wereld, km):
    AfspraakFactory(deelnemer=wereld.deelnemer, medewerkers=[km], soort="intake")
    adres = _feed(client, wereld, km)
    client.post(reverse("agenda:feed_instellingen"), {"actie": "opslaan", "namen": "volledig"})
    [event] = Calendar.from_ical(client.get(adres).content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Intake met Eline Akkerman-Eigen"


def test_een_nieuw_adres_laat_het_oude_meteen_stoppen(client, wereld, km):
    oud = _feed(client, wereld, km)
    nieuw = client.post(
        reverse("agenda:feed_instellingen"), {"actie": "vernieuwen", "namen": "kort"}
    ).context["adres"]
    assert client.get(oud).status_code == 404
    assert client.get(nieuw).status_code == 200
    token = nieuw.rsplit("/", 2)[-2]
    assert token not in Agendafeed.objects.values_list("token_hash", flat=True)


def test_onbekend_token_geeft_404(client, db):
    assert client.get(reverse("agenda:feed", kwargs={"token": "x" * 43})).status_code == 404


def test_aanwezigheid_telt_niet_verschenen(client, wereld):
    client.force_login(wereld.gebruikers[KM])
    AfspraakFactory(deelnemer=wereld.deelnemer, niet_verschenen=True)
    response = client.get(reverse("werkplekken:aanwezigheid", kwargs={"pk": wereld.werkplek.pk}))
    [regel] = response.context["regels"]
    assert regel.niet_verschenen == 1
    assert "Niet verschenen op afspraak" in pagina_tekst(response)


def test_teamleider_ziet_per_klantmanager_de_deelnemers_per_fase(client, wereld):
    client.force_login(wereld.gebruikers[MAN])
    response = client.get(reverse("start"))
    tabel = response.context["team_per_fase"]
    fase = wereld.traject.huidige_fase().fasetype.naam
    assert tabel["fasen"] == [fase]
    assert tabel["rijen"] == [{"naam": "Wobbina van 't Wel", "aantallen": [1]}]
    assert wereld.deelnemer.achternaam not in pagina_tekst(response)


def test_regel_bij_een_start_aan_het_einde_van_de_kalender_stelt_niets_voor(wereld):
    traject = wereld.traject
    traject.startdatum = dt.date(9999, 12, 31)
    regel = Afspraakregel(trajecttype=traject.trajecttype, soort="intake", binnen_weken=4)
    assert regels_toepassen(traject=traject, regels=[regel]) == []
