"""The quarterly recap (Lampiran III): a unit's Kartu Pengendali figures per triwulan.

SE Kepala BKN 3/2022 angka 5.f.3-4: the unit kerja submits the recap of the Kartu Pengendali
to Biro SDM every three months; the SE names Lampiran III but gives no layout, so this one is
ours (SPEC section 6): one row per active employee of the unit and its sub-units, with the
verified JP of the quarter by activity, the quarter's total, the total from 1 January to the
quarter's end, and the status towards the annual 20 JP.

Reads: `recap_for` (three queries whatever the unit's size: the unit tree, the employees, one
`ledgers_for` call). Writes: `recap_submit` keeps the PDF, the XLSX and the rows exactly as
submitted; a later verification never changes a submission, and submitting again makes a new
one next to the old.

Every JP figure comes from the ledger's booked (verified) credit, counted by the session's
date: an employee's figures are the JP engine's sums (`jp.year_summary` over the booked
sessions of the period), the unit's totals add those figures up by column. Nothing here
converts or caps JP; pending and draft sessions are not in the ledger's booked credit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from records import jp, ledger
from records.models import Employee, UnitKerja
from records.roles import Roles, roles_for, subtree_ids

from .models import DocumentKind, RecapSubmission
from .pdf import RenderCache, Rendered, new_code, render_pdf
from .services import document_record

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# --- The period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """Triwulan I (Jan-Mar), II (Apr-Jun), III (Jul-Sep), IV (Oct-Dec) of a calendar year."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in ROMAN:
            raise ValueError(f"a quarter is 1 to 4; got {self.number}")

    @property
    def roman(self) -> str:
        return ROMAN[self.number]

    @property
    def first_month(self) -> int:
        return 3 * self.number - 2

    @property
    def months_elapsed(self) -> int:
        """Months of the year gone by at the quarter's end (for the pace towards 20 JP)."""
        return 3 * self.number

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        if self.number == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.first_month + 3, 1) - datetime.timedelta(days=1)

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def months(self) -> str:
        """ "April – Juni" (always Indonesian: it is printed on the official recap)."""
        return f"{jp.nama_bulan(self.first_month)} – {jp.nama_bulan(self.first_month + 2)}"

    @property
    def period(self) -> str:
        """ "1 April 2022 – 30 Juni 2022" """
        return f"{jp.tanggal(self.start)} – {jp.tanggal(self.end)}"

    @property
    def year_to_date(self) -> str:
        """ "1 Januari 2022 – 30 Juni 2022" """
        return f"{jp.tanggal(self.year_start)} – {jp.tanggal(self.end)}"

    @property
    def label(self) -> str:
        """ "Triwulan II Tahun 2022" """
        return f"Triwulan {self.roman} Tahun {self.year}"

    def has_ended(self, today: datetime.date) -> bool:
        return today > self.end

    @classmethod
    def last_ended(cls, today: datetime.date) -> Quarter:
        """The quarter a unit reports next: the most recent one that is over."""
        current = (today.month - 1) // 3 + 1
        return cls(today.year - 1, 4) if current == 1 else cls(today.year, current - 1)


# --- Status towards the annual target -------------------------------------------------------

REACHED = "tercapai"
ON_TRACK = "sesuai_target"
BEHIND = "di_bawah_target"
STATUS_LABELS = {
    REACHED: _("Tercapai"),
    ON_TRACK: _("Sesuai target"),
    BEHIND: _("Di bawah target"),
}


def annual_target() -> Decimal:
    return Decimal(ledger.policy().annual_target_jp).quantize(Decimal("0.1"))


def pace_target(quarter: Quarter) -> Decimal:
    """JP expected by the quarter's end: 20 JP x months elapsed / 12 (5, 10, 15, 20)."""
    target = Decimal(ledger.policy().annual_target_jp * quarter.months_elapsed) / 12
    return target.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def behind_pace(verified: Decimal, *, target: int, months_elapsed: int) -> bool:
    """verified < target x months_elapsed / 12, compared exactly: the pace shown is rounded
    (13.3 for 40/3), and 13.3 JP is still behind it."""
    return verified * 12 < target * months_elapsed


def status_for(year_to_date: Decimal, quarter: Quarter) -> str:
    """The one "on track" rule of every screen, recap, reminder and evaluation."""
    if year_to_date >= annual_target():
        return REACHED
    target = ledger.policy().annual_target_jp
    if behind_pace(year_to_date, target=target, months_elapsed=quarter.months_elapsed):
        return BEHIND
    return ON_TRACK


# --- Rows ------------------------------------------------------------------------------------

ZERO = Decimal("0.0")


