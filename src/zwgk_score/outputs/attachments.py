"""The notice's attachments (通报附件): ranking tables and the compact 失分明细.

Pure functions: Results in, tables of strings out (headers, rows, and the kind
of every column so the DOCX renderer can keep numbers on one line).  Only the
一级指标 inspected in the period appear (a quarterly inspection leaves the
others out instead of printing 0.00); a vetoed unit (单项否决) is listed
after every unit that was not vetoed; where a total is rescaled (折算) the
table carries the 适用分值 column and a note saying how the total is made.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.methods.base import ROLE_MAJOR, ROLE_SCORE, ROLE_VETO, fmt
from zwgk_score.outputs.tables import adjusted_after, domain_max, lost_items, rank_change_text
from zwgk_score.outputs.textwidth import display_width
from zwgk_score.results import Results

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
#: longest 失分原因 printed in the notice (characters); the workbook keeps the full text
REASON_LIMIT = 30


def cn_dates(text: str) -> str:
    """ISO dates in ``text`` written the Chinese way: ``2023-04-21`` → ``2023年4月21日``."""
    return _ISO_DATE.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)


#: method wordings that say only that something was found; the evidence says what
_GENERIC = re.compile(r"^(发现问题|未达到要求|重大扣分|触发单项否决|超过.*每件扣|重大扣分)")


def _width(text: str) -> float:
    """Length in characters, Latin letters and digits counting half."""
    return display_width(text) / 2


def _cut(clause: str, limit: int) -> str:
    """One clause in at most ``limit`` characters: titles dropped, then middle sub-clauses.

    ``申请YSQ2023-008：2023年9月7日收到，2023年10月17日答复，用时24个工作日（时限20个工作日）``
    keeps its head (what) and its last sub-clauses (what was wrong):
    ``申请YSQ2023-008：用时24个工作日（时限20个工作日）``.
    """
    if _width(clause) <= limit:
        return clause
    clause = re.sub(r"「[^」]*」", "", clause)  # titles go first: the facts stay
    if _width(clause) <= limit:
        return clause
    head, sep, rest = clause.partition("：")
    if not sep or _width(head) > limit / 2:
        head, sep, rest = "", "", clause
    subs = [p for p in rest.split("，") if p]
    kept: list[str] = []
    for part in reversed(subs):
        if _width(head + sep + "，".join([part, *kept])) > limit:
            break
        kept.insert(0, part)
    if kept:
        return head + sep + "，".join(kept)
    cut = max(clause.rfind(p, 0, limit) for p in "，：、；")
    return clause[:cut] if cut > 8 else clause[:limit]


def short_reason(reason: str, limit: int = REASON_LIMIT) -> str:
    """The 失分原因 in at most ``limit`` characters, cut at whole clauses.

    When the method's own words only say that something was found (发现问题1处),
    the evidence that says what was found replaces them.  Dates are written the
    Chinese way; a clause is cut at a comma, never inside a number.
    """
    text = cn_dates(" ".join(reason.split()))
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[\w.%])|(?<=[\w.%]) (?=[^\x00-\x7f])", "", text)
    clauses = [c for c in text.split("；") if c]
    if len(clauses) > 1 and _GENERIC.match(clauses[0]):
        clauses = clauses[1:]
    out = ""
    for clause in clauses:
        if not out:
            out = _cut(clause, limit)
            continue
        if _width(out) + 1 + _width(clause) > limit:
            break
        out = f"{out}；{clause}"
    return out


def score_cell(x: float, precision: int) -> str:
    return "—" if x != x else f"{x:.{precision}f}"


def inspected_domains(results: Results, group: str) -> list[tuple[str, str, float]]:
    """(id, name, points) of the 一级指标 at least one unit of ``group`` was assessed on."""
    units = results.summary.loc[results.summary["group"] == group, "unit"]
    maxima = domain_max(results, group)
    out = []
    for d in results.rubric.domains:
        applicable = max((results.node_score(u, d.id)[1] for u in units), default=0.0)
        if maxima[d.id] and applicable > 0:
            out.append((d.id, d.name, min(applicable, maxima[d.id])))
    return out


def full_points(results: Results, group: str) -> float:
    """Points a unit of ``group`` could be assessed on when every indicator applied."""
    return sum(domain_max(results, group).values())


def rescaled_units(results: Results, group: str) -> list[str]:
    """Units whose total was rescaled (折算) because some indicators did not apply."""
    g = results.rubric.group(group)
    if not g.rescale:
        return []
    s = results.summary[results.summary["group"] == group]
    return [
        u
        for u, a in zip(s["unit"], s["applicable"], strict=True)
        if a > 0 and abs(a - g.max_score) > 1e-9
    ]


def display_order(results: Results, group: str) -> pd.DataFrame:
    """The group's ranking, vetoed units last; ``shown_rank`` counts only units not vetoed."""
    return results.derived(("display_order", group), lambda: _display_order(results, group))


