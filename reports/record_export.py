"""One employee's complete CMB record as a ZIP, for the employee's own copy (issue 8).

The archive holds `data.json` (everything as data, with a schema version), the Lampiran I of
every session, a Kartu Pengendali per year with sessions, the stored certificate PDFs, the
evidence files as uploaded, and a README.txt in Indonesian. It is written into a
SpooledTemporaryFile (memory up to SPOOL_BYTES, disk beyond), never held whole in memory.

Access is the records selectors' (`get_employee_for`: 404 alike for "missing" and "not yours").
Queries: a constant number for the data, plus a bounded number per session and per year for
the official PDFs (each goes through reports.documents and is logged under its footer code).
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone

from approvals.models import AuditEntry
from records import jp, ledger
from records.models import (
    PENDING_STATUSES,
    Agreement,
    DevelopmentArea,
    Employee,
    Evidence,
    Session,
    SessionStatus,
)
from records.roles import Roles
from records.selectors import get_employee_for

from . import documents
from .certificates import certificate_pdf_path
from .models import Certificate, DocumentKind, FollowUp
from .pdf import RenderCache
from .services import PdfLogEntry, documents_record

SCHEMA_VERSION = 1
SPOOL_BYTES = 8 * 1024 * 1024

README = """\
SALINAN CATATAN CMB PEGAWAI
===========================

Nama   : {name}
NIP    : {nip}
Dibuat : {generated} oleh {institution} (CMB Portal)

Arsip ini berisi seluruh catatan Coaching, Mentoring dan Belajar Mandiri (CMB) Anda
sebagaimana tersimpan di CMB Portal pada saat arsip dibuat.

Isi arsip:
- data.json
    Seluruh data dalam format JSON (versi skema {schema}): profil pegawai, area
    pengembangan, kesepakatan, setiap pertemuan dengan isi formulir Lampiran I
    (A. Identifikasi Kebutuhan Pengembangan, B. Hubungan Tanggung Jawab Pekerjaan,
    C. Kegiatan Pengembangan, D. Hasil Pengembangan), status, JP yang diperoleh
    beserta alasannya, riwayat persetujuan (jejak audit), tindak lanjut evaluasi,
    dan data sertifikat.
- lampiran-i/
    Formulir Lampiran I (PDF) untuk setiap pertemuan, dengan tanda persetujuan
    elektronik dari jejak audit.
- kartu-pengendali-<tahun>.pdf
    Kartu Pengendali (Lampiran II) untuk setiap tahun yang memiliki pertemuan.
    Hanya JP yang sudah diverifikasi Biro SDM yang dihitung.
- sertifikat/
    Sertifikat elektronik tahunan yang telah diterbitkan (PDF asli yang disimpan).
- bukti/
    Berkas bukti kegiatan (foto, tangkapan layar, dokumen) persis seperti diunggah,
    dikelompokkan per pertemuan.

Catatan:
- JP "terverifikasi" adalah angka resmi. JP pertemuan yang masih diproses adalah
  perkiraan dan dapat berubah.
- Bila sebuah berkas bukti atau sertifikat tidak ditemukan di server, datanya tetap
  tercantum di data.json dengan "file": null.
- Setiap PDF memiliki kode dokumen di kaki halaman yang tercatat di CMB Portal.
- Arsip ini berisi data pribadi. Simpan dengan aman dan jangan dibagikan.
"""


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _safe(name: str) -> str:
    """A file name that stays inside its folder on every system."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" .")
    return cleaned[:120] or "berkas"


@dataclass(frozen=True)
class RecordExport:
    employee: Employee
    areas: list[DevelopmentArea]
    agreements: list[Agreement]
    sessions: list[Session]
    credits: dict[int, tuple[jp.Credit | None, bool]]  # session pk -> (credit, projected)
    followups: list[FollowUp]
    certificates: list[Certificate]
    missing_files: frozenset[str]  # storage names listed in the database but not on disk

    @property
    def filename(self) -> str:
        return f"catatan-cmb-{self.employee.nip}-{timezone.localdate():%Y%m%d}.zip"


