"""The 4-monthly evaluation: who is flagged, the snapshot, follow-ups from assignment to done,
who may do what, and constant queries as a unit grows."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from records import services
from records.models import Employee, UnitKerja
from records.roles import roles_for
from reports import evaluations
from reports.evaluations import Period
from reports.models import Evaluation, EvaluationEntry, FollowUp, FollowUpStatus
from tests import factories

CAHYA_NIP = "199708212020122005"
AYU_NIP = "199512032019032011"
GALIH_NIP = "199409092018011004"  # Kantor Regional I: not the Biro SDM pimpinan's unit
D = Decimal
TODAY = datetime.date.today()


def coaching_for(demo, nip: str):
    """An active coaching agreement for one of Diah's staff (proposed by Diah, agreed)."""
    employee = Employee.objects.get(nip=nip)
    agreement = services.agreement_propose_coaching(
        atasan=factories.employee(demo.atasan),
        area=factories.area(employee, 2022),
        title="Penyusunan laporan",
        goal="Laporan yang runtut",
        target="Satu laporan triwulan",
        actor=demo.atasan,
    )
    return services.agreement_respond(agreement=agreement, actor=employee, accept=True)


def verified_on(demo, agreement, *days: datetime.date):
    for day in days:
        factories.verified(demo, factories.session(agreement, day))


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2022, month, day)


def entries(evaluation: Evaluation) -> dict[str, EvaluationEntry]:
    return {e.employee.nip: e for e in evaluation.entries.select_related("employee")}


def run(demo, period: int) -> Evaluation:
    return evaluations.evaluation_run(year=2022, period=period, user=demo.biro)


# --- The period ------------------------------------------------------------------------------


def test_the_three_periods_cover_the_year_in_four_months_each():
    spans = [(Period(2022, n).start, Period(2022, n).end) for n in (1, 2, 3)]
    assert spans == [(d(1, 1), d(4, 30)), (d(5, 1), d(8, 31)), (d(9, 1), d(12, 31))]
    assert Period(2022, 2).label == "Periode II (Mei – Agustus) Tahun 2022"
    with pytest.raises(ValueError):
        Period(2022, 4)


@given(st.dates(min_value=datetime.date(2021, 1, 1), max_value=datetime.date(2030, 12, 31)))
def test_the_last_ended_period_is_over_and_the_next_one_is_not(today):
    last = Period.last_ended(today)
    assert last.has_ended(today)
    after = Period(last.year, last.number + 1) if last.number < 3 else Period(last.year + 1, 1)
    assert not after.has_ended(today)
    assert after.start == last.end + datetime.timedelta(days=1)


# --- Who is flagged ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "max_by_hand"),
    [
        # BKN, September to December (4 months), at each kind's best rate: coaching 2 meetings
        # x 2 JP (no international rate) = 4, mentoring 2 x 4 JP (international) = 8, belajar
        # mandiri 2 days x 2.4 JP (2 JP + 20%) = 4.8: 16.8 JP a month, 67.2 in four; plus 8.
        ("bkn", D("8") + 4 * (2 * 2 + 2 * 4 + D("2") * D("2.4"))),
        # Langsa: coaching 2 x 4 JP international = 8, mentoring 2 x 4 = 8 a month, and belajar
        # mandiri has no monthly cap: every day of Sep-Dec (30+31+30+31 = 122) x 2.4 JP.
        ("langsa", D("8") + 4 * (2 * 4 + 2 * 4) + 122 * D("2.4")),
    ],
)
def test_8_jp_at_the_end_of_august_is_behind_pace_but_not_out_of_reach(
    demo, settings, policy, max_by_hand
):
    settings.CMB_POLICY = policy
    agreement = coaching_for(demo, CAHYA_NIP)
    verified_on(demo, agreement, d(1, 10), d(1, 20), d(2, 10), d(2, 20))  # 4 x 2 JP
    ayu = coaching_for(demo, AYU_NIP)
    verified_on(demo, ayu, d(1, 5), d(1, 6), d(2, 5), d(2, 6), d(3, 5), d(3, 6), d(4, 5))
    evaluation = run(demo, 2)
    found = entries(evaluation)
    cahya = found[CAHYA_NIP]
    # 20 JP x 8/12 = 13.3 JP expected by 31 August; 8 is behind, and 8 + what Sep-Dec allows
    # is far above 20, so "behind pace", not "cannot reach".
    assert evaluation.pace_jp == D("13.3")
    assert (cahya.verified_jp, cahya.reason) == (D("8.0"), "behind_pace")
    assert cahya.max_attainable_jp == max_by_hand
    assert AYU_NIP not in found  # 14 JP >= 13.3: on pace
    assert evaluation.policy == policy


