"""The week grid on the work floor, on a phone and on a desktop: no sideways scrolling, axe,
and what was typed survives a save without connection until it is saved after all."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_rollen import assert_toegankelijk

pytestmark = pytest.mark.browser

GEEN_VERBINDING = "Geen verbinding. Wat u typte staat er nog; probeer het zo opnieuw."


@pytest.mark.parametrize("breedte", [390, 1024])
def test_week_op_telefoon_en_desktop_zonder_verbinding(page, inloggen, breedte):
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": breedte, "height": 900})
    inloggen(page, "trajectbegeleider")
    page.get_by_role("link", name=re.compile("Uren van deze week")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_toegankelijk(page)
    page.screenshot(path=f"/tmp/week-{breedte}.png", full_page=True)

    # The day to log is today, or Friday at the weekend (booked already: a reason is needed).
    vandaag = timezone.localdate()
    dag = min(vandaag, vandaag - timedelta(days=vandaag.weekday()) + timedelta(days=4))
    cel = page.locator(f"input.app-uren[name$='_{dag:%Y%m%d}']").first
    expect(cel).to_be_visible()
    naam = cel.get_attribute("name")
    oud = cel.input_value()
    nieuw = "3,25" if oud != "3,25" else "2,75"
    cel.fill(nieuw)
    page.get_by_label("Reden van wijziging").fill("Correctie op de werkvloer")

    # No connection: the save is not sent, the page says so, the typing stays.
    page.context.set_offline(True)
    page.get_by_role("button", name="Week opslaan", exact=True).last.click()
    expect(page.get_by_role("alert")).to_have_text(GEEN_VERBINDING)
    expect(cel).to_have_value(nieuw)

    # Back online, the page reloaded: the server shows the old value, the script puts the
    # unsaved one back and says so.
    page.context.set_offline(False)
    page.reload()
    cel = page.locator(f"input[name='{naam}']")
    expect(cel).to_have_value(nieuw)
    expect(page.get_by_role("status")).to_contain_text("Niet opgeslagen invoer teruggezet")
    expect(page.get_by_label("Reden van wijziging")).to_have_value("Correctie op de werkvloer")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("button", name="Week opslaan", exact=True).last.click()
    expect(page.get_by_role("status").first).to_contain_text("Week opgeslagen")
    expect(cel).to_have_value(nieuw)
    # Saved for real: after a reload the value comes from the server, with no notice.
    page.reload()
    expect(page.locator(f"input[name='{naam}']")).to_have_value(nieuw)
    expect(page.get_by_text("Niet opgeslagen invoer teruggezet")).to_have_count(0)
