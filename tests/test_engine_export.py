"""results.json and the items table built column-wise give the bytes of the plain definitions.

* ``jsonfast.dumps`` is ``json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False)``
  byte for byte (hypothesis, on nested data with every JSON type, control characters,
  -0.0, huge integers, non-string keys);
* ``to_json`` / ``write_json`` (streamed in chunks, column by column) equal
  ``json.dumps(to_dict())`` on a synthetic assessment with every built-in method,
  a combined result with a missing part (null), appeal adjustments and tiny chunks;
* ``Results.items()`` 失分原因, rendered once per distinct case, equal a plain
  per-cell oracle that calls ``describe`` for every cell (including a method that
  reads its rows).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_cases import row
from test_rubric_build import domain, leaf, rubric_dict, run

from zwgk_score import combine_results, parse_rubric, score
from zwgk_score.engine import export, jsonfast
from zwgk_score.engine.items import _case_codes, _status_labels
from zwgk_score.methods.base import Cell, Role

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import synth  # noqa: E402


def std(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0.0, -0.0, 1e300, 5e-324, 0.1 + 0.2])
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
    | st.sampled_from(['a"b\\c', "\n\t\r\x00\x1f\x7f", "通报；失分", "%s %d %%", "\u2028"])
)
keys = st.text(max_size=5) | st.sampled_from(['"', "\n", "%s", "得分"])
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(keys, inner, max_size=4)
        | st.dictionaries(st.integers(-5, 5) | st.booleans() | st.none(), inner, max_size=3)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_dumps_is_the_standard_encoding(obj):
    assert jsonfast.dumps(obj) == std(obj)
    assert jsonfast.encode(obj, 2) == std(obj).replace("\n", "\n  ")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_dumps_refuses_what_strict_json_refuses(bad):
    for obj in (bad, [1, bad], {"a": {"b": bad}}):
        with pytest.raises(ValueError):
            std(obj)
        with pytest.raises(ValueError):
            jsonfast.dumps(obj)
    with pytest.raises(ValueError):
        jsonfast.column(np.array([1.0, bad]), 1)


def test_column_keeps_negative_zero_and_repeats():
    # 0.0 and -0.0 are one value to a hash table but two texts: "0.0", "-0.0"
    arr = np.array([0.0, -0.0, 2.5, 0.0, -0.0, 1e-7])
    assert jsonfast.column(arr, 1) == ["0.0", "-0.0", "2.5", "0.0", "-0.0", "1e-07"]
    assert jsonfast.nullable_floats(np.array([np.nan, 3.0]), 1) == ["null", "3.0"]
    assert jsonfast.column(np.array([True, False]), 1) == ["true", "false"]
    assert jsonfast.column(np.array([3, -2]), 1) == ["3", "-2"]
    assert jsonfast.column(["a", None, 1], 1) == ['"a"', "null", "1"]


def test_lazy_lists_stream_the_same_text():
    def chunks(level):
        yield jsonfast.join_items([jsonfast.encode({"a": 1}, level + 1)] * 2, level)
        yield jsonfast.encode([], level + 1)

    doc = {"x": 1, "l": jsonfast.Lazy(chunks, empty=False), "e": jsonfast.Lazy(chunks, empty=True)}
    assert "".join(jsonfast.iter_encode(doc)) == std({"x": 1, "l": [{"a": 1}] * 2 + [[]], "e": []})


@pytest.fixture(scope="module")
def synthetic():
    """30 units of the benchmark's synthetic assessment: all eleven built-in methods."""
    rubric = parse_rubric(synth.rubric_dict())
    roster = synth.roster(30)
    data = synth.evidence(roster)
    # quotes, backslashes, control characters and a percent sign in texts people typed
    data.loc[data.index[::97], "evidence"] = 'he said "超期\\3天"\n\t50%'
    return score(rubric, data, roster)


def _same_export(res, tmp_path, extra=None):
    expected = std({**res.to_dict(), **(extra or {})})
    if extra is None:
        assert res.to_json() == expected
    path = tmp_path / "results.json"
    res.write_json(path, extra)
    assert path.read_text(encoding="utf-8") == expected


