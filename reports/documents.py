"""The official per-session and per-employee documents: what goes on each form, and its PDF.

- Lampiran I (SE Kepala BKN 3/2022): the form of one session (pertemuan), signed off
  electronically from the audit trail;
- Kartu Pengendali (Lampiran II): one employee's verified CMB in a period, with the totals;
- Tabel Kegiatan (Panduan CMB Kota Langsa): one employee's coaching, mentoring or belajar
  mandiri meetings with the pembimbing's paraf.

Each `*_data` function is a read (selectors style): it checks access through the records
selectors (404 alike for "missing" and "not yours") and loads everything the template shows in
a constant number of queries, so a template never reaches the database. JP come from the
ledger (records.ledger, i.e. the engine in records.jp); nothing here computes them.
`render_*` turn the data into a PDF through reports.pdf.render_pdf (footer, code, fetcher).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.http import Http404

from approvals.models import AuditAction, AuditEntry
from records import jp, ledger
from records.models import (
    PENDING_STATUSES,
    Activity,
    Employee,
    Session,
    SessionStatus,
    UnitKerja,
)
from records.roles import Roles
from records.selectors import get_employee_for, get_session_for

from .models import DocumentKind
from .pdf import RenderCache, Rendered, render_pdf

FORM_STYLESHEETS = ("pdf/forms.css",)

# --- What each policy calls its forms -------------------------------------------------------

SE_BKN = ("Surat Edaran", "Nomor : 3 Tahun 2022", "Tanggal : 1 Februari 2022")
LANGSA_GUIDE = (
    "Panduan Coaching, Mentoring, dan Belajar Mandiri",
    "di Lingkungan Pemerintah Kota Langsa",
)


def form_reference(kind: str) -> tuple[str, ...]:
    """The lines of the block at the top right of a form: which regulation it comes from."""
    langsa = settings.CMB_POLICY == "langsa"
    if kind == DocumentKind.LAMPIRAN_I:
        if langsa:
            return ("Formulir dokumentasi kegiatan", *LANGSA_GUIDE)
        return (f"Lampiran I {SE_BKN[0]}", *SE_BKN[1:])
    if kind == DocumentKind.KARTU:
        if langsa:
            # The Langsa guide has no card of its own; it follows the BKN format.
            return ("Format Lampiran II", "Surat Edaran Kepala BKN", "Nomor 3 Tahun 2022")
        return (f"Lampiran II {SE_BKN[0]}", *SE_BKN[1:])
    return LANGSA_GUIDE


# --- People on the forms --------------------------------------------------------------------


@dataclass(frozen=True)
class SignOff:
    """An electronic sign-off read from the audit trail: "disetujui 14 April 2022 10.02 WIB"."""

    verb: str
    at: datetime.datetime
    by: str
    comment: str = ""


@dataclass(frozen=True)
class Party:
    """Someone named on a signature line. An empty name prints a blank line to fill in."""

    name: str = ""
    nip: str = ""
    note: str = ""  # instansi of an external mentor, jabatan of a unit head
    signed: SignOff | None = None


def _party(employee: Employee | None, signed: SignOff | None = None, note: str = "") -> Party:
    if employee is None:
        return Party(signed=signed, note=note)
    return Party(employee.name, employee.nip, note, signed)


def _actor_name(entry: AuditEntry) -> str:
    employee = getattr(entry.actor, "employee", None)
    return employee.name if employee is not None else entry.actor.get_username()


def _sign_offs(entries: Iterable[AuditEntry]) -> dict[str, AuditEntry]:
    """The sign-offs of the session's current round: a return sends it back to the employee,
    so what was submitted, confirmed or approved before it no longer stands."""
    current: dict[str, AuditEntry] = {}
    for entry in entries:  # in chain order
        if entry.action == AuditAction.RETURNED:
            current.clear()
        elif entry.action in (
            AuditAction.SUBMITTED,
            AuditAction.CONFIRMED,
            AuditAction.APPROVED,
            AuditAction.VERIFIED,
            AuditAction.REJECTED,
        ):
            current[entry.action] = entry
    return current


VERBS = {
    AuditAction.SUBMITTED: "diajukan",
    AuditAction.CONFIRMED: "dikonfirmasi",
    AuditAction.APPROVED: "disetujui",
    AuditAction.VERIFIED: "diverifikasi Biro SDM",
    AuditAction.REJECTED: "ditolak Biro SDM",
}


def _sign(entry: AuditEntry | None, verb: str | None = None) -> SignOff | None:
    if entry is None:
        return None
    return SignOff(verb or VERBS[entry.action], entry.at, _actor_name(entry), entry.comment)


def _unit_chain(unit_id: int, parents: dict[int, int | None]) -> list[int]:
    """The unit and its parents, nearest first (guarded against a cycle in bad data)."""
    chain: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def unit_officials(unit_id: int) -> tuple[Employee | None, Employee | None]:
    """(pengelola kepegawaian, pimpinan) of a unit; a sub-unit without one has its nearest
    parent's. Two queries whatever the depth: the unit tree, then the pengelola of the chain."""
    units = {u.pk: u for u in UnitKerja.objects.select_related("head").only(
        "id", "parent_id", "head__name", "head__nip", "head__jabatan"
    )}  # fmt: skip
    chain = _unit_chain(unit_id, {pk: u.parent_id for pk, u in units.items()})
    head = next((units[u].head for u in chain if units[u].head_id is not None), None)
    managers: dict[int, Employee] = {}
    rows = (
        UnitKerja.pengelola.through.objects.filter(unitkerja_id__in=chain)
        .select_related("employee")
        .order_by("employee__name", "employee_id")
    )
    for row in rows:
        managers.setdefault(row.unitkerja_id, row.employee)
    pengelola = next((managers[u] for u in chain if u in managers), None)
    return pengelola, head


