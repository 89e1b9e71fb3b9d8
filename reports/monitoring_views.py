"""The monitoring page of the pimpinan and Biro SDM."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from records import jp
from records.roles import BIRO, PIMPINAN, role_required, roles_for

from . import charts
from .monitoring import KINDS, monitoring, monitoring_units

KIND_NAMES = {
    jp.COACHING: "Coaching",
    jp.MENTORING: "Mentoring",
    jp.BELAJAR_MANDIRI: "Belajar Mandiri",
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


class MonitoringForm(forms.Form):
    unit = forms.IntegerField(required=False, min_value=1)
    tahun = forms.IntegerField(required=False, min_value=2000, max_value=2100)


@role_required(PIMPINAN, BIRO)
def monitoring_view(request):
    roles = roles_for(request.user)
    form = MonitoringForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    year = data.get("tahun") or today.year
    allowed = monitoring_units(roles)
    unit = None
    if data.get("unit"):
        unit = allowed.filter(pk=data["unit"]).first()
        if unit is None:
            raise Http404
    view = monitoring(roles, unit=unit, year=year, today=today)
    month_chart = charts.stacked_bars(
        _("JP terverifikasi per bulan menurut kegiatan, %(year)s") % {"year": year},
        MONTHS,
        [(KIND_NAMES[k], [m[k] for m in view.months]) for k in KINDS],
    )
    share_chart = charts.share_bars(
        _("Pegawai sesuai target berjalan per unit, %(year)s") % {"year": year},
        [
            (r.unit.name + (" " + _("(langsung)") if r.own_only else ""), r.on_track_pct)
            for r in view.rows
        ],
    )
    return render(
        request,
        "reports/monitoring.html",
        {
            "view": view,
            "units": allowed,
            "year": year,
            "years": range(today.year, 2019, -1),
            "month_chart": month_chart,
            "share_chart": share_chart,
            "month_rows": [(MONTHS[i], m) for i, m in enumerate(view.months)],
            "kinds": [(k, KIND_NAMES[k]) for k in KINDS],
        },
    )
