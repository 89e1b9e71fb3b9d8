"""The quarterly recap as a spreadsheet (openpyxl), from the same rows as its PDF.

Numbers are numbers: JP cells hold the value with one decimal place shown ("0.0"); the
Decimal becomes a float only at the cell, as openpyxl needs. NIP is text (18 digits would be
rounded as a number). The header row is frozen and filtered, and the sheet prints on
landscape A4, one page wide, with the header row repeated on every page.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.dateformat import format as date_format
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from records import ledger
from records.templatetags.indo import jp as jp_text

from .recaps import Recap

TITLE = (
    "REKAPITULASI KARTU PENGENDALI PENGEMBANGAN KOMPETENSI MELALUI COACHING, MENTORING, "
    "DAN BELAJAR MANDIRI"
)
JP_FORMAT = "0.0"
HEADER_ROW = 6

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _columns(recap: Recap) -> list[tuple[str, int]]:
    """(header, width in characters)."""
    q = recap.quarter.roman
    return [
        ("No", 5),
        ("Nama Pegawai", 34),
        ("NIP", 21),
        ("Jabatan", 32),
        ("Unit Kerja", 28),
        ("Coaching (JP)", 11),
        ("Mentoring (JP)", 11),
        ("Belajar Mandiri (JP)", 11),
        (f"Jumlah Triwulan {q} (JP)", 12),
        (f"Jumlah s.d. Triwulan {q} (JP)", 13),
        (f"Status terhadap Target {jp_text(recap.target)} JP", 17),
    ]


def _jp(value: Decimal) -> float:
    return float(value)


def _title_block(
    ws: Worksheet, recap: Recap, *, code: str, submitted: bool, made_at, width: int
) -> None:
    last = get_column_letter(width)
    quarter = recap.quarter
    lines = [
        TITLE,
        (
            "Lampiran III Surat Edaran Kepala BKN Nomor 3 Tahun 2022"
            if ledger.policy().name == "bkn"
            else "Rekapitulasi triwulanan Kartu Pengendali"
        ),
        f"Unit kerja: {recap.unit.name}"
        + (" (beserta unit di bawahnya)" if recap.covers_sub_units else ""),
        f"{quarter.label}: {quarter.period}. Jumlah s.d. triwulan: {quarter.year_to_date}; "
        f"target s.d. triwulan {jp_text(recap.pace)} JP "
        f"({jp_text(recap.target)} JP × {quarter.months_elapsed}/12).",
    ]
    made = date_format(timezone.localtime(made_at), "j F Y, H.i") + " WIB"
    if submitted:
        lines.append(
            f"JP terverifikasi Biro SDM menurut tanggal pertemuan. Dikirim ke Biro SDM {made}; "
            f"kode dokumen {code} (sama dengan PDF)."
        )
    else:
        lines.append(
            f"JP terverifikasi Biro SDM menurut tanggal pertemuan. Angka sementara per {made}; "
            "belum dikirim ke Biro SDM."
        )
    for row, text in enumerate(lines, start=1):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if row == 1:
            cell.font = Font(bold=True, size=12)
            ws.row_dimensions[row].height = 20
        else:
            cell.font = Font(size=10)


def _write_row(ws: Worksheet, row: int, values: list, *, fill: PatternFill | None = None):
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        cell.border = BORDER
        cell.alignment = WRAP_TOP
        if fill is not None:
            cell.fill = fill
        if 6 <= column <= 10:
            cell.number_format = JP_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="top")
        elif column == 3:
            cell.number_format = "@"
        elif column == 1:
            cell.alignment = Alignment(horizontal="center", vertical="top")


def recap_workbook(recap: Recap, *, code: str = "", submitted: bool = False, made_at=None) -> bytes:
    """The workbook's bytes; `made_at` (default now) is the time stated in the title block."""
    columns = _columns(recap)
    wb = Workbook()
    ws = wb.active
    ws.title = f"TW {recap.quarter.roman} {recap.quarter.year}"
    wb.properties.title = f"Rekapitulasi Kartu Pengendali {recap.unit.name} {recap.quarter.label}"
    wb.properties.creator = "CMB Portal"

    _title_block(
        ws, recap, code=code, submitted=submitted, made_at=made_at or timezone.now(),
        width=len(columns),
    )  # fmt: skip
    for column, (header, width) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[HEADER_ROW].height = 45

    row = HEADER_ROW
    for number, item in enumerate(recap.rows, start=1):
        row += 1
        _write_row(
            ws,
            row,
            [
                number,
                item.name,
                item.nip,
                item.jabatan,
                item.unit,
                _jp(item.coaching),
                _jp(item.mentoring),
                _jp(item.self_learning),
                _jp(item.quarter_total),
                _jp(item.year_to_date),
                item.status_label,
            ],
        )
    last_data_row = row
    last_column = get_column_letter(len(columns))

    # Totals as values (not formulas): the file states what was submitted, and a reader that
    # does not calculate (or a filtered view) still shows the same figures as the PDF.
    row += 1
    totals = recap.totals
    _write_row(
        ws,
        row,
        [
            "JUMLAH",
            None,
            None,
            None,
            None,
            _jp(totals.coaching),
            _jp(totals.mentoring),
            _jp(totals.self_learning),
            _jp(totals.quarter_total),
            _jp(totals.year_to_date),
            f"{recap.on_track_count} dari {recap.employee_count} sesuai target",
        ],
        fill=TOTAL_FILL,
    )
    ws.merge_cells(f"A{row}:E{row}")
    for column in range(1, len(columns) + 1):
        ws.cell(row=row, column=column).font = Font(bold=True)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="top")
    totals_row = row

    notes = [
        f"Pegawai sesuai target: {recap.share_text}.",
        f"Tercapai: jumlah s.d. triwulan paling sedikit {jp_text(recap.target)} JP. "
        f"Sesuai target: paling sedikit {jp_text(recap.pace)} JP "
        f"({jp_text(recap.target)} JP × {recap.quarter.months_elapsed}/12). "
        "Di bawah target: kurang dari itu.",
    ]
    row += 1
    for text in notes:
        row += 1
        ws.merge_cells(f"A{row}:{last_column}{row}")
        ws.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True)
    ws.cell(row=totals_row + 2, column=1).font = Font(bold=True)

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)  # header rows and No/Nama stay
    if recap.rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{last_data_row}"

    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last_column}{row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = f"Rekapitulasi Kartu Pengendali — {recap.unit.name}"
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = f"CMB Portal · {recap.quarter.label}" + (
        f" · kode dokumen {code}" if code else ""
    )
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Halaman &P dari &N"
    ws.oddFooter.right.size = 8

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
