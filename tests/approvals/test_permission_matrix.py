"""Every URL that reads or changes one session, for every role, in every state.

test_transitions.py covers the workflow actions (approve, return, ...); this file covers the
rest of a session's URLs: its page, its Lampiran I, edit, submit, delete and evidence upload.
Only the employee may change their own session, and only while it is a draft or returned
(delete: only a draft); everyone who may see it reads it; everyone else gets 404, the same
answer as for a session that does not exist.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.models import Evidence, Session
from tests import factories
from tests.approvals.conftest import STATES

ROLES = ("anonymous", "pegawai", "atasan", "pengelola", "pimpinan", "biro", "outsider", "mentor")
READERS = {"pegawai", "atasan", "pengelola", "pimpinan", "biro"}  # of a coaching session
EDITABLE = {"draft", "returned"}


def _form(session: Session, **changes) -> dict:
    data = {
        "date": session.date.isoformat(),
        "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M"),
        "mode": session.mode,
        "place": session.place,
        "platform": session.platform,
        "scope": session.scope,
        "needs": session.needs,
        "responsibility": session.responsibility,
        "activity": session.activity,
        "result": session.result,
    }
    return {**data, **changes}


def _expect_denied(response, role: str) -> None:
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_every_session_url_for_every_role_in_every_state(demo, coaching_session, state, role):
    client = demo.client_for("anonymous")
    if role != "anonymous":
        client.force_login(demo.user(role))
    owner = role == "pegawai"

    # Read: the page and its Lampiran I.
    session = coaching_session(state)
    for url in (
        reverse("records:session_detail", args=[session.pk]),
        reverse("reports:lampiran_i", args=[session.pk]),
    ):
        response = client.get(url)
        if role in READERS:
            assert response.status_code == 200, (url, state, role)
        else:
            _expect_denied(response, role)

    # Edit: only the owner, only while editable.
    session = coaching_session(state)
    response = client.post(
        reverse("records:session_edit", args=[session.pk]), _form(session, place="Aula baru")
    )
    session.refresh_from_db()
    changed = owner and state in EDITABLE
    assert (session.place == "Aula baru") == changed, (state, role)
    if not owner:
        _expect_denied(response, role)

    # Submit.
    session = coaching_session(state)
    response = client.post(reverse("records:session_submit", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == ("submitted" if owner and state in EDITABLE else state), role
    if not owner:
        _expect_denied(response, role)

    # Delete: only the owner's draft.
    session = coaching_session(state)
    response = client.post(reverse("records:session_delete", args=[session.pk]))
    gone = not Session.objects.filter(pk=session.pk).exists()
    assert gone == (owner and state == "draft"), (state, role)
    if not owner:
        _expect_denied(response, role)

    # Evidence upload: only the owner, only while editable.
    session = coaching_session(state)
    upload = SimpleUploadedFile("bukti.png", factories.png_bytes(), content_type="image/png")
    response = client.post(reverse("records:evidence_upload", args=[session.pk]), {"file": upload})
    added = Evidence.objects.filter(session=session).exists()
    assert added == (owner and state in EDITABLE), (state, role)
    if not owner:
        _expect_denied(response, role)
