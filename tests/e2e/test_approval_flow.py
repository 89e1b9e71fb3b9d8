"""Issue "Approval" in a real browser, with the demo agency: Cahya (`pegawai`) submits a
coaching meeting; her atasan Diah (`atasan`) returns it with a comment; Cahya fixes the place
and resubmits; Diah approves; Biro SDM (`biro`) verifies it in bulk after one confirmation;
Cahya sees the JP as verified and the whole history on the session page.

The area and the agreement are prerequisites built through the services (tests.factories);
every step of the workflow itself goes through the browser.
"""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests import factories

from .test_recording_flow import act_as, expect_message, submit

COMMENT = "Tempat pertemuan belum sesuai dengan undangan; mohon diperbaiki."
NEW_PLACE = "Aula Gedung II Lt. 1, Kantor Pusat BKN"


def open_from_queue(page: Page, nav: str, employee: str) -> None:
    """Persetujuan/Verifikasi (menu) -> the employee's row -> Buka."""
    page.locator(f"[data-testid=nav] [data-nav={nav}]").click()
    row = page.get_by_test_id("queue").locator("tbody tr").filter(has_text=employee)
    expect(row).to_have_count(1)
    row.get_by_role("link", name="Buka").click()
    expect(page).to_have_url(re.compile(r"/cmb/pertemuan/\d+/$"))


def approve_from_queue(page: Page, site: str, *, shows: str) -> None:
    """Diah opens Cahya's session from her queue, sees `shows` on it, and approves it."""
    act_as(page, site, "atasan")
    open_from_queue(page, "approvals", "Cahya")
    expect(page.locator("main")).to_contain_text(shows)
    page.locator("[data-action=approve]").click()
    expect_message(page, "Setujui: berhasil.")