def record_export_data(roles: Roles, employee_pk: int) -> RecordExport:
    """Everything of one employee this user may see, in a constant number of queries."""
    employee = get_employee_for(roles, employee_pk)
    sessions = list(
        Session.objects.filter(agreement__employee=employee)
        .select_related("agreement__mentor", "source")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")),
            Prefetch(
                "audit_entries",
                queryset=AuditEntry.objects.select_related("actor__employee").order_by("seq"),
            ),
        )
        .order_by("date", "start_time", "id")
    )
    by_year: dict[int, list[Session]] = {}
    for session in sessions:
        by_year.setdefault(session.date.year, []).append(session)
    books = {year: ledger.build_ledger(rows, year) for year, rows in by_year.items()}
    credits: dict[int, tuple[jp.Credit | None, bool]] = {}
    for session in sessions:
        if session.status == SessionStatus.VERIFIED:
            credits[session.pk] = (jp.Credit(session.credit_jp, session.credit_reason), False)
        elif session.status in PENDING_STATUSES:
            credits[session.pk] = (books[session.date.year].projected.get(session.pk), True)
        else:
            credits[session.pk] = (None, False)
    certificates = list(Certificate.objects.filter(employee=employee).order_by("year", "pk"))
    stored = [e.file.name for s in sessions for e in s.evidence.all()]
    stored += [certificate_pdf_path(c) for c in certificates]
    return RecordExport(
        employee=employee,
        areas=list(
            DevelopmentArea.objects.filter(employee=employee)
            .select_related("managerial")
            .order_by("year", "id")
        ),
        agreements=list(
            Agreement.objects.filter(employee=employee)
            .select_related("area__managerial", "atasan", "mentor")
            .prefetch_related("sources")
            .order_by("year", "id")
        ),
        sessions=sessions,
        credits=credits,
        followups=list(FollowUp.objects.filter(employee=employee).order_by("due_date", "pk")),
        certificates=certificates,
        missing_files=frozenset(name for name in stored if not default_storage.exists(name)),
    )


def _session_names(sessions: list[Session]) -> dict[int, str]:
    """`<date>-<n>`: n counts the sessions in date order, so two on one day stay apart."""
    return {s.pk: f"{s.date.isoformat()}-{n}" for n, s in enumerate(sessions, start=1)}


def _evidence_names(data: RecordExport, names: dict[int, str]) -> dict[int, str]:
    return {
        e.pk: f"bukti/{names[s.pk]}/{e.pk}-{_safe(e.original_name)}"
        for s in data.sessions
        for e in s.evidence.all()
    }


def _certificate_name(certificate: Certificate) -> str:
    return f"sertifikat/sertifikat-{certificate.year}-{certificate.code}.pdf"


def record_json(data: RecordExport) -> dict:
    employee = data.employee
    names = _session_names(data.sessions)
    evidence_names = _evidence_names(data, names)
    credit_of = data.credits

    def credit(session):
        value, projected = credit_of[session.pk]
        return {
            "jp": _text(value.jp) if value else None,
            "reason": value.reason if value else "",
            "projected": projected,
        }

    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": _text(timezone.now()),
        "institution": settings.CMB_INSTITUTION,
        "policy": getattr(settings, "CMB_POLICY", "bkn"),
        "employee": {
            "nip": employee.nip,
            "name": employee.name,
            "golongan": employee.golongan,
            "pangkat": employee.pangkat,
            "jabatan": employee.jabatan,
            "unit": employee.unit.name,
            "atasan": (
                {"name": employee.atasan.name, "nip": employee.atasan.nip}
                if employee.atasan
                else None
            ),
            "active": employee.active,
        },
        "development_areas": [
            {
                "id": a.pk,
                "year": a.year,
                "competency_type": a.competency_type,
                "competency": a.competency_name,
                "current_level": a.current_level,
                "required_level": a.required_level,
                "notes": a.notes,
            }
            for a in data.areas
        ],
        "agreements": [
            {
                "id": a.pk,
                "kind": a.kind,
                "year": a.year,
                "status": a.status,
                "title": a.title,
                "goal": a.goal,
                "target": a.target,
                "area_id": a.area_id,
                "atasan": {"name": a.atasan.name, "nip": a.atasan.nip},
                "mentor": {
                    "name": a.mentor_name,
                    "nip": a.mentor_nip,
                    "institution": a.external_institution,
                },
                "sources": [{"kind": s.kind, "title": s.title} for s in a.sources.all()],
                "created_at": _text(a.created_at),
                "agreed_at": _text(a.agreed_at),
                "decline_reason": a.decline_reason,
            }
            for a in data.agreements
        ],
        "sessions": [
            {
                "id": s.pk,
                "agreement_id": s.agreement_id,
                "kind": s.agreement.kind,
                "number": s.number,
                "date": _text(s.date),
                "start_time": _text(s.start_time),
                "end_time": _text(s.end_time),
                "place": s.place,
                "mode": s.mode,
                "platform": s.platform,
                "scope": s.scope,
                "needs": s.needs,
                "responsibility": s.responsibility,
                "activity": s.activity,
                "result": s.result,
                "source": (
                    {"kind": s.source.kind, "title": s.source.title} if s.source_id else None
                ),
                "duration_minutes": s.duration_minutes,
                "resume": s.resume,
                "status": s.status,
                "credit": credit(s),
                "submitted_at": _text(s.submitted_at),
                "verified_at": _text(s.verified_at),
                "lampiran_i": f"lampiran-i/{names[s.pk]}.pdf",
                "audit": [
                    {
                        "seq": e.seq,
                        "at": _text(e.at),
                        "action": e.action,
                        "from": e.from_status,
                        "to": e.to_status,
                        "by": getattr(getattr(e.actor, "employee", None), "name", "")
                        or e.actor.get_username(),
                        "comment": e.comment,
                        "hash": e.hash,
                    }
                    for e in s.audit_entries.all()
                ],
                "evidence": [
                    {
                        "file": (
                            None if e.file.name in data.missing_files else evidence_names[e.pk]
                        ),
                        "original_name": e.original_name,
                        "content_type": e.content_type,
                        "size": e.size,
                        "uploaded_at": _text(e.uploaded_at),
                    }
                    for e in s.evidence.all()
                ],
            }
            for s in data.sessions
        ],
        "followups": [
            {
                "kind": f.kind,
                "description": f.description,
                "due_date": _text(f.due_date),
                "status": f.status,
                "assigned_at": _text(f.assigned_at),
                "done_at": _text(f.done_at),
                "note": f.note,
            }
            for f in data.followups
        ],
        "certificates": [
            {
                "number": c.number,
                "code": c.code,
                "year": c.year,
                "total_jp": _text(c.total_jp),
                "coaching_jp": _text(c.coaching_jp),
                "mentoring_jp": _text(c.mentoring_jp),
                "self_learning_jp": _text(c.self_learning_jp),
                "issued_at": _text(c.issued_at),
                "revoked_at": _text(c.revoked_at),
                "revoke_reason": c.revoke_reason,
                "file": (
                    None if certificate_pdf_path(c) in data.missing_files else _certificate_name(c)
                ),
            }
            for c in data.certificates
        ],
    }


