"""score() gives the same record whatever the order of the input rows.

Collectors emit their rows in any order: grouped by key, unit by unit, several
collectors' tables one after another, or shuffled.  The engine reads each key's
rows in place when they form one run of the table and otherwise groups them with
one stable sort (engine/evidence.py).  What follows the input order, and nothing
else: the row numbers (``row_id``), the order of an indicator's evidence rows, and
the order in which a cell's rows are added up (floating-point sums of several rows
may differ in the last bit when a cell's own rows are swapped).  So a table is
compared with the same rows grouped by key again (each cell's rows in the same
order: the in-place route), and a table whose cells keep their rows' order with
the generated one, bit for bit.
"""

from __future__ import annotations

import sys
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from zwgk_score import parse_rubric, score
from zwgk_score.engine import evidence

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synth  # noqa: E402
from bench_score import LAYOUTS, arrange  # noqa: E402

CELL_ARRAYS = ("n", "total", "value", "over", "na", "missing", "effect", "distinct", "self_score")


@pytest.fixture(scope="module")
def case():
    rubric = parse_rubric(synth.rubric_dict(2))  # 48 indicators
    roster = synth.roster(30)
    data = synth.evidence(roster, n_domains=2)
    return rubric, roster, data, score(rubric, data, roster)


def _evidence_by_cell(res) -> pd.DataFrame:
    """The evidence rows without their row numbers, in (indicator, unit, row) order."""
    ev = res.evidence().drop(columns="row_id")
    return ev.sort_values(list(ev.columns), kind="stable").reset_index(drop=True)


def _same_scores(res, base) -> None:
    assert_frame_equal(res.summary, base.summary)
    assert_frame_equal(res.items(), base.items())
    for name in CELL_ARRAYS:
        a, b = getattr(res.aggregates, name), getattr(base.aggregates, name)
        assert a.tobytes() == b.tobytes(), name  # bit for bit (−0.0 and NaN included)
    assert (res.aggregates.text == base.aggregates.text).all()
    assert res.totals.node_score.tobytes() == base.totals.node_score.tobytes()
    assert res.totals.node_applicable.tobytes() == base.totals.node_applicable.tobytes()
    assert_frame_equal(_evidence_by_cell(res), _evidence_by_cell(base))


def _regrouped(table: pd.DataFrame, keys: pd.Index) -> pd.DataFrame:
    """The rows of ``table`` grouped by key (in ``keys`` order), each key's rows in table order."""
    by_key = np.argsort(keys.get_indexer(table["key"]), kind="stable")
    return table.iloc[by_key].reset_index(drop=True)


def _keeping_cells(data: pd.DataFrame, order: np.ndarray) -> np.ndarray:
    """``order`` changed so that each (unit, key) cell's rows keep their order in ``data``."""
    cell = pd.factorize(data["unit"] + "\x00" + data["key"])[0]
    slots = np.argsort(cell[order], kind="stable")  # new positions, cell by cell
    out = np.empty_like(order)
    out[slots] = np.argsort(cell, kind="stable")  # the cells' rows in their own order
    return out


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_benchmark_row_order_gives_the_same_record(case, layout):
    rubric, roster, data, base = case
    table = arrange(data, roster, layout, n_domains=2)
    res = score(rubric, table, roster)
    rows = res.aggregates.evidence_rows
    # grouped tables are read in place; the others take the sort
    assert (rows.starts is not None) == (layout == "grouped")
    # an indicator's evidence rows come in the input table's order
    assert (np.diff(rows.order)[np.diff(rows.leaf_idx) == 0] > 0).all()
    _same_scores(res, score(rubric, _regrouped(table, pd.Index(pd.unique(data["key"]))), roster))
    if layout != "shuffled":  # (the others keep each cell's rows in order)
        _same_scores(res, base)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["shuffle", "blocks", "reverse"]),
    keep_cells=st.booleans(),
)
def test_any_row_order_gives_the_same_record(case, seed, kind, keep_cells):
    rubric, roster, data, base = case
    rng = np.random.default_rng(seed)
    if kind == "shuffle":
        order = rng.permutation(len(data))
    elif kind == "reverse":
        order = np.arange(len(data))[::-1].copy()
    else:  # cut into a few blocks (collectors' tables), shuffled, each kept in order
        cuts = np.sort(rng.choice(np.arange(1, len(data)), size=rng.integers(1, 8), replace=False))
        blocks = np.split(np.arange(len(data)), cuts)
        order = np.concatenate([blocks[i] for i in rng.permutation(len(blocks))])
    if keep_cells:
        order = _keeping_cells(data, order)
    table = data.iloc[order].reset_index(drop=True)
    res = score(rubric, table, roster)
    _same_scores(res, score(rubric, _regrouped(table, pd.Index(pd.unique(data["key"]))), roster))
    if keep_cells:
        _same_scores(res, base)


