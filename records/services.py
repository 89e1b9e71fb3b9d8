"""Writes for the organisation: units, employees, role assignments and the employee import.

Every function is keyword-only and runs in one transaction (STYLE: services).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .evidence import check_evidence
from .models import (
    BIRO_SDM_GROUP,
    Activity,
    Agreement,
    AgreementStatus,
    CompetencyType,
    DevelopmentArea,
    Employee,
    Evidence,
    Golongan,
    LearningSource,
    ManagerialCompetency,
    Mode,
    Session,
    SessionStatus,
    UnitKerja,
)
from .nip import NipError, is_nip, normalize_nip, parse_nip

User = get_user_model()


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is written."""


@transaction.atomic
def unit_create(
    *, name: str, code: str, parent: UnitKerja | None = None, head: Employee | None = None
) -> UnitKerja:
    return UnitKerja.objects.create(name=name, code=code, parent=parent, head=head)


@transaction.atomic
def unit_set_head(*, unit: UnitKerja, head: Employee | None) -> UnitKerja:
    unit.head = head
    unit.save(update_fields=["head"])
    return unit


@transaction.atomic
def pengelola_assign(*, unit: UnitKerja, employee: Employee) -> None:
    unit.pengelola.add(employee)


@transaction.atomic
def biro_sdm_grant(*, user) -> None:
    group, _ = Group.objects.get_or_create(name=BIRO_SDM_GROUP)
    user.groups.add(group)


