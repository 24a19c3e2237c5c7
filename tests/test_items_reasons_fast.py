"""The fast paths of ``Results.items()``'s 失分原因 give what describing every cell gives.

* ``pct_texts`` (a table of the 10,001 percentages) equals ``pct`` value by value,
  for any float: -0.0, subnormal, huge, NaN, infinite, near rounding ties;
* cases are grouped only on the fields a method's ``describe`` reads
  (``describe_fields``); a subclass that changes ``describe`` alone is grouped on
  every field; unknown field names are refused in Chinese;
* -0.0 is its own case (per-cell ``describe`` writes "-0.00%"; grouping used to give
  it the text of a 0.0 cell of the same leaf);
* evidence texts joined per cell (grouped by code sequences, one joined string
  split once) equal ``"；".join`` cell by cell, also when a text contains the
  separator, when cells have more rows than are grouped, and in small chunks.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_cases import row
from test_engine_export import _oracle_reasons
from test_rubric_build import domain, leaf, roster, rubric_dict

from zwgk_score import parse_rubric, score
from zwgk_score.engine import items as items_mod
from zwgk_score.engine.items import _described_fields, _join_cells
from zwgk_score.errors import PluginError
from zwgk_score.methods import base
from zwgk_score.methods.base import CELL_FIELDS, pct, pct_texts
from zwgk_score.methods.builtin import BUILTIN_METHODS, Ratio
from zwgk_score.plugins import get_methods

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synth  # noqa: E402

# values near the ties of two-decimal percentages, and the awkward floats
ties = st.integers(0, 10000).map(lambda k: (k + 0.5) / 10000)
near_ties = st.tuples(ties, st.integers(-3, 3)).map(
    lambda t: float(np.nextafter(t[0], np.inf if t[1] > 0 else -np.inf)) if t[1] else t[0]
)
awkward = st.sampled_from(
    [0.0, -0.0, 5e-324, -5e-324, 1e-300, 1e300, -1e300, math.nan, math.inf, -math.inf]
)
any_float = st.floats(allow_nan=True, allow_infinity=True)
ratio_like = st.integers(0, 10000).map(lambda k: k / 10000) | st.floats(0, 1)
values = st.lists(any_float | awkward | near_ties | ratio_like, max_size=60)


@pytest.fixture(params=["table", "value by value"])
def table_min(request, monkeypatch):
    """pct_texts both ways: through its table (any length) and value by value."""
    monkeypatch.setattr(base, "PCT_TABLE_MIN", 1 if request.param == "table" else 10**9)
    return request.param


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values, st.sampled_from([("", ""), ("比率 ", "，满分要求 95.00%"), ("%s", "%%")]))
def test_pct_texts_equal_pct_value_by_value(table_min, xs, affixes):
    before, after = affixes
    got = pct_texts(np.array(xs, dtype=float), before, after)
    assert got.dtype == object
    assert got.tolist() == [f"{before}{pct(x)}{after}" for x in xs]


def test_pct_texts_of_the_awkward_values(table_min):
    xs = np.array([-0.0, 0.0, math.nan, 0.00125, 0.00375, 1.0, 1.00005, 5e-324, 1e300])
    got = pct_texts(xs).tolist()
    assert got[:7] == ["-0.00%", "0.00%", "nan%", "0.12%", "0.38%", "100.00%", "100.01%"]
    assert got == [pct(x) for x in xs.tolist()]


def test_pct_texts_builds_its_table_only_for_long_arrays():
    base._pct_table.cache_clear()
    short = np.linspace(0, 1, base.PCT_TABLE_MIN - 1)
    assert pct_texts(short, "短 ").tolist() == [f"短 {pct(x)}" for x in short.tolist()]
    assert base._pct_table.cache_info().currsize == 0  # a few texts: no 10,001-text table
    long = np.linspace(0, 1, base.PCT_TABLE_MIN)
    assert pct_texts(long, "长 ").tolist() == [f"长 {pct(x)}" for x in long.tolist()]
    assert base._pct_table.cache_info().currsize == 1


def _ratio_assessment(values):
    rubric = parse_rubric(rubric_dict([domain("D1", 10, leaf("D1.1", 10, "ratio"))]))
    units = [f"单位{i}" for i in range(len(values))]
    data = pd.DataFrame([row(u, "D1.1", v) for u, v in zip(units, values, strict=True)])
    return score(rubric, data, roster(units))


def test_negative_zero_ratio_is_described_as_describe_does():
    # 0.0 first, then -0.0 of the same leaf and score: one case before (both "0.00%")
    res = _ratio_assessment([0.0, -0.0, 0.5, -0.0])
    got = res.items()["reason"].tolist()
    assert got == _oracle_reasons(res)
    assert got[0].startswith("比率 0.00%") and got[1].startswith("比率 -0.00%")
    assert got[3] == got[1]


@settings(max_examples=40, deadline=None)
@given(st.lists(ratio_like | st.sampled_from([0.0, -0.0, 1.0]), min_size=1, max_size=25))
def test_ratio_reasons_equal_describing_every_cell(vals):
    res = _ratio_assessment(vals)
    assert res.items()["reason"].tolist() == _oracle_reasons(res)


def test_every_builtin_method_declares_known_fields():
    methods = get_methods()
    for klass in BUILTIN_METHODS:
        m = klass()
        assert "describe_fields" in vars(klass), klass.name
        # the hook is read with the method's default-free params only through the engine;
        # here: every declared field is a Cell field
        fields = m.describe_fields(None)  # none of the built-ins looks at params
        assert fields and set(fields) <= set(CELL_FIELDS), klass.name
        assert klass.name in methods


class WordyRatio(Ratio):
    """A plugin's ratio that also says how many rows it read (describe only): it reads ``n``,
    which Ratio's describe_fields does not name, so it must be grouped on every field."""

    name = "wordy_ratio"

    def describe(self, params, points, cell):
        return "" if cell.score >= points else f"比率 {pct(cell.value)}（{cell.n} 行）"


