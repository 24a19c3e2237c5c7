"""Tables over a :class:`~zwgk_score.results.Results` record: items, 失分原因, evidence, rankings.

Pure functions of the record (nothing is stored back into it); the record's
methods of the same names are thin wrappers over these.
"""

from __future__ import annotations

import bisect
import functools
import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zwgk_score.engine.aggregate import round_half_up
from zwgk_score.engine.leaves import STATUS_LABELS
from zwgk_score.errors import PluginError
from zwgk_score.methods.base import CELL_FIELDS, Array, Cases, Cell, Role, fmt

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
    # copy=False: every column below is built here (pandas would copy the reason column's
    # 8 million references once more); the float columns are stacked into one new block,
    # and the one column that would view the record's arrays is copied
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
            "applicable": ls.applicable.ravel().copy(),
            "status": _categorical(label_codes[ls.status.ravel()], labels),
            "score": score_shown,
            "lost": lost_shown,
            "reason": reasons.column(),
            "self_score": r.aggregates.self_score.ravel(),
        },
        copy=False,
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

    def column(self) -> np.ndarray | pd.api.extensions.ExtensionArray:
        """Every cell's text as the column pandas makes of :meth:`strings` (``str`` where pandas
        infers it, else objects), checking the table's texts only, not every cell's."""
        dtype = _text_dtype()
        if not isinstance(dtype, pd.StringDtype):
            return self.strings()
        out: pd.api.extensions.ExtensionArray = pd.array(self.table(), dtype=dtype).take(self.codes)
        return out

    def tolist(self) -> list[str]:
        """Every cell's text as a list."""
        out: list[str] = self.strings().tolist()
        return out


@functools.cache
def _text_dtype() -> Any:
    """The dtype pandas gives a column made of an object array of strings."""
    return pd.Series(np.array(["a"], dtype=object)).dtype


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


_NEG_ZERO = np.float64(-0.0).view(np.int64)


def _value_codes(col: np.ndarray) -> tuple[np.ndarray, int] | None:
    """(a code per position, number of codes) grouping equal values, or None when all are
    equal.  Floats: NaN equals NaN, -0.0 is not 0.0 (``describe`` may write them apart)."""
    n = len(col)
    if not n:
        return None
    if col.dtype.kind == "f":
        bits = col.view(np.int64)
        if (bits == bits[0]).all():
            return None
        c, uniques = pd.factorize(col, use_na_sentinel=False)  # -0.0 with 0.0, NaN one
        k = max(len(uniques), 1)
        negative_zero = bits == _NEG_ZERO
        if negative_zero.any():
            c, k = np.where(negative_zero, k, c), k + 1
        return c, k
    if col.dtype.kind in "iub":
        lo, hi = int(col.min()), int(col.max())
        if lo == hi:
            return None
        if hi - lo < n:  # small integers as they are
            return (col if lo == 0 else col - lo).astype(np.int64, copy=False), hi - lo + 1
    elif col.dtype.kind == "O" and isinstance(col[0], str) and (col == col[0]).all():
        return None  # one text everywhere (numbers only: all "")
    c, uniques = pd.factorize(col, use_na_sentinel=False)
    return c, max(len(uniques), 1)


