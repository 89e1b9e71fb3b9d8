"""The JP engine: how CMB sessions convert to Jam Pelajaran (JP) under the caps.

Pure standard-library Python (no Django), used by logging (preview), approval, verification
and every report. SPEC section 5 is the source of truth; the rules below are the parameters of
a `Policy`, never branches on a policy's name.

Rules and their sources ("BKN" = Surat Edaran Kepala BKN Nomor 3 Tahun 2022, section 5.c-5.f;
"Langsa" = Panduan Coaching, Mentoring, dan Belajar Mandiri, Pemerintah Kota Langsa):

- Coaching: one meeting = 2 JP (BKN 5.c.1.c and its conversion table; Langsa's table).
  BKN has no international rate, so international coaching is also 2 JP; Langsa gives 4 JP.
- Mentoring: one meeting = 2 JP nasional, 4 JP internasional (BKN 5.d.4; Langsa's table).
- Coaching and mentoring: at most 2 meetings counted per calendar month, per kind, per
  employee (BKN 5.c.1.c and 5.d.1.e; Langsa "maksimal dihitung 2 kali dalam 1 bulan").
- Belajar Mandiri (BM): JP from the duration, at most 2 JP a day (BKN 5.e.1.b; Langsa).
  BKN also counts BM at most 2 times (days) a calendar month (5.e.1.b); Langsa has no
  monthly cap.
- BM internasional: +20% of the JP (BKN 5.e.3; Langsa), applied after the daily cap:
  2 JP -> 2.4 JP, 1 JP -> 1.2 JP.
- Annual target: 20 JP per calendar year (BKN 5.f.1; Langsa).

Decisions where the sources are silent (SPEC section 5 and the project's brief):

- 1 JP = 45 minutes. A BM session's base JP is the whole JP of its own minutes (floor). The app
  keeps one BM record per employee per day, so this equals the SPEC's "whole JP of the day's
  total minutes"; not pooling minutes across sessions keeps credit <= value and keeps
  projections monotone.
- The BM daily cap applies to base JP: a session's credited base is
  min(its own base, daily cap - base already counted that day), then the international bonus.
  A session on a new day when the month already has its counted days (BKN) earns 0.
- Credit is a ledger (SPEC 5): `credit_for` gives a session being verified the capacity left
  after the entries already booked; `project` gives pending sessions the capacity left after
  the booked ones, filled in meeting order (date, start time with "no time" first, key).
- A "counted meeting" is a coaching/mentoring entry with credit > 0; a "counted BM day" is a
  day with BM credit > 0. Anything that earned 0 holds no capacity. The base JP a booked BM
  entry holds is the smallest base that earns its credit (2.4 internasional -> 2 JP).
- JP are Decimals with exactly one decimal place, never floats. Internally everything is an
  integer number of tenths of a JP (exact and fast); the international bonus rounds half up
  to a tenth, which the 20% rate never needs.
- A cut credit carries an Indonesian reason naming the cap and its period, e.g.
  "Batas 2 kali coaching per bulan (Maret 2023) sudah tercapai"; a full credit has reason "".
- The minutes of a coaching or mentoring meeting are accepted and ignored: a meeting's JP
  does not depend on its length.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

__all__ = [
    "BELAJAR_MANDIRI",
    "COACHING",
    "INTERNASIONAL",
    "KINDS",
    "KIND_LABELS",
    "MENTORING",
    "MONTH_NAMES",
    "NASIONAL",
    "POLICIES",
    "SCOPES",
    "Activity",
    "Credit",
    "MonthUsage",
    "Policy",
    "YearSummary",
    "credit_for",
    "format_date",
    "max_attainable",
    "month_name",
    "month_usage",
    "project",
    "value_of",
    "year_summary",
]

COACHING = "coaching"
MENTORING = "mentoring"
BELAJAR_MANDIRI = "belajar_mandiri"
KINDS = (COACHING, MENTORING, BELAJAR_MANDIRI)
KIND_LABELS = {COACHING: "Coaching", MENTORING: "Mentoring", BELAJAR_MANDIRI: "Belajar Mandiri"}
MEETING_KINDS = (COACHING, MENTORING)

NASIONAL = "nasional"
INTERNASIONAL = "internasional"
SCOPES = (NASIONAL, INTERNASIONAL)

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def month_name(month: int) -> str:
    """Indonesian name of a month (1 = Januari)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month!r}")
    return MONTH_NAMES[month - 1]


