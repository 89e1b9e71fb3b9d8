"""The quarterly recap (Lampiran III): figures, documents, submissions and who may do what."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from approvals import services as workflow
from records import services
from records.models import Employee, UnitKerja
from reports import recaps
from reports.models import DocumentKind, GeneratedDocument, RecapSubmission
from tests import factories

CAHYA_NIP = "199708212020122005"
AYU_NIP = "199512032019032011"
D = Decimal


@pytest.fixture
def seeded(demo):
    """The demo with its CMB activity: Cahya's Kartu Pengendali example of the SE (Q2 2022)."""
    call_command("seed_demo", stdout=io.StringIO())
    return demo


def biro_sdm() -> UnitKerja:
    return UnitKerja.objects.get(code="biro-sdm")


def row_of(recap: recaps.Recap, nip: str) -> recaps.RecapRow:
    return next(row for row in recap.rows if row.nip == nip)


def figures(row) -> tuple:
    return (row.coaching, row.mentoring, row.self_learning, row.quarter_total, row.year_to_date)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def coaching_for(demo, nip: str):
    """An active coaching agreement for one of Diah's staff (proposed by Diah, agreed)."""
    employee = Employee.objects.get(nip=nip)
    diah = factories.employee(demo.atasan)
    agreement = services.agreement_propose_coaching(
        atasan=diah,
        area=factories.area(employee, 2022),
        title="Penyusunan laporan",
        goal="Laporan yang runtut",
        target="Satu laporan triwulan",
        actor=demo.atasan,
    )
    return services.agreement_respond(agreement=agreement, actor=employee, accept=True)


def self_learning_for(demo, nip: str):
    employee = Employee.objects.get(nip=nip)
    agreement = services.agreement_propose_self_learning(
        employee=employee,
        area=factories.area(employee, 2022),
        title="Menulis laporan",
        goal="Menulis dengan jelas",
        sources=[{"kind": "buku", "title": "Menulis Laporan Dinas"}],
        actor=employee.user,
    )
    return services.agreement_respond(
        agreement=agreement, actor=factories.employee(demo.atasan), accept=True
    )


def verified_on(demo, agreement, *days: datetime.date, minutes=None):
    for day in days:
        factories.verified(demo, factories.session(agreement, day, minutes=minutes))


# --- The period ------------------------------------------------------------------------------


def test_each_quarter_has_its_period_in_indonesian():
    assert recaps.Quarter(2022, 1).period == "1 Januari 2022 – 31 Maret 2022"
    assert recaps.Quarter(2022, 2).period == "1 April 2022 – 30 Juni 2022"
    assert recaps.Quarter(2022, 3).period == "1 Juli 2022 – 30 September 2022"
    assert recaps.Quarter(2022, 4).period == "1 Oktober 2022 – 31 Desember 2022"
    assert recaps.Quarter(2022, 3).year_to_date == "1 Januari 2022 – 30 September 2022"
    assert recaps.Quarter(2022, 2).label == "Triwulan II Tahun 2022"


def test_the_quarter_to_report_is_the_last_one_that_ended():
    assert recaps.Quarter.last_ended(datetime.date(2022, 7, 1)) == recaps.Quarter(2022, 2)
    assert recaps.Quarter.last_ended(datetime.date(2023, 1, 15)) == recaps.Quarter(2022, 4)
    assert not recaps.Quarter(2022, 2).has_ended(datetime.date(2022, 6, 30))


def test_the_pace_towards_20_jp_grows_by_5_jp_a_quarter():
    assert [recaps.pace_target(recaps.Quarter(2022, q)) for q in (1, 2, 3, 4)] == [5, 10, 15, 20]


# --- Figures ---------------------------------------------------------------------------------


def test_q2_2022_shows_cahyas_kartu_pengendali_example(seeded):
    recap = recaps.recap_for(unit=biro_sdm(), year=2022, quarter=2)
    cahya = row_of(recap, CAHYA_NIP)
    assert figures(cahya) == (D("4.0"), D("2.0"), D("1.0"), D("7.0"), D("7.0"))
    assert (cahya.name, cahya.jabatan) == ("Cahya", "Analis SDM Aparatur")
    assert cahya.status == recaps.BEHIND  # 7 JP by the end of June, 10 JP expected
    assert recap.employee_count == Employee.objects.filter(unit=biro_sdm(), active=True).count()
    totals = recap.totals
    assert (totals.coaching, totals.mentoring, totals.self_learning) == (D(4), D(2), D(1))
    assert (totals.quarter_total, totals.year_to_date) == (D(7), D(7))
    assert recap.share_text == "0 dari 9 pegawai (0%) sesuai target"


