"""The built-in scoring methods on arrays over units (no rubric, no engine).

Each test feeds a :class:`LeafData` of several units at once and checks the
vectorised scores against hand-computed values.
"""

from __future__ import annotations

import numpy as np
import pytest

from zwgk_score.methods import BUILTIN_METHODS, LeafData
from zwgk_score.methods.base import Cell, fmt, pct
from zwgk_score.structure import CONVERTER

M = {m.name: m() for m in BUILTIN_METHODS}
NAN = float("nan")


def params(method: str, **raw):
    return CONVERTER.structure(raw, M[method].params_type)


def data(n=None, total=None, value=None, text=None, over=None) -> LeafData:
    size = len(next(a for a in (n, total, value, text, over) if a is not None))

    def arr(a, fill, dtype=float):
        return np.array(a if a is not None else [fill] * size, dtype=dtype)

    return LeafData(
        arr(n, 1),
        arr(total, 0.0),
        arr(value, NAN),
        arr(text, "", object).astype(str),
        arr(over, 0.0),
    )


def test_registry_has_the_eleven_methods():
    assert sorted(M) == sorted(
        [
            "binary",
            "checklist",
            "levels",
            "ratio",
            "manual",
            "count",
            "deduction",
            "major_deduction",
            "timeliness",
            "bonus",
            "veto",
        ]
    )


def test_binary():
    s = M["binary"].score(params("binary"), 5, data(value=[1, 0, NAN]))
    assert s.tolist() == [5, 0, 0]
    assert M["binary"].check_value(None, 5, np.array([1.0, 2.0]), np.array(["", ""])) == (
        "取值应为 1（是）或 0（否），实际为 2"
    )


def test_checklist_shares_and_separators():
    p = params(
        "checklist",
        parts=[
            {"id": "a", "name": "甲", "share": 0.5},
            {"id": "b", "name": "乙", "share": 0.3},
            {"id": "c", "name": "丙", "share": 0.2},
        ],
    )
    s = M["checklist"].score(p, 10, data(text=["a;b", "a；c", " b ", "", "a;b;c"]))
    # 10 × 0.8, 10 × 0.7, 10 × 0.3, 0, 10
    assert s == pytest.approx([8, 7, 3, 0, 10])
    # a full-width space after the separator (common in Chinese input) is trimmed like any space
    assert M["checklist"].score(p, 10, data(text=["a；\u3000b"])).tolist() == [8]
    assert M["checklist"].describe(p, 10, Cell(8, 1, 0, NAN, "a;b", 0)) == "未完成：丙"
    assert M["checklist"].check(p, 10) == []
    bad = params("checklist", parts=[{"id": "a", "name": "甲", "share": 0.5}])
    assert M["checklist"].check(bad, 10) == [("parts", "各分项 share 之和应为 1，实际为 0.5")]


def test_levels():
    p = params(
        "levels",
        levels=[
            {"name": "好", "share": 1},
            {"name": "一般", "share": 0.5},
            {"name": "差", "share": 0},
        ],
    )
    assert M["levels"].score(p, 3, data(text=["好", "一般", "差"])).tolist() == [3, 1.5, 0]
    assert M["levels"].describe(p, 3, Cell(1.5, 1, 0, NAN, "一般", 0)) == "评定为「一般」"


def test_ratio_linear_floor_and_bands():
    v = [1.0, 0.95, 0.8, 0.6, 0.5]
    assert M["ratio"].score(params("ratio"), 10, data(value=v)) == pytest.approx([10, 9.5, 8, 6, 5])
    # floor 0.6, full at 0.9: (0.8 − 0.6) ÷ 0.3 × 10 = 6.67; 0.6 → 0; 0.5 → 0
    s = M["ratio"].score(params("ratio", floor=0.6, full_at=0.9), 10, data(value=v))
    assert s == pytest.approx([10, 10, 20 / 3, 0, 0])
    banded = params("ratio", bands=[{"min": 0.9, "share": 1}, {"min": 0.6, "share": 0.5}])
    assert M["ratio"].score(banded, 10, data(value=v)).tolist() == [10, 10, 5, 5, 0]
    assert M["ratio"].check(params("ratio", floor=0.9, full_at=0.9), 10) == [
        ("floor", "应满足 0 ≤ floor < full_at ≤ 1")
    ]


