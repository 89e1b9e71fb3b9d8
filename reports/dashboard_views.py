"""The home page for every role, and the unit table with its CSV/XLSX export."""

from __future__ import annotations

import csv
import io

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.models import Activity
from records.roles import BIRO, PENGELOLA, PIMPINAN, role_required, roles_for

from . import dashboards
from .evaluations import followups_for
from .recaps import STATUS_LABELS, get_recap_unit_for, recap_units_for


def home(request):
    roles = roles_for(request.user)
    today = timezone.localdate()
    context = {"employee": roles.employee}
    if roles.employee is not None:
        context["home"] = dashboards.employee_home(roles, today)
        open_followups = followups_for(roles).filter(status="open")
        context["followups"] = list(open_followups.filter(employee=roles.employee))
        if roles.is_atasan:
            context["team"] = dashboards.team_progress(roles, today)
            context["team_followups_open"] = open_followups.exclude(employee=roles.employee).count()
    context["activities"] = Activity.choices
    return render(request, "records/home.html", context)


class UnitTableForm(forms.Form):
    unit = forms.IntegerField(required=False, min_value=1)
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        required=False, choices=[("", "")] + [(s, s) for s in dashboards.STATUS_FILTERS]
    )
    q = forms.CharField(required=False, max_length=100)
    urut = forms.ChoiceField(required=False, choices=[(s, s) for s in dashboards.SORTS])
    turun = forms.BooleanField(required=False)
    halaman = forms.IntegerField(required=False, min_value=1)


def _table(request, *, whole: bool = False):
    """The table the filters ask for, within the units this user may see (404 otherwise)."""
    roles = roles_for(request.user)
    form = UnitTableForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    units = recap_units_for(roles)
    chosen = data.get("unit")
    unit = get_recap_unit_for(roles, chosen) if chosen else units.first()
    today = timezone.localdate()
    table = None
    if unit is not None:
        table = dashboards.unit_table(
            unit,
            year=data.get("tahun") or today.year,
            today=today,
            status=data.get("status") or "",
            query=(data.get("q") or "").strip(),
            sort=data.get("urut") or "nama",
            descending=bool(data.get("turun")),
            page=None if whole else (data.get("halaman") or 1),
        )
    return table, units, data, form


@role_required(PENGELOLA, PIMPINAN, BIRO)
def unit_table(request):
    table, units, data, form = _table(request)
    return render(
        request,
        "reports/unit_table.html",
        {
            "table": table,
            "units": units,
            "filters": data,
            "form_errors": form.errors,
            "statuses": [(s, STATUS_LABELS[s]) for s in dashboards.STATUS_FILTERS],
            "sorts": [
                ("nama", gettext_lazy("Nama")),
                ("unit", gettext_lazy("Unit kerja")),
                ("terverifikasi", gettext_lazy("JP terverifikasi")),
            ],
            "query_string": request.GET.urlencode(),
            "page_query": _without(request.GET, "halaman"),
            "years": range(timezone.localdate().year, 2019, -1),
        },
    )


def _without(params, key: str) -> str:
    copy = params.copy()
    copy.pop(key, None)
    return copy.urlencode()


HEADER = [
    "NIP",
    "Nama",
    "Jabatan",
    "Unit kerja",
    "Coaching (JP)",
    "Mentoring (JP)",
    "Belajar Mandiri (JP)",
    "Terverifikasi (JP)",
    "Dalam proses (JP)",
    "Status",
]


def _cells(row: dashboards.Progress) -> list:
    e = row.employee
    return [
        e.nip,
        e.name,
        e.jabatan,
        e.unit.name,
        row.coaching,
        row.mentoring,
        row.self_learning,
        row.verified,
        row.projected,
        row.status_label,
    ]


def _safe(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _filename(table, ext: str) -> str:
    return f"pegawai-{table.unit.code}-{table.year}.{ext}"


@role_required(PENGELOLA, PIMPINAN, BIRO)
def unit_table_csv(request):
    table, _units, _data, _form = _table(request, whole=True)
    out = io.StringIO()
    out.write("\ufeff")  # so Excel opens UTF-8 names correctly
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for row in table.rows if table else []:
        writer.writerow(
            [_safe(str(c).replace(".", ",") if not isinstance(c, str) else c) for c in _cells(row)]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = _filename(table, "csv") if table else "pegawai.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(PENGELOLA, PIMPINAN, BIRO)
def unit_table_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    table, _units, _data, _form = _table(request, whole=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Pegawai"
    title = _("JP pegawai %(unit)s tahun %(year)s") % {
        "unit": table.unit.name if table else "",
        "year": table.year if table else "",
    }
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows if table else []:
        cells = [_safe(c) if isinstance(c, str) else float(c) for c in _cells(row)]
        sheet.append(cells)
        for cell in sheet[sheet.max_row][4:9]:
            cell.number_format = "0.0"
    sheet.freeze_panes = "C3"
    for column, width in zip("ABCDEFGHIJ", (20, 36, 30, 30, 12, 12, 12, 12, 12, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "2:2"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = _filename(table, "xlsx") if table else "pegawai.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
