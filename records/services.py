"""Writes for the organisation: units, employees, role assignments and the employee import.

Every function is keyword-only and runs in one transaction (STYLE: services).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import BIRO_SDM_GROUP, Employee, Golongan, UnitKerja
from .nip import NipError, normalize_nip, parse_nip

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

    # Atasan must exist after the import: in the file (valid rows) or already in the portal.
    known = set(existing) | set(valid)
    for nip, (result, data) in list(valid.items()):
        if data["atasan_nip"] and data["atasan_nip"] not in known:
            result.reason = f"NIP atasan {data['atasan_nip']} tidak ditemukan."
            del valid[nip]
    _refuse_cycles(valid, existing)

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
