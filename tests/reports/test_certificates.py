"""Annual e-certificates: issuing (once per employee and year), batches in the background,
revoking, the PDF, who may see what, and the public verification page."""

from __future__ import annotations

import base64
import datetime
import io
import re
import signal
import threading
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from approvals.notifications import notifications_muted
from records import services as records_services
from records.demo import seed_demo_activity
from records.models import Employee, UnitKerja
from reports import certificates
from reports.certificates import (
    certificate_batch_request,
    certificate_issue,
    certificate_revoke,
    mask_nip,
    normalize_code,
    terbilang,
)
from reports.models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
    DocumentKind,
    GeneratedDocument,
)
from tests import factories

CAHYA_NIP = "199708212020122005"
NUR_AINI_NIP = "198809302014022001"  # pengelola of Biro SDM, Diah's staff too


@pytest.fixture
def cahya_2022(demo):
    """The SE's Kartu Pengendali example, all verified: coaching 4 + mentoring 2 + BM 1 = 7 JP."""
    with notifications_muted():
        seed_demo_activity()
    return demo.pegawai.employee


def issue_cahya(demo, **extra) -> Certificate:
    return certificate_issue(employee=demo.pegawai.employee, year=2022, user=demo.biro, **extra)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def give_verified_coaching(demo, employee: Employee, on=datetime.date(2022, 3, 10)):
    """A verified coaching meeting (2 JP) with the employee's atasan as coach."""
    atasan = employee.atasan
    agreement = records_services.agreement_propose_coaching(
        atasan=atasan, area=factories.area(employee, on.year), title="Penyusunan SOP",
        goal="Menyusun SOP", target="Draf SOP", actor=atasan.user,
    )  # fmt: skip
    records_services.agreement_respond(agreement=agreement, actor=employee, accept=True)
    agreement.refresh_from_db()
    with notifications_muted():
        return factories.verified(demo, factories.session(agreement, on))


# --- Issuing ----------------------------------------------------------------------------------


def test_the_pdf_shows_name_nip_year_jp_breakdown_number_and_code(cahya_2022, demo):
    certificate = issue_cahya(demo)
    assert certificate.number == "000001/SERT-CMB/BKN/2022"
    assert (certificate.total_jp, certificate.coaching_jp) == (Decimal("7.0"), Decimal("4.0"))
    assert (certificate.mentoring_jp, certificate.self_learning_jp) == (
        Decimal("2.0"),
        Decimal("1.0"),
    )

    url = reverse("reports:certificate_pdf", args=[certificate.pk])
    response = demo.client_for("pegawai").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "SERTIFIKAT ELEKTRONIK PENGEMBANGAN KOMPETENSI" in text
    assert "Cahya" in text
    assert f"NIP {CAHYA_NIP}" in text
    assert "Biro Sumber Daya Manusia" in text
    assert "tahun 2022 sebanyak 7 JP (tujuh jam pelajaran)" in text
    assert re.search(r"Coaching 4 JP Mentoring 2 JP Belajar Mandiri 1 JP Jumlah 7 JP", text), text
    assert "000001/SERT-CMB/BKN/2022" in text
    assert certificate.code in text
    assert "Ditandatangani secara elektronik".upper() in text.upper()
    assert django_settings.CMB_CERTIFICATE_SIGNATORY_NAME in text
    assert f"NIP {django_settings.CMB_CERTIFICATE_SIGNATORY_NIP}" in text


def test_the_issued_pdf_is_kept_and_logged_so_every_download_is_the_same_document(cahya_2022, demo):
    certificate = issue_cahya(demo)
    client = demo.client_for("pegawai")
    first = client.get(reverse("reports:certificate_pdf", args=[certificate.pk])).content
    second = client.get(reverse("reports:certificate_pdf", args=[certificate.pk])).content
    assert first == second
    logged = GeneratedDocument.objects.get(code=certificate.code)
    assert logged.kind == DocumentKind.CERTIFICATE
    import hashlib

    assert logged.sha256 == hashlib.sha256(first).hexdigest()