class Coarse(Ratio):
    """Declares that its describe reads the score only (its text says nothing else)."""

    name = "coarse"
    calls = 0

    def describe(self, params, points, cell):
        Coarse.calls += 1
        return "" if cell.score >= points else f"得分 {cell.score:g}"

    def describe_fields(self, params):
        return ("score",)

    describe_cases = None  # type: ignore[assignment]


class Misnamed(Ratio):
    name = "misnamed"

    def describe(self, params, points, cell):
        return ""

    def describe_fields(self, params):
        return ("score", "分值")


def _run(method, units_values, params=None):
    methods = {**get_methods(), method.name: method}
    rubric = parse_rubric(
        rubric_dict([domain("D1", 10, leaf("D1.1", 10, method.name, params=params or {}))]),
        methods=methods,
    )
    units = [u for u, _ in units_values]
    data = pd.DataFrame([row(u, "D1.1", v) for u, v in units_values])
    return score(rubric, data, roster(units), methods=methods)


def test_a_subclass_changing_describe_alone_is_grouped_on_every_field():
    assert _described_fields(Ratio(), None) == ("score", "value")
    assert _described_fields(WordyRatio(), None) == CELL_FIELDS
    res = _run(WordyRatio(), [("甲", 0.5), ("乙", 0.25), ("丙", 0.5)])
    got = res.items()["reason"].tolist()
    assert got == _oracle_reasons(res)
    assert got[0] == "比率 50.00%（1 行）"


def test_cases_are_grouped_on_the_declared_fields_only():
    assert _described_fields(Coarse(), None) == ("score",)
    # by bands: 0.5, 0.6 and 0.7 are three values of one score (5), 0.2 scores 0
    bands = {"bands": [{"min": 0.9, "share": 1.0}, {"min": 0.5, "share": 0.5}]}
    res = _run(Coarse(), [("甲", 0.5), ("乙", 0.6), ("丙", 0.2), ("丁", 0.7)], bands)
    Coarse.calls = 0
    got = res.items()["reason"].tolist()
    assert got == ["得分 5", "得分 5", "得分 0", "得分 5"]
    assert Coarse.calls == 2  # one per distinct score, not per distinct value


