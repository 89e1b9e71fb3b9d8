"""An employee's complete record as a ZIP (reports/record_export.py): the employee's own copy,
and the pengelola's / Biro SDM's per-employee download."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from approvals.models import AuditEntry
from approvals.notifications import notifications_muted
from records.demo import seed_demo_activity
from records.models import Session
from records.services import evidence_add
from reports.certificates import certificate_issue, certificate_pdf_path
from reports.models import DocumentKind, GeneratedDocument
from reports.record_export import SCHEMA_VERSION
from tests import factories
from tests.conftest import OUTSIDER_NIP

MY_EXPORT = reverse("reports:my_record_export")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def open_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def record(demo):
    """Cahya's 2022 as in the SE's example (4 verified sessions, 7 JP), her certificate for
    2022, and a draft coaching session in July with a photo as evidence."""
    with notifications_muted():
        seed_demo_activity()
    certificate = certificate_issue(employee=demo.pegawai.employee, year=2022, user=demo.biro)
    draft = factories.session(factories.coaching(demo), datetime.date(2022, 7, 5))
    photo = factories.png_bytes((7, 5))
    evidence = evidence_add(
        session=draft,
        actor=draft.agreement.employee,
        upload=SimpleUploadedFile("foto rapat*1.png", photo),
    )
    return {"certificate": certificate, "draft": draft, "evidence": evidence, "photo": photo}


def test_the_zip_holds_data_pdfs_certificates_evidence_and_a_readme(client_as, demo, record):
    archive = open_zip(client_as("pegawai").get(MY_EXPORT))
    names = set(archive.namelist())
    sessions = list(Session.objects.filter(agreement__employee=demo.pegawai.employee))
    assert len(sessions) == 5
    certificate, evidence = record["certificate"], record["evidence"]
    expected = {
        "README.txt",
        "data.json",
        "kartu-pengendali-2022.pdf",
        f"sertifikat/sertifikat-2022-{certificate.code}.pdf",
        f"bukti/2022-07-05-5/{evidence.pk}-foto rapat_1.png",
        *(f"lampiran-i/{d}.pdf" for d in (
            "2022-04-07-1", "2022-04-14-2", "2022-05-29-3", "2022-06-01-4", "2022-07-05-5"
        )),
    }  # fmt: skip
    assert names == expected

    readme = archive.read("README.txt").decode()
    assert "SALINAN CATATAN CMB PEGAWAI" in readme and "199708212020122005" in readme
    # The evidence and the stored certificate, byte for byte.
    assert archive.read(f"bukti/2022-07-05-5/{evidence.pk}-foto rapat_1.png") == record["photo"]
    with default_storage.open(certificate_pdf_path(certificate), "rb") as stored:
        assert archive.read(f"sertifikat/sertifikat-2022-{certificate.code}.pdf") == stored.read()


def test_data_json_matches_the_database(client_as, demo, record):
    data = json.loads(open_zip(client_as("pegawai").get(MY_EXPORT)).read("data.json"))
    cahya = demo.pegawai.employee
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["employee"]["nip"] == cahya.nip and data["employee"]["name"] == cahya.name
    assert data["employee"]["atasan"]["nip"] == cahya.atasan.nip
    assert len(data["development_areas"]) == cahya.areas.count() > 0
    assert [a["id"] for a in data["agreements"]] == list(
        cahya.agreements.order_by("year", "id").values_list("id", flat=True)
    )

    by_id = {s["id"]: s for s in data["sessions"]}
    sessions = Session.objects.filter(agreement__employee=cahya)
    assert set(by_id) == set(sessions.values_list("pk", flat=True))
    for session in sessions:
        row = by_id[session.pk]
        assert row["status"] == session.status
        assert row["date"] == session.date.isoformat()
        for field in ("needs", "responsibility", "activity", "result", "place", "scope"):
            assert row[field] == getattr(session, field), field
        trail = AuditEntry.objects.filter(session=session).order_by("seq")
        assert [e["seq"] for e in row["audit"]] == [e.seq for e in trail]
        assert [e["hash"] for e in row["audit"]] == [e.hash for e in trail]
        if session.status == "verified":
            assert row["credit"] == {
                "jp": str(session.credit_jp), "reason": session.credit_reason, "projected": False
            }  # fmt: skip
    verified = [s for s in data["sessions"] if s["status"] == "verified"]
    assert sum(float(s["credit"]["jp"]) for s in verified) == 7.0  # the SE's example
    draft = by_id[record["draft"].pk]
    assert draft["credit"]["jp"] is None and draft["evidence"][0]["size"] == len(record["photo"])
    assert data["certificates"][0]["number"] == record["certificate"].number
    assert data["certificates"][0]["total_jp"] == "7.0"
    assert data["followups"] == []


def test_pdfs_read_back_with_the_name_nip_and_jp(client_as, demo, record):
    archive = open_zip(client_as("pegawai").get(MY_EXPORT))
    cahya = demo.pegawai.employee
    first = pdf_text(archive.read("lampiran-i/2022-04-07-1.pdf"))
    assert cahya.name in first and cahya.nip in first and "Coaching" in first
    assert "2 JP" in first or "2,0 JP" in first or "2.0 JP" in first
    kartu = pdf_text(archive.read("kartu-pengendali-2022.pdf"))
    assert cahya.nip in kartu and "KARTU PENGENDALI" in kartu.upper()
    assert "7 JP" in kartu or "7,0 JP" in kartu


def test_the_employee_gets_only_their_own_record(demo, record):
    outsider = demo.client_for("outsider")
    data = json.loads(open_zip(outsider.get(MY_EXPORT)).read("data.json"))
    assert data["employee"]["nip"] == OUTSIDER_NIP and data["sessions"] == []
    cahya_url = reverse(
        "reports:employee_record_export", kwargs={"employee_pk": demo.pegawai.employee.pk}
    )
    # A plain employee may not use the per-employee download at all; the atasan neither.
    assert outsider.get(cahya_url).status_code == 403
    assert demo.client_for("atasan").get(cahya_url).status_code == 403
    # The pengelola of Biro SDM gets Cahya's, but not an employee of another unit (404).
    pengelola = demo.client_for("pengelola")
    data = json.loads(open_zip(pengelola.get(cahya_url)).read("data.json"))
    assert data["employee"]["nip"] == demo.pegawai.employee.nip
    galih_url = reverse(
        "reports:employee_record_export", kwargs={"employee_pk": demo.outsider.employee.pk}
    )
    assert pengelola.get(galih_url).status_code == 404
    assert demo.client_for("biro").get(galih_url).status_code == 200


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MY_EXPORT)
        b"".join(response.streaming_content)
    return len(queries)


PER_SESSION = 3  # measured: Lampiran I data (the session, its audit trail, its evidence)


def test_queries_grow_by_a_bounded_number_per_session(client_as, demo, record):
    client = client_as("pegawai")
    few = _queries(client)
    agreement = record["draft"].agreement
    for day in range(10, 20):
        factories.session(agreement, datetime.date(2022, 8, day))
    many = _queries(client)
    assert many - few <= 10 * PER_SESSION, (few, many)


def test_my_records_links_to_the_download(client_as, demo):
    page = client_as("pegawai").get(reverse("records:my_records")).content.decode()
    assert f'href="{MY_EXPORT}"' in page


def test_a_lost_evidence_file_is_listed_without_a_file_and_the_rest_still_comes(
    client_as, demo, record
):
    default_storage.delete(record["evidence"].file.name)
    archive = open_zip(client_as("pegawai").get(MY_EXPORT))
    assert not [n for n in archive.namelist() if n.startswith("bukti/")]
    data = json.loads(archive.read("data.json"))
    (draft,) = [s for s in data["sessions"] if s["id"] == record["draft"].pk]
    assert draft["evidence"][0]["file"] is None
    assert draft["evidence"][0]["original_name"] == "foto rapat*1.png"


def test_every_pdf_is_logged_under_the_code_in_its_footer(client_as, demo, record):
    archive = open_zip(client_as("pegawai").get(MY_EXPORT))
    logged = GeneratedDocument.objects.filter(employee=demo.pegawai.employee)
    assert logged.filter(kind=DocumentKind.LAMPIRAN_I).count() == 5
    assert logged.filter(kind=DocumentKind.KARTU).count() == 1
    kartu = logged.get(kind=DocumentKind.KARTU)
    assert kartu.code in pdf_text(archive.read("kartu-pengendali-2022.pdf"))
    assert kartu.generated_by == demo.pegawai
