"""The session workflow: one state machine, one service per transition (SPEC section 4).

    draft/returned --submit--> submitted --approve--> approved --verify--> verified
    submitted --return (atasan)--> returned;  approved --return (Biro SDM)--> returned
    approved --reject (Biro SDM)--> rejected (final)
    submitted --confirm--> submitted, by a coach/mentor who is a portal user other than the
      atasan; the atasan can approve only after it.

Each transition locks the session row, re-checks state and actor after the lock (so two
people acting at once, or a form sent twice, give one transition), writes one audit entry,
and queues its notifications with transaction.on_commit.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from records import ledger
from records.models import Employee, Session, SessionStatus
from records.roles import Roles

from .audit import audit_record
from .models import AuditAction

S = SessionStatus


class TransitionError(ValidationError):
    """A transition that is not allowed now, for this user; the message says why."""


def _locked(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("agreement__employee__atasan", "agreement__mentor")
        .get(pk=session.pk)
    )


def _require_state(session: Session, allowed: tuple[str, ...], doing: str) -> None:
    if session.status not in allowed:
        raise TransitionError(
            f"Pertemuan ini berstatus '{session.get_status_display()}', tidak dapat {doing}."
        )


def _require_comment(comment: str) -> str:
    if not comment.strip():
        raise TransitionError("Tuliskan komentar: pegawai perlu tahu apa yang harus diperbaiki.")
    return comment.strip()


def _move(session: Session, to: str, actor, action: str, comment: str = "", **fields) -> Session:
    before = session.status
    session.status = to
    for name, value in fields.items():
        setattr(session, name, value)
    session.save(update_fields=["status", "updated_at", *fields])
    audit_record(
        session=session,
        actor=actor,
        action=action,
        from_status=before,
        to_status=to,
        comment=comment,
        changes={k: str(v) for k, v in fields.items() if k.startswith("credit")},
    )
    from .notifications import notify_transition

    transaction.on_commit(lambda: notify_transition(session.pk, action))
    return session


@transaction.atomic
def session_submit(*, session: Session, actor: Employee, today: datetime.date | None = None):
    session = _locked(session)
    if session.agreement.employee_id != actor.pk:
        raise TransitionError("Hanya pegawai yang bersangkutan yang dapat mengajukan pertemuan.")
    _require_state(session, (S.DRAFT, S.RETURNED), "diajukan")
    if session.date > (today or timezone.localdate()):
        raise TransitionError("Pertemuan yang belum terjadi tidak dapat diajukan.")
    if session.agreement.employee.atasan_id is None:
        raise TransitionError("Anda belum memiliki atasan langsung di portal; hubungi pengelola.")
    return _move(
        session, S.SUBMITTED, actor.user, AuditAction.SUBMITTED,
        submitted_at=timezone.now(), mentor_confirmed_at=None,
    )  # fmt: skip


@transaction.atomic
def session_confirm(*, session: Session, actor: Employee) -> Session:
    session = _locked(session)
    if not session.needs_mentor_confirmation or session.agreement.mentor_id != actor.pk:
        raise TransitionError("Hanya coach/mentor pertemuan ini yang dapat mengonfirmasi.")
    _require_state(session, (S.SUBMITTED,), "dikonfirmasi")
    if session.mentor_confirmed_at:
        raise TransitionError("Pertemuan ini sudah Anda konfirmasi.")
    session.mentor_confirmed_at = timezone.now()
    session.save(update_fields=["mentor_confirmed_at", "updated_at"])
    audit_record(
        session=session, actor=actor.user, action=AuditAction.CONFIRMED,
        from_status=session.status, to_status=session.status,
    )  # fmt: skip
    from .notifications import notify_transition

    transaction.on_commit(lambda: notify_transition(session.pk, AuditAction.CONFIRMED))
    return session


def _require_atasan(session: Session, actor: Employee) -> None:
    if session.agreement.employee.atasan_id != actor.pk:
        raise TransitionError("Hanya atasan langsung pegawai ini yang dapat melakukannya.")


@transaction.atomic
def session_approve(*, session: Session, actor: Employee) -> Session:
    session = _locked(session)
    _require_atasan(session, actor)
    _require_state(session, (S.SUBMITTED,), "disetujui")
    if session.needs_mentor_confirmation and not session.mentor_confirmed_at:
        raise TransitionError(
            f"Menunggu konfirmasi dari coach/mentor ({session.agreement.mentor_name})."
        )
    return _move(session, S.APPROVED, actor.user, AuditAction.APPROVED)


@transaction.atomic
def session_return(*, session: Session, actor_roles: Roles, actor, comment: str) -> Session:
    session = _locked(session)
    comment = _require_comment(comment)
    if session.status == S.SUBMITTED:
        if actor_roles.employee is None:
            raise TransitionError("Hanya atasan langsung pegawai ini yang dapat melakukannya.")
        _require_atasan(session, actor_roles.employee)
    elif session.status == S.APPROVED:
        if not actor_roles.is_biro:
            raise TransitionError(
                "Pertemuan yang sudah disetujui hanya dapat dikembalikan Biro SDM."
            )
    else:
        _require_state(session, (S.SUBMITTED, S.APPROVED), "dikembalikan")
    return _move(session, S.RETURNED, actor, AuditAction.RETURNED, comment)


def _require_biro(actor_roles: Roles) -> None:
    if not actor_roles.is_biro:
        raise TransitionError("Hanya Biro SDM yang dapat melakukannya.")


@transaction.atomic
def session_reject(*, session: Session, actor_roles: Roles, actor, comment: str) -> Session:
    _require_biro(actor_roles)
    session = _locked(session)
    comment = _require_comment(comment)
    _require_state(session, (S.APPROVED,), "ditolak")
    return _move(session, S.REJECTED, actor, AuditAction.REJECTED, comment)


@transaction.atomic
def session_verify(*, session: Session, actor_roles: Roles, actor) -> Session:
    """Book the session's credit (capacity left after what is verified) and freeze it."""
    _require_biro(actor_roles)
    session = _locked(session)
    _require_state(session, (S.APPROVED,), "diverifikasi")
    # Serialise bookings per employee: the credit depends on what else is verified in the
    # same month and day, so two verifications for one employee must not interleave.
    Employee.objects.select_for_update().filter(pk=session.agreement.employee_id).first()
    credit = ledger.book(session)
    return _move(
        session, S.VERIFIED, actor, AuditAction.VERIFIED,
        credit_jp=credit.jp, credit_reason=credit.reason, verified_at=timezone.now(),
    )  # fmt: skip