def test_q1_2022_shows_nothing_for_cahya(seeded):
    recap = recaps.recap_for(unit=biro_sdm(), year=2022, quarter=1)
    assert figures(row_of(recap, CAHYA_NIP)) == (D(0),) * 5


def test_q3_counts_the_year_to_date_but_not_the_earlier_quarter(seeded):
    recap = recaps.recap_for(unit=biro_sdm(), year=2022, quarter=3)
    cahya = row_of(recap, CAHYA_NIP)
    assert (cahya.quarter_total, cahya.year_to_date) == (D(0), D(7))


def test_totals_add_up_each_column_and_the_share_counts_who_is_on_track(demo):
    # Q1 2022 (5 JP expected by 31 March): Cahya 6 JP (on track), Ayu 20 JP (reached).
    verified_on(demo, factories.coaching(demo), *(datetime.date(2022, m, d) for m, d in
                ((1, 10), (1, 17), (2, 7))))  # fmt: skip
    verified_on(demo, coaching_for(demo, AYU_NIP), *(datetime.date(2022, m, d) for m in
                (1, 2, 3) for d in (4, 11)))  # fmt: skip
    learning = self_learning_for(demo, AYU_NIP)
    days = [datetime.date(2022, 1, 5), datetime.date(2022, 1, 6), datetime.date(2022, 2, 2),
            datetime.date(2022, 2, 3)]  # fmt: skip
    verified_on(demo, learning, *days, minutes=90)

    recap = recaps.recap_for(unit=biro_sdm(), year=2022, quarter=1)
    cahya, ayu = row_of(recap, CAHYA_NIP), row_of(recap, AYU_NIP)
    assert figures(cahya) == (D(6), D(0), D(0), D(6), D(6))
    assert cahya.status == recaps.ON_TRACK
    assert figures(ayu) == (D(12), D(0), D(8), D(20), D(20))
    assert ayu.status == recaps.REACHED
    totals = recap.totals
    assert figures(totals) == (D(18), D(0), D(8), D(26), D(26))
    for column in ("coaching", "mentoring", "self_learning", "quarter_total", "year_to_date"):
        assert getattr(totals, column) == sum(getattr(row, column) for row in recap.rows)
    assert recap.on_track_count == 2
    assert recap.share_text == "2 dari 9 pegawai (22%) sesuai target"


def test_pending_and_draft_sessions_do_not_count(seeded):
    agreement = factories.coaching(seeded)
    submitted = factories.session(agreement, datetime.date(2022, 5, 3))
    workflow.session_submit(session=submitted, actor=agreement.employee)
    approved = factories.session(agreement, datetime.date(2022, 6, 6))
    workflow.session_submit(session=approved, actor=agreement.employee)
    workflow.session_approve(session=approved, actor=factories.employee(seeded.atasan))
    factories.session(agreement, datetime.date(2022, 6, 13))  # a draft
    cahya = row_of(recaps.recap_for(unit=biro_sdm(), year=2022, quarter=2), CAHYA_NIP)
    assert figures(cahya) == (D(4), D(2), D(1), D(7), D(7))


def test_a_parent_unit_recaps_its_sub_units_and_leaves_inactive_employees_out(seeded):
    settama = UnitKerja.objects.get(code="settama")
    Employee.objects.filter(nip=AYU_NIP).update(active=False)
    recap = recaps.recap_for(unit=settama, year=2022, quarter=2)
    units = {row.unit for row in recap.rows}
    assert units == {"Biro Sumber Daya Manusia", "Biro Umum"}
    assert recap.covers_sub_units
    assert AYU_NIP not in {row.nip for row in recap.rows}
    assert figures(row_of(recap, CAHYA_NIP)) == (D(4), D(2), D(1), D(7), D(7))


# --- Documents -------------------------------------------------------------------------------


