"""The partner meeting: planned to recur, an agenda of the participants the partners share,
ordered by urgency, a summary per participant by each reader's access, minutes filed in the
dossier with their afspraken as tasks, and a pack per partner of its own participants."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deelnemers.models import Contactmoment
from reintegratie.accounts.models import Organisatie, Rol
from reintegratie.afdrukken.models import Afdrukopdracht
from reintegratie.audit.models import AuditRecord
from reintegratie.overleg import agenda, planning
from reintegratie.overleg.models import Bespreking, Bijeenkomst, Overleg, Overlegafspraak
from reintegratie.overleg.verslag import VEROUDERD
from reintegratie.taken.models import Taak
from trajecten.models import Leerdoel, PlanVanAanpak

from .conftest import pagina_tekst, pdf_tekst
from .factories import (
    BijeenkomstFactory,
    DeelnemerFactory,
    GebruikerFactory,
    OrganisatieFactory,
    OverlegFactory,
    PlaatsingFactory,
    TrajectFactory,
    WerkplekFactory,
)

KM, TB, MAN = Rol.KLANTMANAGER, Rol.TRAJECTBEGELEIDER, Rol.MANAGER


@pytest.fixture
def arnhem(db):
    """Arnhem's pilot: the gemeente holds the cases, Refugee Company provides trajectories,
    Scalabor hosts at a workplace; a fourth organisation is not at the table."""
    org = {
        naam: OrganisatieFactory(naam=naam, soort=soort)
        for naam, soort in (
            ("Gemeente Arnhem", Organisatie.Soort.GEMEENTE),
            ("Refugee Company", Organisatie.Soort.REINTEGRATIEBEDRIJF),
            ("Scalabor", Organisatie.Soort.WERKGEVER),
            ("Elders", Organisatie.Soort.REINTEGRATIEBEDRIJF),
        )
    }
    mensen = {
        (naam, rol): GebruikerFactory(organisatie=o, rol=rol, first_name=f"{naam[:3]}{rol[:2]}")
        for naam, o in org.items()
        for rol in (KM, TB, MAN)
    }
    km = mensen["Gemeente Arnhem", KM]
    vandaag = timezone.localdate()

    def deelnemer(achternaam, aanbieder=None, host=None, startdagen=60):
        d = DeelnemerFactory(achternaam=achternaam, klantmanager=km)
        traject = TrajectFactory(
            deelnemer=d,
            aanbieder=org[aanbieder or "Gemeente Arnhem"],
            startdatum=vandaag - dt.timedelta(days=startdagen),
        )
        if host:
            PlaatsingFactory(
                deelnemer=d, werkplek=WerkplekFactory(organisatie=org[host]), traject=traject
            )
        return d, traject

    # Refugee Company's, no hours for two weeks; Scalabor's placed, no hours; one of the
    # gemeente alone; one that Elders provides.
    bij_rc, traject_rc = deelnemer("Aanbiederman", aanbieder="Refugee Company")
    bij_sc, _ = deelnemer("Hostvrouw", host="Scalabor", startdagen=5)
    alleen, _ = deelnemer("Alleengemeente")
    elders, _ = deelnemer("Eldersman", aanbieder="Elders")
    overleg = planning.maak_overleg(
        naam="Partneroverleg Arnhem",
        organisator=org["Gemeente Arnhem"],
        organisaties=[org["Refugee Company"], org["Scalabor"]],
        aanwezigen=[km, mensen["Refugee Company", KM], mensen["Scalabor", MAN]],
        interval_weken=3,
        eerste_begin=timezone.now() + dt.timedelta(days=2),
        door=km,
    )
    return {
        "org": org,
        "mensen": mensen,
        "km": km,
        "overleg": overleg,
        "bijeenkomst": overleg.bijeenkomsten.order_by("begin").first(),
        "rc": bij_rc,
        "traject_rc": traject_rc,
        "sc": bij_sc,
        "alleen": alleen,
        "elders": elders,
    }


def test_een_overleg_komt_terug_en_is_vooruit_gepland(arnhem):
    overleg = arnhem["overleg"]
    begins = list(overleg.bijeenkomsten.order_by("volgnummer").values_list("begin", flat=True))
    assert len(begins) == planning.VOORUIT
    assert {b - a for a, b in itertools.pairwise(begins)} == {dt.timedelta(weeks=3)}
    assert set(overleg.organisaties.all()) == {
        arnhem["org"][n] for n in ("Gemeente Arnhem", "Refugee Company", "Scalabor")
    }
    # Planning again adds nothing; a moved occurrence keeps its new time.
    bijeenkomst = arnhem["bijeenkomst"]
    later = bijeenkomst.begin + dt.timedelta(days=1)
    planning.verplaats(bijeenkomst=bijeenkomst, begin=later, plaats="Stadhuis")
    assert planning.plan_vooruit(overleg=overleg) == []
    bijeenkomst.refresh_from_db()
    assert (bijeenkomst.begin, bijeenkomst.plaats, bijeenkomst.verplaatst) == (
        later,
        "Stadhuis",
        True,
    )


def _formulier(**velden):
    return {
        "naam": "Overleg",
        "interval_weken": "4",
        "datum": f"{timezone.localdate() + dt.timedelta(days=3):%Y-%m-%d}",
        "tijd": "10:00",
        "duur_minuten": "120",
        **velden,
    }


@pytest.mark.parametrize(
    ("velden", "veld", "bericht"),
    [
        ({}, "organisaties", "Kies minstens één andere organisatie"),
        ({"interval_weken": "0"}, "interval_weken", "interval van 1 tot en met 52 weken"),
        ({"interval_weken": "9" * 30}, "interval_weken", "interval van 1 tot en met 52 weken"),
        ({"organisaties": ["9" * 40]}, "organisaties", "geen geldige waarde"),
        ({"tijd": "25:61"}, "tijd", "geldige tijd"),
        ({"naam": "x" * 5000}, "naam", "200"),
    ],
)
def test_een_onjuist_overleg_wordt_niet_gepland(client, arnhem, velden, veld, bericht):
    client.force_login(arnhem["km"])
    data = _formulier(**velden)
    if veld != "organisaties":
        data.setdefault("organisaties", [arnhem["org"]["Scalabor"].pk])
    voor = Overleg.objects.count()
    response = client.post(reverse("overleg:nieuw"), data)
    assert response.status_code == 200
    assert bericht in " ".join(response.context["form"].errors[veld])
    assert Overleg.objects.count() == voor


def test_het_formulier_plant_een_overleg(client, arnhem):
    client.force_login(arnhem["km"])
    response = client.post(
        reverse("overleg:nieuw"), _formulier(organisaties=[arnhem["org"]["Scalabor"].pk])
    )
    overleg = Overleg.objects.get(naam="Overleg")
    assert response.url == reverse("overleg:detail", args=[overleg.pk])
    assert overleg.bijeenkomsten.count() == planning.VOORUIT


def _aanwezigen_op(response) -> dict[str, bool]:
    """The attendee checkboxes a page or its fragment shows: label, and whether ticked."""
    form = response.context.get("form")
    veld = form["aanwezigen"] if form else response.context["veld"]
    return {keuze.choice_label: keuze.data["selected"] for keuze in veld}


def test_het_formulier_toont_niet_alle_medewerkers_maar_zoekt_ze(client, arnhem):
    """A region has thousands of staff: the form shows who is chosen (at first the planner
    herself) and who a search finds among the organisations at the table."""
    org, mensen = arnhem["org"], arnhem["mensen"]
    client.force_login(arnhem["km"])
    getoond = _aanwezigen_op(client.get(reverse("overleg:nieuw")))
    assert getoond == {f"{arnhem['km'].get_full_name()} (Gemeente Arnhem)": True}

    zoek = reverse("overleg:aanwezigen")
    fragment = client.get(
        zoek,
        {
            "aanwezigen_zoeken": "  sca  ",
            "organisaties": [org["Scalabor"].pk],
            "aanwezigen": [arnhem["km"].pk],
        },
    )
    getoond = _aanwezigen_op(fragment)
    scalabor = {
        f"{mensen['Scalabor', rol].get_full_name()} (Scalabor)": False for rol in (KM, TB, MAN)
    }
    assert getoond == {f"{arnhem['km'].get_full_name()} (Gemeente Arnhem)": True, **scalabor}
    assert "3 gevonden bij “sca”" in pagina_tekst(fragment)

    # Every word must match; Elders is not at the table, so its people are not found.
    fragment = client.get(
        zoek, {"aanwezigen_zoeken": "elders", "organisaties": [org["Scalabor"].pk]}
    )
    assert _aanwezigen_op(fragment) == {}
    assert "Niemand gevonden bij “elders”" in pagina_tekst(fragment)


def test_zoeken_zonder_javascript_bewaart_wat_getypt_is(client, arnhem):
    """The Zoeken button posts the form back: nothing is planned, nothing is judged yet,
    and what was typed and ticked is still there."""
    org, mensen = arnhem["org"], arnhem["mensen"]
    client.force_login(arnhem["km"])
    voor = Overleg.objects.count()
    response = client.post(
        reverse("overleg:nieuw"),
        _formulier(
            naam="Casus Arnhem",
            organisaties=[org["Scalabor"].pk],
            aanwezigen=[mensen["Scalabor", TB].pk],
            aanwezigen_zoeken=mensen["Scalabor", KM].first_name,
            interval_weken="",
            _zoeken="1",
        ),
    )
    assert response.status_code == 200
    assert Overleg.objects.count() == voor
    form = response.context["form"]
    assert not form.is_bound
    assert form["naam"].value() == "Casus Arnhem"
    assert _aanwezigen_op(response) == {
        f"{mensen['Scalabor', TB].get_full_name()} (Scalabor)": True,
        f"{mensen['Scalabor', KM].get_full_name()} (Scalabor)": False,
    }


def test_de_zoeklijst_is_begrensd(client, arnhem):
    from deelnemers.forms import GEVONDEN_MAXIMUM

    scalabor = arnhem["org"]["Scalabor"]
    GebruikerFactory.create_batch(
        GEVONDEN_MAXIMUM + 5, organisatie=scalabor, rol=TB, last_name="Vos"
    )
    client.force_login(arnhem["km"])
    fragment = client.get(
        reverse("overleg:aanwezigen"),
        {"aanwezigen_zoeken": "vos", "organisaties": [scalabor.pk]},
    )
    assert len(list(fragment.context["veld"])) == GEVONDEN_MAXIMUM
    assert f"De eerste {GEVONDEN_MAXIMUM} gevonden" in pagina_tekst(fragment)


def _wijzigen(overleg, **velden):
    return {
        "naam": overleg.naam,
        "organisaties": [o.pk for o in overleg.organisaties.exclude(pk=overleg.organisator_id)],
        "aanwezigen": [a.pk for a in overleg.aanwezigen.all()],
        "duur_minuten": str(overleg.duur_minuten),
        "plaats": overleg.plaats,
        **velden,
    }


def test_de_organisator_wijzigt_wie_aan_tafel_zit(client, arnhem):
    """Scalabor off, Elders on, a new place: Scalabor no longer sees the meeting, Elders does;
    the coming occurrences get the place, except the one moved on its own."""
    overleg, org, mensen = arnhem["overleg"], arnhem["org"], arnhem["mensen"]
    komend = list(overleg.bijeenkomsten.order_by("begin"))
    planning.verplaats(bijeenkomst=komend[1], begin=komend[1].begin, plaats="Stadhuis")
    client.force_login(arnhem["km"])
    detail = reverse("overleg:detail", args=[overleg.pk])
    assert reverse("overleg:wijzigen", args=[overleg.pk]) in client.get(detail).content.decode()
    pagina = client.get(reverse("overleg:wijzigen", args=[overleg.pk]))
    assert pagina.context["form"]["naam"].value() == overleg.naam

    response = client.post(
        reverse("overleg:wijzigen", args=[overleg.pk]),
        _wijzigen(
            overleg,
            naam="Casusoverleg Arnhem",
            organisaties=[org["Refugee Company"].pk, org["Elders"].pk],
            aanwezigen=[arnhem["km"].pk, mensen["Elders", KM].pk],
            plaats="Wijkcentrum",
        ),
    )
    assert response.url == detail
    overleg.refresh_from_db()
    assert overleg.naam == "Casusoverleg Arnhem"
    assert set(overleg.organisaties.all()) == {
        org["Gemeente Arnhem"],
        org["Refugee Company"],
        org["Elders"],
    }
    plaatsen = [b.plaats for b in overleg.bijeenkomsten.order_by("begin")]
    assert plaatsen[1] == "Stadhuis"
    assert set(plaatsen[:1] + plaatsen[2:]) == {"Wijkcentrum"}
    client.force_login(mensen["Scalabor", MAN])
    assert client.get(detail).status_code == 404
    client.force_login(mensen["Elders", KM])
    assert client.get(detail).status_code == 200
    # Only the organiser changes it.
    assert client.get(reverse("overleg:wijzigen", args=[overleg.pk])).status_code == 404


@pytest.mark.parametrize(
    ("velden", "veld", "bericht"),
    [
        ({"organisaties": []}, "organisaties", "Kies minstens één andere organisatie"),
        # Scalabor off the table, its manager still among the attendees.
        ("scalabor_eraf", "aanwezigen", "werkt niet bij een van de deelnemende organisaties"),
        ({"duur_minuten": "5"}, "duur_minuten", "minstens 15 minuten"),
        ({"naam": ""}, "naam", "verplicht"),
    ],
)
def test_een_onjuiste_wijziging_bewaart_niets(client, arnhem, velden, veld, bericht):
    overleg = arnhem["overleg"]
    if velden == "scalabor_eraf":
        velden = {"organisaties": [arnhem["org"]["Refugee Company"].pk]}
    voor = (overleg.naam, set(overleg.organisaties.all()), set(overleg.aanwezigen.all()))
    client.force_login(arnhem["km"])
    response = client.post(
        reverse("overleg:wijzigen", args=[overleg.pk]), _wijzigen(overleg, plaats="X", **velden)
    )
    assert response.status_code == 200
    assert bericht in " ".join(response.context["form"].errors[veld])
    overleg.refresh_from_db()
    assert (overleg.naam, set(overleg.organisaties.all()), set(overleg.aanwezigen.all())) == voor
    assert not overleg.bijeenkomsten.filter(plaats="X").exists()


def test_de_agenda_stelt_de_gedeelde_deelnemers_voor_de_dringendste_eerst(arnhem):
    besprekingen = agenda.stel_agenda_voor(bijeenkomst=arnhem["bijeenkomst"])
    op_agenda = [b.deelnemer for b in besprekingen]
    # Elders is not at the table, the gemeente alone shares nobody.
    assert set(op_agenda) == {arnhem["rc"], arnhem["sc"]}
    # Sixty days without hours: an older trajectory than five days, so it comes first.
    assert op_agenda[0] == arnhem["rc"]
    assert besprekingen[0].reden == "Twee weken geen uren"
    assert besprekingen[1].reden == agenda.GEEN_SIGNALEN
    # Proposing again adds nobody twice.
    assert agenda.stel_agenda_voor(bijeenkomst=arnhem["bijeenkomst"]) == []


def test_de_agenda_is_met_de_hand_bij_te_werken(client, arnhem):
    bijeenkomst = arnhem["bijeenkomst"]
    agenda.stel_agenda_voor(bijeenkomst=bijeenkomst)
    client.force_login(arnhem["km"])
    url = reverse("overleg:bijeenkomst", args=[bijeenkomst.pk])
    eerste, tweede = bijeenkomst.besprekingen.order_by("volgorde")
    client.post(url, {"actie": "omlaag", "bespreking": eerste.pk})
    assert list(bijeenkomst.besprekingen.order_by("volgorde")) == [tweede, eerste]
    client.post(url, {"actie": "weghalen", "bespreking": tweede.pk})
    assert list(bijeenkomst.besprekingen.all()) == [eerste]
    client.post(url, {"actie": "toevoegen", "deelnemer": tweede.deelnemer_id})
    assert bijeenkomst.besprekingen.order_by("-volgorde").first().deelnemer == tweede.deelnemer
    # Who the partners do not share cannot be added; the message stands at the field.
    response = client.post(url, {"actie": "toevoegen", "deelnemer": arnhem["alleen"].pk})
    assert "geen beschikbare keuze" in " ".join(response.context["form"].errors["deelnemer"])
    with pytest.raises(ValidationError):
        agenda.voeg_toe(bijeenkomst=bijeenkomst, deelnemer=arnhem["alleen"])


def test_elke_partner_ziet_alleen_zijn_eigen_deelnemers(client, arnhem, vergaderstukken):
    bijeenkomst = arnhem["bijeenkomst"]
    agenda.stel_agenda_voor(bijeenkomst=bijeenkomst)
    url = reverse("overleg:bijeenkomst", args=[bijeenkomst.pk])
    verwacht = {
        "Gemeente Arnhem": {"Aanbiederman", "Hostvrouw"},
        "Refugee Company": {"Aanbiederman"},
        "Scalabor": {"Hostvrouw"},
    }
    for naam, namen in verwacht.items():
        client.force_login(arnhem["mensen"][naam, MAN])
        tekst = pagina_tekst(client.get(url))
        assert {n for n in ("Aanbiederman", "Hostvrouw") if n in tekst} == namen, naam
        pakket = pdf_tekst(vergaderstukken(client, bijeenkomst).content)
        assert {n for n in ("Aanbiederman", "Hostvrouw") if n in pakket} == namen, naam
    # An organisation not at the table does not see the meeting at all.
    client.force_login(arnhem["mensen"]["Elders", KM])
    assert client.get(url).status_code == 404


def test_vergaderstukken_op_de_achtergrond_gelogd_als_partneroverleg(
    client, arnhem, vergaderstukken
):
    """A host's trajectbegeleider, who has no right to print the week's batch, asks for the pack;
    the batch's page leads back to the meeting; the download is logged per participant under
    the partner meeting's processing."""
    bijeenkomst = arnhem["bijeenkomst"]
    agenda.stel_agenda_voor(bijeenkomst=bijeenkomst)
    scalabor = arnhem["mensen"]["Scalabor", TB]
    client.force_login(scalabor)
    assert client.get(reverse("afdrukken_week")).status_code == 404
    pagina = client.get(reverse("overleg:bijeenkomst", args=[bijeenkomst.pk]))
    assert "Vergaderstukken maken (PDF)" in pagina_tekst(pagina)

    gevraagd = client.post(reverse("overleg:pakket", args=[bijeenkomst.pk]), follow=True)
    tekst = pagina_tekst(gevraagd)
    assert "Vergaderstukken van een partneroverleg" in tekst
    assert "Wacht op de verwerking" in tekst
    assert reverse("overleg:bijeenkomst", args=[bijeenkomst.pk]) in gevraagd.content.decode()
    # A second click joins the batch that runs.
    nog_eens = client.post(reverse("overleg:pakket", args=[bijeenkomst.pk]))
    assert nog_eens.url == gevraagd.redirect_chain[0][0]
    assert Afdrukopdracht.objects.count() == 1

    response = vergaderstukken(client, bijeenkomst)
    assert response["Content-Type"] == "application/pdf"
    assert (
        f"vergaderstukken-{timezone.localdate(bijeenkomst.begin):%Y-%m-%d}.pdf"
        in (response["Content-Disposition"])
    )
    assert "Hostvrouw" in pdf_tekst(response.content)
    (record,) = AuditRecord.objects.filter(actie=AuditRecord.Actie.AFGEDRUKT)
    assert (record.deelnemer, record.gebruiker) == (arnhem["sc"], scalabor)
    assert record.activiteit.code == "partneroverleg"


