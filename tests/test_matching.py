"""Wie past waar: the workplaces ranked for one participant by the rules of
werkplekken.matching, each reason in words, and a way on from each (place, or the waiting
list when full); only what the user may read counts."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Doelgroep
from reintegratie.access import Categorie, Toegang
from reintegratie.accounts.models import Organisatie, Rol
from trajecten.models import PlanVanAanpak
from werkplekken import matching
from werkplekken.matching import PUNTEN
from werkplekken.models import Mixdoel, Werkplek, Werksoort

from .conftest import pagina_tekst
from .factories import (
    DeelnemerFactory,
    OrganisatieFactory,
    PlaatsingFactory,
    TrajectFactory,
    VoorkeurFactory,
    WachtlijstplaatsFactory,
    WerkplekFactory,
)

KM = Rol.KLANTMANAGER
INTERN, EXTERN = Werkplek.Soort.INTERN, Werkplek.Soort.EXTERN


@pytest.fixture
def keuze(wereld):
    """Our participant lives in Almelo, the plan says extern, and three workplaces of a host
    are all there is (the fixture's own is made inactive): a kitchen that is the first own
    choice, a full green one whose werksoort is the second, and a warehouse of a host that
    wants more of the participant's doelgroep."""
    d = wereld.deelnemer
    d.woongemeente = OrganisatieFactory(naam="Gemeente Almelo", soort=Organisatie.Soort.GEMEENTE)
    d.save(update_fields=["woongemeente"])
    Werkplek.objects.update(actief=False)
    host = OrganisatieFactory(naam="Leerbedrijf Noord")
    maken = {"organisatie": host, "actief": True}
    kantine = WerkplekFactory(
        naam="Kantine",
        soort=EXTERN,
        werksoort=Werksoort.CATERING,
        capaciteit=2,
        plaats="Almelo",
        **maken,
    )
    groen = WerkplekFactory(
        naam="Plantsoen", soort=INTERN, werksoort=Werksoort.GROEN, capaciteit=1, **maken
    )
    PlaatsingFactory(werkplek=groen, startdatum=timezone.localdate() - dt.timedelta(days=5))
    mixhost = OrganisatieFactory(naam="Magazijn Oost")
    magazijn = WerkplekFactory(
        naam="Magazijn",
        soort=EXTERN,
        werksoort=Werksoort.MAGAZIJN,
        capaciteit=3,
        organisatie=mixhost,
        actief=True,
    )
    doelgroep = Doelgroep.objects.order_by("pk").first()
    d.doelgroepen.set([doelgroep])
    Mixdoel.objects.create(organisatie=mixhost, doelgroep=doelgroep, aandeel=40)
    VoorkeurFactory(deelnemer=d, rang=1, werkplek=kantine, reden="Wil koken leren")
    VoorkeurFactory(
        deelnemer=d, rang=2, werkplek=None, werksoort=Werksoort.GROEN, reden="Graag buiten"
    )
    PlanVanAanpak.objects.create(
        traject=wereld.traject,
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        werkplek_soort=EXTERN,
        opgesteld_door=wereld.gebruikers[KM],
    )
    return {"kantine": kantine, "groen": groen, "magazijn": magazijn, "doelgroep": doelgroep}


def _pagina(client, wereld, **params):
    client.force_login(wereld.gebruikers[KM])
    return client.get(reverse("deelnemers:wie_past_waar", args=[wereld.deelnemer.pk]), params)


def test_bekende_rangorde_met_de_redenen(client, wereld, keuze):
    response = _pagina(client, wereld)
    voorstellen = response.context["matching"].voorstellen
    assert [v.werkplek["naam"] for v in voorstellen] == ["Kantine", "Magazijn", "Plantsoen"]
    kantine, magazijn, groen = voorstellen
    assert kantine.punten == (
        PUNTEN["eigen_werkplek"]
        + PUNTEN["soort_zoals_plan"]
        + PUNTEN["vrij"]
        + PUNTEN["woongemeente"]
    )
    assert magazijn.punten == PUNTEN["soort_zoals_plan"] + PUNTEN["vrij"] + PUNTEN["mix_onder_doel"]
    assert groen.punten == PUNTEN["eigen_werksoort"] - 5 + PUNTEN["vol"]
    tekst = pagina_tekst(response)
    for reden in [
        "Eigen keuze nummer 1: Wil koken leren",
        "Extern (werkgever), zoals het plan zegt",
        "Nu 2 van de 2 plaatsen vrij",
        "In de woongemeente (Almelo)",
        f"Magazijn Oost zoekt meer deelnemers uit de doelgroep {keuze['doelgroep'].naam} "
        "(nu 0%, doel 40%)",
        "Werksoort groen is eigen keuze nummer 2: Graag buiten",
        "Vol bij de geplande start",
    ]:
        assert reden in tekst, reden


def test_van_het_voorstel_naar_plaatsen_of_de_wachtlijst(client, wereld, keuze):
    """The second click: the first proposal opens the placement form with workplace and start
    chosen; the full one offers its waiting list instead."""
    start = timezone.localdate() + dt.timedelta(days=7)
    response = _pagina(client, wereld, start=start.isoformat())
    html = response.content.decode()
    plaatsen = (
        f"{reverse('deelnemers:plaatsing_nieuw', args=[wereld.deelnemer.pk])}"
        f"?werkplek={keuze['kantine'].pk}&amp;startdatum={start:%Y-%m-%d}"
    )
    wachten = (
        f"{reverse('deelnemers:wachtlijst', args=[wereld.deelnemer.pk])}"
        f"?werkplek={keuze['groen'].pk}&amp;start={start:%Y-%m-%d}"
    )
    assert plaatsen in html and wachten in html
    form = client.get(plaatsen.replace("&amp;", "&")).context["form"]
    assert str(form["werkplek"].value()) == str(keuze["kantine"].pk)
    assert form["startdatum"].value() == f"{start:%Y-%m-%d}"


def test_bij_een_latere_start_telt_de_bezetting_van_dan(client, wereld, keuze):
    """The green place frees up before the start: then it has room at the start."""
    bezet = keuze["groen"].plaatsingen.get()
    bezet.einddatum = timezone.localdate() + dt.timedelta(days=3)
    bezet.save()
    start = timezone.localdate() + dt.timedelta(days=10)
    voorstellen = _pagina(client, wereld, start=start.isoformat()).context["matching"].voorstellen
    groen = next(v for v in voorstellen if v.werkplek["naam"] == "Plantsoen")
    assert (groen.vrij, groen.vrij_bij_start) == (0, 1)
    assert not groen.vol_bij_start
    assert (PUNTEN["vrij_bij_start"], "Plaats vrij bij de geplande start") in groen.redenen


def test_zonder_plan_en_traject_geen_redenen_die_erop_rusten(wereld, keuze):
    d = wereld.deelnemer
    d.toegang = Toegang(frozenset({Categorie.NAAM}), frozenset(), frozenset())
    uitkomst = matching.voor_deelnemer(
        deelnemer=d, start=timezone.localdate(), vandaag=timezone.localdate()
    )
    redenen = " ".join(r for v in uitkomst.voorstellen for _, r in v.redenen)
    assert "Eigen keuze" not in redenen and "zoals het plan" not in redenen
    assert "woongemeente" not in redenen and "doelgroep" not in redenen
    assert len(uitkomst.zonder) == 2


@pytest.mark.parametrize(
    "start", ["abc", "9999-01-01", "2026-02-30", "{gisteren}", "{over_twee_jaar}"]
)
def test_foute_startdatum_een_melding_en_vandaag(client, wereld, keuze, start):
    vandaag = timezone.localdate()
    start = start.format(
        gisteren=vandaag - dt.timedelta(days=1),
        over_twee_jaar=vandaag.replace(year=vandaag.year + 2),
    )
    response = _pagina(client, wereld, start=start)
    assert response.status_code == 200
    assert response.context["form"].errors["start"]
    assert response.context["matching"].start == vandaag


def test_waar_de_deelnemer_nu_werkt_staat_er_niet_bij(client, wereld, keuze):
    PlaatsingFactory(deelnemer=wereld.deelnemer, werkplek=keuze["magazijn"])
    namen = [v.werkplek["naam"] for v in _pagina(client, wereld).context["matching"].voorstellen]
    assert "Magazijn" not in namen


def test_mixdoel_boven_de_honderd_procent_een_melding(wereld, keuze):
    org = keuze["magazijn"].organisatie
    ander = Doelgroep.objects.exclude(pk=keuze["doelgroep"].pk).first()
    for aandeel, veld in [(70, "aandeel"), (0, "aandeel"), (101, "aandeel")]:
        with pytest.raises(ValidationError) as fout:
            Mixdoel(organisatie=org, doelgroep=ander, aandeel=aandeel).full_clean()
        assert veld in fout.value.message_dict
    with pytest.raises(ValidationError) as fout:
        Mixdoel(organisatie=org, doelgroep=keuze["doelgroep"], aandeel=5).full_clean()
    assert "al een aandeel" in " ".join(fout.value.message_dict["doelgroep"])
    Mixdoel(organisatie=org, doelgroep=ander, aandeel=60).full_clean()  # 40 + 60: fine


@pytest.fixture
def plek(wereld):
    """One of our own workplaces (intern, productie, in Almelo), with room."""
    return WerkplekFactory(
        organisatie=wereld.eigen,
        naam="Montage",
        soort=INTERN,
        werksoort=Werksoort.PRODUCTIE,
        plaats="Almelo",
        capaciteit=4,
    )


def _kandidaat(wereld, **extra):
    d = DeelnemerFactory(klantmanager=wereld.gebruikers[KM], verwijzer=wereld.verwijzer, **extra)
    TrajectFactory(deelnemer=d, aanbieder=wereld.eigen)
    return d


def test_kandidaten_voor_een_werkplek_wachtlijst_en_eigen_keuze_voorop(client, wereld, plek):
    almelo = OrganisatieFactory(naam="Gemeente Almelo", soort=Organisatie.Soort.GEMEENTE)
    wacht_lang = _kandidaat(wereld, achternaam="Eerst")
    wacht_kort = _kandidaat(wereld, achternaam="Tweede")
    kiest = _kandidaat(wereld, achternaam="Kiest", woongemeente=almelo)
    soort = _kandidaat(wereld, achternaam="Soort")
    _kandidaat(wereld, achternaam="Niemand")  # chooses nothing, waits for nothing
    vreemd = DeelnemerFactory(achternaam="Vreemd", verwijzer=wereld.vreemd)  # not ours to place
    nu = timezone.now()
    WachtlijstplaatsFactory(
        werkplek=plek, deelnemer=wacht_lang, aangemeld_op=nu - dt.timedelta(days=9)
    )
    WachtlijstplaatsFactory(
        werkplek=plek, deelnemer=wacht_kort, aangemeld_op=nu - dt.timedelta(days=2)
    )
    VoorkeurFactory(deelnemer=kiest, werkplek=plek, reden="Vlak bij huis")
    VoorkeurFactory(
        deelnemer=soort, werkplek=None, werksoort=Werksoort.PRODUCTIE, rang=1, reden="Met de handen"
    )
    VoorkeurFactory(deelnemer=vreemd, werkplek=plek)
    client.force_login(wereld.gebruikers[KM])
    response = client.get(reverse("werkplekken:kandidaten", args=[plek.pk]))
    kandidaten = response.context["uitkomst"].kandidaten
    assert [k.deelnemer.achternaam for k in kandidaten] == ["Kiest", "Soort", "Eerst", "Tweede"]
    kiest_k = kandidaten[0]
    assert kiest_k.punten == PUNTEN["eigen_werkplek"] + PUNTEN["woongemeente"]
    assert kandidaten[2].punten == PUNTEN["op_de_wachtlijst"]
    assert kandidaten[3].punten == PUNTEN["op_de_wachtlijst"] - 1
    tekst = pagina_tekst(response)
    for reden in [
        "Eigen keuze nummer 1: Vlak bij huis",
        "In de woongemeente (Almelo)",
        "Werksoort productie is eigen keuze nummer 1: Met de handen",
        "Op de wachtlijst, plaats 1",
        "Op de wachtlijst, plaats 2",
    ]:
        assert reden in tekst, reden
    assert "Vreemd" not in tekst and "Niemand" not in tekst
    # The second click: place the first candidate here.
    link = f"{reverse('deelnemers:plaatsing_nieuw', args=[kiest.pk])}?werkplek={plek.pk}"
    assert link in response.content.decode()
    form = client.get(link).context["form"]
    assert str(form["werkplek"].value()) == str(plek.pk)


def test_kandidaten_ziet_alleen_wie_mag_plaatsen(client, wereld, plek):
    d = _kandidaat(wereld)
    VoorkeurFactory(deelnemer=d, werkplek=plek, reden="Geheim van de klantmanager")
    client.force_login(wereld.gebruikers[Rol.TRAJECTBEGELEIDER])
    response = client.get(reverse("werkplekken:kandidaten", args=[plek.pk]))
    assert response.context["uitkomst"].kandidaten == []
    assert "Geheim van de klantmanager" not in pagina_tekst(response)


@pytest.mark.parametrize("extra", [1, 8], ids=["klein", "groter"])
def test_kandidaten_vast_aantal_queries(client, wereld, plek, django_assert_num_queries, extra):
    doelgroep = Doelgroep.objects.order_by("pk").first()
    Mixdoel.objects.create(organisatie=wereld.eigen, doelgroep=doelgroep, aandeel=30)
    for n in range(extra):
        d = _kandidaat(wereld)
        d.doelgroepen.set([doelgroep])
        VoorkeurFactory(deelnemer=d, werkplek=plek)
        WachtlijstplaatsFactory(werkplek=plek, deelnemer=d)
        PlanVanAanpak.objects.create(
            traject=d.trajecten.get(),
            versie=1,
            afstand_tot_arbeidsmarkt="lang",
            opgesteld_door=wereld.gebruikers[KM],
        )
        if n % 2:  # working elsewhere now
            PlaatsingFactory(deelnemer=d, werkplek=wereld.werkplek)
    client.force_login(wereld.gebruikers[KM])
    client.get(reverse("werkplekken:kandidaten", args=[plek.pk]))  # the mix into the cache
    # session (2), the workplace (1), who chose it (1) or waits for it (1), those of them the
    # user may place with involvement, plan and ranks (1), their matching preferences (1) and
    # doelgroepen (1), the waiting list (1), the mix targets (1), audit insert (1)
    with django_assert_num_queries(11):
        response = client.get(reverse("werkplekken:kandidaten", args=[plek.pk]))
    assert len(response.context["uitkomst"].kandidaten) == extra