def test_at_the_end_of_december_8_jp_cannot_reach_20_under_either_policy(demo, settings):
    agreement = coaching_for(demo, CAHYA_NIP)
    verified_on(demo, agreement, d(1, 10), d(1, 20), d(2, 10), d(2, 20))
    for policy in ("bkn", "langsa"):
        settings.CMB_POLICY = policy
        cahya = entries(run(demo, 3))[CAHYA_NIP]
        # Nothing is left of the year: the most she can hold is what she has.
        assert (cahya.reason, cahya.max_attainable_jp, cahya.verified_jp) == (
            "cannot_reach",
            D("8.0"),
            D("8.0"),
        )


def test_only_sessions_up_to_the_last_day_of_the_period_count(demo):
    agreement = coaching_for(demo, CAHYA_NIP)
    # March 2 + 30 April 1 = 6 JP by the end of period I (pace 6.7): behind.
    verified_on(demo, agreement, d(3, 1), d(3, 2), d(4, 30), d(5, 1))
    cahya = entries(run(demo, 1))[CAHYA_NIP]
    assert (cahya.verified_jp, cahya.reason) == (D("6.0"), "behind_pace")
    # One more on 29 April makes 8 JP by 30 April: on pace, no longer flagged.
    verified_on(demo, agreement, d(4, 29))
    assert CAHYA_NIP not in entries(run(demo, 1))


def test_pending_sessions_show_as_projected_but_do_not_clear_the_flag(demo):
    from approvals.services import session_submit

    agreement = coaching_for(demo, CAHYA_NIP)
    verified_on(demo, agreement, d(1, 10))
    pending = factories.session(agreement, d(1, 20))
    session_submit(session=pending, actor=pending.agreement.employee)
    cahya = entries(run(demo, 1))[CAHYA_NIP]
    assert (cahya.verified_jp, cahya.projected_jp) == (D("2.0"), D("4.0"))


def test_inactive_employees_are_not_evaluated(demo):
    active = Employee.objects.filter(active=True).count()
    Employee.objects.filter(nip=AYU_NIP).update(active=False)
    evaluation = run(demo, 2)
    assert AYU_NIP not in entries(evaluation)
    assert CAHYA_NIP in entries(evaluation)
    assert evaluation.employee_count == active - 1


def test_the_snapshot_stays_as_it_was_until_biro_sdm_runs_it_again(demo):
    agreement = coaching_for(demo, CAHYA_NIP)
    evaluation = run(demo, 2)
    before = entries(evaluation)[CAHYA_NIP]
    _, entry = evaluation, before
    followup = evaluations.followup_assign(
        entry=entry,
        roles=roles_for(demo.pimpinan),
        user=demo.pimpinan,
        kind="workshop",
        description="Workshop CMB",
        due_date=TODAY,
    )
    # Verified later: 8 sessions of Jan-Apr give 16 JP by August (>= 13.3).
    verified_on(demo, agreement, *[d(m, day) for m in (1, 2, 3, 4) for day in (3, 4)])
    still = EvaluationEntry.objects.get(pk=before.pk)
    assert (still.verified_jp, still.reason) == (D("0.0"), "behind_pace")
    again = run(demo, 2)
    assert again.pk == evaluation.pk and again.run_count == 2
    assert CAHYA_NIP not in entries(again)
    # The follow-up already assigned is kept, shown apart on the unit page.
    assert FollowUp.objects.get(pk=followup.pk).evaluation_id == evaluation.pk
    html = (
        demo.client_for("pimpinan")
        .get(reverse("reports:evaluation_unit", args=[evaluation.pk, entry.unit_id]))
        .content.decode()
    )
    assert "tidak lagi ditandai" in html and "Workshop CMB" in html


