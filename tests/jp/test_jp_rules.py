"""Table tests of every JP rule for both policies (records.jp; no database, no Django)."""

import datetime
from decimal import Decimal

import pytest

from records.jp import (
    POLICIES,
    Activity,
    Credit,
    credit_for,
    max_attainable,
    month_usage,
    project,
    value_of,
    year_summary,
)

BKN, LANGSA = POLICIES["bkn"], POLICIES["langsa"]
BOTH = pytest.mark.parametrize("policy", [BKN, LANGSA], ids=["bkn", "langsa"])
D = datetime.date
T = datetime.time


def act(key, kind, on, scope="nasional", start=None, minutes=None):
    return Activity(key, kind, scope, on, start, minutes)


def coaching(key, on, scope="nasional", start=None):
    return act(key, "coaching", on, scope, start)


def mentoring(key, on, scope="nasional", start=None):
    return act(key, "mentoring", on, scope, start)


def bm(key, on, minutes, scope="nasional", start=None):
    return act(key, "belajar_mandiri", on, scope, start, minutes)


def book_one_by_one(policy, activities):
    booked = []
    for activity in activities:
        booked.append((activity, credit_for(policy, activity, booked).jp))
    return booked


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "activity", "jp"),
    [
        (BKN, coaching(1, D(2023, 3, 1)), "2.0"),
        (BKN, coaching(1, D(2023, 3, 1), "internasional"), "2.0"),  # the SE has no intl rate
        (LANGSA, coaching(1, D(2023, 3, 1)), "2.0"),
        (LANGSA, coaching(1, D(2023, 3, 1), "internasional"), "4.0"),
        (BKN, mentoring(1, D(2023, 3, 1)), "2.0"),
        (BKN, mentoring(1, D(2023, 3, 1), "internasional"), "4.0"),
        (LANGSA, mentoring(1, D(2023, 3, 1), "internasional"), "4.0"),
    ],
)
def test_a_meeting_is_worth_its_rate_by_scope(policy, activity, jp):
    assert value_of(policy, activity) == Decimal(jp)


@BOTH
@pytest.mark.parametrize(
    ("minutes", "jp", "intl"),
    [(44, "0.0", "0.0"), (45, "1.0", "1.2"), (89, "1.0", "1.2"), (90, "2.0", "2.4"),
     (134, "2.0", "2.4"), (135, "3.0", "3.6"), (180, "4.0", "4.8"), (600, "13.0", "15.6")],
)  # fmt: skip
def test_belajar_mandiri_is_worth_whole_jp_of_45_minutes_plus_20_percent_before_any_cap(
    policy, minutes, jp, intl
):
    assert value_of(policy, bm(1, D(2023, 3, 6), minutes)) == Decimal(jp)
    assert value_of(policy, bm(1, D(2023, 3, 6), minutes, "internasional")) == Decimal(intl)


DAILY_CAP = "Belajar mandiri paling tinggi 2 JP sehari (6 Maret 2023)"


@BOTH
@pytest.mark.parametrize(
    ("minutes", "scope", "jp", "reason"),
    [
        (44, "nasional", "0.0", ""),  # worth nothing: nothing cut
        (90, "nasional", "2.0", ""),
        (134, "nasional", "2.0", ""),
        (135, "nasional", "2.0", DAILY_CAP),
        (180, "nasional", "2.0", DAILY_CAP),
        (600, "nasional", "2.0", DAILY_CAP),
        (90, "internasional", "2.4", ""),
        (180, "internasional", "2.4", f"{DAILY_CAP}, ditambah 20% internasional = 2,4 JP"),
        (600, "internasional", "2.4", f"{DAILY_CAP}, ditambah 20% internasional = 2,4 JP"),
    ],
)
def test_one_belajar_mandiri_session_is_cut_to_the_daily_cap_with_the_reason(
    policy, minutes, scope, jp, reason
):
    session = bm(1, D(2023, 3, 6), minutes, scope)
    expected = Credit(Decimal(jp), reason)
    assert credit_for(policy, session, []) == expected
    assert project(policy, [session], []) == {1: expected}
    # The reason is there exactly when the credit is below the value.
    assert (reason != "") == (expected.jp < value_of(policy, session))


