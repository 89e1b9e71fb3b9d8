"""Annual e-certificates (SE Kepala BKN 3/2022, point 5.b.8): the JP verified by Biro SDM in a
year, issued once per employee and year, numbered, signed by Biro SDM, with a public check code.

    certificate_batch_request  Biro SDM asks for a batch (chosen employees, a unit, everyone);
                               the batch runs in the background (django-tasks, `db_worker`).
    issue_certificate_batch    the task: issues one by one, keeping the batch's counters.
    certificate_issue          one certificate; idempotent (an existing valid one is returned).
    certificate_revoke         Biro SDM withdraws one, with a reason; re-issuing makes a new one.

Decisions (where the sources are silent):
- The figures are copied at issue from records.ledger (verified JP only) and never change; JP
  verified later needs a revocation and a new certificate.
- Employees with 0 verified JP in the year get no certificate (counted as skipped).
- Numbers are "{seq:06d}/{CMB_CERTIFICATE_PREFIX}/{year}", one sequence per year, never reused
  (a revoked certificate keeps its number).
- The PDF is rendered once, at issue, and kept (MEDIA_ROOT/certificates/<year>/<code>.pdf);
  its footer carries the certificate's own code and its SHA-256 is in the document log, so every
  download is the very document that was issued. A revoked certificate is served re-rendered
  with a "DICABUT" stamp instead.
- The public page masks the NIP to the birth-date part and the last two digits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_tasks import task

from records import ledger
from records.models import Activity, Employee, UnitKerja
from records.roles import Roles, roles_for, subtree_ids
from records.selectors import get_employee_for

from .models import BatchStatus, Certificate, CertificateBatch, DocumentKind
from .pdf import RenderCache, Rendered, new_code, render_pdf
from .services import document_record

log = logging.getLogger(__name__)

CODE_LENGTH = 10
PDF_TEMPLATE = "reports/pdf/certificate.html"
FIRST_YEAR = 2000
# Employees read (with their ledgers) per round trip in a batch.
CHUNK = 200


class CertificateError(ValidationError):
    """A certificate request that cannot be done; the message says why."""


# --- Small pure helpers ---------------------------------------------------------------------


def normalize_code(raw: str) -> str:
    """Codes are typed from paper: ignore case, spaces and dashes ("abcde fghjk" works)."""
    return "".join(ch for ch in str(raw) if not ch.isspace() and ch != "-").upper()


def mask_nip(nip: str) -> str:
    """Public page: the birth-date part (digits 1-8) and the last two digits, e.g.
    199708212020122005 -> 19970821********05. Enough to tell two namesakes apart on paper,
    not enough to reconstruct the NIP."""
    if len(nip) != 18:
        return "*" * len(nip)
    return nip[:8] + "*" * 8 + nip[-2:]


def certificate_number(seq: int, year: int) -> str:
    return f"{seq:06d}/{settings.CMB_CERTIFICATE_PREFIX}/{year}"


def verification_url(code: str) -> str:
    from django.urls import reverse

    return settings.CMB_PUBLIC_URL.rstrip("/") + reverse(
        "reports:certificate_verify", kwargs={"code": code}
    )


_ONES = [
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas",
]  # fmt: skip


def _words(n: int) -> str:
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_ONES[hundreds]} ratus"
        return head + (f" {_words(rest)}" if rest else "")
    return str(n)


def terbilang(value: Decimal) -> str:
    """JP in words, as official documents spell amounts: 7 -> "tujuh", 2.4 -> "dua koma empat"."""
    value = Decimal(value).quantize(Decimal("0.1"))
    whole, tenth = divmod(int(value * 10), 10)
    return _words(whole) + (f" koma {_ONES[tenth]}" if tenth else "")


# --- Issuing ----------------------------------------------------------------------------------


def _require_biro(user, doing: str) -> None:
    if not roles_for(user).is_biro:
        raise CertificateError(f"Hanya Biro SDM yang dapat {doing}.")


def _check_year(year: int) -> int:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or year < FIRST_YEAR:
        raise CertificateError({"year": f"Tahun harus {FIRST_YEAR} atau sesudahnya."})
    if year > this_year:
        raise CertificateError({"year": f"Sertifikat tahun {year} belum dapat diterbitkan."})
    return year


def _valid_certificate(employee_id: int, year: int) -> Certificate | None:
    return Certificate.objects.filter(
        employee_id=employee_id, year=year, revoked_at__isnull=True
    ).first()


def _lock_year_sequence(year: int) -> None:
    """Serialise numbering within a year until the transaction ends. PostgreSQL: an advisory
    transaction lock (there is no row to lock before the year's first certificate). SQLite:
    nothing to do, the project opens write transactions with BEGIN IMMEDIATE, so one writer
    holds the database at a time. The unique number is the last line of defence."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x434D42, year])


def _next_number(year: int) -> str:
    last = (
        Certificate.objects.filter(year=year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.split("/", 1)[0]) + 1 if last else 1
    return certificate_number(seq, year)


def certificate_pdf_path(certificate: Certificate) -> str:
    return f"certificates/{certificate.year}/{certificate.code}.pdf"


def _breakdown(certificate: Certificate) -> list[tuple[str, Decimal]]:
    return [
        (Activity.COACHING.label, certificate.coaching_jp),
        (Activity.MENTORING.label, certificate.mentoring_jp),
        (Activity.BELAJAR_MANDIRI.label, certificate.self_learning_jp),
    ]


def _pdf_context(certificate: Certificate) -> dict:
    url = verification_url(certificate.code)
    qr = segno.make(url, error="m")
    return {
        "certificate": certificate,
        "breakdown": _breakdown(certificate),
        "total_words": terbilang(certificate.total_jp),
        "verify_url": url,
        "qr_data_uri": qr.svg_data_uri(scale=4, border=0, dark="#1b2a4a"),
        "place": getattr(settings, "CMB_CITY", "Jakarta"),
        "issued_on": timezone.localtime(certificate.issued_at).date(),
        "revoked_on": (
            timezone.localtime(certificate.revoked_at).date() if certificate.revoked_at else None
        ),
    }


def _render(certificate: Certificate, cache: RenderCache | None, *, code: str) -> Rendered:
    return render_pdf(
        PDF_TEMPLATE,
        _pdf_context(certificate),
        stylesheets=("pdf/certificate.css",),
        code=code,
        cache=cache,
    )


def _store_pdf(certificate: Certificate, pdf: bytes) -> None:
    path = certificate_pdf_path(certificate)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(pdf))


@dataclass(frozen=True)
class Issued:
    certificate: Certificate
    created: bool


@transaction.atomic
def _issue(
    *,
    employee: Employee,
    year: int,
    user,
    summary,
    batch: CertificateBatch | None,
    cache: RenderCache | None,
) -> Issued:
    existing = _valid_certificate(employee.pk, year)
    if existing is not None:
        return Issued(existing, False)
    _lock_year_sequence(year)
    # Again after the lock: a worker that held it may have just issued this one.
    existing = _valid_certificate(employee.pk, year)
    if existing is not None:
        return Issued(existing, False)
    by_kind = summary.by_kind
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                number=_next_number(year),
                code=new_code(CODE_LENGTH),
                employee=employee,
                year=year,
                employee_name=employee.name,
                employee_nip=employee.nip,
                unit_name=employee.unit.name,
                total_jp=summary.total,
                coaching_jp=by_kind[Activity.COACHING],
                mentoring_jp=by_kind[Activity.MENTORING],
                self_learning_jp=by_kind[Activity.BELAJAR_MANDIRI],
                issued_at=timezone.now(),
                issued_by=user,
                signatory_name=settings.CMB_CERTIFICATE_SIGNATORY_NAME,
                signatory_nip=settings.CMB_CERTIFICATE_SIGNATORY_NIP,
                signatory_position=settings.CMB_CERTIFICATE_SIGNATORY_POSITION,
                batch=batch,
            )
    except IntegrityError:
        # The partial unique constraint: someone issued it a moment ago (without our lock,
        # e.g. on another database engine). Theirs stands; never a second valid one.
        existing = _valid_certificate(employee.pk, year)
        if existing is None:
            raise
        return Issued(existing, False)
    rendered = _render(certificate, cache, code=certificate.code)
    document_record(
        rendered=rendered,
        kind=DocumentKind.CERTIFICATE,
        title=f"Sertifikat {certificate.number} {certificate.employee_name}",
        user=user,
        employee=employee,
        unit=employee.unit,
    )
    _store_pdf(certificate, rendered.pdf)
    return Issued(certificate, True)