def test_self_scores_in_a_shuffled_table(case):
    rubric, roster, data, _ = case
    # 自评分 rows for two indicators, put among the others (the rows left after them are
    # addressed through their table positions)
    keys = [rubric.leaves[0].key, rubric.leaves[3].key]
    extra = pd.DataFrame(
        {
            "unit": np.repeat(roster["unit"].to_numpy()[:5], 2),
            "key": [k + ".self" for k in keys] * 5,
            "value": np.arange(10, dtype=float) / 4,
        }
    )
    table = pd.concat([data, extra], ignore_index=True)
    order = _keeping_cells(table, np.random.default_rng(7).permutation(len(table)))
    res = score(rubric, table.iloc[order].reset_index(drop=True), roster)
    assert res.aggregates.evidence_rows.kept is not None  # the sorted route, less the 自评分 rows
    _same_scores(res, score(rubric, table, roster))
    # unit 0 gave 0.0 for the first key and 0.25 for the second; unit 4 gave 2.0 and 2.25
    assert res.aggregates.self_score[0, 0] == 0.0 and res.aggregates.self_score[0, 3] == 0.25
    assert res.aggregates.self_score[4, 0] == 2.0 and res.aggregates.self_score[4, 3] == 2.25
    # the 自评分 rows are no evidence rows
    assert len(res.evidence()) == len(data)


def test_a_bad_value_is_named_at_its_row_in_any_order(case):
    rubric, roster, data, _ = case
    leaf = next(lf for lf in rubric.leaves if lf.method == "ratio")
    at = data.index[(data["key"] == leaf.key) & (data["status"] == "ok")][3]
    bad = data.drop(columns="source")  # (rows named by their number, not their source)
    bad.loc[at, "value"] = 1.5
    shuffled_at = {"grouped": at}
    order = np.random.default_rng(3).permutation(len(data))
    shuffled = bad.iloc[order].reset_index(drop=True)
    shuffled_at["shuffled"] = int(np.flatnonzero(order == at)[0])
    for name, table in (("grouped", bad), ("shuffled", shuffled)):
        with pytest.raises(Exception, match="比率应在 0 到 1 之间") as err:
            score(rubric, table, roster)
        # header = row 1: table position p is row p + 2
        assert f"第 {shuffled_at[name] + 2} 行" in str(err.value.path)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32 - 1),
    block=st.integers(1, 400),
    chunk=st.integers(1, 600),
    keep_cells=st.booleans(),
)
def test_small_sort_blocks_and_lookup_chunks_give_the_same_record(
    case, seed, block, chunk, keep_cells
):
    # the sorted route puts the rows in order block by block and looks strings up chunk by
    # chunk: with tiny blocks and chunks, every leaf's rows span many of them
    rubric, roster, data, base = case
    order = np.random.default_rng(seed).permutation(len(data))
    if keep_cells:
        order = _keeping_cells(data, order)
    table = data.iloc[order].reset_index(drop=True)
    with patch.object(evidence, "SORT_BLOCK", block), patch.object(evidence, "LOOKUP_CHUNK", chunk):
        res = score(rubric, table, roster)
        rows = res.aggregates.evidence_rows
        assert rows.codes is not None  # (the sorted route)
        assert (np.diff(rows.order)[np.diff(rows.leaf_idx) == 0] > 0).all()
        regrouped = score(rubric, _regrouped(table, pd.Index(pd.unique(data["key"]))), roster)
    _same_scores(res, regrouped)
    if keep_cells:
        _same_scores(res, base)


