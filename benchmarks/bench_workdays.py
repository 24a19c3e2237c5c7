"""Benchmark of the working-day calendar (工作日历) — issue 8.

Times ``WorkCalendar.workdays_between`` on N random (start, end) pairs inside
2020–2026 (spans 0–60 days) against

* the floor: a raw numpy look-up into a prebuilt cumulative array, no checks,
  measured in the same run on the same arrays;
* a per-record Python loop over ``chinese_calendar.is_workday``, timed on a
  small sample (default 20,000 pairs) and extrapolated linearly to N.

Run: ``.venv/bin/python benchmarks/bench_workdays.py [--n 10000000]``.
"""

from __future__ import annotations

import argparse
import time
from datetime import date, timedelta

import chinese_calendar
import numpy as np

from zwgk_score.workdays import WorkCalendar

FIRST = np.datetime64("2020-01-01", "D")
LAST = np.datetime64("2026-12-31", "D")
MAX_SPAN = 60


def make_pairs(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """N seeded (start, end) pairs with start..end inside 2020–2026, end - start in 0..60 days."""
    rng = np.random.default_rng(seed)
    n_starts = int((LAST - FIRST).astype(np.int64)) - MAX_SPAN + 1
    start = FIRST + rng.integers(0, n_starts, size=n).astype("timedelta64[D]")
    end = start + rng.integers(0, MAX_SPAN + 1, size=n).astype("timedelta64[D]")
    return start, end


def best_of(repeat: int, func) -> tuple[float, object]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


def loop_count(start: np.ndarray, end: np.ndarray) -> list[int]:
    """Per-record Python loop: count chinese_calendar working days in (start, end]."""
    out = []
    for s, e in zip(start.tolist(), end.tolist(), strict=True):
        count, day = 0, s + timedelta(days=1)
        while day <= e:
            count += chinese_calendar.is_workday(day)
            day += timedelta(days=1)
        out.append(count)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="number of (start, end) pairs")
    parser.add_argument("--loop-n", type=int, default=20_000, help="pairs timed in the Python loop")
    parser.add_argument("--repeat", type=int, default=5, help="best of this many runs")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()

    start, end = make_pairs(args.n, args.seed)
    cal = WorkCalendar.china()

    # The floor: cumulative working-day count over 2020–2026, indexed by day offset.
    base = FIRST.astype(np.int64)
    days = np.arange(FIRST, LAST + 1)
    flags = np.array([chinese_calendar.is_workday(d) for d in days.astype(date)])
    cum = np.cumsum(flags, dtype=np.int64)

    def floor() -> np.ndarray:
        return cum[end.view(np.int64) - base] - cum[start.view(np.int64) - base]

    t_cal, got = best_of(args.repeat, lambda: cal.workdays_between(start, end))
    t_floor, want = best_of(args.repeat, floor)
    if not np.array_equal(got, want):
        raise SystemExit("WorkCalendar and the floor disagree")

    m = min(args.loop_n, args.n)
    t0 = time.perf_counter()
    loop = loop_count(start[:m], end[:m])
    t_loop_sample = time.perf_counter() - t0
    if not np.array_equal(np.array(loop), want[:m]):
        raise SystemExit("WorkCalendar and the chinese_calendar loop disagree")
    t_loop = t_loop_sample * args.n / m

    print(
        f"{args.n:,} pairs, 2020–2026, spans 0–{MAX_SPAN} days, seed {args.seed}, best of {args.repeat}"
    )
    print(f"{'case':<38} {'seconds':>10} {'vs floor':>9} {'speed-up vs loop':>17}")
    rows = [
        ("WorkCalendar.workdays_between", t_cal),
        ("floor: raw numpy cumsum look-up", t_floor),
        (f"Python loop (extrapolated from {m:,})", t_loop),
    ]
    for name, t in rows:
        print(f"{name:<38} {t:>10.4f} {t / t_floor:>8.2f}x {t_loop / t:>16.0f}x")
    print(f"loop measured: {t_loop_sample:.2f} s for {m:,} pairs, scaled by {args.n / m:,.0f}")


if __name__ == "__main__":
    main()
