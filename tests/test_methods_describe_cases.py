"""``describe_cases`` of the built-in methods gives the texts ``describe`` gives case by case.

The items table describes a leaf's distinct cases in one call when the method
has the hook (Ratio, Timeliness); a subclass that changes ``describe`` alone
must still be described case by case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_cases import row
from test_rubric_build import domain, leaf, roster, rubric_dict

from zwgk_score import parse_rubric, score
from zwgk_score.engine.items import _batch_describer
from zwgk_score.methods.base import Cases, Cell
from zwgk_score.methods.builtin import (
    Band,
    Ratio,
    RatioParams,
    Timeliness,
    TimelinessParams,
)
from zwgk_score.plugins import get_methods

ratios = st.floats(min_value=0, max_value=1) | st.sampled_from([0.0, 0.005, 0.125, 0.99995, 1.0])


def _per_case(method, params, points, cases):
    return [
        method.describe(params, points, Cell(s, int(n), t, v, str(x), int(o)))
        for s, n, t, v, x, o in zip(
            cases.score.tolist(),
            cases.n.tolist(),
            cases.total.tolist(),
            cases.value.tolist(),
            cases.text.tolist(),
            cases.over.tolist(),
            strict=True,
        )
    ]


def _cases(score, n, value, over):
    k = len(score)
    return Cases(
        np.array(score, dtype=float),
        np.array(n, dtype=np.int64),
        np.array(value, dtype=float),
        np.array(value, dtype=float),
        np.full(k, "", dtype=object),
        np.array(over, dtype=np.int64),
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 10) | st.just(10.0), ratios), min_size=1, max_size=30),
    st.sampled_from(
        [
            RatioParams(),
            RatioParams(floor=0.5, full_at=0.9),
            RatioParams(bands=[Band(0.95, 1.0), Band(0.8, 0.6)]),
            RatioParams(bands=[Band(0.8, 0.6)]),  # no full band: the ratio alone
        ]
    ),
)
def test_ratio_cases_equal_describe(rows, params):
    cases = _cases([s for s, _ in rows], [1] * len(rows), [v for _, v in rows], [0] * len(rows))
    m = Ratio()
    assert m.describe_cases(params, 10.0, cases) == _per_case(m, params, 10.0, cases)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 500), st.integers(-1, 500)), min_size=1, max_size=30),
    st.sampled_from(
        [
            TimelinessParams(limit=20),
            TimelinessParams(limit=2.5, mode="deduct", per=0.5),
            TimelinessParams(limit=0, mode="deduct", per=1, unit="天"),
        ]
    ),
)
def test_timeliness_cases_equal_describe(rows, params):
    n = [a for a, _ in rows]
    over = [min(b, a) for a, b in rows]
    cases = _cases([0.0] * len(rows), n, [0.0] * len(rows), over)
    m = Timeliness()
    assert m.describe_cases(params, 5.0, cases) == _per_case(m, params, 5.0, cases)


class LoudRatio(Ratio):
    """A plugin's ratio that words its reasons differently (describe only)."""

    name = "loud_ratio"

    def describe(self, params, points, cell):
        return "" if cell.score >= points else f"比率仅 {cell.value:.3f}"


def test_a_subclass_changing_describe_alone_is_described_case_by_case():
    assert _batch_describer(Ratio()) is not None
    assert _batch_describer(LoudRatio()) is None
    methods = {**get_methods(), "loud_ratio": LoudRatio()}
    rubric = parse_rubric(
        rubric_dict([domain("D1", 10, leaf("D1.1", 10, "loud_ratio"))]), methods=methods
    )
    # 甲 0.5 → 10 × 0.5 = 5 of 10; 乙 1.0 → full, no reason
    data = pd.DataFrame([row("甲", "D1.1", 0.5), row("乙", "D1.1", 1.0)])
    res = score(rubric, data, roster(["甲", "乙"]), methods=methods)
    assert res.items()["reason"].tolist() == ["比率仅 0.500", ""]
