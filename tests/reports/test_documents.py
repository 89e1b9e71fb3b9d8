"""The official documents: Lampiran I, Kartu Pengendali (Lampiran II), Langsa Tabel Kegiatan.

PDFs are read back with pypdf; text is compared with its whitespace collapsed, since
WeasyPrint wraps long names and cells over several lines.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from pypdf import PdfReader

from approvals import services as workflow
from approvals.models import AuditAction, AuditEntry
from records.models import Activity, Employee, Session
from records.roles import roles_for
from records.services import employee_create, evidence_add, unit_create
from reports.documents import unit_officials
from reports.models import DocumentKind, GeneratedDocument
from tests import factories

CAHYA_NIP = "199708212020122005"


def read_pdf(response) -> tuple[str, int]:
    """(the text of every page with whitespace collapsed, the number of pages)."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def when(entry: AuditEntry) -> str:
    """An audit time as the forms print it: "14 April 2022 10.02"."""
    with translation.override("id"):
        return date_format(timezone.localtime(entry.at), "j F Y H.i")


@pytest.fixture
def se_example(demo):
    """The SE's example: Cahya's 2022 (coaching 7 and 14 April with Diah, mentoring 29 May
    with Heri, belajar mandiri 1 June, 1 JP), all verified."""
    call_command("seed_demo", stdout=io.StringIO())
    return Employee.objects.get(nip=CAHYA_NIP)


def kartu_url(employee, **params) -> str:
    url = reverse("reports:kartu_pengendali", kwargs={"employee_pk": employee.pk})
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{url}?{query}" if query else url


def lampiran_url(session) -> str:
    return reverse("reports:lampiran_i", kwargs={"pk": session.pk})


def tabel_url(employee, kind: str, **params) -> str:
    url = reverse("reports:tabel_kegiatan", kwargs={"employee_pk": employee.pk, "kind": kind})
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{url}?{query}" if query else url


def se_session(kind: str, on: datetime.date) -> Session:
    return Session.objects.get(agreement__employee__nip=CAHYA_NIP, agreement__kind=kind, date=on)


# --- Kartu Pengendali -------------------------------------------------------------------------


def test_cahyas_2022_card_reads_like_the_se(se_example, client_as):
    text, _ = read_pdf(client_as("pengelola").get(kartu_url(se_example, tahun=2022)))
    for expected in (
        "Lampiran II Surat Edaran",
        "KARTU PENGENDALIAN PENGEMBANGAN KOMPETENSI",
        "NAMA PEGAWAI : Cahya",
        f"NIP : {CAHYA_NIP}",
        "GOL RUANG : III/b",
        "JABATAN : Analis SDM Aparatur",
        "UNIT KERJA : Biro Sumber Daya Manusia",
        "PERIODE : 1 Januari 2022 - 31 Desember 2022",
        "Nama Coach",
        "Nama Mentor",
        "Sumber Pembelajaran",
        "Coaching tentang pemahaman pola karier (pertemuan ke-1)",
        "Coaching tentang pemahaman pola karier (pertemuan ke-2)",
        "Mentoring tentang penyusunan gap kompetensi",
        "Belajar Mandiri tentang komunikasi efektif",
        "7 April 2022",
        "14 April 2022",
        "29 Mei 2022",
        "1 Juni 2022",
        "Diah Kusuma Ismuwardanni, S.Psi., M.Si.",
        "Heri Purwanto, S.H.",
        "Buku: Komunikasi Efektif untuk ASN",
        "JUMLAH JAM PELAJARAN 4 2 1",
        "PEROLEHAN JAM PELAJARAN DALAM SETAHUN 7 JP",
        "Mengetahui, Pengelola Kepegawaian",
        "Nur Aini Rahmawati, S.Sos.",
        "NIP. 198809302014022001",
    ):
        assert expected in text, expected
    assert "belum diverifikasi" not in text


def test_the_card_defaults_to_the_current_calendar_year(se_example, client_as):
    year = timezone.localdate().year
    text, _ = read_pdf(client_as("pegawai").get(kartu_url(se_example)))
    assert f"PERIODE : 1 Januari {year} - 31 Desember {year}" in text
    assert "Belum ada kegiatan yang diverifikasi" in text
    assert "PEROLEHAN JAM PELAJARAN DALAM SETAHUN 0 JP" in text