def test_a_period_that_has_not_ended_cannot_be_run(demo):
    this_year = TODAY.year
    with pytest.raises(ValidationError, match="belum berakhir"):
        evaluations.evaluation_run(year=this_year, period=3, user=demo.biro)
    with pytest.raises(ValidationError, match="tidak dikenal"):
        evaluations.evaluation_run(year=2022, period=4, user=demo.biro)
    assert not Evaluation.objects.exists()


# --- Through the pages -----------------------------------------------------------------------


def test_biro_sdm_runs_an_evaluation_from_the_list(demo):
    client = demo.client_for("biro")
    response = client.post(
        reverse("reports:evaluation_run"), {"tahun": 2022, "periode": 2}, follow=True
    )
    evaluation = Evaluation.objects.get(year=2022, period=2)
    assert response.redirect_chain[-1][0] == reverse(
        "reports:evaluation_detail", args=[evaluation.pk]
    )
    html = response.content.decode()
    assert "pegawai ditandai" in html
    assert UnitKerja.objects.get(code="biro-sdm").name in html
    # The list shows it; pimpinan and pengelola see it too but get no run form.
    assert (
        "Periode II (Mei – Agustus) Tahun 2022"
        in client.get(reverse("reports:evaluation_list")).content.decode()
    )
    for role in ("pimpinan", "pengelola"):
        html = demo.client_for(role).get(reverse("reports:evaluation_list")).content.decode()
        assert "Periode II" in html and 'data-testid="run-evaluation"' not in html


