import datetime

import pytest
from django.core.management import CommandError, call_command

from approvals import services as workflow
from approvals.audit import verify_chain
from approvals.models import AuditEntry
from records.roles import roles_for
from records.services import session_update
from tests import factories


@pytest.fixture
def trail(demo):
    agreement = factories.coaching(demo)
    for day in (7, 14):
        factories.verified(demo, factories.session(agreement, datetime.date(2022, 4, day)))
    return AuditEntry.objects.order_by("seq")


def test_every_transition_writes_one_chained_entry(trail):
    assert [e.action for e in trail] == ["submitted", "approved", "verified"] * 2
    assert verify_chain().broken_at is None
    entries = list(trail)
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    verified = entries[2]
    assert verified.changes == {"credit_jp": "2.0", "credit_reason": ""}


def test_the_chain_check_finds_an_edited_row(trail, capsys):
    call_command("verify_audit_chain")
    assert "Rantai audit utuh: 6 entri" in capsys.readouterr().out
    # Someone edits the database behind the portal's back.
    AuditEntry.objects.filter(seq=4).update(comment="diubah diam-diam")
    with pytest.raises(CommandError, match=r"entri #4: isinya diubah"):
        call_command("verify_audit_chain")


def test_the_chain_check_finds_a_deleted_row(trail):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM approvals_auditentry WHERE seq = 3")
    result = verify_chain()
    assert (result.broken_at, result.problem) == (3, "entri #3 hilang")


def test_entries_cannot_be_changed_or_deleted_through_the_orm(trail):
    entry = trail.first()
    entry.comment = "x"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_the_timeline_shows_every_step(demo, client_as, trail):
    session = trail.first().session
    html = client_as("pegawai").get(f"/cmb/pertemuan/{session.pk}/").content.decode()
    timeline = html.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    assert [w for w in ("Diajukan", "Disetujui atasan", "Diverifikasi") if w in timeline] == [
        "Diajukan",
        "Disetujui atasan",
        "Diverifikasi",
    ]


def test_the_timeline_shows_what_an_edit_of_a_returned_session_changed(demo, client_as):
    session = factories.session(factories.coaching(demo), datetime.date(2022, 4, 7))
    employee = session.agreement.employee
    workflow.session_submit(session=session, actor=employee)
    workflow.session_return(
        session=session, actor_roles=roles_for(demo.atasan), actor=demo.atasan, comment="Tempat?"
    )
    session_update(session=session, actor=employee, place="Aula <b>Lantai 2</b>", result="x" * 300)
    html = client_as("pegawai").get(f"/cmb/pertemuan/{session.pk}/").content.decode()
    timeline = html.split('data-testid="timeline"', 1)[1].split("</ol>", 1)[0]
    assert "Diubah" in timeline
    assert "Tempat: Ruang rapat Biro SDM → Aula &lt;b&gt;Lantai 2&lt;/b&gt;" in timeline
    assert "x" * 300 not in timeline  # long texts are cut short
    assert "D. Hasil pengembangan: Draf pola karier" in timeline