def test_json_export_is_json_dumps_of_to_dict(synthetic, tmp_path, monkeypatch):
    _same_export(synthetic, tmp_path)
    _same_export(synthetic, tmp_path, {"warnings": [{"code": "W1", "text": "提示\n"}]})
    # chunk boundaries anywhere: 7 units and 1,000 evidence rows per chunk
    monkeypatch.setattr(export, "UNITS_PER_CHUNK", 7)
    monkeypatch.setattr(export, "ROWS_PER_CHUNK", 1000)
    _same_export(synthetic, tmp_path)


def test_json_export_with_adjustments_and_parts(tmp_path):
    raw = rubric_dict(
        [domain("D1", 100, leaf("D1.1", 60, "manual"), leaf("D1.2", 40, "binary"))],
        missing="zero",
    )
    raw["combine"] = {
        "parts": [
            {"id": "quarterly", "name": "季度检查", "weight": 20},
            {"id": "annual", "name": "年终考核", "weight": 80},
        ]
    }
    rubric = parse_rubric(raw)
    units = ["甲", "乙", "丙"]
    q1 = run(
        rubric,
        [row("甲", "D1.1", 50), row("乙", "D1.1", status="na"), row("乙", "D1.2", status="na")],
        units,
    )
    annual = run(
        rubric,
        [row("甲", "D1.1", 55), row("乙", "D1.1", 30), row("乙", "D1.2", 0), row("丙", "D1.2", 1)],
        units,
    )
    combined = combine_results("annual", annual, {"quarterly": [q1]})
    adjusted = attrs.evolve(
        combined,
        adjustments={
            ("乙", "D1.2"): {
                "before": 0,
                "after": 40,
                "reason": "补交材料",
                "by": "复核组",
                "at": "x",
            },
            ("丙", "D1.1"): {"before": 0.0, "after": 1.5, "reason": "说明", "by": "a", "at": "y"},
        },
    )
    text = adjusted.to_json()
    assert text == std(adjusted.to_dict())
    unit = json.loads(text)["units"][1]
    # 乙 had no score in the first quarter: its part is null, never 0
    assert unit["parts"]["quarterly"] is None
    assert unit["indicators"][1]["adjustment"]["reason"] == "补交材料"
    _same_export(adjusted, tmp_path)
    # no evidence row at all
    empty = run(rubric, [], units)
    _same_export(empty, tmp_path)


def _oracle_reasons(res):
    """失分原因 cell by cell, the plain way: describe every cell, append its evidence."""
    U, L = len(res.roster), len(res.leaves)
    items = res.items()
    lost = items["lost"].to_numpy()
    ls, agg, tot = res.leaf_scores, res.aggregates, res.totals
    roles = np.array([leaf.rule.role.value for leaf in res.leaves], dtype=object)
    rows = agg.rows
    ok = rows[rows["status"] == "ok"]
    evid: dict[tuple[int, int], list[str]] = {}
    cell_rows: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for u, j, v, t, e, eff in zip(
        ok["unit_idx"],
        ok["leaf_idx"],
        ok["value"],
        ok["text"],
        ok["evidence"],
        ok["effect"],
        strict=True,
    ):
        leaf = res.leaves[j]
        cell_rows.setdefault((u, j), []).append((float(v), str(t)))
        thr = leaf.rule.threshold(leaf.params)
        moved = (
            eff != 0
            or leaf.rule.kind.single
            or (thr is not None and v > thr)
            or (leaf.rule.role == Role.VETO and v > 0)
        )
        if moved and e != "":
            evid.setdefault((u, j), []).append(str(e))
    labels = _status_labels()
    out = []
    for u in range(U):
        for j, leaf in enumerate(res.leaves):
            sc = float(tot.leaf_score[u, j])
            code = int(ls.status[u, j])
            need = lost[u * L + j] != 0 or code >= 3 or (roles[j] != Role.SCORE and sc != 0)
            if not need:
                out.append("")
                continue
            if code >= 3:
                out.append(labels[code])
                continue
            rows_ = tuple(cell_rows.get((u, j), ())) if leaf.rule.describe_rows(leaf.params) else ()
            cell = Cell(
                sc,
                int(agg.n[u, j]),
                float(agg.total[u, j]),
                float(agg.value[u, j]),
                str(agg.text[u, j]),
                int(agg.over[u, j]),
                rows_,
            )
            text = leaf.rule.describe(leaf.params, leaf.points, cell)
            if tot.bonus_withheld[u] and roles[j] == Role.BONUS and ls.score[u, j] > 0:
                text = export_withheld(res, u, sc)
            extra = "；".join(evid.get((u, j), []))
            out.append((f"{text}；{extra}" if text else extra) if extra else text)
    return out


def export_withheld(res, u, sc):
    from zwgk_score.engine.items import _withheld_text

    return _withheld_text(res, u, sc)


def test_reasons_equal_describing_every_cell(synthetic):
    assert synthetic.items()["reason"].tolist() == _oracle_reasons(synthetic)


def test_reasons_of_a_method_reading_its_rows():
    # deduction with named reasons reads the unit's rows: 乙 and 丙 have the same total (3)
    # but different rows, so they are two cases with two texts
    reasons = [
        {"id": "错字", "name": "错别字", "per": 0.5},
        {"id": "链接", "name": "链接失效", "per": 1},
    ]
    rubric = parse_rubric(
        rubric_dict(
            [
                domain(
                    "D1",
                    100,
                    leaf("D1.1", 90, "manual"),
                    leaf("D1.2", 10, "deduction", params={"reasons": reasons}),
                )
            ]
        )
    )
    rows = [row(u, "D1.1", 80) for u in "甲乙丙丁"]
    rows += [row("乙", "D1.2", 3, text="错字"), row("丙", "D1.2", 1, text="错字")]
    rows += [row("丙", "D1.2", 2, text="链接"), row("丁", "D1.2", 3, text="错字")]
    res = run(rubric, rows, list("甲乙丙丁"))
    got = res.items()["reason"].tolist()
    assert got == _oracle_reasons(res)
    # 乙: 3 × 0.5 = 1.5 lost; 丙: 1 × 0.5 + 2 × 1 = 2.5 lost; 丁 is 乙's case again
    assert got[3] == "错别字 3 处，每处扣 0.5 分"
    assert got[5] == "错别字 1 处，每处扣 0.5 分；链接失效 2 处，每处扣 1 分"
    assert got[7] == got[3]


cells = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from([0.0, -0.0, 1.0, math.nan]),
        st.sampled_from(["", "a", "b"]),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(cells)
def test_case_codes_group_equal_cells_as_describe_sees_them(rows):
    columns = zip(*rows, strict=True)
    ints, floats, texts = (
        np.array(c, dtype=d) for c, d in zip(columns, (int, float, object), strict=True)
    )
    code, first = _case_codes([ints, floats, texts])

    def key(r):  # a dict key: NaN equals NaN (one value); -0.0 apart from 0.0 (pct differs)
        return (r[0], None if r[1] != r[1] else (r[1], math.copysign(1.0, r[1])), r[2])

    seen: dict[tuple, int] = {}
    expected = [seen.setdefault(key(r), len(seen)) for r in rows]
    assert code.tolist() == expected
    assert first.tolist() == [expected.index(c) for c in range(len(seen))]


def test_items_copies_are_independent_of_the_cached_table(synthetic):
    first = synthetic.items()
    before = first.copy(deep=True)
    first.loc[0, "reason"] = "改过"
    first["score"] += 1
    # the repeated text columns are categorical: a new unit needs astype(str) (or a new category)
    first["unit"] = first["unit"].astype(str)
    first.iloc[1, first.columns.get_loc("unit")] = "别的单位"
    again = synthetic.items()
    assert again.equals(before)
    assert again.loc[0, "reason"] != "改过"
