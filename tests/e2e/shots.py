"""Screenshots of the CMB recording and approval pages, phone (390 px) and desktop (1280 px).

    python -m tests.e2e.shots OUTDIR BASEURL

For a dev server with a FRESH demo database (it builds what it shows through the UI):

    export DEBUG=1 DATABASE_URL=sqlite:////tmp/e2e-shots.sqlite3 MEDIA_ROOT=/tmp/e2e-shots-media
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python manage.py runserver 127.0.0.1:8124 --noreload &
    .venv/bin/python -m tests.e2e.shots /tmp/shots http://127.0.0.1:8124

Cahya (`pegawai`) sets a development area, Diah (`atasan`) proposes coaching, Cahya agrees,
fills the session form (shot), saves it with a PNG as evidence (shot of the session page) and
submits it; then the atasan's queue (shot), the session page as the atasan, her approval, and
Biro SDM's verification queue (shot). Last: "Catatan saya" of this year and of 2022 (the demo's
verified example) and the agreement list. Files: OUTDIR/<nn>-<name>_<phone|desktop>.png.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from . import CHROMIUM, CHROMIUM_MISSING, DESKTOP, PHONE, launch_chromium, sign_in

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}
CONTENT = {
    "A. Identifikasi kebutuhan pengembangan": "Menyampaikan informasi kebijakan dengan jelas "
    "kepada pegawai dan pimpinan unit kerja.",
    "B. Hubungan tanggung jawab pekerjaan": "Sebagai Analis SDM Aparatur menjelaskan pola "
    "karier jabatan fungsional.",
    "C. Kegiatan pengembangan": "Latihan presentasi dan umpan balik dari coach.",
    "D. Hasil pengembangan": "Bahan paparan pola karier dan rencana tindak lanjut.",
}


class User:
    """One demo login, signed in at both widths."""

    def __init__(self, browser: Browser, base: str, login: str):
        self.base, self.login, self.pages = base, login, {}
        for width, options in WIDTHS.items():
            page = browser.new_context(**options).new_page()
            page.set_default_timeout(15_000)
            sign_in(page, base, login)
            page.wait_for_url(f"{base}/")
            self.pages[width] = page

    @property
    def desktop(self) -> Page:
        return self.pages["desktop"]


class Shots:
    def __init__(self, outdir: Path):
        self.outdir, self.count, self.saved = outdir, 0, []
        outdir.mkdir(parents=True, exist_ok=True)

    def take(self, user: User, name: str, path: str | None = None, before=None):
        """Open `path` (or stay) at both widths, run `before(page)`, save full-page shots."""
        self.count += 1
        for width, page in user.pages.items():
            if path is not None:
                response = page.goto(f"{user.base}{path}")
                assert response is not None and response.ok, (path, response and response.status)
            if before is not None:
                before(page)
            target = self.outdir / f"{self.count:02d}-{name}_{width}.png"
            page.screenshot(path=str(target), full_page=True)
            self.saved.append(target)
            print(f"{target}  ({user.login} {page.url})")


def fill_session(page: Page, on: datetime.date) -> None:
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Jam selesai").fill("10:30")
    page.get_by_label("Tanggal").fill(on.isoformat())
    page.get_by_label("Tempat").fill("Ruang Rapat Biro SDM, Gedung II Lt. 3")
    for label, text in CONTENT.items():
        page.get_by_label(label).fill(text)
    expect(page.get_by_test_id("jp-credit")).to_be_visible()


def png_file(folder: Path) -> Path:
    target = folder / "bukti-coaching.png"
    image = Image.new("RGB", (640, 360), (11, 61, 110))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    target.write_bytes(buffer.getvalue())
    return target


def run(outdir: Path, base: str) -> list[Path]:
    base = base.rstrip("/")
    today = datetime.datetime.now(ZoneInfo("Asia/Jakarta")).date()  # the server's TIME_ZONE
    shots = Shots(outdir)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        pegawai = User(browser, base, "pegawai")
        atasan = User(browser, base, "atasan")
        biro = User(browser, base, "biro")

        # Area (this year) and an agreed coaching agreement, through the UI.
        page = pegawai.desktop
        page.goto(f"{base}/cmb/area/")
        add = page.get_by_role("region", name="Tambah area pengembangan")
        add.get_by_label("Tahun").select_option(str(today.year))
        add.get_by_label("Manajerial", exact=True).check()
        add.get_by_label("Kompetensi manajerial").select_option(label="Komunikasi")
        add.get_by_label("Level saat ini").select_option("1")
        add.get_by_label("Level yang dipersyaratkan").select_option("2")
        add.get_by_role("button", name="Simpan area").click()
        expect(page.get_by_test_id("area")).to_have_count(1)

        page = atasan.desktop
        page.goto(f"{base}/cmb/kesepakatan/coaching/baru/")
        page.get_by_label("Pegawai dan area pengembangan").select_option(
            label=f"Cahya — Komunikasi ({today.year})"
        )
        page.get_by_label("Kegiatan spesifik").fill("Presentasi kebijakan pola karier")
        page.get_by_label("Tujuan").fill("Menyampaikan kebijakan dengan jelas")
        page.get_by_label("Sasaran").fill("Paparan pola karier di rapat unit")
        page.get_by_role("button", name="Kirim usulan kepada pegawai").click()
        expect(page.get_by_test_id("status")).to_have_text("Menunggu persetujuan pegawai")
        agreement_path = page.url.removeprefix(base)

        page = pegawai.desktop
        page.goto(f"{base}/cmb/kesepakatan/")
        shots.take(pegawai, "kesepakatan-menunggu", "/cmb/kesepakatan/")
        page.get_by_test_id("waiting").get_by_role("button", name="Setujui").click()
        expect(page.get_by_test_id("waiting")).to_have_count(0)

        # The session form, filled (the live JP preview shows), then saved on the desktop.
        shots.take(
            pegawai,
            "pertemuan-baru",
            f"{agreement_path}pertemuan/baru/",
            before=lambda p: fill_session(p, today),
        )
        page = pegawai.desktop
        page.get_by_role("button", name="Simpan sebagai draf").click()
        expect(page.get_by_test_id("status")).to_have_text("Draf")
        page.locator("input[type=file][name=file]").set_input_files(png_file(outdir))
        page.get_by_role("button", name="Unggah").click()
        expect(page.get_by_test_id("evidence")).to_contain_text("bukti-coaching.png")
        session_path = page.url.removeprefix(base)
        shots.take(pegawai, "pertemuan-draf", session_path)

        page.get_by_role("link", name="Ajukan", exact=True).click()
        shots.take(pegawai, "ajukan-konfirmasi", page.url.removeprefix(base))
        page.get_by_role("button", name="Ya, ajukan").click()
        expect(page.get_by_test_id("status")).to_have_text("Diajukan")
        shots.take(pegawai, "pertemuan-diajukan", session_path)

        # The atasan's queue with the submitted session, the session as she sees it; approve.
        shots.take(atasan, "persetujuan", "/persetujuan/")
        shots.take(atasan, "pertemuan-atasan", session_path)
        atasan.desktop.locator("[data-action=approve]").click()
        expect(atasan.desktop.get_by_test_id("status")).to_have_text("Disetujui atasan")

        # Biro SDM: the verification queue, and the bulk confirmation page.
        shots.take(biro, "verifikasi-biro", "/verifikasi-biro/")

        def tick_and_ask(p: Page) -> None:
            p.get_by_label("Pilih pertemuan Cahya").check()
            p.get_by_role("button", name="Verifikasi yang dipilih…").click()
            expect(p.get_by_role("heading", name="Verifikasi 1 pertemuan?")).to_be_visible()

        shots.take(biro, "verifikasi-konfirmasi", "/verifikasi-biro/", before=tick_and_ask)

        # Cahya's records (this year, and the demo's verified 2022), her agreements.
        shots.take(pegawai, "catatan-saya", "/cmb/")
        shots.take(pegawai, "catatan-saya-2022", "/cmb/?tahun=2022")
        shots.take(pegawai, "kesepakatan", "/cmb/kesepakatan/")
        shots.take(pegawai, "area", "/cmb/area/")
        browser.close()
    return shots.saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.e2e.shots",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("outdir", type=Path)
    parser.add_argument("base_url")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(CHROMIUM_MISSING, file=sys.stderr)
        return 2
    run(args.outdir, args.base_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
