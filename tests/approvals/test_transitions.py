"""The whole transition table, allowed and refused, through the services and the URLs."""

import pytest
from django.urls import reverse

from approvals import services as workflow
from approvals.models import AuditEntry
from records.models import Session
from records.roles import roles_for
from tests.approvals.conftest import STATES
from tests.conftest import ROLES

ACTIONS = ("confirm", "approve", "return", "reject", "verify")
# (state, action) -> the one role allowed to do it on a coaching session (coach = atasan).
ALLOWED = {
    ("submitted", "approve"): "atasan",
    ("submitted", "return"): "atasan",
    ("approved", "verify"): "biro",
    ("approved", "return"): "biro",
    ("approved", "reject"): "biro",
}
RESULT = {"approve": "approved", "return": "returned", "reject": "rejected", "verify": "verified"}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"] + ["outsider", "mentor"])
def test_every_action_in_every_state_for_every_role(demo, coaching_session, state, role):
    client = demo.client_for(role)
    roles = roles_for(demo.user(role))
    for action in ACTIONS:
        session = coaching_session(state)
        offered = action in workflow.allowed_actions(session, roles)
        entries = AuditEntry.objects.count()
        url = reverse("approvals:session_action", args=[session.pk, action])
        response = client.post(url, {"comment": "Komentar."})
        session.refresh_from_db()
        allowed = ALLOWED.get((state, action)) == role
        visible = role not in ("outsider", "mentor")  # the mentor is not in a coaching session
        assert response.status_code == (302 if visible else 404), (state, action, role)
        assert session.status == (RESULT[action] if allowed else state), (state, action, role)
        assert AuditEntry.objects.count() == entries + (1 if allowed else 0)
        # The buttons offered on the page are exactly the transitions that succeed.
        assert offered == allowed, (state, action, role)


@pytest.mark.parametrize("state", ["submitted", "approved", "verified", "rejected"])
def test_submit_is_refused_once_submitted(demo, coaching_session, state):
    session = coaching_session(state)
    with pytest.raises(workflow.TransitionError):
        workflow.session_submit(session=session, actor=session.agreement.employee)


def test_only_the_employee_submits(demo, coaching_session):
    session = coaching_session()
    with pytest.raises(workflow.TransitionError, match="Hanya pegawai yang bersangkutan"):
        workflow.session_submit(session=session, actor=demo.atasan.employee)


@pytest.mark.parametrize("action", ["return", "reject"])
def test_returning_and_rejecting_need_a_comment(demo, coaching_session, action):
    session = coaching_session("approved")
    with pytest.raises(workflow.TransitionError, match="Tuliskan komentar"):
        workflow.perform(
            action, session=session, roles=roles_for(demo.biro), user=demo.biro, comment=" "
        )
    session.refresh_from_db()
    assert session.status == "approved"


def test_a_returned_session_is_fixed_and_resubmitted_with_its_changes_audited(
    demo, coaching_session
):
    from records.services import session_update

    session = coaching_session("returned")
    session_update(session=session, actor=session.agreement.employee, place="Aula Gedung I")
    workflow.session_submit(session=session, actor=session.agreement.employee)
    actions = list(session.audit_entries.values_list("action", flat=True))
    assert actions == ["submitted", "returned", "changed", "submitted"]
    change = session.audit_entries.get(action="changed").changes
    assert change["place"]["menjadi"] == "Aula Gedung I"


class TestMentorConfirmation:
    @pytest.fixture
    def session(self, demo):
        import datetime

        from tests import factories

        agreement = factories.mentoring(demo)  # mentor: Heri, not Cahya's atasan
        session = factories.session(agreement, datetime.date(2022, 5, 29))
        workflow.session_submit(session=session, actor=agreement.employee)
        session.refresh_from_db()
        return session

    def test_the_atasan_cannot_approve_before_the_mentor_confirms(self, demo, session):
        with pytest.raises(workflow.TransitionError, match="Menunggu konfirmasi"):
            workflow.session_approve(session=session, actor=demo.atasan.employee)
        assert workflow.allowed_actions(session, roles_for(demo.atasan)) == ["return"]
        assert workflow.allowed_actions(session, roles_for(demo.mentor)) == ["confirm"]

    def test_after_the_mentor_confirms_the_atasan_approves(self, demo, session):
        workflow.session_confirm(session=session, actor=demo.mentor.employee)
        workflow.session_approve(session=session, actor=demo.atasan.employee)
        session.refresh_from_db()
        assert session.status == "approved"
        assert list(session.audit_entries.values_list("action", flat=True)) == [
            "submitted",
            "confirmed",
            "approved",
        ]

    def test_confirming_twice_does_nothing_twice(self, demo, session):
        workflow.session_confirm(session=session, actor=demo.mentor.employee)
        with pytest.raises(workflow.TransitionError, match="sudah Anda konfirmasi"):
            workflow.session_confirm(session=session, actor=demo.mentor.employee)
        assert session.audit_entries.filter(action="confirmed").count() == 1

    def test_only_the_mentor_confirms(self, demo, session):
        with pytest.raises(workflow.TransitionError):
            workflow.session_confirm(session=session, actor=demo.atasan.employee)


def test_a_verified_session_cannot_be_edited_through_any_url(demo, coaching_session, client_as):
    session = coaching_session("verified")
    client = client_as("pegawai")
    client.post(reverse("records:session_edit", args=[session.pk]), {"place": "X"})
    client.post(reverse("records:session_delete", args=[session.pk]))
    client.post(reverse("records:session_submit", args=[session.pk]))
    stored = Session.objects.get(pk=session.pk)
    assert (stored.status, stored.place, stored.credit_jp) == (
        "verified",
        session.place,
        session.credit_jp,
    )


def test_a_verified_session_cannot_be_edited_in_the_admin(demo, coaching_session):
    from django.contrib.auth import get_user_model
    from django.test import Client

    session = coaching_session("verified")
    admin = get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(admin)
    url = f"/admin/records/session/{session.pk}/change/"
    assert client.get(url).status_code == 200  # readable
    client.post(url, {"status": "draft", "credit_jp": "9.0"})
    session.refresh_from_db()
    assert (session.status, str(session.credit_jp)) == ("verified", "2.0")
    assert (
        client.post(f"/admin/records/session/{session.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
