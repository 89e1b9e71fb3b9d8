import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import services as workflow
from tests import factories


def add_sessions(demo, agreement, count, start_day=0):
    """`count` sessions spread over 2022, a third of them verified, a third submitted."""
    for i in range(count):
        day = datetime.date(2022, 1, 1) + datetime.timedelta(days=(start_day + i) % 360)
        session = factories.session(agreement, day, start=(8 + i % 8, 0))
        if i % 3 == 0:
            factories.verified(demo, session)
        elif i % 3 == 1:
            workflow.session_submit(session=session, actor=agreement.employee)


def test_my_records_uses_the_same_number_of_queries_for_5_and_500_sessions(demo, client_as):
    agreement = factories.coaching(demo)
    client = client_as("pegawai")
    add_sessions(demo, agreement, 5)
    with CaptureQueriesContext(connection) as small:
        response = client.get("/cmb/?tahun=2022")
    assert response.content.decode().count("/cmb/pertemuan/") == 5
    add_sessions(demo, agreement, 495, start_day=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/cmb/?tahun=2022")
    assert response.content.decode().count("/cmb/pertemuan/") == 500
    assert len(large) == len(small)


def test_my_records_keeps_verified_and_projected_apart(demo, client_as):
    agreement = factories.coaching(demo)
    factories.verified(demo, factories.session(agreement, datetime.date(2022, 4, 7)))
    pending = factories.session(agreement, datetime.date(2022, 4, 14))
    workflow.session_submit(session=pending, actor=agreement.employee)
    factories.session(agreement, datetime.date(2022, 4, 21))  # a draft counts nowhere
    html = client_as("pegawai").get("/cmb/?tahun=2022").content.decode()
    assert 'data-testid="verified-total">2<' in html
    assert 'data-testid="projected-total">2<' in html
    assert "Kurang <strong>18</strong> JP" in html


def test_my_records_filters_by_activity_and_status(demo, client_as):
    coaching = factories.coaching(demo)
    learning = factories.self_learning(demo)
    factories.session(coaching, datetime.date(2022, 4, 7))
    factories.session(learning, datetime.date(2022, 4, 8), start=None, minutes=60)
    client = client_as("pegawai")
    assert (
        client.get("/cmb/?tahun=2022&kegiatan=belajar_mandiri")
        .content.decode()
        .count("/cmb/pertemuan/")
        == 1
    )
    assert (
        client.get("/cmb/?tahun=2022&status=verified").content.decode().count("/cmb/pertemuan/")
        == 0
    )
    assert (
        client.get("/cmb/?tahun=2022&status=draft").content.decode().count("/cmb/pertemuan/") == 2
    )
