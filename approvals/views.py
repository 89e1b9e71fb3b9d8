"""Queues and transitions: the atasan's approvals, Biro SDM's verification, bulk actions."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from records import ledger
from records.models import Activity, SessionStatus, UnitKerja
from records.roles import BIRO, PEGAWAI, role_required, roles_for
from records.selectors import get_session_for, sessions_visible_to

from . import services
from .selectors import approval_queue, verification_queue

ACTION_LABELS = {
    services.CONFIRM: gettext_lazy("Konfirmasi"),
    services.APPROVE: gettext_lazy("Setujui"),
    services.RETURN: gettext_lazy("Kembalikan"),
    services.REJECT: gettext_lazy("Tolak"),
    services.VERIFY: gettext_lazy("Verifikasi"),
}
NEEDS_COMMENT = {services.RETURN, services.REJECT}
BULK_ACTIONS = {services.APPROVE, services.VERIFY}


def _rows(sessions, roles):
    """Each session with what it earns as things stand, and what this user may do with it.
    One query for all the ledgers, however long the list."""
    sessions = list(sessions)
    books = ledger.ledgers_for({(s.agreement.employee_id, s.date.year) for s in sessions})
    return [
        {
            "session": s,
            "credit": ledger.outlook(s, books[(s.agreement.employee_id, s.date.year)]),
            "actions": services.allowed_actions(s, roles),
        }
        for s in sessions
    ]


@role_required(PEGAWAI)
def approval_queue_view(request):
    roles = roles_for(request.user)
    rows = _rows(approval_queue(roles.employee), roles)
    return render(request, "approvals/approval_queue.html", {"rows": rows})


@role_required(BIRO)
def verification_queue_view(request):
    roles = roles_for(request.user)
    status = request.GET.get("status", SessionStatus.APPROVED)
    if status not in SessionStatus.values and status != "":
        status = SessionStatus.APPROVED
    kind = request.GET.get("kegiatan", "")
    kind = kind if kind in Activity.values else ""
    unit_id = request.GET.get("unit", "")
    unit_id = int(unit_id) if unit_id.isdigit() else None
    month = None
    if request.GET.get("bulan"):
        try:
            month = datetime.datetime.strptime(request.GET["bulan"], "%Y-%m").date()
        except ValueError:
            messages.error(request, _("Bulan harus ditulis TTTT-BB, misalnya 2022-04."))
    sessions = verification_queue(status=status, unit_id=unit_id, kind=kind, month=month)
    rows = _rows(sessions[:500], roles)
    return render(
        request,
        "approvals/verification_queue.html",
        {
            "rows": rows,
            "truncated": len(rows) == 500,
            "units": UnitKerja.objects.order_by("name"),
            "activities": Activity.choices,
            "statuses": [c for c in SessionStatus.choices if c[0] != SessionStatus.DRAFT],
            "filters": {
                "status": status,
                "kegiatan": kind,
                "unit": unit_id,
                "bulan": request.GET.get("bulan", ""),
            },
        },
    )


@require_POST
def session_action(request, pk: int, action: str):
    """One transition on one session; refusals come back as a message, nothing changes."""
    roles = roles_for(request.user)
    session = get_session_for(roles, pk)
    if action not in ACTION_LABELS:
        raise PermissionDenied
    comment = request.POST.get("comment", "")
    try:
        services.perform(action, session=session, roles=roles, user=request.user, comment=comment)
    except services.TransitionError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(action)s: berhasil.") % {"action": ACTION_LABELS[action]})
    if request.POST.get("next"):
        return redirect(_safe_next(request))
    return redirect("records:session_detail", pk=pk)


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@role_required(PEGAWAI, BIRO)
@require_POST
def bulk_action(request, action: str):
    """Bulk approve (atasan) or verify (Biro SDM): a confirmation page, then each row in its
    own transaction (all-or-nothing per row) with a per-row result."""
    if action not in BULK_ACTIONS:
        raise PermissionDenied
    roles = roles_for(request.user)
    # Biro SDM staff need not be employees in the portal (biro_sdm_grant): they verify, and
    # only an employee can approve as atasan.
    if action == services.VERIFY and not roles.is_biro:
        raise PermissionDenied
    if action == services.APPROVE and not roles.is_pegawai:
        raise PermissionDenied
    ids = [int(i) for i in request.POST.getlist("session") if i.isdigit()]
    sessions = list(sessions_visible_to(roles).filter(pk__in=ids).order_by("date", "id"))
    if not sessions:
        messages.error(request, _("Pilih paling sedikit satu pertemuan."))
        return redirect(_safe_next(request))
    if request.POST.get("confirmed") != "1":
        return render(
            request,
            "approvals/bulk_confirm.html",
            {"rows": _rows(sessions, roles), "action": action, "label": ACTION_LABELS[action],
             "next": _safe_next(request)},
        )  # fmt: skip
    results = []
    for session in sessions:
        try:
            services.perform(action, session=session, roles=roles, user=request.user)
        except services.TransitionError as error:
            results.append((session, False, " ".join(error.messages)))
        else:
            results.append((session, True, ""))
    return render(
        request,
        "approvals/bulk_result.html",
        {"results": results, "label": ACTION_LABELS[action], "next": _safe_next(request),
         "done": sum(1 for _, ok, _ in results if ok)},
    )  # fmt: skip
