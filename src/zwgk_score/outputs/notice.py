"""The notice's content (通报内容), generated from the results.

:func:`notice_context` is pure: Results + options in, a plain dict out (only
str, int, list and dict), which the Jinja2 templates turn into Markdown.
Numbers are already formatted the way a notice prints them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.errors import ConfigError
from zwgk_score.methods.base import ROLE_MAJOR, ROLE_SCORE, ROLE_VETO, fmt
from zwgk_score.outputs.attachments import (
    cn_dates,
    deductions_attachment,
    display_order,
    inspected_domains,
    merged_note,
    ranking_attachment,
    rescaled_units,
    short_reason,
)
from zwgk_score.outputs.notice_options import NoticeOptions, notice_options
from zwgk_score.outputs.notice_trends import add_change_column, group_trend
from zwgk_score.outputs.tables import lost_items
from zwgk_score.results import Results

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numeral for 0 ≤ n < 100: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 21 → 二十一."""
    if not 0 <= n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def cn_date(d: dt.date | None) -> str:
    """Date as a notice writes it: Arabic numerals, no zero padding (2023年4月13日)."""
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def period_label(period: str | None, year: int) -> str:
    """``2023Q1`` → 2023年第一季度, ``2023`` → 2023年度, ``2023H1`` → 2023年上半年; other labels unchanged."""
    p = (period or str(year)).strip()
    if m := re.fullmatch(r"(\d{4})\s*[Qq]([1-4])", p):
        return f"{m[1]}年第{cn_number(int(m[2]))}季度"
    if m := re.fullmatch(r"(\d{4})\s*[Hh]([12])", p):
        return f"{m[1]}年{'上' if m[2] == '1' else '下'}半年"
    if re.fullmatch(r"\d{4}", p):
        return f"{p}年度"
    return p


def score_text(x: float, precision: int) -> str:
    """A score with the rubric's precision (93.00), or — when unknown."""
    return "—" if x != x else f"{x:.{precision}f}"


def percent_text(x: float) -> str:
    """80% / 66.7% (one decimal, trailing zero dropped)."""
    return f"{x * 100:.1f}".rstrip("0").rstrip(".") + "%"


def units_text(units: list[str], limit: int = 5) -> str:
    """Unit names joined with 、; a long list ends 等N个单位 (甲、乙、丙等12个单位)."""
    if len(units) > limit:
        return "、".join(units[:limit]) + f"等{len(units)}个单位"
    return "、".join(units)


def _grade_counts(s: pd.DataFrame, grades: list[str]) -> list[dict[str, Any]]:
    return [{"name": g, "count": int((s["grade"] == g).sum())} for g in grades]


def _named_lists(
    results: Results, group_id: str, grades: list[str], named: tuple[str, ...] | None
) -> list[dict[str, Any]]:
    """Units of the named grades, in ranking order (vetoed last); empty grades left out.

    The lowest grade (不合格) is always named; by default also the top two grades
    (the top one when there are fewer than three bands).
    """
    chosen = list(named) if named is not None else (grades[:2] if len(grades) >= 3 else grades[:1])
    if grades[-1] not in chosen:
        chosen.append(grades[-1])
    ordered = display_order(results, group_id)
    out = []
    for g in grades:
        if g not in chosen:
            continue
        rows = ordered[ordered["grade"] == g]
        units = [
            f"{u}（单项否决）" if v else str(u)
            for u, v in zip(rows["unit"], rows["veto"], strict=True)
        ]
        if units:
            out.append({"grade": g, "units": units, "count": len(units)})
    return out


def _improved(results: Results, previous: Results, group: str, top: int) -> list[dict[str, Any]]:
    cmp = results.compare(previous)
    vetoed = set(results.summary.loc[results.summary["veto"], "unit"])
    # 进步较快: a higher rank *and* a higher score than the previous period
    c = cmp[
        (cmp["group"] == group)
        & (cmp["rank_change"] > 0)
        & (cmp["total_change"] > 0)
        & ~cmp["unit"].isin(vetoed)
    ]
    c = c.sort_values(["rank_change", "total_change", "unit"], ascending=[False, False, True])
    prec = results.rubric.meta.precision
    return [
        {
            "unit": r.unit,
            "rank": int(r.rank),
            "prev_rank": int(r.prev_rank),
            "rank_change": int(r.rank_change),
            "total_change": score_text(r.total_change, prec),
        }
        for r in c.head(top).itertuples()
    ]


def _group_section(results: Results, group_id: str, opts: NoticeOptions) -> dict[str, Any]:
    rubric = results.rubric
    group = rubric.group(group_id)
    s = results.summary[results.summary["group"] == group_id]
    grades = [g.name for g in group.grades]
    prec = rubric.meta.precision
    totals = s["total"].to_numpy(dtype=float)
    known = totals[~pd.isna(totals)]
    n = len(s)
    passed = int((s["grade"] != group.lowest_grade).sum())
    ordered = display_order(results, group_id)
    top = ordered[ordered["shown_rank"] == 1] if n else ordered
    units = set(s["unit"])
    # 进步较快: the office's own list, else from the ledger's history, else against 上期
    trend = (
        group_trend(
            results,
            opts.history,
            group_id,
            improved_places=opts.improved_places,
            improved_top=opts.improved_top,
            declined_places=opts.declined_places,
        )
        if opts.history is not None
        else None
    )
    if opts.improved is not None:
        improved = [{"unit": u} for u in opts.improved if u in units]
    elif trend is not None:
        improved = trend["improved"]
    elif opts.previous is not None:
        improved = _improved(results, opts.previous, group_id, opts.improved_top)
    else:
        improved = []
    counts = _grade_counts(s, grades)
    return {
        "id": group.id,
        "name": group.name,
        "max_score": fmt(group.max_score),
        "count": n,
        "grades": counts,
        "graded": [g for g in counts if g["count"]],
        "average": score_text(float(known.mean()), prec) if len(known) else "—",
        "pass_count": passed,
        "pass_rate": percent_text(passed / n) if n else "—",
        "best": list(top["unit"]),
        "best_total": score_text(float(top["total"].iloc[0]), prec) if len(top) else "—",
        "lists": _named_lists(results, group_id, grades, opts.named_grades),
        "outstanding": [u for u in opts.outstanding if u in units],
        "improved": improved,
        "improved_rule": trend["improved_rule"] if trend and opts.improved is None else "",
        "trend": trend,
        "rescaled": len(rescaled_units(results, group_id)),
    }


def _item_rows(results: Results, mask: Any, columns: list[str] | None = None) -> Any:
    """The rows of ``Results.items()`` where ``mask`` holds (only ``columns``), numbered from 0.

    The same rows, in the same order, as filtering :func:`lost_items`, without first
    copying every lost item (millions of rows of a national assessment).
    """
    items = results.items()
    rows = items if columns is None else items[columns]
    return rows[np.asarray(mask, dtype=bool)].reset_index(drop=True)


def common_problems(results: Results, top: int) -> list[dict[str, Any]]:
    """Indicators where units lost points, most widespread first (存在问题).

    Missing data, vetoes and major deductions are reported separately.  Each
    entry: indicator, name, domain, count, units (all), units_text (甲、乙等N个单位),
    lost (total points lost), example (unit and short reason of the unit that
    lost most, which says what was wrong).
    """
    items = results.items()
    lost = items["lost"].to_numpy(dtype=float)
    mask = (
        (items["role"] == ROLE_SCORE).to_numpy(dtype=bool)
        & (lost > 0)
        & ~items["status"].str.startswith("缺失").to_numpy(dtype=bool)
    )
    at = np.flatnonzero(mask)  # the rows that lost points, in roster then rubric order
    # indicators in order of first appearance (groupby sort=False); each group's rows in order
    codes, indicators = pd.factorize(items["indicator"].take(at), sort=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(indicators) + 1))
    leaf_order = {leaf.id: i for i, leaf in enumerate(results.leaves)}
    found: list[tuple[int, float, int, int, np.ndarray[Any, Any]]] = []
    for k, ind in enumerate(indicators):
        rows = at[order[bounds[k] : bounds[k + 1]]]
        values = lost[rows]
        total = float(values.sum())
        # the first row losing most (a stable sort, descending, takes it first)
        found.append((len(rows), total, leaf_order[ind], int(rows[int(np.argmax(values))]), rows))
    found.sort(key=lambda f: (-f[0], -f[1], f[2]))
    domains = {d.id: d.name for d in results.rubric.domains}
    prec = results.rubric.meta.precision
    unit_col, reason_col = items["unit"], items["reason"]
    out: list[dict[str, Any]] = []
    for count, total, _, worst, rows in found[: max(top, 0)]:
        first = int(rows[0])
        units = [str(u) for u in unit_col.take(rows)]
        out.append(
            {
                "indicator": str(items["indicator"].iat[first]),
                "name": items["name"].iat[first],
                "domain": domains[str(items["domain"].iat[first])],
                "count": count,
                "units": units,
                "units_text": units_text(units, 3),
                "lost": fmt(round(total, prec)),
                "example": {
                    "unit": unit_col.iat[worst],
                    "reason": short_reason(str(reason_col.iat[worst]), 30),
                },
            }
        )
    return out


def missing_data(results: Results) -> list[dict[str, Any]]:
    """Units with missing data (缺失): unit, indicators (names), status label."""
    items = results.items()
    miss = items[items["status"].str.startswith("缺失")]
    return [
        {"unit": unit, "indicators": list(g["name"]), "status": g["status"].iloc[0]}
        for unit, g in miss.groupby("unit", sort=False, observed=True)
    ]


def cells_evidence(results: Results, cells: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The evidence texts of a few (unit, indicator) cells, each cell's joined with ``；``.

    What :func:`~zwgk_score.outputs.tables.evidence_by_cell` gives without sources,
    reading only the evidence rows of these cells' indicators (rows are in leaf
    order, so one indicator's rows are one slice) instead of whole columns.
    """
    rows = results.aggregates.evidence_rows
    if not cells or not len(rows):
        return {}
    leaf_index = {leaf.id: j for j, leaf in enumerate(results.leaves)}
    starts = np.concatenate([[0], np.cumsum(rows.leaf_sizes)]).astype(np.int64)
    units = results.units
    wanted: dict[int, set[int]] = {}
    for u, i in cells:
        wanted.setdefault(leaf_index[i], set()).add(results.unit_index[u])
    unit_idx = rows.unit_idx
    out: dict[tuple[str, str], list[str]] = {}
    for j in sorted(wanted):
        lo, hi = int(starts[j]), int(starts[j + 1])
        keep = np.isin(unit_idx[lo:hi], np.fromiter(wanted[j], dtype=np.int64))
        at = lo + np.flatnonzero(keep)
        if not len(at):
            continue
        indicator = results.leaves[j].id
        for k, text in zip(unit_idx[at].tolist(), rows.take("evidence", at).tolist(), strict=True):
            if text != "":
                out.setdefault((units[k], indicator), []).append(text)
    return {c: "；".join(v) for c, v in out.items()}


def vetoed_units(results: Results) -> list[dict[str, Any]]:
    """Units hit by a 单项否决: unit, group, indicator names, evidence, policy label."""
    items = results.items()
    veto = _item_rows(results, (items["role"] == ROLE_VETO) & (items["score"] != 0))
    # a notice names facts, not file paths; only the vetoes' evidence is read
    evidence = cells_evidence(
        results, list(zip(veto["unit"].astype(str), veto["indicator"].astype(str), strict=True))
    )
    summary = results.summary.set_index("unit")
    out = []
    for unit, g in veto.groupby("unit", sort=False, observed=True):
        out.append(
            {
                "unit": unit,
                "group": summary.at[unit, "group_name"],
                "indicators": list(g["name"]),
                "evidence": cn_dates(
                    "；".join(e for e in (evidence.get((unit, i), "") for i in g["indicator"]) if e)
                ),
                "policy": summary.at[unit, "veto_policy"],
                "grade": summary.at[unit, "grade"],
            }
        )
    return out


def major_deductions(results: Results) -> list[dict[str, Any]]:
    """重大扣分: unit, indicator (the rule), points deducted and what was found."""
    items = results.items()
    major = _item_rows(results, (items["role"] == ROLE_MAJOR) & (items["score"] != 0))
    prec = results.rubric.meta.precision
    return [
        {
            "unit": r.unit,
            "name": r.name,
            "points": fmt(round(float(r.score), prec)),
            "reason": short_reason(str(r.reason), 40),
        }
        for r in major.itertuples()
    ]


def rectification(
    results: Results, previous: Results, reported_back: tuple[str, ...] | None
) -> dict[str, Any]:
    """上期问题整改情况: which units' problems of the previous period are still found.

    A unit had a problem when it lost points on an indicator last period; it is
    still there when the same indicator loses points now.  ``reported_back``
    (units that sent in their rectification) names the units that did not.
    """

    def losses(r: Results) -> dict[str, set[str]]:
        items = r.items()
        keep = (items["lost"] > 0) & (items["role"] == ROLE_SCORE)
        rows = _item_rows(r, keep, ["unit", "indicator"])
        return {u: set(g["indicator"]) for u, g in rows.groupby("unit", sort=False, observed=True)}

    before, now = losses(previous), losses(results)
    units = [u for u in results.units if u in before]
    names = {leaf.id: leaf.name for leaf in results.leaves}
    open_: list[dict[str, Any]] = []
    for u in units:
        still = [i for i in results.leaves if i.id in before[u] & now.get(u, set())]
        if still:
            open_.append({"unit": u, "indicators": [names[i.id] for i in still]})
    fixed = len(units) - len(open_)
    not_reported = (
        [u for u in units if u not in set(reported_back)] if reported_back is not None else None
    )
    return {
        "count": len(units),
        "fixed": fixed,
        "open": open_,
        "open_text": units_text([str(o["unit"]) for o in open_]),
        "not_reported": not_reported,
        "not_reported_text": units_text(not_reported) if not_reported else "",
    }


def _period_note(results: Results, quarterly: bool, groups: list[dict[str, Any]]) -> str:
    """The rescaling (折算), stated once in words where any unit was rescaled."""
    n = sum(g["rescaled"] for g in groups)
    if not n:
        return ""
    if quarterly:
        names = []
        for g in results.rubric.groups:
            for _, name, _pts in inspected_domains(results, g.id):
                if name not in names:
                    names.append(name)
        return (
            f"本期检查{'、'.join(names)}方面的指标，未检查的指标不计分，"
            "各单位得分按“实际得分÷已检查指标分值×100”折算为百分制。"
        )
    return f"{n}个单位有不适用的指标，其总分按“实际得分÷适用分值×满分”折算，各单位适用分值见附件。"


def ranking_table(results: Results, group: str, previous: Results | None) -> dict[str, Any]:
    """A ranking table of one group (see :func:`zwgk_score.outputs.attachments.ranking_attachment`)."""
    return ranking_attachment(results, group, previous)


def deductions_table(results: Results, group: str) -> dict[str, Any]:
    """A compact 失分明细 of one group: 单位, 测评指标, 扣分, 失分原因."""
    return deductions_attachment(results, group)


def _fill(text: str, values: Mapping[str, str]) -> str:
    for k, v in values.items():
        text = text.replace("{" + k + "}", v)
    return text


def default_requirements(quarterly: bool) -> tuple[str, ...]:
    """工作要求 used when the config gives none.

    ``{rectify_deadline}``, ``{issuer}``, ``{performance_share}`` and ``{year}`` are filled in.
    """
    feed = (
        "各季度检查结果将纳入年度政务公开工作考核。"
        if quarterly
        else "考核结果按折合绩效考核分（满分{performance_share}分）纳入{year}年度绩效考核。"
    )
    return (
        "各单位要对照考核反馈的失分问题（见附件及反馈单），逐项制定整改措施，"
        "于{rectify_deadline}将整改情况报送{issuer}，逾期未反馈的视为未整改。",
        "各单位要进一步压实政务公开工作责任，加强信息发布审核和栏目日常维护，"
        "确保政府信息公开及时、准确、全面。",
        feed,
    )


def _check_units(results: Results, names: tuple[str, ...] | None, key: str) -> None:
    known = set(results.units)
    for i, u in enumerate(names or ()):
        if u not in known:
            raise ConfigError(
                f"名单中的单位「{u}」不在考核单位名册中",
                path=f"notice.{key}[{i}]",
                hint="单位名称须与 units.csv 中的写法完全一致",
            )


def notice_context(
    results: Results, options: Mapping[str, Any] | NoticeOptions | None = None
) -> dict[str, Any]:
    """Everything the notice templates need, computed from ``results``.

    Args:
        results: the scored assessment.
        options: the ``[notice]`` settings (see :class:`NoticeOptions`).

    Returns:
        A dict of plain values; see docs/outputs.md for the keys.
    """
    opts = notice_options(options)
    for key in ("outstanding", "improved"):
        _check_units(results, getattr(opts, key), key)
    _check_units(results, opts.reported_back, "reported_back")
    rubric = results.rubric
    meta = rubric.meta
    quarterly = opts.quarterly
    period = opts.period or period_label(results.period, meta.year)
    issuer = opts.issuer or meta.issuer
    noun = "检查" if quarterly else "考核"
    title = opts.title or f"关于{period}政务公开工作{noun}{'情况' if quarterly else '结果'}的通报"
    groups = [_group_section(results, g.id, opts) for g in rubric.groups]
    groups = [g for g in groups if g["count"]]
    n_units = len(results.summary)
    approval = f"经{opts.approved_by}同意，" if opts.approved_by else ""
    basis = opts.basis or (
        f"根据《{meta.title}》，{issuer}对{n_units}个单位{period}政务公开工作进行了{noun}。"
        f"{approval}现将{noun}{'情况' if quarterly else '结果'}通报如下。"
    )
    deadline = cn_date(opts.rectify_deadline)
    fill = {
        "rectify_deadline": f"{deadline}前" if deadline else "规定时间内",
        "issuer": issuer,
        "performance_share": fmt(meta.performance_share),
        "year": str(meta.year),
    }
    reqs = opts.requirements if opts.requirements is not None else default_requirements(quarterly)
    attachments: list[dict[str, Any]] = []
    for kind in opts.attachments:
        if kind == "ranking":
            tables = [ranking_attachment(results, g["id"], opts.previous) for g in groups]
            if opts.previous is None:  # 较上年排名 from the ledger's history
                tables = [
                    add_change_column(t, g["trend"], g["trend"]["baseline"] if g["trend"] else "")
                    for t, g in zip(tables, groups, strict=True)
                ]
            title_a = f"{period}政务公开工作{noun}结果排名"
        else:
            lost = lost_items(results)  # every group's rows, found once
            tables = [deductions_attachment(results, g["id"], lost) for g in groups]
            del lost
            tables = [t for t in tables if t["rows"]]
            title_a = f"{period}政务公开工作{noun}失分明细"
        if tables:
            attachments.append(
                {
                    "number": len(attachments) + 1,
                    "kind": kind,
                    "title": title_a,
                    "tables": tables,
                    "note": merged_note(tables),
                    "landscape": True,
                }
            )
    rect = (
        rectification(results, opts.previous, opts.reported_back)
        if opts.previous is not None and quarterly
        else None
    )
    return {
        "kind": "quarterly" if quarterly else "annual",
        # numbers of the sections after the optional 上期问题整改情况
        "problems_no": "四" if rect else "三",
        "requirements_no": "五" if rect else "四",
        "noun": noun,
        "title": title,
        "issuer": issuer,
        "masthead": opts.masthead or "",
        "doc_number": opts.doc_number or "",
        "addressees": opts.addressees.rstrip("：:"),
        "approval": approval,
        "basis": basis,
        "period": period,
        "year": meta.year,
        "rubric_title": meta.title,
        "date": cn_date(opts.date),
        "rectify_deadline": deadline,
        "unit_count": n_units,
        "group_count": len(groups),
        "groups": groups,
        "rescale_note": _period_note(results, quarterly, groups),
        "has_previous": opts.previous is not None,
        "rectification": rect,
        "problems": common_problems(results, opts.problems_top),
        "missing": missing_data(results),
        "vetoed": vetoed_units(results),
        "major": major_deductions(results),
        "requirements": [_fill(r, fill) for r in reqs],
        "performance_share": fmt(meta.performance_share),
        "attachments": attachments,
        "attachment_note": [
            ("附件：" if i == 0 else "")
            + (f"{a['number']}." if len(attachments) > 1 else "")
            + a["title"]
            for i, a in enumerate(attachments)
        ],
        "colophon": _colophon(opts, issuer),
    }


def _colophon(opts: NoticeOptions, issuer: str) -> dict[str, Any] | None:
    """版记: 抄送 and 印发机关 + 印发日期, printed between rules at the end (only when asked for)."""
    if not opts.cc and not opts.printer:
        return None
    cc = "，".join(opts.cc)
    printer = opts.printer or issuer
    date = cn_date(opts.print_date or opts.date)
    lines = ([f"抄送：{cc}。"] if cc else []) + [f"{printer}\u3000\u3000{date}印发"]
    return {"cc": cc, "printer": printer, "date": date, "lines": lines}


def is_plain(value: Any) -> bool:
    """True when ``value`` holds only str, int, bool, None, list and dict (no floats: numbers are pre-formatted)."""
    if isinstance(value, str | int | bool) or value is None:
        return True
    if isinstance(value, list):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    return False
