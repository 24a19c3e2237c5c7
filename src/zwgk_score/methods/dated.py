"""Methods on dated rows (按日期计分): periodic publication and task deadlines.

* ``periodic`` (定期发布): "每月定期发布" — the distinct months (quarters,
  weeks) of the assessment year covered by a publication log, against the
  number required;
* ``deadline`` (完成时限): "9月底前建成专区" — the completion date against the
  task's due date, written as the plan writes it (``10月中旬``, ``年底前``,
  ``2023-09-30``), parsed by the task-ledger collector's own parser.

Dates in the rows' ``text``: ``2023-03-15``, ``2023/3/15``, ``2023年3月15日``,
``2023.3.15`` (as the office exports write them).
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.methods.base import Array, Cell, InputKind, LeafData, Method, fmt

PERIODS = {"month": ("月", 12), "quarter": ("季度", 4), "week": ("周", 52)}


#: columns of at most this many texts are parsed once (memoised); longer ones every time
_MEMO_TEXTS = 2000


def _dates(texts: Array) -> pd.Series:
    """Each text parsed as a date (NaT when blank or not a date).

    A short column (a city's units) is parsed once: ``check_value`` and
    ``score`` parse the same leaf's texts and ``describe`` each cell's again.
    """
    strings = tuple(str(t) for t in texts)
    if len(strings) > _MEMO_TEXTS:
        return _parse(strings)
    out: pd.Series = _parsed_dates(strings).copy()
    return out


def _parse(texts: tuple[str, ...]) -> pd.Series:
    from zwgk_score.collect.tables import parse_dates

    return parse_dates(pd.Series(list(texts), dtype=object).astype("string"))


@functools.lru_cache(maxsize=256)
def _parsed_dates(texts: tuple[str, ...]) -> pd.Series:
    return _parse(texts)


def cn_date(d: date | pd.Timestamp) -> str:
    """A date as a person reads it: 2023年9月30日."""
    return f"{d.year}年{d.month}月{d.day}日"


@attrs.define
class PeriodicParams:
    year: int
    period: str = "month"
    required: int | None = None
    mode: str = "ratio"
    per: float | None = None


class Periodic(Method[PeriodicParams]):
    """Distinct periods of ``year`` covered by dated rows, against ``required``.

    ratio (default): P × min(covered ÷ required, 1); deduct: P − ``per`` × missing
    periods, not below 0.  ``required`` defaults to every period of the year
    (12 months, 4 quarters, 52 weeks).  Dates outside ``year`` are not counted.
    """

    name = "periodic"
    title = "定期发布"
    params_type = PeriodicParams
    kind = InputKind.DATES

    def _required(self, params: PeriodicParams) -> int:
        return params.required if params.required is not None else PERIODS[params.period][1]

    def check(self, params: PeriodicParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if params.period not in PERIODS:
            errs.append(("period", "period 应为 month（月）、quarter（季度）或 week（周）"))
            return errs
        top = PERIODS[params.period][1] + (1 if params.period == "week" else 0)
        if params.required is not None and not 1 <= params.required <= top:
            errs.append(("required", f"required（要求的期数）应在 1 到 {top} 之间"))
        if params.mode not in ("ratio", "deduct"):
            errs.append(("mode", "mode 应为 ratio（按覆盖比例）或 deduct（每缺一期扣分）"))
        if params.mode == "deduct" and (params.per is None or params.per <= 0):
            errs.append(("per", "mode = deduct 时须给出大于 0 的 per（每缺一期扣分）"))
        return errs

    def check_value(
        self, params: PeriodicParams, points: float, values: Array, texts: Array
    ) -> str | None:
        bad = _dates(texts).isna().to_numpy()
        if bad.any():
            return f"无法识别的发布日期「{texts[bad][0]}」（写成 2023-03-15 或 2023年3月15日）"
        return None

    def row_key(self, params: PeriodicParams, values: Array, texts: Array) -> Array:
        d = _dates(texts)
        if params.period == "week":
            iso = d.dt.isocalendar()
            key = np.where(iso["year"].to_numpy() == params.year, iso["week"].to_numpy() - 1, -1)
        else:
            month = d.dt.month.to_numpy() - 1
            per = month // 3 if params.period == "quarter" else month
            key = np.where(d.dt.year.to_numpy() == params.year, per, -1)
        out: Array = key.astype(np.int64)
        return out

    def score(self, params: PeriodicParams, points: float, d: LeafData) -> Array:
        covered = d.distinct if d.distinct is not None else np.zeros(len(d.n))
        required = self._required(params)
        if params.mode == "deduct":
            missing = np.maximum(required - covered, 0.0)
            per = params.per if params.per is not None else 0.0
            out: Array = np.maximum(points - per * missing, 0.0)
            return out
        out = points * np.minimum(covered / required, 1.0)
        return out

    def describe_rows(self, params: PeriodicParams) -> bool:
        return True

    def describe_fields(self, params: PeriodicParams) -> tuple[str, ...]:
        return ("score",)

    def describe(self, params: PeriodicParams, points: float, cell: Cell) -> str:
        if cell.score >= points:
            return ""
        word = PERIODS[params.period][0]
        required = self._required(params)
        need = f"要求 {required} 个{word}"
        if not cell.rows:  # dense input: no rows to name the periods from
            return f"{params.year}年按{word}发布不足，{need}"
        texts = np.array([t for _, t in cell.rows], dtype=object)
        keys = self.row_key(params, np.zeros(len(texts)), texts)
        covered = len({int(k) for k in keys if k >= 0})
        text = f"{params.year}年按{word}发布覆盖 {covered} 个{word}，{need}"
        if params.mode == "deduct":
            missing = max(required - covered, 0)
            text += f"，缺 {missing} 个，每缺一个扣 {fmt(params.per or 0)} 分"
        return text


@attrs.define
class DeadlineParams:
    due: str
    year: int
    late_share: float = 0.0


class _DueRecords:
    """Stands in for the collector's records: a bad due date is reported by the rubric check."""

    class Bad(Exception):
        pass

    def error(self, pos: int, name: str, message: str, hint: str | None = None) -> Exception:
        return _DueRecords.Bad(message)


@functools.lru_cache(maxsize=1024)
def due_date(expression: str, year: int) -> pd.Timestamp | None:
    """The plan's 完成时限 (``10月中旬``, ``年底前``, ``9月底前``, ``2023-09-30``) as a date.

    Parsed by :func:`zwgk_score.collect.task_ledger.parse_deadlines` (the
    task ledger's own parser; the forms plans write by its scalar twin
    :func:`~zwgk_score.collect.task_ledger.deadline_of`); None for an ongoing
    task (持续推进) or an expression it does not know.  Memoised: the rubric check, the scoring and
    every reason text ask for the same few expressions, and the vectorised
    parser costs milliseconds per call (a Timestamp is immutable).
    """
    from zwgk_score.collect.task_ledger import deadline_of, parse_deadlines

    # 「12月31日前」: a day without a year is in ``year`` (the ledger parser wants a full date)
    m = re.fullmatch(r"(\d{1,2})月(\d{1,2})日前?", expression.strip())
    if m:
        expression = f"{year}-{m.group(1)}-{m.group(2)}"
    quick = deadline_of(expression.strip(), year)  # the same reading, without pandas
    if quick is not None:
        day, endless = quick
        return None if endless or day is None else pd.Timestamp(day)
    try:
        deadline, ongoing = parse_deadlines(
            _DueRecords(),  # type: ignore[arg-type]  # only .error() is used
            pd.Series([expression.strip()], dtype=object).astype("string"),
            year,
        )
    except _DueRecords.Bad:
        return None
    first: Any = deadline.iat[0]
    if ongoing[0] or pd.isna(first):
        return None
    out: pd.Timestamp = pd.Timestamp(first)
    return out


class Deadline(Method[DeadlineParams]):
    """A task done by its due date: P; done late: P × ``late_share``; not done: 0.

    The row's ``text`` is the completion date (blank = not completed at the check);
    ``due`` is the plan's own 完成时限, ``year`` the year it is in unless it names one.
    """

    name = "deadline"
    title = "完成时限"
    params_type = DeadlineParams
    kind = InputKind.DATE

    def check(self, params: DeadlineParams, points: float) -> list[tuple[str, str]]:
        errs = []
        if due_date(params.due, params.year) is None:
            errs.append(
                (
                    "due",
                    f"无法识别的完成时限「{params.due}」"
                    "（写成 2023-09-30、「9月底前」「10月中旬」「年底前」；持续推进的任务不用本方法）",
                )
            )
        if not 0 <= params.late_share < 1:
            errs.append(("late_share", "late_share（逾期完成得分比例）应在 [0, 1) 之间"))
        return errs

    def check_value(
        self, params: DeadlineParams, points: float, values: Array, texts: Array
    ) -> str | None:
        given = np.array([bool(str(t).strip()) for t in texts], dtype=bool)
        bad = given & _dates(texts).isna().to_numpy()
        if bad.any():
            return f"无法识别的完成日期「{texts[bad][0]}」（未完成的留空）"
        return None

    def score(self, params: DeadlineParams, points: float, d: LeafData) -> Array:
        due = due_date(params.due, params.year)
        done = _dates(d.text)
        on_time = (done <= due).to_numpy() & done.notna().to_numpy()
        late = (done > due).to_numpy() & done.notna().to_numpy()
        out: Array = np.where(on_time, points, np.where(late, points * params.late_share, 0.0))
        return out

    def describe_fields(self, params: DeadlineParams) -> tuple[str, ...]:
        return ("score", "text")

    def describe(self, params: DeadlineParams, points: float, cell: Cell) -> str:
        if cell.score >= points:
            return ""
        due = due_date(params.due, params.year)
        assert due is not None  # check() rejected any other
        limit = f"时限{cn_date(due)}（{params.due}）"
        done: Any = _dates(np.array([cell.text], dtype=object)).iat[0]
        if pd.isna(done):
            return f"截至检查未完成，{limit}"
        days = int((pd.Timestamp(done) - due).days)
        return f"{cn_date(done)}完成，晚于{limit}，逾期 {days} 天"