def test_pending_sessions_are_listed_only_on_request_and_never_counted(se_example, demo, client_as):
    coaching = se_example.agreements.get(kind=Activity.COACHING)
    submitted = factories.session(coaching, datetime.date(2022, 8, 10))
    workflow.session_submit(session=submitted, actor=se_example)
    approved = factories.session(coaching, datetime.date(2022, 8, 17))
    workflow.session_submit(session=approved, actor=se_example)
    workflow.session_approve(session=approved, actor=se_example.atasan)
    factories.session(coaching, datetime.date(2022, 8, 24))  # a draft is never listed
    client = client_as("pengelola")

    without, _ = read_pdf(client.get(kartu_url(se_example, tahun=2022)))
    assert "10 Agustus 2022" not in without
    assert "belum diverifikasi" not in without

    listed, _ = read_pdf(client.get(kartu_url(se_example, tahun=2022, pending=1)))
    assert "10 Agustus 2022" in listed
    assert "17 Agustus 2022" in listed
    assert "24 Agustus 2022" not in listed
    assert listed.count("(belum diverifikasi)") >= 2
    assert "(2)" in listed  # the projected JP, in brackets
    assert "JUMLAH JAM PELAJARAN 4 2 1" in listed
    assert "PEROLEHAN JAM PELAJARAN DALAM SETAHUN 7 JP" in listed
    assert "(4 JP) dan tidak termasuk dalam jumlah" in listed


def test_a_period_within_the_year_lists_its_sessions_and_the_year_so_far(se_example, client_as):
    response = client_as("pegawai").get(
        kartu_url(se_example, dari="2022-05-01", sampai="2022-06-30")
    )
    text, _ = read_pdf(response)
    assert "PERIODE : 1 Mei 2022 - 30 Juni 2022" in text
    assert "7 April 2022" not in text
    assert "JUMLAH JAM PELAJARAN 0 2 1" in text
    # The year so far (January to the period's end) is 7 JP: April's coaching counts too.
    assert "PEROLEHAN JAM PELAJARAN DALAM SETAHUN 7 JP" in text
    assert "sampai dengan 30 Juni 2022" in text
    assert "20220501-20220630" in response["Content-Disposition"]


def test_an_end_date_alone_gives_that_year_so_far(se_example, client_as):
    text, _ = read_pdf(
        client_as("pegawai").get(kartu_url(se_example, tahun=2030, sampai="2022-04-30"))
    )
    assert "PERIODE : 1 Januari 2022 - 30 April 2022" in text
    assert "JUMLAH JAM PELAJARAN 4 0 0" in text


def test_a_malformed_or_reversed_period_is_refused(se_example, client_as):
    client = client_as("pegawai")
    for params in (
        {"dari": "2022-13-01"},
        {"dari": "2022-06-01", "sampai": "2022-01-01"},
        {"dari": "2015-01-01", "sampai": "2022-01-01"},
    ):
        assert client.get(kartu_url(se_example, **params)).status_code == 400, params


def test_an_outsider_gets_404_even_with_a_malformed_period(se_example, demo):
    # Someone who may not see the employee learns nothing, not even that the period is wrong.
    response = demo.client_for("outsider").get(kartu_url(se_example, dari="nonsense"))
    assert response.status_code == 404


def test_the_card_footer_carries_a_code_logged_in_generated_documents(se_example, demo, client_as):
    response = client_as("pengelola").get(kartu_url(se_example, tahun=2022))
    text, _ = read_pdf(response)
    code = re.search(r"kode dokumen ([A-Z0-9]{8})", text).group(1)
    logged = GeneratedDocument.objects.get(code=code)
    assert logged.kind == DocumentKind.KARTU
    assert logged.employee == se_example
    assert logged.generated_by == demo.pengelola
    assert logged.sha256 == hashlib.sha256(response.content).hexdigest()
    assert "Cahya" in logged.title


def test_the_card_uses_the_same_number_of_queries_for_5_and_50_sessions(demo, client_as):
    agreement = factories.coaching(demo)
    cahya = agreement.employee
    client = client_as("pengelola")
    days = [datetime.date(2022, 1, 3) + datetime.timedelta(days=7 * i) for i in range(50)]
    for day in days[:5]:
        factories.verified(demo, factories.session(agreement, day))
    with CaptureQueriesContext(connection) as small:
        text, _ = read_pdf(client.get(kartu_url(cahya, tahun=2022)))
    assert "(pertemuan ke-5)" in text
    for day in days[5:]:
        factories.verified(demo, factories.session(agreement, day))
    with CaptureQueriesContext(connection) as large:
        text, pages = read_pdf(client.get(kartu_url(cahya, tahun=2022)))
    assert "(pertemuan ke-50)" in text
    assert pages > 1
    assert len(large) == len(small)


