"""What each role's home and the unit table show (reads only; SPEC section 6).

- `employee_home`: one employee's year — verified and projected JP against the target, by
  activity, this month's cap use, what waits for them, and the next step suggested.
- `team_progress`: an atasan's direct subordinates with their progress and who is behind pace.
- `unit_table`: the pengelola's (pimpinan's, Biro SDM's) unit and sub-units, one row per active
  employee, with filters and sorting; the same rows feed the CSV/XLSX export.

"Behind pace" is the quarterly recap's rule (reports.recaps.status_for) applied at the end of
the last completed month: 20 JP x completed months / 12, on verified JP. Every JP figure comes
from the ledger (records.ledger, i.e. the engine); queries stay constant with the team or unit
size (one `ledgers_for` call for everyone).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from approvals.selectors import approval_count
from records import jp, ledger
from records.models import (
    Agreement,
    AgreementStatus,
    DevelopmentArea,
    Employee,
    Session,
    SessionStatus,
    UnitKerja,
)
from records.roles import Roles
from records.selectors import agreements_waiting_for

from .models import RecapSubmission
from .recaps import (
    BEHIND,
    ON_TRACK,
    REACHED,
    ROMAN,
    STATUS_LABELS,
    annual_target,
    pace_target,
    status_for,
)


@dataclass(frozen=True)
class MonthPace:
    """The pace at the end of the last completed month (what reports.recaps.pace_target needs)."""

    months_elapsed: int


def pace_at(day: datetime.date, year: int) -> MonthPace:
    """Completed months of `year` on `day`: 0 in January, 12 for a past year."""
    if year < day.year:
        return MonthPace(12)
    if year > day.year:
        return MonthPace(0)
    return MonthPace(day.month - 1)


def _pct(value: Decimal, target: Decimal) -> int:
    return max(0, min(100, int(value / target * 100))) if target else 0


@dataclass(frozen=True)
class Progress:
    """One employee's year as the dashboards show it."""

    employee: Employee
    verified: Decimal
    projected: Decimal
    by_kind: dict[str, Decimal]
    target: Decimal
    pace: Decimal
    status: str

    @property
    def missing(self) -> Decimal:
        return max(self.target - self.verified, Decimal("0.0"))

    @property
    def behind(self) -> bool:
        return self.status == BEHIND

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def verified_pct(self) -> int:
        return _pct(self.verified, self.target)

    @property
    def projected_pct(self) -> int:
        return max(0, _pct(self.verified + self.projected, self.target) - self.verified_pct)

    @property
    def coaching(self) -> Decimal:
        return self.by_kind[jp.COACHING]

    @property
    def mentoring(self) -> Decimal:
        return self.by_kind[jp.MENTORING]

    @property
    def self_learning(self) -> Decimal:
        return self.by_kind[jp.BELAJAR_MANDIRI]


def progress_of(employee: Employee, book: ledger.Ledger, today: datetime.date) -> Progress:
    summary = book.summary()
    pace = pace_at(today, book.year)
    return Progress(
        employee=employee,
        verified=summary.total,
        projected=book.projected_total,
        by_kind=dict(summary.by_kind),
        target=summary.target,
        pace=pace_target(pace),
        status=status_for(summary.total, pace),
    )


# --- The employee ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    text: str
    url: str
    urgent: bool = False


@dataclass
class EmployeeHome:
    year: int
    progress: Progress
    usage: dict[str, jp.MonthUsage]
    usage_month: datetime.date
    waiting_agreements: int
    returned: int
    drafts: int
    pending: int
    to_approve: int  # the approval queue: as atasan, and as coach/mentor confirming first
    steps: list[Step] = field(default_factory=list)


KIND_LABELS = {
    jp.COACHING: "Coaching",
    jp.MENTORING: "Mentoring",
    jp.BELAJAR_MANDIRI: "Belajar Mandiri",
}


def _room_this_month(usage: dict[str, jp.MonthUsage]) -> list[str]:
    return [
        f"{KIND_LABELS[kind]} ({u.used}/{u.limit})" if u.limit else KIND_LABELS[kind]
        for kind, u in usage.items()
        if u.limit is None or u.used < u.limit
    ]


