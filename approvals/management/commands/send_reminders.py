"""Send the day's reminder e-mails (approvals.reminders). Run once a day by cron:

    0 7 * * *  cd /srv/cmb && .venv/bin/python manage.py send_reminders

Safe to run again: a reminder goes out at most once per recipient and period.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from approvals import reminders
from approvals.models import ReminderKind


class Command(BaseCommand):
    help = "Kirim e-mail pengingat CMB (di bawah target, menunggu tindakan, rekap triwulan)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show, send nothing")
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--only", choices=reminders.KINDS, action="append")
        parser.add_argument("--waiting-days", type=int, default=None)
        parser.add_argument("--recap-days-before", type=int, default=7)

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today harus berformat YYYY-MM-DD.") from None
        if options["waiting_days"] is not None and options["waiting_days"] < 1:
            raise CommandError("--waiting-days paling sedikit 1.")
        if options["recap_days_before"] < 0:
            raise CommandError("--recap-days-before tidak boleh negatif.")
        kinds = tuple(options["only"] or reminders.KINDS)
        found = reminders.collect(
            today,
            kinds=kinds,
            waiting_days=options["waiting_days"],
            recap_days_before=options["recap_days_before"],
        )
        report = reminders.deliver(found, dry_run=options["dry_run"])
        if options["dry_run"]:
            for r in report.planned:
                email = r.recipient.email or "(tanpa e-mail)"
                self.stdout.write(f"{r.kind:14} {r.period:24} {email}: {r.subject}")
        labels = dict(ReminderKind.choices)
        self.stdout.write(
            f"Pengingat {today.isoformat()}{' (uji coba)' if options['dry_run'] else ''}:"
        )
        for kind in kinds:
            planned = sum(1 for r in report.planned if r.kind == kind)
            self.stdout.write(
                f"  {labels[kind]}: {planned} perlu dikirim, {report.sent[kind]} terkirim,"
                f" {report.already[kind]} sudah pernah, {report.no_email[kind]} tanpa e-mail,"
                f" {report.failed[kind]} gagal"
            )
