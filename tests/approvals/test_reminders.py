"""Reminder e-mails (approvals.reminders, manage.py send_reminders)."""

from __future__ import annotations

import datetime
import threading
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals import reminders
from approvals import services as workflow
from approvals.models import ReminderSent
from records import ledger
from records.models import Employee, Golongan, Session
from reports.models import RecapSubmission
from tests import factories

pytestmark = pytest.mark.django_db

JULY_5 = datetime.date(2023, 7, 5)  # six months gone: the pace is 10 JP


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def mails_to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to]


def coaching_sessions(demo, agreement, days: list[datetime.date]) -> list[Session]:
    return [factories.session(agreement, day) for day in days]


@pytest.fixture
def cahya_2023(demo):
    """Cahya in 2023: 4 JP verified (two coachings in January), 2 JP waiting for approval."""
    agreement = factories.coaching(demo, year=2023)
    first, second, third = coaching_sessions(
        demo,
        agreement,
        [datetime.date(2023, 1, 10), datetime.date(2023, 1, 17), datetime.date(2023, 2, 7)],
    )
    factories.verified(demo, first)
    factories.verified(demo, second)
    workflow.session_submit(session=third, actor=third.agreement.employee)
    return agreement


# --- behind pace ------------------------------------------------------------------------------


def test_behind_pace_mails_the_employee_with_the_engines_figures(demo, cahya_2023):
    run("--today", JULY_5.isoformat(), "--only", "behind_pace")
    book = ledger.ledger_for(demo.pegawai.employee.pk, 2023)
    assert (book.verified_total, book.projected_total) == (4, 2)  # the engine's figures
    [message] = mails_to(demo.pegawai)
    assert "di bawah target berjalan (6 JP)" in message.subject
    assert "terverifikasi Biro SDM: 4 JP" in message.body
    assert "menunggu persetujuan/verifikasi: 2 JP" in message.body
    assert "Target berjalan sampai akhir Juni: 10 JP" in message.body
    assert "masih kurang 16 JP terverifikasi" in message.body
    # Nothing counted in July yet: every activity still has room.
    assert "Coaching 0 dari 2; Mentoring 0 dari 2; Belajar Mandiri 0 dari 2" in message.body
    assert message.body.startswith(f"Yth. {demo.pegawai.employee.name},")


def test_an_employee_on_pace_or_inactive_gets_no_behind_pace_reminder(demo, cahya_2023):
    # 6 JP (verified + pending) is on pace at the end of March (5 JP), not at the end of June.
    run("--today", "2023-04-03", "--only", "behind_pace")
    assert mails_to(demo.pegawai) == []
    assert mails_to(demo.atasan)  # Diah has nothing in 2023
    Employee.objects.filter(pk=demo.atasan.employee.pk).update(active=False)
    mail.outbox.clear()
    run("--today", "2023-05-03", "--only", "behind_pace")
    assert mails_to(demo.atasan) == []  # inactive
    assert len(mails_to(demo.pegawai)) == 1  # 6 JP is below the pace at the end of April, 6.7


def test_january_has_no_pace_yet(demo):
    out = run("--today", "2023-01-20", "--only", "behind_pace")
    assert mail.outbox == []
    assert "0 perlu dikirim" in out


def test_a_behind_pace_reminder_goes_once_a_month(demo, cahya_2023):
    run("--today", "2023-07-05", "--only", "behind_pace")
    run("--today", "2023-07-20", "--only", "behind_pace")
    assert len(mails_to(demo.pegawai)) == 1
    run("--today", "2023-08-01", "--only", "behind_pace")
    assert len(mails_to(demo.pegawai)) == 2
    assert ReminderSent.objects.filter(kind="behind_pace", recipient=demo.pegawai).count() == 2


def test_dry_run_sends_and_writes_nothing(demo, cahya_2023):
    out = run("--today", JULY_5.isoformat(), "--dry-run")
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert "behind_pace    2023-07" in out
    assert demo.pegawai.email in out
    assert "(uji coba)" in out


