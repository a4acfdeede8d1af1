"""Group sessions: Ferm Werk's clients meet weekly for job application help, with an intervisie
every three weeks. Each session is in every member's agenda; attendance is booked as
scholing hours against the phase's budget where the group counts toward it."""

import datetime as dt
import functools
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reintegratie.accounts.models import Rol
from reintegratie.agenda.models import Afspraak
from reintegratie.groepen import services
from reintegratie.groepen.models import Aanwezigheid, Groep, Groepsbijeenkomst
from trajecten.models import Fase, UrenMutatie, Urenregistratie

from .conftest import pagina_tekst, tegelijk
from .factories import (
    DeelnemerFactory,
    GroepFactory,
    GroepsbijeenkomstFactory,
    LidmaatschapFactory,
    TrajectFactory,
    UrenregistratieFactory,
)

AANWEZIG, AFGEMELD, NIET = (
    Aanwezigheid.Status.AANWEZIG,
    Aanwezigheid.Status.AFGEMELD,
    Aanwezigheid.Status.NIET_VERSCHENEN,
)
SCHOLING = Urenregistratie.Soort.SCHOLING


@pytest.fixture
def groep(wereld):
    """The weekly sollicitatiegroep of the aanbieder, at its workplace, with our participant."""
    groep = GroepFactory(
        organisatie=wereld.eigen,
        werkplek=wereld.werkplek,
        begeleider=wereld.gebruikers[Rol.TRAJECTBEGELEIDER],
    )
    LidmaatschapFactory(groep=groep, deelnemer=wereld.deelnemer)
    return groep


@pytest.fixture
def gisteren(groep):
    return GroepsbijeenkomstFactory(groep=groep)


def _opslaan(wereld, bijeenkomst, regels, rol=Rol.TRAJECTBEGELEIDER):
    return services.aanwezigheid_opslaan(
        bijeenkomst=bijeenkomst, regels=regels, door=wereld.gebruikers[rol]
    )


def _fase(wereld):
    return Fase.objects.get(traject=wereld.traject)


def _scholing(wereld):
    return list(
        Urenregistratie.objects.filter(deelnemer=wereld.deelnemer, soort=SCHOLING).values_list(
            "uren", flat=True
        )
    )


def test_plannen_volgens_het_ritme_een_kwartaal_vooruit_met_een_afspraak_per_lid(wereld, groep):
    nieuw = services.plan_bijeenkomsten(groep=groep, door=groep.begeleider)
    bijeenkomsten = list(groep.bijeenkomsten.all())
    assert nieuw == len(bijeenkomsten) == 13
    assert all(b.begin > timezone.now() for b in bijeenkomsten)
    assert {(b.begin - bijeenkomsten[0].begin).days % 7 for b in bijeenkomsten} == {0}
    afspraken = Afspraak.objects.filter(deelnemer=wereld.deelnemer)
    assert afspraken.count() == 13
    assert {a.soort for a in afspraken} == {Afspraak.Soort.GROEPSBIJEENKOMST}
    assert set(afspraken.first().medewerkers.all()) == {groep.begeleider}
    # Planning again (every night, or after a change) adds nothing twice.
    assert services.plan_bijeenkomsten(groep=groep, door=groep.begeleider) == 0
    assert Afspraak.objects.filter(deelnemer=wereld.deelnemer).count() == 13


def test_intervisie_eens_in_de_drie_weken(wereld):
    groep = GroepFactory(intervisie=True, organisatie=wereld.eigen, werkplek=wereld.werkplek)
    services.plan_bijeenkomsten(groep=groep, door=groep.begeleider)
    data = [b.volgens_schema for b in groep.bijeenkomsten.all()]
    assert len(data) in (4, 5)
    assert {(b - a).days for a, b in itertools.pairwise(data)} == {21}