# --- What a user may do now (for buttons; each service checks the same conditions) ----------

CONFIRM, APPROVE, RETURN, REJECT, VERIFY = "confirm", "approve", "return", "reject", "verify"


def allowed_actions(session: Session, roles: Roles) -> list[str]:
    me = roles.employee.pk if roles.employee is not None else None
    agreement = session.agreement
    is_atasan = me is not None and agreement.employee.atasan_id == me
    actions = []
    if session.status == S.SUBMITTED:
        waiting_for_mentor = session.needs_mentor_confirmation and not session.mentor_confirmed_at
        if waiting_for_mentor and agreement.mentor_id == me:
            actions.append(CONFIRM)
        if is_atasan and not waiting_for_mentor:
            actions.append(APPROVE)
        if is_atasan:
            actions.append(RETURN)
    elif session.status == S.APPROVED and roles.is_biro:
        actions += [VERIFY, RETURN, REJECT]
    return actions


def perform(action: str, *, session: Session, roles: Roles, user, comment: str = "") -> Session:
    """Run one transition by name as `user` (used by the single and the bulk views)."""
    if action == CONFIRM:
        return session_confirm(session=session, actor=_employee(roles))
    if action == APPROVE:
        return session_approve(session=session, actor=_employee(roles))
    if action == RETURN:
        return session_return(session=session, actor_roles=roles, actor=user, comment=comment)
    if action == REJECT:
        return session_reject(session=session, actor_roles=roles, actor=user, comment=comment)
    if action == VERIFY:
        return session_verify(session=session, actor_roles=roles, actor=user)
    raise TransitionError("Tindakan tidak dikenal.")


def _employee(roles: Roles) -> Employee:
    if roles.employee is None:
        raise TransitionError("Hanya pegawai yang dapat melakukannya.")
    return roles.employee
