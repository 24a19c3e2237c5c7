"""score() gives the same record whatever the layout of its input table.

The engine takes three routes through the evidence table (engine/evidence.py):
each key's rows one run of the table (read in place), anything else (one stable
sort by key), and categorical or non-string columns (looked up through their
categories, or converted).  Strings are made standard only where read.  Each
route must give the record the plain route gives: the same summary, items,
evidence rows, results.json bytes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from zwgk_score import parse_rubric, score
from zwgk_score.engine import evidence as engine_evidence
from zwgk_score.engine.aggregate import row_sum
from zwgk_score.errors import DataError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def case():
    rubric = parse_rubric(synth.rubric_dict())
    roster = synth.roster(40)
    data = synth.evidence(roster)
    return rubric, roster, data


def _same(a, b, *, dtypes=True):
    assert_frame_equal(a.summary, b.summary)
    assert_frame_equal(a.items(), b.items())
    # (an object column of strings stays one, as evidence_frame always kept it)
    assert_frame_equal(a.evidence(), b.evidence(), check_dtype=dtypes)
    assert a.to_json() == b.to_json()
    for name in ("n", "total", "value", "over", "na", "missing", "effect", "distinct"):
        np.testing.assert_array_equal(getattr(a.aggregates, name), getattr(b.aggregates, name))
    assert (a.aggregates.text == b.aggregates.text).all()
    ra, rb = a.aggregates.evidence_rows, b.aggregates.evidence_rows
    for name in ("order", "unit_idx", "leaf_idx", "status", "effect"):
        np.testing.assert_array_equal(getattr(ra, name), getattr(rb, name))


def _sorted_route(monkeypatch):
    monkeypatch.setattr(engine_evidence, "_key_runs", lambda codes, n: None)


def test_runs_read_in_place_give_what_the_sort_gives(case, monkeypatch):
    rubric, roster, data = case
    # the synthetic table has each key's rows in one run, keys not in rubric order
    codes = pd.Index([leaf.key for leaf in rubric.leaves]).get_indexer(data["key"])
    assert engine_evidence._key_runs(codes, len(rubric.leaves)) is not None
    assert (np.diff(codes) < 0).any()
    in_place = score(rubric, data, roster)
    assert in_place.aggregates.evidence_rows.starts is not None
    _sorted_route(monkeypatch)
    sorted_ = score(rubric, data, roster)
    assert sorted_.aggregates.evidence_rows.starts is None
    _same(in_place, sorted_)


def test_runs_in_rubric_order_and_interleaved_rows(case):
    rubric, roster, data = case
    rank = {leaf.key: j for j, leaf in enumerate(rubric.leaves)}
    by_leaf = data.iloc[np.argsort(data["key"].map(rank).to_numpy(), kind="stable")]
    by_leaf = by_leaf.reset_index(drop=True)
    in_order = score(rubric, by_leaf, roster)
    rows = in_order.aggregates.evidence_rows
    assert rows.starts is not None and rows._in_table_order()
    # one unit after another (keys interleaved): the sorted route; the rows of a leaf
    # then come in the table's order, so compare the scores, not the row order
    by_unit = data.iloc[np.argsort(data["unit"].to_numpy(), kind="stable")].reset_index(drop=True)
    interleaved = score(rubric, by_unit, roster)
    assert interleaved.aggregates.evidence_rows.starts is None
    base = score(rubric, data, roster)
    for res in (in_order, interleaved):
        assert_frame_equal(res.summary, base.summary)
        assert_frame_equal(res.items(), base.items())


def test_categorical_and_object_columns_give_the_same_record(case):
    rubric, roster, data = case
    base = score(rubric, data, roster)
    cat = data.astype({c: "category" for c in ("unit", "key", "text", "status", "source")})
    _same(score(rubric, cat, roster), base)
    obj = data.astype({c: object for c in ("unit", "key", "text", "status", "evidence")})
    _same(score(rubric, obj, roster), base, dtypes=False)


def test_missing_and_non_string_values_are_read_as_the_standard_table_has_them(case):
    rubric, roster, data = case
    base = score(rubric, data, roster)
    odd = data.astype({"status": object, "text": object, "evidence": object})
    ok = (data["status"] == "ok").to_numpy()
    blank = ~(data["text"] != "").to_numpy()
    # a blank or missing status is ok, a missing text or evidence is ""
    odd.loc[ok & (np.arange(len(data)) % 3 == 0), "status"] = np.nan
    odd.loc[ok & (np.arange(len(data)) % 3 == 1), "status"] = ""
    odd.loc[blank & (np.arange(len(data)) % 2 == 0), "text"] = None
    odd.loc[(data["evidence"] == "").to_numpy(), "evidence"] = np.nan
    res = score(rubric, odd, roster)
    assert_frame_equal(res.summary, base.summary)
    assert_frame_equal(res.items(), base.items())
    assert res.to_json() == base.to_json()
    # units given as numbers match a roster of their names, as str() makes them
    roster2 = roster.assign(unit=[str(1000 + i) for i in range(len(roster))])
    names = dict(zip(roster["unit"], range(1000, 1000 + len(roster)), strict=True))
    numbered = data.assign(unit=data["unit"].map(names).astype(object))
    res2 = score(rubric, numbered, roster2)
    np.testing.assert_array_equal(res2.summary["total"], base.summary["total"])


def test_a_missing_unit_or_key_is_named_as_the_standard_table_has_it(case):
    rubric, roster, data = case
    bad = data.astype({"unit": object})
    bad.loc[5, "unit"] = np.nan
    with pytest.raises(DataError, match="单位「」不在单位名单中") as err:
        score(rubric, bad, roster)
    assert "第 7 行" in str(err.value.path) or "来源" in str(err.value.path)
    bad = data.astype({"key": object})
    bad.loc[3, "key"] = None
    with pytest.raises(DataError, match="数据键「」不对应"):
        score(rubric, bad, roster)


def test_changing_the_input_afterwards_changes_nothing(case):
    rubric, roster, data = case
    mine = data.copy()
    res = score(rubric, mine, roster)
    expected = res.evidence()
    mine.loc[:, "evidence"] = "改了"
    mine.loc[:, "text"] = "改了"
    assert_frame_equal(res.evidence(), expected)
    assert (res.aggregates.evidence_rows.source["evidence"] != "改了").all()


def test_lookups_in_chunks_give_the_same_record(case, monkeypatch):
    rubric, roster, data = case
    base = score(rubric, data, roster)
    monkeypatch.setattr(engine_evidence, "LOOKUP_CHUNK", 7)  # many chunks, a short last one
    odd = data.astype({"status": object})  # blank statuses: found again after the lookup
    odd.loc[odd.index[::5], "status"] = data["status"].iloc[::5].replace("ok", "")
    _same(score(rubric, odd, roster), base, dtypes=False)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 30),
    st.data(),
)
def test_row_sum_adds_as_the_unit_major_sum_did(n_units, n_nodes, data):
    # the aggregation fills (nodes × units) rows; its sums must round exactly as
    # a[:, at].sum(axis=1) on the (units × nodes) array always did
    values = st.floats(-1e6, 1e6, allow_nan=False, width=64)
    flat = data.draw(st.lists(values, min_size=n_units * n_nodes, max_size=n_units * n_nodes))
    a = np.array(flat).reshape(n_units, n_nodes)
    at = data.draw(st.lists(st.integers(0, n_nodes - 1), min_size=1, max_size=25))
    expected = a[:, at].sum(axis=1)
    got = row_sum(np.ascontiguousarray(a.T), at)
    assert expected.tobytes() == got.tobytes()