def test_een_nieuw_lid_krijgt_de_komende_bijeenkomsten_en_verliest_ze_bij_uitschrijven(
    wereld, groep
):
    services.plan_bijeenkomsten(groep=groep, door=groep.begeleider)
    nieuw = DeelnemerFactory()
    TrajectFactory(deelnemer=nieuw, aanbieder=wereld.eigen)
    lid = services.lid_toevoegen(
        groep=groep, deelnemer=nieuw, startdatum=timezone.localdate(), door=groep.begeleider
    )
    assert Afspraak.objects.filter(deelnemer=nieuw).count() == 13
    with pytest.raises(ValidationError, match="al lid"):
        services.lid_toevoegen(
            groep=groep, deelnemer=nieuw, startdatum=timezone.localdate(), door=groep.begeleider
        )
    vierde = groep.bijeenkomsten.all()[3]
    services.lid_uitschrijven(lidmaatschap=lid, einddatum=timezone.localdate(vierde.begin))
    assert Afspraak.objects.filter(deelnemer=nieuw).count() == 4


def test_verzetten_en_annuleren_gaan_mee_in_de_agenda(wereld, groep):
    services.plan_bijeenkomsten(groep=groep, door=groep.begeleider)
    eerste, tweede = groep.bijeenkomsten.all()[:2]
    later = eerste.begin + dt.timedelta(days=1, hours=2)
    services.bijeenkomst_verzetten(
        bijeenkomst=eerste, begin=later, einde=later + dt.timedelta(hours=2)
    )
    afspraak = Afspraak.objects.get(sleutel=f"groep:bijeenkomst:{eerste.pk}")
    assert (afspraak.begin, afspraak.einde) == (later, later + dt.timedelta(hours=2))
    services.bijeenkomst_annuleren(bijeenkomst=tweede)
    assert not Afspraak.objects.filter(sleutel=f"groep:bijeenkomst:{tweede.pk}").exists()
    assert (
        Groepsbijeenkomst.objects.get(pk=tweede.pk).status == Groepsbijeenkomst.Status.GEANNULEERD
    )
    # The rhythm does not plan a cancelled date again.
    assert services.plan_bijeenkomsten(groep=groep, door=groep.begeleider) == 0


def test_een_bijeenkomst_die_al_was_verzet_of_annuleert_u_niet(wereld, gisteren):
    with pytest.raises(ValidationError, match="al begonnen"):
        services.bijeenkomst_annuleren(bijeenkomst=gisteren)


def test_einde_voor_begin_wordt_geweigerd(wereld, groep):
    services.plan_bijeenkomsten(groep=groep, door=groep.begeleider)
    eerste = groep.bijeenkomsten.first()
    with pytest.raises(ValidationError) as fout:
        services.bijeenkomst_verzetten(
            bijeenkomst=eerste, begin=eerste.begin, einde=eerste.begin - dt.timedelta(hours=1)
        )
    assert fout.value.message_dict["einde"] == ["Het einde van de bijeenkomst ligt voor het begin."]


def test_een_interval_van_nul_weken_bestaat_niet(wereld):
    groep = GroepFactory.build(organisatie=wereld.eigen, werkplek=wereld.werkplek, interval_weken=0)
    groep.begeleider.save()
    with pytest.raises(ValidationError) as fout:
        groep.full_clean()
    assert (
        "Een groep komt eens in de 1 tot 12 weken bijeen."
        in fout.value.message_dict["interval_weken"]
    )


def test_aanwezig_boekt_scholing_op_de_werkplek_van_de_groep_en_de_afspraak_is_gehouden(
    wereld, gisteren
):
    afspraak = Afspraak.objects.create(
        deelnemer=wereld.deelnemer,
        soort=Afspraak.Soort.GROEPSBIJEENKOMST,
        begin=gisteren.begin,
        einde=gisteren.einde,
        sleutel=f"groep:bijeenkomst:{gisteren.pk}",
    )
    _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal("2.5"))})
    registratie = Urenregistratie.objects.get(deelnemer=wereld.deelnemer, soort=SCHOLING)
    assert (registratie.werkplek, registratie.datum, registratie.uren) == (
        wereld.werkplek,
        gisteren.datum,
        Decimal("2.5"),
    )
    assert _fase(wereld).uren_gebruikt == Decimal("2.5")
    afspraak.refresh_from_db()
    assert afspraak.status == Afspraak.Status.GEHOUDEN


