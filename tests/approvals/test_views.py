import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services as workflow
from records.models import Session
from records.services import biro_sdm_grant, employee_create
from tests import factories


def test_the_atasan_queue_holds_only_direct_subordinates(demo, client_as, coaching_session):
    mine = coaching_session("submitted")
    html = client_as("atasan").get(reverse("approvals:approval_queue")).content.decode()
    assert f'name="session" value="{mine.pk}"' in html
    # Diah's own atasan (pimpinan) sees nothing of Cahya's.
    html = client_as("pimpinan").get(reverse("approvals:approval_queue")).content.decode()
    assert f'name="session" value="{mine.pk}"' not in html


def test_a_mentor_sees_sessions_to_confirm(demo, client_as):
    agreement = factories.mentoring(demo)
    session = factories.session(agreement, datetime.date(2022, 5, 29))
    workflow.session_submit(session=session, actor=agreement.employee)
    html = client_as("mentor").get(reverse("approvals:approval_queue")).content.decode()
    assert "Penyusunan gap kompetensi" in html
    html = client_as("atasan").get(reverse("approvals:approval_queue")).content.decode()
    assert "Penyusunan gap kompetensi" not in html  # not before the mentor confirms


def test_bulk_approve_asks_once_then_reports_each_row(demo, client_as, coaching_session):
    sessions = [coaching_session("submitted") for _ in range(3)]
    draft = coaching_session("draft")
    client = client_as("atasan")
    url = reverse("approvals:bulk_action", args=["approve"])
    ids = [s.pk for s in sessions] + [draft.pk]
    page = client.post(url, {"session": ids, "next": "/persetujuan/"}).content.decode()
    assert "4 pertemuan?" in page
    assert Session.objects.filter(status="approved").count() == 0  # nothing before confirming
    result = client.post(url, {"session": ids, "confirmed": "1", "next": "/persetujuan/"})
    html = result.content.decode()
    assert "3 dari 4 berhasil" in html
    assert "tidak dapat disetujui" in html  # the draft's own reason
    assert Session.objects.filter(status="approved").count() == 3


def test_bulk_verify_is_biro_sdm_only(demo, client_as, coaching_session):
    session = coaching_session("approved")
    url = reverse("approvals:bulk_action", args=["verify"])
    data = {"session": [session.pk], "confirmed": "1"}
    assert client_as("atasan").post(url, data).status_code == 403
    assert client_as("biro").post(url, data).status_code == 200
    session.refresh_from_db()
    assert session.status == "verified"


def test_biro_sdm_staff_without_an_employee_record_can_bulk_verify(demo, coaching_session):
    staff = get_user_model().objects.create_user("sdm_saja", password="x")
    biro_sdm_grant(user=staff)
    session = coaching_session("approved")
    client = Client()
    client.force_login(staff)
    url = reverse("approvals:bulk_action", args=["verify"])
    response = client.post(url, {"session": [session.pk], "confirmed": "1"})
    assert response.status_code == 200
    assert "1 dari 1 berhasil" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "verified"
    # Bulk approval stays the atasan's: without an employee record it is refused.
    approve = reverse("approvals:bulk_action", args=["approve"])
    assert client.post(approve, {"session": [session.pk]}).status_code == 403


def test_the_verification_queue_filters_by_unit_activity_month_and_status(
    demo, client_as, coaching_session
):
    session = coaching_session("approved")  # March 2022, Biro SDM, coaching
    client = client_as("biro")

    def shown(**params):
        html = client.get(reverse("approvals:verification_queue"), params).content.decode()
        return f'name="session" value="{session.pk}"' in html

    assert shown()
    assert shown(unit=session.agreement.employee.unit_id, kegiatan="coaching", bulan="2022-03")
    assert not shown(kegiatan="mentoring")
    assert not shown(bulan="2022-04")
    assert not shown(status="verified")
    assert (
        "TTTT-BB"
        in client.get(reverse("approvals:verification_queue"), {"bulan": "x"}).content.decode()
    )


def test_the_session_page_offers_the_atasan_her_actions(demo, client_as, coaching_session):
    session = coaching_session("submitted")
    html = (
        client_as("atasan")
        .get(reverse("records:session_detail", args=[session.pk]))
        .content.decode()
    )
    assert 'data-action="approve"' in html and 'data-action="return"' in html
    html = (
        client_as("pegawai")
        .get(reverse("records:session_detail", args=[session.pk]))
        .content.decode()
    )
    assert "data-action=" not in html


def test_the_employee_is_told_when_a_session_is_returned_or_verified(
    demo, coaching_session, mailoutbox, django_capture_on_commit_callbacks
):
    from records.roles import roles_for

    with django_capture_on_commit_callbacks(execute=True):
        session = coaching_session("submitted")
    assert [m.to for m in mailoutbox] == [["atasan@demo.cmb.go.id"]]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.session_return(
            session=session,
            actor_roles=roles_for(demo.atasan),
            actor=demo.atasan,
            comment="Lengkapi bagian D.",
        )
    assert mailoutbox[-1].to == ["pegawai@demo.cmb.go.id"]
    assert "dikembalikan" in mailoutbox[-1].subject


def add_subordinates(demo, n, offset=0):
    """n more staff under Diah, each with a submitted coaching session."""
    from records.services import agreement_propose_coaching, agreement_respond

    diah = demo.atasan.employee
    for i in range(offset, offset + n):
        employee = employee_create(
            nip=f"19900101201501{1 + i % 2}{i + 1:03d}", name=f"Staf {i}", golongan="III/a",
            jabatan="Analis", unit=diah.unit, atasan=diah,
        )  # fmt: skip
        agreement = agreement_propose_coaching(
            atasan=diah, area=factories.area(employee, 2022), title="T", goal="G", target="S",
            actor=demo.atasan,
        )  # fmt: skip
        agreement_respond(agreement=agreement, actor=employee, accept=True)
        agreement.refresh_from_db()
        session = factories.session(agreement, datetime.date(2022, 3, 1 + i % 28))
        workflow.session_submit(session=session, actor=employee)


def approve_all(demo):
    for session in Session.objects.filter(status="submitted"):
        workflow.session_approve(session=session, actor=demo.atasan.employee)


@pytest.mark.parametrize(
    ("role", "url", "prepare"),
    [("atasan", "/persetujuan/", lambda demo: None), ("biro", "/verifikasi-biro/", approve_all)],
)
def test_the_queues_use_the_same_number_of_queries_as_rows_grow(
    demo, client_as, role, url, prepare
):
    client = client_as(role)
    add_subordinates(demo, 2)
    prepare(demo)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add_subordinates(demo, 20, offset=2)
    prepare(demo)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count('name="session"') == 22
    assert len(large) == len(small)
