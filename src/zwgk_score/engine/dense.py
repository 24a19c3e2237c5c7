"""Dense input (稠密输入): one value per (unit, data key), as arrays in roster order.

National evaluations (e.g. a third-party evaluation's score matrix for
40,000 units) have their data as a units × indicators matrix already; going
through the long evidence table (10 M rows of strings) would cost seconds of
hashing and reordering.  :func:`score_dense` builds the per-cell
:class:`~zwgk_score.engine.evidence.Aggregates` directly from the arrays,
validates them as :func:`~zwgk_score.engine.evidence.prepare` validates rows,
then scores exactly like :func:`zwgk_score.engine.score`.

Each cell is equivalent to a long table holding **one** evidence row with
that value (or none when the value is NaN); for event methods ``counts`` and
``over`` may give the real number of rows and of late items.  The full rules
are in docs/results.md (稠密输入).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zwgk_score.collect.base import evidence_frame
from zwgk_score.engine import finish, setup
from zwgk_score.engine.evidence import Aggregates, prepare
from zwgk_score.errors import DataError
from zwgk_score.methods.base import Array, Method
from zwgk_score.rubric.model import Node, Rubric

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.results import Results


def _array(
    arr: object, key: str, what: str, n_units: int, kinds: str, file: str | None
) -> np.ndarray:
    """``arr`` as a 1-D array of ``n_units`` entries whose dtype kind is in ``kinds``."""
    a = np.asarray(arr)
    if a.shape != (n_units,):
        raise DataError(
            f"{what}「{key}」的形状为 {a.shape}，应为 ({n_units},)：每个单位一个值",
            file=file,
            path=f"key={key}",
            hint="数组按单位名单的顺序，每个单位一个元素",
        )
    if a.dtype.kind not in kinds:
        want = "布尔值（True / False）" if kinds == "b" else "数字"
        raise DataError(
            f"{what}「{key}」的类型为 {a.dtype}，应为{want}",
            file=file,
            path=f"key={key}",
            hint=f"转换为{want}数组后再传入",
        )
    return a


def _check_keys(
    given: Mapping[str, object] | None, known: set[str], what: str, file: str | None
) -> None:
    for key in given or {}:
        if key not in known:
            raise DataError(
                f"{what}的数据键「{key}」不对应考核细则中的任何指标",
                file=file,
                path=f"key={key}",
                hint="检查拼写，或在细则中为指标设置 data = 该键",
            )


#: one key's arrays: values, texts (None = not given), na, counts and over (None = not given)
_KeyArrays = tuple[Array, Array | None, Array, Array | None, Array | None]


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def score_dense(
    rubric: Rubric,
    roster: pd.DataFrame,
    values: Mapping[str, np.ndarray],
    *,
    texts: Mapping[str, np.ndarray] | None = None,
    counts: Mapping[str, np.ndarray] | None = None,
    over: Mapping[str, np.ndarray] | None = None,
    na: Mapping[str, np.ndarray] | None = None,
    methods: Mapping[str, Method[Any]] | None = None,
    period: str | None = None,
    roster_file: str | Path | None = None,
    data_file: str | Path | None = None,
) -> Results:
    """Score every unit of ``roster`` from dense arrays keyed by data key.

    Every array has one entry per roster unit, in roster order.  A key left out
    of a mapping counts as all-absent (all NaN / no text / not ``na``).

    Args:
        rubric: a loaded rubric.
        roster: the unit roster (columns unit, group).
        values: numeric arrays. Single-row methods: the value (NaN = no data,
            handled by ``meta.missing`` exactly like a unit with no row).
            Event methods: the total Σ value (NaN = no rows: 0 occurrences, and
            for ``count`` missing data, as in the long table).
        texts: object arrays of text; for ``checklist`` / ``levels`` the text
            is the data (``None`` or NaN = no data, ``""`` = nothing done).
        counts: event methods: the number of rows behind each total
            (non-negative integers). Default: 1 where the value is given,
            else 0 (one row carrying the total).
        over: methods with a threshold (``timeliness``): the number of items
            over the limit (0 ≤ over ≤ counts). Default: 1 where the value
            (taken as one item) exceeds the limit, else 0.
        na: boolean arrays, True = not applicable (like ``status = na``); the
            value of such a cell is ignored.
        methods: scoring methods by name (default: from the plugins).
        period: label of the period, carried into outputs.
        roster_file / data_file: file names for error messages.

    Raises:
        DataError: bad shapes or dtypes, unknown keys, values a method rejects,
            negative counts, missing data under ``meta.missing = "error"``.
    """
    methods, roster, units, group_ids, unit_groups = setup(rubric, roster, methods, roster_file)
    file = str(data_file) if data_file is not None else None
    agg = dense_aggregates(
        values,
        units,
        rubric.leaves,
        texts=texts,
        counts=counts,
        over=over,
        na=na,
        file=file,
    )
    return finish(
        rubric, roster, methods, agg, unit_groups, group_ids, units, file=file, period=period
    )


def dense_aggregates(
    values: Mapping[str, np.ndarray],
    units: Sequence[str],
    leaves: Sequence[Node],
    *,
    texts: Mapping[str, np.ndarray] | None = None,
    counts: Mapping[str, np.ndarray] | None = None,
    over: Mapping[str, np.ndarray] | None = None,
    na: Mapping[str, np.ndarray] | None = None,
    file: str | None = None,
) -> Aggregates:
    """Validate the dense arrays and build the per-(unit, leaf) :class:`Aggregates`."""
    U, L = len(units), len(leaves)
    known = {leaf.key for leaf in leaves}
    for given, what in (
        (values, "values"),
        (texts, "texts"),
        (counts, "counts"),
        (over, "over"),
        (na, "na"),
    ):
        _check_keys(given, known, what, file)
    # the empty evidence-row frame with the columns the results expect
    empty = prepare(evidence_frame(), units, [], file=file).rows

    # filled leaf by leaf as (leaves, units) rows, handed on transposed: (units, leaves) views
    n = np.zeros((L, U), dtype=np.int64)
    total = np.zeros((L, U))
    value = np.full((L, U), np.nan)
    text = np.full((L, U), "", dtype=object)
    over_a = np.zeros((L, U))
    na_a = np.zeros((L, U), dtype=bool)
    # per key: arrays converted once (several leaves may share it)
    cache: dict[str, _KeyArrays] = {}

    def arrays(key: str) -> _KeyArrays:
        if key in cache:
            return cache[key]
        v = np.full(U, np.nan)
        if key in values:
            v = _array(values[key], key, "values", U, "fiub", file).astype(np.float64)
        t = None
        if texts is not None and key in texts:
            # each distinct text converted once (units repeat a handful); None / NaN → None
            codes, uniques = pd.factorize(_array(texts[key], key, "texts", U, "OUS", file))
            t = np.array([str(x) for x in uniques] + [None], dtype=object)[codes]
        na_k = c = o = None
        if na is not None and key in na:
            na_k = _array(na[key], key, "na", U, "b", file)
        if counts is not None and key in counts:
            c = _array(counts[key], key, "counts", U, "fiu", file).astype(np.float64)
        if over is not None and key in over:
            o = _array(over[key], key, "over", U, "fiu", file).astype(np.float64)
        entry = (v, t, na_k if na_k is not None else np.zeros(U, dtype=bool), c, o)
        cache[key] = entry
        return entry

    for j, leaf in enumerate(leaves):
        method = leaf.rule
        key = leaf.key
        v, t, na_k, c, o = arrays(key)
        na_a[j] = na_k

        def fail(
            msg: str, u: int, hint: str | None = None, _leaf: Node = leaf, _key: str = key
        ) -> DataError:
            return DataError(
                f"指标「{_leaf.name}」（{_leaf.id}）：{msg}",
                file=file,
                path=f"unit={units[u]}, key={_key}",
                hint=hint,
            )

        if method.kind.textual:
            present = (t != None) if t is not None else np.zeros(U, dtype=bool)  # noqa: E711
        else:
            present = ~np.isnan(v)
        present &= ~na_k
        idx = np.flatnonzero(present)
        vo = v[idx]
        to = t[idx] if t is not None else np.full(len(idx), "", dtype=object)
        msg = method.check_value(leaf.params, leaf.points, vo, to)
        if msg is not None:
            k = 0
            for k in range(len(vo)):
                if method.check_value(leaf.params, leaf.points, vo[k : k + 1], to[k : k + 1]):
                    break
            hint = "改正该值；确属不适用的，在 na 中标为 True"
            raise fail(msg, int(idx[k]), hint)
        if method.kind.single:
            n[j] = present
            total[j, idx] = vo
            value[j, idx] = vo
            if t is not None:
                text[j, idx] = to
        else:
            n_k = present.astype(np.float64)
            if c is not None:
                bad = ~np.isfinite(c) | (c < 0) | (c != np.floor(c))
                if bad.any():
                    raise fail(
                        f"行数（counts）应为非负整数，实际为 {c[bad][0]:g}",
                        _first(bad),
                        "counts 填该单位该指标的数据行数",
                    )
                stray = (c > 0) & np.isnan(v) & ~na_k
                if stray.any():
                    raise fail(
                        "有行数（counts）但 value 为空",
                        _first(stray),
                        "填写合计值；没有数据的，counts 填 0",
                    )
                n_k = np.where(present, c, 0.0)
            empty_rows = present & (n_k == 0) & (v != 0)
            if empty_rows.any():
                raise fail(
                    f"行数为 0，合计值却为 {v[empty_rows][0]:g}",
                    _first(empty_rows),
                    "合计值不为 0 时行数至少为 1",
                )
            n[j] = n_k
            total[j, idx] = vo  # value / text stay empty, as for event rows in the long table
        thr = method.threshold(leaf.params)
        if thr is not None:
            if o is not None and not method.kind.single:
                bad = ~np.isfinite(o) | (o < 0) | (o != np.floor(o)) | (present & (o > n[j]))
                if bad.any():
                    raise fail(
                        f"超时件数（over）应为 0 到行数之间的整数，实际为 {o[bad][0]:g}",
                        _first(bad),
                        "over 填超过时限的件数，不能超过 counts",
                    )
                stray = (o > 0) & np.isnan(v) & ~na_k
                if stray.any():
                    raise fail(
                        "有超时件数（over）但 value 为空",
                        _first(stray),
                        "填写合计值；没有数据的，over 填 0",
                    )
                over_a[j] = np.where(present, o, 0.0)
            else:
                over_a[j] = present & (v > thr)
    self_score = np.full((U, L), np.nan)
    missing = np.zeros((U, L), dtype=bool)  # no explicit 缺失 in dense input
    return Aggregates(n.T, total.T, value.T, text.T, over_a.T, na_a.T, missing, empty, self_score)
