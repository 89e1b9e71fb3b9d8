"""Reading an employee file (CSV or XLSX) into rows for services.employee_import.

A file that cannot be read as a whole (wrong type, missing columns, too many rows) raises
ImportFileError and nothing is written; problems of single rows are the service's business.
"""

from __future__ import annotations

import csv
import io
import zipfile

from .services import IMPORT_COLUMNS, MAX_IMPORT_ROWS, OPTIONAL_COLUMNS, ImportFileError

HEADER_ALIASES = {
    "nip": "nip",
    "nama": "nama",
    "nama lengkap": "nama",
    "golongan": "golongan",
    "gol": "golongan",
    "golongan ruang": "golongan",
    "pangkat/golongan": "golongan",
    "jabatan": "jabatan",
    "unit": "unit",
    "unit kerja": "unit",
    "nip atasan": "nip_atasan",
    "nip_atasan": "nip_atasan",
    "email": "email",
    "e-mail": "email",
}


def _header_key(text: object) -> str | None:
    return HEADER_ALIASES.get(" ".join(str(text or "").strip().lower().split()))


def _rows_from_table(table: list[list[object]]) -> list[dict[str, str]]:
    if not table:
        raise ImportFileError("Berkas kosong.")
    header = [_header_key(cell) for cell in table[0]]
    missing = [c for c in IMPORT_COLUMNS if c not in header]
    if missing:
        names = ", ".join(missing)
        raise ImportFileError(
            f"Kolom wajib tidak ada: {names}. Baris pertama harus berisi judul kolom "
            "NIP, Nama, Golongan, Jabatan, Unit, NIP Atasan."
        )
    body = [row for row in table[1:] if any(str(c or "").strip() for c in row)]
    if len(body) > MAX_IMPORT_ROWS:
        raise ImportFileError(f"Terlalu banyak baris (paling banyak {MAX_IMPORT_ROWS}).")
    wanted = set(IMPORT_COLUMNS) | set(OPTIONAL_COLUMNS)
    rows = []
    for raw in body:
        row = {}
        for key, cell in zip(header, raw, strict=False):
            if key in wanted:
                row[key] = _cell_text(cell)
        rows.append(row)
    return rows


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        # Spreadsheets turn NIPs typed as numbers into floats; 18 digits exceed a float's
        # precision, so such a NIP is already damaged and will be refused by its checks.
        return str(int(cell))
    return str(cell).strip()


def read_csv(data: bytes) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError("Berkas CSV tidak dapat dibaca (gunakan UTF-8).") from None
    if "\x00" in text:
        raise ImportFileError("Berkas ini bukan CSV.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        table = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise ImportFileError(f"Berkas CSV rusak: {error}.") from None
    return _rows_from_table(table)


def read_xlsx(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError("Berkas XLSX tidak dapat dibaca.") from None
    try:
        sheet = workbook.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _rows_from_table(table)


def read_employee_file(name: str, data: bytes) -> list[dict[str, str]]:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(data)
    if lowered.endswith(".csv") or lowered.endswith(".txt"):
        return read_csv(data)
    raise ImportFileError("Jenis berkas tidak didukung: unggah CSV atau XLSX.")