def test_vergaderstukken_van_twee_overleggen_op_een_dag_los_van_elkaar(client, arnhem):
    bijeenkomst = arnhem["bijeenkomst"]
    tweede = BijeenkomstFactory(
        overleg__organisator=arnhem["org"]["Gemeente Arnhem"],
        overleg__partners=[arnhem["org"]["Refugee Company"]],
        begin=bijeenkomst.begin + dt.timedelta(hours=2),
    )
    for b in (bijeenkomst, tweede):
        agenda.stel_agenda_voor(bijeenkomst=b)
    client.force_login(arnhem["km"])
    eerste = client.post(reverse("overleg:pakket", args=[bijeenkomst.pk])).url
    assert client.post(reverse("overleg:pakket", args=[tweede.pk])).url != eerste
    assert Afdrukopdracht.objects.count() == 2


def test_vergaderstukken_voor_wie_het_overleg_niet_meer_ziet_mislukken(client, arnhem, taakwerker):
    """Access is read again when the worker makes the pack: an organisation taken off the
    meeting in between gets a message, not the participants."""
    bijeenkomst = arnhem["bijeenkomst"]
    agenda.stel_agenda_voor(bijeenkomst=bijeenkomst)
    client.force_login(arnhem["mensen"]["Scalabor", MAN])
    gevraagd = client.post(reverse("overleg:pakket", args=[bijeenkomst.pk]))
    arnhem["overleg"].organisaties.remove(arnhem["org"]["Scalabor"])
    arnhem["overleg"].aanwezigen.remove(arnhem["mensen"]["Scalabor", MAN])
    taakwerker()
    pagina = pagina_tekst(client.get(gevraagd.url))
    assert "U mag dit overleg niet meer zien." in pagina
    assert "Hostvrouw" not in pagina


