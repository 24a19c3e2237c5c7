"""Chinese working-day calendar (工作日历) for timeliness rules (时限规则).

A day is a working day (工作日) when it is Monday to Friday and not a
statutory holiday (法定节假日), or when it is a Saturday/Sunday declared a
make-up working day (调休上班日).  The data for 2004–2026 come from the
``chinesecalendar`` package; later (or earlier) years are added from the
assessment config section ``[calendar.YEAR]``.

Counting follows the national regulation: the day of receipt is not counted,
the first working day (第1个工作日) is the next working day after it.

Every query is vectorised: the calendar holds a cumulative count of working
days over its whole day range, and a question about ten million pairs is two
array look-ups.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NewType

import attrs
import numpy as np
import pandas as pd

from zwgk_score.errors import CalendarError, ConfigError
from zwgk_score.structure import Invalid, Year, make_converter, structure, toml_line

__all__ = ["CalendarYear", "WorkCalendar", "calendar_years"]

_DAY = "datetime64[D]"
_KINDS = ("holidays", "workdays")


@lru_cache(maxsize=1)
def _package_days() -> tuple[int, int, tuple[date, ...], tuple[date, ...]]:
    """Coverage and the special days of the ``chinesecalendar`` package."""
    from chinese_calendar import constants

    first = min(constants.holidays).year
    last = max(constants.holidays).year
    return first, last, tuple(sorted(constants.holidays)), tuple(sorted(constants.workdays))


def _year_hint(year: int, file: str | None) -> str:
    where = f"考核配置 {file}" if file else "考核配置"
    return (
        f"在{where} 中添加 [calendar.{year}] 一节，写明该年的 holidays（法定节假日）"
        f'和 workdays（调休上班日），如 holidays = ["{year}-01-01"]、workdays = []'
    )


def _year_key(value: Any, _type: Any) -> int:
    """A ``[calendar.YEAR]`` key: four digits (TOML keys are text) or an int (Python API)."""
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not re.fullmatch(r"\d{4}", text):
        raise Invalid(f"「{value}」不是年份", hint="键应为四位年份，如 [calendar.2027]")
    return int(_CONVERTER.structure(int(text), Year))


@attrs.frozen
class CalendarYear:
    """One ``[calendar.YEAR]`` table: the year's special days."""

    #: statutory holidays (法定节假日) falling on a weekday
    holidays: list[date] = attrs.Factory(list)
    #: Saturdays/Sundays declared make-up working days (调休上班日)
    workdays: list[date] = attrs.Factory(list)


_YearKey = NewType("_YearKey", int)
_CONVERTER = make_converter()
_CONVERTER.register_structure_hook(_YearKey, _year_key)
_CALENDAR_HINT = '写成 [calendar.2027]，其中 holidays = ["2027-01-01"]、workdays = []'


def calendar_years(
    table: Mapping[Any, Any] | None,
    *,
    file: str | Path | None = None,
    path: str = "calendar",
    text: str | None = None,
) -> dict[int, CalendarYear]:
    """Structure ``{year: {"holidays": [...], "workdays": [...]}}`` (the ``[calendar]`` table).

    Dates are TOML dates or ``YYYY-MM-DD`` strings.  Besides the types, each
    date must lie in its year and no date may be both a holiday and a workday.

    Raises:
        ConfigError: at ``calendar.2027.holidays[3]`` and so on (with the
            TOML line when ``text`` is given).
    """
    years: dict[_YearKey, CalendarYear] = structure(
        {} if table is None else dict(table) if isinstance(table, Mapping) else table,
        dict[_YearKey, CalendarYear],
        error=ConfigError,
        file=file,
        path=path,
        hint=_CALENDAR_HINT,
        text=text,
        converter=_CONVERTER,
    )
    out: dict[int, CalendarYear] = {}
    for key, entry in years.items():
        year, where = int(key), f"{path}.{key}"
        if year in out:
            raise ConfigError(f"{year} 年重复出现", file=file, path=where)
        for kind in _KINDS:
            for i, day in enumerate(getattr(entry, kind)):
                if day.year != year:
                    item = f"{where}.{kind}[{i}]"
                    raise ConfigError(
                        f"日期 {day} 不属于 {year} 年",
                        file=file,
                        path=item,
                        line=toml_line(text, item),
                        hint=f"移到 [calendar.{day.year}]",
                    )
        both = sorted(set(entry.holidays) & set(entry.workdays))
        if both:
            raise ConfigError(
                f"日期 {both[0]} 同时列为节假日和调休上班日",
                file=file,
                path=where,
                line=toml_line(text, where),
                hint="从 holidays 或 workdays 中删去其一",
            )
        out[year] = entry
    return out


