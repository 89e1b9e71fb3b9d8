import datetime

import pytest

from approvals import services as workflow
from records.roles import roles_for
from tests import factories

STATES = ("draft", "submitted", "approved", "verified", "returned", "rejected")


def to_state(demo, session, state):
    """Walk a fresh draft session to `state` through the real transitions."""
    employee = session.agreement.employee
    biro = roles_for(demo.biro)
    if state == "draft":
        return session
    workflow.session_submit(session=session, actor=employee)
    if state == "submitted":
        return session
    if state == "returned":
        return workflow.session_return(
            session=session,
            actor_roles=roles_for(demo.atasan),
            actor=demo.atasan,
            comment="Perbaiki.",
        )
    workflow.session_approve(session=session, actor=employee.atasan)
    if state == "approved":
        return session
    if state == "verified":
        return workflow.session_verify(session=session, actor_roles=biro, actor=demo.biro)
    return workflow.session_reject(
        session=session, actor_roles=biro, actor=demo.biro, comment="Tidak sah."
    )


@pytest.fixture
def coaching_session(demo):
    """A fresh draft coaching session of Cahya's on a new day for each call."""
    agreement = factories.coaching(demo)
    days = iter(range(1, 29))

    def make(state="draft"):
        session = factories.session(agreement, datetime.date(2022, 3, next(days)))
        to_state(demo, session, state)
        session.refresh_from_db()
        return session

    return make