def write_record_export(data: RecordExport, roles: Roles, user, stream) -> None:
    """Write the ZIP into `stream` (a seekable binary file)."""
    employee = data.employee
    names = _session_names(data.sessions)
    evidence_names = _evidence_names(data, names)
    cache = RenderCache()
    logged: list[PdfLogEntry] = []  # logged together, in one insert, at the end
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                name=employee.name,
                nip=employee.nip,
                generated=jp.tanggal(timezone.localdate()),
                institution=settings.CMB_INSTITUTION,
                schema=SCHEMA_VERSION,
            ),
        )
        archive.writestr(
            "data.json", json.dumps(record_json(data), ensure_ascii=False, indent=2) + "\n"
        )
        for session in data.sessions:
            doc = documents.lampiran_i_data(roles, session.pk)
            rendered = documents.render_lampiran_i(doc, cache=cache)
            logged.append(PdfLogEntry.of(rendered, DocumentKind.LAMPIRAN_I, doc.title))
            archive.writestr(f"lampiran-i/{names[session.pk]}.pdf", rendered.pdf)
        for year in sorted({s.date.year for s in data.sessions}):
            kartu = documents.kartu_data(roles, employee.pk, documents.calendar_year(year))
            rendered = documents.render_kartu(kartu, cache=cache)
            logged.append(PdfLogEntry.of(rendered, DocumentKind.KARTU, kartu.title))
            archive.writestr(f"kartu-pengendali-{year}.pdf", rendered.pdf)
        for certificate in data.certificates:
            path = certificate_pdf_path(certificate)
            if path not in data.missing_files:
                _copy(archive, path, _certificate_name(certificate))
        for session in data.sessions:
            for evidence in session.evidence.all():
                if evidence.file.name not in data.missing_files:
                    _copy(archive, evidence.file.name, evidence_names[evidence.pk])
    documents_record(entries=logged, user=user, employee=employee)


def _copy(archive: zipfile.ZipFile, storage_name: str, name: str) -> None:
    """Stream a stored file into the archive in chunks (evidence may be up to 5 MB each)."""
    with default_storage.open(storage_name, "rb") as source, archive.open(name, "w") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def record_export_file(roles: Roles, employee_pk: int, user):
    """(the ZIP as a file positioned at its start, its download name)."""
    data = record_export_data(roles, employee_pk)
    # Not a `with` block: the response streams the file and closes it when done.
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        write_record_export(data, roles, user, spooled)
    except BaseException:
        spooled.close()
        raise
    spooled.seek(0)
    return spooled, data.filename