def test_de_host_ziet_de_leerdoelen_maar_niet_het_plan(client, arnhem):
    bijeenkomst = arnhem["bijeenkomst"]
    sc = arnhem["sc"]
    plan = PlanVanAanpak.objects.create(
        traject=sc.trajecten.get(),
        versie=1,
        afstand_tot_arbeidsmarkt="lang",
        opgesteld_door=arnhem["km"],
    )
    Leerdoel.objects.create(plan=plan, soort="werkervaring", omschrijving="Heftruck rijden")
    bespreking = Bespreking.objects.create(bijeenkomst=bijeenkomst, deelnemer=sc, volgorde=1)
    url = reverse("overleg:bespreking", args=[bespreking.pk])
    client.force_login(arnhem["mensen"]["Scalabor", MAN])
    tekst = pagina_tekst(client.get(url))
    assert "Heftruck rijden" in tekst
    assert "Plan van aanpak" not in tekst
    assert "Verslag opslaan" not in tekst  # a host writes no journal
    client.force_login(arnhem["km"])
    tekst = pagina_tekst(client.get(url))
    assert "Plan van aanpak" in tekst and "Heftruck rijden" in tekst


def _verslag(bespreking, eigenaar, wijziging=0, tekst="Gaat goed."):
    return {
        "verslag": tekst,
        "wijziging": str(wijziging),
        "afspraken-TOTAL_FORMS": "2",
        "afspraken-INITIAL_FORMS": "0",
        "afspraken-0-omschrijving": "Werkplek zoeken in de zorg",
        "afspraken-0-eigenaar": str(eigenaar.pk),
        "afspraken-0-vervaldatum": f"{timezone.localdate() + dt.timedelta(days=14):%Y-%m-%d}",
    }


