"""Time the dashboards, queues and documents on a large database (after `seed_bench`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cmb_bench \\
      python manage.py bench_pages [--runs 20]

Each page is requested `--runs` times through Django's test client as the user it is for;
prints the median and 95th percentile time and the number of queries of one request, and the
query count of the same page for a small unit (or team) next to it, so a count that grows with
the data shows at once.
"""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.models import Employee, UnitKerja


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Ukur waktu dan jumlah kueri halaman-halaman utama pada data besar."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--year", type=int, default=2025)

    def handle(self, *args, **options):
        if not Employee.objects.filter(user__username__startswith="bench").exists():
            raise CommandError("Jalankan seed_bench lebih dulu.")
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        year, runs = options["year"], options["runs"]
        big = UnitKerja.objects.get(code="bench-001")
        root = UnitKerja.objects.get(code="bench-root")
        small = UnitKerja.objects.get(code="biro-sdm")  # the demo agency's unit (9 people)
        employee = Employee.objects.filter(unit=big, subordinates__isnull=True).first()
        lead = Employee.objects.filter(unit=big, atasan=big.head).first()
        pengelola = big.pengelola.first()
        biro = Employee.objects.filter(user__groups__name="Biro SDM", unit__parent=root).first()
        demo = {
            u: Employee.objects.get(user__username=u)
            for u in ("pegawai", "atasan", "pengelola", "biro")
        }
        session = employee.agreements.first().sessions.first()
        pages = [
            ("home, pegawai", employee, "/", {}, demo["pegawai"]),
            ("home, atasan (team of 8)", lead, "/", {}, demo["atasan"]),
            ("home, unit head (28 direct reports)", big.head, "/", {}, demo["atasan"]),
            (
                "my records",
                employee,
                reverse("records:my_records"),
                {"tahun": year},
                demo["pegawai"],
            ),
            (
                "approval queue (atasan)",
                lead,
                reverse("approvals:approval_queue"),
                {},
                demo["atasan"],
            ),
            (
                "verification queue (Biro SDM, 10,000 waiting; shows 500)",
                biro,
                reverse("approvals:verification_queue"),
                {},
                demo["biro"],
            ),
            (
                "verification queue, one unit",
                biro,
                reverse("approvals:verification_queue"),
                {"unit": big.pk},
                demo["biro"],
            ),
            (
                "employee list (pengelola)",
                pengelola,
                reverse("records:employee_list"),
                {},
                demo["pengelola"],
            ),
            (
                "unit table (250 employees)",
                pengelola,
                reverse("reports:unit_table"),
                {"tahun": year},
                demo["pengelola"],
            ),
            (
                "unit table, whole agency (10,000, Biro SDM)",
                biro,
                reverse("reports:unit_table"),
                {"unit": root.pk, "tahun": year},
                None,
            ),
            (
                "unit table XLSX (250)",
                pengelola,
                reverse("reports:unit_table_xlsx"),
                {"tahun": year},
                demo["pengelola"],
            ),
            (
                "monitoring, whole agency (Biro SDM)",
                biro,
                reverse("reports:monitoring"),
                {"unit": root.pk, "tahun": year},
                None,
            ),
            (
                "monitoring, one unit (Biro SDM)",
                biro,
                reverse("reports:monitoring"),
                {"unit": big.pk, "tahun": year},
                None,
            ),
            (
                "evaluation list (Biro SDM)",
                biro,
                reverse("reports:evaluation_list"),
                {},
                demo["biro"],
            ),
            (
                "Kartu Pengendali PDF (40 sessions)",
                pengelola,
                reverse("reports:kartu_pengendali", args=[employee.pk]),
                {"tahun": year},
                None,
            ),
            (
                "Lampiran I PDF",
                employee,
                reverse("reports:lampiran_i", args=[session.pk]),
                {},
                None,
            ),
            (
                "recap PDF, triwulan III (250 employees)",
                pengelola,
                reverse("reports:recap_pdf", args=[big.pk, year, 3]),
                {},
                None,
            ),
        ]
        self.stdout.write(
            f"{Employee.objects.count():,} employees; {runs} runs per page; "
            f"database {connection.vendor}\n"
        )
        self.stdout.write(
            f"{'page':58} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'small':>6}"
        )
        for label, person, url, params, small_person in pages:
            client = Client()
            client.force_login(person.user)
            client.get(url, params, secure=True)  # warm-up (fonts, caches, the session)
            times, queries = [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url, params, secure=True)
                    times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{label}: HTTP {response.status_code}")
                queries = len(captured)
            small_queries = ""
            if small_person is not None:
                other = Client()
                other.force_login(small_person.user)
                small_params = dict(params)
                if "unit" in small_params:
                    small_params["unit"] = small.pk
                other.get(url, small_params, secure=True)
                with CaptureQueriesContext(connection) as captured:
                    other.get(url, small_params, secure=True)
                small_queries = str(len(captured))
            self.stdout.write(
                f"{label:58} {statistics.median(times):10.0f} {p95(times):8.0f} {queries:8}"
                f" {small_queries:>6}"
            )
