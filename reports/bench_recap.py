"""Benchmark of the quarterly recap: a unit of 200 employees with a year of verified sessions.

    python -m reports.bench_recap [--employees 200] [--quarter 2] [--renders 3]
                                  [--database-url sqlite:////tmp/bench.sqlite3]

Builds the data in a throw-away database (a temporary SQLite file unless --database-url is
given), then times the recap's read, its PDF and its XLSX, and prints seconds and queries.
Sessions are written directly as verified, with the credit the JP engine books for them in
meeting order (what verification does one by one): it is a benchmark, not a test. Not run
by the test suite; the figures go into the README.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import statistics
import tempfile
import time
from decimal import Decimal


def _setup(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmb_portal.settings_test")
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="cmb-bench-recap-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_unit(employees: int, year: int):
    """A unit with `employees` people, a head and a pengelola, and a year of verified CMB:
    each month 2 coaching meetings, 1 mentoring meeting and 2 belajar mandiri days each."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from records import jp, ledger
    from records.models import (
        Activity,
        Agreement,
        AgreementStatus,
        CompetencyType,
        DevelopmentArea,
        Employee,
        LearningSource,
        Session,
        SessionStatus,
        UnitKerja,
    )

    User = get_user_model()
    policy = ledger.policy()
    with transaction.atomic():
        unit = UnitKerja.objects.create(name="Unit Uji Beban", code="bench-unit")
        nips = [f"19800101200501{1 + i % 2}{i // 2 + 1:03d}" for i in range(employees)]
        users = User.objects.bulk_create(
            # "!" is Django's unusable-password marker, not a password (bandit B106).
            [User(username=f"bench{i:04d}", password="!") for i in range(employees)]  # noqa: S106  # nosec B106
        )
        people = Employee.objects.bulk_create(
            [
                Employee(
                    user=user,
                    nip=nip,
                    name=f"Pegawai Uji {i + 1:03d}, S.Kom.",
                    golongan="III/a",
                    jabatan="Analis Sumber Daya Manusia Aparatur Ahli Pertama",
                    unit=unit,
                )  # fmt: skip
                for i, (user, nip) in enumerate(zip(users, nips, strict=True))
            ]
        )
        head, pengelola = people[0], people[1]
        Employee.objects.filter(pk__in=[p.pk for p in people[1:]]).update(atasan=head)
        unit.head = head
        unit.save(update_fields=["head"])
        unit.pengelola.add(pengelola)

        areas = DevelopmentArea.objects.bulk_create(
            [
                DevelopmentArea(
                    employee=person,
                    year=year,
                    competency_type=CompetencyType.TEKNIS,
                    competency="Analisis jabatan",
                    current_level=1,
                    required_level=2,
                )  # fmt: skip
                for person in people
            ]
        )
        agreements = []
        for person, area in zip(people, areas, strict=True):
            for kind in Activity.values:
                agreements.append(
                    Agreement(
                        employee=person,
                        kind=kind,
                        area=area,
                        year=year,
                        status=AgreementStatus.ACTIVE,
                        atasan=head,
                        mentor=head if kind != Activity.BELAJAR_MANDIRI else None,
                        title=f"{Activity(kind).label} analisis jabatan",
                        created_by=person.user,
                    )  # fmt: skip
                )
        agreements = Agreement.objects.bulk_create(agreements)
        sources = LearningSource.objects.bulk_create(
            [
                LearningSource(agreement=a, kind="buku", title="Analisis Jabatan")
                for a in agreements
                if a.kind == Activity.BELAJAR_MANDIRI
            ]
        )
        source_of = {s.agreement_id: s for s in sources}

        now = timezone.now()
        sessions = []
        for index in range(0, len(agreements), 3):
            by_kind = {a.kind: a for a in agreements[index : index + 3]}
            booked: list[tuple[jp.Activity, Decimal]] = []
            numbers = dict.fromkeys(by_kind, 0)
            for month in range(1, 13):
                plan = [
                    (Activity.COACHING, 5, None),
                    (Activity.COACHING, 19, None),
                    (Activity.MENTORING, 12, None),
                    (Activity.BELAJAR_MANDIRI, 8, 90),
                    (Activity.BELAJAR_MANDIRI, 22, 60),
                ]
                for kind, day, minutes in plan:
                    agreement = by_kind[kind]
                    numbers[kind] += 1
                    on = datetime.date(year, month, day)
                    activity = jp.Activity(
                        key=len(sessions), kind=kind, scope="nasional", on=on,
                        start=datetime.time(9, 0), minutes=minutes,
                    )  # fmt: skip
                    credit = jp.credit_for(policy, activity, booked)
                    booked.append((activity, credit.jp))
                    sessions.append(
                        Session(
                            agreement=agreement,
                            number=numbers[kind],
                            date=on,
                            start_time=datetime.time(9, 0),
                            end_time=datetime.time(10, 30),
                            place="Ruang rapat",
                            scope="nasional",
                            needs="-",
                            responsibility="-",
                            activity="-",
                            result="-",
                            source=source_of.get(agreement.pk),
                            duration_minutes=minutes,
                            resume="-" if minutes else "",
                            status=SessionStatus.VERIFIED,
                            credit_jp=credit.jp,
                            credit_reason=credit.reason,
                            submitted_at=now,
                            verified_at=now,
                        )  # fmt: skip
                    )
        Session.objects.bulk_create(sessions, batch_size=2000)
    return unit, pengelola.user, len(sessions)


def _timed(action, renders: int):
    """(median seconds, queries of one run, last result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, result, queries = [], None, 0
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), queries, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=200)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--quarter", type=int, default=2, choices=(1, 2, 3, 4))
    parser.add_argument("--renders", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)

    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    _setup(args.database_url)

    from pypdf import PdfReader

    from reports import recaps

    started = time.perf_counter()
    unit, user, session_count = build_unit(args.employees, args.year)
    built = time.perf_counter() - started
    print(
        f"{args.employees} employees, {session_count:,} verified sessions in {args.year} "
        f"(built in {built:.1f} s)"
    )

    def read():
        return recaps.recap_for(unit=unit, year=args.year, quarter=args.quarter)

    read_s, read_q, recap = _timed(read, args.renders)
    pdf_s, pdf_q, rendered = _timed(
        lambda: recaps.render_recap_pdf(read(), user=user), args.renders
    )
    xlsx_s, xlsx_q, workbook = _timed(lambda: recaps.render_recap_xlsx(read()), args.renders)
    submit_s, submit_q, _ = _timed(
        lambda: recaps.recap_submit(
            unit=unit, year=args.year, quarter=args.quarter, user=user,
            today=datetime.date(args.year + 1, 1, 1),
        ),
        1,
    )  # fmt: skip
    pages = len(PdfReader(io.BytesIO(rendered.pdf)).pages)
    print(f"Triwulan {args.quarter}: {recap.share_text}; total {recap.totals.quarter_total} JP")
    print(f"  read (rows):        {read_s:6.3f} s  {read_q:3d} queries")
    print(
        f"  PDF (read+render):  {pdf_s:6.3f} s  {pdf_q:3d} queries  "
        f"{pages} pages, {len(rendered.pdf) / 1024:.0f} KiB"
    )
    print(
        f"  XLSX (read+write):  {xlsx_s:6.3f} s  {xlsx_q:3d} queries  "
        f"{len(workbook) / 1024:.0f} KiB"
    )
    print(f"  submit (all, once): {submit_s:6.3f} s  {submit_q:3d} queries")


if __name__ == "__main__":
    main()