def employee_home(roles: Roles, today: datetime.date) -> EmployeeHome:
    employee = roles.employee
    year = today.year
    sessions = list(ledger.employee_sessions(employee.pk, year))
    book = ledger.build_ledger(sessions, year)
    counts = {status: 0 for status in SessionStatus.values}
    for session in sessions:
        counts[session.status] += 1
    # Returned sessions from earlier years still wait for a fix too.
    returned = Session.objects.filter(
        agreement__employee=employee, status=SessionStatus.RETURNED
    ).count()
    home = EmployeeHome(
        year=year,
        progress=progress_of(employee, book, today),
        usage=book.month_usage(today),
        usage_month=today,
        waiting_agreements=agreements_waiting_for(employee).count(),
        returned=returned,
        drafts=counts[SessionStatus.DRAFT],
        pending=counts[SessionStatus.SUBMITTED] + counts[SessionStatus.APPROVED],
        # Not only an atasan's: a coach/mentor outside the line confirms sessions first.
        to_approve=approval_count(employee),
    )
    has_area = DevelopmentArea.objects.filter(employee=employee, year=year).exists()
    has_agreement = Agreement.objects.filter(
        employee=employee, status=AgreementStatus.ACTIVE, area__year=year
    ).exists()
    home.steps = next_steps(home, has_area=has_area, has_agreement=has_agreement)
    return home


def next_steps(home: EmployeeHome, *, has_area: bool, has_agreement: bool) -> list[Step]:
    """What to do next, most pressing first."""
    records = reverse("records:my_records")
    steps = []
    if home.returned:
        steps.append(
            Step(
                _("Perbaiki %(n)s pertemuan yang dikembalikan atasan, lalu ajukan lagi.")
                % {"n": home.returned},
                f"{records}?status=returned",
                urgent=True,
            )
        )
    if home.waiting_agreements:
        steps.append(
            Step(
                _("Jawab %(n)s kesepakatan CMB yang menunggu jawaban Anda.")
                % {"n": home.waiting_agreements},
                reverse("records:agreement_list"),
                urgent=True,
            )
        )
    if home.to_approve:
        steps.append(
            Step(
                _("%(n)s pertemuan menunggu persetujuan atau konfirmasi Anda.")
                % {"n": home.to_approve},
                reverse("approvals:approval_queue"),
                urgent=True,
            )
        )
    if home.drafts:
        steps.append(
            Step(
                _("Ajukan %(n)s draf pertemuan kepada atasan.") % {"n": home.drafts},
                f"{records}?status=draft",
            )
        )
    if not has_area:
        steps.append(
            Step(
                _("Tetapkan area pengembangan kompetensi Anda tahun %(year)s.")
                % {"year": home.year},
                reverse("records:area_list"),
            )
        )
    elif not has_agreement:
        steps.append(
            Step(
                _("Buat kesepakatan coaching, mentoring atau belajar mandiri."),
                reverse("records:agreement_list"),
            )
        )
    progress = home.progress
    if progress.status != REACHED and progress.verified + progress.projected < progress.target:
        room = _room_this_month(home.usage)
        if room:
            steps.append(
                Step(
                    _("Bulan %(month)s masih dapat dihitung: %(room)s.")
                    % {"month": jp.nama_bulan(home.usage_month.month), "room": ", ".join(room)},
                    reverse("records:agreement_list"),
                )
            )
    if progress.status == REACHED:
        steps.append(
            Step(
                _("Target %(target)s JP tahun %(year)s sudah tercapai.")
                % {"target": f"{progress.target:.0f}", "year": home.year},
                reverse("reports:my_certificates"),
            )
        )
    return steps


# --- The atasan's team ----------------------------------------------------------------------


@dataclass
class Team:
    year: int
    members: list[Progress]
    to_approve: int

    @property
    def behind(self) -> list[Progress]:
        return [m for m in self.members if m.behind]


def team_progress(roles: Roles, today: datetime.date) -> Team:
    members = list(
        Employee.objects.filter(atasan=roles.employee, active=True)
        .select_related("unit")
        .order_by("name", "pk")
    )
    books = ledger.ledgers_for({(m.pk, today.year) for m in members})
    return Team(
        year=today.year,
        members=[progress_of(m, books[(m.pk, today.year)], today) for m in members],
        to_approve=approval_count(roles.employee),
    )


# --- The unit table ---------------------------------------------------------------------------