def test_a_sub_unit_without_a_pengelola_uses_the_nearest_parents(demo):
    biro_sdm = demo.pegawai.employee.unit
    section = unit_create(name="Subbagian Data", code="subbag-data", parent=biro_sdm)
    pengelola, head = unit_officials(section.pk)
    assert pengelola == demo.pengelola.employee
    assert head == demo.pimpinan.employee
    # A pengelola of the sub-unit itself comes first.
    own = employee_create(
        nip="199301012019031001", name="Rudi Hartono, S.Kom.", golongan="III/a",
        jabatan="Pengelola Kepegawaian", unit=section,
    )  # fmt: skip
    section.pengelola.add(own)
    assert unit_officials(section.pk)[0] == own


# --- Lampiran I -------------------------------------------------------------------------------


def test_lampiran_i_shows_the_form_and_the_sign_offs_from_the_audit_trail(se_example, client_as):
    session = se_session(Activity.COACHING, datetime.date(2022, 4, 14))
    trail = {e.action: e for e in AuditEntry.objects.filter(session=session)}
    text, _ = read_pdf(client_as("pegawai").get(lampiran_url(session)))
    for expected in (
        "Lampiran I Surat Edaran Nomor : 3 Tahun 2022",
        "FORMULIR COACHING, MENTORING, DAN BELAJAR MANDIRI",
        "Pertemuan ke : 2",
        "Jenis Kegiatan : Coaching",
        "Tanggal : Kamis, 14 April 2022",
        "Waktu : 09.00–10.30 WIB",
        "Tempat : Ruang Rapat Biro SDM, Gedung II Lt. 3",
        "Nama Pegawai : Cahya",
        f"NIP : {CAHYA_NIP}",
        "Unit Kerja : Biro Sumber Daya Manusia",
        "Jabatan : Analis SDM Aparatur",
        "Pangkat/Gol : Penata Muda Tingkat I (III/b)",
        "A. IDENTIFIKASI KEBUTUHAN PENGEMBANGAN",
        "Kesenjangan kompetensi pada pemahaman pola karier 2.",
        "B. HUBUNGAN TANGGUNG JAWAB PEKERJAAN",
        "C. KEGIATAN PENGEMBANGAN",
        "D. HASIL PENGEMBANGAN",
        "Nasional",
        "Jumlah JP (terverifikasi Biro SDM): 2 JP",
        "Coach,",
        "Mengetahui, Atasan Langsung",
        "Diah Kusuma Ismuwardanni, S.Psi., M.Si.",
        "Ditandatangani secara elektronik",
        f"diajukan {when(trail[AuditAction.SUBMITTED])} WIB",
        f"disetujui {when(trail[AuditAction.APPROVED])} WIB",
        "Diverifikasi Biro SDM secara elektronik oleh Bambang Setiawan, S.E., M.A.P. pada "
        f"{when(trail[AuditAction.VERIFIED])} WIB",
    ):
        assert expected in text, expected


def test_lampiran_i_of_mentoring_shows_the_mentors_confirmation(se_example, client_as):
    session = se_session(Activity.MENTORING, datetime.date(2022, 5, 29))
    confirmed = AuditEntry.objects.get(session=session, action=AuditAction.CONFIRMED)
    text, _ = read_pdf(client_as("mentor").get(lampiran_url(session)))
    assert "Mentor," in text
    assert "Heri Purwanto, S.H." in text
    assert "NIP. 198106082005012005" in text
    assert f"dikonfirmasi {when(confirmed)} WIB" in text


def test_lampiran_i_of_belajar_mandiri_shows_source_duration_and_resume(se_example, client_as):
    session = se_session(Activity.BELAJAR_MANDIRI, datetime.date(2022, 6, 1))
    text, _ = read_pdf(client_as("atasan").get(lampiran_url(session)))
    assert "Jenis Kegiatan : Belajar Mandiri" in text
    assert "Sumber Pembelajaran : Buku: Komunikasi Efektif untuk ASN" in text
    assert "Durasi : 60 menit" in text
    assert "RESUME BELAJAR MANDIRI Resume: komunikasi efektif." in text
    assert "Jumlah JP (terverifikasi Biro SDM): 1 JP" in text
    assert "Coach," not in text and "Mentor," not in text