def test_values_are_decimals_with_one_decimal_place():
    value = value_of(BKN, bm(1, D(2023, 3, 6), 90, "internasional"))
    assert isinstance(value, Decimal) and value.as_tuple().exponent == -1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "klasikal"}, "unknown kind"),
        ({"scope": "regional"}, "unknown scope"),
        ({"kind": "belajar_mandiri", "minutes": None}, "minutes > 0"),
        ({"kind": "belajar_mandiri", "minutes": 0}, "minutes > 0"),
        ({"kind": "belajar_mandiri", "minutes": True}, "minutes > 0"),
        ({"kind": "belajar_mandiri", "minutes": 45.0}, "minutes > 0"),
        ({"on": "2023-03-01"}, "on must be a date"),
    ],
)
def test_an_activity_refuses_what_the_rules_do_not_know(changes, message):
    fields = {"key": 1, "kind": "coaching", "scope": "nasional", "on": D(2023, 3, 1)}
    with pytest.raises(ValueError, match=message):
        Activity(**{**fields, **changes})


# --- monthly meeting caps -----------------------------------------------------------------------


@BOTH
@pytest.mark.parametrize("kind", ["coaching", "mentoring"])
def test_the_third_meeting_in_a_month_earns_nothing_with_the_reason(policy, kind):
    first, second, third = (act(i, kind, D(2023, 3, d)) for i, d in ((1, 2), (2, 9), (3, 16)))
    booked = book_one_by_one(policy, [first, second])
    assert [jp for _, jp in booked] == [Decimal("2.0"), Decimal("2.0")]
    credit = credit_for(policy, third, booked)
    assert credit == Credit(
        Decimal("0.0"), f"Batas 2 kali {kind} per bulan (Maret 2023) sudah tercapai"
    )


@BOTH
def test_coaching_and_mentoring_caps_are_separate(policy):
    booked = book_one_by_one(policy, [coaching(1, D(2023, 3, 1)), coaching(2, D(2023, 3, 2))])
    assert credit_for(policy, mentoring(3, D(2023, 3, 3)), booked).jp == Decimal("2.0")


@BOTH
@pytest.mark.parametrize(
    ("last_day", "next_day"), [(D(2023, 1, 31), D(2023, 2, 1)), (D(2022, 12, 31), D(2023, 1, 1))]
)
def test_the_cap_starts_again_on_the_first_of_the_month_and_year(policy, last_day, next_day):
    booked = book_one_by_one(policy, [coaching(1, last_day), coaching(2, last_day)])
    assert credit_for(policy, coaching(3, last_day), booked).jp == 0
    assert credit_for(policy, coaching(3, next_day), booked).jp == Decimal("2.0")


@BOTH
def test_a_meeting_that_earned_nothing_holds_no_capacity(policy):
    booked = [
        (coaching(1, D(2023, 3, 1)), Decimal("0.0")),
        (coaching(2, D(2023, 3, 2)), Decimal("2.0")),
    ]
    assert credit_for(policy, coaching(3, D(2023, 3, 3)), booked).jp == Decimal("2.0")


# --- belajar mandiri caps -------------------------------------------------------------------------


@BOTH
def test_belajar_mandiri_is_capped_at_2_jp_a_day_with_the_remainder_and_reason(policy):
    day = D(2023, 3, 6)
    booked = book_one_by_one(policy, [bm(1, day, 45)])
    partial = credit_for(policy, bm(2, day, 120), booked)
    assert partial == Credit(
        Decimal("1.0"), "Belajar mandiri paling tinggi 2 JP sehari (6 Maret 2023): tersisa 1 JP"
    )
    booked.append((bm(2, day, 120), partial.jp))
    assert credit_for(policy, bm(3, day, 60), booked) == Credit(
        Decimal("0.0"), "Belajar mandiri paling tinggi 2 JP sehari (6 Maret 2023) sudah tercapai"
    )


