"""Real-browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright.

Shared by the fixtures (conftest.py) and the screenshot script (screens.py). Playwright's own
browser download is never used; CI installs the browser with .ci/install-browser.sh.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_MISSING = (
    f"{CHROMIUM} is missing: the real-browser tests (tests/e2e) need Debian's Chromium. "
    "Install it with `bash .ci/install-browser.sh` (apt-get install chromium)."
)

# Browsers send Accept-Language and Django's LocaleMiddleware follows it: the people using the
# portal have Indonesian browsers, so the pages open in Indonesian (the English switch is tested).
LOCALE = {"locale": "id-ID", "timezone_id": "Asia/Jakarta"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, **LOCALE}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    **LOCALE,
}

DEMO_PASSWORD = "demo12345"  # noqa: S105  (the documented demo password, records.demo)


def launch_chromium(playwright):
    """Launch Debian's Chromium headless. The caller checks that CHROMIUM exists."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def sign_in(page, base_url: str, login: str, password: str = DEMO_PASSWORD):
    """Sign in through the real /masuk/ form, the way a person does. Returns the page.

    Does not wait for the result: the caller asserts where the browser lands.
    """
    response = page.goto(f"{base_url.rstrip('/')}/masuk/")
    if response is None or not response.ok:
        raise AssertionError(f"GET /masuk/ answered {response and response.status}, not 200")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(login)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    return page