def test_an_unsigned_lampiran_i_leaves_the_lines_blank_and_shows_a_projection(demo, client_as):
    session = factories.session(factories.coaching(demo), datetime.date(2022, 4, 7))
    draft, _ = read_pdf(client_as("pegawai").get(lampiran_url(session)))
    assert "Status : Draf" in draft
    assert "Ditandatangani secara elektronik" not in draft
    assert "Belum diverifikasi Biro SDM." in draft

    workflow.session_submit(session=session, actor=session.agreement.employee)
    submitted, _ = read_pdf(client_as("pegawai").get(lampiran_url(session)))
    assert "Perkiraan JP: 2 JP" in submitted
    assert submitted.count("Ditandatangani secara elektronik") == 1  # the employee only


def test_a_returned_session_loses_its_earlier_sign_offs(demo, client_as):
    session = factories.session(factories.coaching(demo), datetime.date(2022, 4, 7))
    workflow.session_submit(session=session, actor=session.agreement.employee)
    workflow.session_return(
        session=session, actor_roles=roles_for(demo.atasan), actor=demo.atasan,
        comment="Lengkapi hasil pengembangan.",
    )  # fmt: skip
    text, _ = read_pdf(client_as("pegawai").get(lampiran_url(session)))
    assert "Dikembalikan untuk perbaikan" in text
    assert "Ditandatangani secara elektronik" not in text


def test_lampiran_i_lists_the_evidence_by_file_name(demo, client_as):
    session = factories.session(factories.coaching(demo), datetime.date(2022, 4, 7))
    upload = SimpleUploadedFile("foto-kegiatan.png", factories.png_bytes())
    evidence_add(session=session, actor=session.agreement.employee, upload=upload)
    text, _ = read_pdf(client_as("pegawai").get(lampiran_url(session)))
    assert "BUKTI KEGIATAN (DOKUMENTASI) 1. foto-kegiatan.png" in text


def test_long_lampiran_i_text_wraps_onto_further_pages_without_being_cut(demo, client_as):
    words = [f"langkah{i:03d}" for i in range(1, 701)]
    session = factories.session(
        factories.coaching(demo), datetime.date(2022, 4, 7),
        needs=" ".join(words[:350]), result=" ".join(words[350:]) + " kalimat penutup terakhir.",
    )  # fmt: skip
    text, pages = read_pdf(client_as("pegawai").get(lampiran_url(session)))
    assert pages >= 2
    missing = [w for w in words if w not in text]
    assert missing == []
    assert "kalimat penutup terakhir." in text
    assert text.index("D. HASIL PENGEMBANGAN") < text.index("langkah700")
    assert "Mengetahui, Atasan Langsung" in text


def test_lampiran_i_is_logged_with_its_code(se_example, demo, client_as):
    session = se_session(Activity.COACHING, datetime.date(2022, 4, 7))
    text, _ = read_pdf(client_as("biro").get(lampiran_url(session)))
    code = re.search(r"kode dokumen ([A-Z0-9]{8})", text).group(1)
    logged = GeneratedDocument.objects.get(code=code)
    assert (logged.kind, logged.employee, logged.generated_by) == (
        DocumentKind.LAMPIRAN_I, se_example, demo.biro,
    )  # fmt: skip


def test_lampiran_i_names_the_langsa_guide_under_langsa(se_example, client_as, settings):
    settings.CMB_POLICY = "langsa"
    session = se_session(Activity.COACHING, datetime.date(2022, 4, 7))
    text, _ = read_pdf(client_as("pegawai").get(lampiran_url(session)))
    assert "Panduan Coaching, Mentoring, dan Belajar Mandiri" in text
    assert "Pemerintah Kota Langsa" in text
    assert "Lampiran I Surat Edaran" not in text


# --- Langsa Tabel Kegiatan --------------------------------------------------------------------


def test_the_tabel_kegiatan_lists_meetings_with_the_electronic_paraf(
    se_example, demo, client_as, settings
):
    settings.CMB_POLICY = "langsa"
    session = se_session(Activity.COACHING, datetime.date(2022, 4, 7))
    approved = AuditEntry.objects.get(session=session, action=AuditAction.APPROVED)
    response = client_as("pengelola").get(tabel_url(se_example, "coaching", tahun=2022))
    text, _ = read_pdf(response)
    for expected in (
        "Panduan Coaching, Mentoring, dan Belajar Mandiri",
        "TABEL KEGIATAN COACHING",
        "Nama : Cahya",
        f"NIP : {CAHYA_NIP}",
        "Jabatan : Analis SDM Aparatur",
        "No Hari, Tanggal Materi Bimbingan Paraf Pembimbing",
        "Kamis, 7 April 2022",
        "Kamis, 14 April 2022",
        "Coaching tentang pemahaman pola karier",
        "diparaf secara elektronik oleh Diah Kusuma Ismuwardanni, S.Psi., M.Si., "
        f"{when(approved)} WIB",
        "Pembimbing",
        "Peserta",
        "Kepala Perangkat Daerah",
        "Dr. Haryanto Wibisono, S.H., M.Si.",
    ):
        assert expected in text, expected
    assert "29 Mei 2022" not in text  # mentoring has its own table
    assert GeneratedDocument.objects.filter(kind=DocumentKind.TABEL, employee=se_example).exists()


