"""Benchmark of certificate batches: 1,000 employees with verified JP, one batch for all.

    python -m reports.bench_certificates [--employees N] [--database-url URL] [--immediate]

Builds a throwaway database (a temporary SQLite file unless --database-url names a scratch
database: it is migrated and filled), seeds the employees with bulk inserts (verified sessions
with their booked credit: a benchmark, not the workflow), asks for one batch as Biro SDM does
and runs it the way production does: the request queues it (database backend), then a worker
(`db_worker --batch`) issues the certificates. Prints how long the request took, the batch's
duration and certificates per second. Not a test: the figure goes into the README.
"""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def configure(database_url: str | None, immediate: bool) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix="cmb-bench-certificates-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cmb_portal.settings"
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["TASKS_IMMEDIATE"] = "1" if immediate else "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    return workdir


def seed(count: int, year: int):
    """One unit, one atasan, `count` employees each with the SE's example year (coaching 2 + 2,
    mentoring 2, belajar mandiri 1 = 7 JP), all verified."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from records.models import (
        Activity,
        Agreement,
        AgreementStatus,
        CompetencyType,
        DevelopmentArea,
        Employee,
        Session,
        SessionStatus,
        UnitKerja,
    )
    from records.services import biro_sdm_grant

    User = get_user_model()
    unit = UnitKerja.objects.create(name="Direktorat Uji Beban", code="uji-beban")
    biro_user = User.objects.create_user("bench-biro")
    biro_sdm_grant(user=biro_user)
    atasan = Employee.objects.create(
        user=User.objects.create_user("bench-atasan"), nip="197001011995031001",
        name="Dr. Atasan Uji, M.Si.", golongan="IV/a", jabatan="Direktur", unit=unit,
    )  # fmt: skip
    users = User.objects.bulk_create(
        # "!" is Django's unusable-password marker, not a password (bandit B106).
        [User(username=f"bench{i:05d}", password="!") for i in range(count)]  # noqa: S106  # nosec B106
    )
    first_birth = datetime.date(1970, 1, 1)
    employees = Employee.objects.bulk_create(
        [
            Employee(
                user=user,
                nip=f"{first_birth + datetime.timedelta(days=i):%Y%m%d}2015011001",
                name=f"Pegawai Uji {i:04d}, S.Kom., M.T.",
                golongan="III/b",
                jabatan="Analis Kepegawaian",
                unit=unit,
                atasan=atasan,
            )
            for i, user in enumerate(users)
        ]
    )
    areas = DevelopmentArea.objects.bulk_create(
        [
            DevelopmentArea(
                employee=e,
                year=year,
                competency_type=CompetencyType.TEKNIS,
                competency="Analisis jabatan",
                current_level=1,
                required_level=2,
            )
            for e in employees
        ]
    )
    now = timezone.now()
    kinds = (Activity.COACHING, Activity.MENTORING, Activity.BELAJAR_MANDIRI)
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                employee=e,
                kind=kind,
                area=area,
                year=year,
                status=AgreementStatus.ACTIVE,
                atasan=atasan,
                mentor=atasan if kind != Activity.BELAJAR_MANDIRI else None,
                title=f"{kind} uji",
                created_by=biro_user,
                agreed_at=now,
            )
            for e, area in zip(employees, areas, strict=True)
            for kind in kinds
        ]
    )
    meetings = {
        Activity.COACHING: [
            (datetime.date(year, 4, 7), "2.0"),
            (datetime.date(year, 4, 14), "2.0"),
        ],
        Activity.MENTORING: [(datetime.date(year, 5, 29), "2.0")],
        Activity.BELAJAR_MANDIRI: [(datetime.date(year, 6, 1), "1.0")],
    }
    sessions = []
    for agreement in agreements:
        for number, (on, credit) in enumerate(meetings[agreement.kind], start=1):
            sessions.append(
                Session(
                    agreement=agreement,
                    number=number,
                    date=on,
                    start_time=datetime.time(9),
                    end_time=datetime.time(10),
                    place="Ruang rapat",
                    needs="-",
                    responsibility="-",
                    activity="-",
                    result="-",
                    duration_minutes=60 if agreement.kind == Activity.BELAJAR_MANDIRI else None,
                    status=SessionStatus.VERIFIED,
                    credit_jp=Decimal(credit),
                    verified_at=now,
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    return unit, biro_user


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--database-url", help="a scratch database (default: temporary SQLite)")
    parser.add_argument(
        "--immediate", action="store_true", help="run the batch inside the request instead"
    )
    args = parser.parse_args(argv)
    workdir = configure(args.database_url, args.immediate)

    from django.core.management import call_command

    from reports.certificates import certificate_batch_request
    from reports.models import BatchStatus, Certificate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    unit, biro_user = seed(args.employees, args.year)
    seeded = time.perf_counter() - started
    print(f"seeded {args.employees:,} employees with 7 verified JP each in {seeded:.1f} s")

    started = time.perf_counter()
    batch = certificate_batch_request(year=args.year, unit=unit, user=biro_user)
    requested = time.perf_counter() - started
    print(f"request: {requested * 1000:.0f} ms (status {batch.status})")

    started = time.perf_counter()
    if batch.status == BatchStatus.QUEUED:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        seconds = time.perf_counter() - started
    else:  # --immediate: the request itself ran the batch
        seconds = requested
    batch.refresh_from_db()
    issued = Certificate.objects.filter(batch=batch).count()
    print(
        f"batch: {batch.get_status_display()}, {batch.issued:,} issued, {batch.skipped:,} "
        f"skipped (the atasan has no JP) of {batch.total:,}; {issued:,} PDFs stored"
    )
    print(
        f"batch duration {seconds:.1f} s: {issued / seconds:.1f} certificates/s "
        f"({seconds / max(issued, 1) * 1000:.0f} ms each)"
    )
    print(f"files under {workdir}")


if __name__ == "__main__":
    main()