SORTS = {
    "nama": lambda p: (p.employee.name.lower(), p.employee.pk),
    "unit": lambda p: (p.employee.unit.name, p.employee.name.lower(), p.employee.pk),
    "terverifikasi": lambda p: (p.verified, p.employee.name.lower()),
}
STATUS_FILTERS = (REACHED, ON_TRACK, BEHIND)
PAGE_SIZE = 100


@dataclass
class UnitTable:
    unit: UnitKerja
    year: int
    rows: list[Progress]
    total: int
    on_track: int
    pace: Decimal
    target: Decimal
    submissions: dict[int, RecapSubmission | None]
    page: int = 1
    pages: int = 1
    shown_from: int = 0
    matching: int = 0

    @property
    def page_numbers(self) -> range:
        return range(1, self.pages + 1)

    @property
    def quarters(self) -> list[tuple[str, RecapSubmission | None]]:
        """[("I", submission or None), ... ("IV", ...)]"""
        return [(ROMAN[q], self.submissions[q]) for q in range(1, 5)]

    @property
    def on_track_pct(self) -> int:
        return round(self.on_track / self.total * 100) if self.total else 0


def _subtree(unit: UnitKerja) -> list[int]:
    """The unit and every unit below it, from one query of the whole (small) unit tree."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in UnitKerja.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [unit.pk]
    while todo:
        pk = todo.pop()
        found.append(pk)
        todo.extend(children.get(pk, []))
    return found


def unit_table(
    unit: UnitKerja,
    *,
    year: int,
    today: datetime.date,
    status: str = "",
    query: str = "",
    sort: str = "nama",
    descending: bool = False,
    page: int | None = 1,
) -> UnitTable:
    """Every active employee of the unit tree, filtered and sorted on the verified figures
    (one aggregate query of the credit the engine froze at verification, whatever the size);
    the projection of pending sessions (the engine, through `ledgers_for`) is computed only for
    the rows shown: the page (PAGE_SIZE rows), or all rows when `page` is None (the export)."""
    employees = list(
        Employee.objects.select_related("unit").filter(unit_id__in=_subtree(unit), active=True)
    )
    verified = ledger.verified_by_kind([e.pk for e in employees], year)
    pace = pace_at(today, year)
    target = annual_target()
    rows = []
    for e in employees:
        by_kind = dict.fromkeys(KIND_LABELS, Decimal("0.0"))
        for kind, credit in verified.get(e.pk, {}).items():
            by_kind[kind] += credit
        total = sum(by_kind.values(), Decimal("0.0"))
        rows.append(
            Progress(
                employee=e,
                verified=total,
                projected=Decimal("0.0"),
                by_kind=by_kind,
                target=target,
                pace=pace_target(pace),
                status=status_for(total, pace),
            )
        )
    total_count = len(rows)
    on_track = sum(1 for r in rows if r.status != BEHIND)
    if query:
        q = query.lower()
        rows = [r for r in rows if q in r.employee.name.lower() or r.employee.nip.startswith(q)]
    if status:
        rows = [r for r in rows if r.status == status]
    rows.sort(key=SORTS.get(sort, SORTS["nama"]), reverse=descending)
    matching = len(rows)
    pages = max(1, -(-matching // PAGE_SIZE))
    shown_from = 0
    if page is not None:
        page = min(max(page, 1), pages)
        shown_from = (page - 1) * PAGE_SIZE
        rows = rows[shown_from : shown_from + PAGE_SIZE]
    books = ledger.ledgers_for({(r.employee.pk, year) for r in rows})
    rows = [replace(r, projected=books[(r.employee.pk, year)].projected_total) for r in rows]
    submissions: dict[int, RecapSubmission | None] = dict.fromkeys(range(1, 5))
    for submission in (
        RecapSubmission.objects.filter(unit=unit, year=year)
        .select_related("submitted_by__employee")
        .order_by("submitted_at")
    ):
        submissions[submission.quarter] = submission  # the latest wins
    return UnitTable(
        unit=unit,
        year=year,
        rows=rows,
        total=total_count,
        on_track=on_track,
        pace=pace_target(pace),
        target=target,
        submissions=submissions,
        page=page or 1,
        pages=pages if page is not None else 1,
        shown_from=shown_from,
        matching=matching,
    )
