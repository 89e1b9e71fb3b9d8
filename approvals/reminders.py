"""Reminder e-mails, sent by `manage.py send_reminders` (cron, once a day; README).

Three kinds, each at most once per recipient and period (ReminderSent's unique constraint):

- behind_pace (monthly, "2026-11"): an active employee whose JP this year, verified plus what
  waits for approval or verification, is below the pace at the end of last month: 20 JP x
  completed months / 12, the recap's own rule (reports.recaps.pace_target / status_for). Pending
  JP count because the employee has done that work; the mail shows both figures. Nothing is
  sent in January (no month completed yet) nor once the year's 20 JP are reached.
- waiting_items (weekly, ISO week "2026-W47"): one digest to each atasan, or coach/mentor who
  must confirm first, listing the sessions submitted more than N days ago that wait for them.
- recap_due (per unit and quarter, "2026-Q3/biro-sdm"): the pengelola kepegawaian of each unit
  with pengelola, when the unit has not submitted the recap of the quarter that just ended and
  the due date is near. The SE (angka 5.f.3) says "setiap 3 (tiga) bulan sekali" without a date;
  we take the CMB_RECAP_DUE_DAY-th (default 10th) day of the month after the quarter, and remind
  from `recap_days_before` days before it (never before the quarter is over, since a recap can
  only be submitted then) until the due date.

Delivery: for each reminder, one transaction inserts its ReminderSent row and sends the mail;
a duplicate (an earlier or a concurrent run) fails the insert and is counted as already sent,
and a mail that fails rolls the row back so the next run tries again. A crash between the SMTP
server accepting the mail and the commit could repeat that one mail on the next run; nothing is
ever silently dropped.

Every JP figure is the engine's (records.ledger); selection runs in a constant number of
queries whatever the number of employees.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from records import jp, ledger
from records.models import Employee, Session, SessionStatus, UnitKerja

from .models import ReminderKind, ReminderSent

log = logging.getLogger(__name__)

KINDS = tuple(ReminderKind.values)
KIND_NAMES = {
    jp.COACHING: "Coaching",
    jp.MENTORING: "Mentoring",
    jp.BELAJAR_MANDIRI: "Belajar Mandiri",
}


@dataclass(frozen=True)
class Reminder:
    kind: str
    recipient: object  # the User
    period: str
    subject: str
    body: str
    summary: str


@dataclass
class Report:
    planned: list[Reminder] = field(default_factory=list)
    sent: Counter = field(default_factory=Counter)
    already: Counter = field(default_factory=Counter)
    no_email: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)


def _url(path: str) -> str:
    return settings.CMB_PUBLIC_URL.rstrip("/") + path


def _jp(value: Decimal) -> str:
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def _closing() -> str:
    return (
        "\n\nPesan ini dikirim otomatis oleh CMB Portal; pengingat yang sama tidak dikirim dua"
        " kali dalam satu periode."
    )


# --- behind pace -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pace:
    """What reports.recaps.pace_target needs: the months of the year gone by."""

    months_elapsed: int


def behind_pace(today: datetime.date) -> list[Reminder]:
    from reports.recaps import BEHIND, annual_target, pace_target, status_for

    months = today.month - 1
    if months == 0:
        return []
    pace = _Pace(months)
    target = pace_target(pace)
    employees = list(Employee.objects.filter(active=True).select_related("user").order_by("id"))
    books = ledgers_for_year(employees, today.year)
    period = f"{today.year}-{today.month:02d}"
    reminders = []
    for employee in employees:
        book = books[(employee.pk, today.year)]
        verified, pending = book.verified_total, book.projected_total
        if status_for(verified + pending, pace) != BEHIND:
            continue
        usage = book.month_usage(today)
        room = [
            f"{KIND_NAMES[kind]} {u.used} dari {u.limit}" if u.limit else KIND_NAMES[kind]
            for kind, u in usage.items()
            if u.limit is None or u.used < u.limit
        ]
        missing = max(annual_target() - verified, Decimal("0"))
        last_month = jp.nama_bulan(months)
        body = (
            f"Yth. {employee.name},\n\n"
            f"JP pengembangan kompetensi Anda tahun {today.year} sampai {jp.tanggal(today)}:\n"
            f"- terverifikasi Biro SDM: {_jp(verified)} JP\n"
            f"- menunggu persetujuan/verifikasi: {_jp(pending)} JP\n\n"
            f"Target berjalan sampai akhir {last_month}: {_jp(target)} JP; target setahun"
            f" {_jp(annual_target())} JP (masih kurang {_jp(missing)} JP terverifikasi).\n"
        )
        if room:
            body += (
                f"Bulan {jp.nama_bulan(today.month)} ini masih dapat dihitung: "
                + "; ".join(room)
                + ".\n"
            )
        body += f"\nCatat kegiatan CMB Anda di {_url('/cmb/')}" + _closing()
        reminders.append(
            Reminder(
                kind=ReminderKind.BEHIND_PACE,
                recipient=employee.user,
                period=period,
                subject=f"CMB: JP Anda di bawah target berjalan ({_jp(verified + pending)} JP)",
                body=body,
                summary=f"{_jp(verified)} JP terverifikasi, {_jp(pending)} JP menunggu",
            )
        )
    return reminders


def ledgers_for_year(employees: list[Employee], year: int) -> dict[tuple[int, int], ledger.Ledger]:
    return ledger.ledgers_for({(e.pk, year) for e in employees})


# --- items waiting for the atasan or the coach/mentor -----------------------------------------


def waiting_for(session: Session) -> Employee | None:
    """Who must act on a submitted session: the coach/mentor who has not confirmed, else the
    atasan (approvals.selectors.approval_queue splits the queue the same way)."""
    if session.needs_mentor_confirmation and session.mentor_confirmed_at is None:
        return session.agreement.mentor
    return session.agreement.employee.atasan


def waiting_items(today: datetime.date, days: int) -> list[Reminder]:
    # "More than N days", in local calendar days as the e-mail counts them: submitted before
    # the start of the day N days ago (a session submitted exactly N days ago waits a week).
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
    )
    sessions = (
        Session.objects.select_related(
            "agreement__employee__atasan__user", "agreement__mentor__user"
        )
        .filter(status=SessionStatus.SUBMITTED, submitted_at__lt=cutoff)
        .order_by("submitted_at", "id")
    )
    by_person: dict[int, tuple[Employee, list[Session]]] = {}
    for session in sessions:
        person = waiting_for(session)
        if person is None or not person.active:
            continue
        by_person.setdefault(person.pk, (person, []))[1].append(session)
    year, week, _ = today.isocalendar()
    period = f"{year}-W{week:02d}"
    reminders = []
    for person, items in by_person.values():
        lines = []
        for s in items:
            age = (today - timezone.localdate(s.submitted_at)).days
            lines.append(
                f"- {s.agreement.employee.name}: {s.agreement.get_kind_display()} pertemuan"
                f" ke-{s.number}, {jp.tanggal(s.date)} (diajukan {age} hari lalu)"
            )
        body = (
            f"Yth. {person.name},\n\n"
            f"{len(items)} pertemuan CMB sudah lebih dari {days} hari menunggu tindakan Anda:\n"
            + "\n".join(lines)
            + f"\n\nSetujui, kembalikan atau konfirmasi di {_url('/persetujuan/')}"
            + _closing()
        )
        reminders.append(
            Reminder(
                kind=ReminderKind.WAITING_ITEMS,
                recipient=person.user,
                period=period,
                subject=f"CMB: {len(items)} pertemuan menunggu tindakan Anda",
                body=body,
                summary=f"{len(items)} pertemuan menunggu",
            )
        )
    return reminders


# --- quarterly recap due ----------------------------------------------------------------------


def recap_due_date(quarter) -> datetime.date:
    day_after = quarter.end + datetime.timedelta(days=1)
    return day_after.replace(day=settings.CMB_RECAP_DUE_DAY)


def recap_due(today: datetime.date, days_before: int) -> list[Reminder]:
    from reports.models import RecapSubmission
    from reports.recaps import Quarter

    quarter = Quarter.last_ended(today)
    due = recap_due_date(quarter)
    start = max(quarter.end + datetime.timedelta(days=1), due - datetime.timedelta(days_before))
    if not start <= today <= due:
        return []
    submitted = set(
        RecapSubmission.objects.filter(year=quarter.year, quarter=quarter.number).values_list(
            "unit_id", flat=True
        )
    )
    units = (
        UnitKerja.objects.filter(pengelola__isnull=False)
        .exclude(pk__in=submitted)
        .distinct()
        .prefetch_related("pengelola__user")
        .order_by("name")
    )
    reminders = []
    for unit in units:
        for pengelola in unit.pengelola.all():
            if not pengelola.active:
                continue
            body = (
                f"Yth. {pengelola.name},\n\n"
                f"Rekapitulasi Kartu Pengendali {quarter.label} untuk {unit.name} belum dikirim"
                f" ke Biro SDM. Batas pengiriman: {jp.tanggal(due)}.\n\n"
                f"Periksa dan kirim rekap di {_url('/laporan/rekap/')}" + _closing()
            )
            reminders.append(
                Reminder(
                    kind=ReminderKind.RECAP_DUE,
                    recipient=pengelola.user,
                    period=f"{quarter.year}-Q{quarter.number}/{unit.code}",
                    subject=f"CMB: rekap {quarter.label} {unit.name} belum dikirim",
                    body=body,
                    summary=f"{unit.name}, batas {due.isoformat()}",
                )
            )
    return reminders


# --- running --------------------------------------------------------------------------------


def collect(
    today: datetime.date,
    *,
    kinds=KINDS,
    waiting_days: int | None = None,
    recap_days_before: int = 7,
) -> list[Reminder]:
    """Every reminder due today that has not been sent in its period yet."""
    if waiting_days is None:
        waiting_days = settings.CMB_REMINDER_WAITING_DAYS
    found: list[Reminder] = []
    if ReminderKind.BEHIND_PACE in kinds:
        found += behind_pace(today)
    if ReminderKind.WAITING_ITEMS in kinds:
        found += waiting_items(today, waiting_days)
    if ReminderKind.RECAP_DUE in kinds:
        found += recap_due(today, recap_days_before)
    sent = set(
        ReminderSent.objects.filter(period__in={r.period for r in found}).values_list(
            "kind", "recipient_id", "period"
        )
    )
    return [r for r in found if (r.kind, r.recipient.pk, r.period) not in sent]


def deliver(reminders: list[Reminder], *, dry_run: bool = False) -> Report:
    report = Report(planned=list(reminders))
    for reminder in reminders:
        if not reminder.recipient.email:
            report.no_email[reminder.kind] += 1
            continue
        if dry_run:
            continue
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        ReminderSent.objects.create(
                            kind=reminder.kind,
                            recipient=reminder.recipient,
                            period=reminder.period,
                            sent_at=timezone.now(),
                            summary=reminder.summary[:300],
                        )
                except IntegrityError:
                    report.already[reminder.kind] += 1
                    continue
                send_mail(
                    reminder.subject,
                    reminder.body,
                    settings.DEFAULT_FROM_EMAIL,
                    [reminder.recipient.email],
                )
        except Exception:  # noqa: BLE001 - one failed mail must not stop the others
            log.exception("reminder %s %s failed", reminder.kind, reminder.period)
            report.failed[reminder.kind] += 1
            continue
        report.sent[reminder.kind] += 1
    return report
