"""Trends in the notice (通报中的历年比较), from the assessment ledger's history.

Per group of the current result and against the history's base period
(上年 for an annual result, 上期 for a quarter):

* 较上年提升/下降N位: a unit's rank now against its rank then, only when the
  unit was ranked in the same group (id or name) then; a unit vetoed now
  (单项否决, not ranked) has no change.
* 进步较快单位: rank up by at least ``[notice] improved_places`` places and,
  when the group's full score is the same in both periods, a higher total;
  most places first, at most ``improved_top``.
* 排名下降较多: rank down by at least ``[notice] declined_places`` places
  (0: nobody is named).
* 连续两年不合格: the lowest grade of the group now, and a grade of the same
  name in the base period, which must be the period right before this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from zwgk_score.outputs.attachments import display_order
from zwgk_score.results import Results

if TYPE_CHECKING:
    from zwgk_score.outputs.periods import PeriodHistory


@attrs.frozen
class RankChange:
    """One unit's rank and total now against the base period (places > 0: rose)."""

    unit: str
    prev_rank: int
    rank: int
    places: int
    #: None when the totals are not comparable (a different full score)
    total_change: float | None


def rank_changes(results: Results, history: PeriodHistory, group_id: str) -> dict[str, RankChange]:
    """The comparable rank changes of one group's units (vetoed units left out)."""
    s = results.summary[results.summary["group"] == group_id]
    prec = results.rubric.meta.precision
    out = {}
    for unit, veto in zip(s["unit"], s["veto"], strict=True):
        pair = history.comparable_rank(str(unit))
        if pair is None or bool(veto):
            continue
        then, now = pair
        assert then.rank is not None and now.rank is not None  # checked by comparable_rank
        change = None
        if (
            history.comparable_totals(group_id, then.group)
            and then.total is not None
            and now.total is not None
        ):
            change = round(now.total - then.total, prec)
        out[str(unit)] = RankChange(str(unit), then.rank, now.rank, then.rank - now.rank, change)
    return out


def change_text(change: RankChange | None) -> str:
    """提升2位 / 下降1位 / 持平, or — when not comparable."""
    if change is None:
        return "—"
    if change.places > 0:
        return f"提升{change.places}位"
    if change.places < 0:
        return f"下降{-change.places}位"
    return "持平"


def _score(x: float, precision: int) -> str:
    return f"{x:.{precision}f}"


def group_trend(
    results: Results,
    history: PeriodHistory,
    group_id: str,
    *,
    improved_places: int,
    improved_top: int,
    declined_places: int,
) -> dict[str, Any] | None:
    """The trend part of one group's section of the notice, or None without a base period."""
    base = history.base
    if base is None:
        return None
    prec = results.rubric.meta.precision
    versus = history.versus
    changes = rank_changes(results, history, group_id)
    totals = any(c.total_change is not None for c in changes.values())
    up = [
        c
        for c in changes.values()
        if c.places >= improved_places and (c.total_change is None or c.total_change > 0)
    ]
    up.sort(key=lambda c: (-c.places, -(c.total_change or 0.0), c.unit))
    down = [c for c in changes.values() if declined_places and -c.places >= declined_places]
    down.sort(key=lambda c: (c.rank, c.unit))
    rise = "提升" if improved_places <= 1 else f"提升{improved_places}位及以上"
    rule = f"排名{versus}{rise}" + ("且总分提高" if totals else "")
    group = results.rubric.group(group_id)
    lowest = group.lowest_grade
    ordered = display_order(results, group_id)
    repeat = []
    if history.consecutive:
        for unit, grade in zip(ordered["unit"], ordered["grade"], strict=True):
            then = base.points.get(str(unit))
            if str(grade) == lowest and then is not None and then.grade == lowest:
                repeat.append(str(unit))
    counts = {
        "up": sum(c.places > 0 for c in changes.values()),
        "down": sum(c.places < 0 for c in changes.values()),
        "same": sum(c.places == 0 for c in changes.values()),
    }
    return {
        "baseline": base.label,
        "versus": versus,
        "improved_rule": rule,
        "improved": [
            {
                "unit": c.unit,
                "versus": versus,
                "places": c.places,
                "prev_rank": c.prev_rank,
                "rank": c.rank,
                "total_change": "" if c.total_change is None else _score(c.total_change, prec),
            }
            for c in up[:improved_top]
        ],
        "declined_rule": f"排名{versus}下降{declined_places}位及以上" if declined_places else "",
        "declined": [
            {
                "unit": c.unit,
                "versus": versus,
                "places": -c.places,
                "prev_rank": c.prev_rank,
                "rank": c.rank,
            }
            for c in down
        ],
        "repeat_failed": repeat,
        "repeat_text": f"{history.span}{lowest}" if repeat else "",
        "changes": {u: change_text(c) for u, c in changes.items()},
        "counts": counts,
        "summary": f"与{base.label}相比，{counts['up']}个单位排名提升、"
        f"{counts['down']}个下降、{counts['same']}个持平。"
        if changes
        else "",
    }


def add_change_column(
    table: dict[str, Any], trend: dict[str, Any] | None, baseline: str
) -> dict[str, Any]:
    """The ranking attachment with a column 较上年排名 (提升2位 / 下降1位 / 持平 / —) appended."""
    if trend is None:
        return table
    unit_col = table["headers"].index("单位")
    changes = trend["changes"]
    out = dict(table)
    out["headers"] = [*table["headers"], f"{trend['versus']}排名"]
    out["numeric"] = [*table["numeric"], False]
    out["rows"] = [[*row, changes.get(row[unit_col], "—")] for row in table["rows"]]
    clause = (
        f"“{trend['versus']}排名”与{baseline}的排名比较，"
        f"{baseline}未参加考核、考核类别不同或本期单项否决的单位为“—”"
    )
    out["note_parts"] = [*table.get("note_parts", []), clause]
    out["note"] = "注：" + "；".join(out["note_parts"]) + "。"
    return out
