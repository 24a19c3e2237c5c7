"""History (历年结果): every published result in the ledger, side by side across periods and years.

Totals, grades and ranks are always comparable.  Indicator scores are
compared only between results of the same rubric, or of rubrics that declare
each other comparable (``[meta] comparable_with`` in the rubric), matched by
indicator id and equal points; every other indicator is reported as 不可比,
never silently compared.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa

from zwgk_score.config import AssessmentConfig
from zwgk_score.errors import DataError
from zwgk_score.ledger import Ledger
from zwgk_score.ledger import schema as t
from zwgk_score.ledger.store import now_text
from zwgk_score.loop.sheets import Cell, SheetSpec, write_workbook
from zwgk_score.outputs.notice import period_label
from zwgk_score.outputs.periods import HALF, QUARTER, PeriodHistory, PeriodResult, period_kind
from zwgk_score.results import Results

SERIES_COLUMNS = (
    "考核",
    "期别",
    "年度",
    "细则",
    "类别",
    "单位数",
    "总分",
    "等次",
    "排名",
    "总分变化",
    "排名变化",
)


def period_key(year: int, period: str) -> tuple[int, int, str]:
    """Order of periods: quarters of a year, then its half-years, then the year itself.

    Stored periods (2023Q1) and printed labels (2023年第一季度) order alike.
    """
    kind, _, index = period_kind(period)
    if kind == QUARTER:
        return (year, index, period)
    if kind == HALF:
        return (year, 2 * index, period)
    return (year, 9, period)


def import_results(
    ledger: Ledger, path: str | Path, *, assessment: str | None = None, year: int | None = None
) -> int:
    """Store an existing results.json in the ledger (the same content is stored once); return its id."""
    p = Path(path)
    try:
        content = json.loads(p.read_text(encoding="utf-8"))
        rubric = content["rubric"]
        content["units"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(
            f"不是 zwgk-score 的结果文件（{type(exc).__name__}）",
            file=p,
            hint="给出 run 写出的 results.json",
        ) from None
    period = str(content.get("period") or rubric.get("year"))
    y = year or int(str(period)[:4])
    with ledger.begin() as w:
        return w.record_result(
            content,
            assessment=assessment or str(rubric.get("title", "")),
            year=y,
            published_at=now_text(),
        )


def _frame(ledger: Ledger) -> pd.DataFrame:
    """Every unit row of the latest result of each (assessment, period)."""
    latest = {r["id"]: r for r in ledger.results()}
    if not latest:
        return cast(
            pd.DataFrame,
            pd.DataFrame(
                columns=["result_id", "unit", "group_id", "group_name", "total", "grade", "rank"]
            ),
        )
    q = sa.select(t.result_units).where(t.result_units.c.result_id.in_(list(latest)))
    with ledger.engine.connect() as conn:
        df = pd.DataFrame([dict(r._mapping) for r in conn.execute(q)])
    meta = pd.DataFrame(
        [
            {
                "result_id": i,
                "assessment": r["assessment"],
                "period": r["period"],
                "year": r["year"],
                "rubric": r["rubric"],
                "order": period_key(r["year"], r["period"]),
            }
            for i, r in latest.items()
        ]
    )
    df = df.merge(meta, on="result_id")
    sizes = df.groupby(["result_id", "group_id"])["unit"].transform("count")
    df["size"] = sizes
    return cast(
        pd.DataFrame,
        df.sort_values(["order", "group_id", "rank", "unit"], kind="stable").reset_index(drop=True),
    )


def unit_series(ledger: Ledger, unit: str) -> pd.DataFrame:
    """A unit's totals, grades and ranks across every period in the ledger (oldest first).

    总分变化 / 排名变化 are against the unit's previous row (排名变化 positive = rose).
    """
    df = _frame(ledger)
    df = df[df["unit"] == unit].reset_index(drop=True)
    out = pd.DataFrame(
        {
            "考核": df["assessment"],
            "期别": [period_label(p, y) for p, y in zip(df["period"], df["year"], strict=True)],
            "年度": df["year"],
            "细则": df["rubric"],
            "类别": df["group_name"],
            "单位数": df["size"],
            "总分": df["total"],
            "等次": df["grade"],
            "排名": df["rank"],
        }
    )
    out["总分变化"] = (out["总分"] - out["总分"].shift(1)).round(2)
    out["排名变化"] = out["排名"].shift(1) - out["排名"]
    return cast(pd.DataFrame, out)


def group_series(ledger: Ledger, group: str) -> pd.DataFrame:
    """A group's units (rows) × periods (columns): 总分 / 等次 / 排名 per period.

    ``group`` is a group id or name; units are ordered by their latest rank.
    """
    df = _frame(ledger)
    df = df[(df["group_id"] == group) | (df["group_name"] == group)]
    if df.empty:
        raise DataError(
            f"考核台账库中没有考核类别「{group}」的结果", hint="给出考核类别的 id 或名称"
        )
    labels = {
        rid: period_label(p, y)
        for rid, p, y in zip(df["result_id"], df["period"], df["year"], strict=True)
    }
    order = list(dict.fromkeys(df["result_id"]))
    last = df[df["result_id"] == order[-1]].sort_values("rank")
    units = list(dict.fromkeys([*last["unit"], *df["unit"]]))
    cols: dict[str, list[Any]] = {"单位": units}
    for rid in order:
        part = df[df["result_id"] == rid].set_index("unit")
        for field, name in (("total", "总分"), ("grade", "等次"), ("rank", "排名")):
            cols[f"{labels[rid]}{name}"] = [
                part[field].get(u) if u in part.index else None for u in units
            ]
    return cast(pd.DataFrame, pd.DataFrame(cols))


def comparable(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two stored results' indicators may be compared by id (same or declared-comparable rubric)."""
    if a["rubric"] == b["rubric"]:
        return True
    return b["rubric"] in a["comparable_with"].split(";") or a["rubric"] in b[
        "comparable_with"
    ].split(";")


