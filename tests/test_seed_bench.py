"""The benchmark seed (records.bench_seed) on a small scale, so it keeps working; and the
command's refusal to touch a database that is not a PostgreSQL "bench" one."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from records import jp, ledger
from records.bench_seed import seed
from records.models import Employee, Session, UnitKerja


@pytest.mark.django_db
def test_a_small_seed_books_what_the_engine_gives(demo):
    result = seed(30, 2025, out=lambda _: None)
    assert (result.employees, result.units, result.sessions) == (30, 1, 30 * 40)
    people = Employee.objects.filter(user__username__startswith="bench0")
    assert people.count() == 30
    assert not people.filter(atasan__isnull=True).exists()  # the chief heads the unit heads
    unit = UnitKerja.objects.get(code="bench-001")
    assert unit.head is not None and unit.pengelola.exists()
    for person in people[:5]:
        book = ledger.ledger_for(person.pk, 2025)
        verified = [a for a, _ in book.booked]
        # Booking again in meeting order from nothing gives the stored credit.
        expected = jp.project(ledger.policy(), verified, [])
        assert {a.key: c for a, c in book.booked} == {k: v.jp for k, v in expected.items()}
    assert Session.objects.filter(status="submitted").count() == 30 * 2
    assert Session.objects.filter(status="approved").count() == 30


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_is_not_a_bench_one():
    with pytest.raises(CommandError):
        call_command("seed_bench", "--employees", "5", "--yes")


@pytest.mark.django_db
def test_bench_pages_times_every_page_on_a_small_seed(demo, settings):
    import io

    settings.SECURE_SSL_REDIRECT = True  # as in production: the command must ask over HTTPS
    seed(30, 2025, out=lambda _: None)
    out = io.StringIO()
    call_command("bench_pages", "--runs", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split()[:3] == ["page", "median", "ms"]
    timed = [line for line in lines[2:] if line.strip()]
    assert len(timed) >= 15 and all(line.split()[-1].isdigit() for line in timed)
