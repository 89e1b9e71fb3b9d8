"""The 4-monthly evaluation in a real browser: Biro SDM (`biro`) runs period II of 2022 from
the desktop; the head of Biro SDM (`pimpinan`) assigns Cahya a follow-up on a 390 px phone;
Cahya (`pegawai`) marks it done with a note on the phone; the unit page shows it completed.
"""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from .test_recording_flow import act_as, expect_message

CAHYA_NIP = "199708212020122005"


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_an_evaluation_is_run_and_a_follow_up_is_assigned_and_done(site, page, phone_page):
    act_as(page, site, "biro")
    page.locator("[data-nav-menu=reports]").click()
    page.locator("[data-nav=evaluation]").click()
    page.get_by_label("Tahun").select_option("2022")
    page.get_by_label("Periode").select_option("2")
    page.get_by_test_id("run-evaluation").click()
    expect_message(page, "pegawai ditandai")
    units = page.get_by_test_id("evaluation-units")
    units.get_by_role("link", name="Biro Sumber Daya Manusia").click()
    unit_url = page.url

    act_as(phone_page, site, "pimpinan")
    phone_page.goto(unit_url)
    fits_the_screen(phone_page)
    card = phone_page.locator(f"[data-nip='{CAHYA_NIP}']")
    card.get_by_test_id("assign").click()
    fits_the_screen(phone_page)
    phone_page.get_by_label("CMB bersama atasan langsung").check()
    phone_page.get_by_label("Uraian").fill("Dua kali coaching bersama atasan")
    due = datetime.date.today() + datetime.timedelta(days=14)
    phone_page.get_by_label("Batas waktu").fill(due.isoformat())
    phone_page.get_by_role("button", name="Tugaskan").click()
    expect_message(phone_page, "ditugaskan")

    act_as(phone_page, site, "pegawai")
    phone_page.goto(f"{site}/laporan/evaluasi/tindak-lanjut-saya/")
    fits_the_screen(phone_page)
    own = phone_page.get_by_test_id("own-followups")
    expect(own).to_contain_text("Dua kali coaching bersama atasan")
    own.get_by_label("Catatan penyelesaian").fill("Coaching 5 dan 12 September")
    own.get_by_role("button", name="Tandai selesai").click()
    expect_message(phone_page, "Tindak lanjut ditandai selesai.")
    expect(phone_page.get_by_test_id("own-followups")).to_contain_text("Selesai")

    page.goto(unit_url)
    expect(page.get_by_test_id("completion")).to_have_text(
        "Tindak lanjut selesai: 1 dari 1 (100%)."
    )
