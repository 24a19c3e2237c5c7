"""Results as a frozen record produced by the engine; combination of periods in the engine.

Each bug of the old mutable Results has a test here that failed before:
a missing part score became 0, combined results.json lacked the part scores,
the combined record was built by mutating another record.
"""

from __future__ import annotations

import json

import attrs
import numpy as np
import pytest
from test_engine_cases import row
from test_rubric_build import col, domain, leaf, rubric_dict, run, total

from zwgk_score import combine_results, parse_rubric
from zwgk_score.engine.aggregate import VETO_LABELS, VETO_ZERO
from zwgk_score.engine.explain import explain
from zwgk_score.engine.export import to_dict
from zwgk_score.engine.items import build_items
from zwgk_score.results import Results


def _combined_rubric(*leaves):
    raw = rubric_dict([domain("D1", 100, *(leaves or (leaf("D1.1", 100, "manual"),)))])
    raw["combine"] = {
        "parts": [
            {"id": "quarterly", "name": "季度检查", "weight": 20},
            {"id": "annual", "name": "年终考核", "weight": 80},
        ]
    }
    return parse_rubric(raw)


def test_results_is_frozen():
    r = _combined_rubric()
    res = run(r, [row("甲", "D1.1", 90)], ["甲"])
    assert isinstance(res, Results)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        res.period = "2024"  # type: ignore[misc]
    # the wrappers are the functions over the record
    assert res.explain("甲") == explain(res, "甲")
    assert res.to_dict() == to_dict(res)
    assert res.items().equals(build_items(res))


def test_combination_makes_a_new_record_and_leaves_the_part_untouched():
    r = _combined_rubric()
    quarters = [run(r, [row("甲", "D1.1", v)], ["甲"]) for v in (80, 90)]
    annual = run(r, [row("甲", "D1.1", 95)], ["甲"])
    before = annual.summary.copy()
    combined = combine_results("annual", annual, {"quarterly": quarters})
    # quarters mean (80 + 90) ÷ 2 = 85; 0.2 × 85 + 0.8 × 95 = 17 + 76 = 93
    assert total(combined, "甲") == 93.0
    assert combined is not annual and annual.combination is None
    assert annual.summary.equals(before)  # the year-end record is not changed
    assert combined.parts == [("quarterly", "季度检查", 20.0), ("annual", "年终考核", 80.0)]
    assert combined.current_part == "annual"
    assert combined.combination is not None
    assert combined.combination.scores["quarterly"].tolist() == [85.0]


def test_a_missing_part_score_is_null_never_zero():
    # 乙 has no applicable indicator in the first quarter (status na): that quarter has no score
    # for 乙, so the quarterly part (mean of the quarters) has none and the combined total has
    # none either.  The old code turned the missing quarter into 0: (0 + 90) ÷ 2 = 45 and
    # 0.2 × 45 + 0.8 × 95 = 85 — a score 乙 never earned.
    r = _combined_rubric()
    q1 = run(r, [row("甲", "D1.1", 80), row("乙", "D1.1", status="na")], ["甲", "乙"])
    q2 = run(r, [row("甲", "D1.1", 90), row("乙", "D1.1", 90)], ["甲", "乙"])
    annual = run(r, [row("甲", "D1.1", 95), row("乙", "D1.1", 95)], ["甲", "乙"])
    combined = combine_results("annual", annual, {"quarterly": [q1, q2]})
    assert total(combined, "甲") == 93.0  # 0.2 × 85 + 0.8 × 95
    assert np.isnan(col(combined, "乙", "part_quarterly"))
    assert np.isnan(total(combined, "乙"))
    # no score: lowest grade, ranked last, "—" in the explanation, null in the JSON
    assert (col(combined, "乙", "grade"), col(combined, "乙", "rank")) == ("不合格", 2)
    assert "= 季度检查 — × 20% + 年终考核 95.00 × 80%" in combined.explain("乙")
    data = json.loads(combined.to_json())
    unit = data["units"][1]
    assert (unit["total"], unit["parts"]) == (None, {"quarterly": None, "annual": 95.0})


def test_combined_json_has_the_part_scores_and_the_combination():
    r = _combined_rubric()
    quarters = [run(r, [row("甲", "D1.1", v)], ["甲"]) for v in (80, 90, 70, 100)]
    annual = run(r, [row("甲", "D1.1", 95)], ["甲"])
    data = combine_results("annual", annual, {"quarterly": quarters}).to_dict()
    # (80 + 90 + 70 + 100) ÷ 4 = 85; year-end 95
    assert data["units"][0]["parts"] == {"quarterly": 85.0, "annual": 95.0}
    assert data["combine"] == {
        "current": "annual",
        "parts": [
            {"id": "quarterly", "name": "季度检查", "weight": 20.0, "aggregate": "mean"},
            {"id": "annual", "name": "年终考核", "weight": 80.0, "aggregate": "mean"},
        ],
    }
    # a single-period result has neither
    assert "combine" not in annual.to_dict() and "parts" not in annual.to_dict()["units"][0]


def test_combined_veto_follows_the_rule_not_its_label(monkeypatch):
    # the year-end review's veto "zero" sets the combined total to 0 whatever label the tables
    # print for it (the old code searched the label for "计0")
    monkeypatch.setitem(VETO_LABELS, VETO_ZERO, "否决（总分为零）")
    r = _combined_rubric(
        leaf("D1.1", 100, "manual"), leaf("v", 0, "veto", params={"policy": "zero"})
    )
    q = run(r, [row("甲", "D1.1", 80)], ["甲"])
    annual = run(r, [row("甲", "D1.1", 95), row("甲", "v", 1)], ["甲"])
    combined = combine_results("annual", annual, {"quarterly": [q]})
    assert total(combined, "甲") == 0.0
    # a cap veto: min(0.2 × 80 + 0.8 × 95, 59) = min(92, 59) = 59
    r = _combined_rubric(
        leaf("D1.1", 100, "manual"), leaf("v", 0, "veto", params={"policy": "cap", "cap": 59})
    )
    q = run(r, [row("甲", "D1.1", 80)], ["甲"])
    annual = run(r, [row("甲", "D1.1", 95), row("甲", "v", 1)], ["甲"])
    assert total(combine_results("annual", annual, {"quarterly": [q]}), "甲") == 59.0


def test_json_is_strict():
    # a unit with no score is null; a NaN that slipped through would raise, not write "NaN"
    r = _combined_rubric()
    res = run(r, [row("甲", "D1.1", status="na")], ["甲"])
    text = res.to_json()
    assert "NaN" not in text
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-strict JSON constant {c}"))
    bad = attrs.evolve(res, summary=res.summary.assign(obtained=float("nan")))
    with pytest.raises(ValueError):
        bad.to_json()
