"""Sessions (pertemuan): logging, editing, evidence, submission, JP preview, "my records"."""

import datetime
import logging

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import AuditAction, AuditEntry
from approvals.services import TransitionError, allowed_actions, session_submit

from . import jp, ledger
from .forms import apply_service
from .models import Activity, Agreement, Evidence, Session, SessionStatus
from .roles import PEGAWAI, role_required, roles_for
from .selectors import (
    agreements_visible_to,
    get_evidence_for,
    get_own_session,
    get_session_for,
)
from .services import evidence_add, evidence_delete, session_create, session_delete, session_update
from .session_forms import EvidenceForm, SessionForm

logger = logging.getLogger(__name__)


def _own_agreement(roles, pk: int) -> Agreement:
    if roles.employee is None:
        raise Http404
    return get_object_or_404(agreements_visible_to(roles), pk=pk, employee=roles.employee)


@role_required(PEGAWAI)
def session_new(request, pk: int):
    roles = roles_for(request.user)
    agreement = _own_agreement(roles, pk)
    form = SessionForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        session = apply_service(
            form,
            lambda: session_create(agreement=agreement, actor=roles.employee, **form.cleaned_data),
        )
        if session is not None:
            messages.success(request, _("Pertemuan disimpan sebagai draf."))
            return redirect("records:session_detail", pk=session.pk)
    return render(request, "cmb/session_form.html", {"form": form, "agreement": agreement})


@role_required(PEGAWAI)
def session_edit(request, pk: int):
    roles = roles_for(request.user)
    session = get_own_session(roles, pk)
    if not session.is_editable:
        messages.error(request, _("Pertemuan yang sudah diajukan tidak dapat diubah."))
        return redirect("records:session_detail", pk=pk)
    form = SessionForm(request.POST or None, instance=session, agreement=session.agreement)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.cleaned_data}
        # The form applied the data to `session` already; start again from the stored row so
        # that the service sees (and audits) the change.
        stored = Session.objects.get(pk=pk)
        if apply_service(
            form, lambda: session_update(session=stored, actor=roles.employee, **data)
        ):
            messages.success(request, _("Perubahan disimpan."))
            return redirect("records:session_detail", pk=pk)
    return render(
        request,
        "cmb/session_form.html",
        {"form": form, "agreement": session.agreement, "session": session},
    )


def session_detail(request, pk: int):
    roles = roles_for(request.user)
    session = get_session_for(roles, pk)
    is_owner = roles.employee is not None and session.agreement.employee_id == roles.employee.pk
    value, credit, usage = _credit_view(session)
    timeline = list(AuditEntry.objects.filter(session=session).select_related("actor__employee"))
    for entry in timeline:
        is_edit = entry.action == AuditAction.CHANGED
        entry.change_lines = _change_lines(entry.changes) if is_edit else []
    return render(
        request,
        "cmb/session_detail.html",
        {
            "session": session,
            "agreement": session.agreement,
            "is_owner": is_owner,
            "evidence": session.evidence.all(),
            "evidence_form": EvidenceForm() if is_owner and session.is_editable else None,
            "value": value,
            "credit": credit,
            "usage": usage,
            "timeline": timeline,
            "actions": allowed_actions(session, roles),
        },
    )


def _change_lines(changes: dict) -> list[tuple[str, str | None, str]]:
    """What a "diubah" audit entry changed, as (label, before, after) for the timeline.

    Field edits are stored as {"place": {"dari": ..., "menjadi": ...}} (before is then shown,
    "—" when empty); evidence as {"bukti": {"ditambah": name}} (before is None: no arrow)."""
    lines: list[tuple[str, str | None, str]] = []
    for name, change in changes.items():
        try:
            field = Session._meta.get_field(name)
        except FieldDoesNotExist:
            field, label = None, capfirst(name)
        else:
            label = capfirst(field.verbose_name)
        choices = dict(getattr(field, "flatchoices", None) or ())

        def shown(value, choices=choices):
            value = "" if value in (None, "None") else str(value)
            return str(choices.get(value, value)) or "—"

        if isinstance(change, dict) and {"dari", "menjadi"} >= change.keys():
            lines.append((label, shown(change.get("dari")), shown(change.get("menjadi"))))
        elif isinstance(change, dict):
            lines.extend((f"{label} {what}", None, shown(value)) for what, value in change.items())
        else:
            lines.append((label, None, shown(change)))
    return lines


def _credit_view(session: Session):
    """Booked credit for a verified session; otherwise what it would earn now (projected)."""
    if session.status == SessionStatus.VERIFIED:
        return None, jp.Credit(session.credit_jp, session.credit_reason), None
    if session.status == SessionStatus.REJECTED:
        return None, None, None
    return ledger.preview(session)


