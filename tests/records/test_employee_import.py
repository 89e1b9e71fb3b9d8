import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from records.importing import read_employee_file
from records.models import Employee
from records.services import ImportFileError, employee_import

HEADER = "NIP,Nama,Golongan,Jabatan,Unit,NIP Atasan\n"
BOSS = "198001012005011001"
STAFF = "199502022020012002"
TRAINEE = "199603032021011003"


def csv_rows(text: str):
    return read_employee_file("pegawai.csv", (HEADER + text).encode())


def snapshot():
    return sorted(
        Employee.objects.values_list("nip", "name", "golongan", "jabatan", "unit_id", "atasan_id")
    )


def test_it_creates_employees_and_sets_an_atasan_listed_later_in_the_file(demo):
    rows = csv_rows(
        f"{STAFF},Budi Santoso S.Kom.,III/a,Pranata Komputer,biro-umum,{BOSS}\n"
        f'{BOSS},"Dr. Tuti Handayani, M.Si.",IV/a,Kepala Bagian,Biro Umum,\n'
    )
    report = employee_import(rows=rows, allowed_unit_ids=None)
    assert [r.outcome for r in report.rows] == ["dibuat", "dibuat"]
    staff = Employee.objects.get(nip=STAFF)
    assert staff.atasan.nip == BOSS
    assert staff.atasan.name == "Dr. Tuti Handayani, M.Si."
    assert staff.user.username == STAFF
    assert not staff.user.has_usable_password()


def test_importing_the_same_file_twice_changes_nothing(demo):
    text = f"{BOSS},Tuti,IV/a,Kepala Bagian,biro-umum,\n{STAFF},Budi,III/a,Staf,biro-umum,{BOSS}\n"
    employee_import(rows=csv_rows(text), allowed_unit_ids=None)
    before = snapshot()
    report = employee_import(rows=csv_rows(text), allowed_unit_ids=None)
    assert [r.outcome for r in report.rows] == ["tidak berubah", "tidak berubah"]
    assert snapshot() == before


def test_it_updates_by_nip(demo):
    report = employee_import(
        rows=csv_rows(
            "199708212020122005,Cahya,III/c,Analis SDM Aparatur Ahli Muda,biro-sdm,"
            "198204122006042003\n"
        ),
        allowed_unit_ids=None,
    )
    assert report.rows[0].outcome == "diperbarui"
    cahya = Employee.objects.get(nip="199708212020122005")
    assert (cahya.golongan, cahya.jabatan) == ("III/c", "Analis SDM Aparatur Ahli Muda")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("19950202202001200,Budi,III/a,Staf,biro-umum,", "18 digit"),
        ("199502022020013002,Budi,III/a,Staf,biro-umum,", "jenis kelamin"),
        (f"{STAFF},,III/a,Staf,biro-umum,", "Nama wajib"),
        (f"{STAFF},Budi,V/z,Staf,biro-umum,", "Golongan 'V/z' tidak dikenal"),
        (f"{STAFF},Budi,III/a,,biro-umum,", "Jabatan wajib"),
        (f"{STAFF},Budi,III/a,Staf,Biro Antah,", "Unit kerja 'Biro Antah' tidak ditemukan"),
        (f"{STAFF},Budi,III/a,Staf,biro-umum,197001011990011009", "NIP atasan 197001011990011009"),
        (f"{STAFF},Budi,III/a,Staf,biro-umum,{STAFF}", "sama dengan NIP pegawai"),
    ],
)
def test_it_refuses_a_bad_row_with_the_reason_and_writes_nothing_for_it(demo, line, reason):
    before = snapshot()
    report = employee_import(rows=csv_rows(line + "\n"), allowed_unit_ids=None)
    assert report.rows[0].outcome == "ditolak"
    assert reason in report.rows[0].reason
    assert snapshot() == before


def test_it_refuses_a_duplicate_nip_and_an_atasan_cycle(demo):
    report = employee_import(
        rows=csv_rows(
            f"{BOSS},Tuti,IV/a,Kepala,biro-umum,{STAFF}\n"
            f"{STAFF},Budi,III/a,Staf,biro-umum,{BOSS}\n"
            f"{STAFF},Budi lagi,III/a,Staf,biro-umum,\n"
        ),
        allowed_unit_ids=None,
    )
    reasons = [r.reason for r in report.rows]
    assert "lingkaran" in reasons[0] and "lingkaran" in reasons[1]
    assert "sudah muncul di baris 3" in reasons[2]
    assert not Employee.objects.filter(nip__in=[BOSS, STAFF]).exists()


def test_a_row_whose_atasan_row_is_refused_is_refused_too_down_the_chain(demo):
    before = snapshot()
    report = employee_import(
        rows=csv_rows(
            f"{TRAINEE},Citra,II/c,Staf,biro-umum,{STAFF}\n"
            f"{STAFF},Budi,III/a,Staf,biro-umum,{BOSS}\n"
            f"{BOSS},Tuti,IV/z,Kepala,biro-umum,\n"
        ),
        allowed_unit_ids=None,
    )
    assert [r.outcome for r in report.rows] == ["ditolak"] * 3
    assert f"Atasan dengan NIP {STAFF} ditolak (baris 3)" in report.rows[0].reason
    assert f"Atasan dengan NIP {BOSS} ditolak (baris 4)" in report.rows[1].reason
    assert "Golongan 'IV/z'" in report.rows[2].reason
    assert snapshot() == before


