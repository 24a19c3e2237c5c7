"""Tables over a :class:`~zwgk_score.results.Results` record: items, 失分原因, evidence, rankings.

Pure functions of the record (nothing is stored back into it); the record's
methods of the same names are thin wrappers over these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zwgk_score.engine.aggregate import round_half_up
from zwgk_score.engine.leaves import STATUS_LABELS
from zwgk_score.methods.base import Array, Cell, Role, fmt

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.results import Results

#: the columns of :func:`evidence`
EVIDENCE_COLUMNS = [
    "row_id",
    "unit",
    "key",
    "indicator",
    "value",
    "text",
    "status",
    "evidence",
    "source",
    "effect",
]


def domain_scores(r: Results) -> pd.DataFrame:
    """Scores of each 一级指标 per unit (columns = domain ids), rounded."""
    cols = [r.node_index[d.id] for d in r.rubric.domains]
    data = round_half_up(r.totals.node_score[:, cols], r.rubric.meta.precision)
    ids = [d.id for d in r.rubric.domains]
    out: pd.DataFrame = pd.DataFrame(data, columns=ids, index=r.roster["unit"])
    return out


def ranking(r: Results, group: str) -> pd.DataFrame:
    """The group's ranking table: rank, unit, each domain, total, grade (sorted by rank)."""
    s = r.summary[r.summary["group"] == group]
    dom = domain_scores(r).loc[s["unit"]].reset_index(drop=True)
    cols = ["rank", "unit", "base", "bonus", "major", "total", "grade", "veto", "performance"]
    table = pd.concat([s[cols].reset_index(drop=True), dom], axis=1)
    out: pd.DataFrame = table.sort_values(["rank", "unit"], kind="stable").reset_index(drop=True)
    return out


def build_items(r: Results) -> pd.DataFrame:
    """One row per (unit, indicator): points, score, lost points, status, 失分原因 and 自评分."""
    ls = r.leaf_scores
    U, L = len(r.roster), len(r.leaves)
    # plain strings in the table (Role members compare equal to them)
    roles = np.array([leaf.rule.role.value for leaf in r.leaves], dtype=object)
    # each unit's points and score of each leaf, after 分值并入 (na_to)
    points = r.totals.leaf_points
    # a bonus the gate (meta.bonus_min_score) withheld is shown as 0, with the gate's reason
    withheld = r.totals.bonus_withheld[:, None] & (roles == Role.BONUS)[None, :] & (ls.score > 0)
    score = np.where(withheld, 0.0, r.totals.leaf_score)
    lost = np.where((roles == Role.SCORE)[None, :] & ls.applicable, points - score, 0.0)
    lost = np.where((roles == Role.MAJOR)[None, :], score, lost)
    prec = r.rubric.meta.precision
    df: pd.DataFrame = pd.DataFrame(
        {
            "unit": np.repeat(r.roster["unit"].to_numpy(), L),
            "group": np.repeat(r.roster["group"].to_numpy(), L),
            "indicator": np.tile([leaf.id for leaf in r.leaves], U),
            "name": np.tile([leaf.name for leaf in r.leaves], U),
            "domain": np.tile([r.rubric.domain_of(leaf.id).id for leaf in r.leaves], U),
            "task": np.tile([leaf.task or "" for leaf in r.leaves], U),
            "method": np.tile([leaf.method for leaf in r.leaves], U),
            "role": np.tile(roles, U),
            "points": points.ravel(),
            "applicable": ls.applicable.ravel(),
            "status": [STATUS_LABELS[int(c)] for c in ls.status.ravel()],
            "score": round_half_up(score.ravel(), prec),
            "lost": round_half_up(lost.ravel(), prec),
        }
    )
    df["reason"] = _reasons(r, df, r.totals.leaf_score, withheld)
    _transfer_reasons(r, df)
    _adjustment_notes(r, df)
    df["self_score"] = r.aggregates.self_score.ravel()
    return df


def _adjustment_notes(r: Results, df: pd.DataFrame) -> None:
    """An item changed by an appeal decision says so first: 申诉调整（2→4分）：reason."""
    for (unit, ind), adj in r.adjustments.items():
        at = (df["unit"] == unit) & (df["indicator"] == ind)
        note = f"申诉调整（{fmt(adj['before'])}→{fmt(adj['after'])}分）：{adj['reason']}"
        df.loc[at, "reason"] = [f"{note}；{x}" if x else note for x in df.loc[at, "reason"]]


def _transfer_reasons(r: Results, df: pd.DataFrame) -> None:
    """失分原因 of the leaves whose points moved to a sibling (分值并入)."""
    if all(leaf.na_to is None for leaf in r.leaves):
        return
    L = len(r.leaves)
    names = {leaf.id: leaf.name for leaf in r.leaves}
    index = {leaf.id: j for j, leaf in enumerate(r.leaves)}
    reasons = df["reason"].to_numpy(dtype=object)
    for j, leaf in enumerate(r.leaves):
        if leaf.na_to is None:
            continue
        t = index[leaf.na_to]
        moved = ~r.leaf_scores.applicable[:, j] & r.leaf_scores.applicable[:, t]
        reasons[np.flatnonzero(moved) * L + j] = f"不适用，分值并入「{names[leaf.na_to]}」"
    df["reason"] = reasons


def _withheld_text(r: Results, u: int, earned: float) -> str:
    gate = r.rubric.meta.bonus_min_score
    base = float(r.totals.base[u])
    shown = round_half_up(np.array([base]), r.rubric.meta.precision)[0]
    return f"未加分：基础分 {shown:.2f} 未达到加分门槛 {fmt(gate or 0)} 分（本项应加 {fmt(earned)} 分）"