def test_opnieuw_opslaan_corrigeert_en_verdubbelt_niet(wereld, gisteren):
    _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal("2.5"))})
    _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal("2.5"))})
    assert _scholing(wereld) == [Decimal("2.5")]
    _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal("1.5"))})
    assert _scholing(wereld) == [Decimal("1.5")]
    assert _fase(wereld).uren_gebruikt == Decimal("1.5")
    # From aanwezig to afgemeld: the hours go, the phase's counter with them.
    _opslaan(wereld, gisteren, {wereld.deelnemer: (AFGEMELD, None)})
    assert _scholing(wereld) == []
    assert _fase(wereld).uren_gebruikt == 0
    assert Aanwezigheid.objects.get().status == AFGEMELD
    acties = list(
        UrenMutatie.objects.filter(deelnemer=wereld.deelnemer)
        .order_by("tijdstip", "id")
        .values_list("actie", flat=True)
    )
    assert acties == ["aangemaakt", "gewijzigd", "verwijderd"]


def test_geen_ruimte_in_de_fase_melding_bij_de_rij_en_niets_half_opgeslagen(wereld, gisteren):
    andere = DeelnemerFactory()
    TrajectFactory(deelnemer=andere, aanbieder=wereld.eigen)
    LidmaatschapFactory(groep=gisteren.groep, deelnemer=andere)
    fase = _fase(wereld)
    for dag, uren in enumerate((24, 24, 24, 24, 3)):  # 99 of the diagnose phase's 100 hours
        UrenregistratieFactory(
            fase=fase,
            werkplek=wereld.werkplek,
            datum=wereld.plaatsing.startdatum + dt.timedelta(days=dag),
            uren=uren,
        )
    with pytest.raises(services.AanwezigheidFouten) as fout:
        _opslaan(
            wereld,
            gisteren,
            {andere: (AANWEZIG, Decimal("2.5")), wereld.deelnemer: (AANWEZIG, Decimal("2.5"))},
        )
    assert fout.value.fouten == {
        wereld.deelnemer.pk: "Dit past niet in het budget van de fase Diagnose: er is nog 1 uur "
        "over."
    }
    assert not Aanwezigheid.objects.exists()
    assert not Urenregistratie.objects.filter(soort=SCHOLING).exists()
    assert _fase(wereld).uren_gebruikt == 99


def test_meer_uren_dan_de_bijeenkomst_duurde(wereld, gisteren):
    with pytest.raises(services.AanwezigheidFouten) as fout:
        _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal(3))})
    assert fout.value.fouten[wereld.deelnemer.pk] == (
        "Hoogstens 2,5 uur: zo lang duurde de bijeenkomst."
    )
    assert not Aanwezigheid.objects.exists()


def test_wie_geen_lid_is_wordt_niet_geboekt(wereld, gisteren):
    with pytest.raises(services.AanwezigheidFouten):
        _opslaan(wereld, gisteren, {wereld.vreemde_deelnemer: (AANWEZIG, Decimal(2))})
    assert not Urenregistratie.objects.filter(soort=SCHOLING).exists()


def test_een_groep_die_niet_telt_boekt_geen_uren(wereld, gisteren):
    Groep.objects.filter(pk=gisteren.groep_id).update(telt_voor_budget=False)
    gisteren.refresh_from_db()
    _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal(2))})
    assert Aanwezigheid.objects.get().uren == 2
    assert _scholing(wereld) == []


def test_de_aanwezigheid_van_een_komende_bijeenkomst_kan_nog_niet(wereld, groep):
    services.plan_bijeenkomsten(groep=groep, door=groep.begeleider)
    with pytest.raises(ValidationError, match="begonnen"):
        _opslaan(wereld, groep.bijeenkomsten.first(), {wereld.deelnemer: (AANWEZIG, Decimal(2))})


