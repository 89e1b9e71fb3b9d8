"""The JP engine: converts CMB sessions to Jam Pelajaran (JP) under every cap.

Pure Python, standard library only (no Django): the one place in the project where JP is
computed; logging previews, approval, verification and every report call it.

Rules (SPEC section 5), each a parameter of `Policy`, never a branch on the policy's name:

- coaching, per meeting: BKN 2 JP, with no international rate (so international is 2 JP too);
  Langsa 2 JP nasional, 4 JP internasional.
- mentoring, per meeting: 2 JP nasional, 4 JP internasional (both).
- coaching / mentoring cap: 2 meetings counted per calendar month, per kind, per employee (both).
- belajar mandiri (BM), a day: whole JP of the minutes (45 minutes = 1 JP), at most 2 JP (both).
- BM, a month: BKN counts at most 2 days; Langsa has no monthly cap.
- BM internasional: +20% after the daily cap, 2 JP -> 2.4 JP (both).
- annual target: 20 JP per calendar year (both).

Decisions where the sources are silent (SPEC section 5, kept as parameters or stated here):
- JP are Decimals with one decimal place, never floats; inside, whole tenths of a JP (ints).
- The ledger: credit is booked at verification and never rewritten. `credit_for` gives a
  session the capacity left after what is booked; `project` fills what is left for pending
  sessions in meeting order (date, then start time with "no time" first, then key).
- A meeting or BM day counts towards a cap only if it earned more than 0 JP: a session cut to 0
  holds no capacity.
- BM: a session's base JP is the whole JP of its own minutes. The portal keeps one BM record
  per employee per day, so this is the SPEC's "whole JP of the day's total minutes"; not pooling
  minutes across records keeps credit <= value and projections monotone. The 2 JP daily cap is
  on base JP summed over the day; the +20% international bonus is applied after it.
- `value_of` is the session's JP before any cap, the daily one included (BM of 180 minutes is
  worth 4 JP, international 4.8 JP); `credit_for` / `project` apply the daily cap (2 JP, 2.4 JP
  international) with the reason "Belajar mandiri paling tinggi 2 JP sehari (6 Maret 2023)".
- A reason is "" when nothing was cut (credit == value); otherwise an Indonesian sentence that
  names the cap and the period.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

COACHING = "coaching"
MENTORING = "mentoring"
BELAJAR_MANDIRI = "belajar_mandiri"
KINDS = (COACHING, MENTORING, BELAJAR_MANDIRI)
KIND_LABELS = MappingProxyType(
    {COACHING: "Coaching", MENTORING: "Mentoring", BELAJAR_MANDIRI: "Belajar Mandiri"}
)
NASIONAL = "nasional"
INTERNASIONAL = "internasional"
SCOPES = (NASIONAL, INTERNASIONAL)
MEETING_KINDS = (COACHING, MENTORING)

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def nama_bulan(month: int) -> str:
    return BULAN[month - 1]


def tanggal(day: datetime.date) -> str:
    """ "6 Maret 2023" """
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


@dataclass(frozen=True, slots=True)
class Activity:
    """One CMB session as the engine sees it."""

    key: object
    kind: str
    scope: str
    on: datetime.date
    start: datetime.time | None = None
    minutes: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {KINDS}")
        if self.scope not in SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}; expected one of {SCOPES}")
        if not isinstance(self.on, datetime.date):
            raise ValueError("on must be a date")
        if self.kind == BELAJAR_MANDIRI and (
            type(self.minutes) is not int or self.minutes <= 0  # noqa: E721 (bool is no int here)
        ):
            raise ValueError("belajar mandiri needs minutes > 0 (a whole number)")


@dataclass(frozen=True, slots=True)
class Credit:
    jp: Decimal
    reason: str = ""


@dataclass(frozen=True)
class Policy:
    name: str
    label: str
    # JP per meeting in tenths of a JP, by kind and scope (coaching, mentoring).
    meeting_tenths: Mapping[str, Mapping[str, int]]
    meetings_per_month: int = 2
    minutes_per_jp: int = 45
    bm_jp_per_day: int = 2
    bm_days_per_month: int | None = 2
    bm_international_bonus_percent: int = 20
    annual_target_jp: int = 20
    sources: Mapping[str, str] = field(default_factory=dict)

    def meeting_jp(self, kind: str, scope: str) -> Decimal:
        return _jp(self.meeting_tenths[kind][scope])


POLICIES: Mapping[str, Policy] = MappingProxyType(
    {
        "bkn": Policy(
            name="bkn",
            label="SE Kepala BKN Nomor 3 Tahun 2022",
            meeting_tenths=MappingProxyType(
                {
                    COACHING: MappingProxyType({NASIONAL: 20, INTERNASIONAL: 20}),
                    MENTORING: MappingProxyType({NASIONAL: 20, INTERNASIONAL: 40}),
                }
            ),
            bm_days_per_month=2,
            sources=MappingProxyType(
                {
                    "coaching": "SE BKN 3/2022 angka 5 huruf c angka 1) huruf c) dan angka 4)",
                    "mentoring": "SE BKN 3/2022 angka 5 huruf d angka 1) huruf e) dan angka 4)",
                    "belajar_mandiri": "SE BKN 3/2022 angka 5 huruf e angka 1) huruf b) "
                    "dan angka 3)",
                    "annual_target": "SE BKN 3/2022 angka 1 dan angka 5 huruf f angka 1",
                }
            ),
        ),
        "langsa": Policy(
            name="langsa",
            label="Panduan CMB Pemerintah Kota Langsa",
            meeting_tenths=MappingProxyType(
                {
                    COACHING: MappingProxyType({NASIONAL: 20, INTERNASIONAL: 40}),
                    MENTORING: MappingProxyType({NASIONAL: 20, INTERNASIONAL: 40}),
                }
            ),
            bm_days_per_month=None,
            sources=MappingProxyType(
                {
                    "coaching": "Panduan Langsa bagian G, Mekanisme Coaching dan Konversi JP",
                    "mentoring": "Panduan Langsa bagian H, Mekanisme Mentoring dan Konversi JP",
                    "belajar_mandiri": "Panduan Langsa bagian I, Konversi JP dan Mekanisme "
                    "Belajar Mandiri",
                    "annual_target": "Panduan Langsa bagian A, E dan J angka 3 dan 5",
                }
            ),
        ),
    }
)

# --- Decimals -------------------------------------------------------------------------------
# Tenths are ints inside; a Decimal is made once per distinct value (speed: the engine
# projects hundreds of thousands of sessions a second).
_DECIMALS: dict[int, Decimal] = {}


def _jp(tenths: int) -> Decimal:
    value = _DECIMALS.get(tenths)
    if value is None:
        value = _DECIMALS[tenths] = (Decimal(tenths) / 10).quantize(Decimal("0.1"))
    return value


def _tenths(jp: Decimal) -> int:
    tenths = jp * 10
    if tenths != tenths.to_integral_value():
        raise ValueError(f"JP have one decimal place; got {jp}")
    return int(tenths)


_PLAIN: dict[int, Credit] = {}


def _credit(tenths: int, reason: str = "") -> Credit:
    if reason:
        return Credit(_jp(tenths), reason)
    credit = _PLAIN.get(tenths)
    if credit is None:
        credit = _PLAIN[tenths] = Credit(_jp(tenths))
    return credit


# --- Values ---------------------------------------------------------------------------------


def _bm_base(policy: Policy, activity: Activity) -> int:
    """Whole JP of the session's own minutes, before the daily cap."""
    return activity.minutes // policy.minutes_per_jp