def test_the_qr_code_and_the_printed_address_lead_to_the_verification_page(cahya_2022, demo):
    certificate = issue_cahya(demo)
    context = certificates._pdf_context(certificate)
    url = f"{django_settings.CMB_PUBLIC_URL}/verifikasi/{certificate.code}/"
    assert context["verify_url"] == url
    uri = context["qr_data_uri"]
    assert uri.startswith("data:image/svg+xml")
    payload = uri.split(",", 1)[1]
    svg = base64.b64decode(payload).decode() if ";base64" in uri.split(",")[0] else unquote(payload)
    assert "<svg" in svg and "<path" in svg
    html = render_to_string(
        certificates.PDF_TEMPLATE,
        {**context, "document_code": "X", "generated_at": "", "institution": "BKN"},
    )
    assert f'src="{uri}"' in html
    text = pdf_text(certificates.certificate_pdf(certificate=certificate, user=demo.biro).pdf)
    assert url in text.replace(" ", "")
    # The address really answers (the QR code's target).
    path = url.removeprefix(django_settings.CMB_PUBLIC_URL)
    assert demo.client_for("anonymous").get(path).status_code == 200


def test_issuing_again_returns_the_same_certificate(cahya_2022, demo):
    first = issue_cahya(demo)
    again = issue_cahya(demo)
    assert again.pk == first.pk
    assert Certificate.objects.filter(employee=cahya_2022, year=2022).count() == 1


def test_a_second_batch_skips_the_employee_who_already_has_one(cahya_2022, demo):
    first = certificate_batch_request(year=2022, employee_ids=[cahya_2022.pk], user=demo.biro)
    second = certificate_batch_request(year=2022, employee_ids=[cahya_2022.pk], user=demo.biro)
    assert (first.status, first.issued, first.skipped) == (BatchStatus.DONE, 1, 0)
    assert (second.status, second.issued, second.skipped) == (BatchStatus.DONE, 0, 1)
    assert Certificate.objects.filter(employee=cahya_2022, year=2022).count() == 1
    assert Certificate.objects.get().batch_id == first.pk


def test_the_database_refuses_a_second_valid_certificate_and_issue_returns_the_existing_one(
    cahya_2022, demo, monkeypatch
):
    """As if another worker issued it between our check and our insert."""
    first = issue_cahya(demo)
    real = certificates._valid_certificate
    calls = {"n": 0}

    def blind_twice(employee_id, year):
        calls["n"] += 1
        return None if calls["n"] <= 2 else real(employee_id, year)

    monkeypatch.setattr(certificates, "_valid_certificate", blind_twice)
    summary = certificates.ledger.ledger_for(cahya_2022.pk, 2022).summary()
    outcome = certificates._issue(
        employee=cahya_2022, year=2022, user=demo.biro, summary=summary, batch=None, cache=None
    )
    assert (outcome.certificate.pk, outcome.created) == (first.pk, False)
    assert Certificate.objects.filter(employee=cahya_2022, year=2022).count() == 1


def test_an_employee_without_verified_jp_gets_no_certificate(demo):
    with pytest.raises(ValidationError, match="belum memiliki JP terverifikasi pada tahun 2022"):
        issue_cahya(demo)
    assert not Certificate.objects.exists()


def test_only_biro_sdm_issues_and_only_for_past_or_current_years(cahya_2022, demo):
    with pytest.raises(ValidationError, match="Hanya Biro SDM"):
        certificate_issue(employee=cahya_2022, year=2022, user=demo.pengelola)
    next_year = datetime.date.today().year + 1
    with pytest.raises(ValidationError, match=f"tahun {next_year} belum dapat"):
        certificate_batch_request(year=next_year, everyone=True, user=demo.biro)
    with pytest.raises(ValidationError, match="Pilih satu cakupan"):
        certificate_batch_request(year=2022, everyone=True, employee_ids=[1], user=demo.biro)


