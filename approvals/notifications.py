"""E-mail to whoever must act next; sent after the transition's transaction commits."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail

from records.models import Session

from .models import AuditAction

log = logging.getLogger(__name__)

_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def notifications_muted():
    """No mail while building demo data: nobody is waiting for those transitions."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


SUBJECTS = {
    AuditAction.SUBMITTED: "Pertemuan CMB menunggu persetujuan Anda",
    AuditAction.CONFIRMED: "Pertemuan CMB sudah dikonfirmasi coach/mentor",
    AuditAction.APPROVED: "Pertemuan CMB menunggu verifikasi Biro SDM",
    AuditAction.RETURNED: "Pertemuan CMB Anda dikembalikan untuk perbaikan",
    AuditAction.REJECTED: "Pertemuan CMB Anda ditolak",
    AuditAction.VERIFIED: "Pertemuan CMB Anda sudah diverifikasi",
}


def recipients(session: Session, action: str) -> list[str]:
    agreement = session.agreement
    employee = agreement.employee
    if action == AuditAction.SUBMITTED:
        people = [agreement.mentor] if session.needs_mentor_confirmation else [employee.atasan]
    elif action == AuditAction.CONFIRMED:
        people = [employee.atasan]
    elif action == AuditAction.APPROVED:
        # Biro SDM works from its queue; no mail to the whole bureau for each approval.
        people = []
    else:
        people = [employee]
    return [p.user.email for p in people if p is not None and p.user.email]


def notify_transition(session_id: int, action: str) -> None:
    if _muted.get():
        return
    session = (
        Session.objects.select_related(
            "agreement__employee__user",
            "agreement__employee__atasan__user",
            "agreement__mentor__user",
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return
    to = recipients(session, action)
    if not to:
        return
    agreement = session.agreement
    body = (
        f"{agreement.get_kind_display()} — {agreement.title}\n"
        f"Pegawai: {agreement.employee.name} ({agreement.employee.nip})\n"
        f"Pertemuan ke-{session.number}, {session.date:%d-%m-%Y}\n"
        f"{SUBJECTS[action]}.\n\n"
        "Buka CMB Portal untuk melihat rinciannya."
    )
    try:
        send_mail(SUBJECTS[action], body, settings.DEFAULT_FROM_EMAIL, to)
    except OSError:
        # The transition already happened; a mail server outage must not undo it.
        log.exception("notification for session %s (%s) not sent", session_id, action)
