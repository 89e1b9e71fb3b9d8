"""The home page of each role and the unit table with its exports (reports.dashboards)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from approvals import services as workflow
from records import jp, ledger
from records.models import Employee, Golongan, UnitKerja
from records.roles import roles_for
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 7, 5)  # six months gone: the pace is 10 JP


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def cahya_year(demo):
    """Cahya's 2023 so far: coaching in Jan (2) and Feb (2, one of them only submitted); a third
    coaching in January capped at 0; belajar mandiri 90 minutes in March; mentoring in July
    still a draft; one session returned."""
    coaching = factories.coaching(demo, year=2023)
    jan1, jan2, jan3, feb = (
        factories.session(coaching, d)
        for d in (
            datetime.date(2023, 1, 9),
            datetime.date(2023, 1, 16),
            datetime.date(2023, 1, 23),
            datetime.date(2023, 2, 6),
        )
    )
    for s in (jan1, jan2, jan3):
        factories.verified(demo, s)
    workflow.session_submit(session=feb, actor=feb.agreement.employee)
    learning = factories.self_learning(demo, year=2023)
    factories.verified(demo, factories.session(learning, datetime.date(2023, 3, 6), minutes=90))
    returned = factories.session(coaching, datetime.date(2023, 3, 13))
    workflow.session_submit(session=returned, actor=returned.agreement.employee)
    workflow.session_return(
        session=returned,
        actor_roles=roles_for(demo.atasan),
        actor=demo.atasan,
        comment="Lengkapi",
    )
    factories.session(coaching, datetime.date(2023, 7, 3))  # a draft in July
    return coaching


def test_the_employee_home_shows_the_engines_figures(client_as, demo, today, cahya_year):
    book = ledger.ledger_for(demo.pegawai.employee.pk, 2023)
    summary = jp.year_summary(ledger.policy(), book.booked, 2023)
    assert summary.total == Decimal("6")  # 2 + 2 + 0 (capped) coaching, 2 belajar mandiri
    response = client_as("pegawai").get("/")
    home = response.context["home"]
    assert home.progress.verified == summary.total
    assert home.progress.projected == book.projected_total == Decimal("2")
    assert home.progress.by_kind == dict(summary.by_kind)
    assert home.progress.missing == Decimal("14")
    assert home.progress.pace == Decimal("10.0") and home.progress.behind
    assert (home.returned, home.drafts, home.pending) == (1, 1, 1)
    page = response.content.decode()
    assert 'data-testid="verified-total">6<' in page
    assert 'data-testid="projected-total">2<' in page
    assert "Coaching 4 JP · Mentoring 0 JP · Belajar Mandiri 2 JP" in page
    # Cap use this month: the July draft holds no capacity yet.
    assert "Coaching Juli: 0 dari 2" in page
    assert "Di bawah target" in page


def test_the_next_steps_put_the_returned_session_first(client_as, demo, today, cahya_year):
    steps = client_as("pegawai").get("/").context["home"].steps
    texts = [s.text for s in steps]
    assert texts[0].startswith("Perbaiki 1 pertemuan yang dikembalikan")
    assert steps[0].url.endswith("?status=returned")
    assert any(t.startswith("Ajukan 1 draf") for t in texts)
    assert any(t.startswith("Bulan Juli masih dapat dihitung: Coaching (0/2)") for t in texts)


def test_a_new_employee_is_told_to_set_a_development_area(client_as, demo, today):
    steps = client_as("pegawai").get("/").context["home"].steps
    assert [s.url for s in steps] == [
        reverse("records:area_list"),
        reverse("records:agreement_list"),
    ]


def test_the_atasan_home_shows_the_team_and_who_is_behind(client_as, demo, today, cahya_year):
    response = client_as("atasan").get("/")
    team = response.context["team"]
    cahya = next(m for m in team.members if m.employee == demo.pegawai.employee)
    assert cahya.verified == ledger.ledger_for(demo.pegawai.employee.pk, 2023).verified_total
    assert cahya.behind
    assert team.to_approve == 1  # the February session
    assert {m.employee.atasan_id for m in team.members} == {demo.atasan.employee.pk}
    page = response.content.decode()
    assert "1 pertemuan menunggu persetujuan" in page
    assert f"{len(team.behind)} dari {len(team.members)} anggota tim di bawah target" in page


def test_a_mentor_who_is_no_atasan_is_told_of_sessions_waiting_for_confirmation(
    client_as, demo, today
):
    outsider = demo.outsider  # Galih: nobody's atasan
    assert not roles_for(outsider).is_atasan
    mentoring = factories.mentoring(demo, year=2023, mentor_user=outsider)
    session = factories.session(mentoring, datetime.date(2023, 7, 3))
    workflow.session_submit(session=session, actor=session.agreement.employee)

    response = client_as("outsider").get("/")
    home = response.context["home"]
    assert home.to_approve == 1
    step = next(s for s in home.steps if s.url == reverse("approvals:approval_queue"))
    assert step.text == "1 pertemuan menunggu persetujuan atau konfirmasi Anda."
    assert step.urgent
    assert "team" not in response.context  # still no team of his own


def test_a_plain_employee_sees_no_team_and_no_report_links(client_as, demo, today):
    response = client_as("pegawai").get("/")
    assert "team" not in response.context
    assert 'data-testid="report-links"' not in response.content.decode()


@pytest.mark.parametrize("role", ["pengelola", "pimpinan", "biro"])
def test_report_roles_get_links_to_the_unit_table(client_as, demo, role):
    assert reverse("reports:unit_table") in client_as(role).get("/").content.decode()


@pytest.fixture
def cahya_followup(demo, today):
    """Cahya flagged in period I of 2023, and given a follow-up by the unit head."""
    from reports.evaluations import evaluation_run, followup_assign

    evaluation = evaluation_run(year=2023, period=1, user=demo.biro, today=TODAY)
    return followup_assign(
        entry=evaluation.entries.get(employee=demo.pegawai.employee),
        roles=roles_for(demo.pimpinan),
        kind="pelatihan",
        description="Pelatihan penulisan nota dinas",
        due_date=TODAY + datetime.timedelta(days=30),
        user=demo.pimpinan,
        today=TODAY,
    )


def test_the_open_followups_show_on_the_employees_home(client_as, demo, cahya_followup):
    page = client_as("pegawai").get("/").content.decode()
    assert "Pelatihan penulisan nota dinas" in page


def test_the_atasan_reaches_the_teams_followups_from_the_home_page(client_as, demo, cahya_followup):
    client = client_as("atasan")
    home = client.get("/")
    link = re.search(r'href="([^"]+)" data-testid="team-followups-link"', home.content.decode())
    assert link and link[1] == reverse("reports:my_followups")
    assert home.context["team_followups_open"] == 1
    page = client.get(link[1])
    assert page.status_code == 200
    assert 'data-testid="team-followups"' in page.content.decode()
    assert "Pelatihan penulisan nota dinas" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "linked"),
    [("pimpinan", True), ("biro", True), ("pengelola", False), ("atasan", False)],
)
def test_pimpinan_and_biro_sdm_reach_the_monitoring_page_from_home(client_as, demo, role, linked):
    """A card on the home page, not only the Laporan menu (every page has the menu)."""
    client = client_as(role)
    page = client.get("/").content.decode()
    card = page.split('data-testid="report-links"', 1)[-1].split("</section>", 1)[0]
    assert (f'href="{reverse("reports:monitoring")}"' in card) is linked
    if linked:
        assert client.get(reverse("reports:monitoring")).status_code == 200


# --- the unit table ---------------------------------------------------------------------------


def biro_sdm() -> UnitKerja:
    return UnitKerja.objects.get(code="biro-sdm")


def test_the_unit_table_lists_the_units_employees_with_the_engines_figures(
    client_as, demo, today, cahya_year
):
    response = client_as("pengelola").get(reverse("reports:unit_table"), {"tahun": 2023})
    table = response.context["table"]
    assert table.unit == biro_sdm()
    expected = Employee.objects.filter(unit=biro_sdm(), active=True).count()
    assert table.total == len(table.rows) >= expected
    cahya = next(r for r in table.rows if r.employee == demo.pegawai.employee)
    assert cahya.verified == Decimal("6") and cahya.projected == Decimal("2")
    assert [r.employee.name.lower() for r in table.rows] == sorted(
        r.employee.name.lower() for r in table.rows
    )
    page = response.content.decode()
    assert reverse("reports:kartu_form", args=[demo.pegawai.employee.pk]) in page


def test_filters_and_sorting(client_as, demo, today, cahya_year):
    client = client_as("pengelola")
    url = reverse("reports:unit_table")
    rows = (
        client.get(url, {"tahun": 2023, "urut": "terverifikasi", "turun": "1"})
        .context["table"]
        .rows
    )
    assert rows[0].employee == demo.pegawai.employee
    only = client.get(url, {"tahun": 2023, "q": "cahya"}).context["table"].rows
    assert [r.employee for r in only] == [demo.pegawai.employee]
    by_nip = client.get(url, {"tahun": 2023, "q": demo.pegawai.employee.nip[:8]}).context["table"]
    assert demo.pegawai.employee in [r.employee for r in by_nip.rows]
    behind = client.get(url, {"tahun": 2023, "status": "di_bawah_target"}).context["table"]
    assert all(r.behind for r in behind.rows) and behind.rows
    # An unknown sort key or status is ignored, not an error.
    assert client.get(url, {"urut": "password", "status": "x"}).status_code == 200


def test_a_unit_outside_ones_reach_is_not_found(client_as, demo):
    other = UnitKerja.objects.exclude(pk__in=[biro_sdm().pk]).exclude(parent=biro_sdm()).first()
    response = client_as("pengelola").get(reverse("reports:unit_table"), {"unit": other.pk})
    assert response.status_code == 404
    assert (
        client_as("biro").get(reverse("reports:unit_table"), {"unit": other.pk}).status_code == 200
    )


def test_the_csv_export_holds_exactly_the_rows_on_screen(client_as, demo, today, cahya_year):
    params = {"tahun": 2023, "q": "cahya"}
    response = client_as("pengelola").get(reverse("reports:unit_table_csv"), params)
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["NIP", "Nama"]
    assert len(rows) == 2
    assert rows[1][0] == demo.pegawai.employee.nip
    assert rows[1][7] == "6,0" and rows[1][8] == "2,0"
    assert rows[1][9] == "Di bawah target"


def test_the_xlsx_export_has_numbers_as_numbers(client_as, demo, today, cahya_year):
    response = client_as("biro").get(
        reverse("reports:unit_table_xlsx"), {"unit": biro_sdm().pk, "tahun": 2023}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "NIP"
    row = next(
        r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == demo.pegawai.employee.nip
    )
    assert row[4:9] == (4.0, 0.0, 2.0, 6.0, 2.0)
    assert sheet.freeze_panes == "C3"


def test_text_that_looks_like_a_formula_is_neutralised(client_as, demo, today):
    Employee.objects.filter(pk=demo.pegawai.employee.pk).update(jabatan='=HYPERLINK("x")')
    text = client_as("pengelola").get(reverse("reports:unit_table_csv")).content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    cahya = next(r for r in rows if r[0] == demo.pegawai.employee.nip)
    assert cahya[2] == '\'=HYPERLINK("x")'  # a spreadsheet shows it as text


def test_the_recap_status_per_quarter_is_shown(client_as, demo, today):
    from reports.models import RecapSubmission

    RecapSubmission.objects.create(
        unit=biro_sdm(),
        year=2023,
        quarter=1,
        submitted_by=demo.pengelola,
        submitted_at=timezone.now(),
        code="DASHTEST01",
    )
    table = (
        client_as("pengelola").get(reverse("reports:unit_table"), {"tahun": 2023}).context["table"]
    )
    assert table.submissions[1].code == "DASHTEST01"
    assert table.submissions[2] is None


# --- queries do not grow with the team or the unit ---------------------------------------------


def add_subordinates(demo, start: int, n: int) -> None:
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"bulk{start + i}") for i in range(n))
    Employee.objects.bulk_create(
        Employee(
            user=user,
            nip=f"1990010120150{1 if i % 2 else 2}{start + i:04d}"[:18],
            name=f"Pegawai Uji {start + i}",
            golongan=Golongan.values[0],
            jabatan="Analis",
            unit=biro_sdm(),
            atasan=demo.atasan.employee,
        )
        for i, user in enumerate(users)
    )


def queries_for(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("atasan", "/"),
        ("pengelola", reverse("reports:unit_table")),
        ("pengelola", reverse("reports:unit_table_csv")),
        ("pengelola", reverse("reports:unit_table_xlsx")),
    ],
)
def test_queries_stay_constant_from_10_to_1000_employees(client_as, demo, today, role, url):
    client = client_as(role)
    add_subordinates(demo, 0, 10)
    client.get(url)  # warm the session and caches
    few = queries_for(client, url)
    add_subordinates(demo, 10, 990)
    many = queries_for(client, url)
    assert many == few, (few, many)


def test_the_unit_table_pages_by_100_and_the_export_holds_every_row(client_as, demo, today):
    add_subordinates(demo, 0, 150)
    client = client_as("pengelola")
    first = client.get(reverse("reports:unit_table"), {"tahun": 2023}).context["table"]
    assert (len(first.rows), first.pages, first.matching) == (100, 2, first.total)
    second = client.get(reverse("reports:unit_table"), {"tahun": 2023, "halaman": 2}).context[
        "table"
    ]
    assert len(second.rows) == first.total - 100
    assert not {r.employee.pk for r in first.rows} & {r.employee.pk for r in second.rows}
    text = client.get(reverse("reports:unit_table_csv"), {"tahun": 2023}).content.decode()
    assert len(text.strip().splitlines()) == first.total + 1
