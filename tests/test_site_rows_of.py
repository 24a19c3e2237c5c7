"""rows_of (the site's row iterator) yields exactly what DataFrame.itertuples yields."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from zwgk_score.outputs.site.trend import rows_of


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and (a is b or a == b)


def test_rows_of_matches_itertuples_on_mixed_columns() -> None:
    frame = pd.DataFrame(
        {
            "unit": pd.array(["甲", None, "丙"], dtype="string"),
            "text": pd.Series(["a", "b", None], dtype=object),
            "rank": np.array([1, 2, 3], dtype=np.int64),
            "total": [90.5, float("nan"), 70.0],
            "veto": [True, False, True],
            "class": ["x", "y", "x"],  # keyword: renamed to _5 like itertuples does
            "2nd": pd.Categorical(["p", "q", "p"]),
        },
        index=[10, 20, 30],
    )
    frame["str3"] = frame["class"].astype(pd.StringDtype())
    got, want = rows_of(frame), list(frame.itertuples())
    assert [type(r)._fields for r in got] == [type(r)._fields for r in want]
    assert len(got) == 3
    for g, w in zip(got, want, strict=True):
        assert all(_same(a, b) for a, b in zip(g, w, strict=True)), (g, w)


def test_rows_of_empty_frame() -> None:
    frame = pd.DataFrame({"unit": pd.array([], dtype="string"), "rank": []})
    assert rows_of(frame) == list(frame.itertuples()) == []