def _bm_tenths(policy: Policy, base: int, scope: str) -> int:
    tenths = base * 10
    if scope == INTERNASIONAL:
        tenths = tenths * (100 + policy.bm_international_bonus_percent) // 100
    return tenths


def _angka(tenths: int) -> str:
    """JP in a sentence as the official forms write them: "2", "1,2"."""
    whole, tenth = divmod(tenths, 10)
    return f"{whole},{tenth}" if tenth else str(whole)


def value_of(policy: Policy, activity: Activity) -> Decimal:
    """JP of the session before any cap (monthly or daily): belajar mandiri is the whole JP of
    its minutes, plus the international bonus on that; `credit_for` / `project` apply the caps."""
    if activity.kind == BELAJAR_MANDIRI:
        return _jp(_bm_tenths(policy, _bm_base(policy, activity), activity.scope))
    return _jp(policy.meeting_tenths[activity.kind][activity.scope])


# --- The ledger state -----------------------------------------------------------------------


class _Usage:
    """What is already taken in each month and day, for one employee."""

    __slots__ = ("policy", "meetings", "bm_day_base", "bm_month_days")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.meetings: dict[tuple[str, int, int], int] = {}
        self.bm_day_base: dict[datetime.date, int] = {}  # base JP in tenths, before the bonus
        self.bm_month_days: dict[tuple[int, int], set[datetime.date]] = {}

    def add(self, activity: Activity, tenths: int) -> None:
        if tenths <= 0:
            return  # a session that earned nothing holds no capacity
        on = activity.on
        if activity.kind == BELAJAR_MANDIRI:
            base = tenths
            if activity.scope == INTERNASIONAL:
                # Back from the credited JP to the base JP it holds (2.4 -> 2), in integers.
                factor = 100 + self.policy.bm_international_bonus_percent
                base = (tenths * 100 + factor // 2) // factor
            self.bm_day_base[on] = self.bm_day_base.get(on, 0) + base
            self.bm_month_days.setdefault((on.year, on.month), set()).add(on)
        else:
            key = (activity.kind, on.year, on.month)
            self.meetings[key] = self.meetings.get(key, 0) + 1

    def credit(self, activity: Activity) -> Credit:
        policy, on = self.policy, activity.on
        if activity.kind != BELAJAR_MANDIRI:
            if (
                self.meetings.get((activity.kind, on.year, on.month), 0)
                >= policy.meetings_per_month
            ):
                return _credit(
                    0,
                    f"Batas {policy.meetings_per_month} kali {activity.kind} per bulan "
                    f"({nama_bulan(on.month)} {on.year}) sudah tercapai",
                )
            return _credit(policy.meeting_tenths[activity.kind][activity.scope])

        wanted = _bm_base(policy, activity) * 10
        if wanted == 0:
            return _credit(0)  # under 45 minutes: worth nothing, nothing cut
        limit = policy.bm_days_per_month
        if limit is not None:
            days = self.bm_month_days.get((on.year, on.month))
            if days is not None and on not in days and len(days) >= limit:
                return _credit(
                    0,
                    f"Batas {limit} hari belajar mandiri per bulan "
                    f"({nama_bulan(on.month)} {on.year}) sudah tercapai",
                )
        # Bases are whole JP, so only whole JP of the day are left.
        left = (policy.bm_jp_per_day * 10 - self.bm_day_base.get(on, 0)) // 10
        if wanted <= left * 10:
            return _credit(_bm_tenths(policy, wanted // 10, activity.scope))
        return _bm_cut(policy, on, left, activity.scope)


def _bm_cut(policy: Policy, on: datetime.date, left: int, scope: str) -> Credit:
    """A BM session cut by the daily cap, `left` whole JP of the day still open (<= 0: none)."""
    reason = f"Belajar mandiri paling tinggi {policy.bm_jp_per_day} JP sehari ({tanggal(on)})"
    if left <= 0:
        return Credit(_jp(0), f"{reason} sudah tercapai")
    tenths = _bm_tenths(policy, left, scope)
    if left < policy.bm_jp_per_day:  # part of the day is taken by another session
        reason = f"{reason}: tersisa {left} JP"
    if scope == INTERNASIONAL:
        reason = (
            f"{reason}, ditambah {policy.bm_international_bonus_percent}% internasional "
            f"= {_angka(tenths)} JP"
        )
    return Credit(_jp(tenths), reason)


def _usage(policy: Policy, booked: Iterable[tuple[Activity, Decimal]]) -> _Usage:
    usage = _Usage(policy)
    for activity, jp in booked:
        usage.add(activity, _tenths(jp))
    return usage


def _meeting_order(activity: Activity):
    start = activity.start
    return (activity.on, start is not None, start or datetime.time.min, activity.key)


def credit_for(
    policy: Policy, activity: Activity, booked: Iterable[tuple[Activity, Decimal]]
) -> Credit:
    """The credit verification books: capacity left after what is already booked."""
    return _usage(policy, booked).credit(activity)


def project(
    policy: Policy,
    pending: Iterable[Activity],
    booked: Iterable[tuple[Activity, Decimal]],
) -> dict[object, Credit]:
    """Projected credit of pending sessions: what is left after the booked ones, allocated in
    meeting order. The result does not depend on the order of either input.

    Raises ValueError when two pending sessions share a key (the result is keyed by it)."""
    usage = _usage(policy, booked)
    result: dict[object, Credit] = {}
    ordered = sorted(pending, key=_meeting_order)
    for activity in ordered:
        credit = usage.credit(activity)
        result[activity.key] = credit
        if credit.jp:
            usage.add(activity, _tenths(credit.jp))
    if len(result) != len(ordered):
        counts = Counter(activity.key for activity in ordered)
        shared = [key for key, count in counts.items() if count > 1]
        raise ValueError(f"pending sessions share a key: {shared}")
    return result


# --- Totals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearSummary:
    year: int
    total: Decimal
    by_kind: Mapping[str, Decimal]
    target: Decimal
    missing: Decimal

    @property
    def reached(self) -> bool:
        return self.missing == 0


def year_summary(
    policy: Policy, booked: Iterable[tuple[Activity, Decimal]], year: int
) -> YearSummary:
    """A year's booked JP: the total, the breakdown by kind, and what is missing to the target."""
    tenths = dict.fromkeys(KINDS, 0)
    for activity, jp in booked:
        if activity.on.year == year:
            tenths[activity.kind] += _tenths(jp)
    total = sum(tenths.values())
    target = policy.annual_target_jp * 10
    return YearSummary(
        year=year,
        total=_jp(total),
        by_kind=MappingProxyType({kind: _jp(t) for kind, t in tenths.items()}),
        target=_jp(target),
        missing=_jp(max(0, target - total)),
    )


@dataclass(frozen=True)
class MonthUsage:
    used: int
    limit: int | None


def month_usage(
    policy: Policy, entries: Iterable[tuple[Activity, Decimal]], year: int, month: int
) -> dict[str, MonthUsage]:
    """Meetings (coaching, mentoring) and BM days counted in a month: "Coaching: 1 dari 2"."""
    used = dict.fromkeys(KINDS, 0)
    bm_days: set[datetime.date] = set()
    for activity, jp in entries:
        if jp <= 0 or activity.on.year != year or activity.on.month != month:
            continue
        if activity.kind == BELAJAR_MANDIRI:
            bm_days.add(activity.on)
        else:
            used[activity.kind] += 1
    used[BELAJAR_MANDIRI] = len(bm_days)
    return {
        COACHING: MonthUsage(used[COACHING], policy.meetings_per_month),
        MENTORING: MonthUsage(used[MENTORING], policy.meetings_per_month),
        BELAJAR_MANDIRI: MonthUsage(used[BELAJAR_MANDIRI], policy.bm_days_per_month),
    }


def _month_end(year: int, month: int) -> datetime.date:
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def max_attainable(
    policy: Policy,
    booked: Iterable[tuple[Activity, Decimal]],
    year: int,
    from_date: datetime.date,
) -> Decimal:
    """The most JP the employee can hold for `year` at its end: what is booked, plus the best
    that the caps still allow from `from_date` (inclusive), at each kind's best rate.

    Used by the 4-monthly evaluation to flag employees who cannot reach the target any more.
    """
    booked = list(booked)
    usage = _usage(policy, booked)
    total = _tenths(year_summary(policy, booked, year).total)
    if from_date.year > year:
        return _jp(total)
    start = from_date if from_date.year == year else datetime.date(year, 1, 1)
    best_meeting = {kind: max(policy.meeting_tenths[kind].values()) for kind in MEETING_KINDS}
    bm_day = _bm_tenths(policy, policy.bm_jp_per_day, INTERNASIONAL)
    for month in range(start.month, 13):
        first = start if month == start.month else datetime.date(year, month, 1)
        last = _month_end(year, month)
        for kind in MEETING_KINDS:
            left = policy.meetings_per_month - usage.meetings.get((kind, year, month), 0)
            total += max(0, left) * best_meeting[kind]
        # Days from `first` on: partly used days can still take what is left of them.
        open_days = 0
        counted = usage.bm_month_days.get((year, month), set())
        for offset in range((last - first).days + 1):
            day = first + datetime.timedelta(days=offset)
            if day in counted:
                left = policy.bm_jp_per_day * 10 - usage.bm_day_base.get(day, 0)
                total += _bm_tenths(policy, max(0, left) // 10, INTERNASIONAL)
            else:
                open_days += 1
        if policy.bm_days_per_month is not None:
            open_days = min(open_days, max(0, policy.bm_days_per_month - len(counted)))
        total += open_days * bm_day
    return _jp(total)