def _case_codes(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Group positions by their values in ``columns``: (case code per position, first position
    of each case).  Codes are numbered in order of first appearance.

    Floats are compared by value, except that NaN equals NaN (same value, same text) and
    -0.0 is apart from 0.0 (``pct(-0.0)`` is "-0.00%").
    """
    n = len(columns[0]) if columns else 0
    code = np.zeros(n, dtype=np.int64)
    span = 1  # every code is below span
    floats: list[np.ndarray] = []  # the bits of the float columns grouped on so far
    for col in columns:
        if col.dtype.kind == "f" and n:
            bits = col.view(np.int64)
            if any(np.array_equal(bits, b) for b in floats):
                continue  # the bits of a column already grouped on: nothing to add
            floats.append(bits)
        got = _value_codes(col)
        if got is None:
            continue
        c, k = got
        if span * k >= 2**62:  # renumber densely before the product could overflow
            code, uniques = pd.factorize(code)
            span = max(len(uniques), 1)
        code, span = code * k + c, span * k
    code, _ = pd.factorize(code)
    # codes are numbered in order of first appearance: a first position exceeds all before it
    seen = np.maximum.accumulate(np.r_[-1, code[:-1]]) if n else code
    return code, np.flatnonzero(code > seen)


def _described_fields(rule: Any, params: Any) -> tuple[str, ...]:
    """The Cell fields the method's ``describe`` reads (``describe_fields``), all when it does
    not say: only when the class that defines ``describe_fields`` also defines ``describe``."""
    for klass in type(rule).__mro__:
        if "describe_fields" in vars(klass):
            if "describe" not in vars(klass):
                return CELL_FIELDS
            fields = rule.describe_fields(params)
            if fields is None:
                return CELL_FIELDS
            unknown = set(fields) - set(CELL_FIELDS)
            if unknown:
                raise PluginError(
                    f"评分方法 {rule.name} 的 describe_fields 含未知字段：{'、'.join(sorted(unknown))}",
                    file=inspect.getsourcefile(klass),
                    path=f"{klass.__qualname__}.describe_fields",
                    hint=f"可选的字段：{'、'.join(CELL_FIELDS)}",
                )
            return tuple(f for f in CELL_FIELDS if f in fields)
        if "describe" in vars(klass):
            return CELL_FIELDS
    return CELL_FIELDS


def _at_cells(arr: np.ndarray, by_leaf: np.ndarray) -> np.ndarray:
    """The entries of a (unit × leaf) array at cell positions in leaf order (leaf × U + unit)."""
    if arr.T.flags.c_contiguous:  # a view of a leaf-major array: read in its order
        return np.take(arr.T.reshape(-1), by_leaf)
    j, u = np.divmod(by_leaf, arr.shape[0])
    out: np.ndarray = arr[u, j]
    return out


def _reasons(
    r: Results, lost: Array, roles: np.ndarray, score: Array, withheld: Array
) -> TextTable:
    """失分原因 per (unit, leaf), flat in items order.

    A cell needs a reason when it lost points, has no data, or (bonus, major
    deduction, veto) has an effect.  Cells of a leaf with the same inputs — the
    fields its method's ``describe`` reads (``describe_fields``; all of score,
    aggregates and text when the method does not say), and for methods that
    read them their rows — are one case: each case is described once through
    its method's ``describe`` and the text is mapped back to all its cells.
    Then the gate's text replaces a withheld bonus, and the evidence of the rows
    that moved the score is appended.
    """
    U, L = score.shape
    status = r.leaf_scores.status.ravel()
    effect = ((roles != Role.SCORE)[None, :] & (score != 0)).ravel()
    need = (lost != 0) | (status >= 3) | effect
    out = TextTable(U * L)
    labelled = np.flatnonzero(need & (status >= 3))
    out.put(labelled, _status_labels(), status[labelled])
    # the cells in leaf order (leaf, then unit): the engine's (unit × leaf) arrays are views of
    # leaf-major arrays, read here at the cells' positions in that order (no flat copy of each)
    by_leaf = np.flatnonzero((need & (status < 3)).reshape(U, L).T)
    if not len(by_leaf):
        return out
    agg = r.aggregates
    j, u_of = np.divmod(by_leaf, U)
    idx = u_of * L + j  # flat items positions
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
    arrays = {
        "score": score,
        "n": agg.n,
        "total": agg.total,
        "value": agg.value,
        "text": agg.text,
        "over": agg.over,
    }
    # the leaves whose methods read the same fields are grouped together, on those fields
    signatures: dict[tuple[str, ...], int] = {}
    sig_of = np.array(
        [
            signatures.setdefault(_described_fields(leaf.rule, leaf.params), len(signatures))
            for leaf in r.leaves
        ],
        dtype=np.int64,
    )
    sig = sig_of[j] if len(signatures) > 1 else None
    code = np.empty(len(idx), dtype=np.int64)
    firsts: list[np.ndarray] = []
    n_cases = 0
    for fields, s_id in signatures.items():
        sub = np.flatnonzero(sig == s_id) if sig is not None else None
        at_s, j_s = (by_leaf, j) if sub is None else (by_leaf[sub], j[sub])
        if not len(j_s):
            continue
        columns = [j_s, *(_at_cells(arrays[name], at_s) for name in fields)]
        if wants_rows[sig_of == s_id].any():
            columns.append(rows_id if sub is None else rows_id[sub])
        c, f = _case_codes(columns)
        del columns
        if sub is None:
            code, first_s = c + n_cases, f
        else:
            code[sub] = c + n_cases
            first_s = sub[f]
        firsts.append(first_s)
        n_cases += len(f)
    first = np.concatenate(firsts)
    case = {k: _at_cells(v, by_leaf[first]) for k, v in arrays.items()}
    texts = _describe(r, j[first], case, rows_id[first], rows_list, wants_rows)
    out.put(idx, texts, code)
    gated = idx[withheld[u_of, j]]
    out.put(gated, [_withheld_text(r, f // L, float(score[f // L, f % L])) for f in gated.tolist()])
    in_case = np.zeros(U * L, dtype=bool)
    in_case[idx] = True
    _append_evidence(r, in_case, out)
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


def _evidence_rows(r: Results, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The evidence of the rows that moved the score, for the cells marked in ``wanted`` (flat,
    items order): (cell of each row, its evidence text), rows sorted by cell, empty texts left
    out; within a cell the rows keep their order.

    A row counts when it has an effect in points, when it is the single value a
    method reads, or when it exceeded the method's threshold (an item answered
    late in an on-time ratio); rows that cost nothing (an on-time reply) stay
    out of the 失分原因.
    """
    rows = r.aggregates.evidence_rows
    L = len(r.leaves)
    U = len(wanted) // L if L else 0
    none = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    if not len(rows) or not U:
        return none
    unit_idx, status = rows.unit_idx, rows.status
    # each leaf's rows are one run (leaf order): test them against the leaf's column of
    # ``wanted`` (a small array, read in cache) instead of every row's flat cell
    wanted_by_leaf = np.ascontiguousarray(wanted.reshape(U, L).T)
    ends = np.cumsum(rows.leaf_sizes)
    keep = np.zeros(len(rows), dtype=bool)
    events: list[tuple[int, int, int]] = []  # (leaf, start, end) of the rows read by value
    for jj, leaf in enumerate(r.leaves):
        a, b = int(ends[jj] - rows.leaf_sizes[jj]), int(ends[jj])
        if a == b or not wanted_by_leaf[jj].any():
            continue
        keep[a:b] = wanted_by_leaf[jj][unit_idx[a:b]] & (status[a:b] == 0)
        if not leaf.rule.kind.single:
            events.append((jj, a, b))
    if events:
        eff = rows.effect
        for jj, a, b in events:
            leaf = r.leaves[jj]
            at = a + np.flatnonzero(keep[a:b])
            value = rows.take("value", at)
            thr = leaf.rule.threshold(leaf.params)
            moved = eff[at] != 0
            if thr is not None:
                moved |= value > thr
            if leaf.rule.role == Role.VETO:
                moved |= value > 0
            keep[at[~moved]] = False
    at = np.flatnonzero(keep)
    del keep
    ev = rows.take("evidence", at)
    written = ev != ""
    at, ev = at[written], ev[written]
    if not len(at):
        return none
    cell = unit_idx[at].astype(np.int64) * L + rows.leaf_idx[at]
    order = np.argsort(cell, kind="stable")
    return cell[order], ev[order]