def test_running_a_period_that_is_not_over_says_why_and_runs_nothing(demo):
    response = demo.client_for("biro").post(
        reverse("reports:evaluation_run"), {"tahun": TODAY.year, "periode": 3}, follow=True
    )
    assert "belum berakhir" in response.content.decode()
    assert not Evaluation.objects.exists()
    response = demo.client_for("biro").post(
        reverse("reports:evaluation_run"), {"tahun": 2022, "periode": 7}, follow=True
    )
    assert "Pilih periode I, II atau III." in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_follow_up_goes_from_assignment_to_done(demo, django_capture_on_commit_callbacks):
    evaluation = run(demo, 2)
    entry = entries(evaluation)[CAHYA_NIP]
    unit_page = reverse("reports:evaluation_unit", args=[evaluation.pk, entry.unit_id])
    assign = reverse("reports:followup_assign", args=[evaluation.pk, entry.pk])
    # Pengelola reads the unit, without the assign button, and may not assign.
    html = demo.client_for("pengelola").get(unit_page).content.decode()
    assert CAHYA_NIP in html and 'data-testid="assign"' not in html
    assert demo.client_for("pengelola").get(assign).status_code == 403
    # The unit head assigns.
    pimpinan = demo.client_for("pimpinan")
    assert 'data-testid="assign"' in pimpinan.get(unit_page).content.decode()
    due = TODAY + datetime.timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = pimpinan.post(
            assign,
            {
                "kind": "cmb_atasan",
                "description": "Dua kali coaching bersama atasan",
                "due_date": due,
            },
        )
    assert response.status_code == 302 and response["Location"] == unit_page
    followup = FollowUp.objects.get()
    assert (followup.employee.nip, followup.status, followup.assigned_by) == (
        CAHYA_NIP,
        FollowUpStatus.OPEN,
        demo.pimpinan,
    )
    # The employee and the atasan are told by e-mail (after the commit).
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {demo.pegawai.email, demo.atasan.email} - {""}
    assert "CMB bersama atasan langsung" in mail.outbox[0].body
    # Both see it; Cahya's atasan sees it under her staff.
    mine = reverse("reports:my_followups")
    assert (
        "Dua kali coaching bersama atasan" in demo.client_for("pegawai").get(mine).content.decode()
    )
    team = demo.client_for("atasan").get(mine).content.decode()
    assert 'data-testid="team-followups"' in team and "Dua kali coaching" in team
    assert "Dua kali coaching" not in demo.client_for("pengelola").get(mine).content.decode()
    # Someone else cannot mark it done; the atasan can, with a note.
    done = reverse("reports:followup_done", args=[followup.pk])
    assert demo.client_for("pengelola").post(done, {"note": "x"}).status_code == 404
    assert demo.client_for("outsider").post(done, {"note": "x"}).status_code == 404
    assert (
        demo.client_for("atasan").post(done, {"note": "Coaching 5 dan 12 September"}).status_code
        == 302
    )
    followup.refresh_from_db()
    assert (followup.status, followup.done_by, followup.note) == (
        FollowUpStatus.DONE,
        demo.atasan,
        "Coaching 5 dan 12 September",
    )
    # The evaluation shows the completion.
    assert "Tindak lanjut selesai: 1 dari 1 (100%)" in pimpinan.get(unit_page).content.decode()
    detail = demo.client_for("biro").get(reverse("reports:evaluation_detail", args=[evaluation.pk]))
    assert "1/1 (100%)" in detail.content.decode()
    # Marking it again changes nothing.
    response = demo.client_for("pegawai").post(done, {"note": "lagi"}, follow=True)
    assert "sudah ditandai selesai" in response.content.decode()
    followup.refresh_from_db()
    assert followup.note == "Coaching 5 dan 12 September"


def test_the_employee_marks_their_own_follow_up_done(demo):
    evaluation = run(demo, 2)
    entry = entries(evaluation)[CAHYA_NIP]
    response = demo.client_for("biro").post(
        reverse("reports:followup_assign", args=[evaluation.pk, entry.pk]),
        {"kind": "pelatihan", "description": "Pelatihan analis SDM", "due_date": TODAY},
    )
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    response = demo.client_for("pegawai").post(
        reverse("reports:followup_done", args=[followup.pk]), {"note": "Sudah ikut"}, follow=True
    )
    assert "Tindak lanjut ditandai selesai." in response.content.decode()
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.DONE and followup.done_by == demo.pegawai


def test_a_past_due_date_or_missing_fields_are_refused_in_indonesian(demo):
    evaluation = run(demo, 2)
    entry = entries(evaluation)[CAHYA_NIP]
    assign = reverse("reports:followup_assign", args=[evaluation.pk, entry.pk])
    client = demo.client_for("pimpinan")
    yesterday = TODAY - datetime.timedelta(days=1)
    html = client.post(
        assign, {"kind": "workshop", "description": "Workshop", "due_date": yesterday}
    ).content.decode()
    assert "Batas waktu tidak boleh sebelum hari ini." in html
    html = client.post(assign, {"kind": "", "description": " ", "due_date": ""}).content.decode()
    assert "Pilih jenis tindak lanjut." in html
    assert "Uraian tindak lanjut wajib diisi." in html
    assert "Batas waktu wajib diisi." in html
    html = client.post(
        assign, {"kind": "liburan", "description": "x", "due_date": TODAY}
    ).content.decode()
    assert "Pilih jenis tindak lanjut dari daftar." in html
    assert not FollowUp.objects.exists()
    assert mail.outbox == []