def test_het_verslag_komt_in_het_dossier_en_een_afspraak_wordt_een_taak(client, arnhem):
    bespreking = Bespreking.objects.create(
        bijeenkomst=arnhem["bijeenkomst"], deelnemer=arnhem["rc"], volgorde=1
    )
    eigenaar = arnhem["mensen"]["Refugee Company", KM]
    client.force_login(arnhem["km"])
    url = reverse("overleg:bespreking", args=[bespreking.pk])
    response = client.post(url, _verslag(bespreking, eigenaar))
    assert response.status_code == 302
    moment = Contactmoment.objects.get(deelnemer=arnhem["rc"])
    assert (moment.soort, moment.verslag) == (Contactmoment.Soort.PARTNEROVERLEG, "Gaat goed.")
    taak = Taak.objects.get(deelnemer=arnhem["rc"])
    assert (taak.eigenaar, taak.bron) == (eigenaar, Taak.Bron.OVERLEG)
    assert Overlegafspraak.objects.get().taak == taak


def test_een_eigenaar_die_het_dossier_niet_opent_krijgt_geen_taak(client, arnhem):
    bespreking = Bespreking.objects.create(
        bijeenkomst=arnhem["bijeenkomst"], deelnemer=arnhem["rc"], volgorde=1
    )
    # Scalabor hosts Hostvrouw, not Aanbiederman: its manager cannot open this file.
    vreemde = arnhem["mensen"]["Scalabor", MAN]
    client.force_login(arnhem["km"])
    response = client.post(
        reverse("overleg:bespreking", args=[bespreking.pk]), _verslag(bespreking, vreemde)
    )
    assert response.status_code == 200
    fouten = response.context["afspraken"].forms[0].errors["eigenaar"]
    assert "kan dit dossier niet openen" in " ".join(fouten)
    assert not Contactmoment.objects.filter(deelnemer=arnhem["rc"]).exists()
    assert not Taak.objects.exists() and not Overlegafspraak.objects.exists()
    bespreking.refresh_from_db()
    assert (bespreking.verslag, bespreking.wijziging) == ("", 0)