@BOTH
def test_international_belajar_mandiri_adds_20_percent_after_the_daily_cap(policy):
    day = D(2023, 3, 6)
    assert credit_for(policy, bm(1, day, 300, "internasional"), []).jp == Decimal("2.4")
    booked = [(bm(1, day, 45), Decimal("1.0"))]
    assert credit_for(policy, bm(2, day, 300, "internasional"), booked).jp == Decimal("1.2")


@BOTH
@pytest.mark.parametrize(
    ("earlier", "minutes", "credit", "reason"),
    [
        # 1 JP nasional booked: 1 JP of the day is left, +20% = 1.2 JP.
        (bm(1, D(2023, 3, 6), 45), 300, "1.2",
         "Belajar mandiri paling tinggi 2 JP sehari (6 Maret 2023): tersisa 1 JP, "
         "ditambah 20% internasional = 1,2 JP"),
        # 1.2 JP internasional booked holds 1 JP of the day, the same as 1 JP nasional.
        (bm(1, D(2023, 3, 6), 60, "internasional"), 90, "1.2",
         "Belajar mandiri paling tinggi 2 JP sehari (6 Maret 2023): tersisa 1 JP, "
         "ditambah 20% internasional = 1,2 JP"),
        # What is left covers the session: nothing cut, no reason.
        (bm(1, D(2023, 3, 6), 45), 45, "1.2", ""),
        # The day is full: nothing left, whatever the scope.
        (bm(1, D(2023, 3, 6), 90), 90, "0.0",
         "Belajar mandiri paling tinggi 2 JP sehari (6 Maret 2023) sudah tercapai"),
    ],
)  # fmt: skip
def test_the_remainder_of_a_day_for_an_international_session_says_what_it_earns(
    policy, earlier, minutes, credit, reason
):
    booked = book_one_by_one(policy, [earlier])
    session = bm(2, D(2023, 3, 6), minutes, "internasional")
    assert credit_for(policy, session, booked) == Credit(Decimal(credit), reason)
    assert project(policy, [earlier, session], [])[2] == Credit(Decimal(credit), reason)


def test_bkn_counts_at_most_2_belajar_mandiri_days_a_month():
    booked = book_one_by_one(BKN, [bm(1, D(2023, 3, 1), 90), bm(2, D(2023, 3, 2), 45)])
    assert credit_for(BKN, bm(3, D(2023, 3, 3), 90), []).jp == Decimal("2.0")
    assert credit_for(BKN, bm(3, D(2023, 3, 3), 90), booked) == Credit(
        Decimal("0.0"), "Batas 2 hari belajar mandiri per bulan (Maret 2023) sudah tercapai"
    )
    # A day already counted can still take what is left of it.
    assert credit_for(BKN, bm(4, D(2023, 3, 2), 45), booked).jp == Decimal("1.0")
    assert credit_for(BKN, bm(5, D(2023, 4, 1), 45), booked).jp == Decimal("1.0")


def test_langsa_has_no_monthly_belajar_mandiri_cap():
    days = [bm(i, D(2023, 3, i), 90) for i in range(1, 29)]
    booked = book_one_by_one(LANGSA, days)
    assert sum(jp for _, jp in booked) == Decimal("56.0")


