"""The official documents as PDFs: Lampiran I per session, Kartu Pengendali and the Langsa
Tabel Kegiatan per employee. Access is the records selectors' (404 for "not yours"); every
PDF is logged under the code in its footer (reports.services.document_record)."""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.models import Activity
from records.roles import roles_for
from records.selectors import get_employee_for

from . import documents
from .models import DocumentKind
from .services import document_record, pdf_response

MAX_YEARS = 5  # a card covers at most this many calendar years


class PeriodForm(forms.Form):
    """?tahun=2022, or ?dari=2022-01-01&sampai=2022-06-30; `pending=1` lists pending sessions."""

    tahun = forms.IntegerField(label=_("Tahun"), required=False, min_value=2000, max_value=2100)
    dari = forms.DateField(label=_("Dari tanggal"), required=False, input_formats=["%Y-%m-%d"])
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, input_formats=["%Y-%m-%d"])
    pending = forms.BooleanField(
        label=_("Tampilkan juga pertemuan yang belum diverifikasi (tidak dihitung)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start is None:
            year = end.year if end else (data.get("tahun") or timezone.localdate().year)
            start = datetime.date(year, 1, 1)
        end = end or datetime.date(start.year, 12, 31)
        if end < start:
            raise forms.ValidationError(_("Tanggal akhir periode sebelum tanggal awalnya."))
        if end.year - start.year >= MAX_YEARS:
            raise forms.ValidationError(
                _("Periode paling panjang %(n)s tahun kalender.") % {"n": MAX_YEARS}
            )
        data["period"] = documents.Period(start, end)
        return data


def _period_or_error(request, roles, employee_pk: int):
    """The cleaned period, or a 400 naming what is wrong (after the access check, so that
    someone who may not see the employee gets 404 whatever the parameters)."""
    form = PeriodForm(request.GET)
    if form.is_valid():
        return form.cleaned_data, None
    get_employee_for(roles, employee_pk)
    errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
    return None, HttpResponseBadRequest(
        f"Periode tidak sah: {errors}", content_type="text/plain; charset=utf-8"
    )


def lampiran_i(request, pk: int):
    data = documents.lampiran_i_data(roles_for(request.user), pk)
    rendered = documents.render_lampiran_i(data)
    document_record(
        rendered=rendered, kind=DocumentKind.LAMPIRAN_I, title=data.title,
        user=request.user, employee=data.employee,
    )  # fmt: skip
    filename = f"lampiran-i-{data.employee.nip}-{data.session.date:%Y%m%d}-{data.session.pk}.pdf"
    return pdf_response(rendered, filename)


def kartu_pengendali(request, employee_pk: int):
    roles = roles_for(request.user)
    cleaned, error = _period_or_error(request, roles, employee_pk)
    if error:
        return error
    data = documents.kartu_data(
        roles, employee_pk, cleaned["period"], include_pending=cleaned["pending"]
    )
    rendered = documents.render_kartu(data)
    document_record(
        rendered=rendered, kind=DocumentKind.KARTU, title=data.title,
        user=request.user, employee=data.employee,
    )  # fmt: skip
    filename = f"kartu-pengendali-{data.employee.nip}-{data.period.slug}.pdf"
    return pdf_response(rendered, filename)


def kartu_form(request, employee_pk: int):
    """Choose the period of a Kartu Pengendali (and, under Langsa, the Tabel Kegiatan)."""
    employee = get_employee_for(roles_for(request.user), employee_pk)
    year = timezone.localdate().year
    form = PeriodForm(initial={"tahun": year})
    return render(
        request,
        "reports/kartu_form.html",
        {
            "employee": employee,
            "form": form,
            "years": range(year, year - 6, -1),
            "activities": Activity.choices,
        },
    )


def tabel_kegiatan(request, employee_pk: int, kind: str):
    documents.tabel_policy_check()
    roles = roles_for(request.user)
    cleaned, error = _period_or_error(request, roles, employee_pk)
    if error:
        return error
    data = documents.tabel_data(roles, employee_pk, kind, cleaned["period"])
    rendered = documents.render_tabel(data)
    document_record(
        rendered=rendered, kind=DocumentKind.TABEL, title=data.title,
        user=request.user, employee=data.employee,
    )  # fmt: skip
    filename = f"tabel-{kind.replace('_', '-')}-{data.employee.nip}-{data.period.slug}.pdf"
    return pdf_response(rendered, filename)
