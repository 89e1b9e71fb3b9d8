"""The JP engine seen through its callers: the ledger's draft preview and the live preview."""

import datetime
from decimal import Decimal

from django.urls import reverse

from approvals import services as workflow
from records import jp, ledger
from records.models import Session
from tests import factories

D = datetime.date
T = datetime.time


def test_the_draft_key_equals_no_primary_key_and_sorts_after_all_of_them():
    assert all(pk != ledger.DRAFT_KEY for pk in (0, 1, 2**63))
    assert sorted([3, ledger.DRAFT_KEY, 1, 2**63]) == [1, 3, 2**63, ledger.DRAFT_KEY]
    assert {ledger.DRAFT_KEY: 1, 0: 2, 1: 3}[ledger.DRAFT_KEY] == 1


def test_a_draft_is_projected_after_submitted_sessions_at_the_same_date_and_time():
    policy = jp.POLICIES["bkn"]
    on, nine = D(2023, 3, 6), T(9)
    pending = [
        jp.Activity(1, "coaching", "nasional", D(2023, 3, 1), nine),
        jp.Activity(2, "coaching", "nasional", on, nine),
    ]
    draft = jp.Activity(ledger.DRAFT_KEY, "coaching", "nasional", on, nine)
    for order in ([*pending, draft], [draft, *pending]):
        projected = jp.project(policy, order, [])
        assert projected[2] == jp.Credit(Decimal("2.0"))
        assert projected[ledger.DRAFT_KEY] == jp.Credit(
            Decimal("0.0"), "Batas 2 kali coaching per bulan (Maret 2023) sudah tercapai"
        )


def test_the_preview_of_an_unsaved_draft_comes_after_a_submitted_one_at_the_same_time(demo):
    coaching = factories.coaching(demo)
    for day in (7, 14):
        session = factories.session(coaching, D(2022, 4, day))
        workflow.session_submit(session=session, actor=coaching.employee)
    draft = Session(
        agreement=coaching, date=D(2022, 4, 14), start_time=T(9), scope="nasional"
    )  # the same date and start time as the second submitted session
    value, credit, usage = ledger.preview(draft)
    assert value == Decimal("2.0")
    assert credit == jp.Credit(
        Decimal("0.0"), "Batas 2 kali coaching per bulan (April 2022) sudah tercapai"
    )
    assert usage["coaching"].used == 2


def test_the_live_preview_of_a_long_belajar_mandiri_day_shows_its_value_and_the_daily_cap(
    client_as, demo
):
    agreement = factories.self_learning(demo)
    html = (
        client_as("pegawai")
        .post(
            reverse("records:jp_preview"),
            {
                "agreement": agreement.pk,
                "date": "2022-06-01",
                "duration_minutes": "180",
                "scope": "nasional",
            },
        )
        .content.decode()
    )
    assert 'data-testid="jp-credit">2<' in html
    assert "Nilai pertemuan 4 JP, yang dapat dihitung 2 JP." in html
    assert "Belajar mandiri paling tinggi 2 JP sehari (1 Juni 2022)" in html
