"""The 4-monthly evaluation: Biro SDM runs it; pimpinan assign follow-ups in their units;
pengelola read their units; the employee and the atasan langsung mark follow-ups done.

Who: the list, an evaluation and its unit pages are for Biro SDM (every unit), pimpinan (the
units they head, with sub-units) and pengelola (their units, read only); anyone else gets 403,
a unit outside the user's scope 404. Running is Biro SDM's; assigning the pimpinan's of the
entry's unit or Biro SDM's. "Tindak lanjut saya" is every signed-in employee's: their own
follow-ups and their direct subordinates'; another follow-up is 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from records.roles import BIRO, PENGELOLA, PIMPINAN, role_required, roles_for

from . import evaluations
from .models import FollowUpKind

READERS = (PENGELOLA, PIMPINAN, BIRO)


class RunForm(forms.Form):
    tahun = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Tahun"))
    periode = forms.TypedChoiceField(
        coerce=int,
        label=gettext_lazy("Periode"),
        choices=[
            (1, gettext_lazy("I (Januari – April)")),
            (2, gettext_lazy("II (Mei – Agustus)")),
            (3, gettext_lazy("III (September – Desember)")),
        ],
        error_messages={"invalid_choice": gettext_lazy("Pilih periode I, II atau III.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = range(this_year, max(evaluations.FIRST_YEAR, this_year - 5) - 1, -1)
        self.fields["tahun"].choices = [(y, y) for y in years]
        self.fields["tahun"].error_messages["invalid_choice"] = _("Pilih tahun dari daftar.")


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis tindak lanjut"),
        choices=FollowUpKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Pilih jenis tindak lanjut."),
            "invalid_choice": gettext_lazy("Pilih jenis tindak lanjut dari daftar."),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Uraian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Misalnya nama pelatihan, atau CMB yang diminta dari atasan."),
        error_messages={"required": gettext_lazy("Uraian tindak lanjut wajib diisi.")},
    )
    due_date = forms.DateField(
        label=gettext_lazy("Batas waktu"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Batas waktu wajib diisi."),
            "invalid": gettext_lazy("Tanggal tidak dikenali; gunakan format tahun-bulan-tanggal."),
        },
    )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise ValidationError(_("Batas waktu tidak boleh sebelum hari ini."))
        return due


class DoneForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Catatan penyelesaian"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": gettext_lazy("Catatan penyelesaian wajib diisi.")},
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise ValidationError(_("Catatan penyelesaian wajib diisi."))
        return note


@role_required(*READERS)
def evaluation_list(request):
    roles = roles_for(request.user)
    items = [
        (evaluation, evaluations.period_of(evaluation))
        for evaluation in evaluations.evaluations_visible_to(roles)[:30]
    ]
    default = evaluations.Period.last_ended(timezone.localdate())
    form = RunForm(initial={"tahun": default.year, "periode": default.number})
    return render(
        request,
        "reports/evaluation_list.html",
        {"items": items, "form": form if roles.is_biro else None},
    )


@role_required(BIRO)
@require_POST
def evaluation_run(request):
    form = RunForm(request.POST)
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors))
        return redirect("reports:evaluation_list")
    try:
        evaluation = evaluations.evaluation_run(
            year=form.cleaned_data["tahun"],
            period=form.cleaned_data["periode"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:evaluation_list")
    messages.success(
        request,
        _("Evaluasi %(period)s selesai: %(n)s pegawai ditandai.")
        % {
            "period": evaluations.period_of(evaluation).label,
            "n": evaluation.entries.count(),
        },
    )
    return redirect("reports:evaluation_detail", pk=evaluation.pk)


@role_required(*READERS)
def evaluation_detail(request, pk: int):
    roles = roles_for(request.user)
    evaluation = evaluations.get_evaluation_for(roles, pk)
    summaries = evaluations.unit_summaries(evaluation, roles)
    return render(
        request,
        "reports/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "period": evaluations.period_of(evaluation),
            "summaries": summaries,
            "flagged": sum(s.flagged for s in summaries),
        },
    )


@role_required(*READERS)
def evaluation_unit(request, pk: int, unit_pk: int):
    roles = roles_for(request.user)
    evaluation = evaluations.get_evaluation_for(roles, pk)
    unit = evaluations.get_unit_for(roles, unit_pk)
    rows, others = evaluations.unit_rows(evaluation, unit)
    followups = [f for row in rows + others for f in row.followups]
    done = sum(1 for f in followups if f.is_done)
    return render(
        request,
        "reports/evaluation_unit.html",
        {
            "evaluation": evaluation,
            "period": evaluations.period_of(evaluation),
            "unit": unit,
            "rows": rows,
            "others": others,
            "followup_count": len(followups),
            "done_count": done,
            "done_percent": round(100 * done / len(followups)) if followups else None,
            "can_assign": evaluations.can_assign(roles, unit.pk),
        },
    )


@role_required(PIMPINAN, BIRO)
def followup_assign(request, pk: int, entry_pk: int):
    roles = roles_for(request.user)
    evaluation = evaluations.get_evaluation_for(roles, pk)
    entry = evaluations.get_entry_for(roles, evaluation, entry_pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.followup_assign(
                entry=entry,
                roles=roles,
                user=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Tindak lanjut untuk %(name)s ditugaskan; pegawai dan atasannya diberi tahu.")
                % {"name": entry.employee.name},
            )
            return redirect("reports:evaluation_unit", pk=evaluation.pk, unit_pk=entry.unit_id)
    return render(
        request,
        "reports/followup_assign.html",
        {
            "evaluation": evaluation,
            "period": evaluations.period_of(evaluation),
            "entry": entry,
            "form": form,
        },
    )


def my_followups(request):
    roles = roles_for(request.user)
    followups = list(evaluations.followups_for(roles))
    me = roles.employee
    return render(
        request,
        "reports/my_followups.html",
        {
            "own": [f for f in followups if me is not None and f.employee_id == me.pk],
            "team": [f for f in followups if me is not None and f.employee_id != me.pk],
            "form": DoneForm(),
        },
    )


@require_POST
def followup_done(request, pk: int):
    roles = roles_for(request.user)
    followup = evaluations.get_followup_for(roles, pk)
    form = DoneForm(request.POST)
    back = reverse("reports:my_followups")
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors))
        return redirect(f"{back}#tl-{followup.pk}")
    try:
        evaluations.followup_complete(
            followup=followup, roles=roles, user=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tindak lanjut ditandai selesai."))
    return redirect(f"{back}#tl-{followup.pk}")