def test_users_without_email_are_counted_not_mailed(demo, cahya_2023):
    get_user_model().objects.filter(pk=demo.pegawai.pk).update(email="")
    out = run("--today", JULY_5.isoformat(), "--only", "behind_pace")
    assert not any(m.to == [""] for m in mail.outbox)
    assert "tanpa e-mail" in out and " 0 tanpa e-mail" not in out
    assert not ReminderSent.objects.filter(recipient=demo.pegawai).exists()


def test_a_failed_mail_is_retried_on_the_next_run(demo, cahya_2023, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    out = run("--today", JULY_5.isoformat(), "--only", "behind_pace")
    assert "gagal" in out and not ReminderSent.objects.exists()
    monkeypatch.undo()
    run("--today", JULY_5.isoformat(), "--only", "behind_pace")
    assert len(mails_to(demo.pegawai)) == 1


# --- waiting items ----------------------------------------------------------------------------


def submitted_on(session: Session, day: datetime.date) -> None:
    workflow.session_submit(session=session, actor=session.agreement.employee)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Session.objects.filter(pk=session.pk).update(submitted_at=moment)


def test_the_atasan_gets_one_weekly_digest_of_sessions_waiting_too_long(demo):
    agreement = factories.coaching(demo, year=2023)
    old, older, fresh = coaching_sessions(
        demo,
        agreement,
        [datetime.date(2023, 3, 1), datetime.date(2023, 3, 8), datetime.date(2023, 3, 15)],
    )
    submitted_on(old, datetime.date(2023, 3, 14))  # 6 days before the 20th
    submitted_on(older, datetime.date(2023, 3, 10))
    submitted_on(fresh, datetime.date(2023, 3, 18))  # 2 days: not yet
    run("--today", "2023-03-20", "--only", "waiting_items")  # Monday of ISO week 12
    [message] = mails_to(demo.atasan)
    assert message.subject == "CMB: 2 pertemuan menunggu tindakan Anda"
    assert "lebih dari 3 hari" in message.body
    assert "pertemuan ke-2, 8 Maret 2023 (diajukan 10 hari lalu)" in message.body
    assert "pertemuan ke-1, 1 Maret 2023 (diajukan 6 hari lalu)" in message.body
    assert "15 Maret 2023" not in message.body
    assert "/persetujuan/" in message.body
    run("--today", "2023-03-24", "--only", "waiting_items")  # same week: nothing new
    assert len(mails_to(demo.atasan)) == 1
    run("--today", "2023-03-27", "--only", "waiting_items")  # next week: a new digest
    assert len(mails_to(demo.atasan)) == 2
    assert "3 pertemuan" in mails_to(demo.atasan)[1].subject


def test_waiting_more_than_n_days_means_strictly_more(demo):
    """With N = 3 on 20 March: submitted on 17 March (3 days, even at midnight) is not yet
    "lebih dari 3 hari"; submitted late on 16 March (4 days) is."""
    agreement = factories.coaching(demo, year=2023)
    exactly, at_midnight, more = coaching_sessions(
        demo,
        agreement,
        [datetime.date(2023, 3, 1), datetime.date(2023, 3, 8), datetime.date(2023, 3, 15)],
    )
    submitted_on(exactly, datetime.date(2023, 3, 17))
    midnight = timezone.make_aware(datetime.datetime(2023, 3, 17, 0, 0))
    workflow.session_submit(session=at_midnight, actor=at_midnight.agreement.employee)
    Session.objects.filter(pk=at_midnight.pk).update(submitted_at=midnight)
    workflow.session_submit(session=more, actor=more.agreement.employee)
    late = timezone.make_aware(datetime.datetime(2023, 3, 16, 23, 59))
    Session.objects.filter(pk=more.pk).update(submitted_at=late)

    run("--today", "2023-03-20", "--only", "waiting_items", "--waiting-days", "3")
    [message] = mails_to(demo.atasan)
    assert message.subject == "CMB: 1 pertemuan menunggu tindakan Anda"
    assert "lebih dari 3 hari" in message.body
    assert "15 Maret 2023 (diajukan 4 hari lalu)" in message.body
    assert "diajukan 3 hari lalu" not in message.body


def test_a_session_waiting_for_the_mentor_reminds_the_mentor_not_the_atasan(demo):
    agreement = factories.mentoring(demo, year=2023)
    [session] = coaching_sessions(demo, agreement, [datetime.date(2023, 3, 1)])
    submitted_on(session, datetime.date(2023, 3, 1))
    run("--today", "2023-03-20", "--only", "waiting_items", "--waiting-days", "5")
    assert len(mails_to(demo.mentor)) == 1
    assert mails_to(demo.atasan) == []


# --- recap due --------------------------------------------------------------------------------


def test_the_pengelola_is_reminded_before_the_recap_is_due_until_it_is_submitted(demo):
    # Triwulan I 2023 is due on 10 April; reminders start 7 days before (3 April).
    run("--today", "2023-04-02", "--only", "recap_due")
    assert mails_to(demo.pengelola) == []
    run("--today", "2023-04-03", "--only", "recap_due")
    [message] = mails_to(demo.pengelola)
    assert "Triwulan I Tahun 2023" in message.subject
    assert "Batas pengiriman: 10 April 2023" in message.body
    run("--today", "2023-04-09", "--only", "recap_due")
    assert len(mails_to(demo.pengelola)) == 1  # once per unit and quarter
    run("--today", "2023-04-11", "--only", "recap_due")
    assert len(mails_to(demo.pengelola)) == 1  # past the due date: Biro SDM's status shows it


def test_a_submitted_unit_gets_no_recap_reminder(demo):
    unit = demo.pengelola.employee.managed_units.get()
    RecapSubmission.objects.create(
        unit=unit,
        year=2023,
        quarter=1,
        submitted_by=demo.pengelola,
        submitted_at=timezone.now(),
        code="TESTCODE01",
    )
    run("--today", "2023-04-05", "--only", "recap_due")
    assert mails_to(demo.pengelola) == []


def test_a_bad_date_is_refused_in_indonesian(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--today", "5 Juli 2023")


# --- queries ----------------------------------------------------------------------------------


def add_employees(demo, n: int, start: int = 0) -> None:
    unit = demo.pegawai.employee.unit
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bulk{i}", email=f"bulk{i}@example.go.id")
        for i in range(start, start + n)
    )
    Employee.objects.bulk_create(
        Employee(
            user=user,
            nip=f"19900101201501{start + i:04d}"[:18],
            name=f"Pegawai {start + i}",
            golongan=Golongan.values[0],
            jabatan="Analis",
            unit=unit,
            atasan=demo.atasan.employee,
        )
        for i, user in enumerate(users)
    )


def count_selection_queries() -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        found = reminders.collect(JULY_5, recap_days_before=7)
    return len(queries), found


def test_selection_takes_the_same_queries_for_10_or_1000_employees(demo, cahya_2023):
    agreement = factories.coaching(demo, year=2023)
    [session] = coaching_sessions(demo, agreement, [datetime.date(2023, 6, 1)])
    submitted_on(session, datetime.date(2023, 6, 1))
    add_employees(demo, 10)
    few, found = count_selection_queries()
    assert {r.kind for r in found} == {"behind_pace", "waiting_items", "recap_due"}
    add_employees(demo, 990, start=10)
    many, found = count_selection_queries()
    assert len([r for r in found if r.kind == "behind_pace"]) > 1000
    assert many == few


# --- concurrency ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_reminder_once(demo, cahya_2023):
    barrier = threading.Barrier(2)
    errors = []
    mail.outbox.clear()  # the fixture's verifications e-mailed Cahya (transactions commit here)

    def one_run():
        try:
            found = reminders.collect(JULY_5, kinds=("behind_pace",))
            barrier.wait()
            reminders.deliver(found)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(mails_to(demo.pegawai)) == 1
    assert ReminderSent.objects.filter(recipient=demo.pegawai).count() == 1
