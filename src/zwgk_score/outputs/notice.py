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

import pandas as pd

from zwgk_score.methods.base import ROLE_SCORE, ROLE_VETO, fmt
from zwgk_score.outputs.notice_options import NoticeOptions, notice_options
from zwgk_score.outputs.tables import evidence_by_cell, lost_items, ranking_frame
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


def _grade_counts(s: pd.DataFrame, grades: list[str]) -> list[dict[str, Any]]:
    return [{"name": g, "count": int((s["grade"] == g).sum())} for g in grades]


def _named_lists(s: pd.DataFrame, grades: list[str]) -> list[dict[str, Any]]:
    """Units of the top grades (优秀, 良好 …): the top two when there are 3+ bands, else the top one."""
    named = grades[:2] if len(grades) >= 3 else grades[:1]
    ordered = s.sort_values(["rank", "unit"], kind="stable")
    return [{"grade": g, "units": list(ordered.loc[ordered["grade"] == g, "unit"])} for g in named]


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
    best = s[s["rank"] == s["rank"].min()] if n else s
    return {
        "id": group.id,
        "name": group.name,
        "max_score": fmt(group.max_score),
        "count": n,
        "grades": _grade_counts(s, grades),
        "average": score_text(float(known.mean()), prec) if len(known) else "—",
        "pass_count": passed,
        "pass_rate": percent_text(passed / n) if n else "—",
        "best": list(best["unit"]),
        "best_total": score_text(float(best["total"].iloc[0]), prec) if n else "—",
        "lists": _named_lists(s, grades),
        "improved": _improved(results, opts.previous, group_id, opts.improved_top)
        if opts.previous is not None
        else [],
    }


def common_problems(results: Results, top: int) -> list[dict[str, Any]]:
    """Indicators where units lost points, most widespread first.

    Missing data and vetoes are reported separately and are not counted here.
    Each entry: indicator, name, domain, count, units, lost (total points lost).
    """
    rows = lost_items(results)
    rows = rows[
        (rows["role"] == ROLE_SCORE) & (rows["lost"] > 0) & ~rows["status"].str.startswith("缺失")
    ]
    order = {leaf.id: i for i, leaf in enumerate(results.leaves)}
    domains = {d.id: d.name for d in results.rubric.domains}
    prec = results.rubric.meta.precision
    out: list[dict[str, Any]] = []
    for ind, g in rows.groupby("indicator", sort=False):
        out.append(
            {
                "indicator": ind,
                "name": g["name"].iloc[0],
                "domain": domains[g["domain"].iloc[0]],
                "count": len(g),
                "units": list(g["unit"]),
                "lost": fmt(round(float(g["lost"].sum()), prec)),
                "_lost": float(g["lost"].sum()),
            }
        )
    out.sort(key=lambda p: (-p["count"], -p["_lost"], order[p["indicator"]]))
    for p in out:
        del p["_lost"]
    return out[:top]


def missing_data(results: Results) -> list[dict[str, Any]]:
    """Units with missing data (缺失): unit, indicators (names), status label."""
    items = results.items()
    miss = items[items["status"].str.startswith("缺失")]
    return [
        {"unit": unit, "indicators": list(g["name"]), "status": g["status"].iloc[0]}
        for unit, g in miss.groupby("unit", sort=False)
    ]


def vetoed_units(results: Results) -> list[dict[str, Any]]:
    """Units hit by a 单项否决: unit, group, indicator names, evidence, policy label."""
    items = lost_items(results)
    veto = items[(items["role"] == ROLE_VETO) & (items["score"] != 0)]
    evidence = evidence_by_cell(results, with_source=False)  # a notice names facts, not file paths
    summary = results.summary.set_index("unit")
    out = []
    for unit, g in veto.groupby("unit", sort=False):
        out.append(
            {
                "unit": unit,
                "group": summary.at[unit, "group_name"],
                "indicators": list(g["name"]),
                "evidence": "；".join(
                    e for e in (evidence.get((unit, i), "") for i in g["indicator"]) if e
                ),
                "policy": summary.at[unit, "veto_policy"],
                "grade": summary.at[unit, "grade"],
            }
        )
    return out