@role_required(PEGAWAI)
@require_POST
def session_delete_view(request, pk: int):
    roles = roles_for(request.user)
    session = get_own_session(roles, pk)
    agreement_pk = session.agreement_id
    try:
        session_delete(session=session, actor=roles.employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:session_detail", pk=pk)
    messages.success(request, _("Draf pertemuan dihapus."))
    return redirect("records:agreement_detail", pk=agreement_pk)


@role_required(PEGAWAI)
def session_submit_view(request, pk: int):
    """GET asks for confirmation; POST submits (a second POST changes nothing)."""
    roles = roles_for(request.user)
    session = get_own_session(roles, pk)
    if request.method != "POST" and not session.is_editable:
        messages.info(request, _("Pertemuan ini sudah diajukan."))
        return redirect("records:session_detail", pk=pk)
    if request.method == "POST":
        try:
            session_submit(session=session, actor=roles.employee)
        except TransitionError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Pertemuan diajukan kepada atasan langsung."))
        return redirect("records:session_detail", pk=pk)
    value, credit, usage = _credit_view(session)
    return render(
        request,
        "cmb/session_submit.html",
        {"session": session, "agreement": session.agreement, "credit": credit, "value": value},
    )


@role_required(PEGAWAI)
@require_POST
def evidence_upload(request, pk: int):
    roles = roles_for(request.user)
    session = get_own_session(roles, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_add(session=session, actor=roles.employee, upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Bukti diunggah."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("records:session_detail", pk=pk)


def evidence_download(request, pk: int):
    evidence = get_evidence_for(roles_for(request.user), pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (a partial restore, a hand-cleaned disk): the user sees
        # "not found", the operator a log line to chase.
        logger.warning(
            "evidence file missing on disk: evidence=%s file=%s", evidence.pk, evidence.file.name
        )
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=evidence.content_type == "application/pdf",
        filename=evidence.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@role_required(PEGAWAI)
@require_POST
def evidence_delete_view(request, pk: int):
    roles = roles_for(request.user)
    evidence = get_evidence_for(roles, pk)
    session = get_own_session(roles, evidence.session_id)
    try:
        evidence_delete(evidence=evidence, actor=roles.employee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Bukti dihapus."))
    return redirect("records:session_detail", pk=session.pk)


@role_required(PEGAWAI)
@require_POST
def jp_preview(request):
    """The live JP preview of the session form (htmx): value, what the caps leave, why."""
    roles = roles_for(request.user)
    agreement_pk, session_pk = request.POST.get("agreement", ""), request.POST.get("session", "")
    if not agreement_pk.isdigit() or (session_pk and not session_pk.isdigit()):
        raise Http404
    agreement = _own_agreement(roles, int(agreement_pk))
    instance = get_own_session(roles, int(session_pk)) if session_pk else None
    form = SessionForm(request.POST, agreement=agreement, instance=instance)
    form.is_valid()  # fills cleaned_data with what is usable so far
    data = form.cleaned_data
    context = {"agreement": agreement, "ready": False}
    needs = ["date"] + (["duration_minutes"] if agreement.kind == Activity.BELAJAR_MANDIRI else [])
    if all(data.get(f) for f in needs):
        draft = Session(
            pk=instance.pk if instance else None,
            agreement=agreement,
            date=data["date"],
            start_time=data.get("start_time"),
            scope=data.get("scope") or "nasional",
            duration_minutes=data.get("duration_minutes"),
        )
        value, credit, usage = ledger.preview(draft)
        context.update(
            ready=True, value=value, credit=credit, usage=usage.get(agreement.kind),
            month=draft.date,
        )  # fmt: skip
    return render(request, "cmb/_jp_preview.html", context)


@role_required(PEGAWAI)
def my_records(request):
    """The employee's sessions with filters, progress to 20 JP (verified and projected kept
    apart) and this month's cap use per activity."""
    roles = roles_for(request.user)
    employee = roles.employee
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:
        year = today.year
    sessions = list(ledger.employee_sessions(employee.pk, year).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.only("id", "session_id"))
    ))  # fmt: skip
    book = ledger.build_ledger(sessions, year)
    kind, status = request.GET.get("kegiatan", ""), request.GET.get("status", "")
    shown = [
        s for s in sessions
        if (not kind or s.agreement.kind == kind) and (not status or s.status == status)
    ]  # fmt: skip
    summary = book.summary()
    target = summary.target
    month = today if today.year == year else datetime.date(year, 12, 1)
    years = sorted(
        {today.year, year}
        | set(Session.objects.filter(agreement__employee=employee).dates("date", "year")
              .values_list("date__year", flat=True))
    )  # fmt: skip
    return render(
        request,
        "cmb/my_records.html",
        {
            "year": year,
            "years": years,
            "rows": [(s, book.projected.get(s.pk)) for s in shown],
            "summary": summary,
            "verified": book.verified_total,
            "projected": book.projected_total,
            "verified_pct": min(100, int(book.verified_total / target * 100)),
            "projected_pct": max(
                0,
                min(100, int((book.verified_total + book.projected_total) / target * 100))
                - min(100, int(book.verified_total / target * 100)),
            ),
            "usage": book.month_usage(month),
            "usage_month": month,
            "activities": Activity.choices,
            "statuses": SessionStatus.choices,
            "kind": kind,
            "status": status,
        },
    )