def test_de_begeleider_legt_de_aanwezigheid_vast_op_een_scherm(client, wereld, gisteren):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    url = reverse("groepen:aanwezigheid", kwargs={"pk": gisteren.pk})
    pagina = pagina_tekst(client.get(url))
    assert wereld.deelnemer.naam in pagina
    assert 'value="2,5"' in pagina  # prefilled with the session's length
    d = wereld.deelnemer.pk
    response = client.post(url, {f"s_{d}": AANWEZIG, f"u_{d}": "2,5"})
    assert response.status_code == 302
    assert _scholing(wereld) == [Decimal("2.5")]


@pytest.mark.parametrize("uren", ["abc", "NaN", "1e9", "-2", "3", "2,3", "<script>", "9" * 50])
def test_vijandige_uren_geven_een_nederlandse_melding_en_niets_opgeslagen(
    client, wereld, gisteren, uren
):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    url = reverse("groepen:aanwezigheid", kwargs={"pk": gisteren.pk})
    d = wereld.deelnemer.pk
    response = client.post(url, {f"s_{d}": AANWEZIG, f"u_{d}": uren})
    assert response.status_code == 200
    assert "Niets opgeslagen" in pagina_tekst(response)
    assert not Aanwezigheid.objects.exists()


def test_een_vreemde_status_wordt_geweigerd(client, wereld, gisteren):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    url = reverse("groepen:aanwezigheid", kwargs={"pk": gisteren.pk})
    d = wereld.deelnemer.pk
    response = client.post(url, {f"s_{d}": "verzonnen", f"u_{d}": "2"})
    assert "Selecteer een geldige keuze" in pagina_tekst(response)
    assert not Aanwezigheid.objects.exists()


def test_een_deelnemer_die_u_niet_ziet_voegt_u_niet_toe(client, wereld, groep):
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    response = client.post(
        reverse("groepen:detail", kwargs={"pk": groep.pk}),
        {"deelnemer": wereld.vreemde_deelnemer.pk, "startdatum": timezone.localdate()},
    )
    assert "Selecteer een geldige keuze" in pagina_tekst(response)
    assert not groep.leden.filter(deelnemer=wereld.vreemde_deelnemer).exists()


def test_het_dossier_toont_groepen_en_aanwezigheid(client, wereld, gisteren):
    _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal("2.5"))})
    client.force_login(wereld.gebruikers[Rol.KLANTMANAGER])
    pagina = pagina_tekst(
        client.get(reverse("deelnemers:dossier", kwargs={"pk": wereld.deelnemer.pk}))
    )
    assert gisteren.groep.naam in pagina
    assert "Aanwezig" in pagina


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twee_begeleiders_tegelijk_boeken_de_uren_eenmaal(wereld, gisteren):
    """Two begeleiders save the same session's attendance at the same moment: the session's
    row lock puts them one after the other; the second corrects to the same, never doubles.
    SQLite (development only) may refuse a conflicting writer outright."""

    def schrijver(rol):
        # SQLite may raise "database table is locked": tegelijk returns it as the outcome.
        _opslaan(wereld, gisteren, {wereld.deelnemer: (AANWEZIG, Decimal("2.5"))}, rol)
        return "opgeslagen"

    uitkomsten = tegelijk(
        *(functools.partial(schrijver, rol) for rol in (Rol.TRAJECTBEGELEIDER, Rol.KLANTMANAGER))
    )
    opgeslagen = uitkomsten.count("opgeslagen")
    assert _scholing(wereld) == ([Decimal("2.5")] if opgeslagen else [])
    assert _fase(wereld).uren_gebruikt == (Decimal("2.5") if opgeslagen else 0)
    if connection.vendor == "postgresql":
        assert uitkomsten == ["opgeslagen", "opgeslagen"]


def test_elke_nacht_plannen_houdt_het_kwartaal_vol(wereld, groep):
    from django.core.management import call_command

    call_command("groepen_plannen", verbosity=0)
    assert groep.bijeenkomsten.count() == 13
    call_command("groepen_plannen", verbosity=0)
    assert groep.bijeenkomsten.count() == 13