def ranking_table(results: Results, group: str, previous: Results | None) -> dict[str, Any]:
    """A ranking attachment: headers and rows of strings; empty columns dropped."""
    df = ranking_frame(results, group, previous)
    prec = results.rubric.meta.precision
    drop = [
        c for c in ("加分", "重大扣分", "缺失指标") if c in df and not df[c].astype(float).any()
    ]
    if "单项否决" in df and not (df["单项否决"] != "").any():
        drop.append("单项否决")
    df = df.drop(columns=drop + (["上期排名"] if "上期排名" in df else []))
    rows = []
    for _, r in df.iterrows():
        cells = []
        for c in df.columns:
            v = r[c]
            if c in ("排名", "缺失指标"):
                cells.append(str(int(v)))
            elif isinstance(v, float):
                cells.append(score_text(v, prec))
            else:
                cells.append(str(v))
        rows.append(cells)
    return {"headers": list(df.columns), "rows": rows}


def deductions_table(results: Results, group: str) -> dict[str, Any]:
    """A 失分明细 attachment for one group: 单位, 测评指标, 扣分, 失分原因."""
    rows = lost_items(results)
    rows = rows[rows["group"] == group]
    out = []
    for r in rows.itertuples():
        lost = "单项否决" if r.role == ROLE_VETO else fmt(r.lost)
        out.append([r.unit, r.name, lost, r.reason])
    return {"headers": ["单位", "测评指标", "扣分", "失分原因"], "rows": out}


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
    basis = opts.basis or (
        f"根据《{meta.title}》，{issuer}对{n_units}个单位{period}政务公开工作进行了{noun}。"
        f"现将{noun}{'情况' if quarterly else '结果'}通报如下。"
    )
    deadline = cn_date(opts.rectify_deadline)
    fill = {
        "rectify_deadline": f"{deadline}前" if deadline else "规定时间内",
        "issuer": issuer,
        "performance_share": fmt(meta.performance_share),
        "year": str(meta.year),
    }
    reqs = opts.requirements if opts.requirements is not None else default_requirements(quarterly)
    attachments = []
    for kind in opts.attachments:
        for g in groups:
            if kind == "ranking":
                table = ranking_table(results, g["id"], opts.previous)
                title_a = f"{period}{g['name']}政务公开工作{noun}结果排名"
            else:
                table = deductions_table(results, g["id"])
                title_a = f"{period}{g['name']}政务公开工作{noun}失分明细"
            attachments.append({"number": len(attachments) + 1, "title": title_a, **table})
    return {
        "kind": "quarterly" if quarterly else "annual",
        "noun": noun,
        "title": title,
        "issuer": issuer,
        "addressees": opts.addressees.rstrip("：:"),
        "basis": basis,
        "period": period,
        "year": meta.year,
        "rubric_title": meta.title,
        "date": cn_date(opts.date),
        "rectify_deadline": deadline,
        "unit_count": n_units,
        "group_count": len(groups),
        "groups": groups,
        "has_previous": opts.previous is not None,
        "problems": common_problems(results, opts.problems_top),
        "missing": missing_data(results),
        "vetoed": vetoed_units(results),
        "requirements": [_fill(r, fill) for r in reqs],
        "performance_share": fmt(meta.performance_share),
        "attachments": attachments,
        "colophon": _colophon(opts, issuer),
    }


def _colophon(opts: NoticeOptions, issuer: str) -> dict[str, Any] | None:
    """版记: 抄送 and 印发机关 + 印发日期, printed between rules at the end (only when asked for)."""
    if not opts.cc and not opts.printer:
        return None
    return {
        "cc": "，".join(opts.cc),
        "printer": opts.printer or issuer,
        "date": cn_date(opts.print_date or opts.date),
    }


def is_plain(value: Any) -> bool:
    """True when ``value`` holds only str, int, bool, None, list and dict (no floats: numbers are pre-formatted)."""
    if isinstance(value, str | int | bool) or value is None:
        return True
    if isinstance(value, list):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in value.items())
    return False
