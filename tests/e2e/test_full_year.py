"""The whole CMB year of one employee in a real browser, every demo role in turn.

Cahya (`pegawai`) records coaching (proposed by her atasan Diah, `atasan`), mentoring with Heri
(`mentor`) and belajar mandiri, with evidence (test_recording_flow.record_cmb); she submits
everything; Heri confirms the meeting he led; Diah returns one coaching meeting with a comment
and approves the rest in bulk; Cahya fixes and resubmits it and Diah approves it; Biro SDM
(`biro`) verifies all four in bulk; Cahya sees 8 verified JP; the pengelola (`pengelola`)
downloads her Kartu Pengendali and submits the quarterly recap; Biro SDM issues her annual
certificate; a visitor who is not signed in checks it by its code.

The meetings are dated in the first month of the last quarter that is over, so the recap the
pengelola can submit is the one that holds them. In January-March that quarter belongs to last
year, while agreements are made for this year's development areas: then the meetings fall in
this year (test_recording_flow.meeting_dates) and the recap sent is last year's fourth quarter,
which has none of them (the test says which case it ran).
"""

from __future__ import annotations

import datetime
import io
import re

from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from reports.recaps import Quarter

from .test_approval_flow import approve_from_queue, open_from_queue
from .test_recording_flow import act_as, expect_message, meeting_dates, record_cmb, submit

CAHYA_NIP = "199708212020122005"
RETURN_COMMENT = "Mohon lengkapi tempat: nama ruang dan gedung."
FIXED_PLACE = "Ruang Rapat Biro SDM, Gedung I Lt. 3"


def year_plan(today: datetime.date) -> tuple[list[datetime.date], Quarter, bool]:
    """(three meeting dates, the quarter the pengelola submits, whether it holds them)."""
    quarter = Quarter.last_ended(today)
    if quarter.year != today.year:
        return meeting_dates(today), quarter, False
    first = quarter.start
    return [first, first.replace(day=2), first.replace(day=3)], quarter, True


def test_the_plan_fits_any_day_of_the_year():
    for n in range(366):
        today = datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
        dates, quarter, holds = year_plan(today)
        assert all(d.year == today.year and d <= today for d in dates), today
        assert quarter.has_ended(today), today
        assert holds == (quarter.start <= dates[0] <= quarter.end), today


def submit_from_records(page: Page, kind: str) -> None:
    """Catatan saya -> the session of `kind` (e.g. "Mentoring ke-1") -> Ajukan."""
    page.locator("[data-testid=nav] [data-nav=records]").click()
    page.get_by_test_id("records").locator("tbody tr").filter(has_text=kind).get_by_role(
        "link"
    ).first.click()
    submit(page)


def all_of_cahyas_in_bulk(page: Page, queue: str, verb: str, count: int) -> None:
    """The queue (menu `queue`) -> tick Cahya's `count` rows -> "<verb> yang dipilih…" ->
    confirm -> every row succeeded."""
    page.locator(f"[data-testid=nav] [data-nav={queue}]").click()
    rows = page.get_by_test_id("queue").locator("tbody tr").filter(has_text="Cahya")
    expect(rows).to_have_count(count)
    for box in rows.locator("input[type=checkbox][name=session]").all():
        box.check()
    page.get_by_role("button", name=f"{verb} yang dipilih…").click()
    expect(page.get_by_role("heading", name=f"{verb} {count} pertemuan?")).to_be_visible()
    page.get_by_role("button", name=f"Ya, {verb.lower()}").click()
    heading = page.get_by_role("heading", name=f"{verb}: {count} dari {count} berhasil")
    expect(heading).to_be_visible()