def test_count_target_and_per():
    t = [0, 3, 8, 12]
    assert M["count"].score(params("count", target=8), 10, data(total=t)).tolist() == [
        0,
        3.75,
        10,
        10,
    ]
    none = params("count", target=8, partial="none")
    assert M["count"].score(none, 10, data(total=t)).tolist() == [0, 0, 10, 10]
    assert M["count"].score(params("count", per=2), 6, data(total=[0, 1, 3, 5])).tolist() == [
        0,
        2,
        6,
        6,
    ]
    assert M["count"].check(params("count"), 6) == [
        ("target", "target（目标次数）与 per（每次得分）须且只须给出一个")
    ]


def test_deduction_floor_and_no_floor():
    t = [0, 1, 3]
    assert M["deduction"].score(params("deduction", per=2), 5, data(total=t)).tolist() == [5, 3, 0]
    free = params("deduction", per=2, floor=False)
    assert M["deduction"].score(free, 5, data(total=t)).tolist() == [5, 3, -1]
    effect = M["deduction"].row_effect(free, 5, np.array([0.0, 2.0]), np.array(["", ""]))
    assert effect.tolist() == [0.0, -4.0] and not np.signbit(effect[0])


def test_major_deduction_is_uncapped():
    s = M["major_deduction"].score(params("major_deduction", per=10), 0, data(total=[0, 2, 30]))
    assert s.tolist() == [0, 20, 300]


def test_timeliness_ratio_and_deduct():
    # n items, over = late items: 4 with 2 late → 50 %; none → full; 3 with 0 late → full
    d = data(n=[4, 0, 3], over=[2, 0, 0])
    assert M["timeliness"].score(params("timeliness", limit=20), 10, d).tolist() == [5, 10, 10]
    ded = params("timeliness", limit=20, mode="deduct", per=6)
    assert M["timeliness"].score(ded, 10, d).tolist() == [0, 10, 10]
    assert M["timeliness"].threshold(ded) == 20
    assert M["timeliness"].describe(
        params("timeliness", limit=20), 10, Cell(5, 4, 0, NAN, "", 2)
    ) == ("超过 20 个工作日 2 件（共 4 件），按时率 50.00%")


def test_bonus_per_and_cap():
    assert M["bonus"].score(params("bonus", per=3, cap=5), 0, data(total=[0, 1, 2])).tolist() == [
        0,
        3,
        5,
    ]
    assert M["bonus"].score(params("bonus"), 0, data(total=[2.5])).tolist() == [2.5]


def test_veto_flags_and_policy_checks():
    assert M["veto"].score(params("veto"), 0, data(total=[0, 1, 3])).tolist() == [0, 1, 1]
    assert M["veto"].check(params("veto", policy="cap"), 0) == [
        ("cap", "policy = cap 时须给出 cap（如 59）")
    ]
    assert M["veto"].check(params("veto", policy="zero", cap=59), 0) == [
        ("cap", "只有 policy = cap 时才能给出 cap")
    ]
    assert M["veto"].describe(params("veto", policy="cap", cap=59), 0, Cell(1, 1, 1, 1, "", 0)) == (
        "触发单项否决，总分最高计 59 分"
    )


def test_manual_range():
    assert M["manual"].check_value(None, 10, np.array([10.5]), np.array([""])) == (
        "评审分应在 0 到 10 之间，实际为 10.5"
    )
    assert M["manual"].score(params("manual"), 10, data(value=[7.25])).tolist() == [7.25]


def test_number_formatting():
    assert [fmt(5.0), fmt(2.5), fmt(0.25), fmt(-0.0), fmt(NAN)] == ["5", "2.5", "0.25", "0", "—"]
    assert pct(0.9987) == "99.87%"