def compare_indicators(ledger: Ledger, unit: str, earlier: str, later: str) -> pd.DataFrame:
    """A unit's indicator scores in two periods (期别 as stored, e.g. 2023 and 2024).

    Rows: 指标编号, 上期得分, 本期得分, 变化, 说明.  Indicators are matched by
    id only when the rubrics are comparable and the points are equal; the others
    get 说明 不可比 and no 变化.
    """
    results = {r["period"]: r for r in ledger.results()}
    for p in (earlier, later):
        if p not in results:
            raise DataError(
                f"考核台账库中没有 {p} 的结果", hint=f"已有期别：{'、'.join(results) or '无'}"
            )
    a, b = results[earlier], results[later]

    def scores(r: dict[str, Any]) -> dict[str, tuple[float, float]]:
        q = sa.select(t.result_indicators).where(
            t.result_indicators.c.result_id == r["id"], t.result_indicators.c.unit == unit
        )
        with ledger.engine.connect() as conn:
            return {x.indicator: (x.score, x.points) for x in conn.execute(q) if x.applicable}

    sa_, sb = scores(a), scores(b)
    same = comparable(a, b)
    rows = []
    for ind in dict.fromkeys([*sb, *sa_]):
        before, after = sa_.get(ind), sb.get(ind)
        note = ""
        if not same:
            note = f"不可比：细则 {a['rubric']} 与 {b['rubric']} 未声明可比"
        elif before is None or after is None:
            note = "不可比：只在一期中考核"
        elif before[1] != after[1]:
            note = f"不可比：分值由 {before[1]:g} 变为 {after[1]:g}"
        ok = not note
        rows.append(
            {
                "指标编号": ind,
                "上期得分": before[0] if before else None,
                "本期得分": after[0] if after else None,
                "变化": round(after[0] - before[0], 2) if ok and before and after else None,
                "说明": note,
            }
        )
    return cast(
        pd.DataFrame,
        pd.DataFrame(rows, columns=["指标编号", "上期得分", "本期得分", "变化", "说明"]),
    )


def write_history(frame: pd.DataFrame, path: Path, *, title: str) -> Path:
    """Export a history table (unit or group series) to xlsx."""
    cols = list(frame.columns)
    widths = [max(8.0, min(30.0, 2.2 * len(str(c)) + 2)) for c in cols]
    spec = SheetSpec("历年结果", widths, header_row=1, protect=False)
    spec.add(Cell(0, 0, title, "title", merge_to=len(cols) - 1))
    spec.heights[0] = 30
    for i, c in enumerate(cols):
        spec.add(Cell(1, i, str(c), "header"))
    for k, row in enumerate(frame.itertuples(index=False)):
        for i, v in enumerate(row):
            if v is None or (isinstance(v, float) and v != v):
                spec.add(Cell(2 + k, i, "—", "center"))
            elif isinstance(v, int | float) and not isinstance(v, bool):
                spec.add(Cell(2 + k, i, float(v), "number"))
            else:
                spec.add(Cell(2 + k, i, str(v), "text"))
    epoch = dt.datetime(2000, 1, 1)
    return write_workbook(path, [spec], title=title, created=epoch)


