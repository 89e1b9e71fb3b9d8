"""A large agency for benchmarks and the load test: `manage.py seed_bench`.

N employees (default 10,000) in units of 250 under one root, each unit with a head, teams of
8 under team leads who report to the head, a pengelola kepegawaian; every employee with a year
of CMB: each month from January to October two coaching meetings, one mentoring meeting and
one belajar mandiri day. Everything up to September is verified, with the credit the JP engine
books in meeting order (what verification does one by one); October's coaching waits for the
atasan (submitted) and October's mentoring waits for Biro SDM (approved), so the queues are
full. Bulk inserts: a benchmark's data, not the workflow (the workflow is what the tests and
the load test exercise).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import jp, ledger
from .models import (
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
from .roles import BIRO_SDM_GROUP

UNIT_SIZE = 250
TEAM_SIZE = 8
PASSWORD = "bench12345"  # noqa: S105  # nosec B105
MONTHS = range(1, 11)
PLAN = (  # (kind, day of month, minutes)
    (Activity.COACHING, 5, None),
    (Activity.COACHING, 19, None),
    (Activity.MENTORING, 12, None),
    (Activity.BELAJAR_MANDIRI, 8, 90),
)


@dataclass
class Seeded:
    employees: int
    units: int
    sessions: int
    seconds: float


def _nip(i: int) -> str:
    """Valid, unique NIPs: birth 1980-01-01..1989, TMT 2005-01, sex digit, sequence."""
    birth = datetime.date(1980, 1, 1) + datetime.timedelta(days=i % 3650)
    return f"{birth:%Y%m%d}200501{1 + (i // 3650) % 2}{(i // 7300) + 1:03d}"


def seed(employees: int, year: int, *, out=print) -> Seeded:
    started = time.perf_counter()
    User = get_user_model()
    policy = ledger.policy()
    password = make_password(PASSWORD)
    now = timezone.now()
    with transaction.atomic():
        root = UnitKerja.objects.create(name="Instansi Uji Beban", code="bench-root")
        unit_count = max(1, -(-employees // UNIT_SIZE))
        units = UnitKerja.objects.bulk_create(
            UnitKerja(name=f"Unit Uji {u + 1:03d}", code=f"bench-{u + 1:03d}", parent=root)
            for u in range(unit_count)
        )
        users = User.objects.bulk_create(
            (
                User(username=f"bench{i:05d}", password=password, email=f"bench{i:05d}@uji.go.id")
                for i in range(employees)
            ),
            batch_size=5000,
        )
        people = Employee.objects.bulk_create(
            (
                Employee(
                    user=user,
                    nip=_nip(i),
                    name=f"Pegawai Uji {i + 1:05d}, S.Kom.",
                    golongan="III/a",
                    jabatan="Analis Sumber Daya Manusia Aparatur",
                    unit=units[i // UNIT_SIZE],
                )
                for i, user in enumerate(users)
            ),
            batch_size=5000,
        )
        # Atasan: the unit's first employee heads it; teams of 8 under a team lead, the team
        # leads under the head.
        by_atasan: dict[int, list[int]] = {}
        for u, unit in enumerate(units):
            members = people[u * UNIT_SIZE : (u + 1) * UNIT_SIZE]
            if not members:
                continue
            head, rest = members[0], members[1:]
            unit.head = head
            for t in range(0, len(rest), TEAM_SIZE + 1):
                lead, team = rest[t], rest[t + 1 : t + 1 + TEAM_SIZE]
                by_atasan.setdefault(head.pk, []).append(lead.pk)
                by_atasan.setdefault(lead.pk, []).extend(p.pk for p in team)
        # The root's head (no CMB of their own here) is the atasan of every unit head.
        chief_user = User.objects.create(
            username="bench-kepala", password=password, email="bench-kepala@uji.go.id"
        )
        chief = Employee.objects.create(
            user=chief_user,
            nip="197001012000011001",
            name="Kepala Instansi Uji, M.Si.",
            golongan="IV/c",
            jabatan="Kepala",
            unit=root,
        )
        root.head = chief
        root.save(update_fields=["head"])
        by_atasan[chief.pk] = [unit.head_id for unit in units if unit.head_id]
        UnitKerja.objects.bulk_update(units, ["head"])
        for atasan, subordinates in by_atasan.items():
            Employee.objects.filter(pk__in=subordinates).update(atasan_id=atasan)
        for u, unit in enumerate(units):
            if len(people) > u * UNIT_SIZE + 1:
                unit.pengelola.add(people[u * UNIT_SIZE + 1])
        Group.objects.get(name=BIRO_SDM_GROUP).user_set.add(users[-1])
        atasan_of = dict(
            Employee.objects.filter(pk__in=[p.pk for p in people]).values_list("pk", "atasan_id")
        )
        elapsed = time.perf_counter() - started
        out(f"  {employees:,} employees in {unit_count} units ({elapsed:.1f} s)")

        areas = DevelopmentArea.objects.bulk_create(
            (
                DevelopmentArea(
                    employee=person,
                    year=year,
                    competency_type=CompetencyType.TEKNIS,
                    competency="Analisis jabatan",
                    current_level=1,
                    required_level=2,
                )
                for person in people
            ),
            batch_size=5000,
        )
        agreements = Agreement.objects.bulk_create(
            (
                Agreement(
                    employee=person,
                    kind=kind,
                    area=area,
                    year=year,
                    status=AgreementStatus.ACTIVE,
                    atasan_id=atasan_of[person.pk],
                    mentor_id=atasan_of[person.pk] if kind != Activity.BELAJAR_MANDIRI else None,
                    title=f"{Activity(kind).label} analisis jabatan",
                    created_by=person.user,
                )
                for person, area in zip(people, areas, strict=True)
                for kind in Activity.values
            ),
            batch_size=5000,
        )
        sources = LearningSource.objects.bulk_create(
            (
                LearningSource(agreement=a, kind="buku", title="Analisis Jabatan")
                for a in agreements
                if a.kind == Activity.BELAJAR_MANDIRI
            ),
            batch_size=5000,
        )
        source_of = {s.agreement_id: s.pk for s in sources}
        out(f"  areas, agreements, sources ({time.perf_counter() - started:.1f} s)")

        total = 0
        batch: list[Session] = []
        for index in range(0, len(agreements), 3):
            by_kind = {a.kind: a for a in agreements[index : index + 3]}
            booked: list[tuple[jp.Activity, Decimal]] = []
            numbers = dict.fromkeys(by_kind, 0)
            for month in MONTHS:
                for kind, day, minutes in PLAN:
                    agreement = by_kind[kind]
                    numbers[kind] += 1
                    on = datetime.date(year, month, day)
                    status = SessionStatus.VERIFIED
                    if month == MONTHS[-1] and kind == Activity.COACHING:
                        status = SessionStatus.SUBMITTED
                    elif month == MONTHS[-1] and kind == Activity.MENTORING:
                        status = SessionStatus.APPROVED
                    credit = None
                    if status == SessionStatus.VERIFIED:
                        activity = jp.Activity(
                            key=total, kind=kind, scope="nasional", on=on,
                            start=datetime.time(9, 0), minutes=minutes,
                        )  # fmt: skip
                        credit = jp.credit_for(policy, activity, booked)
                        booked.append((activity, credit.jp))
                    batch.append(
                        Session(
                            agreement=agreement,
                            number=numbers[kind],
                            date=on,
                            start_time=datetime.time(9, 0),
                            end_time=datetime.time(10, 30),
                            place="Ruang rapat",
                            scope="nasional",
                            mode="luring",
                            needs="Kesenjangan kompetensi analisis jabatan.",
                            responsibility="Tugas jabatan.",
                            activity="Diskusi dan latihan.",
                            result="Draf analisis jabatan.",
                            source_id=source_of.get(agreement.pk),
                            duration_minutes=minutes,
                            resume="Ringkasan bacaan." if minutes else "",
                            status=status,
                            credit_jp=credit.jp if credit else None,
                            credit_reason=credit.reason if credit else "",
                            submitted_at=now - datetime.timedelta(days=3),
                            verified_at=now if credit else None,
                        )
                    )
                    total += 1
            if len(batch) >= 20000:
                Session.objects.bulk_create(batch, batch_size=5000)
                batch = []
                out(f"  {total:,} sessions ({time.perf_counter() - started:.1f} s)")
        Session.objects.bulk_create(batch, batch_size=5000)
    return Seeded(employees, len(units), total, time.perf_counter() - started)
