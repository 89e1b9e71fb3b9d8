"""The bridge between stored sessions and the JP engine (records.jp).

JP is computed only by records.jp; this module only turns sessions into the engine's
Activities and hands it the ledger: verified sessions with their booked (frozen) credit, and
pending ones (submitted, approved) to project in meeting order. Drafts, returned and rejected
sessions hold no capacity (SPEC section 5).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from . import jp
from .models import PENDING_STATUSES, Activity, Session, SessionStatus


class _DraftKey:
    """The preview's key for a session not saved yet. It equals no primary key (so it cannot
    collide with a pending session's key in `jp.project`, which refuses shared keys) and sorts
    after every one of them, so at the same date and start time the draft comes after the
    sessions already submitted: "as if it were submitted next" (SPEC section 5), which is where
    the primary key it gets on saving would put it."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return other is self

    def __gt__(self, other: object) -> bool:
        return other is not self

    def __ge__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "DRAFT_KEY"


DRAFT_KEY = _DraftKey()


def policy() -> jp.Policy:
    return jp.POLICIES[settings.CMB_POLICY]


def to_activity(session: Session, *, key: int | None = None) -> jp.Activity:
    return _activity(
        session.pk if key is None else key,
        session.agreement.kind,
        session.scope,
        session.date,
        session.start_time,
        session.duration_minutes,
    )


def _activity(key, kind: str, scope: str, on, start, minutes) -> jp.Activity:
    """A stored session as the engine sees it (minutes count only for belajar mandiri)."""
    return jp.Activity(
        key=key, kind=kind, scope=scope, on=on, start=start,
        minutes=minutes if kind == Activity.BELAJAR_MANDIRI else None,
    )  # fmt: skip


@dataclass(frozen=True)
class Ledger:
    """One employee's year: what is booked (verified) and what pending sessions project to."""

    year: int
    booked: list[tuple[jp.Activity, Decimal]]
    pending: list[jp.Activity]
    projected: dict[int, jp.Credit]

    @property
    def verified_total(self) -> Decimal:
        return sum((credit for _, credit in self.booked), Decimal("0.0"))

    @property
    def projected_total(self) -> Decimal:
        return sum((c.jp for c in self.projected.values()), Decimal("0.0"))

    def summary(self) -> jp.YearSummary:
        return jp.year_summary(policy(), self.booked, self.year)

    def entries(self) -> list[tuple[jp.Activity, Decimal]]:
        """Booked and projected together (for "this month's cap use")."""
        return self.booked + [(a, self.projected[a.key].jp) for a in self.pending]

    def month_usage(self, on: datetime.date) -> dict[str, jp.MonthUsage]:
        return jp.month_usage(policy(), self.entries(), on.year, on.month)


def build_ledger(sessions: list[Session], year: int) -> Ledger:
    """`sessions`: one employee's sessions of `year` (any status), agreement already joined."""
    booked, pending = [], []
    for session in sessions:
        if session.status == SessionStatus.VERIFIED:
            booked.append((to_activity(session), session.credit_jp))
        elif session.status in PENDING_STATUSES:
            pending.append(to_activity(session))
    return Ledger(year, booked, pending, jp.project(policy(), pending, booked))


def employee_sessions(employee_id: int, year: int):
    return (
        Session.objects.select_related("agreement")
        .filter(agreement__employee_id=employee_id, date__year=year)
        .order_by("date", "start_time", "id")
    )


# What a ledger reads of a session, as plain values: the queues and reports build ledgers for
# thousands of sessions at once, and making a model instance (with its agreement) of each row
# cost more than everything else on those pages.
_LEDGER_VALUES = (
    "id", "agreement__employee_id", "agreement__kind", "scope", "date", "start_time",
    "duration_minutes", "status", "credit_jp",
)  # fmt: skip


def ledger_for(employee_id: int, year: int, *, exclude_session_id: int | None = None) -> Ledger:
    return ledgers_for({(employee_id, year)}, exclude_session_id=exclude_session_id)[
        (employee_id, year)
    ]