def certificate_issue(
    *,
    employee: Employee,
    year: int,
    user,
    batch: CertificateBatch | None = None,
    cache: RenderCache | None = None,
) -> Certificate:
    """The employee's valid certificate for `year`: the existing one, or a new one made from
    the verified JP of the year. Refused when nothing is verified in that year."""
    _require_biro(user, "menerbitkan sertifikat")
    _check_year(year)
    existing = _valid_certificate(employee.pk, year)
    if existing is not None:
        return existing
    summary = ledger.ledger_for(employee.pk, year).summary()
    if not summary.total:
        raise CertificateError(
            f"{employee.name} belum memiliki JP terverifikasi pada tahun {year}; "
            "sertifikat tidak diterbitkan."
        )
    return _issue(
        employee=employee, year=year, user=user, summary=summary, batch=batch, cache=cache
    ).certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Withdraw a certificate (wrong figures, wrong person…); its number is not reused and
    its public page says it was revoked. A new one can then be issued."""
    _require_biro(user, "mencabut sertifikat")
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError({"reason": "Tuliskan alasan pencabutan."})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise CertificateError(f"Sertifikat {certificate.number} sudah dicabut.")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = user
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return certificate


# --- Batches ----------------------------------------------------------------------------------


@transaction.atomic
def certificate_batch_request(
    *,
    year: int,
    user,
    employee_ids: list[int] | None = None,
    unit: UnitKerja | None = None,
    everyone: bool = False,
) -> CertificateBatch:
    """Record a batch and queue it; returns at once (the worker issues the certificates).
    Exactly one scope: chosen employees, a unit with its sub-units, or every active employee."""
    _require_biro(user, "menerbitkan sertifikat")
    _check_year(year)
    if sum((employee_ids is not None, unit is not None, bool(everyone))) != 1:
        raise CertificateError(
            "Pilih satu cakupan: pegawai tertentu, satu unit kerja, atau seluruh pegawai."
        )
    employees = Employee.objects.order_by("unit__name", "name", "pk")
    if employee_ids is not None:
        wanted = {int(pk) for pk in employee_ids}
        ids = list(employees.filter(pk__in=wanted).values_list("pk", flat=True))
        if len(ids) != len(wanted):
            raise CertificateError("Sebagian pegawai yang dipilih tidak ditemukan.")
        description = f"{len(ids)} pegawai terpilih"
        if len(ids) == 1:
            description = f"Pegawai: {Employee.objects.get(pk=ids[0]).name}"
    elif unit is not None:
        units = subtree_ids([unit.pk])
        ids = list(employees.filter(unit_id__in=units, active=True).values_list("pk", flat=True))
        description = f"Unit kerja: {unit.name}" + (" beserta sub-unit" if len(units) > 1 else "")
    else:
        ids = list(employees.filter(active=True).values_list("pk", flat=True))
        description = "Seluruh pegawai aktif"
    if not ids:
        raise CertificateError("Tidak ada pegawai aktif dalam cakupan ini.")
    batch = CertificateBatch.objects.create(
        year=year,
        description=description[:300],
        employee_ids=ids,
        requested_by=user,
        total=len(ids),
    )
    # Queued inside the transaction on purpose: with the database backend the task row
    # commits together with the batch (no batch without its task, no task without its
    # batch). With the immediate backend (tests, TASKS_IMMEDIATE=1) it runs right here.
    issue_certificate_batch.enqueue(batch.pk)
    batch.refresh_from_db()
    return batch


def _save_progress(batch: CertificateBatch, **fields) -> None:
    CertificateBatch.objects.filter(pk=batch.pk).update(**fields)


@task()
def issue_certificate_batch(batch_id: int) -> dict:
    """Issue the batch's certificates one by one, each in its own transaction, updating the
    counters as it goes so the progress page can show them. Safe to run again: certificates
    already issued are found, not duplicated."""
    batch = CertificateBatch.objects.select_related("requested_by").get(pk=batch_id)
    if batch.status == BatchStatus.DONE:
        return {"issued": batch.issued, "skipped": batch.skipped}
    ids = [int(pk) for pk in batch.employee_ids]
    issued = skipped = 0
    errors: list[str] = []
    _save_progress(batch, status=BatchStatus.RUNNING, total=len(ids), issued=0, skipped=0, error="")
    cache = RenderCache()
    try:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            employees = Employee.objects.select_related("unit").in_bulk(chunk)
            ledgers = ledger.ledgers_for({(pk, batch.year) for pk in chunk})
            for pk in chunk:
                employee = employees.get(pk)
                summary = ledgers[(pk, batch.year)].summary()
                if employee is None or not summary.total:
                    skipped += 1
                else:
                    try:
                        outcome = _issue(
                            employee=employee, year=batch.year, user=batch.requested_by,
                            summary=summary, batch=batch, cache=cache,
                        )  # fmt: skip
                    except Exception as error:  # noqa: BLE001 - one failure must not stop the rest
                        log.exception("certificate for employee %s failed", pk)
                        errors.append(f"{employee.nip} {employee.name}: {error}")
                    else:
                        # Issued by this batch (now, or in an earlier run of it) or skipped.
                        if outcome.created or outcome.certificate.batch_id == batch.pk:
                            issued += 1
                        else:
                            skipped += 1
                _save_progress(batch, issued=issued, skipped=skipped)
    except Exception as error:
        _save_progress(
            batch, status=BatchStatus.FAILED, finished_at=timezone.now(),
            error="\n".join([*errors, f"Batch berhenti: {error}"])[:5000],
        )  # fmt: skip
        raise
    _save_progress(
        batch,
        status=BatchStatus.FAILED if errors else BatchStatus.DONE,
        finished_at=timezone.now(),
        error="\n".join(errors)[:5000],
    )
    return {"issued": issued, "skipped": skipped, "failed": len(errors)}


# --- Reads ------------------------------------------------------------------------------------


def certificates_filtered(
    *, year: int | None = None, unit_id: int | None = None, status: str = ""
) -> QuerySet[Certificate]:
    """Biro SDM's list: by year, by the employee's unit (with its sub-units), valid/revoked."""
    queryset = Certificate.objects.select_related("employee__unit", "batch")
    if year:
        queryset = queryset.filter(year=year)
    if unit_id:
        queryset = queryset.filter(employee__unit_id__in=subtree_ids([unit_id]))
    if status == "valid":
        queryset = queryset.filter(revoked_at__isnull=True)
    elif status == "revoked":
        queryset = queryset.filter(revoked_at__isnull=False)
    return queryset.order_by("-year", "employee_name", "-issued_at")


def get_certificate_for(roles: Roles, pk: int) -> Certificate:
    """A certificate whose holder this user may see (the holder, their atasan, the unit's
    pengelola and pimpinan, Biro SDM); 404 alike for "missing" and "not yours"."""
    certificate = Certificate.objects.filter(pk=pk).first()
    if certificate is None:
        raise Http404
    get_employee_for(roles, certificate.employee_id)
    return certificate


def certificate_by_code(raw: str) -> Certificate | None:
    code = normalize_code(raw)
    if len(code) != CODE_LENGTH:
        return None
    return Certificate.objects.filter(code=code).first()


def certificate_pdf(*, certificate: Certificate, user) -> Rendered:
    """The PDF to hand out: the stored original (rendered again, with the same code, should the
    file be missing); a revoked certificate freshly rendered with its "DICABUT" stamp, under a
    new document code that the document log records."""
    if certificate.revoked_at is not None:
        rendered = _render(certificate, None, code=new_code())
        document_record(
            rendered=rendered,
            kind=DocumentKind.CERTIFICATE,
            title=f"Sertifikat {certificate.number} {certificate.employee_name} (dicabut)",
            user=user,
            employee=certificate.employee,
        )
        return rendered
    path = certificate_pdf_path(certificate)
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as stored:
            return Rendered(pdf=stored.read(), code=certificate.code, generated_at=None)
    log.warning("certificate %s: stored PDF missing, rendering it again", certificate.number)
    rendered = _render(certificate, None, code=certificate.code)
    _store_pdf(certificate, rendered.pdf)
    return rendered
