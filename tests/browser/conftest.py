"""Browser tests: Playwright in Debian's Chromium against pytest-django's live server.

Playwright's own browser download is not used; ``CHROMIUM`` points at another binary.

``live_server`` makes a test transactional: the server thread has to see the rows, so they are
committed, and Django empties every table after the test. That also takes the rows the data
migrations made (doelgroepen, trajecttypes and their fasen). Django's remedy is serialized
rollback: a snapshot of the migrated database, taken when the test database is made and loaded
again before each test that asks for it. Playwright breaks that: its sync API marks an asyncio
loop as running in the test thread, so from then on Django keeps its connections per context
instead of per thread, and the new connection objects lack the snapshot. This module hands the
snapshot on to them (``playwright`` below), and after every ``server`` test loads it again
(``pytest_runtest_teardown``), so the tests after the browser tests find the database as
migrated, whether or not they ask for serialized rollback.
"""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pytest_django.plugin import blocking_manager_key

# Two one-click htmx outcomes (lock, update, log, commit) were not back within Playwright's
# default 5 s once, on a CI machine under load, and pass alone; 10 s, as the actions get.
# What never happens still fails.
expect.set_options(timeout=10_000)

DEMO_WACHTWOORD = "demo"
_SNAPSHOTS = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def _snapshots_voor_playwright(django_db_setup):
    """Django's snapshots of the migrated database, read before Playwright starts."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def playwright(_snapshots_voor_playwright, playwright, pytestconfig):
    """pytest-playwright's ``playwright``, started after the test database exists; the
    connections Django uses from now on get the snapshots too."""
    from django.db import connections

    for alias, snapshot in _snapshots_voor_playwright.items():
        connections[alias]._test_serialized_contents = snapshot
    pytestconfig.stash[_SNAPSHOTS] = _snapshots_voor_playwright
    return playwright


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a ``server`` test is torn down and its tables emptied, load the migrated database's
    rows again. Only for tests with serialized rollback: their flush leaves content types and
    permissions to the snapshot instead of making them anew. Not after the session's last test:
    the database is gone then."""
    uitkomst = yield
    snapshots = item.config.stash.get(_SNAPSHOTS, {})
    if nextitem is not None and "django_db_serialized_rollback" in item.fixturenames:
        from django.db import connections

        blocker = item.config.stash[blocking_manager_key]
        with blocker.unblock():
            for alias, snapshot in snapshots.items():
                connections[alias].creation.deserialize_db_from_string(snapshot)
    return uitkomst


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser(live_server, browser):
    """pytest-playwright's ``browser``, launched after the live server so that it closes first:
    its keep-alive connections end while the server still owns its database connection."""
    return browser


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "nl-NL"}


@pytest.fixture
def server(django_db_serialized_rollback, live_server):
    """The live server, on the database as migrated, whatever ran before (serialized rollback);
    browser tests use this rather than ``live_server`` itself."""
    return live_server


@pytest.fixture
def demo(server):
    """The demo data set, small, in the live server's database."""
    call_command("demodata", deelnemers=60, force=True, verbosity=0)
    return server


@pytest.fixture
def inloggen(demo):
    """Log a page in as a demo user through the real login form, both steps; returns the page.

    The demo accounts skip the second step only with DEBUG on, and tests run with it off: the
    user gets a confirmed authenticator app (once), and after the password the code it shows
    now is typed on the verification page, as a user would.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reintegratie.accounts.models import Gebruiker
    from tests.conftest import totp_code

    def _inloggen(page, gebruikersnaam):
        user = Gebruiker.objects.get(username=gebruikersnaam)
        apparaat = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        apparaat = apparaat or TOTPDevice.objects.create(user=user, name="App", confirmed=True)
        page.goto(f"{demo.url}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(gebruikersnaam)
        page.get_by_label("Wachtwoord").fill(DEMO_WACHTWOORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        page.get_by_label("Code", exact=True).fill(totp_code(apparaat))
        page.get_by_role("button", name="Controleren").click()
        page.wait_for_load_state()
        return page

    return _inloggen