def pdf_text(body: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def test_one_employee_s_whole_cmb_year(site, page, demo, tmp_path):
    today = timezone.localdate()
    dates, quarter, recap_holds_them = year_plan(today)
    year = dates[0].year
    print(f"meetings {dates[0]}..{dates[2]}; recap {quarter.label}; holds them: {recap_holds_them}")
    urls = record_cmb(page, site, demo, tmp_path, dates)

    # Cahya submits the mentoring meeting and the belajar mandiri day too (coaching: done).
    submit_from_records(page, "Mentoring ke-1")
    submit_from_records(page, "Belajar Mandiri ke-1")

    # Heri led the mentoring meeting: he confirms it before Diah can approve it.
    act_as(page, site, "mentor")
    open_from_queue(page, "approvals", "Cahya")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring — pertemuan ke-1")
    page.locator("[data-action=confirm]").click()
    expect_message(page, "Konfirmasi: berhasil.")

    # Diah returns the second coaching meeting with a comment ...
    act_as(page, site, "atasan")
    page.locator("[data-testid=nav] [data-nav=approvals]").click()
    rows = page.get_by_test_id("queue").locator("tbody tr").filter(has_text="Cahya")
    expect(rows).to_have_count(4)
    rows.filter(has_text="Coaching ke-2").get_by_role("link", name="Buka").click()
    page.get_by_label("Komentar (wajib untuk mengembalikan atau menolak)").fill(RETURN_COMMENT)
    page.locator("[data-action=return]").click()
    expect_message(page, "Kembalikan: berhasil.")
    # ... and approves the other three in one go.
    all_of_cahyas_in_bulk(page, "approvals", "Setujui", 3)

    # Cahya reads the comment, fixes the place and submits again; Diah approves it.
    act_as(page, site, "pegawai")
    page.locator("[data-testid=nav] [data-nav=records]").click()
    returned = page.get_by_test_id("records").locator("tbody tr").filter(has_text="Coaching ke-2")
    expect(returned).to_contain_text("Dikembalikan untuk perbaikan")
    returned.get_by_role("link").first.click()
    expect(page.get_by_test_id("timeline")).to_contain_text(RETURN_COMMENT)
    page.get_by_role("link", name="Ubah", exact=True).click()
    page.get_by_label("Tempat").fill(FIXED_PLACE)
    page.get_by_role("button", name="Simpan perubahan").click()
    expect_message(page, "Perubahan disimpan.")
    submit(page)

    approve_from_queue(page, site, shows=FIXED_PLACE)

    # Biro SDM verifies all four in bulk.
    act_as(page, site, "biro")
    all_of_cahyas_in_bulk(page, "verification", "Verifikasi", 4)

    # Cahya: 8 JP verified (coaching 2 + 2, mentoring 2, belajar mandiri 90 minutes = 2).
    act_as(page, site, "pegawai")
    page.locator("[data-testid=nav] [data-nav=records]").click()
    expect(page.get_by_test_id("verified-total")).to_have_text("8")
    expect(page.get_by_test_id("projected-total")).to_have_text("0")
    expect(page.get_by_test_id("records").locator("tbody tr")).to_have_count(4)
    for row in page.get_by_test_id("records").locator("tbody tr").all():
        expect(row).to_contain_text("Diverifikasi Biro SDM")

    # The pengelola finds Cahya in the unit table and downloads her Kartu Pengendali.
    act_as(page, site, "pengelola")
    page.goto(f"{site}/laporan/unit/?tahun={year}")
    page.get_by_label(f"Kartu Pengendali {demo.pegawai.employee.name}").click()
    expect(page.get_by_role("heading", name="Kartu Pengendali")).to_be_visible()
    page.get_by_label("Tahun").select_option(str(year))
    form = page.locator("main form").filter(has_text="Unduh Kartu Pengendali")
    action = form.get_attribute("action")
    # The form opens the PDF in a new tab; fetch the same URL in this signed-in browser.
    kartu = page.request.get(f"{site}{action}?tahun={year}")
    assert kartu.ok and kartu.headers["content-type"] == "application/pdf"
    text = pdf_text(kartu.body())
    assert "KARTU PENGENDALI" in text.upper() and CAHYA_NIP in text
    assert "PEROLEHAN JAM PELAJARAN DALAM SETAHUN 8 JP" in re.sub(r"\s+", " ", text)

    # ... and submits the recap of the last quarter that is over.
    page.goto(f"{site}/laporan/rekap/")
    expect(page.locator("#rekap-judul")).to_contain_text(
        f"Triwulan {quarter.roman} Tahun {quarter.year}"
    )
    cahya_row = page.get_by_test_id("recap-table").locator(f"tr[data-nip='{CAHYA_NIP}']")
    expect(cahya_row).to_have_count(1)
    if recap_holds_them:
        expect(cahya_row.locator("[data-col=coaching]")).to_have_text("4")
    page.get_by_test_id("submit-recap").click()
    expect(page.get_by_role("heading", name="Kirim rekap ke Biro SDM?")).to_be_visible()
    page.get_by_role("button", name="Ya, kirim ke Biro SDM").click()
    expect_message(page, f"Rekap {quarter.label} dikirim ke Biro SDM")
    expect(page.get_by_test_id("last-submission")).to_contain_text(demo.pengelola.employee.name)

    # Biro SDM issues Cahya's certificate for the year (a background job; immediate in tests).
    act_as(page, site, "biro")
    page.goto(f"{site}/sertifikat/")
    issue = page.get_by_test_id("issue-form")
    issue.get_by_label("Tahun").fill(str(year))
    issue.get_by_label("Pegawai tertentu (daftar NIP)").check()
    issue.get_by_label("Daftar NIP", exact=True).fill(CAHYA_NIP)
    issue.get_by_role("button", name="Terbitkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Penerbitan sertifikat tahun {year}")
    expect(page.get_by_test_id("batch-counts")).to_contain_text("1 diterbitkan")
    expect(page.locator("main table")).to_contain_text(CAHYA_NIP)

    # Cahya finds it under "Sertifikat saya" with its public verification link.
    act_as(page, site, "pegawai")
    page.goto(f"{site}/sertifikat/saya/")
    verify_url = page.get_by_role("link", name="Halaman verifikasi").first.get_attribute("href")
    assert verify_url and verify_url.startswith("/verifikasi/")

    # A visitor, not signed in, checks it by its code: genuine, 8 JP, NIP masked.
    page.context.clear_cookies()
    page.goto(f"{site}{verify_url}")
    expect(page).to_have_url(f"{site}{verify_url}")
    result = page.get_by_test_id("verify-result")
    expect(result).to_be_visible()
    expect(page.locator("main")).to_contain_text(demo.pegawai.employee.name)
    expect(page.locator("main")).to_contain_text(str(year))
    expect(page.locator("main")).to_contain_text("8 JP")
    masked = page.get_by_test_id("masked-nip").inner_text()
    assert masked != CAHYA_NIP and masked.startswith(CAHYA_NIP[:8])
    expect(page.locator("[data-testid=nav] [data-nav=records]")).to_have_count(0)
    assert urls["coaching"]  # (the agreements' pages were made in the browser too)
