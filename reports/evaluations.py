"""The 4-monthly evaluation (SE Kepala BKN 3/2022 angka 5.f.5-6; SPEC section 6).

Biro SDM runs the evaluation of a period (I: Januari–April, II: Mei–Agustus, III:
September–Desember) once the period is over. Every active employee is looked at as things stood
at the period's end, and flagged when

- **tidak dapat mencapai 20 JP**: the JP engine's `max_attainable` (what is verified up to the
  period's end plus the best the policy's caps still allow from the next day to 31 December) is
  below the annual target; or else
- **di bawah target berjalan**: the JP verified up to the period's end is below the pace target,
  20 JP × months elapsed / 12, compared exactly (`reports.recaps.behind_pace`, the rule of
  every screen: 13.3 JP is below 40/3). The pace
  shown and stored is the recap's rounded figure (`reports.recaps.pace_target`: 6.7, 13.3, 20.0).

Only sessions dated up to the period's end count (by meeting date, as in the recap), with the
credit booked at verification; pending sessions give the "projected" figure shown next to it.
Nothing here converts or caps JP: every figure is the engine's (records.jp via records.ledger).

The flagged employees are kept as a snapshot (`EvaluationEntry`): later verifications do not
change them. Running the same period again replaces the snapshot in one transaction (the row of
the evaluation is locked, so two runs never interleave) and counts the run; follow-ups already
assigned are never touched by a run: they belong to the evaluation and the employee.

The unit head (pimpinan of the entry's unit, or of a parent unit) or Biro SDM assigns a
follow-up; the employee or their atasan langsung marks it done with a note.

The approvals audit chain records session transitions only (its entries need a session), so
the evaluation keeps its own history on its rows: who ran it and when (and how many times), who
assigned each follow-up and when, who marked it done, when, and with which note.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from records import jp, ledger
from records.models import Employee, UnitKerja
from records.roles import Roles

from .models import (
    Evaluation,
    EvaluationEntry,
    EvaluationReason,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
)
from .recaps import behind_pace, pace_target

log = logging.getLogger(__name__)

ROMAN = {1: "I", 2: "II", 3: "III"}
FIRST_YEAR = 2020
ZERO = Decimal("0.0")


@dataclass(frozen=True)
class Period:
    """A 4-month evaluation period of a calendar year."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in ROMAN:
            raise ValueError(f"an evaluation period is 1 to 3; got {self.number}")

    @property
    def roman(self) -> str:
        return ROMAN[self.number]

    @property
    def first_month(self) -> int:
        return 4 * self.number - 3

    @property
    def months_elapsed(self) -> int:
        """Months of the year gone by at the period's end (4, 8, 12): `recaps.pace_target`."""
        return 4 * self.number

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        if self.number == 3:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.first_month + 4, 1) - datetime.timedelta(days=1)

    @property
    def months(self) -> str:
        """ "Mei – Agustus" """
        return f"{jp.nama_bulan(self.first_month)} – {jp.nama_bulan(self.first_month + 3)}"

    @property
    def label(self) -> str:
        return f"Periode {self.roman} ({self.months}) Tahun {self.year}"

    def has_ended(self, today: datetime.date) -> bool:
        return today > self.end

    @classmethod
    def last_ended(cls, today: datetime.date) -> Period:
        current = (today.month - 1) // 4 + 1
        return cls(today.year - 1, 3) if current == 1 else cls(today.year, current - 1)


def period_of(evaluation: Evaluation) -> Period:
    return Period(evaluation.year, evaluation.period)


# --- Who is flagged (pure reads, two queries) -------------------------------------------------


@dataclass(frozen=True)
class Flag:
    employee: Employee
    verified: Decimal
    projected: Decimal
    max_attainable: Decimal
    reason: str