def test_the_pdf_reads_back_with_the_fields_the_rows_and_the_totals(seeded):
    response = seeded.client_for("pengelola").get(
        reverse("reports:recap_pdf", args=[biro_sdm().pk, 2022, 2])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    for expected in (
        "Lampiran III Surat Edaran",
        "REKAPITULASI KARTU PENGENDALI PENGEMBANGAN KOMPETENSI MELALUI COACHING, MENTORING, "
        "DAN BELAJAR MANDIRI",
        "Biro Sumber Daya Manusia",
        "II (April – Juni) Tahun 2022",
        "1 April 2022 – 30 Juni 2022",
        "ANGKA SEMENTARA",
        "Cahya 199708212020122005 Analis SDM Aparatur 4 2 1 7 7 Di bawah target",
        "JUMLAH 4 2 1 7 7 0 dari 9",
        "PEGAWAI SESUAI TARGET: 0 dari 9 pegawai (0%) sesuai target",
        "Pengelola Kepegawaian",
        "Nur Aini Rahmawati, S.Sos.",
        "NIP 198809302014022001",
        "Mengetahui, Pimpinan Unit Kerja",
        "Dr. Haryanto Wibisono, S.H., M.Si.",
    ):
        assert expected in flat, expected
    logged = GeneratedDocument.objects.get(kind=DocumentKind.RECAP)
    assert f"kode dokumen {logged.code}" in flat
    assert logged.unit == biro_sdm()


def test_the_xlsx_has_numbers_a_frozen_header_and_a_landscape_print_setup(seeded):
    response = seeded.client_for("pengelola").get(
        reverse("reports:recap_xlsx", args=[biro_sdm().pk, 2022, 2])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[6]]
    assert header[:3] == ["No", "Nama Pegawai", "NIP"]
    cahya = next(row for row in ws.iter_rows(min_row=7) if row[2].value == CAHYA_NIP)
    values = [cell.value for cell in cahya[5:10]]
    assert values == [4, 2, 1, 7, 7]
    assert all(isinstance(v, int | float) for v in values)
    assert all(cell.number_format == "0.0" for cell in cahya[5:10])
    assert cahya[10].value == "Di bawah target"
    totals = next(row for row in ws.iter_rows(min_row=7) if row[0].value == "JUMLAH")
    assert [cell.value for cell in totals[5:10]] == [4, 2, 1, 7, 7]
    assert ws.freeze_panes == "C7"
    assert ws.auto_filter.ref.startswith("A6:K")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$6:$6"
    assert "1 April 2022 – 30 Juni 2022" in ws["A4"].value


# --- Submitting ------------------------------------------------------------------------------


def submit_url(year=2022, quarter=2) -> str:
    return reverse("reports:recap_submit", args=[biro_sdm().pk, year, quarter])


def stored_xlsx_row(submission: RecapSubmission, nip: str) -> list:
    with submission.xlsx.open("rb") as stored:
        ws = load_workbook(io.BytesIO(stored.read())).active
    return next([c.value for c in row] for row in ws.iter_rows(min_row=7) if row[2].value == nip)


def test_submitting_asks_for_confirmation_first(seeded):
    response = seeded.client_for("pengelola").post(submit_url())
    assert response.status_code == 200
    assert "Ya, kirim ke Biro SDM" in response.content.decode()
    assert not RecapSubmission.objects.exists()


def test_submitting_stores_the_pdf_the_xlsx_and_the_rows(seeded):
    response = seeded.client_for("pengelola").post(submit_url(), {"confirmed": "1"})
    assert response.status_code == 302
    submission = RecapSubmission.objects.get()
    assert (submission.unit, submission.year, submission.quarter) == (biro_sdm(), 2022, 2)
    assert submission.submitted_by == seeded.pengelola
    cahya = next(r for r in submission.rows if r["nip"] == CAHYA_NIP)
    assert (cahya["coaching"], cahya["mentoring"], cahya["belajar_mandiri"]) == (
        "4.0",
        "2.0",
        "1.0",
    )
    assert (cahya["jumlah_triwulan"], cahya["jumlah_sd_triwulan"]) == ("7.0", "7.0")
    with submission.pdf.open("rb") as stored:
        text = " ".join(pdf_text(stored.read()).split())
    assert f"kode dokumen {submission.code}" in text
    assert "Dikirim secara elektronik ke Biro Sumber Daya Manusia" in text
    assert "ANGKA SEMENTARA" not in text
    assert stored_xlsx_row(submission, CAHYA_NIP)[5:10] == [4, 2, 1, 7, 7]
    logged = GeneratedDocument.objects.get(code=submission.code)
    assert (logged.kind, logged.unit, logged.generated_by) == (
        DocumentKind.RECAP, biro_sdm(), seeded.pengelola,
    )  # fmt: skip


def test_a_later_verification_does_not_change_the_submission(seeded):
    submission = recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola)
    with submission.pdf.open("rb") as stored:
        pdf_before = stored.read()
    coaching = Employee.objects.get(nip=CAHYA_NIP).agreements.get(kind="coaching")
    factories.verified(seeded, factories.session(coaching, datetime.date(2022, 5, 10)))

    now = row_of(recaps.recap_for(unit=biro_sdm(), year=2022, quarter=2), CAHYA_NIP)
    assert now.coaching == D(6)
    submission.refresh_from_db()
    sent = recaps.RecapRow.from_json(next(r for r in submission.rows if r["nip"] == CAHYA_NIP))
    assert figures(sent) == (D(4), D(2), D(1), D(7), D(7))
    with submission.pdf.open("rb") as stored:
        assert stored.read() == pdf_before
    text = " ".join(pdf_text(pdf_before).split())
    line = f"Cahya {CAHYA_NIP} Analis SDM Aparatur " + " ".join(
        f"{value.normalize():f}" for value in figures(sent)
    )
    assert line in text
    assert stored_xlsx_row(submission, CAHYA_NIP)[5:10] == [float(v) for v in figures(sent)]


