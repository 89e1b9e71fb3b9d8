"""Two people acting at once (PostgreSQL: real row locks, one connection per thread)."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from approvals import services as workflow
from approvals.models import AuditEntry
from records.models import Session
from records.roles import roles_for
from tests import factories

# Transactions really commit here; serialized_rollback restores the reference data that
# migrations create (competencies, the audit chain's head) after the flush.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(*calls):
    """Run the calls in parallel threads, released together; return their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[i] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_approvals_of_the_same_session_give_one_transition(demo):
    session = factories.session(factories.coaching(demo), datetime.date(2022, 4, 7))
    workflow.session_submit(session=session, actor=session.agreement.employee)
    atasan = demo.atasan.employee
    outcomes = race(
        lambda: workflow.session_approve(session=session, actor=atasan),
        lambda: workflow.session_approve(session=session, actor=atasan),
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, workflow.TransitionError)
    assert Session.objects.get(pk=session.pk).status == "approved"
    assert AuditEntry.objects.filter(session=session, action="approved").count() == 1


def test_two_verifications_competing_for_the_last_slot_of_a_month_book_it_once(demo):
    agreement = factories.coaching(demo)
    factories.verified(demo, factories.session(agreement, datetime.date(2022, 4, 1)))
    rivals = [factories.session(agreement, datetime.date(2022, 4, d)) for d in (7, 14)]
    for session in rivals:
        workflow.session_submit(session=session, actor=agreement.employee)
        workflow.session_approve(session=session, actor=agreement.employee.atasan)
    biro = roles_for(demo.biro)
    outcomes = race(
        *[
            (lambda s=s: workflow.session_verify(session=s, actor_roles=biro, actor=demo.biro))
            for s in rivals
        ]
    )
    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    credits = sorted(
        Session.objects.filter(pk__in=[s.pk for s in rivals]).values_list("credit_jp", flat=True)
    )
    assert credits == [Decimal("0.0"), Decimal("2.0")]


def test_the_audit_chain_stays_one_chain_under_concurrent_transitions(demo):
    from approvals.audit import verify_chain

    agreement = factories.coaching(demo)
    sessions = [factories.session(agreement, datetime.date(2022, 4, d)) for d in range(1, 7)]
    employee = agreement.employee
    race(*[(lambda s=s: workflow.session_submit(session=s, actor=employee)) for s in sessions])
    assert verify_chain().broken_at is None
    assert AuditEntry.objects.filter(action="submitted").count() == 6


def test_two_belajar_mandiri_records_on_one_day_under_two_agreements_give_one(demo):
    first, second = factories.self_learning(demo), factories.self_learning(demo)
    day = datetime.date(2022, 6, 1)
    outcomes = race(
        *[(lambda a=a: factories.session(a, day, start=None, minutes=60)) for a in (first, second)]
    )
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError) and "sudah dicatat" in " ".join(error.messages)
    assert Session.objects.filter(agreement__employee=first.employee, date=day).count() == 1
