"""Reads for the workflow: the atasan's and Biro SDM's queues, with their joins applied."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from records.models import Employee, Session, SessionStatus

QUEUE_JOINS = (
    "agreement__employee__unit",
    "agreement__employee__atasan",
    "agreement__mentor",
    "agreement__atasan",
    "source",
)


def approval_queue(employee: Employee) -> QuerySet[Session]:
    """What waits for this employee as atasan (submitted sessions of direct subordinates, once
    any coach/mentor has confirmed) or as a coach/mentor who must confirm first."""
    confirmed_or_not_needed = (
        Q(mentor_confirmed_at__isnull=False)
        | Q(agreement__mentor__isnull=True)
        | Q(agreement__mentor=employee)
    )
    as_atasan = Q(agreement__employee__atasan=employee) & confirmed_or_not_needed
    as_mentor = Q(agreement__mentor=employee, mentor_confirmed_at__isnull=True) & ~Q(
        agreement__employee__atasan=employee
    )
    return (
        Session.objects.select_related(*QUEUE_JOINS)
        .filter(status=SessionStatus.SUBMITTED)
        .filter(as_atasan | as_mentor)
        .order_by("submitted_at", "id")
    )


def verification_queue(
    *,
    status: str = SessionStatus.APPROVED,
    unit_id: int | None = None,
    kind: str = "",
    month: datetime.date | None = None,
) -> QuerySet[Session]:
    sessions = Session.objects.select_related(*QUEUE_JOINS)
    if status:
        sessions = sessions.filter(status=status)
    else:
        sessions = sessions.exclude(status=SessionStatus.DRAFT)
    if unit_id:
        sessions = sessions.filter(agreement__employee__unit_id=unit_id)
    if kind:
        sessions = sessions.filter(agreement__kind=kind)
    if month:
        sessions = sessions.filter(date__year=month.year, date__month=month.month)
    return sessions.order_by("date", "start_time", "id")


def approval_count(employee: Employee | None) -> int:
    return approval_queue(employee).count() if employee is not None else 0


def verification_count() -> int:
    return Session.objects.filter(status=SessionStatus.APPROVED).count()
