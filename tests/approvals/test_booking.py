import datetime
from decimal import Decimal

import pytest

from approvals import services as workflow
from records.roles import roles_for
from tests import factories

D = datetime.date


@pytest.mark.parametrize("third", [0, 1, 2])
def test_a_third_coaching_in_a_month_verified_third_books_nothing(demo, third):
    agreement = factories.coaching(demo)
    sessions = [factories.session(agreement, D(2022, 4, day)) for day in (7, 14, 21)]
    order = [s for i, s in enumerate(sessions) if i != third] + [sessions[third]]
    biro = roles_for(demo.biro)
    for session in sessions:
        workflow.session_submit(session=session, actor=agreement.employee)
        workflow.session_approve(session=session, actor=agreement.employee.atasan)
    booked = [workflow.session_verify(session=s, actor_roles=biro, actor=demo.biro) for s in order]
    assert [b.credit_jp for b in booked] == [Decimal("2.0"), Decimal("2.0"), Decimal("0.0")]
    assert booked[2].credit_reason == "Batas 2 kali coaching per bulan (April 2022) sudah tercapai"


def test_booked_credit_is_frozen_when_other_sessions_come_later(demo):
    agreement = factories.coaching(demo)
    first = factories.verified(demo, factories.session(agreement, D(2022, 4, 21)))
    # Two earlier meetings of the same month are verified afterwards: the first keeps its 2 JP.
    earlier = [factories.session(agreement, D(2022, 4, d)) for d in (7, 14)]
    results = [factories.verified(demo, s) for s in earlier]
    first.refresh_from_db()
    assert first.credit_jp == Decimal("2.0")
    assert [r.credit_jp for r in results] == [Decimal("2.0"), Decimal("0.0")]


def test_the_approver_sees_what_verification_will_book_and_why(demo, client_as):
    agreement = factories.coaching(demo)
    for day in (7, 14):
        factories.verified(demo, factories.session(agreement, D(2022, 4, day)))
    third = factories.session(agreement, D(2022, 4, 21))
    workflow.session_submit(session=third, actor=agreement.employee)
    html = client_as("atasan").get("/persetujuan/").content.decode()
    assert "Batas 2 kali coaching per bulan (April 2022) sudah tercapai" in html
    workflow.session_approve(session=third, actor=agreement.employee.atasan)
    html = client_as("biro").get("/verifikasi-biro/").content.decode()
    assert "Batas 2 kali coaching per bulan (April 2022) sudah tercapai" in html