def flags_for(period: Period) -> tuple[list[Flag], int, Decimal]:
    """(the flagged employees, how many active employees were evaluated, the pace target).

    Two queries whatever the size: the active employees and one `ledgers_for` call."""
    policy = ledger.policy()
    target = Decimal(policy.annual_target_jp)
    pace = pace_target(period)
    employees = list(Employee.objects.select_related("unit").filter(active=True).order_by("pk"))
    books = ledger.ledgers_for({(e.pk, period.year) for e in employees})
    the_day_after = period.end + datetime.timedelta(days=1)
    flags = []
    for employee in employees:
        book = books[(employee.pk, period.year)]
        booked = [(a, credit) for a, credit in book.booked if a.on <= period.end]
        verified = jp.year_summary(policy, booked, period.year).total
        pending = sum((book.projected[a.key].jp for a in book.pending if a.on <= period.end), ZERO)
        best = jp.max_attainable(policy, booked, period.year, the_day_after)
        if best < target:
            reason = EvaluationReason.CANNOT_REACH
        elif behind_pace(
            verified, target=policy.annual_target_jp, months_elapsed=period.months_elapsed
        ):
            reason = EvaluationReason.BEHIND_PACE
        else:
            continue
        flags.append(Flag(employee, verified, verified + pending, best, reason))
    return flags, len(employees), pace


# --- Writes ------------------------------------------------------------------------------------


def evaluation_run(
    *, year: int, period: int, user, today: datetime.date | None = None
) -> Evaluation:
    """Run (or run again) the evaluation of a period that is over; Biro SDM only (the view
    checks the role). The snapshot is replaced in one transaction."""
    today = today or timezone.localdate()
    try:
        span = Period(year, period)
    except ValueError:
        raise ValidationError(_("Periode evaluasi tidak dikenal.")) from None
    if year < FIRST_YEAR:
        raise ValidationError(_("Tahun evaluasi tidak dikenal."))
    if not span.has_ended(today):
        raise ValidationError(
            _("Periode ini belum berakhir (%(end)s); evaluasi dijalankan setelahnya.")
            % {"end": jp.tanggal(span.end)}
        )
    policy = ledger.policy()
    with transaction.atomic():
        evaluation = _locked_evaluation(span, user=user, policy=policy.name)
        flags, count, pace = flags_for(span)
        EvaluationEntry.objects.filter(evaluation=evaluation).delete()
        EvaluationEntry.objects.bulk_create(
            [
                EvaluationEntry(
                    evaluation=evaluation,
                    employee=flag.employee,
                    unit_id=flag.employee.unit_id,
                    verified_jp=flag.verified,
                    projected_jp=flag.projected,
                    max_attainable_jp=flag.max_attainable,
                    reason=flag.reason,
                )
                for flag in flags
            ],
            batch_size=500,
        )
        evaluation.employee_count = count
        evaluation.pace_jp = pace
        evaluation.policy = policy.name
        evaluation.save()
    return evaluation


def _locked_evaluation(span: Period, *, user, policy: str) -> Evaluation:
    """The period's evaluation row, locked; created on the first run."""
    now = timezone.now()
    found = Evaluation.objects.select_for_update().filter(year=span.year, period=span.number)
    evaluation = found.first()
    if evaluation is None:
        try:
            with transaction.atomic():
                return Evaluation.objects.create(
                    year=span.year,
                    period=span.number,
                    policy=policy,
                    run_by=user,
                    run_at=now,
                    pace_jp=ZERO,
                )
        except IntegrityError:
            # Another run created it a moment ago: wait for its lock and run after it.
            evaluation = found.get()
    evaluation.run_by = user
    evaluation.run_at = now
    evaluation.run_count += 1
    return evaluation


def can_assign(roles: Roles, unit_id: int) -> bool:
    """The unit's head (pimpinan of it or of a parent unit) or Biro SDM."""
    return roles.is_biro or unit_id in roles.headed_unit_ids


def followup_assign(
    *,
    entry: EvaluationEntry,
    roles: Roles,
    user,
    kind: str,
    description: str,
    due_date: datetime.date,
    today: datetime.date | None = None,
) -> FollowUp:
    today = today or timezone.localdate()
    if not can_assign(roles, entry.unit_id):
        raise ValidationError(_("Hanya pimpinan unit kerja atau Biro SDM yang dapat menugaskan."))
    if kind not in FollowUpKind.values:
        raise ValidationError(_("Pilih jenis tindak lanjut."))
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Uraian tindak lanjut wajib diisi."))
    if due_date is None or due_date < today:
        raise ValidationError(_("Batas waktu tidak boleh sebelum hari ini."))
    with transaction.atomic():
        # The entry must still be in the snapshot (a run may have replaced it meanwhile).
        Evaluation.objects.select_for_update().get(pk=entry.evaluation_id)
        if not EvaluationEntry.objects.filter(pk=entry.pk).exists():
            raise ValidationError(_("Evaluasi ini baru saja dijalankan ulang; muat ulang halaman."))
        followup = FollowUp.objects.create(
            evaluation_id=entry.evaluation_id,
            employee_id=entry.employee_id,
            unit_id=entry.unit_id,
            kind=kind,
            description=description,
            due_date=due_date,
            assigned_by=user,
            assigned_at=timezone.now(),
        )
        transaction.on_commit(lambda: notify_assigned(followup.pk))
    return followup


