"""The Content-Security-Policy in a real browser: every role's main pages load their vendored
scripts and styles, and Chromium reports no violation (an inline script, style or handler
anywhere would be blocked and reported here)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.test_navigation import NAVIGATION

VIOLATION_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__cspViolations.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


@pytest.mark.parametrize("login", sorted(NAVIGATION))
def test_each_roles_pages_run_under_the_policy_without_a_violation(site, signed_in, login):
    page = signed_in(login)
    page.add_init_script(VIOLATION_WATCH)
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    links = page.locator("[data-testid=nav] [data-nav]")
    urls = {site + "/"} | {
        href if href.startswith("http") else site + href
        for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    }
    for url in sorted(urls):
        page.goto(url)
        expect(page.locator("main")).to_be_visible()
        assert page.evaluate("window.__cspViolations") == [], url
    # Bootstrap's JS (vendored, external) still works: the user menu opens.
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    assert console == []


def test_the_live_jp_preview_works_under_the_policy(site, signed_in, demo):
    """htmx (vendored) posts the session form and swaps the preview in, with no inline style."""
    agreement = factories.coaching(demo, year=2022)
    page = signed_in("pegawai")
    page.add_init_script(VIOLATION_WATCH)
    page.goto(site + reverse("records:session_new", kwargs={"pk": agreement.pk}))
    page.get_by_label("Tanggal").fill("2022-04-21")
    expect(page.get_by_test_id("jp-credit")).to_have_text("2")
    assert page.evaluate("window.__cspViolations") == []