#: separates the cells' texts in one joined string (checked absent from the texts)
_CELL_END = "\x00"
#: cells joined at a time (bounds the joined string's memory)
_JOIN_CELLS = 200_000


def _join_cells(firsts: np.ndarray, cell_of: np.ndarray, texts: np.ndarray, n: int) -> np.ndarray:
    """``"；".join`` of each cell's texts (object array of ``n`` strings).

    ``texts`` are grouped by cell (``cell_of``: 0 … n − 1, ascending); a cell
    whose ``firsts`` entry is not "" starts with it.  Built as one string — each
    text followed by "；" or, at a cell's end, by a separator — split once, so
    that no string is concatenated in Python.
    """
    if not n:
        return np.empty(0, dtype=object)
    said = np.flatnonzero(firsts != "")
    pieces = np.concatenate([texts, firsts[said]])
    owner = np.concatenate([cell_of, said])
    # the cell's own text first, then its evidence in order (a stable sort of the owners)
    rank = np.concatenate([np.ones(len(texts), dtype=np.int8), np.zeros(len(said), dtype=np.int8)])
    order = np.lexsort((rank, owner))
    pieces, owner = pieces[order], owner[order]
    last = np.r_[owner[1:] != owner[:-1], True]
    seq = np.empty(2 * len(pieces), dtype=object)
    seq[0::2] = pieces
    seq[1::2] = "；"
    seq[1::2][last] = _CELL_END
    joined = "".join(seq.tolist())
    parts = joined.split(_CELL_END)
    if len(parts) != n + 1:  # a text holds the separator: join cell by cell
        out = np.empty(n, dtype=object)
        grouped: list[list[str]] = [[] for _ in range(n)]
        for o, t in zip(owner.tolist(), pieces.tolist(), strict=True):
            grouped[o].append(t)
        out[:] = ["；".join(g) for g in grouped]
        return out
    out = np.empty(n, dtype=object)
    out[:] = parts[:n]
    return out


