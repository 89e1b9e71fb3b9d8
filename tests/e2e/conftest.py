"""Fixtures for the real-browser tests (Debian's Chromium + Playwright against live_server).

- `browser`: one headless Chromium for all e2e tests (scope "package": it is closed as soon as
  the last e2e test has run, see below).
- `page` (1280x900) and `phone_page` (390x844, touch): a fresh browser context per test, so no
  cookie, session or language choice leaks from one test to the next.
- `signed_in(login, page=None)`: signs in through the real /masuk/ form against pytest-django's
  `live_server`, with the demo agency seeded (the `demo` fixture of tests/conftest.py).
- On failure, a full-page screenshot goes to test-results/screenshots/<test name>.png.

Every test in this folder gets the `e2e` marker. A missing /usr/bin/chromium FAILS the tests
(it never skips them): CI must not go green without having run them.

Why the browser is package-scoped and DJANGO_ALLOW_ASYNC_UNSAFE is set while it runs:
Playwright's sync API keeps an asyncio loop marked "running" in the main thread for as long as
Playwright is started, and Django refuses ORM calls from a thread with a running loop
(SynchronousOnlyOperation). The test thread still touches the database here (seeding the demo
data, the flush after each transactional test), so the check is lifted exactly while Playwright
runs, and Playwright is stopped right after the e2e tests, before the rest of the suite.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from . import CHROMIUM, CHROMIUM_MISSING, DESKTOP, PHONE, launch_chromium, sign_in

HERE = Path(__file__).parent


def _e2e_marker_registered(config: pytest.Config) -> bool:
    return any(line.split(":", 1)[0].strip() == "e2e" for line in config.getini("markers"))


def pytest_collection_modifyitems(config, items):
    # With --strict-markers an unregistered marker would abort the whole run (INTERNALERROR);
    # until pyproject.toml registers it, only the e2e tests fail (see the browser fixture).
    if not _e2e_marker_registered(config):
        return
    for item in items:
        if HERE in item.path.parents:
            item.add_marker("e2e")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item (rep_setup, rep_call) so fixtures can see failures.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="package", autouse=True)
def browser(pytestconfig: pytest.Config) -> Iterator[Browser]:
    # autouse: a missing Chromium fails every e2e test the same way, at setup, with this message.
    if not _e2e_marker_registered(pytestconfig):
        pytest.fail(
            "register the `e2e` marker in pyproject.toml [tool.pytest.ini_options]", pytrace=False
        )
    if not CHROMIUM.exists():
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _failed(item: pytest.Item) -> bool:
    return any(
        getattr(getattr(item, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )


def _open(browser: Browser, request: pytest.FixtureRequest, suffix: str, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)  # actions; expect() waits its own 5 s
    page = context.new_page()
    yield page
    if _failed(request.node):
        folder = request.config.rootpath / "test-results" / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.\[\]-]+", "_", request.node.name)
        try:
            page.screenshot(path=str(folder / f"{name}{suffix}.png"), full_page=True)
        except Exception as error:  # a crashed page must not hide the real failure
            print(f"no screenshot for {request.node.nodeid}: {error}")
    context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _open(browser, request, "", **DESKTOP)


@pytest.fixture
def phone_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    # Only one screenshot per test is <test name>.png; a test using both pages gets -phone too.
    suffix = "-phone" if "page" in request.fixturenames else ""
    yield from _open(browser, request, suffix, **PHONE)


@pytest.fixture
def site(live_server, transactional_db, django_db_serialized_rollback, demo) -> str:
    """Base URL of the live server, with the demo agency seeded (all logins: demo12345).

    live_server's thread reads the database from its own connection, so the data must be
    committed (transactional_db). serialized_rollback restores the reference data from the
    data migrations (the Biro SDM group, the managerial competencies) after the flush, for the
    tests that run after these ones.
    """
    return live_server.url


@pytest.fixture
def signed_in(site: str, request: pytest.FixtureRequest) -> Callable[..., Page]:
    """signed_in("pegawai") -> the desktop page, signed in and on the home page.

    signed_in("pegawai", phone_page) signs in on another page (e.g. the phone one).
    """

    def sign_in_as(login: str, on: Page | None = None) -> Page:
        target = on or request.getfixturevalue("page")
        sign_in(target, site, login)
        expect(target).to_have_url(f"{site}/")
        return target

    return sign_in_as