def test_unknown_describe_fields_are_refused_in_chinese():
    res = _run(Misnamed(), [("甲", 0.5)])
    with pytest.raises(PluginError, match="describe_fields 含未知字段：分值") as err:
        res.items()
    assert "score、n、total、value、text、over" in str(err.value)
    # where to look: this file (the method's source) and the hook
    assert Path(err.value.file).resolve() == Path(__file__).resolve()
    assert "Misnamed.describe_fields" in str(err.value)


texts = st.sampled_from(["甲", "乙；丙", "", "a\x00b", "超期 3 天", "\x00"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["", "未达到要求", "x\x00"]), st.lists(texts, max_size=5)))
)
def test_join_cells_equals_joining_cell_by_cell(cells):
    cells = [(b, ev) for b, ev in cells if ev]  # only cells with evidence are joined
    firsts = np.array([b for b, _ in cells], dtype=object)
    cell_of = np.array([c for c, (_, ev) in enumerate(cells) for _ in ev], dtype=np.int64)
    ev = np.array([t for _, e in cells for t in e], dtype=object)
    got = _join_cells(firsts, cell_of, ev, len(cells))
    assert got.tolist() == ["；".join(([b] if b else []) + e) for b, e in cells]


@pytest.fixture(scope="module")
def varied():
    """60 synthetic units whose evidence texts vary per row (some with the separator)."""
    rubric = parse_rubric(synth.rubric_dict())
    ro = synth.roster(60)
    data = synth.evidence(ro)
    rng = np.random.default_rng(5)
    written = np.flatnonzero(data["evidence"].to_numpy(dtype=object) != "")
    pick = rng.choice(written, len(written) // 2, replace=False)
    words = np.array(["工单 1", "工单 2", "含\x00分隔", "工单 1"], dtype=object)
    data.loc[data.index[pick], "evidence"] = words[rng.integers(0, len(words), len(pick))]
    # ratio values at -0.0 and 0.0 in the same leaves
    ratio_keys = [k for d in synth.leaf_specs() for k in d if k.method == "ratio"]
    at = data["key"].isin([k.id for k in ratio_keys[:3]]) & (data["status"] == "ok")
    sel = np.flatnonzero(at.to_numpy())
    data.loc[data.index[sel[::3]], "value"] = -0.0
    data.loc[data.index[sel[1::3]], "value"] = 0.0
    return score(rubric, data, ro)


@pytest.mark.parametrize(("group_rows", "join_cells"), [(16, 200_000), (1, 7), (0, 1)])
def test_reasons_with_varied_evidence_equal_describing_every_cell(
    varied, monkeypatch, group_rows, join_cells
):
    monkeypatch.setattr(items_mod, "_GROUP_ROWS", group_rows)
    monkeypatch.setattr(items_mod, "_JOIN_CELLS", join_cells)
    got = items_mod.build_items(varied)["reason"].tolist()
    expected = _oracle_reasons(varied)
    assert got == expected
    assert any("-0.00%" in t for t in got) and any("含\x00分隔" in t for t in got)
    assert any(t.count("；") >= 3 for t in got)


def test_reason_column_has_the_dtype_of_a_column_of_strings(varied):
    table = varied.items()
    plain = pd.DataFrame({"reason": table["reason"].to_numpy(dtype=object)})
    assert table["reason"].dtype == plain["reason"].dtype


def test_items_table_shares_no_memory_with_the_record(varied):
    from zwgk_score.engine.items import build_items

    table = build_items(varied)
    held = [
        varied.totals.leaf_points,
        varied.totals.leaf_score,
        varied.leaf_scores.applicable,
        varied.leaf_scores.status,
        varied.aggregates.self_score,
    ]
    for name in table.columns:
        col = table[name].array
        data = getattr(col, "_ndarray", None)
        data = col.codes if isinstance(col, pd.Categorical) else data
        data = np.asarray(col) if data is None else data
        assert not any(np.shares_memory(data, a) for a in held), name
    before = varied.leaf_scores.applicable.copy(), varied.totals.leaf_points.copy()
    table.loc[0, "applicable"] = not table.loc[0, "applicable"]
    table.loc[0, "points"] = -1.0
    assert (varied.leaf_scores.applicable == before[0]).all()
    assert (varied.totals.leaf_points == before[1]).all()