def can_complete(roles: Roles, followup: FollowUp) -> bool:
    me = roles.employee
    if me is None:
        return False
    return followup.employee_id == me.pk or followup.employee.atasan_id == me.pk


def followup_complete(*, followup: FollowUp, roles: Roles, user, note: str) -> FollowUp:
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Catatan penyelesaian wajib diisi."))
    with transaction.atomic():
        current = (
            FollowUp.objects.select_for_update().select_related("employee").get(pk=followup.pk)
        )
        if not can_complete(roles, current):
            raise ValidationError(
                _("Hanya pegawai yang bersangkutan atau atasan langsungnya yang dapat menandai.")
            )
        if current.status != FollowUpStatus.OPEN:
            raise ValidationError(_("Tindak lanjut ini sudah ditandai selesai."))
        current.status = FollowUpStatus.DONE
        current.done_by = user
        current.done_at = timezone.now()
        current.note = note
        current.save(update_fields=["status", "done_by", "done_at", "note"])
    return current


# --- Notification (after commit, like approvals.notifications) --------------------------------


def notify_assigned(followup_id: int) -> None:
    followup = (
        FollowUp.objects.select_related("employee__user", "employee__atasan__user", "evaluation")
        .filter(pk=followup_id)
        .first()
    )
    if followup is None:
        return
    employee = followup.employee
    people = [employee, employee.atasan]
    to = [p.user.email for p in people if p is not None and p.user.email]
    if not to:
        return
    subject = "Tindak lanjut evaluasi CMB untuk Anda"
    link = settings.CMB_PUBLIC_URL.rstrip("/") + reverse("reports:my_followups")
    body = (
        f"Evaluasi CMB {period_of(followup.evaluation).label}\n"
        f"Pegawai: {employee.name} ({employee.nip})\n"
        f"Tindak lanjut: {followup.get_kind_display()}\n"
        f"{followup.description}\n"
        f"Batas waktu: {jp.tanggal(followup.due_date)}\n\n"
        f"Tandai selesai dengan catatan di {link}"
    )
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except OSError:
        # The assignment stands; a mail server outage must not undo it.
        log.exception("notification for follow-up %s not sent", followup_id)


# --- Reads ---------------------------------------------------------------------------------------


def is_reader(roles: Roles) -> bool:
    return roles.is_biro or roles.is_pimpinan or roles.is_pengelola


def unit_ids_for(roles: Roles) -> frozenset[int] | None:
    """The units whose entries the user sees; None means every unit (Biro SDM)."""
    if roles.is_biro:
        return None
    return roles.headed_unit_ids | roles.managed_unit_ids


def evaluations_visible_to(roles: Roles) -> QuerySet[Evaluation]:
    if not is_reader(roles):
        return Evaluation.objects.none()
    return Evaluation.objects.select_related("run_by__employee").order_by("-year", "-period")


def get_evaluation_for(roles: Roles, pk: int) -> Evaluation:
    try:
        return evaluations_visible_to(roles).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404 from None


def get_unit_for(roles: Roles, pk: int) -> UnitKerja:
    units = UnitKerja.objects.select_related("head")
    scope = unit_ids_for(roles)
    if scope is not None:
        units = units.filter(pk__in=scope)
    try:
        return units.get(pk=pk)
    except UnitKerja.DoesNotExist:
        raise Http404 from None


@dataclass
class UnitSummary:
    unit: UnitKerja
    flagged: int = 0
    cannot_reach: int = 0
    with_followup: int = 0
    followups: int = 0
    done: int = 0

    @property
    def done_percent(self) -> int | None:
        return round(100 * self.done / self.followups) if self.followups else None


