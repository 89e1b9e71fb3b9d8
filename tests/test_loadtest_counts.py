"""manage.py loadtest_counts: the load test's proof that no write was lost or invented."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from approvals import services as workflow
from tests import factories


def _run(tmp_path, sent: dict) -> str:
    (tmp_path / "sent.json").write_text(json.dumps(sent))
    out = io.StringIO()
    call_command(
        "loadtest_counts", compare=tmp_path / "before.json", sent=tmp_path / "sent.json", stdout=out
    )
    return out.getvalue()


@pytest.fixture
def before(demo, tmp_path):
    agreement = factories.coaching(demo, year=2023)
    factories.session(agreement, datetime.date(2023, 3, 6))
    call_command("loadtest_counts", save=tmp_path / "before.json", stdout=io.StringIO())
    return agreement


def test_it_agrees_when_the_database_grew_by_what_the_users_were_told(demo, before, tmp_path):
    session = factories.session(before, datetime.date(2023, 3, 7))
    workflow.session_submit(session=session, actor=before.employee)
    workflow.session_approve(session=session, actor=before.employee.atasan)
    out = _run(tmp_path, {"created": 1, "submitted": 1, "approved": 1, "verified": 0})
    assert "Cocok" in out


def test_it_refuses_a_write_the_users_saw_but_the_database_lacks(demo, before, tmp_path):
    factories.session(before, datetime.date(2023, 3, 7))
    with pytest.raises(CommandError, match="created: the users saw 2, the database 1"):
        _run(tmp_path, {"created": 2})


def test_it_refuses_a_write_nobody_was_told_about(demo, before, tmp_path):
    session = factories.session(before, datetime.date(2023, 3, 7))
    workflow.session_submit(session=session, actor=before.employee)
    with pytest.raises(CommandError, match="submitted: the users saw 0, the database 1"):
        _run(tmp_path, {"created": 1})
