"""The pimpinan's and Biro SDM's monitoring page (reports.monitoring) and its SVG charts."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from approvals import services as workflow
from approvals.models import AuditEntry
from records import jp, ledger
from records.models import Employee, Golongan, Session, UnitKerja
from reports import charts
from reports.models import RecapSubmission
from tests import factories

TODAY = datetime.date(2023, 7, 5)
SVG = "{http://www.w3.org/2000/svg}"
URL = reverse("reports:monitoring")


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


def biro_sdm() -> UnitKerja:
    return UnitKerja.objects.get(code="biro-sdm")


@pytest.fixture
def year_2023(demo):
    """Cahya: 4 JP coaching (January) + 2 JP belajar mandiri (March) verified; one session
    waiting for the atasan (submitted 1 June), one waiting for Biro SDM (approved 20 June)."""
    coaching = factories.coaching(demo, year=2023)
    for day in (datetime.date(2023, 1, 9), datetime.date(2023, 1, 16)):
        factories.verified(demo, factories.session(coaching, day))
    learning = factories.self_learning(demo, year=2023)
    factories.verified(demo, factories.session(learning, datetime.date(2023, 3, 6), minutes=90))
    waiting = factories.session(coaching, datetime.date(2023, 5, 8))
    workflow.session_submit(session=waiting, actor=waiting.agreement.employee)
    Session.objects.filter(pk=waiting.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2023, 6, 1, 9))
    )
    approved = factories.session(coaching, datetime.date(2023, 5, 15))
    workflow.session_submit(session=approved, actor=approved.agreement.employee)
    workflow.session_approve(session=approved, actor=demo.atasan.employee)
    # The audit trail is append-only; the approval's time is set as the test's "then".
    AuditEntry.objects.filter(session=approved, action="approved").update(
        at=timezone.make_aware(datetime.datetime(2023, 6, 20, 9))
    )
    return coaching


@pytest.mark.django_db
def test_biro_sees_the_units_with_the_engines_totals(client_as, demo, today, year_2023):
    response = client_as("biro").get(URL, {"tahun": 2023})
    assert response.status_code == 200
    view = response.context["view"]
    book = ledger.ledger_for(demo.pegawai.employee.pk, 2023)
    summary = jp.year_summary(ledger.policy(), book.booked, 2023)
    assert view.total.jp[jp.COACHING] == summary.by_kind[jp.COACHING] == Decimal("4")
    assert view.total.jp[jp.BELAJAR_MANDIRI] == Decimal("2")
    assert view.total.total == summary.total
    assert view.total.employees == Employee.objects.filter(active=True).count()
    assert view.months[0][jp.COACHING] == Decimal("4")  # January
    assert view.months[2][jp.BELAJAR_MANDIRI] == Decimal("2")  # March
    assert sum(m[jp.MENTORING] for m in view.months) == 0


@pytest.mark.django_db
def test_the_backlog_counts_and_ages(client_as, demo, today, year_2023):
    view = client_as("biro").get(URL, {"tahun": 2023}).context["view"]
    assert (view.waiting_atasan.count, view.waiting_atasan.oldest_days) == (1, 34)
    assert (view.waiting_biro.count, view.waiting_biro.oldest_days) == (1, 15)
    assert view.waiting_biro.median_days == 15


@pytest.mark.django_db
def test_the_pimpinan_sees_his_unit_and_its_direct_employees(client_as, demo, today, year_2023):
    view = client_as("pimpinan").get(URL, {"tahun": 2023}).context["view"]
    assert view.unit == biro_sdm()
    own = next(r for r in view.rows if r.own_only)
    assert own.employees == Employee.objects.filter(unit=biro_sdm(), active=True).count()
    assert own.jp[jp.COACHING] == Decimal("4")
    # 6 JP is below the pace at the end of June (10 JP): Cahya is not on track.
    assert own.on_track == 0


@pytest.mark.django_db
def test_a_unit_outside_the_pimpinans_tree_is_not_found(client_as, demo):
    outside = UnitKerja.objects.exclude(pk=biro_sdm().pk).exclude(parent=biro_sdm())
    outside = outside.exclude(pk=biro_sdm().parent_id).first()
    assert client_as("pimpinan").get(URL, {"unit": outside.pk}).status_code == 404
    assert client_as("biro").get(URL, {"unit": outside.pk}).status_code == 200


@pytest.mark.django_db
def test_recap_submissions_show_per_quarter(client_as, demo, today):
    parent = biro_sdm().parent
    RecapSubmission.objects.create(
        unit=biro_sdm(),
        year=2023,
        quarter=2,
        submitted_by=demo.pengelola,
        submitted_at=timezone.now(),
        code="MONITOR001",
    )
    view = client_as("biro").get(URL, {"tahun": 2023, "unit": parent.pk}).context["view"]
    row = next(r for r in view.rows if r.unit == biro_sdm())
    assert row.submitted[2].code == "MONITOR001" and row.submitted[1] is None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["pegawai", "atasan", "pengelola"])
def test_other_roles_are_refused(client_as, demo, role):
    assert client_as(role).get(URL).status_code == 403


@pytest.mark.django_db
def test_the_page_carries_both_charts_and_their_numbers(client_as, demo, today, year_2023):
    page = client_as("biro").get(URL, {"tahun": 2023}).content.decode()
    assert page.count('role="img"') >= 2
    assert "JP terverifikasi per bulan menurut kegiatan, 2023" in page
    assert 'data-testid="month-rows"' in page


def add_employees(unit, start, n):
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"mon{start + i}") for i in range(n))
    Employee.objects.bulk_create(
        Employee(
            user=u,
            nip=f"1990010120150{1 if i % 2 else 2}{start + i:04d}"[:18],
            name=f"Pegawai {start + i}",
            golongan=Golongan.values[0],
            jabatan="Analis",
            unit=unit,
        )
        for i, u in enumerate(users)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["biro", "pimpinan"])
def test_queries_stay_constant_from_10_to_1000_employees(client_as, demo, today, role):
    client = client_as(role)
    add_employees(biro_sdm(), 0, 10)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    add_employees(biro_sdm(), 10, 990)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.context["view"].total.employees > 1000
    assert len(many) == len(few)


# --- charts ----------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_a_chart_is_well_formed_accessible_and_escapes_its_text():
    svg = charts.stacked_bars(
        "Judul <script>alert(1)</script> & co",
        ["Jan", "<b>"],
        [('Coaching & "x"', [Decimal("2"), Decimal("4")])],
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Judul <script>alert(1)</script> & co"
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    share = parse(charts.share_bars("Unit & <i>", [("<Biro>", 50)]))
    assert share.find(f"{SVG}title").text == "Unit & <i>"


def test_bar_heights_are_proportional():
    root = parse(charts.stacked_bars("t", ["a", "b"], [("x", [2, 4])]))
    heights = [
        float(r.get("height")) for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None
    ]
    assert heights[1] == pytest.approx(2 * heights[0])


def test_an_empty_chart_says_so_instead_of_dividing_by_zero():
    svg = charts.stacked_bars("t", ["Jan"], [("x", [0])])
    assert "Belum ada data" in svg
    assert "Belum ada data" in charts.share_bars("t", [])
    parse(svg)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_bars_always_fit_the_plot(values):
    root = parse(charts.stacked_bars("t", [str(i) for i in range(len(values))], [("x", values)]))
    top, plot_h = 24, 240 - 24 - 44
    for rect in root.iter(f"{SVG}rect"):
        if rect.find(f"{SVG}title") is None:
            continue
        y, h = float(rect.get("y")), float(rect.get("height"))
        assert h >= 0 and y >= top - 0.11 and y + h <= top + plot_h + 0.11


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_the_axis_maximum_is_round_and_covers_the_value(value):
    peak = charts.nice_max(value)
    assert peak >= value and peak > 0
    mantissa = peak / 10 ** len(str(int(peak))) * 10 if peak >= 1 else None
    if mantissa is not None:
        assert round(mantissa, 6) in (1, 2, 5, 10)