def unit_summaries(evaluation: Evaluation, roles: Roles) -> list[UnitSummary]:
    """Per unit in the user's scope: flagged employees, those with a follow-up, and the share
    of follow-ups done. Three queries whatever the size."""
    scope = unit_ids_for(roles)
    entries = EvaluationEntry.objects.filter(evaluation=evaluation)
    followups = FollowUp.objects.filter(evaluation=evaluation)
    if scope is not None:
        entries = entries.filter(unit_id__in=scope)
        followups = followups.filter(unit_id__in=scope)
    by_unit: dict[int, UnitSummary] = {}
    rows = entries.values("unit_id").annotate(
        n=Count("pk"), blocked=Count("pk", filter=Q(reason=EvaluationReason.CANNOT_REACH))
    )
    counts = {r["unit_id"]: r for r in rows}
    work = followups.values("unit_id").annotate(
        n=Count("pk"),
        done=Count("pk", filter=Q(status=FollowUpStatus.DONE)),
        people=Count("employee_id", distinct=True),
    )
    work_counts = {r["unit_id"]: r for r in work}
    unit_ids = set(counts) | set(work_counts)
    for unit in UnitKerja.objects.filter(pk__in=unit_ids).order_by("name"):
        summary = by_unit[unit.pk] = UnitSummary(unit)
        if unit.pk in counts:
            summary.flagged = counts[unit.pk]["n"]
            summary.cannot_reach = counts[unit.pk]["blocked"]
        if unit.pk in work_counts:
            summary.followups = work_counts[unit.pk]["n"]
            summary.done = work_counts[unit.pk]["done"]
            summary.with_followup = work_counts[unit.pk]["people"]
    return list(by_unit.values())


@dataclass
class EntryRow:
    entry: EvaluationEntry | None
    employee: Employee
    followups: list[FollowUp] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for f in self.followups if not f.is_done)


def unit_rows(evaluation: Evaluation, unit: UnitKerja) -> tuple[list[EntryRow], list[EntryRow]]:
    """The unit's flagged employees with their follow-ups, and (second list) employees with a
    follow-up who are no longer flagged after a later run. Two queries."""
    entries = (
        EvaluationEntry.objects.select_related("employee__atasan")
        .filter(evaluation=evaluation, unit=unit)
        .order_by("employee__name", "pk")
    )
    followups = (
        FollowUp.objects.select_related(
            "employee__atasan", "assigned_by__employee", "done_by__employee"
        )
        .filter(evaluation=evaluation, unit=unit)
        .order_by("due_date", "pk")
    )
    rows = {e.employee_id: EntryRow(e, e.employee) for e in entries}
    others: dict[int, EntryRow] = {}
    for followup in followups:
        row = rows.get(followup.employee_id)
        if row is None:
            row = others.setdefault(followup.employee_id, EntryRow(None, followup.employee))
        row.followups.append(followup)
    return list(rows.values()), list(others.values())


def get_entry_for(roles: Roles, evaluation: Evaluation, pk: int) -> EvaluationEntry:
    """An entry the user may assign a follow-up to; 404 alike for "missing" and "not yours"."""
    entries = EvaluationEntry.objects.select_related("employee__atasan", "unit").filter(
        evaluation=evaluation
    )
    if not roles.is_biro:
        entries = entries.filter(unit_id__in=roles.headed_unit_ids)
    try:
        return entries.get(pk=pk)
    except EvaluationEntry.DoesNotExist:
        raise Http404 from None


def followups_for(roles: Roles) -> QuerySet[FollowUp]:
    """The follow-ups of the user (as the employee) and of their direct subordinates (as the
    atasan langsung): open ones first, then by due date. For "Tindak lanjut saya" and for a
    card on the home page (`followups_for(roles).filter(status="open")`)."""
    me = roles.employee
    if me is None:
        return FollowUp.objects.none()
    return (
        FollowUp.objects.select_related(
            "employee__unit", "employee__atasan", "evaluation", "assigned_by__employee"
        )
        .filter(Q(employee=me) | Q(employee__atasan=me))
        .order_by("-status", "due_date", "pk")  # "open" > "done": open ones first
    )


def get_followup_for(roles: Roles, pk: int) -> FollowUp:
    """A follow-up the user may mark done (theirs or a direct subordinate's); 404 otherwise."""
    try:
        return followups_for(roles).get(pk=pk)
    except FollowUp.DoesNotExist:
        raise Http404 from None