# --- Lampiran I: one session -----------------------------------------------------------------


@dataclass(frozen=True)
class LampiranI:
    session: Session
    employee: Employee
    kind: str
    kind_label: str
    reference: tuple[str, ...]
    credit: jp.Credit | None
    credit_is_projected: bool
    coach: Party | None  # coaching and mentoring only
    coach_label: str
    employee_party: Party
    atasan: Party
    verification: SignOff | None
    rejection: SignOff | None
    evidence: list[str]
    place: str  # where the employee signs (settings.CMB_CITY), blank when not set
    title: str

    @property
    def is_self_learning(self) -> bool:
        return self.kind == Activity.BELAJAR_MANDIRI


def lampiran_i_data(roles: Roles, pk: int) -> LampiranI:
    """The Lampiran I of a session this user may see. Four queries: the session, its audit
    trail, its evidence, and (before verification) the employee's ledger of the year."""
    session = get_session_for(roles, pk)
    agreement = session.agreement
    employee = agreement.employee
    entries = list(
        AuditEntry.objects.filter(session=session).select_related("actor__employee").order_by("seq")
    )
    signs = _sign_offs(entries)
    evidence = list(session.evidence.order_by("uploaded_at", "id").values_list(
        "original_name", flat=True
    ))  # fmt: skip

    if session.status == SessionStatus.VERIFIED:
        credit, projected = jp.Credit(session.credit_jp, session.credit_reason), False
    elif session.status in PENDING_STATUSES:
        book = ledger.ledger_for(employee.pk, session.date.year)
        credit, projected = ledger.outlook(session, book), True
    else:
        credit, projected = None, False

    approved = signs.get(AuditAction.APPROVED)
    # Who knows as atasan: the one who approved; before that, the employee's atasan.
    approver = getattr(approved.actor, "employee", None) if approved else None
    atasan = _party(approver or employee.atasan or agreement.atasan, _sign(approved))

    coach = None
    if agreement.kind != Activity.BELAJAR_MANDIRI:
        confirmed = signs.get(AuditAction.CONFIRMED)
        coach_sign = _sign(confirmed)
        if (
            coach_sign is None
            and approved
            and agreement.mentor_id in (employee.atasan_id, approver.pk if approver else None)
        ):
            # The coach (or mentor) is the atasan: the approval is their sign-off too.
            coach_sign = _sign(approved)
        if agreement.mentor_id:
            coach = _party(agreement.mentor, coach_sign)
        else:
            coach = Party(
                agreement.external_name, agreement.external_nip,
                agreement.external_institution, coach_sign,
            )  # fmt: skip

    kind_label = agreement.get_kind_display()
    return LampiranI(
        session=session,
        employee=employee,
        kind=agreement.kind,
        kind_label=kind_label,
        reference=form_reference(DocumentKind.LAMPIRAN_I),
        credit=credit,
        credit_is_projected=projected,
        coach=coach,
        coach_label="Coach" if agreement.kind == Activity.COACHING else "Mentor",
        employee_party=_party(employee, _sign(signs.get(AuditAction.SUBMITTED))),
        atasan=atasan,
        verification=_sign(signs.get(AuditAction.VERIFIED)),
        rejection=_sign(signs.get(AuditAction.REJECTED)),
        evidence=evidence,
        place=getattr(settings, "CMB_CITY", ""),
        title=(
            f"Lampiran I {kind_label} pertemuan ke-{session.number} "
            f"{employee.name} ({jp.tanggal(session.date)})"
        ),
    )