@transaction.atomic
def employee_create(
    *,
    nip: str,
    name: str,
    golongan: str,
    jabatan: str,
    unit: UnitKerja,
    atasan: Employee | None = None,
    username: str | None = None,
    email: str = "",
    password: str | None = None,
) -> Employee:
    """A new employee with their sign-in account (username defaults to the NIP).

    Without a password the account has none usable: the employee sets one through
    "Lupa kata sandi" (password reset by e-mail) or an administrator sets it.
    """
    nip = parse_nip(nip).value
    user = User(username=username or nip, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return Employee.objects.create(
        user=user, nip=nip, name=name, golongan=golongan, jabatan=jabatan, unit=unit, atasan=atasan
    )


# --- Import -----------------------------------------------------------------------------------

IMPORT_COLUMNS = ("nip", "nama", "golongan", "jabatan", "unit", "nip_atasan")
OPTIONAL_COLUMNS = ("email",)
MAX_IMPORT_ROWS = 20_000


@dataclass
class RowResult:
    line: int
    nip: str
    name: str
    outcome: str  # "dibuat", "diperbarui", "tidak berubah", "ditolak"
    reason: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def refused(self) -> int:
        return self.count(REFUSED)


CREATED, UPDATED, UNCHANGED, REFUSED = "dibuat", "diperbarui", "tidak berubah", "ditolak"


def _unit_lookup() -> dict[str, UnitKerja]:
    lookup: dict[str, UnitKerja] = {}
    for unit in UnitKerja.objects.all():
        lookup[unit.code.lower()] = unit
        lookup[unit.name.strip().lower()] = unit
    return lookup


@transaction.atomic
def employee_import(
    *, rows: list[dict[str, str]], allowed_unit_ids: frozenset[int] | None, dry_run: bool = False
) -> ImportReport:
    """Upsert employees by NIP from parsed rows (see records.importing for reading files).

    Rows are checked first, then written, then atasan relations are set, so an atasan may
    appear later in the file than their staff. Refused rows are reported with the reason and
    leave the database as it was; the others are written. `allowed_unit_ids` limits a
    pengelola to their own units (None: any unit). With dry_run nothing is kept.
    """
    report = ImportReport(dry_run=dry_run)
    units = _unit_lookup()
    existing = {e.nip: e for e in Employee.objects.select_related("user", "atasan")}

    # Pass 1: check each row on its own.
    valid: dict[str, tuple[RowResult, dict]] = {}
    for line, raw in enumerate(rows, start=2):  # line 1 is the header
        nip_text = normalize_nip(raw.get("nip", ""))
        name = (raw.get("nama") or "").strip()
        result = RowResult(line=line, nip=nip_text, name=name, outcome=REFUSED)
        report.rows.append(result)
        try:
            nip = parse_nip(nip_text).value
        except NipError as error:
            result.reason = str(error)
            continue
        if nip in valid:
            result.reason = f"NIP sudah muncul di baris {valid[nip][0].line}."
            continue
        if not name:
            result.reason = "Nama wajib diisi."
            continue
        golongan = Golongan.from_text(raw.get("golongan", ""))
        if golongan is None:
            result.reason = f"Golongan '{raw.get('golongan', '')}' tidak dikenal (contoh: III/b)."
            continue
        jabatan = (raw.get("jabatan") or "").strip()
        if not jabatan:
            result.reason = "Jabatan wajib diisi."
            continue
        unit = units.get((raw.get("unit") or "").strip().lower())
        if unit is None:
            result.reason = f"Unit kerja '{raw.get('unit', '')}' tidak ditemukan."
            continue
        if allowed_unit_ids is not None and unit.id not in allowed_unit_ids:
            result.reason = f"Unit kerja '{unit.name}' bukan unit yang Anda kelola."
            continue
        current = existing.get(nip)
        if (
            current is not None
            and allowed_unit_ids is not None
            and current.unit_id not in allowed_unit_ids
        ):
            result.reason = "Pegawai ini terdaftar di unit yang bukan kelolaan Anda."
            continue
        atasan_nip = normalize_nip(raw.get("nip_atasan", ""))
        if atasan_nip == nip:
            result.reason = "NIP atasan sama dengan NIP pegawai."
            continue
        valid[nip] = (
            result,
            {
                "name": name,
                "golongan": golongan.value,
                "jabatan": jabatan,
                "unit": unit,
                "atasan_nip": atasan_nip,
                "email": (raw.get("email") or "").strip(),
            },
        )

    # A new employee's username is their NIP: no other account may hold it already.
    new_nips = [nip for nip in valid if nip not in existing]
    for nip in User.objects.filter(username__in=new_nips).values_list("username", flat=True):
        result, _ = valid.pop(nip)
        result.reason = (
            f"Nama pengguna {nip} sudah dipakai akun lain; ganti nama pengguna akun itu lebih dulu."
        )
    _refuse_missing_atasan(valid, existing, report.rows)

    # Pass 2: create or update the people, then pass 3: their atasan.
    employees: dict[str, Employee] = dict(existing)
    changed: dict[str, bool] = {}
    for nip, (result, data) in valid.items():
        current = existing.get(nip)
        if current is None:
            employees[nip] = employee_create(
                nip=nip,
                name=data["name"],
                golongan=data["golongan"],
                jabatan=data["jabatan"],
                unit=data["unit"],
                email=data["email"],
            )
            result.outcome = CREATED
            continue
        fields = {
            "name": data["name"],
            "golongan": data["golongan"],
            "jabatan": data["jabatan"],
            "unit_id": data["unit"].id,
        }
        dirty = [f for f, v in fields.items() if getattr(current, f) != v]
        for f in dirty:
            setattr(current, f, fields[f])
        if dirty:
            current.save(update_fields=dirty)
        if data["email"] and current.user.email != data["email"]:
            current.user.email = data["email"]
            current.user.save(update_fields=["email"])
            dirty.append("email")
        changed[nip] = bool(dirty)

    for nip, (result, data) in valid.items():
        employee = employees[nip]
        atasan = employees.get(data["atasan_nip"]) if data["atasan_nip"] else None
        if employee.atasan_id != (atasan.id if atasan else None):
            employee.atasan = atasan
            employee.save(update_fields=["atasan"])
            changed[nip] = True
        if result.outcome != CREATED:
            result.outcome = UPDATED if changed.get(nip) else UNCHANGED

    if dry_run:
        transaction.set_rollback(True)
    return report


def _refuse_missing_atasan(
    valid: dict[str, tuple[RowResult, dict]], existing: dict[str, Employee], rows: list[RowResult]
) -> None:
    """Refuse rows whose atasan will not exist after the import: neither in the portal nor on
    a kept row. Refusing a row can strand the rows under it, so repeat until nothing changes."""
    line_of: dict[str, int] = {}
    for row in rows:
        line_of.setdefault(row.nip, row.line)
    while True:
        before = len(valid)
        for nip, (result, data) in list(valid.items()):
            atasan_nip = data["atasan_nip"]
            if not atasan_nip or atasan_nip in existing or atasan_nip in valid:
                continue
            if atasan_nip in line_of:
                result.reason = (
                    f"Atasan dengan NIP {atasan_nip} ditolak (baris {line_of[atasan_nip]}), "
                    "jadi baris ini ikut ditolak."
                )
            else:
                result.reason = f"NIP atasan {atasan_nip} tidak ditemukan."
            del valid[nip]
        _refuse_cycles(valid, existing)
        if len(valid) == before:
            return


def _refuse_cycles(valid: dict[str, tuple[RowResult, dict]], existing: dict[str, Employee]):
    """Refuse rows whose atasan chain would loop back to themselves (A -> B -> A)."""

    def atasan_of(nip: str) -> str | None:
        if nip in valid:
            return valid[nip][1]["atasan_nip"] or None
        employee = existing.get(nip)
        return employee.atasan.nip if employee and employee.atasan_id else None

    for nip in list(valid):
        seen, current = {nip}, atasan_of(nip)
        while current:
            if current in seen:
                valid[nip][0].reason = "Rantai atasan langsung membentuk lingkaran."
                break
            seen.add(current)
            current = atasan_of(current)
    for nip in [n for n, (r, _) in valid.items() if r.reason]:
        del valid[nip]


# --- CMB: development areas, agreements, sessions, evidence -----------------------------------
# Rules of SPEC sections 2-4 that are not JP (JP lives in records.jp). Each refusal is a
# ValidationError with an Indonesian message (keyed by field where one field is at fault),
# raised before anything is written.

MAX_LEVEL = 5


@transaction.atomic
def area_create(
    *,
    employee: Employee,
    year: int,
    competency_type: str,
    current_level: int,
    required_level: int,
    managerial: ManagerialCompetency | None = None,
    competency: str = "",
    notes: str = "",
) -> DevelopmentArea:
    errors = {}
    if competency_type == CompetencyType.MANAJERIAL:
        if managerial is None:
            errors["managerial"] = "Pilih kompetensi manajerial."
        competency = ""
    else:
        managerial = None
        if not competency.strip():
            errors["competency"] = "Tuliskan kompetensi yang akan dikembangkan."
    if not 1 <= current_level <= MAX_LEVEL or not 1 <= required_level <= MAX_LEVEL:
        errors["required_level"] = f"Level berkisar 1 sampai {MAX_LEVEL}."
    elif required_level <= current_level:
        errors["required_level"] = (
            "Level yang dipersyaratkan harus lebih tinggi dari level saat ini (ada kesenjangan)."
        )
    if errors:
        raise ValidationError(errors)
    return DevelopmentArea.objects.create(
        employee=employee,
        year=year,
        competency_type=competency_type,
        managerial=managerial,
        competency=competency.strip(),
        current_level=current_level,
        required_level=required_level,
        notes=notes,
    )


def _check_area(area: DevelopmentArea, employee: Employee) -> None:
    if area.employee_id != employee.pk:
        raise ValidationError({"area": "Area pengembangan itu bukan milik pegawai ini."})


@transaction.atomic
def agreement_propose_coaching(
    *, atasan: Employee, area: DevelopmentArea, title: str, goal: str, target: str, actor
) -> Agreement:
    """The atasan (coach) proposes coaching on a specific activity; the employee agrees."""
    employee = area.employee
    if employee.atasan_id != atasan.pk:
        raise ValidationError(
            "Coaching hanya dapat disepakati antara pegawai dan atasan langsungnya."
        )
    if not goal.strip() or not target.strip():
        raise ValidationError("Tujuan dan sasaran coaching wajib disepakati sejak awal.")
    return Agreement.objects.create(
        employee=employee,
        kind=Activity.COACHING,
        area=area,
        year=area.year,
        status=AgreementStatus.AWAITING_EMPLOYEE,
        atasan=atasan,
        mentor=atasan,
        title=title,
        goal=goal,
        target=target,
        created_by=actor,
    )


@transaction.atomic
def agreement_request_mentoring(
    *,
    employee: Employee,
    area: DevelopmentArea,
    title: str,
    goal: str,
    actor,
    mentor: Employee | None = None,
    external_name: str = "",
    external_nip: str = "",
    external_institution: str = "",
    external_expertise: str = "",
) -> Agreement:
    """The employee asks for a mentor. Anyone but the atasan needs the atasan's approval first."""
    _check_area(area, employee)
    if employee.atasan_id is None:
        raise ValidationError("Anda belum memiliki atasan langsung di portal; hubungi pengelola.")
    if (mentor is None) == (not external_name.strip()):
        raise ValidationError("Pilih mentor dari pegawai, atau isi nama mentor dari luar.")
    if mentor is not None and mentor.pk == employee.pk:
        raise ValidationError({"mentor": "Anda tidak dapat menjadi mentor bagi diri sendiri."})
    external_nip = "".join(external_nip.split())
    if external_nip and not is_nip(external_nip):
        raise ValidationError({"external_nip": "NIP mentor tidak sah; kosongkan jika tidak ada."})
    if mentor is None and not external_institution.strip():
        raise ValidationError({"external_institution": "Tuliskan instansi mentor."})
    to_atasan = mentor is not None and mentor.pk == employee.atasan_id
    return Agreement.objects.create(
        employee=employee,
        kind=Activity.MENTORING,
        area=area,
        year=area.year,
        status=AgreementStatus.AWAITING_MENTOR if to_atasan else AgreementStatus.AWAITING_ATASAN,
        atasan_id=employee.atasan_id,
        mentor=mentor,
        external_name=external_name.strip() if mentor is None else "",
        external_nip=external_nip if mentor is None else "",
        external_institution=external_institution.strip() if mentor is None else "",
        external_expertise=external_expertise.strip() if mentor is None else "",
        title=title,
        goal=goal,
        created_by=actor,
        atasan_approved_at=timezone.now() if to_atasan else None,
    )


@transaction.atomic
def agreement_propose_self_learning(
    *,
    employee: Employee,
    area: DevelopmentArea,
    title: str,
    goal: str,
    sources: list[dict[str, str]],
    actor,
) -> Agreement:
    """Belajar mandiri: the employee proposes theme and learning sources; the atasan agrees."""
    _check_area(area, employee)
    if employee.atasan_id is None:
        raise ValidationError("Anda belum memiliki atasan langsung di portal; hubungi pengelola.")
    sources = [s for s in sources if (s.get("title") or "").strip()]
    if not sources:
        raise ValidationError("Sebutkan paling sedikit satu sumber pembelajaran.")
    agreement = Agreement.objects.create(
        employee=employee,
        kind=Activity.BELAJAR_MANDIRI,
        area=area,
        year=area.year,
        status=AgreementStatus.AWAITING_ATASAN,
        atasan_id=employee.atasan_id,
        title=title,
        goal=goal,
        created_by=actor,
    )
    LearningSource.objects.bulk_create(
        LearningSource(
            agreement=agreement,
            kind=s["kind"],
            title=s["title"].strip(),
            link=(s.get("link") or "").strip(),
        )
        for s in sources
    )
    return agreement


def agreement_waiting_party(agreement: Agreement) -> int | None:
    """The employee id whose answer the agreement waits for (None when nobody's)."""
    return {
        AgreementStatus.AWAITING_EMPLOYEE: agreement.employee_id,
        AgreementStatus.AWAITING_ATASAN: agreement.atasan_id,
        AgreementStatus.AWAITING_MENTOR: agreement.mentor_id,
    }.get(agreement.status)


@transaction.atomic
def agreement_respond(
    *, agreement: Agreement, actor: Employee, accept: bool, reason: str = ""
) -> Agreement:
    """The waited-for party agrees or declines; a declined agreement is final."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement_waiting_party(agreement) != actor.pk:
        raise ValidationError("Kesepakatan ini tidak sedang menunggu jawaban Anda.")
    now = timezone.now()
    if not accept:
        if not reason.strip():
            raise ValidationError({"reason": "Tuliskan alasan penolakan."})
        agreement.status = AgreementStatus.DECLINED
        agreement.decline_reason = reason.strip()
    elif agreement.status == AgreementStatus.AWAITING_ATASAN:
        agreement.atasan_approved_at = now
        if agreement.kind == Activity.MENTORING and agreement.mentor_id:
            agreement.status = AgreementStatus.AWAITING_MENTOR
        else:
            # Belajar mandiri, or an external mentor who is not a portal user.
            agreement.status = AgreementStatus.ACTIVE
            agreement.agreed_at = now
    else:
        agreement.status = AgreementStatus.ACTIVE
        agreement.agreed_at = now
    agreement.save()
    return agreement


SESSION_FIELDS = (
    "date", "start_time", "end_time", "place", "mode", "platform", "scope", "needs",
    "responsibility", "activity", "result", "source", "duration_minutes", "resume",
)  # fmt: skip


def _check_session(session: Session) -> None:
    """The rules of one session's content (SPEC 3, issue 4); refuses with every problem at once."""
    agreement = session.agreement
    errors: dict[str, str] = {}
    if agreement.status != AgreementStatus.ACTIVE:
        label = "permohonan mentoring" if agreement.kind == Activity.MENTORING else "kesepakatan"
        raise ValidationError(
            f"Pertemuan hanya dapat dicatat setelah {label} disetujui semua pihak."
        )
    if session.date and session.date.year != agreement.year:
        errors["date"] = f"Tanggal harus dalam tahun kesepakatan ({agreement.year})."
    is_bm = agreement.kind == Activity.BELAJAR_MANDIRI
    if not is_bm and (session.start_time is None or session.end_time is None):
        errors["start_time"] = "Jam mulai dan jam selesai wajib diisi."
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        errors["end_time"] = "Jam selesai harus setelah jam mulai."
    if session.mode == Mode.DARING and not session.platform.strip():
        errors["platform"] = "Untuk pertemuan daring, tuliskan platform atau tautannya."
    if is_bm:
        if not session.duration_minutes or session.duration_minutes <= 0:
            errors["duration_minutes"] = "Durasi belajar mandiri harus lebih dari 0 menit."
        elif session.duration_minutes > 24 * 60:
            errors["duration_minutes"] = "Durasi dalam satu hari paling lama 1.440 menit."
        if not session.resume.strip():
            errors["resume"] = "Resume hasil belajar mandiri wajib diisi."
        if session.source_id is None or session.source.agreement_id != agreement.pk:
            errors["source"] = "Pilih sumber pembelajaran dari kesepakatan ini."
        if session.date and "date" not in errors:
            # One BM record per day, so a day's JP comes from the day's total minutes
            # (records.jp): add to that day's record instead of writing a second one.
            same_day = Session.objects.filter(
                agreement__employee_id=agreement.employee_id,
                agreement__kind=Activity.BELAJAR_MANDIRI,
                date=session.date,
            ).exclude(status=SessionStatus.REJECTED)
            if session.pk:
                same_day = same_day.exclude(pk=session.pk)
            if same_day.exists():
                errors["date"] = (
                    "Belajar mandiri pada tanggal ini sudah dicatat; tambahkan durasinya "
                    "pada catatan itu."
                )
    else:
        session.source = None
        session.duration_minutes = None
        session.resume = ""
    if errors:
        raise ValidationError(errors)


def _lock_for_one_bm_record_per_day(agreement: Agreement) -> None:
    """Serialise belajar mandiri writes per employee. The one-record-per-day check reads across
    all the employee's BM agreements, so locking the one agreement is not enough: two records
    under two agreements would both pass. (Same lock as approvals.services.session_verify;
    taken after the agreement or session row, in that order everywhere.)"""
    if agreement.kind == Activity.BELAJAR_MANDIRI:
        Employee.objects.select_for_update().filter(pk=agreement.employee_id).first()


def _check_owner(session_or_agreement, actor: Employee) -> None:
    agreement = getattr(session_or_agreement, "agreement", session_or_agreement)
    if agreement.employee_id != actor.pk:
        raise ValidationError("Hanya pegawai yang bersangkutan yang dapat mencatat pertemuan.")


@transaction.atomic
def session_create(*, agreement: Agreement, actor: Employee, **data) -> Session:
    """A new draft meeting, numbered ke-1, 2, 3... within its agreement."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_owner(agreement, actor)
    _lock_for_one_bm_record_per_day(agreement)
    session = Session(agreement=agreement, **{k: v for k, v in data.items() if k in SESSION_FIELDS})
    _check_session(session)
    last = agreement.sessions.order_by("-number").values_list("number", flat=True).first()
    session.number = (last or 0) + 1
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, actor: Employee, **data) -> Session:
    session = Session.objects.select_for_update().select_related("agreement").get(pk=session.pk)
    _check_owner(session, actor)
    if not session.is_editable:
        raise ValidationError("Pertemuan yang sudah diajukan tidak dapat diubah.")
    _lock_for_one_bm_record_per_day(session.agreement)
    changes = {}
    for name in SESSION_FIELDS:
        if name in data and getattr(session, name) != data[name]:
            changes[name] = {"dari": str(getattr(session, name)), "menjadi": str(data[name])}
            setattr(session, name, data[name])
    _check_session(session)
    session.save()
    if changes:
        _audit_change(session, actor, changes)
    return session


def _audit_change(session: Session, actor: Employee, changes: dict) -> None:
    """A record that was submitted once (now returned for correction) keeps every later change,
    evidence included, in its audit trail; a draft's edits are nobody's business yet."""
    if session.status != SessionStatus.RETURNED:
        return
    from approvals.audit import audit_record

    audit_record(
        session=session,
        actor=actor.user,
        action="changed",
        from_status=session.status,
        to_status=session.status,
        changes=changes,
    )


@transaction.atomic
def session_delete(*, session: Session, actor: Employee) -> None:
    session = Session.objects.select_for_update().select_related("agreement").get(pk=session.pk)
    _check_owner(session, actor)
    if session.status != SessionStatus.DRAFT:
        raise ValidationError("Hanya pertemuan berstatus draf yang dapat dihapus.")
    files = [e.file.name for e in session.evidence.all()]
    session.evidence.all().delete()
    session.delete()
    storage = Evidence._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


@transaction.atomic
def evidence_add(*, session: Session, actor: Employee, upload) -> Evidence:
    session = Session.objects.select_for_update().select_related("agreement").get(pk=session.pk)
    _check_owner(session, actor)
    if not session.is_editable:
        raise ValidationError("Bukti tidak dapat ditambahkan setelah pertemuan diajukan.")
    content_type = check_evidence(upload)
    evidence = Evidence(
        session=session,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor.user,
    )
    evidence.file.save("bukti", upload, save=False)
    try:
        evidence.save()
        _audit_change(session, actor, {"bukti": {"ditambah": evidence.original_name}})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: Employee) -> None:
    session = (
        Session.objects.select_for_update().select_related("agreement").get(pk=evidence.session_id)
    )
    _check_owner(session, actor)
    if not session.is_editable:
        raise ValidationError("Bukti tidak dapat dihapus setelah pertemuan diajukan.")
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    _audit_change(session, actor, {"bukti": {"dihapus": evidence.original_name}})
    transaction.on_commit(lambda: storage.delete(name))


def session_date_check_on_submit(session: Session, today: datetime.date) -> None:
    if session.date > today:
        raise ValidationError({"date": "Pertemuan yang belum terjadi tidak dapat diajukan."})