def test_a_session_is_returned_fixed_resubmitted_approved_and_verified(site, page, demo):
    today = timezone.localdate()
    agreement = factories.coaching(demo, year=today.year)
    factories.session(agreement, today, start=(9, 0), place="Ruang rapat Biro SDM")

    # Cahya submits the draft from "Catatan saya".
    act_as(page, site, "pegawai")
    page.locator("[data-testid=nav] [data-nav=records]").click()
    row = page.get_by_test_id("records").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Draf")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("status")).to_have_text("Draf")
    expect(page.get_by_test_id("timeline")).to_contain_text("Belum diajukan.")
    submit(page)
    session_url = page.url

    # Diah returns it with a comment.
    act_as(page, site, "atasan")
    expect(page.locator("[data-testid=nav] [data-testid=approval-count]")).to_have_text(
        "1 menunggu"
    )
    open_from_queue(page, "approvals", "Cahya")
    expect(page).to_have_url(session_url)
    page.get_by_label("Komentar (wajib untuk mengembalikan atau menolak)").fill(COMMENT)
    page.locator("[data-action=return]").click()
    expect_message(page, "Kembalikan: berhasil.")
    expect(page.get_by_test_id("status")).to_have_text("Dikembalikan untuk perbaikan")
    expect(page.locator("[data-testid=nav] [data-testid=approval-count]")).to_have_count(0)

    # Cahya reads why, changes the place and submits again.
    act_as(page, site, "pegawai")
    page.locator("[data-testid=nav] [data-nav=records]").click()
    row = page.get_by_test_id("records").locator("tbody tr")
    expect(row).to_contain_text("Dikembalikan untuk perbaikan")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("status")).to_have_text("Dikembalikan untuk perbaikan")
    returned = (
        page.get_by_test_id("timeline").locator(":scope > li").filter(has_text="Dikembalikan")
    )
    expect(returned).to_contain_text(COMMENT)
    expect(returned).to_contain_text(demo.atasan.employee.name)
    page.get_by_role("link", name="Ubah", exact=True).click()
    expect(page.get_by_role("heading", name="Ubah pertemuan ke-1")).to_be_visible()
    expect(page.get_by_label("Tempat")).to_have_value("Ruang rapat Biro SDM")
    page.get_by_label("Tempat").fill(NEW_PLACE)
    page.get_by_role("button", name="Simpan perubahan").click()
    expect_message(page, "Perubahan disimpan.")
    expect(page).to_have_url(session_url)
    expect(page.locator("main")).to_contain_text(NEW_PLACE)
    expect(page.get_by_test_id("status")).to_have_text("Dikembalikan untuk perbaikan")
    submit(page)

    # Diah approves it.
    approve_from_queue(page, site, shows=NEW_PLACE)
    expect(page.get_by_test_id("status")).to_have_text("Disetujui atasan")

    # Biro SDM verifies it: tick the row, "Verifikasi yang dipilih…", confirm.
    act_as(page, site, "biro")
    expect(page.locator("[data-testid=nav] [data-testid=verification-count]")).to_have_text(
        "1 menunggu"
    )
    page.locator("[data-testid=nav] [data-nav=verification]").click()
    expect(page).to_have_url(f"{site}/verifikasi-biro/")
    queue = page.get_by_test_id("queue").locator("tbody tr")
    expect(queue).to_have_count(1)
    expect(queue).to_contain_text("Disetujui atasan")
    expect(queue.locator("td").nth(5)).to_have_text("2")  # JP if verified now
    page.get_by_label("Pilih pertemuan Cahya").check()
    page.get_by_role("button", name="Verifikasi yang dipilih…").click()
    expect(page.get_by_role("heading", name="Verifikasi 1 pertemuan?")).to_be_visible()
    expect(page.get_by_test_id("queue").locator("tbody tr")).to_contain_text("Cahya")
    page.get_by_role("button", name="Ya, Verifikasi").click()
    expect(page.get_by_role("heading", name="Verifikasi: 1 dari 1 berhasil")).to_be_visible()
    expect(page.get_by_test_id("bulk-results")).to_contain_text("berhasil")
    page.get_by_role("link", name="Kembali ke daftar").click()
    expect(page.get_by_test_id("queue")).to_contain_text("Tidak ada yang menunggu.")

    # Cahya: the JP is verified, and the page tells the whole story in order.
    act_as(page, site, "pegawai")
    page.locator("[data-testid=nav] [data-nav=records]").click()
    expect(page.get_by_test_id("verified-total")).to_have_text("2")
    expect(page.get_by_test_id("projected-total")).to_have_text("0")
    row = page.get_by_test_id("records").locator("tbody tr")
    expect(row).to_contain_text("Diverifikasi Biro SDM")
    expect(row.locator("td").nth(4)).to_have_text("2")
    expect(row.locator("td strong")).to_have_text("2")  # bold: verified, not "≈ 2"
    row.get_by_role("link").click()
    expect(page.get_by_test_id("status")).to_have_text("Diverifikasi Biro SDM")
    expect(page.get_by_test_id("credit")).to_have_text("2 JP")
    expect(page.get_by_role("heading", name="JP terverifikasi")).to_be_visible()
    steps = page.get_by_test_id("timeline").locator("li > strong")
    expect(steps).to_have_text(
        ["Diajukan", "Dikembalikan", "Diubah", "Diajukan", "Disetujui atasan", "Diverifikasi"]
    )
    # The edit says what it changed.
    expect(page.get_by_test_id("changes")).to_have_text(
        f"Tempat: Ruang rapat Biro SDM → {NEW_PLACE}"
    )
    entries = page.get_by_test_id("timeline").locator(":scope > li")
    cahya, diah, biro = "Cahya", demo.atasan.employee.name, demo.biro.employee.name
    for entry, actor in zip(entries.all(), [cahya, diah, cahya, cahya, diah, biro], strict=True):
        expect(entry).to_contain_text(f"oleh {actor}")
    expect(page.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)
