"""Tables over a :class:`~zwgk_score.results.Results` record: items, 失分原因, evidence, rankings.

Pure functions of the record (nothing is stored back into it); the record's
methods of the same names are thin wrappers over these.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zwgk_score.engine.aggregate import round_half_up
from zwgk_score.engine.leaves import STATUS_LABELS
from zwgk_score.methods.base import Array, Cases, Cell, Role, fmt

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
    """One row per (unit, indicator): points, score, lost points, status, 失分原因 and 自评分.

    Built column by column.  The repeated text columns (unit, group, indicator,
    name, domain, task, method, role, status) are categorical (``category``
    dtype, categories sorted, so that sorting and grouping give what plain
    strings give): integer codes repeated / tiled.  The 失分原因 (``reason``,
    ``str``) are rendered once per distinct case (see :func:`_reasons`), never
    once per cell; cells with the same text share one string object.
    """
    ls = r.leaf_scores
    U, L = len(r.roster), len(r.leaves)
    # plain strings in the table (Role members compare equal to them)
    roles = np.array([leaf.rule.role.value for leaf in r.leaves], dtype=object)
    # each unit's points and score of each leaf, after 分值并入 (na_to)
    points = r.totals.leaf_points
    # a bonus the gate (meta.bonus_min_score) withheld is shown as 0, with the gate's reason
    withheld = r.totals.bonus_withheld[:, None] & (roles == Role.BONUS)[None, :] & (ls.score > 0)
    shown = np.where(withheld, 0.0, r.totals.leaf_score)
    lost = np.where((roles == Role.SCORE)[None, :] & ls.applicable, points - shown, 0.0)
    lost = np.where((roles == Role.MAJOR)[None, :], shown, lost)
    prec = r.rubric.meta.precision
    lost_shown = round_half_up(lost.ravel(), prec)
    del lost
    score_shown = round_half_up(shown.ravel(), prec)
    del shown
    reasons = _reasons(r, lost_shown, roles, r.totals.leaf_score, withheld)
    _transfer_reasons(r, reasons)
    _adjustment_notes(r, reasons)

    def per_leaf(values: Sequence[object]) -> pd.Categorical:
        codes, cats = _sorted_codes(np.array(values, dtype=object))
        return _categorical(np.tile(codes, U), cats)

    def per_unit(column: str) -> pd.Categorical:
        codes, cats = _sorted_codes(r.roster[column].to_numpy(dtype=object))
        return _categorical(np.repeat(codes, L), cats)

    label_codes, labels = _sorted_codes(_status_labels())
    df: pd.DataFrame = pd.DataFrame(
        {
            "unit": per_unit("unit"),
            "group": per_unit("group"),
            "indicator": per_leaf([leaf.id for leaf in r.leaves]),
            "name": per_leaf([leaf.name for leaf in r.leaves]),
            "domain": per_leaf([r.rubric.domain_of(leaf.id).id for leaf in r.leaves]),
            "task": per_leaf([leaf.task or "" for leaf in r.leaves]),
            "method": per_leaf([leaf.method for leaf in r.leaves]),
            "role": per_leaf(roles.tolist()),
            "points": points.ravel(),
            "applicable": ls.applicable.ravel(),
            "status": _categorical(label_codes[ls.status.ravel()], labels),
            "score": score_shown,
            "lost": lost_shown,
            "reason": reasons.strings(),
            "self_score": r.aggregates.self_score.ravel(),
        }
    )
    return df


def _sorted_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each value, the distinct values sorted as Python sorts strings)."""
    codes, uniques = pd.factorize(values, sort=True)
    return codes, np.asarray(uniques, dtype=object)


