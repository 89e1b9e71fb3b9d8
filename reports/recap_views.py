"""The quarterly recap (Lampiran III): view it, download it, submit it to Biro SDM, and Biro
SDM's overview of who submitted.

Who: the unit's pengelola (their units and sub-units), the unit's pimpinan (view only) and
Biro SDM (every unit, view only: Biro SDM receives the recap, it does not submit for a unit).
A unit outside the user's scope is 404; a user without any of those roles gets 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from records.roles import BIRO, PENGELOLA, PIMPINAN, role_required, roles_for

from . import recaps
from .models import RecapSubmission
from .services import pdf_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2020  # the SE took effect in 2022; a little room for earlier records


class RecapChoiceForm(forms.Form):
    """Unit, year and quarter (shown with crispy; the view reads and checks the values)."""

    unit = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Unit kerja"))
    tahun = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Tahun"))
    triwulan = forms.TypedChoiceField(
        coerce=int,
        label=gettext_lazy("Triwulan"),
        choices=[
            (1, gettext_lazy("I (Januari – Maret)")),
            (2, gettext_lazy("II (April – Juni)")),
            (3, gettext_lazy("III (Juli – September)")),
            (4, gettext_lazy("IV (Oktober – Desember)")),
        ],
    )

    def __init__(self, *args, units, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None
        self.fields["tahun"].choices = [(y, y) for y in years]


def _years(chosen: int) -> list[int]:
    this_year = timezone.localdate().year
    return sorted(
        set(range(max(FIRST_YEAR, this_year - 5), this_year + 1)) | {chosen}, reverse=True
    )


def _int(value: str | None, default: int, low: int, high: int) -> int:
    if value and value.isdigit() and low <= int(value) <= high:
        return int(value)
    return default


def _period_or_404(year: int, quarter: int) -> recaps.Quarter:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    try:
        return recaps.Quarter(year, quarter)
    except ValueError:
        raise Http404 from None


def _list_url(unit_pk: int, year: int, quarter: int) -> str:
    query = urlencode({"unit": unit_pk, "tahun": year, "triwulan": quarter})
    return f"{reverse('reports:recap_list')}?{query}"


@role_required(PENGELOLA, PIMPINAN, BIRO)
def recap_list(request):
    roles = roles_for(request.user)
    units = recaps.recap_units_for(roles)
    unit_pk = request.GET.get("unit", "")
    if unit_pk.isdigit():
        unit = recaps.get_recap_unit_for(roles, int(unit_pk))
    else:
        # The user's own unit when it is theirs to see, else the first of their units.
        own = roles.employee.unit_id if roles.employee is not None else None
        unit = units.filter(pk=own).first() or units.first()
        if unit is None:
            raise Http404
    default = recaps.Quarter.last_ended(timezone.localdate())
    year = _int(request.GET.get("tahun"), default.year, FIRST_YEAR, timezone.localdate().year + 1)
    quarter = _int(request.GET.get("triwulan"), default.number, 1, 4)
    recap = recaps.recap_for(unit=unit, year=year, quarter=quarter)
    submissions = (
        RecapSubmission.objects.select_related("submitted_by__employee")
        .filter(unit=unit)
        .order_by("-year", "-quarter", "-submitted_at")[:40]
    )
    history = [(s, recaps.Quarter(s.year, s.quarter)) for s in submissions]
    form = RecapChoiceForm(
        units=units,
        years=_years(year),
        initial={"unit": unit.pk, "tahun": year, "triwulan": quarter},
    )
    return render(
        request,
        "reports/recap_list.html",
        {
            "form": form,
            "recap": recap,
            "unit": unit,
            "history": history,
            "this_quarter": [s for s, q in history if (q.year, q.number) == (year, quarter)],
            "can_submit": recaps.can_submit(roles, unit),
            "quarter_ended": recap.quarter.has_ended(timezone.localdate()),
        },
    )


@role_required(PENGELOLA, PIMPINAN, BIRO)
def recap_pdf(request, unit_pk: int, year: int, quarter: int):
    """The current figures as a PDF, marked provisional (only a submission is final)."""
    unit = recaps.get_recap_unit_for(roles_for(request.user), unit_pk)
    _period_or_404(year, quarter)
    recap = recaps.recap_for(unit=unit, year=year, quarter=quarter)
    rendered = recaps.recap_current_pdf(recap=recap, user=request.user)
    return pdf_response(rendered, f"{recaps.file_stem(recap)}-sementara.pdf")


@role_required(PENGELOLA, PIMPINAN, BIRO)
def recap_xlsx(request, unit_pk: int, year: int, quarter: int):
    unit = recaps.get_recap_unit_for(roles_for(request.user), unit_pk)
    _period_or_404(year, quarter)
    recap = recaps.recap_for(unit=unit, year=year, quarter=quarter)
    response = HttpResponse(recaps.render_recap_xlsx(recap), content_type=XLSX_TYPE)
    filename = f"{recaps.file_stem(recap)}-sementara.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(PENGELOLA)
@require_POST
def recap_submit(request, unit_pk: int, year: int, quarter: int):
    """Kirim ke Biro SDM: a confirmation page first, then the submission."""
    roles = roles_for(request.user)
    unit = recaps.get_recap_unit_for(roles, unit_pk)
    _period_or_404(year, quarter)
    if not recaps.can_submit(roles, unit):
        raise PermissionDenied
    back = _list_url(unit.pk, year, quarter)
    try:
        recaps.recap_check_submittable(unit=unit, year=year, quarter=quarter, user=request.user)
        if request.POST.get("confirmed") != "1":
            recap = recaps.recap_for(unit=unit, year=year, quarter=quarter)
            earlier = RecapSubmission.objects.select_related("submitted_by__employee").filter(
                unit=unit, year=year, quarter=quarter
            )
            return render(
                request,
                "reports/recap_confirm.html",
                {"recap": recap, "earlier": list(earlier), "back": back},
            )
        submission = recaps.recap_submit(unit=unit, year=year, quarter=quarter, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _("Rekap %(period)s dikirim ke Biro SDM (kode dokumen %(code)s).")
        % {"period": submission_label(submission), "code": submission.code},
    )
    return redirect(back)


def submission_label(submission: RecapSubmission) -> str:
    return recaps.Quarter(submission.year, submission.quarter).label


@role_required(PENGELOLA, PIMPINAN, BIRO)
def recap_submission_file(request, pk: int, fmt: str):
    """A submitted file exactly as it was sent (never re-rendered)."""
    submission = recaps.get_submission_for(roles_for(request.user), pk)
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    stored = submission.pdf if fmt == "pdf" else submission.xlsx
    stem = f"rekap-cmb-{submission.unit.code}-{submission.year}-tw{submission.quarter}"
    response = FileResponse(
        stored.open("rb"),
        content_type="application/pdf" if fmt == "pdf" else XLSX_TYPE,
        as_attachment=fmt == "xlsx",
        filename=f"{stem}-{submission.code}.{fmt}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(BIRO)
def recap_status(request):
    today = timezone.localdate()
    default = recaps.Quarter.last_ended(today).year
    year = _int(request.GET.get("tahun"), default, FIRST_YEAR, today.year + 1)
    rows = recaps.submission_status(year, today=today)
    quarters = [recaps.Quarter(year, n) for n in range(1, 5)]
    sent = [sum(1 for row in rows if row.cells[n].latest) for n in range(4)]
    return render(
        request,
        "reports/recap_status.html",
        {
            "year": year,
            "years": _years(year),
            "rows": rows,
            "columns": list(zip(quarters, sent, strict=True)),
        },
    )