@dataclass(frozen=True)
class RecapRow:
    employee_id: int
    name: str
    nip: str
    jabatan: str
    golongan: str
    unit: str
    coaching: Decimal
    mentoring: Decimal
    self_learning: Decimal
    quarter_total: Decimal
    year_to_date: Decimal
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def on_track(self) -> bool:
        return self.status != BEHIND

    def as_json(self) -> dict:
        """As stored on a submission: JP as strings ("2.4"), never floats."""
        return {
            "employee_id": self.employee_id,
            "nama": self.name,
            "nip": self.nip,
            "jabatan": self.jabatan,
            "golongan": self.golongan,
            "unit": self.unit,
            "coaching": str(self.coaching),
            "mentoring": str(self.mentoring),
            "belajar_mandiri": str(self.self_learning),
            "jumlah_triwulan": str(self.quarter_total),
            "jumlah_sd_triwulan": str(self.year_to_date),
            "status": self.status,
            "keterangan": self.status_label,
        }

    @classmethod
    def from_json(cls, data: dict) -> RecapRow:
        return cls(
            employee_id=data["employee_id"],
            name=data["nama"],
            nip=data["nip"],
            jabatan=data["jabatan"],
            golongan=data["golongan"],
            unit=data["unit"],
            coaching=Decimal(data["coaching"]),
            mentoring=Decimal(data["mentoring"]),
            self_learning=Decimal(data["belajar_mandiri"]),
            quarter_total=Decimal(data["jumlah_triwulan"]),
            year_to_date=Decimal(data["jumlah_sd_triwulan"]),
            status=data["status"],
        )


@dataclass(frozen=True)
class Totals:
    coaching: Decimal
    mentoring: Decimal
    self_learning: Decimal
    quarter_total: Decimal
    year_to_date: Decimal