def test_an_empty_note_is_refused_and_the_follow_up_stays_open(demo):
    evaluation = run(demo, 2)
    followup = evaluations.followup_assign(
        entry=entries(evaluation)[CAHYA_NIP],
        roles=roles_for(demo.pimpinan),
        user=demo.pimpinan,
        kind="sosialisasi",
        description="Sosialisasi SE CMB",
        due_date=TODAY,
    )
    done = reverse("reports:followup_done", args=[followup.pk])
    for note in ("", "   "):
        response = demo.client_for("pegawai").post(done, {"note": note}, follow=True)
        assert "Catatan penyelesaian wajib diisi." in response.content.decode()
    followup.refresh_from_db()
    assert (followup.status, followup.done_at, followup.note) == (FollowUpStatus.OPEN, None, "")


def test_the_services_refuse_what_the_forms_would(demo):
    evaluation = run(demo, 2)
    entry = entries(evaluation)[CAHYA_NIP]
    pengelola = roles_for(demo.pengelola)
    with pytest.raises(ValidationError, match="pimpinan unit kerja atau Biro SDM"):
        evaluations.followup_assign(
            entry=entry, roles=pengelola, user=demo.pengelola, kind="workshop",
            description="x", due_date=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="sebelum hari ini"):
        evaluations.followup_assign(
            entry=entry, roles=roles_for(demo.biro), user=demo.biro, kind="workshop",
            description="x", due_date=TODAY - datetime.timedelta(days=1),
        )  # fmt: skip
    assert not FollowUp.objects.exists()


def test_a_pimpinan_sees_and_assigns_only_in_their_units(demo):
    evaluation = run(demo, 2)
    galih = entries(evaluation)[GALIH_NIP]
    client = demo.client_for("pimpinan")
    unit_page = reverse("reports:evaluation_unit", args=[evaluation.pk, galih.unit_id])
    assign = reverse("reports:followup_assign", args=[evaluation.pk, galih.pk])
    assert client.get(unit_page).status_code == 404
    assert client.get(assign).status_code == 404
    assert demo.client_for("pengelola").get(unit_page).status_code == 404
    detail = client.get(reverse("reports:evaluation_detail", args=[evaluation.pk])).content.decode()
    assert "kanreg-1" not in detail and "biro-sdm" in detail
    # Biro SDM sees and assigns everywhere.
    assert demo.client_for("biro").get(unit_page).status_code == 200
    assert demo.client_for("biro").get(assign).status_code == 200


# --- Constant queries ------------------------------------------------------------------------


def add_employees(unit: UnitKerja, atasan: Employee, count: int, start: int) -> None:
    """Plain rows in bulk: 1,000 employees through the services would take minutes."""
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"uji{i}") for i in range(start, start + count)]
    )
    Employee.objects.bulk_create(
        [
            Employee(
                user=user,
                nip=f"19900101201501{1 + i % 2}{i:03d}",
                name=f"Pegawai Uji {i:04d}",
                golongan="III/a",
                jabatan="Analis",
                unit=unit,
                atasan=atasan,
            )  # fmt: skip
            for i, user in zip(range(start, start + count), users, strict=True)
        ]
    )


def test_the_pages_take_the_same_queries_for_10_and_1000_employees_in_a_unit(demo):
    unit = services.unit_create(name="Unit Uji", code="unit-uji")
    atasan = factories.employee(demo.atasan)
    client = demo.client_for("biro")
    mine = reverse("reports:my_followups")
    counts = []
    for count, start in ((10, 0), (990, 10)):
        add_employees(unit, atasan, count, start)
        evaluation = run(demo, 2)
        flagged = evaluation.entries.filter(unit=unit)
        assert flagged.count() == start + count
        for entry in flagged.order_by("pk")[start : start + 3]:
            evaluations.followup_assign(
                entry=entry, roles=roles_for(demo.biro), user=demo.biro, kind="workshop",
                description="Workshop", due_date=TODAY,
            )  # fmt: skip
        pages = [
            reverse("reports:evaluation_list"),
            reverse("reports:evaluation_detail", args=[evaluation.pk]),
            reverse("reports:evaluation_unit", args=[evaluation.pk, unit.pk]),
        ]
        measured = []
        for page in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            measured.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert demo.client_for("atasan").get(mine).status_code == 200
        measured.append(len(queries))
        counts.append(measured)
    assert counts[0] == counts[1]