@pytest.mark.parametrize(
    ("policy", "third_day_jp", "reason"),
    [
        (BKN, "0.0", "Batas 2 hari belajar mandiri per bulan ({}) sudah tercapai"),
        (LANGSA, "2.0", ""),  # no monthly cap
    ],
    ids=["bkn", "langsa"],
)
@pytest.mark.parametrize(
    ("month", "last_days", "next_day"),
    [
        ("Januari 2023", [D(2023, 1, 30), D(2023, 1, 31)], D(2023, 2, 1)),
        ("Desember 2022", [D(2022, 12, 30), D(2022, 12, 31)], D(2023, 1, 1)),
    ],
    ids=["31-jan-1-feb", "31-dec-1-jan"],
)
def test_belajar_mandiri_days_start_again_on_the_first_of_the_month_and_year(
    policy, third_day_jp, reason, month, last_days, next_day
):
    before = last_days[0] - datetime.timedelta(days=1)  # a third day in the same month
    booked = book_one_by_one(policy, [bm(i, day, 180) for i, day in enumerate(last_days, 1)])
    assert [jp for _, jp in booked] == [Decimal("2.0"), Decimal("2.0")]
    assert credit_for(policy, bm(3, before, 90), booked) == Credit(
        Decimal(third_day_jp), reason.format(month)
    )
    # The first of the next month (and year) counts again under both policies, and its day
    # cap is its own: the full 2 JP, 2.4 JP international.
    assert credit_for(policy, bm(4, next_day, 90), booked) == Credit(Decimal("2.0"))
    assert credit_for(policy, bm(4, next_day, 90, "internasional"), booked) == Credit(
        Decimal("2.4")
    )
    # Projected in meeting order: the day before the month's last two takes a day of the cap,
    # so (BKN) the last day of the month earns nothing and the first of the next one 2 JP.
    days = [before, *last_days, next_day]
    projected = project(policy, [bm(i, day, 90) for i, day in enumerate(days, 1)], [])
    assert [projected[i] for i in (1, 2, 3, 4)] == [
        Credit(Decimal("2.0")),
        Credit(Decimal("2.0")),
        Credit(Decimal(third_day_jp), reason.format(month)),
        Credit(Decimal("2.0")),
    ]
    # A year's totals keep the two sides of a year boundary apart.
    same_year = next_day.year == last_days[0].year
    assert year_summary(policy, booked, last_days[0].year).total == Decimal("4.0")
    assert year_summary(policy, booked, next_day.year).total == Decimal(
        "4.0" if same_year else "0.0"
    )


# --- the worked example and the ledger ------------------------------------------------------------

SE_EXAMPLE = [
    coaching(1, D(2022, 4, 7)),
    coaching(2, D(2022, 4, 14)),
    mentoring(3, D(2022, 5, 29)),
    bm(4, D(2022, 6, 1), 60),
]


@BOTH
def test_the_se_worked_example_is_7_jp(policy):
    booked = book_one_by_one(policy, SE_EXAMPLE)
    summary = year_summary(policy, booked, 2022)
    assert summary.by_kind == {
        "coaching": Decimal("4.0"), "mentoring": Decimal("2.0"), "belajar_mandiri": Decimal("1.0")
    }  # fmt: skip
    assert (summary.total, summary.missing, summary.target) == (
        Decimal("7.0"),
        Decimal("13.0"),
        Decimal("20.0"),
    )
    assert not summary.reached
    projected = project(policy, SE_EXAMPLE, [])
    assert sum(c.jp for c in projected.values()) == Decimal("7.0")


@BOTH
@pytest.mark.parametrize("third", [0, 1, 2])
def test_whichever_of_three_april_coachings_is_verified_third_earns_nothing(policy, third):
    sessions = [
        coaching(1, D(2022, 4, 7)),
        coaching(2, D(2022, 4, 14)),
        coaching(9, D(2022, 4, 21)),
    ]
    order = [s for i, s in enumerate(sessions) if i != third] + [sessions[third]]
    booked = book_one_by_one(policy, order)
    assert [jp for _, jp in booked] == [Decimal("2.0"), Decimal("2.0"), Decimal("0.0")]
    assert year_summary(policy, booked, 2022).by_kind["coaching"] == Decimal("4.0")