def _unit_rows(r: Results, cells: Array) -> dict[tuple[int, int], tuple[tuple[float, str], ...]]:
    """The (value, text) of the ok evidence rows of the (unit, leaf) cells marked in ``cells``."""
    rows = r.aggregates.rows
    if rows.empty or not cells.any():
        return {}
    u_all = rows["unit_idx"].to_numpy()
    j_all = rows["leaf_idx"].to_numpy()
    keep = cells[u_all, j_all] & (rows["status"] == "ok").to_numpy()
    out: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for u, j, v, t in zip(
        u_all[keep].tolist(),
        j_all[keep].tolist(),
        rows["value"].to_numpy()[keep].tolist(),
        rows["text"].to_numpy(dtype=object)[keep].tolist(),
        strict=True,
    ):
        out.setdefault((u, j), []).append((float(v), str(t)))
    return {k: tuple(v) for k, v in out.items()}


def _reasons(r: Results, df: pd.DataFrame, score: Array, withheld: Array) -> list[str]:
    U, L = score.shape
    status = r.leaf_scores.status.ravel()
    need = (
        (df["lost"].to_numpy() != 0)
        | (status >= 3)
        | ((df["role"] != Role.SCORE).to_numpy() & (score.ravel() != 0))
    )
    out = [""] * (U * L)
    ev = _evidence_texts(r)
    agg = r.aggregates
    idx = np.nonzero(need)[0]
    # plain Python lists: indexing numpy scalars cell by cell is what makes this slow
    cols = [a.ravel()[idx].tolist() for a in (score, agg.n, agg.total, agg.value, agg.over)]
    texts = agg.text.ravel()[idx].tolist()
    st = status[idx].tolist()
    wants_rows = np.array([leaf.rule.describe_rows(leaf.params) for leaf in r.leaves], dtype=bool)
    cell_rows = _unit_rows(r, need.reshape(U, L) & wants_rows[None, :])
    # many cells share the same inputs (one stale column, 1 of 2 meetings…): describe each once
    described: dict[tuple[Any, ...], str] = {}
    for flat, sc, n, total, value, over, text_in, code in zip(
        idx.tolist(), *cols, texts, st, strict=True
    ):
        if code >= 3:
            out[flat] = STATUS_LABELS[code]
            continue
        u, j = divmod(flat, L)
        rows = cell_rows.get((u, j), ())
        key = (j, sc, n, total, None if value != value else value, str(text_in), over, rows)
        text = described.get(key)
        if text is None:
            leaf = r.leaves[j]
            cell = Cell(sc, int(n), total, value, str(text_in), int(over), rows)
            text = leaf.rule.describe(leaf.params, leaf.points, cell)
            described[key] = text
        if withheld[u, j]:
            text = _withheld_text(r, u, sc)
        extra = ev.get((u, j))
        out[flat] = (f"{text}；{extra}" if text else extra) if extra else text
    return out


def _evidence_texts(r: Results) -> dict[tuple[int, int], str]:
    """Evidence of the rows that moved the score, joined per (unit, leaf).

    A row counts when it has an effect in points, when it is the single value a
    method reads, or when it exceeded the method's threshold (an item answered
    late in an on-time ratio); rows that cost nothing (an on-time reply) stay
    out of the 失分原因.
    """
    rows = r.aggregates.rows
    leaf_idx = rows["leaf_idx"].to_numpy()
    single = np.array([leaf.rule.kind.single for leaf in r.leaves], dtype=bool)
    thresholds = [leaf.rule.threshold(leaf.params) for leaf in r.leaves]
    thr = np.array([np.inf if t is None else t for t in thresholds], dtype=float)
    veto = np.array([leaf.rule.role == Role.VETO for leaf in r.leaves], dtype=bool)
    value = rows["value"].to_numpy()
    moved = (
        (rows["effect"].to_numpy() != 0)
        | single[leaf_idx]
        | (value > thr[leaf_idx])
        | (veto[leaf_idx] & (value > 0))
    )
    rows = rows[moved & (rows["evidence"] != "").to_numpy() & (rows["status"] == "ok").to_numpy()]
    out: dict[tuple[int, int], list[str]] = {}
    for u, j, text in zip(
        rows["unit_idx"].to_numpy(), rows["leaf_idx"].to_numpy(), rows["evidence"], strict=True
    ):
        out.setdefault((int(u), int(j)), []).append(str(text))
    return {k: "；".join(v) for k, v in out.items()}


def deductions(items: pd.DataFrame) -> pd.DataFrame:
    """Lost points with their reasons and evidence (扣分明细), one row per (unit, indicator)."""
    keep = (items["lost"] != 0) | items["status"].str.startswith("缺失")
    out: pd.DataFrame = items[keep].reset_index(drop=True)
    return out


def evidence(r: Results, unit: str | None = None, indicator: str | None = None) -> pd.DataFrame:
    """Evidence rows with the indicator they fed and their effect in points."""
    rows = r.aggregates.rows.copy()
    rows["indicator"] = [r.leaves[j].id for j in rows["leaf_idx"]]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    out: pd.DataFrame = rows[EVIDENCE_COLUMNS].reset_index(drop=True)
    return out


def compare(r: Results, previous: Any) -> pd.DataFrame:
    """Change against a previous period: previous total / rank and the differences (正数为进步)."""
    prev = previous.summary.set_index("unit")[["total", "rank"]].rename(
        columns={"total": "prev_total", "rank": "prev_rank"}
    )
    cur = r.summary.set_index("unit")[["group", "total", "rank"]]
    out = cur.join(prev, how="left")
    out["total_change"] = round_half_up(
        (out["total"] - out["prev_total"]).to_numpy(), r.rubric.meta.precision
    )
    out["rank_change"] = out["prev_rank"] - out["rank"]
    table: pd.DataFrame = out.reset_index()
    return table