@dataclass(frozen=True)
class Recap:
    unit: UnitKerja
    quarter: Quarter
    rows: list[RecapRow]
    totals: Totals
    target: Decimal
    pace: Decimal
    covers_sub_units: bool

    @property
    def employee_count(self) -> int:
        return len(self.rows)

    @property
    def on_track_count(self) -> int:
        return sum(1 for row in self.rows if row.on_track)

    @property
    def on_track_percent(self) -> int | None:
        if not self.rows:
            return None
        share = Decimal(self.on_track_count * 100) / len(self.rows)
        return int(share.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def share_text(self) -> str:
        """ "5 dari 7 pegawai (71%) sesuai target" (Indonesian: printed on the recap)."""
        percent = self.on_track_percent
        share = f" ({percent}%)" if percent is not None else ""
        return f"{self.on_track_count} dari {self.employee_count} pegawai{share} sesuai target"

    def rows_json(self) -> list[dict]:
        with translation.override("id"):  # stored as printed, whatever the user's language
            return [row.as_json() for row in self.rows]


def _verified(book: ledger.Ledger, start: datetime.date, end: datetime.date) -> jp.YearSummary:
    """The engine's sum of the credit booked for sessions dated start..end (inclusive)."""
    booked = [(activity, credit) for activity, credit in book.booked if start <= activity.on <= end]
    return jp.year_summary(ledger.policy(), booked, book.year)


def _totals(summaries: list[tuple[jp.YearSummary, jp.YearSummary]]) -> Totals:
    """Column totals: each column's figures added up (tenths inside, one decimal place out)."""

    def add(values: list[Decimal]) -> Decimal:
        return sum(values, ZERO).quantize(Decimal("0.1"))

    quarters = [q for q, _ in summaries]
    return Totals(
        coaching=add([q.by_kind[jp.COACHING] for q in quarters]),
        mentoring=add([q.by_kind[jp.MENTORING] for q in quarters]),
        self_learning=add([q.by_kind[jp.BELAJAR_MANDIRI] for q in quarters]),
        quarter_total=add([q.total for q in quarters]),
        year_to_date=add([ytd.total for _, ytd in summaries]),
    )


def recap_employees(unit: UnitKerja) -> list[Employee]:
    """Active employees of the unit and its sub-units: the unit's own first, then by unit and
    name. An employee is counted in the unit they belong to now."""
    unit_ids = subtree_ids([unit.pk])
    employees = Employee.objects.select_related("unit").filter(unit_id__in=unit_ids, active=True)
    return sorted(employees, key=lambda e: (e.unit_id != unit.pk, e.unit.name, e.name, e.pk))


def recap_for(*, unit: UnitKerja, year: int, quarter: int) -> Recap:
    period = Quarter(year, quarter)
    employees = recap_employees(unit)
    books = ledger.ledgers_for({(e.pk, year) for e in employees})
    rows, summaries = [], []
    for employee in employees:
        book = books[(employee.pk, year)]
        in_quarter = _verified(book, period.start, period.end)
        to_date = _verified(book, period.year_start, period.end)
        summaries.append((in_quarter, to_date))
        rows.append(
            RecapRow(
                employee_id=employee.pk,
                name=employee.name,
                nip=employee.nip,
                jabatan=employee.jabatan,
                golongan=employee.golongan,
                unit=employee.unit.name,
                coaching=in_quarter.by_kind[jp.COACHING],
                mentoring=in_quarter.by_kind[jp.MENTORING],
                self_learning=in_quarter.by_kind[jp.BELAJAR_MANDIRI],
                quarter_total=in_quarter.total,
                year_to_date=to_date.total,
                status=status_for(to_date.total, period),
            )
        )
    return Recap(
        unit=unit,
        quarter=period,
        rows=rows,
        totals=_totals(summaries),
        target=annual_target(),
        pace=pace_target(period),
        covers_sub_units=any(e.unit_id != unit.pk for e in employees),
    )


# --- Who may see which unit's recap ---------------------------------------------------------


def recap_units_for(roles: Roles) -> QuerySet[UnitKerja]:
    """Biro SDM: every unit; pengelola and pimpinan: their units with the sub-units."""
    units = UnitKerja.objects.select_related("head", "parent").order_by("name")
    if roles.is_biro:
        return units
    return units.filter(pk__in=roles.managed_unit_ids | roles.headed_unit_ids)


def get_recap_unit_for(roles: Roles, pk: int) -> UnitKerja:
    """The unit if this user may see its recap; 404 alike for "missing" and "not yours"."""
    try:
        return recap_units_for(roles).get(pk=pk)
    except UnitKerja.DoesNotExist:
        raise Http404 from None


def can_submit(roles: Roles, unit: UnitKerja) -> bool:
    """Only the unit's pengelola (or a parent unit's) submits; Biro SDM receives, it does not
    submit on a unit's behalf, and the pimpinan only knows (signs "Mengetahui")."""
    return unit.pk in roles.managed_unit_ids


def submissions_visible_to(roles: Roles) -> QuerySet[RecapSubmission]:
    submissions = RecapSubmission.objects.select_related("unit", "submitted_by__employee")
    if roles.is_biro:
        return submissions
    return submissions.filter(unit_id__in=roles.managed_unit_ids | roles.headed_unit_ids)


def get_submission_for(roles: Roles, pk: int) -> RecapSubmission:
    try:
        return submissions_visible_to(roles).get(pk=pk)
    except RecapSubmission.DoesNotExist:
        raise Http404 from None


# --- Documents -------------------------------------------------------------------------------


def officials_for(unit: UnitKerja, *, user=None) -> tuple[Employee | None, Employee | None]:
    """(pengelola who signs, pimpinan who knows) of the recap. The pengelola is the user when
    they manage the unit; otherwise, like every form, the unit's own pengelola or its nearest
    parent's (reports.documents.unit_officials), as is the head. None leaves a blank line."""
    from .documents import unit_officials

    pengelola, head = unit_officials(unit.pk)
    roles = roles_for(user) if user is not None else None
    if roles is not None and roles.employee is not None and can_submit(roles, unit):
        pengelola = roles.employee
    return pengelola, head


def reference_lines() -> tuple[str, ...]:
    """The block at the top right: which regulation's attachment this is."""
    from .documents import SE_BKN

    if ledger.policy().name == "langsa":
        # The Langsa guide has no recap of its own; it follows the BKN format.
        return ("Format Lampiran III", "Surat Edaran Kepala BKN", "Nomor 3 Tahun 2022")
    return (f"Lampiran III {SE_BKN[0]}", *SE_BKN[1:])


def file_stem(recap: Recap) -> str:
    return f"rekap-cmb-{recap.unit.code}-{recap.quarter.year}-tw{recap.quarter.number}"


def recap_title(recap: Recap) -> str:
    return f"Rekapitulasi Kartu Pengendali {recap.unit.name} {recap.quarter.label}"


def render_recap_pdf(
    recap: Recap,
    *,
    user=None,
    submitted: bool = False,
    code: str | None = None,
    cache: RenderCache | None = None,
) -> Rendered:
    """Lampiran III as a landscape A4 PDF; `submitted` prints the electronic sign-off, without
    it the document says its figures are provisional (not yet sent to Biro SDM)."""
    pengelola, head = officials_for(recap.unit, user=user)
    place = getattr(settings, "CMB_CITY", "")
    signed_on = jp.tanggal(timezone.localdate())
    return render_pdf(
        "reports/pdf/recap.html",
        {
            "recap": recap,
            "reference": reference_lines(),
            "signer": pengelola,
            "head": head,
            "submitted": submitted,
            "signed_on": f"{place}, {signed_on}" if place else signed_on,
        },
        stylesheets=("pdf/recap.css",),
        code=code,
        cache=cache,
    )


def render_recap_xlsx(
    recap: Recap, *, code: str = "", submitted: bool = False, made_at=None
) -> bytes:
    from .recap_xlsx import recap_workbook

    with translation.override("id"):
        return recap_workbook(recap, code=code, submitted=submitted, made_at=made_at)


# --- Submitting -----------------------------------------------------------------------------


def recap_check_submittable(
    *, unit: UnitKerja, year: int, quarter: int, user, today: datetime.date | None = None
) -> Quarter:
    """Refuse anyone but the unit's pengelola, and a quarter that is not over yet."""
    if not can_submit(roles_for(user), unit):
        raise PermissionDenied("Hanya pengelola kepegawaian unit ini yang dapat mengirim rekap.")
    try:
        period = Quarter(year, quarter)
    except ValueError:
        raise ValidationError("Triwulan harus 1 sampai 4.") from None
    today = today or timezone.localdate()
    if not period.has_ended(today):
        raise ValidationError(
            f"Rekap {period.label} baru dapat dikirim setelah triwulan berakhir "
            f"({jp.tanggal(period.end)})."
        )
    return period


def recap_submit(
    *, unit: UnitKerja, year: int, quarter: int, user, today: datetime.date | None = None
) -> RecapSubmission:
    """Render the PDF and the XLSX from the same rows and keep both, with the rows, as sent.

    The documents are rendered before the transaction starts: a large unit takes seconds to
    render, and on SQLite an open write transaction would hold every other writer that long.
    The three records come from one `Recap`, so they agree with each other whatever is
    verified meanwhile; the writes (files, submission, document log) are atomic."""
    recap_check_submittable(unit=unit, year=year, quarter=quarter, user=user, today=today)
    recap = recap_for(unit=unit, year=year, quarter=quarter)
    code = new_code()
    rendered = render_recap_pdf(recap, user=user, submitted=True, code=code)
    workbook = render_recap_xlsx(recap, code=code, submitted=True, made_at=rendered.generated_at)
    with transaction.atomic():
        submission = RecapSubmission(
            unit=unit,
            year=year,
            quarter=quarter,
            submitted_by=user,
            submitted_at=rendered.generated_at,
            code=code,
            rows=recap.rows_json(),
        )
        # The files are written before the row; should the transaction fail, an orphan file
        # is left under MEDIA_ROOT/recaps, never a row without its files.
        stem = f"{file_stem(recap)}-{code}"
        submission.pdf.save(f"{stem}.pdf", ContentFile(rendered.pdf), save=False)
        submission.xlsx.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
        submission.save()
        document_record(
            rendered=rendered,
            kind=DocumentKind.RECAP,
            title=recap_title(recap),
            user=user,
            unit=unit,
        )
    return submission


def recap_current_pdf(*, recap: Recap, user) -> Rendered:
    """The recap as it stands now (not a submission); logged like every PDF we print."""
    rendered = render_recap_pdf(recap, user=user)
    document_record(
        rendered=rendered,
        kind=DocumentKind.RECAP,
        title=f"{recap_title(recap)} (angka sementara)",
        user=user,
        unit=recap.unit,
    )
    return rendered


# --- Biro SDM's overview --------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCell:
    quarter: Quarter
    ended: bool
    latest: RecapSubmission | None  # the last submission, if any
    count: int


@dataclass(frozen=True)
class StatusRow:
    unit: UnitKerja
    depth: int
    cells: list[StatusCell]

    @property
    def indent(self) -> int:
        """A Bootstrap padding step (ps-0 .. ps-5) for the unit's depth in the tree."""
        return min(2 * self.depth, 5)


def submission_status(year: int, *, today: datetime.date | None = None) -> list[StatusRow]:
    """Every unit (in tree order) x Q1..Q4: who submitted last and when. Two queries."""
    today = today or timezone.localdate()
    quarters = [Quarter(year, number) for number in ROMAN]
    units = list(UnitKerja.objects.order_by("name"))
    latest: dict[tuple[int, int], RecapSubmission] = {}
    counts: dict[tuple[int, int], int] = {}
    submissions = (
        RecapSubmission.objects.select_related("submitted_by__employee")
        .filter(year=year)
        .order_by("submitted_at", "pk")
    )
    for submission in submissions:
        key = (submission.unit_id, submission.quarter)
        latest[key] = submission
        counts[key] = counts.get(key, 0) + 1
    children: dict[int | None, list[UnitKerja]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[StatusRow] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            cells = [
                StatusCell(
                    quarter=q,
                    ended=q.has_ended(today),
                    latest=latest.get((unit.pk, q.number)),
                    count=counts.get((unit.pk, q.number), 0),
                )
                for q in quarters
            ]
            rows.append(StatusRow(unit, depth, cells))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows
