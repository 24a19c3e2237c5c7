"""Chinese-header tables (中文表) shared by the Excel workbook, the notice and the CSVs.

Every function is pure: Results in, a pandas DataFrame with the column headers
users read out.  Missing data (缺失) is never hidden: ranking tables carry a
``缺失指标`` count and item tables a ``状态`` column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from zwgk_score.methods.base import ROLE_MAJOR, ROLE_SCORE, ROLE_VETO, fmt
from zwgk_score.results import Results

#: headers of :func:`deductions_frame`
DEDUCTION_COLUMNS = (
    "单位",
    "类别",
    "指标编号",
    "测评指标",
    "指标分值",
    "扣分",
    "状态",
    "失分原因",
    "佐证",
)


def domain_max(results: Results, group: str) -> dict[str, float]:
    """Points each 一级指标 can give a unit of ``group`` (its applicable scored leaves)."""
    out = {}
    for d in results.rubric.domains:
        # a deduction-only category (deduct_only) counts its own points; its rules have none
        out[d.id] = sum(
            n.points
            for n in d.walk()
            if group in n.groups
            and (
                n.deduct_only or (n.is_leaf and n.deduct_from is None and n.rule.role == ROLE_SCORE)
            )
        )
    return out


def rank_change_text(change: float) -> str:
    """``↑2`` / ``↓1`` / ``持平`` for a rank change (positive = moved up), ``新增`` when unknown."""
    if change != change:
        return "新增"
    c = int(change)
    return f"↑{c}" if c > 0 else f"↓{-c}" if c < 0 else "持平"


def ranking_frame(results: Results, group: str, previous: Results | None = None) -> pd.DataFrame:
    """The group's ranking with Chinese headers.

    Columns: 排名, 单位, each 一级指标（满分）, 加分, 重大扣分, 总分, 等次, 单项否决,
    折合绩效考核分（N分）, 缺失指标, and with ``previous`` also 上期排名 and 排名变化.
    For a combined result the domain, bonus and deduction columns are prefixed
    with the current part's name (年终考核·…) and each part's score follows.
    """
    table = results.ranking(group)
    rubric = results.rubric
    maxima = domain_max(results, group)
    units = [str(u) for u in table["unit"]]
    by_unit = results.summary.set_index("unit")
    names = by_unit.index.astype(str)
    # the columns in order, then one frame (inserting them one by one costs more than the rest)
    cols: dict[str, Any] = {"排名": table["rank"], "单位": table["unit"]}
    for d in rubric.domains:
        cols[f"{d.name}（{fmt(maxima[d.id])}分）" if maxima[d.id] else d.name] = table[d.id]
    cols["加分"] = table["bonus"]
    cols["重大扣分"] = table["major"]
    if results.parts:
        # a combined result: the columns above are the current part's; the total weighs every part
        current = next((name for pid, name, _ in results.parts if pid == results.current_part), "")
        if current:
            cols = {k if k in ("排名", "单位") else f"{current}·{k}": v for k, v in cols.items()}
        for pid, name, weight in results.parts:
            part = dict(zip(names, by_unit[f"part_{pid}"], strict=True))
            cols[f"{name}（占{fmt(weight)}%）"] = [part[u] for u in units]
    cols[f"总分（{fmt(rubric.group(group).max_score)}分）"] = table["total"]
    cols["等次"] = table["grade"]
    cols["单项否决"] = ["是" if v else "" for v in table["veto"]]
    cols[f"折合绩效考核分（{fmt(rubric.meta.performance_share)}分）"] = table["performance"]
    missing = dict(zip(names, by_unit["missing"], strict=True))
    cols["缺失指标"] = [int(missing[u]) for u in units]
    if previous is not None:
        cmp = results.compare(previous).set_index("unit")
        prev_rank = dict(zip(cmp.index.astype(str), cmp["prev_rank"], strict=True))
        change = dict(zip(cmp.index.astype(str), cmp["rank_change"], strict=True))
        cols["上期排名"] = [prev_rank[u] for u in units]
        cols["排名变化"] = [rank_change_text(change[u]) for u in units]
    return cast("pd.DataFrame", pd.DataFrame(cols, index=table.index))


def lost_items(results: Results, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Item rows that cost or flag something: lost points, missing data, triggered vetoes, major deductions.

    Same columns as :meth:`Results.items` (English), in roster then rubric order; pass
    ``items`` when it is already computed.
    """
    items = results.items() if items is None else items
    keep = (
        (items["lost"] != 0)
        | items["status"].str.startswith("缺失")
        | ((items["role"] == ROLE_VETO) & (items["score"] != 0))
        | ((items["role"] == ROLE_MAJOR) & (items["score"] != 0))
    )
    return cast("pd.DataFrame", items[keep].reset_index(drop=True))