def ledgers_for(
    pairs: set[tuple[int, int]], *, exclude_session_id: int | None = None
) -> dict[tuple[int, int], Ledger]:
    """Ledgers of many (employee id, year) pairs from one query (for queues and reports)."""
    if not pairs:
        return {}
    employees = {e for e, _ in pairs}
    years = {y for _, y in pairs}
    grouped: dict[tuple[int, int], tuple[list, list]] = {pair: ([], []) for pair in pairs}
    # A date range, not date__year__in (EXTRACT(year ...) cannot use the date index); rows of
    # a year no pair asks for are skipped below.
    sessions = Session.objects.filter(
        agreement__employee_id__in=employees,
        date__gte=datetime.date(min(years), 1, 1),
        date__lte=datetime.date(max(years), 12, 31),
    )
    if exclude_session_id is not None:
        sessions = sessions.exclude(pk=exclude_session_id)
    rows = sessions.order_by("date", "start_time", "id").values_list(*_LEDGER_VALUES)
    for pk, employee_id, kind, scope, on, start, minutes, status, credit in rows:
        entry = grouped.get((employee_id, on.year))
        if entry is None or (status != SessionStatus.VERIFIED and status not in PENDING_STATUSES):
            continue
        activity = _activity(pk, kind, scope, on, start, minutes)
        if status == SessionStatus.VERIFIED:
            entry[0].append((activity, credit))
        else:
            entry[1].append(activity)
    return {
        pair: Ledger(pair[1], booked, pending, jp.project(policy(), pending, booked))
        for pair, (booked, pending) in grouped.items()
    }


def preview(session: Session) -> tuple[Decimal, jp.Credit, dict[str, jp.MonthUsage]]:
    """What a session being written would earn if submitted now: (value, projected credit,
    the month's cap use by the employee's other sessions). The session need not be saved."""
    others = ledger_for(
        session.agreement.employee_id, session.date.year, exclude_session_id=session.pk
    )
    key = DRAFT_KEY if session.pk is None else session.pk
    activity = to_activity(session, key=key)
    projected = jp.project(policy(), [*others.pending, activity], others.booked)
    return jp.value_of(policy(), activity), projected[key], others.month_usage(session.date)


def book(session: Session) -> jp.Credit:
    """The credit verification freezes: capacity left after what is already verified."""
    ledger = ledger_for(
        session.agreement.employee_id, session.date.year, exclude_session_id=session.pk
    )
    return jp.credit_for(policy(), to_activity(session), ledger.booked)


def outlook(session: Session, book: Ledger) -> jp.Credit | None:
    """What a session earns as things stand: its booked credit once verified; before that,
    the capacity verification would give it now (after the verified sessions only)."""
    if session.status == SessionStatus.VERIFIED:
        return jp.Credit(session.credit_jp, session.credit_reason)
    if session.status in PENDING_STATUSES:
        return jp.credit_for(policy(), to_activity(session), book.booked)
    return None


def _verified(employee_ids, year: int):
    return Session.objects.filter(
        agreement__employee_id__in=employee_ids,
        date__gte=datetime.date(year, 1, 1),
        date__lte=datetime.date(year, 12, 31),
        status=SessionStatus.VERIFIED,
    ).order_by()


def verified_by_kind(employee_ids, year: int) -> dict[int, dict[str, Decimal]]:
    """The booked (verified) credit of many employees in a year, summed per activity, from one
    aggregate query. The credit was frozen by the engine at verification, so these sums are
    exactly what `Ledger.summary()` adds up; for pages that need no projection of pending
    sessions (monitoring, the unit table) over thousands of employees."""
    from django.db.models import Sum

    rows = (
        _verified(employee_ids, year)
        .values("agreement__employee_id", "agreement__kind")
        .annotate(jp=Sum("credit_jp"))
        .values_list("agreement__employee_id", "agreement__kind", "jp")
    )
    found: dict[int, dict[str, Decimal]] = {}
    for employee_id, kind, total in rows:
        found.setdefault(employee_id, {})[kind] = total or Decimal("0.0")
    return found


def verified_by_month(employee_ids, year: int) -> dict[tuple[str, int], Decimal]:
    """The booked credit of all these employees together per (activity, month): at most 36
    rows from one aggregate query, however many employees."""
    from django.db.models import Sum
    from django.db.models.functions import ExtractMonth

    rows = (
        _verified(employee_ids, year)
        .annotate(month=ExtractMonth("date"))
        .values("agreement__kind", "month")
        .annotate(jp=Sum("credit_jp"))
        .values_list("agreement__kind", "month", "jp")
    )
    return {(kind, month): total or Decimal("0.0") for kind, month, total in rows}