def test_a_second_submission_keeps_the_first(seeded):
    first = recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola)
    second = recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola)
    assert RecapSubmission.objects.count() == 2
    assert first.code != second.code
    first.refresh_from_db()
    assert first.pdf.name != second.pdf.name
    assert first.pdf.storage.exists(first.pdf.name) and first.xlsx.storage.exists(first.xlsx.name)


def test_a_submitted_file_is_served_exactly_as_stored(seeded):
    submission = recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola)
    for fmt, field in (("pdf", submission.pdf), ("xlsx", submission.xlsx)):
        url = reverse("reports:recap_submission_file", args=[submission.pk, fmt])
        response = seeded.client_for("biro").get(url)
        with field.open("rb") as stored:
            assert b"".join(response.streaming_content) == stored.read()


def test_only_the_units_pengelola_may_submit(seeded):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.get(username="pengelola-umum")
    for user in (seeded.biro, seeded.pimpinan, seeded.pegawai, other):
        with pytest.raises(PermissionDenied):
            recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=user)
    # The pengelola of a parent unit may submit for its sub-units.
    settama = UnitKerja.objects.get(code="settama")
    services.pengelola_assign(unit=settama, employee=other.employee)
    other = get_user_model().objects.get(pk=other.pk)  # roles are cached on the user object
    assert recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=other).pk
    assert not RecapSubmission.objects.filter(submitted_by=seeded.biro).exists()


def test_a_quarter_is_submitted_only_after_it_ends(seeded):
    with pytest.raises(ValidationError, match="setelah triwulan berakhir"):
        recaps.recap_submit(
            unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola,
            today=datetime.date(2022, 6, 30),
        )  # fmt: skip
    assert recaps.recap_submit(
        unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola,
        today=datetime.date(2022, 7, 1),
    ).pk  # fmt: skip


# --- Pages -----------------------------------------------------------------------------------


def test_the_recap_page_shows_the_table_the_links_and_the_history(seeded):
    recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola)
    url = reverse("reports:recap_list") + f"?unit={biro_sdm().pk}&tahun=2022&triwulan=2"
    html = seeded.client_for("pengelola").get(url).content.decode()
    assert f'data-nip="{CAHYA_NIP}"' in html
    assert reverse("reports:recap_pdf", args=[biro_sdm().pk, 2022, 2]) in html
    assert reverse("reports:recap_xlsx", args=[biro_sdm().pk, 2022, 2]) in html
    assert 'data-testid="submit-recap"' in html
    assert "<strong>0</strong> dari 9 pegawai (0%) sesuai target" in html
    assert 'data-testid="history"' in html and "Nur Aini Rahmawati, S.Sos." in html
    # Pimpinan and Biro SDM see the same figures, without the button.
    for role in ("pimpinan", "biro"):
        html = seeded.client_for(role).get(url).content.decode()
        assert f'data-nip="{CAHYA_NIP}"' in html and 'data-testid="submit-recap"' not in html


def test_biro_sdm_sees_which_units_submitted_for_each_quarter(seeded):
    recaps.recap_submit(unit=biro_sdm(), year=2022, quarter=2, user=seeded.pengelola)
    response = seeded.client_for("biro").get(reverse("reports:recap_status") + "?tahun=2022")
    assert response.status_code == 200
    rows = {row.unit.code: row for row in response.context["rows"]}
    submitted = [cell.quarter.number for cell in rows["biro-sdm"].cells if cell.latest]
    assert submitted == [2]
    assert not any(cell.latest for cell in rows["biro-umum"].cells)
    html = response.content.decode()
    assert "Nur Aini Rahmawati, S.Sos." in html
    assert html.count("belum") >= 4 * (len(rows) - 1)