def render_lampiran_i(data: LampiranI, *, cache: RenderCache | None = None) -> Rendered:
    return render_pdf(
        "reports/pdf/lampiran_i.html", {"doc": data}, stylesheets=FORM_STYLESHEETS, cache=cache
    )


# --- Kartu Pengendali: one employee, one period ----------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def is_calendar_year(self) -> bool:
        return self == calendar_year(self.start.year)

    @property
    def slug(self) -> str:
        if self.is_calendar_year:
            return str(self.start.year)
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def calendar_year(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass(frozen=True)
class KartuRow:
    number: int
    title: str  # Nama Kegiatan
    kind: str
    date: datetime.date
    who: str  # Nama Coach / Nama Mentor, or the Sumber Pembelajaran of belajar mandiri
    who_note: str  # an external mentor's instansi
    jp: Decimal
    pending: bool  # listed on request, "(belum diverifikasi)", never in the totals
    reason: str  # why the credit is less than the session's value

    @property
    def is_coaching(self) -> bool:
        return self.kind == Activity.COACHING

    @property
    def is_mentoring(self) -> bool:
        return self.kind == Activity.MENTORING

    @property
    def is_self_learning(self) -> bool:
        return self.kind == Activity.BELAJAR_MANDIRI


@dataclass(frozen=True)
class YearTotal:
    year: int
    total: Decimal
    up_to: datetime.date  # the year's verified JP up to this day (the period's end)
    whole_year: bool


@dataclass(frozen=True)
class Kartu:
    employee: Employee
    period: Period
    reference: tuple[str, ...]
    rows: list[KartuRow]
    by_kind: dict[str, Decimal]  # verified JP of the period per activity (the JUMLAH row)
    total: Decimal  # verified JP of the period
    years: list[YearTotal]  # "PEROLEHAN JAM PELAJARAN DALAM SETAHUN"
    pending_total: Decimal
    include_pending: bool
    pengelola: Party
    title: str


def _source_label(session: Session) -> str:
    source = session.source
    return f"{source.get_kind_display()}: {source.title}" if source is not None else ""


def _period_sessions(employee_id: int, period: Period) -> list[Session]:
    """Every session of the period's years (the ledger needs the whole year), one query."""
    return list(
        Session.objects.select_related("agreement__mentor", "source")
        .filter(agreement__employee_id=employee_id, date__year__in=list(period.years))
        .order_by("date", "start_time", "id")
    )


def kartu_data(
    roles: Roles, employee_pk: int, period: Period, *, include_pending: bool = False
) -> Kartu:
    """The Kartu Pengendali of an employee this user may see. Constant queries: the employee,
    the sessions of the period's years, the unit tree and the pengelola."""
    employee = get_employee_for(roles, employee_pk)
    sessions = _period_sessions(employee.pk, period)
    by_year: dict[int, list[Session]] = {year: [] for year in period.years}
    for session in sessions:
        by_year[session.date.year].append(session)
    books = {year: ledger.build_ledger(rows, year) for year, rows in by_year.items()}
    policy = ledger.policy()

    shown = [
        s for s in sessions
        if s.date in period
        and (s.status == SessionStatus.VERIFIED
             or (include_pending and s.status in PENDING_STATUSES))
    ]  # fmt: skip
    # "pertemuan ke-N" only where it tells rows apart (or a card starts mid-agreement).
    per_agreement: dict[int, int] = {}
    for session in shown:
        per_agreement[session.agreement_id] = per_agreement.get(session.agreement_id, 0) + 1

    booked_credit = {
        activity.key: credit for book in books.values() for activity, credit in book.booked
    }
    rows = []
    pending_total = Decimal("0.0")
    for number, session in enumerate(shown, start=1):
        agreement = session.agreement
        title = agreement.title
        if per_agreement[agreement.pk] > 1 or session.number > 1:
            title = f"{title} (pertemuan ke-{session.number})"
        pending = session.status != SessionStatus.VERIFIED
        if pending:
            credit = books[session.date.year].projected[session.pk]
            pending_total += credit.jp
        else:
            credit = jp.Credit(booked_credit[session.pk], session.credit_reason)
        if agreement.kind == Activity.BELAJAR_MANDIRI:
            who, note = _source_label(session), ""
        else:
            who = agreement.mentor_name
            note = agreement.external_institution if not agreement.mentor_id else ""
        rows.append(KartuRow(
            number, title, agreement.kind, session.date, who, note, credit.jp, pending,
            credit.reason,
        ))  # fmt: skip

    # Totals through the engine: the period's verified entries, and each year's up to the
    # period's end (a card for January-June shows the year so far).
    by_kind = dict.fromkeys(jp.KINDS, Decimal("0.0"))
    years = []
    for year, book in books.items():
        in_period = [(a, c) for a, c in book.booked if a.on in period]
        summary = jp.year_summary(policy, in_period, year)
        for kind, value in summary.by_kind.items():
            by_kind[kind] += value
        up_to = min(period.end, datetime.date(year, 12, 31))
        to_date = jp.year_summary(policy, [(a, c) for a, c in book.booked if a.on <= up_to], year)
        years.append(YearTotal(year, to_date.total, up_to, up_to.month == 12 and up_to.day == 31))

    pengelola, _ = unit_officials(employee.unit_id)
    return Kartu(
        employee=employee,
        period=period,
        reference=form_reference(DocumentKind.KARTU),
        rows=rows,
        by_kind=by_kind,
        total=sum(by_kind.values(), Decimal("0.0")),
        years=years,
        pending_total=pending_total,
        include_pending=include_pending,
        pengelola=_party(pengelola),
        title=(
            f"Kartu Pengendali {employee.name} "
            f"{jp.tanggal(period.start)} - {jp.tanggal(period.end)}"
        ),
    )


def render_kartu(data: Kartu, *, cache: RenderCache | None = None) -> Rendered:
    return render_pdf(
        "reports/pdf/kartu_pengendali.html",
        {"doc": data},
        stylesheets=FORM_STYLESHEETS,
        cache=cache,
    )


# --- Tabel Kegiatan (Langsa): one employee, one activity -------------------------------------

TABEL_TITLES = {
    Activity.COACHING: "Tabel Kegiatan Coaching",
    Activity.MENTORING: "Tabel Kegiatan Mentoring",
    Activity.BELAJAR_MANDIRI: "Tabel Kegiatan Belajar Mandiri",
}
TABEL_STATUSES = (SessionStatus.SUBMITTED, SessionStatus.APPROVED, SessionStatus.VERIFIED)


@dataclass(frozen=True)
class TabelRow:
    number: int
    date: datetime.date
    topic: str  # the agreement's theme
    material: str  # C. Kegiatan pengembangan (BM: the source and what was learnt)
    paraf: SignOff | None
    pending: bool


@dataclass(frozen=True)
class TabelKegiatan:
    employee: Employee
    kind: str
    heading: str
    period: Period
    reference: tuple[str, ...]
    rows: list[TabelRow]
    guide_label: str  # "Pembimbing", or "Atasan" for belajar mandiri
    pembimbing: list[Party] = field(default_factory=list)
    peserta: Party = field(default_factory=Party)
    kepala: Party = field(default_factory=Party)
    title: str = ""


def tabel_policy_check() -> None:
    """The Tabel Kegiatan is the Langsa guide's form; other institutions do not have it."""
    if settings.CMB_POLICY != "langsa":
        raise Http404


def tabel_data(roles: Roles, employee_pk: int, kind: str, period: Period) -> TabelKegiatan:
    """Submitted, approved and verified meetings of one activity, with the pembimbing's
    electronic paraf (the coach/mentor's confirmation, else the atasan's approval). Constant
    queries: the employee, the sessions, their audit entries, the unit tree and the pengelola."""
    tabel_policy_check()
    if kind not in Activity.values:
        raise Http404
    employee = get_employee_for(roles, employee_pk)
    sessions = list(
        Session.objects.select_related("agreement__mentor", "agreement__atasan", "source")
        .filter(
            agreement__employee=employee,
            agreement__kind=kind,
            status__in=TABEL_STATUSES,
            date__gte=period.start,
            date__lte=period.end,
        )
        .order_by("date", "start_time", "id")
    )
    trail: dict[int, list[AuditEntry]] = {s.pk: [] for s in sessions}
    for entry in (
        AuditEntry.objects.filter(session__in=[s.pk for s in sessions])
        .select_related("actor__employee")
        .order_by("seq")
    ):
        trail[entry.session_id].append(entry)

    rows, guides = [], {}
    for number, session in enumerate(sessions, start=1):
        agreement = session.agreement
        signs = _sign_offs(trail[session.pk])
        paraf = signs.get(AuditAction.CONFIRMED) or signs.get(AuditAction.APPROVED)
        if kind == Activity.BELAJAR_MANDIRI:
            source = _source_label(session)
            material = "\n".join(x for x in (source, session.activity) if x)
            guide = agreement.atasan
        else:
            material = session.activity
            guide = agreement.mentor
        rows.append(TabelRow(
            number, session.date, agreement.title, material,
            _sign(paraf, "diparaf secara elektronik"), session.status != SessionStatus.VERIFIED,
        ))  # fmt: skip
        key = guide.pk if guide is not None else f"ext:{agreement.external_name}"
        if key not in guides:
            guides[key] = (
                _party(guide)
                if guide is not None
                else Party(agreement.external_name, agreement.external_nip,
                           agreement.external_institution)
            )  # fmt: skip
    if not guides and kind == Activity.BELAJAR_MANDIRI and employee.atasan is not None:
        guides[employee.atasan.pk] = _party(employee.atasan)

    _, head = unit_officials(employee.unit_id)
    heading = TABEL_TITLES[kind]
    return TabelKegiatan(
        employee=employee,
        kind=kind,
        heading=heading,
        period=period,
        reference=form_reference(DocumentKind.TABEL),
        rows=rows,
        guide_label="Atasan" if kind == Activity.BELAJAR_MANDIRI else "Pembimbing",
        pembimbing=list(guides.values()) or [Party()],
        peserta=_party(employee),
        kepala=_party(head),
        title=f"{heading} {employee.name} {period.slug}",
    )


def render_tabel(data: TabelKegiatan, *, cache: RenderCache | None = None) -> Rendered:
    return render_pdf(
        "reports/pdf/tabel_kegiatan.html", {"doc": data}, stylesheets=FORM_STYLESHEETS, cache=cache
    )
