"""Count what the load test may change, and prove that nothing was lost (deploy/loadtest.sh).

    manage.py loadtest_counts --save before.json
    manage.py loadtest_counts --compare before.json --sent sent.json

`--compare` counts again and checks, for every kind of write the load test makes, that the
database grew by exactly what the Locust users were told had succeeded: one new session per
"Pertemuan disimpan", one `submitted` audit entry per "Pertemuan diajukan", and the approvals
and verifications the bulk result pages reported. It also checks that every verified session
has its booked credit. Exits non-zero on any difference.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from approvals.models import AuditAction, AuditEntry
from records.models import Session, SessionStatus

# sent.json key -> the count it must have moved
EXPECTED = {
    "created": "sessions",
    "submitted": f"audit_{AuditAction.SUBMITTED}",
    "approved": f"audit_{AuditAction.APPROVED}",
    "verified": f"audit_{AuditAction.VERIFIED}",
}


def snapshot() -> dict[str, int]:
    counts = {"sessions": Session.objects.count()}
    for row in AuditEntry.objects.values("action").annotate(n=Count("id")):
        counts[f"audit_{row['action']}"] = row["n"]
    for row in Session.objects.values("status").annotate(n=Count("id")):
        counts[f"status_{row['status']}"] = row["n"]
    counts["verified_without_credit"] = Session.objects.filter(
        status=SessionStatus.VERIFIED, credit_jp__isnull=True
    ).count()
    return counts


class Command(BaseCommand):
    help = "Hitung data sebelum/sesudah uji beban dan bandingkan dengan yang dikirim."

    def add_arguments(self, parser):
        parser.add_argument("--save", type=Path)
        parser.add_argument("--compare", type=Path, help="the --save file from before the run")
        parser.add_argument("--sent", type=Path, help="LOADTEST_SENT from the locustfile")

    def handle(self, *args, **options):
        now = snapshot()
        if options["save"]:
            options["save"].write_text(json.dumps(now, indent=2, sort_keys=True))
            self.stdout.write(f"{now['sessions']:,} pertemuan dicatat di {options['save']}")
            return
        if not (options["compare"] and options["sent"]):
            raise CommandError("Pakai --save FILE, atau --compare FILE --sent FILE.")
        before = json.loads(options["compare"].read_text())
        sent = json.loads(options["sent"].read_text())
        problems = []
        self.stdout.write(f"{'what':12} {'sent (ok)':>10} {'db before':>10} {'db after':>10}")
        for key, counted in EXPECTED.items():
            grew = now.get(counted, 0) - before.get(counted, 0)
            self.stdout.write(
                f"{key:12} {sent.get(key, 0):10,} {before.get(counted, 0):10,}"
                f" {now.get(counted, 0):10,}"
            )
            if grew != sent.get(key, 0):
                problems.append(f"{key}: the users saw {sent.get(key, 0)}, the database {grew}")
        for key in ("approve_refused", "verify_refused"):
            self.stdout.write(f"{key:12} {sent.get(key, 0):10,}  (rows another user took first)")
        if now["verified_without_credit"]:
            problems.append(f"{now['verified_without_credit']} verified sessions have no credit")
        if problems:
            raise CommandError("Data tidak cocok: " + "; ".join(problems))
        self.stdout.write("Cocok: setiap penulisan yang berhasil ada di basis data, tidak lebih.")