ROLES_SEEING = {"pengelola": 200, "pimpinan": 200, "biro": 200}


def test_access_per_role_for_each_recap_url(seeded):
    from django.contrib.auth import get_user_model

    unit = biro_sdm()
    submission = recaps.recap_submit(unit=unit, year=2022, quarter=2, user=seeded.pengelola)
    urls = {
        "list": ("get", reverse("reports:recap_list") + f"?unit={unit.pk}"),
        "pdf": ("get", reverse("reports:recap_pdf", args=[unit.pk, 2022, 2])),
        "xlsx": ("get", reverse("reports:recap_xlsx", args=[unit.pk, 2022, 2])),
        "file": ("get", reverse("reports:recap_submission_file", args=[submission.pk, "xlsx"])),
        "submit": ("post", submit_url()),
        "status": ("get", reverse("reports:recap_status")),
    }
    # role -> answers for list, pdf, xlsx, file, submit, status
    expected = {
        "anonymous": (302, 302, 302, 302, 302, 302),
        "pegawai": (403, 403, 403, 403, 403, 403),
        "atasan": (403, 403, 403, 403, 403, 403),
        "pengelola": (200, 200, 200, 200, 200, 403),
        "pimpinan": (200, 200, 200, 200, 403, 403),
        "biro": (200, 200, 200, 200, 403, 200),
        # The pengelola of Biro Umum: this unit is not theirs.
        "pengelola-umum": (404, 404, 404, 404, 404, 403),
    }
    other = Client()
    other.force_login(get_user_model().objects.get(username="pengelola-umum"))
    for role, answers in expected.items():
        client = other if role == "pengelola-umum" else seeded.client_for(role)
        for (name, (method, url)), answer in zip(urls.items(), answers, strict=True):
            response = getattr(client, method)(url)
            assert response.status_code == answer, f"{name} as {role}"
            if answer == 302:
                assert response["Location"].startswith("/masuk/")
    # The pengelola of Biro Umum has their own unit's recap.
    own = UnitKerja.objects.get(code="biro-umum")
    assert other.get(reverse("reports:recap_pdf", args=[own.pk, 2022, 2])).status_code == 200
    assert RecapSubmission.objects.count() == 1  # nobody's POST above went through


def test_a_wrong_quarter_or_format_is_not_found(seeded):
    client = seeded.client_for("pengelola")
    unit = biro_sdm()
    assert client.get(reverse("reports:recap_pdf", args=[unit.pk, 2022, 5])).status_code == 404
    assert client.get(reverse("reports:recap_pdf", args=[unit.pk, 1999, 1])).status_code == 404
    submission = recaps.recap_submit(unit=unit, year=2022, quarter=2, user=seeded.pengelola)
    url = reverse("reports:recap_submission_file", args=[submission.pk, "docx"])
    assert client.get(url).status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def add_employees(demo, count: int, start: int) -> None:
    unit, diah = biro_sdm(), factories.employee(demo.atasan)
    for i in range(start, start + count):
        employee = services.employee_create(
            nip=f"19900101201501{1 + i % 2}{i:03d}", name=f"Pegawai Uji {i:03d}",
            golongan="III/a", jabatan="Analis", unit=unit, atasan=diah,
        )  # fmt: skip
        if i % 5 == 0:
            agreement = coaching_for(demo, employee.nip)
            verified_on(demo, agreement, datetime.date(2022, 4, 4 + i % 20))


def test_the_recap_page_and_pdf_take_the_same_queries_for_10_and_50_employees(seeded):
    client = seeded.client_for("pengelola")
    unit = biro_sdm()
    page = reverse("reports:recap_list") + f"?unit={unit.pk}&tahun=2022&triwulan=2"
    pdf = reverse("reports:recap_pdf", args=[unit.pk, 2022, 2])
    add_employees(seeded, 1, 1)
    counts = []
    for more in (0, 40):
        add_employees(seeded, more, 100)
        assert recaps.recap_for(unit=unit, year=2022, quarter=2).employee_count == 10 + more
        with CaptureQueriesContext(connection) as on_page:
            assert client.get(page).status_code == 200
        with CaptureQueriesContext(connection) as on_pdf:
            assert client.get(pdf).status_code == 200
        counts.append((len(on_page), len(on_pdf)))
    assert counts[0] == counts[1]


def test_the_recap_reads_use_three_queries(seeded, django_assert_num_queries):
    unit = biro_sdm()
    with django_assert_num_queries(3):  # the unit tree, the employees, the sessions
        recaps.recap_for(unit=unit, year=2022, quarter=2)