def test_twee_schrijvers_tegelijk_de_tweede_hoort_het_en_verliest_niets(client, arnhem):
    bespreking = Bespreking.objects.create(
        bijeenkomst=arnhem["bijeenkomst"], deelnemer=arnhem["rc"], volgorde=1
    )
    eigenaar = arnhem["mensen"]["Refugee Company", KM]
    url = reverse("overleg:bespreking", args=[bespreking.pk])
    client.force_login(arnhem["km"])
    client.post(url, _verslag(bespreking, eigenaar, tekst="Eerste tekst."))
    client.force_login(eigenaar)
    response = client.post(url, _verslag(bespreking, eigenaar, wijziging=0, tekst="Mijn tekst."))
    assert response.status_code == 200
    assert VEROUDERD in response.context["form"].errors["verslag"]
    tekst = pagina_tekst(response)
    assert "Eerste tekst." in tekst and "Mijn tekst." in tekst
    bespreking.refresh_from_db()
    assert bespreking.verslag == "Eerste tekst."
    assert Taak.objects.count() == 1


def test_een_verslag_laat_zich_niet_van_de_agenda_halen(arnhem):
    bespreking = Bespreking.objects.create(
        bijeenkomst=arnhem["bijeenkomst"], deelnemer=arnhem["rc"], volgorde=1, wijziging=1
    )
    with pytest.raises(ValidationError, match="al een verslag"):
        agenda.haal_weg(bespreking=bespreking)


def test_verplaatsen_naar_het_verleden_kan_niet(client, arnhem):
    client.force_login(arnhem["km"])
    bijeenkomst = arnhem["bijeenkomst"]
    gisteren = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        reverse("overleg:verplaatsen", args=[bijeenkomst.pk]),
        {"datum": f"{gisteren:%Y-%m-%d}", "tijd": "10:00", "plaats": "x"},
    )
    assert planning.VERPLAATST_NAAR_VERLEDEN in response.context["form"].errors["datum"]
    assert Bijeenkomst.objects.get(pk=bijeenkomst.pk).begin == bijeenkomst.begin


def test_alleen_de_organisator_wijzigt_de_agenda(client, arnhem):
    client.force_login(arnhem["mensen"]["Refugee Company", KM])
    url = reverse("overleg:bijeenkomst", args=[arnhem["bijeenkomst"].pk])
    assert client.post(url, {"actie": "voorstellen"}).status_code == 404
    assert not Bespreking.objects.exists()


def test_een_overleg_in_de_factory_deelt_zijn_organisator(db):
    overleg = BijeenkomstFactory().overleg
    assert list(overleg.organisaties.all()) == [overleg.organisator]
    assert OverlegFactory().organisaties.count() == 1