def shown_places(results: Results) -> dict[str, int | None]:
    """Each unit's place as the notice's ranking prints it (``None``: vetoed, no place)."""
    out: dict[str, int | None] = {}
    for g in results.rubric.groups:
        t = display_order(results, g.id)
        for unit, place in zip(t["unit"], t["shown_rank"], strict=True):
            out[str(unit)] = None if place != place else int(place)
    return out


def _display_order(results: Results, group: str) -> pd.DataFrame:
    table = results.ranking(group)
    vetoed = table["veto"].astype(bool)
    kept = table[~vetoed].copy()
    # competition ranking among the units not vetoed (ties share a rank: 9, 9, 11)
    kept["shown_rank"] = kept["total"].rank(method="min", ascending=False, na_option="bottom")
    kept = kept.sort_values(["shown_rank", "rank", "unit"], kind="stable")
    last = table[vetoed].copy()
    last["shown_rank"] = float("nan")
    out: pd.DataFrame = pd.concat([kept, last]).reset_index(drop=True)
    return out


def ranking_attachment(
    results: Results, group: str, previous: Results | None = None
) -> dict[str, Any]:
    """One group's ranking table: ``headers``, ``rows``, ``numeric`` (per column) and ``note``."""
    rubric = results.rubric
    prec = rubric.meta.precision
    g = rubric.group(group)
    table = display_order(results, group)
    domains = inspected_domains(results, group)
    rescaled = rescaled_units(results, group)
    summary = results.summary.set_index("unit")
    cols: list[tuple[str, bool, list[str]]] = []
    ranks = ["—" if r != r else str(int(r)) for r in table["shown_rank"]]
    cols.append(("排名", True, ranks))
    cols.append(("单位", False, list(table["unit"])))
    if results.parts:
        # a combined result: the total weighs the parts (季度督查 × 30% + 年终考核 × 70%);
        # the parts are what adds up, the current part's indicator detail stays in the workbook
        domains = []
        for pid, pname, weight in results.parts:
            cells = [score_cell(float(summary.at[u, f"part_{pid}"]), prec) for u in table["unit"]]
            cols.append((f"{pname}（占{fmt(weight)}%）", True, cells))
    for did, name, points in domains:
        cells = []
        for u, v in zip(table["unit"], table[did], strict=True):
            cells.append(score_cell(v, prec) if results.node_score(u, did)[1] > 0 else "—")
        cols.append((f"{name}（{fmt(points)}）", True, cells))
    if rescaled and not results.parts:
        applicable = [score_cell(float(summary.at[u, "applicable"]), prec) for u in table["unit"]]
        cols.append(("适用分值", True, applicable))
    # a combined total weighs the parts, which then hold the bonus and deductions, unless those
    # count once after weighting: then they are columns of their own, named in the note, for any
    # group of the result that has them, so that every row adds up
    after = adjusted_after(results)
    bonus = results.summary["bonus"] if after else table["bonus"]
    major = results.summary["major"] if after else table["major"]
    if bonus.astype(float).any() and (after or not results.parts):
        cols.append(("加分", True, [score_cell(v, prec) for v in table["bonus"]]))
    if major.astype(float).any() and (after or not results.parts):
        cols.append(("重大扣分", True, [score_cell(v, prec) for v in table["major"]]))
    cols.append(
        (f"总分（{fmt(g.max_score)}）", True, [score_cell(v, prec) for v in table["total"]])
    )
    grades = [
        f"{gr}（否决）" if v else str(gr)
        for gr, v in zip(table["grade"], table["veto"], strict=True)
    ]
    cols.append(("等次", False, grades))
    if rubric.meta.performance_share:
        perf = [score_cell(v, prec) for v in table["performance"]]
        cols.append((f"折合分（{fmt(rubric.meta.performance_share)}）", True, perf))
    if previous is not None:
        cmp = results.compare(previous).set_index("unit")
        change = [rank_change_text(cmp.at[u, "rank_change"]) for u in table["unit"]]
        cols.append(("排名变化", False, change))
    parts = []
    if results.parts:
        formula = "总分＝" + "＋".join(f"{name}×{fmt(w)}%" for _, name, w in results.parts)
        formula += "＋加分" if _has(cols, "加分") else ""
        formula += "－重大扣分" if _has(cols, "重大扣分") else ""
        parts.append(formula)
        if after and _has(cols, "加分", "重大扣分"):
            parts.append("加分、重大扣分在加权合成后计一次")
    elif rescaled:
        parts.append(
            f"总分按“各项得分之和÷适用分值×{fmt(g.max_score)}”折算"
            + ("，再计加分、重大扣分" if _has(cols, "加分", "重大扣分") else "")
        )
    if table["veto"].any():
        parts.append("单项否决的单位不参与排名，列于最后")
    note = "注：" + "；".join(parts) + "。" if parts else ""
    return {
        "group": g.name,
        "count": len(table),
        "headers": [c[0] for c in cols],
        "numeric": [c[1] for c in cols],
        "rows": [list(r) for r in zip(*(c[2] for c in cols), strict=True)],
        "note": note,
        "note_parts": parts,
    }


