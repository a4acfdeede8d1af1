"""The trajectbegeleider's journey in real Chromium: this week's grid, a standard day for
everyone, one participant sick, save, and the budgets move."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..conftest import WEEKDAGEN
from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser


def test_standaarddag_ziekmelding_en_budget(page, inloggen):
    page.set_default_timeout(10_000)
    inloggen(page, "trajectbegeleider")
    page.get_by_role("link", name=re.compile("Uren van deze week")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week")
    assert_toegankelijk(page)

    # The grid shows Monday to Friday: the day to log is today, or Friday at the weekend.
    vandaag = timezone.localdate()
    dag = min(vandaag, vandaag - timedelta(days=vandaag.weekday()) + timedelta(days=4))
    rijen = page.locator("table[data-rooster] tbody tr")
    open_cellen = page.locator(f"input.app-uren[name$='_{dag:%Y%m%d}']")
    if open_cellen.count() == 0:
        pytest.fail(f"Niemand is op {dag} op deze werkplek geplaatst: demodata klopt niet")

    def budgetten():
        return {
            rij.locator("th a").inner_text(): rij.locator(".app-budget").all_inner_texts()
            for rij in rijen.all()
        }

    voor = budgetten()
    standaard = f"Standaarddag {WEEKDAGEN[dag.weekday()]} voor iedereen"
    page.get_by_role("button", name=standaard).click()
    expect(page.get_by_role("status").first).to_contain_text("Standaarddag ingevuld")
    # Everyone gets a day, except who has no budget left: the page names them.
    meldingen = page.get_by_role("status").first.inner_text()
    for rij in rijen.all():
        cel = rij.locator(f"input.app-uren[name$='_{dag:%Y%m%d}']")
        if cel.count() and not cel.input_value():
            assert rij.locator("th a").inner_text() in meldingen, meldingen

    # One participant is sick today: preferably one whose hours count toward no budget, so
    # the others' budgets show the worked hours.
    met_budget = [naam for naam, tekst in voor.items() if tekst]
    ziek = next(
        (r for r in rijen.all() if r.locator("th a").inner_text() not in met_budget), rijen.last
    )
    ziek_op_dag = ziek.locator(f"select[name$='_{dag:%Y%m%d}']")
    ziek_op_dag.select_option(label="Ziek")
    # Arrow keys move between the hour cells.
    open_cellen.first.focus()
    page.keyboard.press("ArrowDown")
    if open_cellen.count() > 1:
        expect(open_cellen.nth(1)).to_be_focused()

    # At the weekend Friday's hours are booked already (the demo data books up to
    # yesterday): changing them asks for a reason.
    page.get_by_label("Reden van wijziging").fill("Ziekmelding verwerkt")
    # Enter in an hour cell saves the week (it filled Monday's standard day before).
    open_cellen.first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Week opgeslagen")
    expect(ziek_op_dag).to_have_value("ziek")
    na = budgetten()
    bewogen = [naam for naam in met_budget if na[naam] != voor[naam]]
    assert bewogen, f"geen budget bewogen: {voor} -> {na}"


def test_observaties_en_aanwezigheid_toegankelijk(page, inloggen):
    page.set_default_timeout(10_000)
    inloggen(page, "trajectbegeleider")
    page.get_by_role("link", name=re.compile("Uren van deze week")).first.click()
    page.get_by_role("link", name="Observaties van deze week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observaties week")
    assert_toegankelijk(page)
    eerste = page.locator("fieldset").first
    eerste.get_by_label("Regelmatige arbeid").select_option(label="4 Goed")
    eerste.get_by_label("Opmerking").fill("Helpt nieuwe collega's op weg")
    page.get_by_role("button", name="Observaties opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("Observaties opgeslagen voor")
    # Back on the page, what was saved is there (whoever else had a score this week).
    eerste = page.locator("fieldset").first
    expect(eerste.get_by_label("Regelmatige arbeid")).to_have_value("4")
    expect(eerste.get_by_label("Opmerking")).to_have_value("Helpt nieuwe collega's op weg")

    page.get_by_role("link", name=re.compile("Productiehal|Groenploeg")).first.click()
    page.get_by_role("link", name="Aanwezigheid").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aanwezigheid")
    assert_toegankelijk(page)