def test_a_refused_row_of_an_existing_atasan_keeps_their_staff(demo):
    existing_boss = "198204122006042003"  # already in the portal
    report = employee_import(
        rows=csv_rows(
            f"{existing_boss},Diah,IV/z,Kepala,biro-sdm,\n"
            f"{STAFF},Budi,III/a,Staf,biro-sdm,{existing_boss}\n"
        ),
        allowed_unit_ids=None,
    )
    assert [r.outcome for r in report.rows] == ["ditolak", "dibuat"]
    assert Employee.objects.get(nip=STAFF).atasan.nip == existing_boss


def test_it_refuses_a_nip_already_taken_as_another_accounts_username(demo):
    get_user_model().objects.create_user(username=STAFF, password="x-Kopi-2026")
    report = employee_import(
        rows=csv_rows(
            f"{STAFF},Budi,III/a,Staf,biro-umum,\n{TRAINEE},Citra,II/c,Staf,biro-umum,{STAFF}\n"
        ),
        allowed_unit_ids=None,
    )
    assert [r.outcome for r in report.rows] == ["ditolak", "ditolak"]
    assert f"Nama pengguna {STAFF} sudah dipakai akun lain" in report.rows[0].reason
    assert f"Atasan dengan NIP {STAFF} ditolak" in report.rows[1].reason
    assert not Employee.objects.filter(nip__in=[STAFF, TRAINEE]).exists()


def test_the_browser_import_reports_a_taken_username_instead_of_failing(client_as, demo):
    get_user_model().objects.create_user(username=STAFF)
    upload = SimpleUploadedFile(
        "pegawai.csv", (HEADER + f"{STAFF},Budi,III/a,Staf,biro-sdm,\n").encode()
    )
    response = client_as("pengelola").post("/pegawai/impor/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "sudah dipakai akun lain" in response.content.decode()


def test_a_pengelola_may_only_import_into_their_own_units(demo):
    managed = frozenset(demo.pengelola.employee.managed_units.values_list("id", flat=True))
    report = employee_import(
        rows=csv_rows(f"{STAFF},Budi,III/a,Staf,biro-umum,\n"), allowed_unit_ids=managed
    )
    assert "bukan unit yang Anda kelola" in report.rows[0].reason


def test_a_dry_run_writes_nothing(demo):
    before = snapshot()
    report = employee_import(
        rows=csv_rows(f"{STAFF},Budi,III/a,Staf,biro-umum,\n"), allowed_unit_ids=None, dry_run=True
    )
    assert report.rows[0].outcome == "dibuat"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("pegawai.csv", b"Nama,Jabatan\nBudi,Staf\n", "Kolom wajib tidak ada: nip"),
        ("pegawai.csv", b"", "kosong"),
        ("pegawai.xlsx", b"not a zip file", "XLSX tidak dapat dibaca"),
        ("pegawai.pdf", b"%PDF-1.4", "Jenis berkas tidak didukung"),
        ("pegawai.csv", b"\x00\x01\x02binary", "bukan CSV"),
    ],
)
def test_a_malformed_file_is_refused_as_a_whole(name, data, message):
    with pytest.raises(ImportFileError) as error:
        read_employee_file(name, data)
    assert message in str(error.value)


def test_it_reads_xlsx_with_the_same_columns(demo):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "Nama", "Golongan", "Jabatan", "Unit Kerja", "NIP Atasan"])
    sheet.append([STAFF, "Budi Santoso, S.Kom.", "Penata Muda (III/a)", "Staf", "biro-umum", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = employee_import(
        rows=read_employee_file("p.xlsx", buffer.getvalue()), allowed_unit_ids=None
    )
    assert report.rows[0].outcome == "dibuat"
    assert Employee.objects.get(nip=STAFF).golongan == "III/a"


def test_the_browser_import_reports_each_row(client_as, demo):
    upload = SimpleUploadedFile(
        "pegawai.csv",
        (HEADER + f"{STAFF},Budi,III/a,Staf,biro-sdm,\n1234,X,III/a,Staf,biro-sdm,\n").encode(),
    )
    response = client_as("pengelola").post(
        "/pegawai/impor/", {"file": upload, "dry_run": ""}, follow=True
    )
    assert response.status_code == 200
    assert "1 dibuat, 0 diperbarui, 0 tidak berubah, 1 ditolak" in response.content.decode()
    assert Employee.objects.filter(nip=STAFF, unit__code="biro-sdm").exists()


def test_the_browser_import_shows_a_malformed_file_error_and_writes_nothing(client_as, demo):
    before = snapshot()
    upload = SimpleUploadedFile("pegawai.csv", b"Nama\nBudi\n")
    response = client_as("biro").post("/pegawai/impor/", {"file": upload})
    assert "Kolom wajib tidak ada" in response.content.decode()
    assert snapshot() == before


def test_the_management_command_imports_and_fails_on_refused_rows(demo, tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_text(HEADER + f"{STAFF},Budi,III/a,Staf,biro-umum,\n")
    call_command("import_employees", str(path))
    assert Employee.objects.filter(nip=STAFF).exists()
    path.write_text(HEADER + "123,Budi,III/a,Staf,biro-umum,\n")
    with pytest.raises(CommandError, match="1 baris ditolak"):
        call_command("import_employees", str(path))