def _current_year(results: Results) -> int:
    period = str(results.period or "")
    return int(period[:4]) if period[:4].isdigit() else results.rubric.meta.year


def current_period(results: Results, label: str | None = None) -> PeriodResult:
    """This run's result as one period of a history."""
    year = _current_year(results)
    return PeriodResult.from_summary(
        results.summary,
        period=str(results.period or year),
        year=year,
        rubric=results.rubric.meta.id,
        groups={g.id: (g.name, float(g.max_score)) for g in results.rubric.groups},
        label=label,
    )


def ledger_periods(ledger: Ledger, results: Results) -> list[PeriodResult]:
    """The published results of the periods before this one that share units with it, oldest first.

    Of several results of one period (two assessments) the one sharing most
    units wins, then the one published last.  This period itself (an earlier run
    of it) and later periods are left out, so a rerun writes the same documents.
    """
    year = _current_year(results)
    now = period_key(year, str(results.period or year))[:2]
    rows = [r for r in ledger.results() if period_key(r["year"], r["period"])[:2] < now]
    if not rows:
        return []
    mine = set(results.units)
    q = sa.select(t.result_units.c.result_id, t.result_units.c.unit).where(
        t.result_units.c.result_id.in_([r["id"] for r in rows])
    )
    shared: dict[int, int] = {}
    with ledger.engine.connect() as conn:
        for rid, unit in conn.execute(q):
            if unit in mine:
                shared[rid] = shared.get(rid, 0) + 1
    best: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not shared.get(r["id"]):
            continue
        held = best.get(r["period"])
        if held is None or (shared[r["id"]], r["id"]) > (shared[held["id"]], held["id"]):
            best[r["period"]] = r
    chosen = sorted(best.values(), key=lambda r: period_key(r["year"], r["period"]))
    return [PeriodResult.from_content(json.loads(r["content"]), year=r["year"]) for r in chosen]


def run_history(
    ledger: Ledger,
    results: Results,
    *,
    periods: Sequence[Results] = (),
    previous: Any = None,
) -> PeriodHistory | None:
    """What this run compares with: the ledger's earlier periods, the run's own other periods
    (quarters of a combined result) and ``previous`` (``[assessment] previous``), oldest first.

    None when the ledger holds no earlier period: the documents then stay as
    they are without a ledger.
    """
    found = ledger_periods(ledger, results)
    if not found:
        return None
    year = _current_year(results)
    labels = {p.label for p in found}
    extra = []
    for r in periods:
        p = PeriodResult.from_summary(
            r.summary,
            period=str(r.period or year),
            year=year,
            rubric=r.rubric.meta.id,
            groups={g.id: (g.name, float(g.max_score)) for g in r.rubric.groups},
        )
        if p.label not in labels:
            extra.append(p)
            labels.add(p.label)
    fallback = None
    if previous is not None:
        period = str(getattr(previous, "period", None) or "上期")
        p = PeriodResult.from_summary(previous.summary, period=period, year=year)
        fallback = p.label
        if p.label not in labels:
            extra.append(p)
    earlier = sorted(
        [*found, *extra],
        key=lambda p: period_key(int(p.period[:4]) if p.period[:4].isdigit() else year, p.period),
    )
    return PeriodHistory(earlier, current_period(results), fallback=fallback)


def config_history(
    cfg: AssessmentConfig,
    results: Results,
    *,
    periods: Sequence[Results] = (),
    previous: Any = None,
) -> PeriodHistory | None:
    """:func:`run_history` from the ledger of ``cfg`` (``[ledger]``), or None without one."""
    if not cfg.ledger:
        return None
    from zwgk_score.ledger import open_ledger
    from zwgk_score.loop.settings import loop_settings

    with open_ledger(loop_settings(cfg).target) as ledger:
        return run_history(ledger, results, periods=periods, previous=previous)
