"""Benchmark of the JP engine: one year projected for 10,000 employees x 40 sessions.

    python -m records.jp_bench [--employees N] [--sessions N] [--seed N]

Prints sessions per second for `project` with nothing booked and with half of each year
booked (the usual mid-year state). Not a test: the figure goes into the README.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from decimal import Decimal

from .jp import POLICIES, Activity, credit_for, project

KINDS = ("coaching", "mentoring", "belajar_mandiri")


def employee_year(rnd: random.Random, sessions: int, year: int) -> list[Activity]:
    activities = []
    for key in range(1, sessions + 1):
        kind = rnd.choice(KINDS)
        on = datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
        start = datetime.time(rnd.choice((8, 9, 10, 13, 14, 15)), rnd.choice((0, 30)))
        scope = "internasional" if rnd.random() < 0.1 else "nasional"
        minutes = rnd.randint(30, 180) if kind == "belajar_mandiri" else None
        activities.append(Activity(key, kind, scope, on, start, minutes))
    return activities


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--policy", choices=sorted(POLICIES), default="bkn")
    args = parser.parse_args(argv)
    policy = POLICIES[args.policy]
    # Reproducible benchmark data, not security (bandit B311).
    rnd = random.Random(args.seed)  # nosec B311
    years = [employee_year(rnd, args.sessions, 2023) for _ in range(args.employees)]
    total = args.employees * args.sessions

    started = time.perf_counter()
    credited = Decimal(0)
    for activities in years:
        credited += sum(c.jp for c in project(policy, activities, []).values())
    all_pending = time.perf_counter() - started

    # Mid-year: the first half booked one by one (as verification does), the rest projected.
    ledgers = []
    for activities in years:
        half = len(activities) // 2
        booked: list[tuple[Activity, Decimal]] = []
        for activity in activities[:half]:
            booked.append((activity, credit_for(policy, activity, booked).jp))
        ledgers.append((activities[half:], booked))
    started = time.perf_counter()
    for pending, booked in ledgers:
        project(policy, pending, booked)
    half_booked = time.perf_counter() - started

    print(f"policy {policy.name}: {args.employees:,} employees x {args.sessions} sessions")
    print(
        f"  project, nothing booked: {all_pending:6.2f} s  "
        f"{total / all_pending:>12,.0f} sessions/s  ({credited:,} JP projected)"
    )
    print(
        f"  project, half booked:    {half_booked:6.2f} s  "
        f"{total / half_booked:>12,.0f} sessions/s (booked ones included in the count)"
    )


if __name__ == "__main__":
    main()
