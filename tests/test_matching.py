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
from .factories import OrganisatieFactory, PlaatsingFactory, VoorkeurFactory, WerkplekFactory

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