@settings(max_examples=60, deadline=None)
@given(
    codes=st.lists(st.integers(0, 5), max_size=80),
    status=st.lists(st.integers(0, 2), min_size=80, max_size=80),
    block=st.integers(1, 90),
    with_kept=st.booleans(),
)
def test_grouping_block_by_block_is_one_stable_sort(codes, status, block, with_kept):
    n = len(codes)
    code = np.array(codes, dtype=np.int16)
    status_code = np.array(status[:n], dtype=np.int8)
    kept = np.arange(n) * 2 + 1 if with_kept else None  # (rows at odd table positions)
    col = np.arange(n, dtype=np.int32) * 3
    table_col = np.array([f"t{i}" for i in range(2 * n + 1)], dtype=object)
    with patch.object(evidence, "SORT_BLOCK", block):
        grouped, (by_row, by_table) = evidence._Grouped.of(
            code, status_code, 6, kept, [(col, False), (table_col, True)]
        )
    perm = np.argsort(code.astype(np.int64) * 3 + status_code, kind="stable")
    assert (grouped.perm == perm).all()
    assert (by_row == col[perm]).all()
    assert list(by_table) == list(table_col[perm if kept is None else kept[perm]])
    assert (grouped.sizes == np.bincount(code, minlength=6)).all()
    for j in range(6):
        lo, na, missing, hi = grouped.span(j)
        assert (code[perm[lo:hi]] == j).all()
        assert (status_code[perm[lo:na]] == 0).all() and (status_code[perm[na:missing]] == 1).all()
        assert (status_code[perm[missing:hi]] == 2).all()


def _copy(s: str) -> str:
    """An equal string that is another object (when CPython does not share it)."""
    return "".join(list(s)) if len(s) > 1 else s


_ELEMENTS = st.one_of(
    st.sampled_from(["ab", "ok", "na", "xy", "", " ", "1"]),
    st.text(max_size=3),
    st.none(),
    st.just(float("nan")),
    st.integers(0, 3),
)


@st.composite
def _repeating(draw: st.DrawFn) -> list:
    """A column repeating a few values (as collectors' columns do), or any values."""
    if draw(st.booleans()):
        pool = draw(st.lists(_ELEMENTS, min_size=1, max_size=5))
        return draw(st.lists(st.sampled_from(pool), max_size=60))
    return draw(st.lists(_ELEMENTS, max_size=60))


@settings(max_examples=100, deadline=None)
@given(
    values=_repeating(),
    copies=st.lists(st.booleans(), min_size=60, max_size=60),
    chunk=st.integers(1, 70),
    as_object=st.booleans(),
)
def test_lookup_by_object_identity_is_lookup_of_each_string(values, copies, chunk, as_object):
    # the engine groups a column's objects by identity and looks each distinct one up once;
    # equal strings that are other objects, missing values and numbers give what converting
    # and looking up every row gives
    vals = [
        _copy(v) if isinstance(v, str) and c else v
        for v, c in zip(values, copies[: len(values)], strict=True)
    ]
    if as_object or not all(isinstance(v, str) for v in vals):
        col = pd.Series(vals, dtype=object)
    else:
        col = pd.Series(vals)  # (pandas' default string column)
    raw = pd.DataFrame({"unit": col, "status": col})
    index = pd.Index(["ab", "ok", "na", "1", "0", "x"])
    with patch.object(evidence, "LOOKUP_CHUNK", chunk):
        for name in ("unit", "status"):
            got = evidence.codes_of(raw, name, index, np.int32)
            expected = index.get_indexer(evidence.column_at(raw, name))
            assert got.dtype == np.int32 and list(got) == list(expected)
            via = np.array([5, 4, 3, 2, 1, 0, -1])
            got = evidence.codes_of(raw, name, index, np.int16, via=via)
            assert list(got) == list(via[expected])


def test_a_text_column_has_text_unless_every_element_is_empty():
    from zwgk_score.engine.leaves import _has_text

    class Text(str):
        pass

    assert not _has_text(np.array(["", "", ""], dtype=object))
    assert not _has_text(np.array(["", Text(""), ""], dtype=object))  # (another "" object)
    assert _has_text(np.array(["", "", "a"], dtype=object))
    assert _has_text(np.array(["", "a"], dtype=object)[::-1])  # (reversed: not contiguous)
    assert not _has_text(np.array(["", "x", ""], dtype=object)[::2])  # (not contiguous)
    assert not _has_text(np.zeros(0, dtype=object))