class WorkCalendar:
    """Working-day calendar (工作日历) over a contiguous range of whole years.

    Build it with :meth:`china` or :meth:`from_config`.  All queries accept a
    scalar (``date``, ``datetime``, ``"YYYY-MM-DD"``, ``pd.Timestamp``,
    ``np.datetime64``) or an array-like (list, numpy array, pandas Series or
    DatetimeIndex); times of day are floored to the day.  Scalars give numpy
    scalars, anything else a numpy array of the broadcast shape.

    Attributes:
        first_year: first covered year.
        last_year: last covered year.
    """

    __slots__ = ("first_year", "last_year", "_base", "_workday", "_cum", "_positions", "_file")

    def __init__(
        self, first_year: int, last_year: int, workday: np.ndarray, *, file: str | None = None
    ) -> None:
        """Wrap a boolean working-day flag per day from 1 January ``first_year``.

        Prefer :meth:`china` or :meth:`from_config`.

        Args:
            first_year: first covered year.
            last_year: last covered year.
            workday: one flag per day of ``first_year``..``last_year``.
            file: config file named in the hint of out-of-coverage errors.
        """
        self.first_year = int(first_year)
        self.last_year = int(last_year)
        self._base = np.datetime64(f"{self.first_year:04d}-01-01", "D").astype(np.int64)
        stop = np.datetime64(f"{self.last_year + 1:04d}-01-01", "D").astype(np.int64)
        workday = np.asarray(workday, dtype=bool)
        if workday.shape != (stop - self._base,):
            raise ValueError("workday must have one flag per covered day")
        self._workday = workday
        self._workday.flags.writeable = False
        # _cum[i]: working days among days 0..i (day 0 = 1 January first_year).
        self._cum = np.cumsum(workday, dtype=np.int64)
        self._cum.flags.writeable = False
        # _positions[j]: day index of the (j+1)-th working day.
        self._positions = np.flatnonzero(workday).astype(np.int64)
        self._file = file

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def china(
        cls, extra_years: Mapping[int, Mapping[str, Sequence[date | str]]] | None = None
    ) -> WorkCalendar:
        """The mainland calendar of ``chinesecalendar`` (2004–2026) plus extra years.

        Args:
            extra_years: ``{2027: {"holidays": [...], "workdays": [...]}}``: the
                statutory holidays (法定节假日) and make-up working days
                (调休上班日) of years outside the package coverage.  They must
                continue the coverage without a gap.  For a covered year the
                dates are applied on top of the package data.

        Raises:
            ConfigError: a bad year key, date or a gap between years (path
                ``extra_years.2027.holidays[0]`` and so on).
        """
        return cls.from_years(calendar_years(extra_years, path="extra_years"), path="extra_years")

    @classmethod
    def from_config(
        cls,
        table: Mapping[Any, Any] | None,
        *,
        file: str | Path | None = None,
        path: str = "calendar",
    ) -> WorkCalendar:
        """Build from the assessment-config section ``[calendar.YEAR]``.

        Args:
            table: the parsed ``calendar`` table (keys are years, as strings
                from TOML or ints), or ``None`` for the package calendar only.
            file: the config file, named in errors.
            path: where the table sits in the config, for error locations.

        Raises:
            ConfigError: e.g. ``calendar.2027.holidays[3]`` is not a date.
        """
        return cls.from_years(calendar_years(table, file=file, path=path), file=file, path=path)

    @classmethod
    def from_years(
        cls,
        years: Mapping[int, CalendarYear] | None,
        *,
        file: str | Path | None = None,
        path: str = "calendar",
    ) -> WorkCalendar:
        """Package data plus already structured extra years (see :func:`calendar_years`).

        Raises:
            ConfigError: a gap between the package coverage and an extra year.
        """
        file = str(file) if file is not None else None
        first, last, holidays, workdays = _package_days()
        years = dict(years or {})
        lo, hi = first, last
        for year in sorted(y for y in years if y > last):
            if year != hi + 1:
                raise ConfigError(
                    f"缺少 {hi + 1} 年的工作日历，无法接续到 {year} 年",
                    file=file,
                    path=f"{path}.{year}",
                    hint=_year_hint(hi + 1, file),
                )
            hi = year
        for year in sorted((y for y in years if y < first), reverse=True):
            if year != lo - 1:
                raise ConfigError(
                    f"缺少 {lo - 1} 年的工作日历，无法接续到 {year} 年",
                    file=file,
                    path=f"{path}.{year}",
                    hint=_year_hint(lo - 1, file),
                )
            lo = year
        days = np.arange(f"{lo:04d}-01-01", f"{hi + 1:04d}-01-01", dtype=_DAY)
        # 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Monday.
        weekday = (days.astype(np.int64) + 3) % 7
        flags = weekday < 5
        base = days[0].astype(np.int64)

        def put(dates: Sequence[date], value: bool) -> None:
            if dates:
                idx = np.array(dates, dtype=_DAY).astype(np.int64) - base
                flags[idx] = value

        put(holidays, False)
        put(workdays, True)
        for entry in years.values():
            put(entry.holidays, False)
            put(entry.workdays, True)
        return cls(lo, hi, flags, file=file)

    # -- queries --------------------------------------------------------------------------

    def is_workday(self, dates: Any) -> Any:
        """Whether each date is a working day (工作日).

        Raises:
            CalendarError: an empty date (NaT) or a date outside the coverage.
        """
        idx, scalar = self._index(dates, "日期")
        out = self._workday[idx]
        return out[()] if scalar else out

    def workdays_between(self, start: Any, end: Any) -> Any:
        """Working days strictly after ``start`` up to and including ``end``.

        The day of receipt is not counted: received Friday, answered the next
        Monday gives 1; the same day gives 0.  When ``end`` is before ``start``
        the count is the mirror, ``-workdays_between(end, start)``.

        Returns:
            int64 counts, broadcast over ``start`` and ``end``.

        Raises:
            CalendarError: an empty date (NaT) or a date outside the coverage.
        """
        s, s_scalar = self._index(start, "起始日期")
        e, e_scalar = self._index(end, "截止日期")
        out = np.subtract(self._cum[e], self._cum[s])
        return out[()] if s_scalar and e_scalar else out

    def add_workdays(self, start: Any, n: Any) -> Any:
        """The date that is ``n`` working days after ``start`` (the deadline, 期限).

        ``n = 0`` gives ``start`` itself; ``n > 0`` the n-th working day after
        it, so ``workdays_between(start, add_workdays(start, n)) == n``;
        ``n < 0`` the ``|n|``-th working day before ``start``.

        Returns:
            ``datetime64[D]`` dates, broadcast over ``start`` and ``n``.

        Raises:
            CalendarError: an empty start date, or a start date or result
                outside the coverage.
        """
        s, s_scalar = self._index(start, "起始日期")
        steps = np.asarray(n)
        if steps.dtype.kind not in "iu":
            if (
                steps.dtype.kind == "f"
                and np.all(np.isfinite(steps))
                and np.all(steps == np.round(steps))
            ):
                steps = steps.astype(np.int64)
            else:
                raise TypeError("n must be whole numbers of working days")
        s, steps = np.broadcast_arrays(s, steps.astype(np.int64, copy=False))
        # Working days up to and including start (k) / strictly before start (m).
        k = self._cum[s]
        pos = np.where(steps > 0, k + steps - 1, k - self._workday[s] + steps)
        total = self._positions.shape[0]
        bad = (steps != 0) & ((pos < 0) | (pos >= total))
        if bad.any():
            i = int(np.flatnonzero(bad.ravel())[0])
            year = self.last_year + 1 if pos.ravel()[i] >= total else self.first_year - 1
            day = np.datetime64(int(self._base + s.ravel()[i]), "D")
            raise CalendarError(
                f"{day}（位置 {i}，从 0 起计）起 {int(steps.ravel()[i])} 个工作日落在 {year} 年，"
                f"超出工作日历范围（{self.first_year}–{self.last_year} 年）",
                hint=_year_hint(year, self._file),
            )
        day_idx = np.where(steps == 0, s, self._positions[np.clip(pos, 0, max(total - 1, 0))])
        out = (day_idx + self._base).astype(_DAY)
        return out[()] if s_scalar and np.ndim(n) == 0 else out

    # -- input handling -------------------------------------------------------------------

    def _index(self, dates: Any, label: str) -> tuple[np.ndarray, bool]:
        """Day indices into the calendar arrays, and whether the input was a scalar."""
        days, scalar = _to_days(dates, label)
        idx = days.view(np.int64) - self._base
        size = self._cum.shape[0]
        # One pass: NaT (min int64) and every out-of-range index fail the unsigned test.
        if idx.size and (idx.view(np.uint64) >= size).any():
            self._raise_bad(days, idx, label)
        return idx, scalar

    def _raise_bad(self, days: np.ndarray, idx: np.ndarray, label: str) -> None:
        flat_days = days.ravel()
        nat = np.isnat(flat_days)
        if nat.any():
            first = int(np.flatnonzero(nat)[0])
            raise CalendarError(
                f"{label}中有 {int(nat.sum())} 个为空（NaT），第一个位于位置 {first}（从 0 起计）",
                hint="先剔除或补全缺失的日期再计算工作日",
            )
        flat = idx.ravel()
        outside = (flat < 0) | (flat >= self._cum.shape[0])
        first = int(np.flatnonzero(outside)[0])
        year = int(flat_days[first].astype("datetime64[Y]").astype(np.int64)) + 1970
        raise CalendarError(
            f"{label} {flat_days[first]}（位置 {first}，从 0 起计）所在的 {year} 年"
            f"不在工作日历范围内（{self.first_year}–{self.last_year} 年），"
            f"共 {int(outside.sum())} 个日期超出范围",
            hint=_year_hint(year, self._file),
        )

    def __repr__(self) -> str:
        return f"WorkCalendar({self.first_year}–{self.last_year})"


