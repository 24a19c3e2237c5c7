"""The per-unit Python loop an office script would run (逐单位循环), for comparison.

``score_units`` reads the long evidence table, ``score_units_dense`` the dense
arrays of ``zwgk_score.engine.dense.score_dense``.

It applies the same rules as the library (docs/rubric.md) unit by unit and
indicator by indicator, in plain Python, without any validation.  It is the
"floor (b)" of ``bench_score.py`` and doubles as an independent check of the
library's totals.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from zwgk_score.rubric.model import Node, Rubric

SINGLE = {"binary", "checklist", "levels", "ratio", "manual"}
OUTSIDE = {"bonus", "major_deduction", "veto"}


def _round(x: float, digits: int) -> float:
    scale = 10.0**digits
    return math.copysign(math.floor(abs(x) * scale + 0.5 + 1e-7) / scale, x)


def _leaf_score(leaf: Node, rows: list[tuple[float, str]]) -> float:
    p, pts, m = leaf.params, leaf.points, leaf.method
    if m in SINGLE:
        value, text = rows[0]
        if m == "binary":
            return pts if value >= 1 else 0.0
        if m == "checklist":
            have = {x.strip() for x in text.replace("；", ";").split(";")}
            return pts * min(sum(part.share for part in p.parts if part.id in have), 1.0)
        if m == "levels":
            return pts * next((lv.share for lv in p.levels if lv.name == text), 0.0)
        if m == "ratio":
            if p.bands is not None:
                return pts * next((b.share for b in p.bands if value >= b.min - 1e-12), 0.0)
            if value < p.floor:
                return 0.0
            return pts * min(max((value - p.floor) / (p.full_at - p.floor), 0.0), 1.0)
        return value  # manual
    total = sum(v for v, _ in rows)
    if m == "count":
        if p.per is not None:
            return min(total * p.per, pts)
        if p.partial == "none":
            return pts if total >= p.target else 0.0
        return pts * min(total / p.target, 1.0)
    if m == "deduction":
        s = pts - p.per * total
        return max(s, 0.0) if p.floor else s
    if m == "timeliness":
        over = sum(1 for v, _ in rows if v > p.limit)
        if p.mode == "deduct":
            s = pts - p.per * over
            return max(s, 0.0) if p.floor else s
        return pts * (len(rows) - over) / len(rows) if rows else pts
    if m == "bonus":
        b = total * (p.per if p.per is not None else 1.0)
        return min(b, p.cap) if p.cap is not None else b
    if m == "major_deduction":
        return p.per * total
    return 1.0 if total > 0 else 0.0  # veto


def _node_total(
    node: Node, leaf_score: dict[str, float], leaf_app: dict[str, bool]
) -> tuple[float, float]:
    """(score, applicable points) of a node, summing its children (floored at 0)."""
    if node.is_leaf:
        if node.method in OUTSIDE or not leaf_app[node.id]:
            return 0.0, 0.0
        return leaf_score[node.id], node.points
    s = a = 0.0
    for child in node.children:
        cs, ca = _node_total(child, leaf_score, leaf_app)
        s, a = s + cs, a + ca
    return (max(s, 0.0) if node.floor else s), a


def _cells(data: pd.DataFrame) -> dict[tuple[str, str], list[tuple[float, str, str]]]:
    by_cell: dict[tuple[str, str], list[tuple[float, str, str]]] = defaultdict(list)
    for unit, key, value, text, status in zip(
        data["unit"], data["key"], data["value"], data["text"], data["status"], strict=True
    ):
        by_cell[(unit, key)].append((value, text, status or "ok"))
    return by_cell


def score_units(
    rubric: Rubric, data: pd.DataFrame, roster: pd.DataFrame, *, filter_per_unit: bool = False
) -> pd.DataFrame:
    """Totals, grades and ranks of every unit of ``roster``, computed unit by unit.

    By default the rows are first grouped into a dict by (unit, key) in one
    pass; with ``filter_per_unit`` each unit's rows are selected with
    ``data[data["unit"] == unit]``, as many office scripts do.
    """
    by_cell = {} if filter_per_unit else _cells(data)
    out = []
    for unit, group_id in zip(roster["unit"], roster["group"], strict=True):
        if filter_per_unit:
            by_cell = _cells(data[data["unit"] == unit])
        group = rubric.group(group_id)
        leaf_score: dict[str, float] = {}
        leaf_app: dict[str, bool] = {}
        bonus = major = 0.0
        veto_policy: set[str] = set()
        caps = []
        for leaf in rubric.leaves:
            if group_id not in leaf.groups:
                leaf_app[leaf.id] = False
                leaf_score[leaf.id] = 0.0
                continue
            rows = by_cell.get((unit, leaf.data), [])
            ok = [(v, t) for v, t, s in rows if s == "ok"]
            na = any(s == "na" for _, _, s in rows)
            needs_rows = leaf.method in SINGLE or leaf.method == "count"
            missing = not na and not ok and (needs_rows or any(s == "missing" for *_, s in rows))
            leaf_app[leaf.id] = not na
            s = 0.0 if na or missing else _leaf_score(leaf, ok)
            if leaf.method == "bonus":
                bonus += s
            elif leaf.method == "major_deduction":
                major += s
            elif leaf.method == "veto" and s > 0:
                veto_policy.add(leaf.params.policy)
                if leaf.params.policy == "cap":
                    caps.append(leaf.params.cap)
            leaf_score[leaf.id] = s

        total, grade, keys = _unit_total(
            rubric, group, leaf_score, leaf_app, bonus, major, veto_policy, caps
        )
        out.append((unit, group_id, total, grade, keys))
    return _ranked(rubric, out)


def _cell_score(leaf: Node, value: float, text: str | None, n: int, over: int) -> float:
    """One (unit, indicator) cell of dense input: one row carrying the value, or ``n`` items."""
    if leaf.method == "timeliness":
        p, pts = leaf.params, leaf.points
        if p.mode == "deduct":
            s = pts - p.per * over
            return max(s, 0.0) if p.floor else s
        return pts * (n - over) / n if n else pts
    if leaf.method in SINGLE:
        return _leaf_score(leaf, [(value, text or "")])
    return _leaf_score(leaf, [(value, "")] if value == value else [])  # events read Σ value


def score_units_dense(rubric: Rubric, dense: dict, roster: pd.DataFrame) -> pd.DataFrame:
    """:func:`score_units` on dense input (``score_dense``'s arrays), unit by unit.

    ``dense`` holds the mappings ``values``, ``texts``, ``counts``, ``over``, ``na``
    of arrays in roster order; they are turned into plain lists first (indexing
    NumPy scalars one by one would be slower), as a careful script would.
    """
    keys = {leaf.data for leaf in rubric.leaves}
    as_list = {
        part: {k: a.tolist() for k, a in dense.get(part, {}).items()}
        for part in ("values", "texts", "counts", "over", "na")
    }
    nan_col = [float("nan")] * len(roster)
    none_col = [None] * len(roster)
    cols = {
        k: (
            as_list["values"].get(k, nan_col),
            as_list["texts"].get(k, none_col),
            as_list["counts"].get(k),
            as_list["over"].get(k),
            as_list["na"].get(k),
        )
        for k in keys
    }
    out = []
    for u, (unit, group_id) in enumerate(zip(roster["unit"], roster["group"], strict=True)):
        group = rubric.group(group_id)
        leaf_score: dict[str, float] = {}
        leaf_app: dict[str, bool] = {}
        bonus = major = 0.0
        veto_policy: set[str] = set()
        caps = []
        for leaf in rubric.leaves:
            if group_id not in leaf.groups:
                leaf_app[leaf.id] = False
                leaf_score[leaf.id] = 0.0
                continue
            values, texts, counts, overs, nas = cols[leaf.data]
            na = nas is not None and nas[u]
            value, text = values[u], texts[u]
            present = text is not None if leaf.method in ("checklist", "levels") else value == value
            missing = not na and not present and (leaf.method in SINGLE or leaf.method == "count")
            leaf_app[leaf.id] = not na
            if na or missing:
                s = 0.0
            else:
                n = counts[u] if counts is not None else int(present)
                over = (
                    overs[u]
                    if overs is not None
                    else int(present and value > leaf.params.limit)
                    if leaf.method == "timeliness"
                    else 0
                )
                s = _cell_score(leaf, value, text, n, over)
            if leaf.method == "bonus":
                bonus += s
            elif leaf.method == "major_deduction":
                major += s
            elif leaf.method == "veto" and s > 0:
                veto_policy.add(leaf.params.policy)
                if leaf.params.policy == "cap":
                    caps.append(leaf.params.cap)
            leaf_score[leaf.id] = s
        total, grade, keys_ = _unit_total(
            rubric, group, leaf_score, leaf_app, bonus, major, veto_policy, caps
        )
        out.append((unit, group_id, total, grade, keys_))
    return _ranked(rubric, out)


def _unit_total(
    rubric: Rubric,
    group,
    leaf_score: dict[str, float],
    leaf_app: dict[str, bool],
    bonus: float,
    major: float,
    veto_policy: set[str],
    caps: list[float],
):
    """(total, grade, tie-break keys) of one unit from its leaf scores."""
    prec = rubric.meta.precision
    domains = {}
    obtained = applicable = 0.0
    for d in rubric.domains:
        s, a = _node_total(d, leaf_score, leaf_app)
        domains[d.id] = s
        obtained, applicable = obtained + s, applicable + a
    if applicable <= 0:
        base = float("nan")
    else:
        base = obtained / applicable * group.max_score if group.rescale else obtained
    if rubric.meta.bonus_cap is not None:
        bonus = min(bonus, rubric.meta.bonus_cap)
    total = max(base + bonus - major, 0.0)
    if "zero" in veto_policy:
        total = 0.0
    if caps:
        total = min(total, min(caps))
    total = _round(total, prec)
    vetoed = veto_policy or total != total
    grade = group.lowest_grade if vetoed else group.grade_for(total)
    keys = [_round(domains[d], prec) for d in rubric.meta.tie_break]
    return total, grade, keys


def _ranked(rubric: Rubric, out: list[tuple]) -> pd.DataFrame:
    """Competition ranks within each group (9, 9, 11) of the per-unit results."""
    ranks: dict[str, int] = {}
    for group in rubric.groups:
        members = [r for r in out if r[1] == group.id]
        members.sort(key=lambda r: [-(r[2] if r[2] == r[2] else -math.inf), *(-k for k in r[4])])
        prev, prev_rank = None, 0
        for i, r in enumerate(members, start=1):
            key = (r[2], *r[4])
            if key != prev:
                prev, prev_rank = key, i
            ranks[r[0]] = prev_rank
    return pd.DataFrame(
        {
            "unit": [r[0] for r in out],
            "total": [r[2] for r in out],
            "grade": [r[3] for r in out],
            "rank": [ranks[r[0]] for r in out],
        }
    )