def test_the_mentoring_tabel_shows_the_mentors_paraf_and_the_bm_tabel_the_atasan(
    se_example, client_as, settings
):
    settings.CMB_POLICY = "langsa"
    client = client_as("pegawai")
    mentoring, _ = read_pdf(client.get(tabel_url(se_example, "mentoring", tahun=2022)))
    assert "diparaf secara elektronik oleh Heri Purwanto, S.H." in mentoring
    learning, _ = read_pdf(client.get(tabel_url(se_example, "belajar_mandiri", tahun=2022)))
    assert "TABEL KEGIATAN BELAJAR MANDIRI" in learning
    assert "Paraf Atasan" in learning
    assert "Buku: Komunikasi Efektif untuk ASN" in learning


def test_the_tabel_kegiatan_is_404_outside_langsa_and_for_an_unknown_activity(
    se_example, client_as, settings
):
    client = client_as("biro")
    settings.CMB_POLICY = "bkn"
    assert client.get(tabel_url(se_example, "coaching")).status_code == 404
    settings.CMB_POLICY = "langsa"
    assert client.get(tabel_url(se_example, "klasikal")).status_code == 404


# --- Access per role --------------------------------------------------------------------------

OK, NOT_FOUND = 200, 404


def assert_access(demo, url: str, answers: dict[str, int]) -> None:
    anonymous = demo.client_for("anonymous").get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login") + "?next=")
    for role, expected in answers.items():
        response = demo.client_for(role).get(url)
        assert response.status_code == expected, f"{url} as {role}"


EMPLOYEE_DOCUMENT = {
    "pegawai": OK, "atasan": OK, "pengelola": OK, "pimpinan": OK, "biro": OK,
    "outsider": NOT_FOUND, "mentor": NOT_FOUND,
}  # fmt: skip


def test_who_may_download_the_kartu_pengendali(se_example, demo):
    assert_access(demo, kartu_url(se_example, tahun=2022), EMPLOYEE_DOCUMENT)


def test_who_may_open_the_kartu_form(se_example, demo):
    url = reverse("reports:kartu_form", kwargs={"employee_pk": se_example.pk})
    assert_access(demo, url, EMPLOYEE_DOCUMENT)
    html = demo.client_for("pengelola").get(url).content.decode()
    assert f'action="{kartu_url(se_example)}"' in html
    assert 'name="pending"' in html


def test_who_may_download_the_tabel_kegiatan_under_langsa(se_example, demo, settings):
    settings.CMB_POLICY = "langsa"
    assert_access(demo, tabel_url(se_example, "coaching", tahun=2022), EMPLOYEE_DOCUMENT)


def test_who_may_download_a_lampiran_i_including_the_sessions_mentor(se_example, demo):
    session = se_session(Activity.MENTORING, datetime.date(2022, 5, 29))
    assert_access(demo, lampiran_url(session), {**EMPLOYEE_DOCUMENT, "mentor": OK})


def test_a_coaching_lampiran_i_is_not_for_a_mentor_of_another_session(se_example, demo):
    session = se_session(Activity.COACHING, datetime.date(2022, 4, 7))
    assert demo.client_for("mentor").get(lampiran_url(session)).status_code == NOT_FOUND
    assert demo.client_for("outsider").get(lampiran_url(session)).status_code == NOT_FOUND


def test_a_missing_session_or_employee_is_404(demo, client_as):
    client = client_as("biro")
    assert client.get(reverse("reports:lampiran_i", kwargs={"pk": 999999})).status_code == 404
    url = reverse("reports:kartu_pengendali", kwargs={"employee_pk": 999999})
    assert client.get(url).status_code == 404


def test_no_document_is_logged_when_access_is_refused(se_example, demo):
    demo.client_for("outsider").get(kartu_url(se_example, tahun=2022))
    assert not GeneratedDocument.objects.exists()