def test_the_flag_reads_use_two_queries(demo, django_assert_num_queries):
    with django_assert_num_queries(2):  # the active employees, their sessions
        flags, count, pace = evaluations.flags_for(Period(2022, 2))
    assert count == Employee.objects.filter(active=True).count()
    assert pace == D("13.3")


@pytest.mark.parametrize(
    ("verified", "months", "behind"),
    [
        (D("13.3"), 8, True),  # the pace shows as 13.3, but 40/3 is more
        (D("13.33"), 8, True),
        (D("13.4"), 8, False),
        (D("6.6"), 4, True),
        (D("6.67"), 4, False),  # above 20/3 although the shown pace is 6.7
        (D("19.9"), 12, True),
        (D("20"), 12, False),
    ],
)
def test_behind_pace_compares_with_the_exact_pace(verified, months, behind):
    assert evaluations.behind_pace(verified, target=20, months_elapsed=months) is behind


def test_13_3_jp_at_the_end_of_august_is_flagged_behind_pace(demo, monkeypatch):
    """Credits cannot make 13.3 JP (whole JP, or 1.2 / 2.4), so the engine's total is made
    13.3 for everyone: the exact comparison flags them; the rounded pace would not."""
    real = evaluations.jp.year_summary

    def thirteen_point_three(*args, **kwargs):
        summary = real(*args, **kwargs)
        return type("Summary", (), {"total": D("13.3"), "by_kind": summary.by_kind})()

    monkeypatch.setattr(evaluations.jp, "year_summary", thirteen_point_three)
    flags, count, pace = evaluations.flags_for(Period(2022, 2))
    assert pace == D("13.3")
    cahya = next(f for f in flags if f.employee.nip == CAHYA_NIP)
    assert (cahya.verified, cahya.reason) == (D("13.3"), "behind_pace")
    assert len(flags) == count


# --- Concurrency (PostgreSQL) -----------------------------------------------------------------


def race(*calls):
    """Run the calls in parallel threads, released together; return their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run_one(i, call):
        try:
            barrier.wait()
            outcomes[i] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_one, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_of_the_same_period_at_once_make_one_evaluation(demo):
    outcomes = race(lambda: run(demo, 2), lambda: run(demo, 2))
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    evaluation = Evaluation.objects.get()
    assert evaluation.run_count == 2
    flagged = evaluation.entries.count()
    assert flagged == Employee.objects.filter(active=True).count()  # nobody has JP in 2022
    assert flagged == len(set(evaluation.entries.values_list("employee_id", flat=True)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_employee_and_the_atasan_marking_at_once_give_one_completion(demo):
    followup = evaluations.followup_assign(
        entry=entries(run(demo, 2))[CAHYA_NIP],
        roles=roles_for(demo.pimpinan),
        user=demo.pimpinan,
        kind="workshop",
        description="Workshop CMB",
        due_date=TODAY,
    )
    outcomes = race(
        lambda: evaluations.followup_complete(
            followup=followup, roles=roles_for(demo.pegawai), user=demo.pegawai, note="Saya"
        ),
        lambda: evaluations.followup_complete(
            followup=followup, roles=roles_for(demo.atasan), user=demo.atasan, note="Atasan"
        ),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    followup.refresh_from_db()
    winner = next(value for kind, value in outcomes if kind == "ok")
    assert (followup.status, followup.note, followup.done_by) == (
        "done",
        winner.note,
        winner.done_by,
    )