def format_date(on: datetime.date) -> str:
    """A date as Indonesian readers write it: "6 Maret 2023"."""
    return f"{on.day} {month_name(on.month)} {on.year}"


# --- JP as tenths -------------------------------------------------------------------------

_ONE_TENTH = Decimal("0.1")


def _to_tenths(jp: Decimal) -> int:
    """Exact tenths of a JP; a value with a finer fraction is a bug upstream, not rounding."""
    if not isinstance(jp, Decimal):
        raise TypeError(f"JP must be a Decimal, got {type(jp).__name__}")
    tenths = jp.scaleb(1)
    if not tenths.is_finite() or tenths != tenths.to_integral_value():
        raise ValueError(f"JP must have at most one decimal place, got {jp}")
    return int(tenths)


# Booked ledgers repeat a handful of values (2.0, 4.0, 1.2, ...): cache their conversion.
_credit_tenths = lru_cache(maxsize=1024)(_to_tenths)


def _jp(tenths: int) -> Decimal:
    """Tenths back to a JP Decimal with exactly one decimal place (20 -> Decimal("2.0"))."""
    return Decimal(tenths).scaleb(-1)


@lru_cache(maxsize=1024)
def _full_credit(tenths: int) -> Credit:
    # Most results are one of a few full credits; sharing them saves an allocation each.
    return Credit(_jp(tenths))


@lru_cache(maxsize=4096)
def _cut_credit(tenths: int, reason: str) -> Credit:
    return Credit(_jp(tenths), reason)


# --- reasons (built only when something is cut, and cached: few distinct periods) ---------


@lru_cache(maxsize=1024)
def _meetings_full_reason(kind: str, limit: int, year: int, month: int) -> str:
    return (
        f"Batas {limit} kali {KIND_LABELS[kind].lower()} per bulan "
        f"({month_name(month)} {year}) sudah tercapai"
    )


@lru_cache(maxsize=1024)
def _bm_days_full_reason(limit: int, year: int, month: int) -> str:
    return (
        f"Batas {limit} hari belajar mandiri per bulan ({month_name(month)} {year}) "
        "sudah tercapai"
    )


@lru_cache(maxsize=4096)
def _bm_day_reason(limit: int, on: datetime.date, left: int) -> str:
    head = f"Belajar mandiri paling tinggi {limit} JP sehari ({format_date(on)})"
    return f"{head}: tersisa {left} JP" if left else f"{head} sudah tercapai"


# --- the public value types ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Activity:
    """One CMB session as the engine sees it.

    `key` identifies the session (the app uses primary keys); keys must be comparable among
    themselves, as they break ties in meeting order. `minutes` is required for belajar mandiri.
    """

    key: Hashable
    kind: str
    scope: str
    on: datetime.date
    start: datetime.time | None = None
    minutes: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KIND_LABELS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {KINDS}")
        if self.scope not in SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}; expected one of {SCOPES}")
        # A datetime is a date too, but it cannot be ordered against plain dates.
        if not isinstance(self.on, datetime.date) or isinstance(self.on, datetime.datetime):
            raise ValueError(f"on must be a datetime.date, got {self.on!r}")
        if self.start is not None and not isinstance(self.start, datetime.time):
            raise ValueError(f"start must be a datetime.time or None, got {self.start!r}")
        if self.kind == BELAJAR_MANDIRI and (
            type(self.minutes) is not int or self.minutes <= 0  # bool is an int: reject it
        ):
            raise ValueError(f"belajar mandiri needs its duration in minutes > 0, got {self.minutes!r}")


@dataclass(frozen=True, slots=True)
class Credit:
    """JP a session earns; `reason` says which cap cut it ("" when it earns its full value)."""

    jp: Decimal
    reason: str = ""


@dataclass(frozen=True, slots=True)
class YearSummary:
    year: int
    total: Decimal
    by_kind: dict[str, Decimal]
    target: Decimal
    missing: Decimal


@dataclass(frozen=True, slots=True)
class MonthUsage:
    """Counted meetings (coaching, mentoring) or counted days (BM) in a month; limit None = no cap."""

    used: int
    limit: int | None