def _categorical(codes: np.ndarray, categories: np.ndarray) -> pd.Categorical:
    """A categorical column of ``categories[codes]`` (codes in range, categories distinct)."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories), validate=False)


class TextTable:
    """A text per cell as a code into a table of texts (code 0 is "").

    Texts are added to the table in bulk and cells point at them, so a text
    shared by many cells is one string object, and a cell's text can be
    replaced (an appended evidence, a gate's text) without a pass over all cells.
    """

    def __init__(self, n: int) -> None:
        self.codes = np.zeros(n, dtype=np.int32)
        self._parts: list[np.ndarray] = [np.array([""], dtype=object)]
        self._starts = [0]  # the code of each part's first text
        self._size = 1

    def put(
        self, at: np.ndarray, texts: Sequence[str] | np.ndarray, code: np.ndarray | None = None
    ) -> None:
        """Cells ``at`` get ``texts[code]`` (``code`` defaults to one text per cell)."""
        part = texts if isinstance(texts, np.ndarray) else np.array(texts, dtype=object)
        self.codes[at] = self._size + (np.arange(len(at)) if code is None else code)
        self._parts.append(part)
        self._starts.append(self._size)
        self._size += len(part)

    def table(self) -> np.ndarray:
        """Every text added so far (object array; a cell's code indexes it)."""
        if len(self._parts) > 1:
            self._parts, self._starts = [np.concatenate(self._parts)], [0]
        return self._parts[0]

    def get(self, at: np.ndarray) -> np.ndarray:
        """The texts of cells ``at`` (object array)."""
        out: np.ndarray = self.table()[self.codes[at]]
        return out

    def __getitem__(self, at: int) -> str:
        """The text of one cell (without joining the parts added so far)."""
        code = int(self.codes[at])
        k = bisect.bisect_right(self._starts, code) - 1
        return str(self._parts[k][code - self._starts[k]])

    def strings(self) -> np.ndarray:
        """Every cell's text (object array; a text shared by many cells is one string)."""
        out: np.ndarray = self.table()[self.codes]
        return out

    def tolist(self) -> list[str]:
        """Every cell's text as a list."""
        out: list[str] = self.strings().tolist()
        return out


def _status_labels() -> np.ndarray:
    """STATUS_LABELS as an array indexed by status code."""
    out = np.full(max(STATUS_LABELS) + 1, "", dtype=object)
    for code, label in STATUS_LABELS.items():
        out[code] = label
    return out


def _flat(r: Results, unit: str, indicator: str) -> int | None:
    """Row of (unit, indicator) in the items table, or None when either is unknown."""
    u = r.unit_index.get(unit)
    j = next((j for j, leaf in enumerate(r.leaves) if leaf.id == indicator), None)
    return None if u is None or j is None else u * len(r.leaves) + j


def _adjustment_notes(r: Results, reasons: TextTable) -> None:
    """An item changed by an appeal decision says so first: 申诉调整（2→4分）：reason."""
    for (unit, ind), adj in r.adjustments.items():
        at = _flat(r, unit, ind)
        if at is None:
            continue
        note = f"申诉调整（{fmt(adj['before'])}→{fmt(adj['after'])}分）：{adj['reason']}"
        x = reasons[at]
        reasons.put(np.array([at]), [f"{note}；{x}" if x else note])


def _transfer_reasons(r: Results, reasons: TextTable) -> None:
    """失分原因 of the leaves whose points moved to a sibling (分值并入)."""
    if all(leaf.na_to is None for leaf in r.leaves):
        return
    L = len(r.leaves)
    names = {leaf.id: leaf.name for leaf in r.leaves}
    index = {leaf.id: j for j, leaf in enumerate(r.leaves)}
    for j, leaf in enumerate(r.leaves):
        if leaf.na_to is None:
            continue
        t = index[leaf.na_to]
        moved = ~r.leaf_scores.applicable[:, j] & r.leaf_scores.applicable[:, t]
        at = np.flatnonzero(moved) * L + j
        reasons.put(
            at, [f"不适用，分值并入「{names[leaf.na_to]}」"], np.zeros(len(at), dtype=np.int32)
        )


def _withheld_text(r: Results, u: int, earned: float) -> str:
    gate = r.rubric.meta.bonus_min_score
    base = float(r.totals.base[u])
    shown = round_half_up(np.array([base]), r.rubric.meta.precision)[0]
    return f"未加分：基础分 {shown:.2f} 未达到加分门槛 {fmt(gate or 0)} 分（本项应加 {fmt(earned)} 分）"


def _unit_rows(r: Results, cells: Array) -> dict[tuple[int, int], tuple[tuple[float, str], ...]]:
    """The (value, text) of the ok evidence rows of the (unit, leaf) cells marked in ``cells``."""
    rows = r.aggregates.evidence_rows
    if not len(rows) or not cells.any():
        return {}
    u_all, j_all = rows.unit_idx, rows.leaf_idx
    keep = np.flatnonzero(cells[u_all, j_all] & (rows.status == 0))
    out: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for u, j, v, t in zip(
        u_all[keep].tolist(),
        j_all[keep].tolist(),
        rows.take("value", keep).tolist(),
        rows.take("text", keep).tolist(),
        strict=True,
    ):
        out.setdefault((u, j), []).append((float(v), str(t)))
    return {k: tuple(v) for k, v in out.items()}


def _case_codes(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Group positions by their values in ``columns``: (case code per position, first position
    of each case).  Codes are numbered in order of first appearance.

    Floats are compared as Python compares them: NaN equals NaN here (same value, same text),
    and -0.0 equals 0.0 (as in a dict key; the case keeps its first position's value).
    """
    n = len(columns[0]) if columns else 0
    code = np.zeros(n, dtype=np.int64)
    span = 1  # every code is below span
    floats: list[np.ndarray] = []  # the bits of the float columns grouped on so far
    for col in columns:
        if col.dtype.kind == "f" and n:
            col = col + 0.0  # -0.0 → 0.0
            bits = col.view(np.int64)
            # the same bits everywhere, or the bits of a column already grouped on: nothing to add
            if (bits == bits[0]).all() or any(np.array_equal(bits, b) for b in floats):
                continue
            floats.append(bits)
        elif col.dtype.kind == "O" and n and isinstance(col[0], str) and (col == col[0]).all():
            continue  # one text everywhere (numbers only: all "")
        lo = int(col.min()) if n and col.dtype.kind in "iu" else 0
        if n and col.dtype.kind in "iu" and int(col.max()) - lo < n:
            c, k = col.astype(np.int64) - lo, int(col.max()) - lo + 1  # small integers as they are
        else:
            c, uniques = pd.factorize(col, use_na_sentinel=False)
            k = max(len(uniques), 1)
        if span * k >= 2**62:  # renumber densely before the product could overflow
            code, uniques = pd.factorize(code)
            span = max(len(uniques), 1)
        code, span = code * k + c, span * k
    code, _ = pd.factorize(code)
    # codes are numbered in order of first appearance: a first position exceeds all before it
    seen = np.maximum.accumulate(np.r_[-1, code[:-1]]) if n else code
    return code, np.flatnonzero(code > seen)


def _reasons(
    r: Results, lost: Array, roles: np.ndarray, score: Array, withheld: Array
) -> TextTable:
    """失分原因 per (unit, leaf), flat in items order.

    A cell needs a reason when it lost points, has no data, or (bonus, major
    deduction, veto) has an effect.  Cells with the same inputs — leaf, score
    and aggregates, and for methods that read them their rows — are one case:
    each case is described once through its method's ``describe`` and the text
    is mapped back to all its cells.  Then the gate's text replaces a withheld
    bonus, and the evidence of the rows that moved the score is appended.
    """
    U, L = score.shape
    status = r.leaf_scores.status.ravel()
    effect = ((roles != Role.SCORE)[None, :] & (score != 0)).ravel()
    need = (lost != 0) | (status >= 3) | effect
    out = TextTable(U * L)
    labelled = np.flatnonzero(need & (status >= 3))
    out.put(labelled, _status_labels(), status[labelled])
    idx = np.flatnonzero(need & (status < 3))
    if not len(idx):
        return out
    agg = r.aggregates
    # the (unit × leaf) arrays are read at the cells' positions (no flat copy of each)
    u_of, j = np.divmod(idx, L)
    wants_rows = np.array([leaf.rule.describe_rows(leaf.params) for leaf in r.leaves], dtype=bool)
    # the rows a method reads, as a case id per cell (0: no rows)
    rows_id = np.zeros(len(idx), dtype=np.int64)
    rows_cases: dict[tuple[tuple[float, str], ...], int] = {(): 0}
    if wants_rows.any():
        cell_rows = _unit_rows(r, need.reshape(U, L) & wants_rows[None, :])
        at = np.flatnonzero(wants_rows[j])
        rows_id[at] = [
            rows_cases.setdefault(cell_rows.get(divmod(f, L), ()), len(rows_cases))
            for f in idx[at].tolist()
        ]
    rows_list = list(rows_cases)
    cols = {
        "score": score[u_of, j],
        "n": agg.n[u_of, j],
        "total": agg.total[u_of, j],
        "value": agg.value[u_of, j],
        "text": agg.text[u_of, j],
        "over": agg.over[u_of, j],
    }
    code, first = _case_codes([j, *cols.values(), rows_id])
    case = {k: v[first] for k, v in cols.items()}
    texts = _describe(r, j[first], case, rows_id[first], rows_list, wants_rows)
    out.put(idx, texts, code)
    gated = idx[withheld[u_of, j]]
    out.put(gated, [_withheld_text(r, f // L, float(score[f // L, f % L])) for f in gated.tolist()])
    in_case = np.zeros(U * L, dtype=bool)
    in_case[idx] = True
    cells, extra = _evidence_texts(r, in_case)
    base = out.get(cells)
    said = base != ""
    extra[said] = base[said] + "；" + extra[said]
    out.put(cells, extra)
    return out


def _batch_describer(rule: Any) -> Any:
    """The method's ``describe_cases`` hook, or None: only when the class that defines it
    also defines ``describe`` (a subclass that changes ``describe`` alone is described
    case by case)."""
    for klass in type(rule).__mro__:
        if "describe_cases" in vars(klass):
            return rule.describe_cases if "describe" in vars(klass) else None
        if "describe" in vars(klass):
            return None
    return None


def _describe(
    r: Results,
    leaf_of: np.ndarray,
    case: dict[str, np.ndarray],
    rows_id: np.ndarray,
    rows_list: list[tuple[tuple[float, str], ...]],
    wants_rows: np.ndarray,
) -> np.ndarray:
    """The text of each case (object array): a leaf's cases through its method's
    ``describe_cases`` when it has one (:class:`~zwgk_score.methods.base.Cases`),
    else one ``describe`` call per case."""
    out = np.full(len(leaf_of), "", dtype=object)
    order = np.argsort(leaf_of, kind="stable")
    ordered = leaf_of[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(order) else order
    for a, b in zip(starts.tolist(), [*starts[1:].tolist(), len(order)], strict=True):
        at = order[a:b]
        leaf = r.leaves[int(ordered[a])]
        batch = None if wants_rows[int(ordered[a])] else _batch_describer(leaf.rule)
        got: list[str] | None = None
        if batch is not None:
            cases = Cases(
                case["score"][at],
                case["n"][at].astype(np.int64),
                case["total"][at],
                case["value"][at],
                case["text"][at],
                case["over"][at].astype(np.int64),
            )
            got = batch(leaf.params, leaf.points, cases)
        if got is None:
            got = [
                leaf.rule.describe(
                    leaf.params,
                    leaf.points,
                    Cell(sc, int(n), total, value, str(text_in), int(over), rows_list[rows]),
                )
                for sc, n, total, value, text_in, over, rows in zip(
                    *(
                        case[k][at].tolist()
                        for k in ("score", "n", "total", "value", "text", "over")
                    ),
                    rows_id[at].tolist(),
                    strict=True,
                )
            ]
        out[at] = np.array(got, dtype=object) if len(got) else out[at]
    return out


def _evidence_texts(r: Results, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Evidence of the rows that moved the score, joined per (unit, leaf) with "；", for the
    cells marked in ``wanted`` (flat, items order).

    Returns (flat cell positions, joined texts), cells in ascending order.  A
    row counts when it has an effect in points, when it is the single value a
    method reads, or when it exceeded the method's threshold (an item answered
    late in an on-time ratio); rows that cost nothing (an on-time reply) stay
    out of the 失分原因.  Within a cell the rows keep their order.
    """
    rows = r.aggregates.evidence_rows
    L = len(r.leaves)
    leaf_idx = rows.leaf_idx
    single = np.array([leaf.rule.kind.single for leaf in r.leaves], dtype=bool)
    thresholds = [leaf.rule.threshold(leaf.params) for leaf in r.leaves]
    thr = np.array([np.inf if t is None else t for t in thresholds], dtype=float)
    veto = np.array([leaf.rule.role == Role.VETO for leaf in r.leaves], dtype=bool)
    value = rows.column("value")
    moved = (
        (rows.effect != 0)
        | single[leaf_idx]
        | (value > thr[leaf_idx])
        | (veto[leaf_idx] & (value > 0))
    )
    keep = np.flatnonzero(moved & (rows.status == 0))
    cell = rows.unit_idx[keep].astype(np.int64) * L + leaf_idx[keep]
    keep, cell = keep[wanted[cell]], cell[wanted[cell]]  # only the cells that get a reason
    ev = rows.take("evidence", keep)
    written = ev != ""
    cell, ev = cell[written], ev[written]
    order = np.argsort(cell, kind="stable")
    cell, texts = cell[order], ev[order]
    if not len(cell):
        return cell, texts
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    # each cell's texts joined with "；": the separator put before every text but a cell's
    # first, then one concatenating reduction per cell (no Python loop over the cells)
    seq = texts.copy()
    later = np.ones(len(cell), dtype=bool)
    later[starts] = False
    seq[later] = "；" + texts[later]
    joined = np.add.reduceat(seq, starts)
    return cell[starts], joined


def deductions(items: pd.DataFrame) -> pd.DataFrame:
    """Lost points with their reasons and evidence (扣分明细), one row per (unit, indicator)."""
    keep = (items["lost"] != 0) | items["status"].str.startswith("缺失")
    out: pd.DataFrame = items[keep].reset_index(drop=True)
    return out


def evidence(r: Results, unit: str | None = None, indicator: str | None = None) -> pd.DataFrame:
    """Evidence rows with the indicator they fed and their effect in points."""
    rows = r.aggregates.rows.copy()
    ids = np.array([leaf.id for leaf in r.leaves], dtype=object)
    rows["indicator"] = ids[rows["leaf_idx"].to_numpy()]
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
