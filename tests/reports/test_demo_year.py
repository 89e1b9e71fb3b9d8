"""The demo agency with half a year of CMB (records.demo.seed_demo_year, what `make run` loads):
every role's home and report shows the JP engine's own figures for the people it covers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from records import jp, ledger
from records.demo import seed_demo_year
from records.models import Employee, Session, SessionStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 7, 5)  # January-June are over: the pace is 10 JP


@pytest.fixture
def year(demo, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    made = seed_demo_year(year=2023, through_month=6)
    assert made > 50
    return 2023


def engine_total(employee: Employee, year: int) -> Decimal:
    book = ledger.ledger_for(employee.pk, year)
    return jp.year_summary(ledger.policy(), book.booked, year).total


def test_it_spreads_the_year_and_leaves_work_waiting(year):
    sessions = Session.objects.filter(agreement__year=year)
    months = {d.month for d in sessions.values_list("date", flat=True)}
    assert months == {1, 2, 3, 4, 5, 6}
    statuses = set(sessions.values_list("status", flat=True))
    assert {SessionStatus.VERIFIED, SessionStatus.SUBMITTED, SessionStatus.APPROVED} <= statuses
    totals = [engine_total(e, year) for e in Employee.objects.filter(atasan__isnull=False)]
    assert max(totals) >= Decimal("18") and min(totals) == Decimal("0")  # ahead, and not begun
    assert seed_demo_year(year=year, through_month=6) == 0  # once


def test_each_employee_home_shows_the_engines_total(year, client_as, demo):
    for employee in Employee.objects.filter(agreements__year=year).distinct():
        client = client_as("anonymous")
        client.force_login(employee.user)
        home = client.get("/").context["home"]
        assert home.progress.verified == engine_total(employee, year), employee.name


def test_the_atasan_sees_the_team_with_the_engines_totals(year, client_as, demo):
    team = client_as("atasan").get("/").context["team"]
    assert team.members
    for member in team.members:
        assert member.verified == engine_total(member.employee, year), member.employee.name
    waiting = Session.objects.filter(
        agreement__employee__atasan=demo.atasan.employee, status=SessionStatus.SUBMITTED
    ).count()
    assert team.to_approve == waiting > 0


def test_the_unit_table_and_monitoring_match_the_engine(year, client_as, demo):
    table = (
        client_as("pengelola").get(reverse("reports:unit_table"), {"tahun": year}).context["table"]
    )
    for row in table.rows:
        assert row.verified == engine_total(row.employee, year), row.employee.name

    view = client_as("biro").get(reverse("reports:monitoring"), {"tahun": year}).context["view"]
    everyone = Employee.objects.filter(active=True)
    assert view.total.total == sum(engine_total(e, year) for e in everyone)
    on_track = sum(1 for e in everyone if engine_total(e, year) * 12 >= 20 * 6)
    assert view.total.on_track == on_track