def _to_days(values: Any, label: str) -> tuple[np.ndarray, bool]:
    """Convert scalars or array-likes to ``datetime64[D]`` (floored), keeping NaT."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype(_DAY, copy=False), False
    if isinstance(values, (pd.Series, pd.Index)):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = (
                values.dt.tz_localize(None)
                if isinstance(values, pd.Series)
                else pd.DatetimeIndex(values).tz_localize(None)
            )
        if values.dtype.kind == "M":
            return values.to_numpy().astype(_DAY, copy=False), False
        values = values.to_numpy(dtype=object)
    scalar = np.ndim(values) == 0 and not isinstance(values, np.ndarray)
    if isinstance(values, np.datetime64):
        return np.asarray(values).astype(_DAY), True
    arr = np.array([values], dtype=object) if scalar else np.asarray(values, dtype=object)
    flat = arr.ravel()
    parsed = pd.to_datetime(pd.Series(flat, dtype=object), errors="coerce", format="ISO8601")
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_localize(None)
    unreadable = parsed.isna().to_numpy() & ~pd.isna(flat)
    if unreadable.any():
        first = int(np.flatnonzero(unreadable)[0])
        raise CalendarError(
            f"{label}「{flat[first]}」无法识别（位置 {first}，从 0 起计），"
            f"共 {int(unreadable.sum())} 个无法识别",
            hint="日期写成 YYYY-MM-DD，如 2024-02-18",
        )
    days = parsed.to_numpy().astype(_DAY).reshape(arr.shape)
    return (days.reshape(()) if scalar else days), scalar
