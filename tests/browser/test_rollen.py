"""Smoke test in real Chromium: every demo role logs in through the form and lands on its own
start page with data, the skip link works from the keyboard, and axe-core finds no serious or
critical WCAG 2.1 AA problems on the start pages, the participant list and a dossier."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# What axe checks: WCAG 2.1 level A and AA. Best-practice rules are left out.
AXE_OPTIES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
ERNSTIG = {"serious", "critical"}
# What Chromium says when the document axe reads is replaced by a navigation.
NAVIGEERDE = re.compile(r"reading 'documentElement'|Execution context was destroyed")

ROLLEN = {
    "klantmanager": "Mijn caseload",
    "trajectbegeleider": "Mijn werkplekken vandaag",
    "manager": re.compile(r"^Dashboard"),
    "ketenpartner": "Mijn verwijzingen",
    "beheerder": "Functioneel beheer",
}


def assert_toegankelijk(page):
    """axe-core on the page as it is now; serious and critical violations fail the test.

    The page's CSP (script-src 'self' plus a nonce) does not stop axe: Playwright's evaluate()
    runs the script through the DevTools protocol, which CSP does not govern, so no
    ``bypass_csp`` context is needed and the pages are checked with their real headers.

    A click that navigates returns once the new document has committed, before it has loaded;
    axe started then can find no document at all. So axe waits for the load event, and runs
    once more when the document was replaced under it.
    """
    for poging in range(3):
        page.wait_for_load_state("load")
        try:
            schendingen = Axe().run(page, options=AXE_OPTIES).response["violations"]
            break
        except PlaywrightError as fout:
            if poging == 2 or not NAVIGEERDE.search(fout.message):
                raise
    ernstig = [s for s in schendingen if s["impact"] in ERNSTIG]
    regels = []
    for s in ernstig:
        regels.append(f"- {s['id']} ({s['impact']}): {s['help']}  [{s['helpUrl']}]")
        for node in s["nodes"][:5]:
            regels.append(f"    {' '.join(node['target'])}: {node['failureSummary']!r}")
            regels.append(f"      {node['html'][:200]}")
        if len(s["nodes"]) > 5:
            regels.append(f"    ... en nog {len(s['nodes']) - 5}")
    assert not ernstig, f"axe op {page.url}:\n" + "\n".join(regels)


def assert_past_in_breedte(page, breedte, hoogte=900):
    """The page's address, loaded again at ``breedte`` pixels, keeps within the screen: wide
    tables scroll inside their own box, the page itself does not. For pages whose state is
    in their address (a GET form, a drill-down link).

    It loads in a second tab of the same session, so the test's own page is never resized:
    a click right after a resize back could wait out its whole timeout in Chromium for the
    element to become stable.
    """
    tab = page.context.new_page()
    try:
        tab.set_viewport_size({"width": breedte, "height": hoogte})
        tab.goto(page.url)
        breed = tab.evaluate("document.documentElement.scrollWidth")
        scherm = tab.evaluate("window.innerWidth")
    finally:
        tab.close()
    assert breed <= scherm, f"{page.url} is {breed} px breed op een scherm van {scherm} px"


def data_zichtbaar(page, gebruikersnaam):
    """Each role sees the data the demo set gives it."""
    main = page.get_by_role("main")
    if gebruikersnaam == "klantmanager":
        tabel = main.get_by_role("table", name="Mijn caseload")
        expect(tabel.locator("tbody").get_by_role("link").first).to_be_visible()
    elif gebruikersnaam == "trajectbegeleider":
        # The demo trajectbegeleider supervises De Fabriek's first two workplaces.
        expect(
            main.get_by_role("heading", level=2, name=re.compile("Productiehal"))
        ).to_be_visible()
        expect(main.get_by_role("heading", level=2, name=re.compile("Groenploeg"))).to_be_visible()
    elif gebruikersnaam == "manager":
        bezetting = main.get_by_role("region", name="Bezetting van de werkplekken")
        expect(bezetting.get_by_role("img")).to_be_visible()
        fasen = main.get_by_role("region", name="Lopende trajecten per fase")
        expect(fasen.locator("tbody tr").first).not_to_contain_text("Geen gegevens")
    elif gebruikersnaam == "ketenpartner":
        tabel = main.get_by_role("table", name="Mijn verwijzingen")
        expect(tabel.locator("tbody").get_by_role("link").first).to_be_visible()
    elif gebruikersnaam == "beheerder":
        expect(main.get_by_role("link", name="Trajecttypes en fasen")).to_be_visible()


@pytest.mark.parametrize("gebruikersnaam", ROLLEN)
def test_startpagina_per_rol(page, inloggen, gebruikersnaam):
    inloggen(page, gebruikersnaam)
    expect(page.get_by_role("heading", level=1)).to_have_text(ROLLEN[gebruikersnaam])
    data_zichtbaar(page, gebruikersnaam)
    assert_toegankelijk(page)


def test_deelnemerlijst_en_dossier(page, inloggen, demo):
    inloggen(page, "klantmanager")
    page.goto(f"{demo.url}/deelnemers/")
    tabel = page.get_by_role("table", name="Gevonden deelnemers")
    eerste = tabel.locator("tbody").get_by_role("link").first
    expect(eerste).to_be_visible()
    assert_toegankelijk(page)

    naam = eerste.inner_text()
    eerste.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(naam)
    expect(page.get_by_role("region", name=re.compile("^Persoon"))).to_be_visible()
    assert_toegankelijk(page)


def test_meer_filters_van_de_caseload(page, inloggen, demo):
    """The less used filters come when "Meer filters" is opened (htmx), and one in use
    keeps them open after filtering."""
    inloggen(page, "klantmanager")
    page.goto(f"{demo.url}/deelnemers/")
    route = page.get_by_label("Route", exact=True)
    expect(route).to_have_count(0)
    page.get_by_text("Meer filters").click()
    expect(route).to_be_visible()
    assert_toegankelijk(page)
    route.select_option("werk")
    page.get_by_role("button", name="Filteren").click()
    expect(page).to_have_url(re.compile(r"route=werk"))
    expect(page.get_by_label("Route", exact=True)).to_have_value("werk")


def test_inlogpagina(page, server):
    page.goto(f"{server.url}/inloggen/")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()  # autofocus
    assert_toegankelijk(page)
    page.get_by_label("Gebruikersnaam").fill("niemand")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("niet bekend")
    assert_toegankelijk(page)


def test_skiplink_is_eerste_tabstop(page, inloggen):
    inloggen(page, "klantmanager")
    page.keyboard.press("Tab")
    skiplink = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skiplink).to_be_focused()
    expect(skiplink).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
