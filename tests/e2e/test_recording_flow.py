"""Issue "Recording CMB" in a real browser, with the demo agency: Cahya (`pegawai`) sets a
development area, agrees on coaching with her atasan Diah (`atasan`), logs and submits two
coaching meetings with evidence, sees the live JP preview cut a third one to 0 JP, gets
mentoring from Heri (`mentor`) and belajar mandiri agreed, logs them, and reads "Catatan saya".
Plus: the session form on a 390 px phone.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from records.jp import nama_bulan
from tests import factories

from . import sign_in

WAITING = "[data-testid=nav] [data-testid=waiting-count]"


def meeting_dates(today: datetime.date) -> list[datetime.date]:
    """Three dates of one calendar month of today's year, none in the future.

    Days 1-3 of this month once today is past the 3rd; otherwise days 1-3 of last month;
    on 1-3 January, today three times (the meetings then differ by start time only).
    """
    if today.day > 3:
        first = today.replace(day=1)
    elif today.month > 1:
        first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    else:
        return [today, today, today]
    return [first, first.replace(day=2), first.replace(day=3)]


# Start and end of the three coaching meetings (distinct, so the order is fixed on any day).
TIMES = [("08:00", "09:00"), ("10:00", "11:00"), ("13:00", "14:00")]

CONTENT = {
    "A. Identifikasi kebutuhan pengembangan": "Menyampaikan informasi kebijakan dengan jelas.",
    "B. Hubungan tanggung jawab pekerjaan": "Menjelaskan pola karier kepada pegawai di unit.",
    "C. Kegiatan pengembangan": "Latihan presentasi dan umpan balik dari coach.",
    "D. Hasil pengembangan": "Bahan paparan dan rencana tindak lanjut.",
}


def act_as(page: Page, site: str, login: str) -> Page:
    """Switch the browser to another demo user (a fresh session, signed in via /masuk/)."""
    page.context.clear_cookies()
    sign_in(page, site, login)
    expect(page).to_have_url(f"{site}/")
    return page


def png(path) -> str:
    Image.new("RGB", (24, 16), (0, 90, 160)).save(path, "PNG")
    return str(path)


def fill_content(page: Page) -> None:
    for label, text in CONTENT.items():
        page.get_by_label(label).fill(text)


def expect_message(page: Page, text: str) -> None:
    expect(page.locator("main [role=status].alert").filter(has_text=text)).to_be_visible()


def log_meeting(page: Page, on: datetime.date, times: tuple[str, str], place: str) -> None:
    """On the session form: fill a coaching/mentoring meeting and save it as a draft."""
    expect(page.get_by_role("heading", name="Catat pertemuan")).to_be_visible()
    page.get_by_label("Jam mulai").fill(times[0])
    page.get_by_label("Jam selesai").fill(times[1])
    page.get_by_label("Tanggal").fill(on.isoformat())
    page.get_by_label("Luring (tatap muka)").check()
    page.get_by_label("Nasional", exact=True).check()
    page.get_by_label("Tempat").fill(place)
    fill_content(page)
    page.get_by_role("button", name="Simpan sebagai draf").click()
    expect_message(page, "Pertemuan disimpan sebagai draf.")
    expect(page.get_by_test_id("status")).to_have_text("Draf")


def upload_evidence(page: Page, path: str) -> None:
    # (the section around it is labelled "Bukti kegiatan" too)
    page.locator("input[type=file][name=file]").set_input_files(path)
    page.get_by_role("button", name="Unggah").click()
    expect_message(page, "Bukti diunggah.")
    expect(page.get_by_test_id("evidence")).to_contain_text(path.rsplit("/", 1)[-1])


def submit(page: Page) -> None:
    """From the session page: Ajukan, then confirm."""
    page.get_by_role("link", name="Ajukan", exact=True).click()
    expect(page.get_by_role("heading", name="Ajukan pertemuan?")).to_be_visible()
    page.get_by_role("button", name="Ya, ajukan").click()
    expect_message(page, "Pertemuan diajukan kepada atasan langsung.")
    expect(page.get_by_test_id("status")).to_have_text("Diajukan")


def accept_waiting(page: Page, title: str, message: str) -> None:
    """Kesepakatan (menu) -> the card waiting for my answer -> Setujui."""
    page.locator("[data-testid=nav] [data-nav=agreements]").click()
    card = page.get_by_test_id("waiting").filter(has_text=title)
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Setujui").click()
    expect_message(page, message)
    expect(page.get_by_test_id("waiting").filter(has_text=title)).to_have_count(0)


def test_the_meeting_dates_fit_any_day_of_the_year():
    for n in range(366):  # a leap year
        today = datetime.date(2024, 1, 1) + datetime.timedelta(days=n)
        dates = meeting_dates(today)
        assert len(dates) == 3 and len({(d.year, d.month) for d in dates}) == 1, today
        assert all(d.year == today.year and d <= today for d in dates), today


def record_cmb(page: Page, site: str, demo, tmp_path, dates: list[datetime.date]) -> dict:
    """Steps 1-6 of the employee's flow, in the browser, on three dates of one month:
    a development area; coaching proposed by Diah and agreed; two coaching meetings with
    evidence, submitted; the preview of a third one (0 JP); mentoring with Heri (requested,
    approved by Diah, accepted by Heri) and one meeting (draft); belajar mandiri agreed and one
    90-minute day (draft). Returns the agreements' URLs. Shared with the whole-year test.
    """
    year = dates[0].year
    heri = demo.mentor.employee

    # 1. Cahya sets her development area for this year.
    act_as(page, site, "pegawai")
    page.locator("[data-testid=nav] [data-nav=areas]").click()
    expect(page).to_have_url(f"{site}/cmb/area/")
    expect(page.get_by_test_id("area")).to_have_count(0)
    add = page.get_by_role("region", name="Tambah area pengembangan")
    add.get_by_label("Tahun").select_option(str(year))
    add.get_by_label("Manajerial", exact=True).check()
    add.get_by_label("Kompetensi manajerial").select_option(label="Komunikasi")
    add.get_by_label("Level saat ini").select_option("1")
    add.get_by_label("Level yang dipersyaratkan").select_option("2")
    add.get_by_role("button", name="Simpan area").click()
    expect_message(page, "Area pengembangan disimpan.")
    area = page.get_by_test_id("area")
    expect(area).to_have_count(1)
    expect(area.get_by_role("heading", name="Komunikasi")).to_be_visible()
    expect(area).to_contain_text("Level saat ini 1, dipersyaratkan 2 — kesenjangan 1")
    expect(area.get_by_test_id("suggestion")).to_contain_text("Coaching")

    # 2. Diah proposes coaching on it; Cahya sees the count in the menu and agrees.
    act_as(page, site, "atasan")
    page.goto(f"{site}/cmb/kesepakatan/coaching/baru/")
    page.get_by_label("Pegawai dan area pengembangan").select_option(
        label=f"Cahya — Komunikasi ({year})"
    )
    page.get_by_label("Kegiatan spesifik").fill("Presentasi kebijakan pola karier")
    page.get_by_label("Tujuan").fill("Menyampaikan kebijakan dengan jelas")
    page.get_by_label("Sasaran").fill("Paparan pola karier di rapat unit")
    page.get_by_role("button", name="Kirim usulan kepada pegawai").click()
    expect_message(page, "Usulan coaching dikirim kepada Cahya")
    expect(page.get_by_test_id("status")).to_have_text("Menunggu persetujuan pegawai")

    act_as(page, site, "pegawai")
    expect(page.locator(WAITING)).to_have_text("1 menunggu jawaban Anda")
    accept_waiting(
        page,
        "Presentasi kebijakan pola karier",
        "Kesepakatan disetujui. Pertemuan sekarang dapat dicatat.",
    )
    expect(page.locator(WAITING)).to_have_count(0)
    mine = page.get_by_test_id("mine").get_by_role("row").filter(has_text="Presentasi")
    expect(mine).to_contain_text("Disepakati")
    mine.get_by_role("link", name="Presentasi kebijakan pola karier").click()
    coaching_url = page.url

    # 3. Two coaching meetings, each with evidence, then both submitted.
    for number, (on, times) in enumerate(zip(dates[:2], TIMES[:2], strict=True), start=1):
        page.goto(coaching_url)
        page.get_by_role("link", name="Catat pertemuan").click()
        log_meeting(page, on, times, "Ruang Rapat Biro SDM")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Coaching — pertemuan ke-{number}"
        )
        upload_evidence(page, png(tmp_path / f"bukti-coaching-{number}.png"))
        submit(page)
        expect(page.get_by_test_id("evidence")).to_contain_text(f"bukti-coaching-{number}.png")
        expect(page.get_by_test_id("credit")).to_have_text("2 JP")

    # 4. A third coaching meeting in the same month: the live preview says it earns nothing.
    page.goto(coaching_url)
    page.get_by_role("link", name="Catat pertemuan").click()
    preview = page.get_by_test_id("jp-preview")
    expect(preview).to_contain_text("Isi tanggal")  # filled by htmx on load
    page.get_by_label("Jam mulai").fill(TIMES[2][0])
    page.get_by_label("Jam selesai").fill(TIMES[2][1])
    page.get_by_label("Tanggal").fill(dates[2].isoformat())
    month = f"{nama_bulan(dates[2].month)} {dates[2].year}"
    expect(preview.get_by_test_id("jp-credit")).to_have_text("0")
    expect(preview.get_by_test_id("jp-reason")).to_have_text(
        f"Batas 2 kali coaching per bulan ({month}) sudah tercapai"
    )
    expect(preview.get_by_test_id("jp-usage")).to_contain_text("2 dari 2 sudah tercatat")
    expect(preview).to_contain_text("Nilai pertemuan 2 JP, yang dapat dihitung 0 JP.")
    page.get_by_role("link", name="Batal").click()  # nothing saved
    expect(page.get_by_test_id("sessions").locator("tbody tr")).to_have_count(2)

    # 5. Mentoring from Heri: Diah approves the request, Heri accepts, Cahya logs a meeting.
    page.locator("[data-testid=nav] [data-nav=agreements]").click()
    page.get_by_role("link", name="Ajukan mentoring").click()
    page.get_by_label("Area pengembangan").select_option(label=f"Komunikasi ({year}) · Manajerial")
    page.get_by_label("Aspek yang ingin didiskusikan").fill("Menulis nota dinas yang ringkas")
    page.get_by_label("Tujuan").fill("Nota dinas yang jelas dan ringkas")
    page.get_by_label("Pegawai lain").check()
    page.get_by_label("Pegawai yang diminta menjadi mentor").select_option(
        label=f"{heri.name} — {heri.jabatan}, {heri.unit.name}"
    )
    page.get_by_role("button", name="Kirim permohonan").click()
    expect_message(
        page, "Permohonan mentoring dikirim kepada atasan langsung Anda untuk disetujui."
    )
    expect(page.get_by_test_id("status")).to_have_text("Menunggu persetujuan atasan")
    mentoring_url = page.url

    act_as(page, site, "atasan")
    expect(page.locator(WAITING)).to_have_text("1 menunggu jawaban Anda")
    accept_waiting(
        page,
        "Menulis nota dinas yang ringkas",
        f"Permohonan mentoring disetujui dan diteruskan kepada {heri.name}.",
    )

    act_as(page, site, "mentor")
    expect(page.locator(WAITING)).to_have_text("1 menunggu jawaban Anda")
    accept_waiting(
        page,
        "Menulis nota dinas yang ringkas",
        "Kesepakatan disetujui. Pertemuan sekarang dapat dicatat.",
    )

    act_as(page, site, "pegawai")
    page.goto(mentoring_url)
    expect(page.get_by_test_id("status")).to_have_text("Disepakati")
    expect(page.get_by_test_id("mentor")).to_contain_text(heri.name)
    page.get_by_role("link", name="Catat pertemuan").click()
    log_meeting(page, dates[0], ("15:00", "16:00"), "Ruang Direktorat Jabatan ASN")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring — pertemuan ke-1")
    expect(page.get_by_test_id("credit")).to_have_text("2 JP")

    # 6. Belajar mandiri with one source: Diah agrees, Cahya logs a day with duration and resume.
    page.locator("[data-testid=nav] [data-nav=agreements]").click()
    page.get_by_role("link", name="Rencanakan belajar mandiri").click()
    page.get_by_label("Area pengembangan").select_option(label=f"Komunikasi ({year}) · Manajerial")
    page.get_by_label("Tema belajar").fill("Komunikasi tertulis")
    page.get_by_label("Tujuan").fill("Menulis dengan jelas")
    first_source = page.get_by_test_id("source-row").first
    first_source.get_by_label("Jenis sumber").select_option(label="Buku")
    first_source.get_by_label("Judul").fill("Menulis Efektif untuk ASN")
    page.get_by_role("button", name="Kirim kepada atasan").click()
    expect_message(
        page, "Rencana belajar mandiri dikirim kepada atasan langsung Anda untuk disepakati."
    )
    expect(page.get_by_test_id("sources")).to_have_text("Buku: Menulis Efektif untuk ASN")
    self_learning_url = page.url

    act_as(page, site, "atasan")
    accept_waiting(
        page, "Komunikasi tertulis", "Kesepakatan disetujui. Pertemuan sekarang dapat dicatat."
    )

    act_as(page, site, "pegawai")
    page.goto(self_learning_url)
    page.get_by_role("link", name="Catat pertemuan").click()
    page.get_by_label("Tanggal").fill(dates[1].isoformat())
    page.get_by_label("Durasi belajar (menit)").fill("90")
    page.get_by_label("Luring (tatap muka)").check()
    page.get_by_label("Tempat").fill("Perpustakaan BKN")
    page.get_by_label("Sumber pembelajaran").select_option(label="Buku: Menulis Efektif untuk ASN")
    fill_content(page)
    page.get_by_label("Resume").fill("Bab 1-3: struktur nota dinas, kalimat efektif.")
    expect(page.get_by_test_id("jp-credit")).to_have_text("2")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    expect_message(page, "Pertemuan disimpan sebagai draf.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Belajar Mandiri — pertemuan ke-1")
    expect(page.locator("main")).to_contain_text("90 menit")
    expect(page.get_by_test_id("credit")).to_have_text("2 JP")

    return {
        "coaching": coaching_url,
        "mentoring": mentoring_url,
        "self_learning": self_learning_url,
    }


def test_an_employee_records_coaching_mentoring_and_belajar_mandiri(site, page, demo, tmp_path):
    today = timezone.localdate()
    dates = meeting_dates(today)
    assert dates[0].year == today.year and all(d <= today for d in dates)
    assert len({(d.year, d.month) for d in dates}) == 1
    record_cmb(page, site, demo, tmp_path, dates)

    # 7. Catatan saya: every session, projected JP apart from verified JP.
    page.locator("[data-testid=nav] [data-nav=records]").click()
    expect(page).to_have_url(f"{site}/cmb/")
    rows = page.get_by_test_id("records").locator("tbody tr")
    expect(rows).to_have_count(4)
    coaching_rows = rows.filter(has_text=re.compile(r"Coaching ke-\d"))
    expect(coaching_rows).to_have_count(2)
    for row in coaching_rows.all():
        expect(row).to_contain_text("Diajukan")
        expect(row.locator("td").nth(4)).to_have_text("≈ 2")
        expect(row.locator("td").nth(5)).to_have_text("1")  # one piece of evidence
    for kind in ("Mentoring ke-1", "Belajar Mandiri ke-1"):
        row = rows.filter(has_text=kind)
        expect(row).to_contain_text("Draf")
        expect(row.locator("td").nth(4)).to_have_text("—")  # drafts hold no JP
    expect(page.get_by_test_id("verified-total")).to_have_text("0")
    expect(page.get_by_test_id("projected-total")).to_have_text("4")


def test_on_a_phone_the_session_form_is_usable(site, signed_in, phone_page, demo):
    today = timezone.localdate()
    agreement = factories.coaching(demo, year=today.year)
    page = signed_in("pegawai", phone_page)
    page.goto(f"{site}/cmb/kesepakatan/{agreement.pk}/pertemuan/baru/")
    expect(page.get_by_role("heading", name="Catat pertemuan")).to_be_visible()

    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    form = page.locator("#session-form")
    fields = form.locator("input:not([type=hidden]), textarea, select")
    expect(fields).to_have_count(13)  # date, 2 times, 2 modes, 2 scopes, place, platform, A-D
    for field in fields.all():
        field.scroll_into_view_if_needed()
        expect(field).to_be_visible()
        expect(field).to_be_enabled()
        box = field.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (
            field.get_attribute("name"),
            box,
        )

    page.get_by_label("Tanggal").fill(today.isoformat())
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Jam selesai").fill("10:00")
    page.get_by_label("Daring (online)").tap()
    page.get_by_label("Platform atau tautan (daring)").fill("Zoom BKN")
    page.get_by_label("Nasional", exact=True).tap()
    page.get_by_label("Tempat").fill("Rumah")
    fill_content(page)
    expect(page.get_by_test_id("jp-credit")).to_have_text("2")

    save = page.get_by_role("button", name="Simpan sebagai draf")
    save.scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()
    box = save.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["height"] >= 38  # a comfortable touch target
    save.tap()
    expect_message(page, "Pertemuan disimpan sebagai draf.")
    expect(page.get_by_test_id("status")).to_have_text("Draf")
    expect(page.locator("main")).to_contain_text("Zoom BKN")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
