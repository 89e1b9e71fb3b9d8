"""Monitoring for the pimpinan and Biro SDM (SPEC section 6): per unit the share of employees
on track, verified JP by activity and by month, the verification backlog and its age, and the
recap submissions per quarter.

Rows are the chosen unit's child units (each with its whole subtree) plus the unit's own
employees; Biro SDM starts from the top-level units. Everything is read in a constant number of
queries: the unit tree, the employees, the verified credit summed per employee and activity
and, for the chart, per activity and month (`ledger.verified_by_kind`, `verified_by_month`: the
credit the engine froze at verification; nothing here converts JP), the waiting sessions with
their approval time, and the submissions.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from approvals.models import AuditAction, AuditEntry
from records import jp, ledger
from records.models import Employee, Session, SessionStatus, UnitKerja
from records.roles import Roles

from .dashboards import pace_at
from .models import RecapSubmission
from .recaps import BEHIND, status_for

ZERO = Decimal("0.0")
KINDS = (jp.COACHING, jp.MENTORING, jp.BELAJAR_MANDIRI)


@dataclass
class UnitRow:
    unit: UnitKerja
    own_only: bool  # the chosen unit's own employees, without its sub-units
    employees: int = 0
    on_track: int = 0
    jp: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))
    submitted: dict[int, RecapSubmission | None] = field(
        default_factory=lambda: dict.fromkeys(range(1, 5))
    )

    @property
    def on_track_pct(self) -> int:
        return round(self.on_track / self.employees * 100) if self.employees else 0

    @property
    def total(self) -> Decimal:
        return sum(self.jp.values(), ZERO)

    @property
    def quarters(self) -> list[tuple[int, RecapSubmission | None]]:
        return list(self.submitted.items())


@dataclass(frozen=True)
class Backlog:
    """Sessions waiting at one step, with the age of the oldest and the median age in days."""

    count: int
    oldest_days: int | None
    median_days: float | None


def _backlog(ages: list[int]) -> Backlog:
    if not ages:
        return Backlog(0, None, None)
    return Backlog(len(ages), max(ages), statistics.median(ages))


@dataclass
class Monitoring:
    unit: UnitKerja | None
    year: int
    rows: list[UnitRow]
    total: UnitRow
    months: list[dict[str, Decimal]]  # 12 x {kind: verified JP}
    waiting_atasan: Backlog
    waiting_biro: Backlog


def monitoring_units(roles: Roles):
    """The units this user may monitor: every unit for Biro SDM, the headed units (with their
    sub-units) for a pimpinan."""
    units = UnitKerja.objects.order_by("name")
    if roles.is_biro:
        return units
    return units.filter(pk__in=roles.headed_unit_ids)


def _tree() -> tuple[dict[int, UnitKerja], dict[int | None, list[int]]]:
    units = {u.pk: u for u in UnitKerja.objects.all()}
    children: dict[int | None, list[int]] = {}
    for unit in units.values():
        children.setdefault(unit.parent_id, []).append(unit.pk)
    return units, children


def _subtree(pk: int, children) -> list[int]:
    found, todo = [], [pk]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def monitoring(
    roles: Roles, *, unit: UnitKerja | None, year: int, today: datetime.date | None = None
) -> Monitoring:
    today = today or timezone.localdate()
    units, children = _tree()
    if unit is None:
        # Biro SDM: the top-level units; a pimpinan: the units they head that have no headed
        # parent (normally one).
        heads = set(roles.headed_unit_ids)
        tops = (
            children.get(None, [])
            if roles.is_biro
            else [pk for pk in heads if units[pk].parent_id not in heads]
        )
        if len(tops) == 1:
            unit = units[tops[0]]  # one tree (one agency, one headed unit): open it
        else:
            groups = [(units[pk], _subtree(pk, children), False) for pk in sorted(tops)]
    if unit is not None:
        groups = [(unit, [unit.pk], True)] + [
            (units[pk], _subtree(pk, children), False) for pk in children.get(unit.pk, [])
        ]
    row_of_unit: dict[int, UnitRow] = {}
    rows = []
    for head, members, own_only in groups:
        row = UnitRow(unit=head, own_only=own_only)
        rows.append(row)
        for pk in members:
            row_of_unit[pk] = row
    employees = list(
        Employee.objects.filter(unit_id__in=row_of_unit, active=True).only("pk", "unit_id")
    )
    ids = [e.pk for e in employees]
    verified = ledger.verified_by_kind(ids, year)
    pace = pace_at(today, year)
    for employee in employees:
        row = row_of_unit[employee.unit_id]
        credits = verified.get(employee.pk, {})
        row.employees += 1
        if status_for(sum(credits.values(), ZERO), pace) != BEHIND:
            row.on_track += 1
        for kind, credit in credits.items():
            row.jp[kind] += credit
    months = [dict.fromkeys(KINDS, ZERO) for _ in range(12)]
    for (kind, month), credit in ledger.verified_by_month(ids, year).items():
        months[month - 1][kind] = credit
    for submission in RecapSubmission.objects.filter(
        unit_id__in=[r.unit.pk for r in rows], year=year
    ).order_by("submitted_at"):
        for row in rows:
            if row.unit.pk == submission.unit_id:
                row.submitted[submission.quarter] = submission
    rows = [r for r in rows if r.employees or not r.own_only]
    total = UnitRow(unit=unit, own_only=False)
    for row in rows:
        total.employees += row.employees
        total.on_track += row.on_track
        for kind in KINDS:
            total.jp[kind] += row.jp[kind]
    waiting_atasan, waiting_biro = backlog(list(row_of_unit), today)
    return Monitoring(unit, year, rows, total, months, waiting_atasan, waiting_biro)


def backlog(unit_ids: list[int], today: datetime.date) -> tuple[Backlog, Backlog]:
    """Sessions of these units waiting for the atasan (since submission) and for Biro SDM
    (since the atasan's approval, from the audit trail), ages in whole days."""
    waiting = Session.objects.filter(
        agreement__employee__unit_id__in=unit_ids,
        status__in=(SessionStatus.SUBMITTED, SessionStatus.APPROVED),
    ).values_list("pk", "status", "submitted_at")
    waiting = list(waiting)
    approved_ids = [pk for pk, status, _ in waiting if status == SessionStatus.APPROVED]
    approved_at = dict(
        AuditEntry.objects.filter(session_id__in=approved_ids, action=AuditAction.APPROVED)
        .values("session_id")
        .annotate(at=Max("at"))
        .values_list("session_id", "at")
    )
    atasan, biro = [], []
    for pk, status, submitted_at in waiting:
        since = approved_at.get(pk) if status == SessionStatus.APPROVED else submitted_at
        if since is None:
            continue
        age = (today - timezone.localtime(since).date()).days
        (biro if status == SessionStatus.APPROVED else atasan).append(age)
    return _backlog(atasan), _backlog(biro)