#: cells with up to this many evidence rows are grouped by their texts before joining
_GROUP_ROWS = 16


def _append_evidence(r: Results, wanted: np.ndarray, reasons: TextTable) -> None:
    """The cells marked in ``wanted`` that have evidence (:func:`_evidence_rows`) get their
    text, "；", and their rows' evidence joined with "；" (only the evidence when the text
    is empty).

    Cells with the same text and the same sequence of evidence texts are joined once:
    the cells of each row count (up to :data:`_GROUP_ROWS`) are grouped by their text's
    code and their rows' text codes, and only the first cell of each group is joined.
    """
    cell, ev = _evidence_rows(r, wanted)
    if not len(cell):
        return
    new_cell = np.r_[True, cell[1:] != cell[:-1]]
    starts = np.flatnonzero(new_cell)
    cells = cell[starts]
    counts = np.diff(np.r_[starts, len(cell)])
    base_code = reasons.codes[cells].astype(np.int64)
    ev_code, _ = pd.factorize(ev)
    group = np.empty(len(cells), dtype=np.int64)  # each cell's group (its joined text)
    lead: list[np.ndarray] = []  # the first cell of each group
    for count in np.unique(counts).tolist():
        sel = np.flatnonzero(counts == count)
        if count > _GROUP_ROWS:
            code, first = np.arange(len(sel)), np.arange(len(sel))
        else:
            at = starts[sel]
            code, first = _case_codes([base_code[sel], *(ev_code[at + k] for k in range(count))])
        group[sel] = code + sum(len(x) for x in lead)
        lead.append(sel[first])
    leads = np.concatenate(lead)
    # the rows of the lead cells, in the lead cells' order
    lead_rows = np.repeat(starts[leads] - np.cumsum(np.r_[0, counts[leads][:-1]]), counts[leads])
    lead_rows += np.arange(len(lead_rows))
    lead_of = np.repeat(np.arange(len(leads)), counts[leads])
    base = reasons.get(cells[leads])
    ev_lead = ev[lead_rows]
    starts_lead = np.r_[0, np.cumsum(counts[leads])]
    joined = np.empty(len(leads), dtype=object)
    for c0 in range(0, len(leads), _JOIN_CELLS):
        c1 = min(c0 + _JOIN_CELLS, len(leads))
        r0, r1 = int(starts_lead[c0]), int(starts_lead[c1])
        joined[c0:c1] = _join_cells(base[c0:c1], lead_of[r0:r1] - c0, ev_lead[r0:r1], c1 - c0)
    reasons.put(cells, joined, group.astype(np.int32))


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