def test_numbers_follow_a_sequence_per_year_and_are_never_reused(cahya_2022, demo):
    nur = Employee.objects.get(nip=NUR_AINI_NIP)
    give_verified_coaching(demo, nur)
    give_verified_coaching(demo, nur, on=datetime.date(2021, 3, 10))
    a = issue_cahya(demo)
    b = certificate_issue(employee=nur, year=2022, user=demo.biro)
    c = certificate_issue(employee=nur, year=2021, user=demo.biro)
    certificate_revoke(certificate=a, user=demo.biro, reason="Salah hitung.")
    d = issue_cahya(demo)
    assert [a.number, b.number, c.number, d.number] == [
        "000001/SERT-CMB/BKN/2022",
        "000002/SERT-CMB/BKN/2022",
        "000001/SERT-CMB/BKN/2021",
        "000003/SERT-CMB/BKN/2022",
    ]


# --- Revoking ---------------------------------------------------------------------------------


def test_revoking_then_reissuing_makes_a_new_valid_one_and_the_old_page_says_revoked(
    cahya_2022, demo
):
    old = issue_cahya(demo)
    certificate_revoke(certificate=old, user=demo.biro, reason="JP Mei belum final.")
    new = issue_cahya(demo)
    assert new.pk != old.pk and new.code != old.code and new.is_valid
    old.refresh_from_db()
    assert not old.is_valid and old.revoke_reason == "JP Mei belum final."
    valid = Certificate.objects.filter(employee=cahya_2022, year=2022, revoked_at__isnull=True)
    assert list(valid) == [new]

    page = demo.client_for("anonymous").get(reverse("reports:certificate_verify", args=[old.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "DICABUT" in html
    revoked_on = old.revoked_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert f"dicabut pada {revoked_on.day} " in html
    assert "JP Mei belum final" not in html  # the reason is internal
    fresh = demo.client_for("anonymous").get(reverse("reports:certificate_verify", args=[new.code]))
    assert "Sertifikat sah" in fresh.content.decode()


def test_a_revoked_certificate_downloads_with_a_revoked_stamp(cahya_2022, demo):
    old = issue_cahya(demo)
    certificate_revoke(certificate=old, user=demo.biro, reason="Salah orang.")
    response = demo.client_for("pegawai").get(reverse("reports:certificate_pdf", args=[old.pk]))
    assert "DICABUT" in pdf_text(response.content)


def test_revoking_needs_biro_sdm_a_reason_and_a_valid_certificate(cahya_2022, demo):
    certificate = issue_cahya(demo)
    with pytest.raises(ValidationError, match="Hanya Biro SDM"):
        certificate_revoke(certificate=certificate, user=demo.pimpinan, reason="x")
    with pytest.raises(ValidationError, match="alasan"):
        certificate_revoke(certificate=certificate, user=demo.biro, reason="   ")
    certificate_revoke(certificate=certificate, user=demo.biro, reason="Salah.")
    with pytest.raises(ValidationError, match="sudah dicabut"):
        certificate_revoke(certificate=certificate, user=demo.biro, reason="Lagi.")


def test_the_revoke_button_needs_the_confirmation_and_a_reason(cahya_2022, demo):
    certificate = issue_cahya(demo)
    client = demo.client_for("biro")
    url = reverse("reports:certificate_revoke", args=[certificate.pk])
    response = client.post(url, {"reason": "Salah hitung."}, follow=True)
    assert "Centang konfirmasi" in response.content.decode()
    response = client.post(url, {"confirm": "1", "reason": ""}, follow=True)
    assert "Tuliskan alasan pencabutan" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid
    response = client.post(url, {"confirm": "1", "reason": "Salah hitung."})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:certificate_list")
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_by == demo.biro


# --- The public page --------------------------------------------------------------------------


def test_the_public_page_confirms_with_a_masked_nip_and_nothing_more(cahya_2022, demo):
    certificate = issue_cahya(demo)
    response = demo.client_for("anonymous").get(
        reverse("reports:certificate_verify", args=[certificate.code])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sertifikat sah" in html
    assert "Cahya" in html
    assert "19970821********05" in html
    assert CAHYA_NIP not in html
    assert "2022" in html and "7 JP" in html
    for line in ("Coaching: 4 JP", "Mentoring: 2 JP", "Belajar Mandiri: 1 JP"):
        assert line in html
    assert certificate.number in html
    assert django_settings.CMB_CERTIFICATE_SIGNATORY_NAME in html
    assert "Biro Sumber Daya Manusia</dd>" not in html  # no unit
    assert "Diah" not in html  # nobody else's data
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert 'data-testid="nav"' not in html  # no navigation for the public


def test_the_code_is_read_ignoring_case_spaces_and_dashes(cahya_2022, demo):
    certificate = issue_cahya(demo)
    typed = f"{certificate.code[:5].lower()} {certificate.code[5:]}"
    response = demo.client_for("anonymous").get(f"/verifikasi/{typed}/")
    assert response.status_code == 200 and "Sertifikat sah" in response.content.decode()
    assert normalize_code(" ab-cd e ") == "ABCDE"


def test_an_unknown_code_is_a_404_that_says_so(demo):
    for code in ("ABCDEFGHJK", "x", "%3Cscript%3E"):
        response = demo.client_for("anonymous").get(f"/verifikasi/{code}/")
        assert response.status_code == 404
        assert "Sertifikat tidak ditemukan" in response.content.decode()


def test_nip_masking_keeps_the_birth_date_and_the_last_two_digits():
    assert mask_nip(CAHYA_NIP) == "19970821********05"
    assert mask_nip("123") == "***"


def test_jp_in_words():
    assert [terbilang(Decimal(v)) for v in ("7", "2.4", "11", "20", "15", "123")] == [
        "tujuh", "dua koma empat", "sebelas", "dua puluh", "lima belas", "seratus dua puluh tiga",
    ]  # fmt: skip


# --- Batches ----------------------------------------------------------------------------------


def test_a_batch_for_a_unit_issues_for_each_employee_with_verified_jp_and_skips_the_rest(
    cahya_2022, demo
):
    give_verified_coaching(demo, Employee.objects.get(nip=NUR_AINI_NIP))
    # Heri (Direktorat Jabatan) has verified JP too, but is outside the unit.
    give_verified_coaching(demo, demo.mentor.employee)

    settama = UnitKerja.objects.get(code="settama")  # Biro SDM and Biro Umum below it
    in_scope = Employee.objects.filter(unit__code__in=("biro-sdm", "biro-umum"), active=True)
    batch = certificate_batch_request(year=2022, unit=settama, user=demo.biro)

    assert batch.status == BatchStatus.DONE and batch.finished_at is not None
    assert batch.total == in_scope.count() == 14
    assert (batch.issued, batch.skipped) == (2, 12)
    assert batch.error == ""
    holders = set(batch.certificates.values_list("employee_nip", flat=True))
    assert holders == {CAHYA_NIP, NUR_AINI_NIP}
    assert "sub-unit" in batch.description


def test_a_batch_for_everyone_and_for_a_nip_list(cahya_2022, demo):
    everyone = certificate_batch_request(year=2022, everyone=True, user=demo.biro)
    assert everyone.total == Employee.objects.filter(active=True).count()
    assert (everyone.issued, everyone.skipped) == (1, everyone.total - 1)

    client = demo.client_for("biro")
    response = client.post(
        reverse("reports:certificate_list"),
        {"year": 2022, "scope": "pegawai", "nips": "19970821 202012 2 005\n199409092018011004"},
    )
    batch = CertificateBatch.objects.first()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:certificate_batch", args=[batch.pk])
    assert (batch.total, batch.issued, batch.skipped) == (2, 0, 2)


def test_the_issue_form_names_unknown_nips_and_a_missing_unit(demo):
    client = demo.client_for("biro")
    html = client.post(
        reverse("reports:certificate_list"),
        {"year": 2022, "scope": "pegawai", "nips": "199001012015011001"},
    ).content.decode()
    assert "NIP tidak ditemukan: 199001012015011001" in html
    html = client.post(
        reverse("reports:certificate_list"), {"year": 2022, "scope": "unit"}
    ).content.decode()
    assert "Pilih unit kerja" in html
    assert not CertificateBatch.objects.exists()


# The worker takes its own (exclusive) transactions, so this test really commits; serialized
# rollback restores the reference data that migrations create after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_request_returns_at_once_and_the_worker_issues_later(settings, demo):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with notifications_muted():
        seed_demo_activity()
    cahya = demo.pegawai.employee
    response = demo.client_for("biro").post(
        reverse("reports:certificate_list"), {"year": 2022, "scope": "pegawai", "nips": CAHYA_NIP}
    )
    batch = CertificateBatch.objects.get()
    assert response.status_code == 302
    assert (batch.status, batch.issued, batch.total) == (BatchStatus.QUEUED, 0, 1)
    assert not Certificate.objects.exists()
    page = demo.client_for("biro").get(reverse("reports:certificate_batch", args=[batch.pk]))
    assert 'hx-trigger="every 2s"' in page.content.decode()

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:  # the worker installs its own shutdown handlers; give pytest its own back
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    batch.refresh_from_db()
    assert (batch.status, batch.issued, batch.skipped) == (BatchStatus.DONE, 1, 0)
    assert Certificate.objects.get().employee == cahya
    fragment = demo.client_for("biro").get(
        reverse("reports:certificate_batch", args=[batch.pk]), headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith("<div") and "<html" not in html
    assert "hx-trigger" not in html  # finished: the polling stops
    assert "1 diterbitkan, 0 dilewati, dari 1 pegawai" in html


def test_a_failure_for_one_employee_is_reported_and_the_rest_go_on(cahya_2022, demo, monkeypatch):
    nur = Employee.objects.get(nip=NUR_AINI_NIP)
    give_verified_coaching(demo, nur)
    real = certificates._render

    def broken_for_cahya(certificate, cache, *, code):
        if certificate.employee_nip == CAHYA_NIP:
            raise RuntimeError("font hilang")
        return real(certificate, cache, code=code)

    monkeypatch.setattr(certificates, "_render", broken_for_cahya)
    batch = certificate_batch_request(
        year=2022, employee_ids=[cahya_2022.pk, nur.pk], user=demo.biro
    )
    assert batch.status == BatchStatus.FAILED
    assert (batch.issued, batch.skipped) == (1, 0)
    assert f"{CAHYA_NIP} Cahya: font hilang" in batch.error
    assert not Certificate.objects.filter(employee=cahya_2022).exists()  # rolled back whole


def test_one_render_cache_is_shared_by_the_whole_batch(cahya_2022, demo, monkeypatch):
    give_verified_coaching(demo, Employee.objects.get(nip=NUR_AINI_NIP))
    caches = []
    real = certificates._render

    def spy(certificate, cache, *, code):
        caches.append(cache)
        return real(certificate, cache, code=code)

    monkeypatch.setattr(certificates, "_render", spy)
    certificate_batch_request(
        year=2022, unit=UnitKerja.objects.get(code="biro-sdm"), user=demo.biro
    )
    assert len(caches) == 2 and caches[0] is caches[1] and caches[0] is not None


# --- Pages and access -------------------------------------------------------------------------


def test_access_per_role_for_each_url(cahya_2022, demo):
    certificate = issue_cahya(demo)
    batch = certificate_batch_request(year=2022, employee_ids=[cahya_2022.pk], user=demo.biro)
    biro_pages = [
        reverse("reports:certificate_list"),
        reverse("reports:certificate_batch", args=[batch.pk]),
    ]
    pdf = reverse("reports:certificate_pdf", args=[certificate.pk])
    mine = reverse("reports:my_certificates")
    revoke = reverse("reports:certificate_revoke", args=[certificate.pk])
    verify = reverse("reports:certificate_verify", args=[certificate.code])

    anonymous = demo.client_for("anonymous")
    for url in [*biro_pages, pdf, mine]:
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/?next="), url
    assert anonymous.post(revoke)["Location"].startswith("/masuk/?next=")
    assert anonymous.get(verify).status_code == 200

    pegawai = demo.client_for("pegawai")
    for url in biro_pages:
        assert pegawai.get(url).status_code == 403, url
    assert pegawai.post(revoke, {"confirm": "1", "reason": "x"}).status_code == 403
    assert pegawai.get(pdf).status_code == 200
    assert "000001/SERT-CMB/BKN/2022" in pegawai.get(mine).content.decode()

    outsider = demo.client_for("outsider")
    assert outsider.get(pdf).status_code == 404
    assert certificate.number not in outsider.get(mine).content.decode()

    for role in ("atasan", "pengelola", "pimpinan"):
        client = demo.client_for(role)
        assert client.get(pdf).status_code == 200, role
        assert client.get(biro_pages[0]).status_code == 403, role

    biro = demo.client_for("biro")
    for url in [*biro_pages, pdf, mine, verify]:
        assert biro.get(url).status_code == 200, url
    missing = reverse("reports:certificate_pdf", args=[certificate.pk + 99])
    assert biro.get(missing).status_code == 404


def test_someone_elses_certificate_is_404_for_a_plain_employee(cahya_2022, demo):
    nur = Employee.objects.get(nip=NUR_AINI_NIP)
    give_verified_coaching(demo, nur)
    theirs = certificate_issue(employee=nur, year=2022, user=demo.biro)
    response = demo.client_for("pegawai").get(reverse("reports:certificate_pdf", args=[theirs.pk]))
    assert response.status_code == 404


def test_the_list_filters_by_year_and_unit(cahya_2022, demo):
    nur = Employee.objects.get(nip=NUR_AINI_NIP)
    give_verified_coaching(demo, nur, on=datetime.date(2021, 5, 3))
    issue_cahya(demo)
    certificate_issue(employee=nur, year=2021, user=demo.biro)
    client = demo.client_for("biro")
    url = reverse("reports:certificate_list")
    assert "2 sertifikat" in client.get(url).content.decode()
    html = client.get(url, {"tahun": 2021}).content.decode()
    assert "Nur Aini" in html and "000001/SERT-CMB/BKN/2022" not in html
    settama = UnitKerja.objects.get(code="settama").pk
    assert "2 sertifikat" in client.get(url, {"unit": settama}).content.decode()
    kanreg = UnitKerja.objects.get(code="kanreg-1").pk
    assert "0 sertifikat" in client.get(url, {"unit": kanreg}).content.decode()


def test_the_certificate_list_needs_the_same_queries_for_1_and_3_certificates(
    cahya_2022, demo, django_assert_max_num_queries
):
    client = demo.client_for("biro")
    url = reverse("reports:certificate_list")
    issue_cahya(demo)
    client.get(url)  # warm the session
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as one:
        client.get(url)
    for nip in (NUR_AINI_NIP, "198507172010011006"):
        employee = Employee.objects.get(nip=nip)
        give_verified_coaching(demo, employee)
        certificate_issue(employee=employee, year=2022, user=demo.biro)
    with CaptureQueriesContext(conn) as three:
        html = client.get(url).content.decode()
    assert "3 sertifikat" in html
    assert len(three) == len(one)


def test_the_batch_page_polls_while_queued_and_shows_the_fragment_to_htmx(cahya_2022, demo):
    batch = CertificateBatch.objects.create(
        year=2022, description="uji", employee_ids=[cahya_2022.pk], requested_by=demo.biro, total=1
    )
    client = demo.client_for("biro")
    url = reverse("reports:certificate_batch", args=[batch.pk])
    html = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in html
    assert "vendor/htmx/htmx.min.js" in html
    assert "<script>" not in html  # no inline scripts
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="batch-progress"' in fragment and "<html" not in fragment


# --- Concurrency (PostgreSQL) -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_issuing_at_once_make_one_certificate_with_distinct_numbers(demo):
    with notifications_muted():
        seed_demo_activity()
    nur = Employee.objects.get(nip=NUR_AINI_NIP)
    give_verified_coaching(demo, nur)
    cahya = demo.pegawai.employee
    barrier = threading.Barrier(4)
    outcomes = []

    def run(employee):
        try:
            barrier.wait()
            outcomes.append(certificate_issue(employee=employee, year=2022, user=demo.biro).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(e,)) for e in (cahya, cahya, nur, nur)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 4 and len(set(outcomes)) == 2
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == ["000001/SERT-CMB/BKN/2022", "000002/SERT-CMB/BKN/2022"]
