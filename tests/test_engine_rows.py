"""The evidence rows are kept as the checked table plus a leaf-order permutation.

The reordered frame (``Aggregates.rows``) is built only when asked for; it must
equal the eager reorder, and the errors found while aggregating must still name
the user's row, also when 自评分 rows (``<key>.self``) were set aside before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_engine_cases import row
from test_rubric_build import domain, leaf, make_rubric, run

from zwgk_score.errors import DataError

RUBRIC = make_rubric(
    [domain("D1", 100, leaf("D1.1", 60, "manual"), leaf("D1.2", 40, "count", params={"per": 10}))]
)


def test_rows_frame_is_the_table_in_leaf_order():
    rows = [
        row("乙", "D1.2", 1, evidence="第一次"),
        row("甲", "D1.1", 50),
        row("甲", "D1.1.self", 90),
        row("乙", "D1.1", 55),
        row("甲", "D1.2", 2, evidence="两次"),
    ]
    res = run(RUBRIC, rows, ["甲", "乙"])
    frame = res.aggregates.rows
    # leaf D1.1 first (rows 1 and 3 of the table, the self row set aside), then D1.2 (0, 4)
    assert frame["row_id"].tolist() == [1, 3, 0, 4]
    assert frame["unit_idx"].tolist() == [0, 1, 1, 0]
    assert frame["leaf_idx"].tolist() == [0, 0, 1, 1]
    assert frame["evidence"].tolist() == ["", "", "第一次", "两次"]
    ev = res.aggregates.evidence_rows
    assert len(ev) == 4
    assert ev.column("value").tolist() == [50.0, 55.0, 1.0, 2.0]
    assert ev.take("unit", np.array([3])).tolist() == ["甲"]
    assert res.aggregates.rows is frame  # built once
    assert res.aggregates.self_score[0, 0] == 90.0
    pd.testing.assert_frame_equal(
        res.evidence(unit="甲")[["row_id", "indicator", "value"]],
        pd.DataFrame({"row_id": [1, 4], "indicator": ["D1.1", "D1.2"], "value": [50.0, 2.0]}),
        check_dtype=False,
    )


def test_errors_after_self_rows_name_the_users_row():
    # the self row (table row 2, the header is row 1) is set aside first; the unknown key is
    # table row 4; then a duplicate and an out-of-range score after two self rows
    rows = [
        row("甲", "D1.1.self", 90),
        row("甲", "D1.1", 50),
        row("乙", "D9", 1),
    ]
    with pytest.raises(DataError, match="第 4 行，列 key") as err:
        run(RUBRIC, rows, ["甲", "乙"])
    assert "D9" in str(err.value)
    rows = [
        row("甲", "D1.1.self", 90),
        row("甲", "D1.2.self", 1),
        row("甲", "D1.1", 50),
        row("乙", "D1.1", 55),
        row("乙", "D1.1", 45),
    ]
    with pytest.raises(DataError, match="第 6 行") as err:
        run(RUBRIC, rows, ["甲", "乙"])
    assert "2 行数据" in str(err.value)
    rows = [row("甲", "D1.1.self", 90), row("甲", "D1.1", 50), row("乙", "D1.1", 70)]
    with pytest.raises(DataError, match="第 4 行，列 value") as err:
        run(RUBRIC, rows, ["甲", "乙"])
    assert "实际为 70" in str(err.value)


def test_a_self_row_of_an_unknown_key_is_an_unknown_key():
    rows = [row("甲", "D1.1", 50), row("甲", "D1.1.self", 55), row("乙", "D9.self", 1)]
    with pytest.raises(DataError, match="第 4 行，列 key") as err:
        run(RUBRIC, rows, ["甲", "乙"])
    assert "「D9.self」" in str(err.value)
    # two self rows of one cell add up (as two reviewer rows would not: manual takes one)
    more = [row("甲", "D1.1.self", 3), row("乙", "D1.1", 40)]
    more += [row("甲", "D1.2", 0), row("乙", "D1.2", 0)]
    res = run(RUBRIC, [*rows[:2], *more], ["甲", "乙"])
    assert res.aggregates.self_score[0, 0] == 58.0
    assert np.isnan(res.aggregates.self_score[1, 0])
