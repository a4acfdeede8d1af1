"""Placing in real Chromium, as the klantmanager does it with a participant: the own choice
recorded, the workplaces ranked (wie past waar), the full first choice refused and its waiting
list joined, a place with room taken from the proposal, and later, when the first choice frees
up, the placement there that takes the participant off its waiting list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser


@pytest.fixture
def werkplekken(demo):
    """Two workplaces of Ferm Werk: a bicycle shop with its one place taken, and a kitchen
    with room."""
    from reintegratie.accounts.models import Organisatie
    from tests.factories import PlaatsingFactory, WerkplekFactory
    from werkplekken.models import Werkplek, Werksoort

    ferm = Organisatie.objects.get(naam="Ferm Werk")
    fiets = WerkplekFactory(
        organisatie=ferm,
        naam="Fietsenmakerij",
        soort=Werkplek.Soort.INTERN,
        werksoort=Werksoort.PRODUCTIE,
        capaciteit=1,
    )
    bezet = PlaatsingFactory(werkplek=fiets, startdatum=timezone.localdate() - timedelta(days=20))
    kantine = WerkplekFactory(
        organisatie=ferm,
        naam="Kantine Noord",
        soort=Werkplek.Soort.INTERN,
        werksoort=Werksoort.CATERING,
        capaciteit=3,
    )
    return {"fiets": fiets, "bezet": bezet, "kantine": kantine}


def _deelnemer():
    """One of the demo klantmanager's own participants with a running trajectory and no
    placement today; off any demo waiting list and without demo preferences, so the journey
    starts from nothing."""
    from deelnemers.models import Deelnemer
    from werkplekken.models import Plaatsing

    vandaag = timezone.localdate()
    return (
        Deelnemer.objects.filter(
            klantmanager__username="klantmanager",
            regie__naam="Ferm Werk",
            trajecten__einddatum__isnull=True,
        )
        .exclude(pk__in=Plaatsing.objects.lopend_op(vandaag).values("deelnemer"))
        .order_by("pk")
        .first()
    )


def test_van_eigen_keuze_via_wachtlijst_naar_plaatsing(page, demo, inloggen, werkplekken):
    page.set_default_timeout(10_000)
    deelnemer = _deelnemer()
    deelnemer.wachtlijstplaatsen.all().delete()
    deelnemer.voorkeuren.all().delete()
    inloggen(page, "klantmanager")
    dossier = f"{demo.url}/deelnemers/{deelnemer.pk}/"
    page.goto(dossier)
    main = page.get_by_role("main")

    # The own choice, with the participant: the bicycle shop first, then catering anywhere.
    main.get_by_role("link", name="Voorkeuren vastleggen").click()
    eerste = main.get_by_role("group", name="Keuze 1")
    eerste.get_by_label("Werkplek").select_option(label="Fietsenmakerij (Ferm Werk)")
    eerste.get_by_label("Waarom").fill("Sleutelt thuis aan fietsen")
    tweede = main.get_by_role("group", name="Keuze 2")
    tweede.get_by_label("Of een werksoort").select_option(label="Catering")
    tweede.get_by_label("Waarom").fill("Kookt graag")
    assert_toegankelijk(page)
    main.get_by_role("button", name="Voorkeuren opslaan").click()
    expect(page).to_have_url(re.compile(rf"/deelnemers/{deelnemer.pk}/"))
    expect(main).to_contain_text("Fietsenmakerij, Ferm Werk: Sleutelt thuis aan fietsen")
    expect(main).to_contain_text("Werksoort catering: Kookt graag")

    # Wie past waar: the first choice, but full (a free place of the second choice may rank
    # above it); the kitchen has room.
    main.get_by_role("link", name="Wie past waar").click()
    voorstellen = main.get_by_role("listitem").filter(has=page.get_by_role("heading"))
    fiets = voorstellen.filter(has_text="Fietsenmakerij, Ferm Werk")
    expect(fiets).to_contain_text("Eigen keuze nummer 1: Sleutelt thuis aan fietsen")
    expect(fiets).to_contain_text("Vol bij de geplande start")
    kantine = voorstellen.filter(has_text="Kantine Noord, Ferm Werk")
    expect(kantine).to_contain_text("Werksoort catering is eigen keuze nummer 2: Kookt graag")
    assert_toegankelijk(page)

    # Placing at the full one anyway is refused, with the waiting list offered.
    page.goto(f"{dossier}plaatsingen/nieuw/")
    main.get_by_label("Werkplek", exact=True).select_option(label="Fietsenmakerij (Ferm Werk)")
    main.get_by_label("Startdatum").fill(timezone.localdate().isoformat())
    main.get_by_label("Uren per week").fill("16")
    main.get_by_role("button", name="Plaatsen").click()
    expect(main).to_contain_text("Fietsenmakerij is vol op")
    main.get_by_role("link", name=re.compile("op de wachtlijst van Fietsenmakerij")).click()
    expect(main.get_by_label("Werkplek", exact=True)).to_have_value(str(werkplekken["fiets"].pk))
    main.get_by_label("Toelichting").fill("Tot er plaats is")
    assert_toegankelijk(page)
    main.get_by_role("button", name="Op de wachtlijst zetten").click()
    expect(main).to_contain_text("Fietsenmakerij, Ferm Werk: plaats 1 van 1")

    # Meanwhile the kitchen, from the proposal.
    main.get_by_role("link", name="Wie past waar").click()
    main.get_by_role("link", name="Plaatsen bij Kantine Noord").click()
    expect(main.get_by_label("Werkplek", exact=True)).to_have_value(str(werkplekken["kantine"].pk))
    main.get_by_label("Uren per week").fill("12")
    main.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_contain_text(
        "is geplaatst bij Kantine Noord"
    )

    # The bicycle shop's place comes free; placing there takes the participant off its list.
    bezet = werkplekken["bezet"]
    bezet.einddatum = timezone.localdate()
    bezet.save()
    page.goto(f"{dossier}plaatsingen/nieuw/?werkplek={werkplekken['fiets'].pk}")
    start = timezone.localdate() + timedelta(days=1)
    main.get_by_label("Startdatum").fill(start.isoformat())
    main.get_by_label("Uren per week").fill("8")
    main.get_by_role("button", name="Plaatsen").click()
    expect(main.get_by_role("table", name="Plaatsingen op werkplekken")).to_contain_text(
        "Fietsenmakerij"
    )
    expect(main).not_to_contain_text("plaats 1 van 1")
