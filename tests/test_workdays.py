"""Working-day calendar (工作日历): hand-counted holidays, config years, vectorisation."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_score.errors import CalendarError, ConfigError
from zwgk_score.workdays import WorkCalendar

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CAL = WorkCalendar.china()
FIRST, LAST = date(2004, 1, 1), date(2026, 12, 31)


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- facts about the holidays, checked against chinese_calendar itself -------------------


def test_package_facts_spring_festival_2024_and_national_day_2023():
    # 2024-02-10 (Sat) .. 2024-02-17 (Sat) off; make-up Sundays 2024-02-04 and 2024-02-18.
    assert d("2024-02-04").weekday() == 6 and d("2024-02-18").weekday() == 6
    for i in range(8):
        assert not chinese_calendar.is_workday(d("2024-02-10") + timedelta(days=i))
    assert chinese_calendar.is_workday(d("2024-02-04"))
    assert chinese_calendar.is_workday(d("2024-02-18"))
    # 2023-09-29 (Fri) .. 2023-10-06 (Fri) off; make-up Sat 2023-10-07 and Sun 2023-10-08.
    assert d("2023-10-07").weekday() == 5 and d("2023-10-08").weekday() == 6
    for i in range(8):
        assert not chinese_calendar.is_workday(d("2023-09-29") + timedelta(days=i))
    assert chinese_calendar.is_workday(d("2023-10-07"))
    assert chinese_calendar.is_workday(d("2023-10-08"))


def test_coverage_matches_package():
    assert (CAL.first_year, CAL.last_year) == (2004, 2026)


def test_is_workday_equals_package_on_every_covered_day():
    days = [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    want = np.array([chinese_calendar.is_workday(x) for x in days])
    got = CAL.is_workday(days)
    assert got.dtype == bool
    np.testing.assert_array_equal(got, want)


# -- hand-counted working days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Spring Festival 2024: received Fri 02-09; 02-10..17 off; 02-18 (Sun, make-up) = 1; Mon 02-19 = 2.
        ("2024-02-09", "2024-02-19", 2),
        # Received Fri 02-02: Sat 02-03 off; Sun 02-04 make-up = 1; Mon 02-05 = 2.
        ("2024-02-02", "2024-02-05", 2),
        # Received Thu 02-08: Fri 02-09 = 1; 02-10..17 off; 02-18 = 2.
        ("2024-02-08", "2024-02-18", 2),
        # Received Fri 02-09, answered on holiday Sat 02-17: all 8 days 02-10..17 off = 0.
        ("2024-02-09", "2024-02-17", 0),
        # National Day 2023: received Thu 09-28; 09-29..10-06 off; Sat 10-07 = 1; Sun 10-08 = 2; Mon 10-09 = 3.
        ("2023-09-28", "2023-10-09", 3),
        # Received Thu 09-28, answered Sun 10-08 (make-up): 10-07 = 1, 10-08 = 2.
        ("2023-09-28", "2023-10-08", 2),
        # Plain week (March 2024, no holidays): Mon 03-04 -> Mon 03-11: Tue..Fri = 4, Sat/Sun off, Mon = 5.
        ("2024-03-04", "2024-03-11", 5),
        # Plain weekend: received Fri 03-08, answered Mon 03-11 = 1.
        ("2024-03-08", "2024-03-11", 1),
        # Received Fri 03-08, answered Sun 03-10: Sat, Sun off = 0.
        ("2024-03-08", "2024-03-10", 0),
        # Same day = 0 (working day or not).
        ("2024-03-05", "2024-03-05", 0),
        ("2024-02-12", "2024-02-12", 0),
        # End before start: mirror of 2023-09-28 -> 2023-10-09 (3).
        ("2023-10-09", "2023-09-28", -3),
    ],
)
def test_workdays_between_hand_counted(start, end, expected):
    got = CAL.workdays_between(start, end)
    assert isinstance(got, np.integer)
    assert got == expected


def test_twenty_working_day_limit_across_national_day_2023():
    # 依申请公开: answer within 20 working days (条例 art. 33). Received Mon 2023-09-25.
    # 09-26 1, 09-27 2, 09-28 3, (09-29..10-06 off), 10-07 4, 10-08 5, 10-09 6, 10-10 7,
    # 10-11 8, 10-12 9, 10-13 10, 10-16 11, 10-17 12, 10-18 13, 10-19 14, 10-20 15,
    # 10-23 16, 10-24 17, 10-25 18, 10-26 19, 10-27 20  -> deadline Fri 2023-10-27.
    assert CAL.add_workdays("2023-09-25", 20) == np.datetime64("2023-10-27")
    answered = ["2023-10-27", "2023-10-28", "2023-10-30"]
    # 10-28/29 weekend stays 20; Mon 10-30 is the 21st -> late.
    np.testing.assert_array_equal(CAL.workdays_between("2023-09-25", answered), [20, 20, 21])


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-02-09", 0, "2024-02-09"),  # n = 0: the start itself
        ("2024-02-09", 1, "2024-02-18"),  # next working day after Fri 02-09 is Sun 02-18 (make-up)
        ("2024-02-09", 2, "2024-02-19"),
        ("2024-02-02", 1, "2024-02-04"),  # Sat 02-03 off, Sun 02-04 make-up
        ("2023-09-28", 1, "2023-10-07"),  # 09-29..10-06 off, Sat 10-07 make-up
        ("2024-03-08", 5, "2024-03-15"),  # Mon 11 .. Fri 15 = 5
        ("2023-10-09", -3, "2023-09-28"),  # before Mon 10-09: 10-08 (1), 10-07 (2), 09-28 (3)
        ("2023-10-01", -1, "2023-09-28"),  # last working day before the holiday
        ("2024-03-11", -1, "2024-03-08"),  # Mon -> previous Fri
    ],
)
def test_add_workdays_hand_counted(start, n, expected):
    assert CAL.add_workdays(start, n) == np.datetime64(expected)


def test_add_workdays_broadcasts():
    got = CAL.add_workdays(["2024-02-09", "2023-09-28"], [[1], [2]])
    # row n=1: 02-18, 10-07; row n=2: 02-19, 10-08 (see the hand counts above)
    want = np.array(
        [["2024-02-18", "2023-10-07"], ["2024-02-19", "2023-10-08"]], dtype="datetime64[D]"
    )
    np.testing.assert_array_equal(got, want)
    assert got.dtype == np.dtype("datetime64[D]")


def test_add_workdays_rejects_fractions():
    with pytest.raises(TypeError):
        CAL.add_workdays("2024-03-08", 1.5)


# -- input types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        date(2024, 2, 9),
        datetime(2024, 2, 9, 18, 30),
        "2024-02-09",
        "2024-02-09 18:30",
        pd.Timestamp("2024-02-09 23:59:59"),
        np.datetime64("2024-02-09T08:00"),
    ],
)
def test_scalar_inputs_floor_to_day(start):
    # Fri 02-09 -> Mon 02-19 = 2 (hand count above); times of day are ignored.
    assert CAL.workdays_between(start, "2024-02-19") == 2


def test_array_inputs():
    starts = pd.Series(pd.to_datetime(["2024-02-09 18:00", "2023-09-28 08:00", "2024-03-08 00:00"]))
    ends = pd.DatetimeIndex(["2024-02-19", "2023-10-09", "2024-03-11"])
    got = CAL.workdays_between(starts, ends)
    assert isinstance(got, np.ndarray) and got.dtype == np.int64
    np.testing.assert_array_equal(got, [2, 3, 1])  # hand counts above
    as_numpy = starts.to_numpy().astype("datetime64[D]")
    np.testing.assert_array_equal(CAL.workdays_between(as_numpy, list(ends)), [2, 3, 1])
    tz = pd.DatetimeIndex(["2024-02-09 23:30"], tz="Asia/Shanghai")  # wall-clock date counts
    np.testing.assert_array_equal(CAL.workdays_between(tz, "2024-02-19"), [2])


def test_empty_input():
    assert CAL.workdays_between([], []).shape == (0,)


# -- errors -----------------------------------------------------------------------------


def test_nat_is_an_error_naming_count_and_first_position():
    with pytest.raises(CalendarError) as err:
        CAL.workdays_between(["2024-01-02", None, "2024-01-03", pd.NaT], "2024-01-10")
    assert "2 个为空" in str(err.value) and "位置 1" in str(err.value)
    with pytest.raises(CalendarError, match="1 个为空"):
        CAL.is_workday(np.array(["2024-01-02", "NaT"], dtype="datetime64[ns]"))


def test_unreadable_date_is_an_error():
    with pytest.raises(CalendarError, match="2024-13-01"):
        CAL.is_workday(["2024-01-01", "2024-13-01"])


@pytest.mark.parametrize(("value", "year"), [("2027-01-04", 2027), ("2003-12-31", 2003)])
def test_out_of_coverage_names_year_and_config_hint(value, year):
    with pytest.raises(CalendarError) as err:
        CAL.workdays_between("2024-01-02", ["2024-01-03", value])
    assert f"{year} 年" in err.value.message and "位置 1" in err.value.message
    assert f"[calendar.{year}]" in err.value.hint


def test_deadline_beyond_coverage_is_an_error():
    # 2026-12-31 is the last covered day; 20 working days later is in 2027.
    with pytest.raises(CalendarError) as err:
        CAL.add_workdays("2026-12-20", 20)
    assert "2027 年" in err.value.message and "[calendar.2027]" in err.value.hint


# -- extra years from the assessment config -------------------------------------------------

CONFIG_2027 = """
[calendar.2027]   # hypothetical dates, for the test only
holidays = ["2027-01-01", 2027-02-08]
workdays = ["2027-02-06"]
"""


def test_extra_year_2027_from_toml_config():
    table = tomllib.loads(CONFIG_2027)["calendar"]  # keys arrive as strings, dates mixed
    cal = WorkCalendar.from_config(table, file="kaohe.toml")
    assert (cal.first_year, cal.last_year) == (2004, 2027)
    # Thu 2026-12-31 -> Mon 2027-01-04: Fri 01-01 holiday, 01-02/03 weekend, Mon 01-04 = 1.
    assert cal.workdays_between("2026-12-31", "2027-01-04") == 1
    # Sat 02-06 make-up; Mon 02-08 holiday; Sat 02-13 plain weekend.
    np.testing.assert_array_equal(
        cal.is_workday(["2027-02-06", "2027-02-08", "2027-02-13"]), [True, False, False]
    )
    # 2027 starts on a Friday: 365 = 52 weeks + 1 Friday -> 52*5 + 1 = 261 weekdays,
    # minus 2 weekday holidays (01-01 Fri, 02-08 Mon), plus 1 make-up Saturday = 260.
    assert cal.workdays_between("2026-12-31", "2027-12-31") == 260
    with pytest.raises(CalendarError, match="2028") as err:
        cal.is_workday("2028-01-03")
    assert "kaohe.toml" in err.value.hint and "[calendar.2028]" in err.value.hint


def test_china_extra_years_python_api_and_none_config():
    cal = WorkCalendar.china({2027: {"holidays": [date(2027, 1, 1)]}})
    assert cal.is_workday("2027-01-04") and not cal.is_workday("2027-01-01")
    plain = WorkCalendar.from_config(None)
    assert (plain.first_year, plain.last_year) == (2004, 2026)


def test_config_can_amend_a_covered_year():
    # Local adjustment on top of the package: make Sat 2024-03-09 a working day.
    cal = WorkCalendar.from_config({"2024": {"workdays": ["2024-03-09"]}})
    # Fri 03-08 -> Mon 03-11: Sat 03-09 = 1, Sun off, Mon = 2.
    assert cal.workdays_between("2024-03-08", "2024-03-11") == 2
    assert CAL.workdays_between("2024-03-08", "2024-03-11") == 1


@pytest.mark.parametrize(
    ("table", "path", "fragment"),
    [
        (
            {"2027": {"holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-30"]}},
            "calendar.2027.holidays[3]",
            "2027-02-30",
        ),
        ({"2027": {"workdays": ["2027/02/06"]}}, "calendar.2027.workdays[0]", "格式"),
        ({"2027": {"holidays": ["2028-01-01"]}}, "calendar.2027.holidays[0]", "不属于 2027 年"),
        ({"2027": {"holidays": [datetime(2027, 1, 1, 8)]}}, "calendar.2027.holidays[0]", "格式"),
        ({"twenty": {}}, "calendar.twenty", "不是年份"),
        ({"2027": {"holiday": []}}, "calendar.2027", "未知的键：holiday"),
        ({"2027": {"holidays": "2027-01-01"}}, "calendar.2027.holidays", "数组"),
        ({"2027": ["2027-01-01"]}, "calendar.2027", "表"),
        ({"2028": {}}, "calendar.2028", "缺少 2027 年"),
        (
            {"2027": {"holidays": ["2027-02-06"], "workdays": ["2027-02-06"]}},
            "calendar.2027",
            "同时",
        ),
    ],
)
def test_bad_config_names_file_and_path(table, path, fragment):
    with pytest.raises(ConfigError) as err:
        WorkCalendar.from_config(table, file="kaohe.toml")
    assert err.value.file == "kaohe.toml"
    assert err.value.path == path
    assert fragment in err.value.message


# -- invariants (hypothesis) ----------------------------------------------------------------

covered_days = st.dates(min_value=FIRST, max_value=LAST)


def loop_between(start: date, end: date) -> int:
    """Reference: per-day loop over chinese_calendar, mirrored when end < start."""
    if end < start:
        return -loop_between(end, start)
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(chinese_calendar.is_workday(x) for x in days)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(covered_days, st.integers(-70, 70)), min_size=1, max_size=30))
def test_vectorised_equals_per_record_loop(pairs):
    pairs = [(s, s + timedelta(days=k)) for s, k in pairs if FIRST <= s + timedelta(days=k) <= LAST]
    if not pairs:
        return
    starts, ends = zip(*pairs, strict=True)
    got = CAL.workdays_between(list(starts), pd.Series(ends, dtype="datetime64[ns]"))
    assert got.tolist() == [loop_between(s, e) for s, e in pairs]


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=FIRST, max_value=date(2026, 10, 31)), st.integers(0, 40))
def test_add_workdays_inverts_workdays_between(start, n):
    deadline = CAL.add_workdays(start, n)
    assert CAL.workdays_between(start, deadline) == n
    if n > 0:  # the deadline is a working day and the first date reaching n
        assert CAL.is_workday(deadline)
        assert CAL.workdays_between(start, deadline - np.timedelta64(1, "D")) == n - 1


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(covered_days, st.integers(0, 40)), min_size=1, max_size=20))
def test_add_workdays_vectorised_equals_scalar(pairs):
    pairs = [(s, n) for s, n in pairs if s <= date(2026, 10, 31)]
    if not pairs:
        return
    starts, ns = zip(*pairs, strict=True)
    got = CAL.add_workdays(np.array(starts, dtype="datetime64[D]"), list(ns))
    assert got.tolist() == [CAL.add_workdays(s, n).item() for s, n in pairs]


# -- the documentation example --------------------------------------------------------------


def test_docs_example_output():
    text = (ROOT / "docs" / "workdays.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    expected = re.search(r"```text\n(.*?)```", text, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "workdays.md#python1", "exec"), {})  # noqa: S102 - our own docs
    # 2 = Spring Festival count; 2023-10-27 = the 20-day deadline; [False True] = Sat 02-17 off, Sun 02-18 make-up.
    assert out.getvalue() == expected == "2\n2023-10-27\n[False  True]\n"