def test_project_fills_what_is_left_in_meeting_order():
    booked = [(coaching(1, D(2023, 3, 20)), Decimal("2.0"))]
    pending = [
        coaching(4, D(2023, 3, 5), start=T(14)),
        coaching(3, D(2023, 3, 5), start=T(9)),
        coaching(2, D(2023, 3, 5)),  # no time: first on its day
    ]
    result = project(BKN, pending, booked)
    assert result[2].jp == Decimal("2.0")
    assert result[3].jp == result[4].jp == Decimal("0.0")
    assert "Batas 2 kali coaching per bulan (Maret 2023)" in result[3].reason


@pytest.mark.parametrize(
    "pending",
    [
        [coaching(1, D(2023, 3, 1)), coaching(1, D(2023, 3, 8))],
        [coaching(1, D(2023, 3, 1)), bm(2, D(2023, 3, 2), 45), mentoring(2, D(2023, 3, 2))],
        [bm(7, D(2023, 3, 6), 45), bm(7, D(2023, 3, 6), 45)],  # even the same session twice
    ],
)
def test_project_refuses_pending_sessions_that_share_a_key(pending):
    # The result is keyed by session: two sessions under one key would silently merge (the
    # second one's credit hiding the first one's, while both took capacity).
    with pytest.raises(ValueError, match="pending sessions share a key"):
        project(BKN, pending, [])


def test_year_summary_counts_only_the_given_year():
    booked = [
        (coaching(1, D(2022, 12, 31)), Decimal("2.0")),
        (coaching(2, D(2023, 1, 1)), Decimal("2.0")),
    ]
    assert year_summary(BKN, booked, 2023).total == Decimal("2.0")


def test_month_usage_says_how_much_of_each_cap_is_used():
    entries = [
        (coaching(1, D(2023, 3, 1)), Decimal("2.0")),
        (coaching(2, D(2023, 3, 2)), Decimal("0.0")),  # cut to nothing: not counted
        (bm(3, D(2023, 3, 3), 45), Decimal("1.0")),
        (bm(4, D(2023, 3, 3), 45), Decimal("1.0")),  # same day: one day
        (mentoring(5, D(2023, 4, 1)), Decimal("2.0")),  # another month
    ]
    usage = month_usage(BKN, entries, 2023, 3)
    assert (usage["coaching"].used, usage["coaching"].limit) == (1, 2)
    assert (usage["mentoring"].used, usage["belajar_mandiri"].used) == (0, 1)
    assert month_usage(LANGSA, entries, 2023, 3)["belajar_mandiri"].limit is None


def test_max_attainable_counts_what_the_caps_still_allow():
    # From 1 December, nothing booked: 2 coaching + 2 mentoring (intl 4) + 2 BM days (intl 2.4).
    assert max_attainable(BKN, [], 2023, D(2023, 12, 1)) == Decimal("4.0") + Decimal(
        "8.0"
    ) + Decimal("4.8")
    booked = book_one_by_one(BKN, [coaching(1, D(2023, 12, 1)), coaching(2, D(2023, 12, 2))])
    assert max_attainable(BKN, booked, 2023, D(2023, 12, 3)) == Decimal("4.0") + Decimal(
        "8.0"
    ) + Decimal("4.8")
    # On 31 December Langsa still allows one BM day; a whole year is far above the target.
    assert max_attainable(LANGSA, [], 2023, D(2023, 12, 31)) == Decimal("18.4")
    assert max_attainable(BKN, [], 2023, D(2023, 1, 1)) > 20
    assert max_attainable(BKN, booked, 2023, D(2024, 1, 1)) == Decimal("4.0")


def test_the_engine_imports_nothing_but_the_standard_library():
    import ast
    import sys
    from pathlib import Path

    import records.jp

    tree = ast.parse(Path(records.jp.__file__).read_text())
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_a_booked_credit_with_more_than_one_decimal_place_is_refused():
    with pytest.raises(ValueError, match="one decimal place"):
        credit_for(BKN, coaching(2, D(2023, 3, 2)), [(coaching(1, D(2023, 3, 1)), Decimal("1.25"))])
