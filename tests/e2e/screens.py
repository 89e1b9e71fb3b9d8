"""Screenshots of pages at phone and desktop widths, for looking at the layout by eye.

    python -m tests.e2e.screens OUTDIR BASEURL [--user LOGIN] [PATH ...]

Runs against an already running server (e.g. `make run`, demo data loaded), in Debian's
Chromium. With --user it first signs in through the /masuk/ form (password demo12345, or
--password); without it the pages are taken signed out. PATH defaults to "/". Each page is
saved full-page as OUTDIR/<user>_<path>_<phone|desktop>.png, e.g.

    python -m tests.e2e.screens /tmp/screens http://127.0.0.1:8000 /masuk/
    python -m tests.e2e.screens /tmp/screens http://127.0.0.1:8000 --user pengelola \\
        / /pegawai/ /pegawai/impor/
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from . import CHROMIUM, CHROMIUM_MISSING, DEMO_PASSWORD, DESKTOP, PHONE, launch_chromium, sign_in

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def take(outdir: Path, base_url: str, paths: list[str], user: str | None, password: str):
    base_url = base_url.rstrip("/")
    outdir.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for width, options in WIDTHS.items():
            context = browser.new_context(**options)
            page = context.new_page()
            if user:
                sign_in(page, base_url, user, password)
                page.wait_for_url(f"{base_url}/", timeout=10_000)
            for path in paths:
                response = page.goto(f"{base_url}{path}")
                status = response.status if response else "?"
                target = outdir / f"{user or 'anonim'}_{slug(path)}_{width}.png"
                page.screenshot(path=str(target), full_page=True)
                saved.append(target)
                print(f"{target}  ({status} {page.url})")
            context.close()
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.e2e.screens",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("base_url")
    parser.add_argument("paths", nargs="*", default=["/"], metavar="PATH")
    parser.add_argument("--user", help="demo login to sign in as (default: signed out)")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_intermixed_args(argv)
    if not CHROMIUM.exists():
        print(CHROMIUM_MISSING, file=sys.stderr)
        return 2
    take(args.outdir, args.base_url, args.paths, args.user, args.password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