def deductions_frame(
    results: Results,
    items: pd.DataFrame | None = None,
    *,
    with_source: bool = True,
    evidence: Mapping[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """扣分明细: 单位, 类别, 指标编号, 测评指标, 指标分值, 扣分, 状态, 失分原因, 佐证.

    扣分 is the points lost, the deduction itself for 重大扣分项, and 单项否决 for a veto.
    ``with_source=False`` leaves the source (file and row) out of 佐证 (see :func:`sources_frame`).
    ``evidence``: the 佐证 per (unit, indicator) when already computed (:func:`evidence_by_cell`).
    """
    rows = lost_items(results, items)
    lost = rows["lost"].astype(object)
    lost[rows["role"] == ROLE_MAJOR] = rows.loc[rows["role"] == ROLE_MAJOR, "score"]
    lost[rows["role"] == ROLE_VETO] = "单项否决"
    group_names = {g.id: g.name for g in results.rubric.groups}
    if evidence is None:
        evidence = evidence_by_cell(results, with_source=with_source)
    return cast(
        "pd.DataFrame",
        pd.DataFrame(
            {
                "单位": rows["unit"],
                "类别": rows["group"].map(group_names),
                "指标编号": rows["indicator"],
                "测评指标": rows["name"],
                "指标分值": rows["points"],
                "扣分": lost,
                "状态": rows["status"],
                "失分原因": rows["reason"],
                "佐证": [
                    evidence.get((u, i), "")
                    for u, i in zip(rows["unit"], rows["indicator"], strict=True)
                ],
            },
            columns=list(DEDUCTION_COLUMNS),
        ),
    )


def evidence_by_cell(
    results: Results,
    *,
    with_source: bool = True,
    cells: Iterable[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], str]:
    """Evidence text (and its source, for the 佐证 column) per (unit, indicator), joined with ``；``.

    ``cells``: only these (unit, indicator) cells (a notice names a few vetoes, not the
    evidence of every unit).
    """
    from zwgk_score.outputs.excel_detail import cell_evidence

    units, ids = results.units, [leaf.id for leaf in results.leaves]
    L = len(ids)
    wanted = None
    if cells is not None:
        index = {leaf: j for j, leaf in enumerate(ids)}
        wanted = np.array([results.unit_index[u] * L + index[i] for u, i in cells], dtype=np.int64)
    by_cell = cell_evidence(results, with_source=with_source, cells=wanted)
    return {(units[c // L], ids[c % L]): text for c, text in by_cell.items()}


def items_frame(results: Results, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """指标得分: every (unit, indicator) with points, score, lost points, status and reason."""
    items = results.items() if items is None else items
    rubric = results.rubric
    group_names = {g.id: g.name for g in rubric.groups}
    domain_names = {d.id: d.name for d in rubric.domains}
    titles = {name: m.title for name, m in results.methods.items()}
    return cast(
        "pd.DataFrame",
        pd.DataFrame(
            {
                "单位": items["unit"],
                "类别": items["group"].map(group_names),
                "一级指标": items["domain"].map(domain_names),
                "指标编号": items["indicator"],
                "测评指标": items["name"],
                "评分方法": items["method"].map(titles),
                "指标分值": items["points"],
                "得分": items["score"],
                "扣分": items["lost"],
                "状态": items["status"],
                "失分原因": items["reason"],
                "自评分": items["self_score"],
            }
        ),
    )


def rubric_frame(results: Results) -> pd.DataFrame:
    """考核细则: every indicator (indented by level) with points, method, groups and 评分说明."""
    rubric = results.rubric
    group_names = {g.id: g.name for g in rubric.groups}
    titles = {name: m.title for name, m in results.methods.items()}
    rows = []
    for node in rubric.nodes():
        rows.append(
            {
                "指标编号": node.id,
                "指标": "　" * (node.level - 1 if node.level > 0 else 0) + node.name,
                "层级": node.level,
                "分值": node.points,
                "评分方法": titles.get(node.method, node.method) if node.method else "",
                "适用类别": "、".join(group_names[g] for g in group_names if g in node.groups)
                if node.is_leaf
                else "",
                "评分说明": node.criteria or "",
                "对应任务": node.task or "",
                "牵头单位": node.lead or "",
                "完成时限": node.deadline or "",
            }
        )
    return cast("pd.DataFrame", pd.DataFrame(rows))


def adjusted_after(results: Results) -> bool:
    """A combined result whose bonus and major deductions count once, on the weighted total
    (``[combine] adjust_after``): the parts are then base scores."""
    return bool(results.parts) and results.combination is not None and results.combination.after


def weighted_total(results: Results, row: Mapping[str, Any], precision: int) -> str:
    """How a combined total is made, figures that add up.

    ``季度督查 98.78 × 20% + 年终考核 99.48 × 80%``, with ``+ 加分 2`` and ``− 重大扣分 5``
    when they count after weighting (:func:`adjusted_after`) and are not 0; ``row`` is
    the unit's summary row.
    """
    parts = []
    for pid, name, weight in results.parts:
        x = float(row[f"part_{pid}"])
        parts.append(f"{name} {'—' if x != x else f'{x:.{precision}f}'} × {fmt(weight)}%")
    text = " + ".join(parts)
    if adjusted_after(results):
        if float(row["bonus"]):
            text += f" + 加分 {fmt(float(row['bonus']))}"
        if float(row["major"]):
            text += f" − 重大扣分 {fmt(float(row['major']))}"
    return text


def current_part_name(results: Results) -> str:
    """Name of the part whose indicator detail a combined result carries (e.g. 年终考核), or ""."""
    return next((name for pid, name, _ in results.parts if pid == results.current_part), "")


def summary_frame(results: Results, group: str, previous: Results | None = None) -> pd.DataFrame:
    """The ranking a leader prints (汇总): :func:`ranking_frame` without the internal columns.

    Places as in the notice's ranking: a vetoed unit is listed last with 排名 “—” and the
    others are counted without it (:func:`zwgk_score.outputs.attachments.shown_places`).

    缺失指标 goes to the data sheet (:func:`units_frame`); 加分, 重大扣分 and 单项否决
    appear only when some unit of the group has one; when any unit of the group is
    rescaled (折算) an 适用分值 column says out of how many points it was scored.  For a
    combined result the part prefix of the domain columns (年终考核·) is dropped: the
    sheet's title says which part they are.
    """
    from zwgk_score.outputs.attachments import display_order  # it builds on this module

    df = ranking_frame(results, group, previous).drop(columns=["缺失指标"])
    # the notice's order and places: vetoed units last, without a place (排名“—”)
    shown = display_order(results, group)
    if shown["veto"].astype(bool).any():
        at = {str(u): i for i, u in enumerate(df["单位"])}
        df = df.iloc[[at[str(u)] for u in shown["unit"]]].reset_index(drop=True)
        df["排名"] = ["—" if r != r else int(r) for r in shown["shown_rank"]]
    current = current_part_name(results)
    if current:
        df = df.rename(columns={c: c.removeprefix(f"{current}·") for c in df.columns})
    empty = [
        c
        for c in ("加分", "重大扣分", "单项否决")
        if c in df.columns and not any(v not in (0, 0.0, "", None) for v in df[c])
    ]
    df = df.drop(columns=empty)
    g = results.rubric.group(group)
    s = results.summary.set_index("unit")
    applicable = [float(s.at[u, "applicable"]) for u in df["单位"]]
    if g.rescale and any(abs(a - g.max_score) > 1e-9 for a in applicable if a == a):
        total = next(i for i, c in enumerate(df.columns) if c.startswith("总分"))
        df.insert(total, "适用分值", applicable)
    return cast("pd.DataFrame", df)


def units_frame(results: Results) -> pd.DataFrame:
    """数据_排名: every unit's figures, one row per unit (all groups), for checking and re-use."""
    s = results.summary
    return cast(
        "pd.DataFrame",
        pd.DataFrame(
            {
                "类别": s["group_name"],
                "排名": s["rank"],
                "单位": s["unit"],
                "实得分": s["obtained"],
                "适用分值": s["applicable"],
                "基础得分": s["base"],
                "加分": s["bonus"],
                "重大扣分": s["major"],
                "总分": s["total"],
                "等次": s["grade"],
                "单项否决": [
                    str(p) if v else "" for v, p in zip(s["veto"], s["veto_policy"], strict=True)
                ],
                "折合绩效考核分": s["performance"],
                "缺失指标": s["missing"].astype(int),
            }
        ),
    )


def sources_frame(results: Results, items: pd.DataFrame | None = None) -> pd.DataFrame:
    """数据_佐证来源: where each piece of evidence behind a deduction came from (file and row)."""
    rows = lost_items(results, items)
    keys = set(zip(rows["unit"], rows["indicator"], strict=True))
    ev = results.evidence()
    mine = np.fromiter(
        (k in keys for k in zip(ev["unit"], ev["indicator"], strict=True)), bool, len(ev)
    )
    ev = ev[(ev["source"] != "").to_numpy() & mine]
    return cast(
        "pd.DataFrame",
        pd.DataFrame(
            {
                "单位": ev["unit"],
                "指标编号": ev["indicator"],
                "佐证": ev["evidence"],
                "来源": ev["source"],
            }
        ).reset_index(drop=True),
    )