def merged_note(tables: list[dict[str, Any]]) -> str:
    """One 注 under an attachment's tables: each distinct clause once, in order."""
    parts: list[str] = []
    for t in tables:
        for p in t.get("note_parts", []):
            same = [i for i, q in enumerate(parts) if q.startswith(p) or p.startswith(q)]
            if not same:
                parts.append(p)
            elif len(p) > len(parts[same[0]]):
                parts[same[0]] = p  # the clause that also names bonus and deductions
    return "注：" + "；".join(parts) + "。" if parts else ""


def _has(cols: list[tuple[str, bool, list[str]]], *names: str) -> bool:
    return any(c[0] in names for c in cols)


def deductions_attachment(
    results: Results, group: str, lost: pd.DataFrame | None = None
) -> dict[str, Any]:
    """One group's compact 失分明细: one row per unit and lost item, with the short reason.

    扣分 has the rubric's precision on every row; a veto reads 否决.  Units come
    in the order of the ranking table (vetoed last), items in rubric order.
    ``lost``: :func:`lost_items` of ``results`` when already computed (for every group).
    """
    prec = results.rubric.meta.precision
    every = lost_items(results) if lost is None else lost
    rows = every[(every["group"] == group) & ~every["status"].str.startswith("缺失")]
    order = {u: i for i, u in enumerate(display_order(results, group)["unit"])}
    leaf_order = {leaf.id: i for i, leaf in enumerate(results.leaves)}
    # the items' text columns are categorical: read them as plain strings, keys as numbers
    units = [str(u) for u in rows["unit"]]
    keys = (
        np.fromiter((leaf_order[str(i)] for i in rows["indicator"]), np.int64, len(rows)),
        np.fromiter((order[u] for u in units), np.int64, len(rows)),
    )
    names, roles = rows["name"].tolist(), rows["role"].tolist()
    scores, losses, reasons = rows["score"].tolist(), rows["lost"].tolist(), rows["reason"].tolist()
    out = []
    for k in np.lexsort(keys).tolist():  # by unit in ranking order, then indicator (stable)
        role = roles[k]
        if role == ROLE_VETO:
            cell = "否决"
        elif role == ROLE_MAJOR:
            cell = score_cell(float(scores[k]), prec)
        elif role == ROLE_SCORE:
            cell = score_cell(float(losses[k]), prec)
        else:
            continue
        out.append([units[k], names[k], cell, short_reason(str(reasons[k]))])
    return {
        "group": results.rubric.group(group).name,
        "count": len(out),
        "headers": ["单位", "测评指标", "扣分", "失分原因"],
        "numeric": [False, False, True, False],
        "rows": out,
        "note": "",
        "note_parts": [],
    }