@dataclass(frozen=True, slots=True)
class Policy:
    """Every parameter of one institution's rules; see the module docstring for the sources."""

    name: str
    source: str
    coaching_jp_nasional: Decimal
    coaching_jp_internasional: Decimal
    mentoring_jp_nasional: Decimal
    mentoring_jp_internasional: Decimal
    meetings_per_month: int  # coaching and mentoring, each
    minutes_per_jp: int  # belajar mandiri
    bm_jp_per_day: int  # on base JP, before the international bonus
    bm_days_per_month: int | None  # None: no monthly cap
    bm_internasional_bonus_percent: int
    annual_target_jp: Decimal

    # Lookup tables in tenths, derived once from the parameters above.
    _meeting_tenths: dict[str, dict[str, int]] = field(init=False, repr=False, compare=False)
    _bm_tenths: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for count in (self.meetings_per_month, self.minutes_per_jp, self.bm_jp_per_day):
            if count < 1:
                raise ValueError(f"policy {self.name}: counts and limits must be >= 1")
        if self.bm_days_per_month is not None and self.bm_days_per_month < 1:
            raise ValueError(f"policy {self.name}: bm_days_per_month must be >= 1 or None")
        if self.bm_internasional_bonus_percent < 0:
            raise ValueError(f"policy {self.name}: the international bonus cannot be negative")
        meeting_tenths = {
            COACHING: {
                NASIONAL: _to_tenths(self.coaching_jp_nasional),
                INTERNASIONAL: _to_tenths(self.coaching_jp_internasional),
            },
            MENTORING: {
                NASIONAL: _to_tenths(self.mentoring_jp_nasional),
                INTERNASIONAL: _to_tenths(self.mentoring_jp_internasional),
            },
        }
        _to_tenths(self.annual_target_jp)
        # Index = base JP of the session (0 .. daily cap), value = credit in tenths.
        bm_tenths = {
            scope: tuple(
                # b JP * 10 tenths * (100 + bonus) / 100, rounded half up to a whole tenth
                (base * (100 + bonus) + 5) // 10
                for base in range(self.bm_jp_per_day + 1)
            )
            for scope, bonus in ((NASIONAL, 0), (INTERNASIONAL, self.bm_internasional_bonus_percent))
        }
        object.__setattr__(self, "_meeting_tenths", meeting_tenths)
        object.__setattr__(self, "_bm_tenths", bm_tenths)

    def _bm_base(self, activity: Activity) -> int:
        """Base JP of one BM session: whole JP of its minutes, within the daily cap."""
        return min(activity.minutes // self.minutes_per_jp, self.bm_jp_per_day)

    def _value_tenths(self, activity: Activity) -> int:
        if activity.kind == BELAJAR_MANDIRI:
            return self._bm_tenths[activity.scope][self._bm_base(activity)]
        return self._meeting_tenths[activity.kind][activity.scope]

    def _monthly_limit(self, kind: str) -> int | None:
        return self.bm_days_per_month if kind == BELAJAR_MANDIRI else self.meetings_per_month


POLICIES: dict[str, Policy] = {
    "bkn": Policy(
        name="bkn",
        source="Surat Edaran Kepala BKN Nomor 3 Tahun 2022",
        coaching_jp_nasional=Decimal("2"),
        coaching_jp_internasional=Decimal("2"),  # the SE has no international coaching rate
        mentoring_jp_nasional=Decimal("2"),
        mentoring_jp_internasional=Decimal("4"),
        meetings_per_month=2,
        minutes_per_jp=45,
        bm_jp_per_day=2,
        bm_days_per_month=2,
        bm_internasional_bonus_percent=20,
        annual_target_jp=Decimal("20"),
    ),
    "langsa": Policy(
        name="langsa",
        source="Panduan Coaching, Mentoring, dan Belajar Mandiri, Pemerintah Kota Langsa",
        coaching_jp_nasional=Decimal("2"),
        coaching_jp_internasional=Decimal("4"),
        mentoring_jp_nasional=Decimal("2"),
        mentoring_jp_internasional=Decimal("4"),
        meetings_per_month=2,
        minutes_per_jp=45,
        bm_jp_per_day=2,
        bm_days_per_month=None,
        bm_internasional_bonus_percent=20,
        annual_target_jp=Decimal("20"),
    ),
}


# --- the ledger's capacity ----------------------------------------------------------------


def _month_index(on: datetime.date) -> int:
    return on.year * 12 + on.month


class _Usage:
    """The capacity one employee's ledger already holds, and the allocation of the next session.

    Only entries with credit > 0 hold capacity: a counted meeting per kind and month, the base
    JP counted on each BM day, and the counted BM days of each month.
    """

    __slots__ = ("_policy", "_meetings", "_bm_base", "_bm_days")

    def __init__(self, policy: Policy, booked: Iterable[tuple[Activity, Decimal]]) -> None:
        self._policy = policy
        self._meetings: dict[str, dict[int, int]] = {COACHING: {}, MENTORING: {}}
        self._bm_base: dict[datetime.date, int] = {}
        self._bm_days: dict[int, int] = {}
        for activity, credit in booked:
            self._hold(activity, _credit_tenths(credit))

    def _hold(self, activity: Activity, tenths: int) -> None:
        if tenths <= 0:
            return
        on = activity.on
        if activity.kind == BELAJAR_MANDIRI:
            self._hold_bm_base(on, self._booked_bm_base(activity.scope, tenths))
        else:
            counts = self._meetings[activity.kind]
            month = _month_index(on)
            counts[month] = counts.get(month, 0) + 1

    def _hold_bm_base(self, on: datetime.date, base: int) -> None:
        used = self._bm_base.get(on)
        if used is None:
            month = _month_index(on)
            self._bm_days[month] = self._bm_days.get(month, 0) + 1
            used = 0
        self._bm_base[on] = used + base

    def _booked_bm_base(self, scope: str, tenths: int) -> int:
        """The smallest base JP that earns a booked BM credit, i.e. the daily capacity it holds."""
        table = self._policy._bm_tenths[scope]
        for base in range(1, len(table)):
            if table[base] >= tenths:
                return base
        return len(table) - 1

    def take(self, activity: Activity) -> Credit:
        """Credit `activity` with the capacity left, and hold what it earns."""
        if activity.kind == BELAJAR_MANDIRI:
            return self._take_bm(activity)
        policy = self._policy
        value = policy._meeting_tenths[activity.kind][activity.scope]
        if value == 0:
            return _full_credit(0)
        counts = self._meetings[activity.kind]
        on = activity.on
        month = _month_index(on)
        counted = counts.get(month, 0)
        limit = policy.meetings_per_month
        if counted >= limit:
            return _cut_credit(0, _meetings_full_reason(activity.kind, limit, on.year, on.month))
        counts[month] = counted + 1
        return _full_credit(value)

    def _take_bm(self, activity: Activity) -> Credit:
        policy = self._policy
        base = policy._bm_base(activity)
        table = policy._bm_tenths[activity.scope]
        if base == 0:  # under 45 minutes: worth nothing, holds nothing, nothing was cut
            return _full_credit(0)
        on = activity.on
        used = self._bm_base.get(on)
        if used is None:
            month = _month_index(on)
            days = self._bm_days.get(month, 0)
            limit = policy.bm_days_per_month
            if limit is not None and days >= limit:
                return _cut_credit(0, _bm_days_full_reason(limit, on.year, on.month))
            self._bm_days[month] = days + 1
            self._bm_base[on] = base
            return _full_credit(table[base])
        left = policy.bm_jp_per_day - used
        if base <= left:
            self._bm_base[on] = used + base
            return _full_credit(table[base])
        reason = _bm_day_reason(policy.bm_jp_per_day, on, max(left, 0))
        if left <= 0:
            return _cut_credit(0, reason)
        self._bm_base[on] = policy.bm_jp_per_day
        return _cut_credit(table[left], reason)


# --- the public functions -----------------------------------------------------------------


def value_of(policy: Policy, activity: Activity) -> Decimal:
    """The most one session can earn: its rate, or for BM its base JP within the daily cap
    plus the international bonus."""
    return _jp(policy._value_tenths(activity))


def _meeting_order(activity: Activity) -> tuple:
    start = activity.start
    # Sessions without a start time come first on their day.
    return (activity.on, start is not None, start or datetime.time.min, activity.key)


def project(
    policy: Policy, pending: Iterable[Activity], booked: Iterable[tuple[Activity, Decimal]]
) -> dict[Hashable, Credit]:
    """Projected credit of each pending session, by key, in meeting order: the capacity left
    after the booked entries, filled one session at a time in order of date, start time and
    key, each against the booked entries and the pending ones before it."""
    usage = _Usage(policy, booked)
    ordered = sorted(pending, key=_meeting_order)
    take = usage.take
    projected = {activity.key: take(activity) for activity in ordered}
    if len(projected) != len(ordered):
        raise ValueError("pending activities must have distinct keys")
    return projected


def credit_for(
    policy: Policy, activity: Activity, booked: Iterable[tuple[Activity, Decimal]]
) -> Credit:
    """The credit verification books for `activity`: its value, within the capacity left after
    the entries already booked (the ledger)."""
    return _Usage(policy, booked).take(activity)


def year_summary(
    policy: Policy, booked: Iterable[tuple[Activity, Decimal]], year: int
) -> YearSummary:
    """Booked JP of `year` by kind, against the annual target."""
    by_kind = dict.fromkeys(KINDS, 0)
    for activity, credit in booked:
        if activity.on.year == year:
            by_kind[activity.kind] += _credit_tenths(credit)
    total = sum(by_kind.values())
    target = _to_tenths(policy.annual_target_jp)
    return YearSummary(
        year=year,
        total=_jp(total),
        by_kind={kind: _jp(tenths) for kind, tenths in by_kind.items()},
        target=_jp(target),
        missing=_jp(max(target - total, 0)),
    )


def month_usage(
    policy: Policy, entries: Iterable[tuple[Activity, Decimal]], year: int, month: int
) -> dict[str, MonthUsage]:
    """How much of each monthly cap the entries use: counted meetings for coaching and
    mentoring, counted days for BM ("Coaching Maret: 1 dari 2")."""
    month_name(month)  # validates
    meetings = dict.fromkeys(MEETING_KINDS, 0)
    bm_days = set()
    for activity, credit in entries:
        on = activity.on
        if on.year != year or on.month != month or _credit_tenths(credit) <= 0:
            continue
        if activity.kind == BELAJAR_MANDIRI:
            bm_days.add(on)
        else:
            meetings[activity.kind] += 1
    used = {**meetings, BELAJAR_MANDIRI: len(bm_days)}
    return {kind: MonthUsage(used[kind], policy._monthly_limit(kind)) for kind in KINDS}


def max_attainable(
    policy: Policy, booked: Iterable[tuple[Activity, Decimal]], year: int, from_date: datetime.date
) -> Decimal:
    """The most JP `year` can still end with: what is booked in it, plus everything sessions
    dated from `from_date` (inclusive) to 31 December could add at each kind's best rate
    within the caps left by the booked entries (an employee below the target here cannot
    reach it)."""
    booked_in_year = [(a, c) for a, c in booked if a.on.year == year]
    total = sum(_credit_tenths(credit) for _, credit in booked_in_year)
    if from_date.year > year:
        return _jp(total)
    first = from_date if from_date.year == year else datetime.date(year, 1, 1)
    usage = _Usage(policy, booked_in_year)
    best_meeting = {kind: max(policy._meeting_tenths[kind].values()) for kind in MEETING_KINDS}
    best_bm = [max(by_base) for by_base in zip(*policy._bm_tenths.values(), strict=True)]
    daily = policy.bm_jp_per_day
    for month in range(first.month, 13):
        index = year * 12 + month
        for kind in MEETING_KINDS:
            left = policy.meetings_per_month - usage._meetings[kind].get(index, 0)
            total += max(left, 0) * best_meeting[kind]
        # BM: counted days still open take their remainder; new days take the full daily cap,
        # as many as the month's day cap leaves (days before `first` may have used some).
        first_day = first.day if month == first.month else 1
        last_day = calendar.monthrange(year, month)[1]
        open_new_days = 0
        for day in range(first_day, last_day + 1):
            used = usage._bm_base.get(datetime.date(year, month, day))
            if used is None:
                open_new_days += 1
            else:
                total += best_bm[max(daily - used, 0)]
        if policy.bm_days_per_month is not None:
            days_left = policy.bm_days_per_month - usage._bm_days.get(index, 0)
            open_new_days = min(open_new_days, max(days_left, 0))
        total += open_new_days * best_bm[daily]
    return _jp(total)
