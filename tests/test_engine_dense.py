"""The dense input path (稠密输入, ``zwgk_score.engine.dense.score_dense``).

The central property: on the same observations, the dense arrays and the
long evidence table give identical summaries and per-indicator scores, for a
rubric using every built-in method.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import GROUPS, LEVELS, domains
from test_rubric_build import domain, leaf, rubric_dict

from zwgk_score import parse_rubric, score
from zwgk_score.engine.dense import score_dense
from zwgk_score.errors import DataError

SINGLE = ["bin", "chk", "lvl", "rat", "man", "cnt"]  # keys whose absence is missing data
NUMERIC = ["bin", "rat", "man", "ded", "cnt", "per", "bonus", "major", "veto"]


def every_method(**meta: Any) -> dict[str, Any]:
    """test_properties' rubric (ten methods) plus a veto: all eleven built-in methods."""
    ds = domains()
    ds[1]["indicators"].append(leaf("veto", 0, "veto", params={"policy": "cap", "cap": 59}))
    return rubric_dict(ds, groups=GROUPS, **meta)


RUBRIC = parse_rubric(every_method(missing="zero"))

unit_obs = st.fixed_dictionaries(
    {
        "group": st.sampled_from(["a", "b"]),
        "bin": st.integers(0, 1),
        "chk": st.sets(st.sampled_from(["a", "b", "c"])),
        "lvl": st.integers(0, 2),
        "rat": st.floats(0, 1),
        "man": st.floats(0, 10),
        "ded": st.integers(0, 6),
        "tml": st.lists(st.integers(0, 40), max_size=5),
        "cnt": st.integers(0, 6),
        "tmr": st.lists(st.integers(0, 40), max_size=5),
        "per": st.integers(0, 6),
        "bonus": st.integers(0, 4),
        "major": st.integers(0, 3),
        "veto": st.integers(0, 1),
        "na": st.sets(
            st.sampled_from(["bin", "chk", "rat", "ded", "tml", "cnt", "per"]), max_size=3
        ),
        "miss": st.sets(st.sampled_from(SINGLE), max_size=2),
    }
)


def long_rows(unit: str, o: dict[str, Any]) -> list[dict[str, Any]]:
    """The observations as evidence rows: one row per value, one per timeliness item."""

    def r(key: str, value: Any = None, text: str = "", evidence: str = "") -> dict[str, Any]:
        return {
            "unit": unit,
            "key": key,
            "value": value,
            "text": text,
            "evidence": evidence,
            "status": "na" if key in o["na"] else "ok",
        }

    out = []
    for key in ("bin", "rat", "man", "ded", "cnt", "per"):
        if key in o["na"] or key not in o["miss"]:
            out.append(r(key, o[key]))
    if "chk" in o["na"] or "chk" not in o["miss"]:
        out.append(r("chk", text=";".join(sorted(o["chk"]))))
    if "lvl" not in o["miss"]:
        out.append(r("lvl", text=LEVELS[o["lvl"]]["name"]))
    for key in ("tml", "tmr"):
        out += [r(key, d) for d in o[key]] or ([r(key, None)] if key in o["na"] else [])
    if o["bonus"]:
        out.append(r("bonus", o["bonus"], evidence="市级表彰"))
    for key in ("major", "veto"):
        if o[key]:
            out.append(r(key, o[key]))
    return out


def dense_arrays(obs: list[dict[str, Any]]) -> dict[str, dict[str, np.ndarray]]:
    """The same observations as arrays in roster order (values, texts, counts, over, na)."""
    U = len(obs)
    values = {k: np.array([float(o[k]) for o in obs]) for k in NUMERIC}
    texts = {
        "chk": np.array([";".join(sorted(o["chk"])) for o in obs], dtype=object),
        "lvl": np.array([LEVELS[o["lvl"]]["name"] for o in obs], dtype=object),
    }
    limits = {"tml": 20, "tmr": 5}
    counts, over = {}, {}
    for key, limit in limits.items():
        values[key] = np.array([float(sum(o[key])) if o[key] else np.nan for o in obs])
        counts[key] = np.array([len(o[key]) for o in obs])
        over[key] = np.array([sum(d > limit for d in o[key]) for o in obs])
    for u, o in enumerate(obs):
        for key in o["miss"] - o["na"]:
            if key in texts:
                texts[key][u] = None
            else:
                values[key][u] = np.nan
    na = {
        k: np.array([k in o["na"] for o in obs], dtype=bool)
        for k in ["bin", "chk", "rat", "ded", "tml", "cnt", "per"]
    }
    assert all(len(a) == U for a in values.values())
    return {"values": values, "texts": texts, "counts": counts, "over": over, "na": na}


def roster_of(obs: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"unit": [f"单位{i}" for i in range(len(obs))], "group": [o["group"] for o in obs]}
    )


def long_data(obs: list[dict[str, Any]]) -> pd.DataFrame:
    rows = [row for i, o in enumerate(obs) for row in long_rows(f"单位{i}", o)]
    return pd.DataFrame(rows, columns=["unit", "key", "value", "text", "status", "evidence"])


@settings(max_examples=60, deadline=None)
@given(st.lists(unit_obs, min_size=1, max_size=6))
def test_dense_equals_long_table(obs):
    roster = roster_of(obs)
    long = score(RUBRIC, long_data(obs), roster)
    dense = score_dense(RUBRIC, roster, **dense_arrays(obs))
    pd.testing.assert_frame_equal(dense.summary, long.summary, check_exact=True)
    di, li = dense.items(), long.items()
    cols = [c for c in li.columns if c != "reason"]
    pd.testing.assert_frame_equal(di[cols], li[cols], check_exact=True)
    # 失分原因: identical, except that the long table appends the bonus rows' evidence
    bonus = li["indicator"] == "bonus"
    assert (di.loc[~bonus, "reason"] == li.loc[~bonus, "reason"]).all()
    assert all(
        lr.startswith(dr)
        for dr, lr in zip(di.loc[bonus, "reason"], li.loc[bonus, "reason"], strict=True)
    )
    assert dense.evidence().empty


# -- hand-computed cases ---------------------------------------------------------

SMALL_DOMAINS = [
    domain(
        "D1",
        100,
        leaf("tmr", 50, "timeliness", params={"limit": 5}),
        leaf("ded", 30, "deduction", params={"per": 10}),
        leaf("bin", 20, "binary"),
    )
]
META = rubric_dict(SMALL_DOMAINS)["meta"]
SMALL = parse_rubric(rubric_dict(SMALL_DOMAINS))
TWO = pd.DataFrame({"unit": ["甲", "乙"], "group": ["a", "a"]})


def test_hand_computed_totals():
    res = score_dense(
        SMALL,
        TWO,
        {"tmr": np.array([10.0, 3.0]), "ded": np.array([2.0, np.nan]), "bin": np.array([1.0, 0.0])},
        counts={"tmr": np.array([4, 1])},
        over={"tmr": np.array([1, 0])},
    )
    # 甲: tmr 50 × (4 − 1) / 4 = 37.5; ded 30 − 2 × 10 = 10; bin 20 → 67.5
    # 乙: tmr 50 × 1/1 = 50; ded NaN = no rows = no finding → 30; bin 0 → 80
    assert res.summary["total"].tolist() == [67.5, 80.0]


def test_default_counts_and_over_are_one_row_per_value():
    res = score_dense(
        SMALL,
        TWO,
        {"tmr": np.array([7.0, 3.0]), "ded": np.array([0.0, 1.0]), "bin": np.array([1.0, 1.0])},
    )
    # 甲: one item of 7 days > 5 → on time 0/1 → 0; ded 30; bin 20 → 50
    # 乙: one item of 3 days → 50; ded 30 − 10 = 20; bin 20 → 90
    assert res.summary["total"].tolist() == [50.0, 90.0]
    items = res.items().set_index(["unit", "indicator"])
    assert items.loc[("甲", "tmr"), "reason"] == "超过 5 个工作日 1 件（共 1 件），按时率 0.00%"


def test_na_arrays_make_an_item_not_applicable():
    res = score_dense(
        SMALL,
        TWO,
        {"tmr": np.array([3.0, 3.0]), "ded": np.zeros(2), "bin": np.array([0.0, 7.0])},
        na={"bin": np.array([False, True])},  # 乙's bin value (7, invalid) is ignored
    )
    # 甲: 50 + 30 + 0 = 80; 乙: (50 + 30) / 80 × 100 = 100 (rescaled without bin)
    assert res.summary["total"].tolist() == [80.0, 100.0]
    items = res.items().set_index(["unit", "indicator"])
    assert items.loc[("乙", "bin"), "status"] == "不适用"
    assert not items.loc[("乙", "bin"), "applicable"]


def test_nan_is_missing_under_each_policy():
    values = {"tmr": np.array([3.0, 3.0]), "ded": np.zeros(2), "bin": np.array([1.0, np.nan])}
    strict = SMALL  # meta.missing = "error"
    with pytest.raises(DataError) as e:
        score_dense(strict, TWO, values)
    assert e.value.path == "unit=乙, key=bin"
    # the long table without 乙's bin row raises the same error
    long = pd.DataFrame(
        [("甲", "tmr", 3.0), ("乙", "tmr", 3.0), ("甲", "bin", 1.0)],
        columns=["unit", "key", "value"],
    )
    with pytest.raises(DataError) as e2:
        score(strict, long, TWO)
    assert str(e2.value) == str(e.value)
    for policy, total in (("zero", 80.0), ("not_applicable", 100.0)):
        rub = parse_rubric({**rubric_dict(SMALL_DOMAINS), "meta": {**META, "missing": policy}})
        res = score_dense(rub, TWO, values)
        # 乙: 50 + 30 + 0 = 80 (zero); (50 + 30) / 80 × 100 = 100 (not applicable)
        assert res.summary["total"].tolist() == [100.0, total]
        assert res.summary["missing"].tolist() == [0, 1]


def test_text_methods_read_texts():
    rub = parse_rubric(every_method(missing="zero"))
    obs = [{"chk": "a;b", "lvl": "一般"}, {"chk": None, "lvl": "好"}]
    roster = pd.DataFrame({"unit": ["甲", "乙"], "group": ["b", "b"]})
    texts = {k: np.array([o[k] for o in obs], dtype=object) for k in ("chk", "lvl")}
    res = score_dense(rub, roster, {}, texts=texts)
    items = res.items().set_index(["unit", "indicator"])
    # chk: 10 × (0.5 + 0.3) = 8 for 甲; 乙 has no text → missing (zero)
    assert items.loc[("甲", "chk"), "score"] == 8.0
    assert items.loc[("乙", "chk"), "status"] == "缺失（计0分）"
    # lvl: 5 × 0.5 = 2.5 for 甲 (一般), 5 for 乙 (好)
    assert items.loc[("甲", "lvl"), "score"] == 2.5
    assert items.loc[("乙", "lvl"), "score"] == 5.0


@pytest.mark.parametrize(
    ("kwargs", "path", "fragment"),
    [
        ({"values": {"bin": np.ones(3)}}, "key=bin", "形状"),
        ({"values": {"bin": np.ones((2, 1))}}, "key=bin", "形状"),
        ({"values": {"bin": np.array(["1", "0"])}}, "key=bin", "类型"),
        ({"values": {"bin": np.ones(2)}, "na": {"bin": np.array([0, 1])}}, "key=bin", "布尔"),
        ({"values": {"zzz": np.ones(2)}}, "key=zzz", "不对应"),
        ({"values": {"bin": np.array([1.0, 2.0])}}, "unit=乙, key=bin", "取值应为 1"),
        ({"values": {"ded": np.array([-1.0, 0.0])}}, "unit=甲, key=ded", "不能为负"),
        (
            {"values": {"tmr": np.array([3.0, 3.0])}, "counts": {"tmr": np.array([1, -2])}},
            "unit=乙, key=tmr",
            "非负整数",
        ),
        (
            {"values": {"tmr": np.array([3.0, 3.0])}, "counts": {"tmr": np.array([1.5, 1])}},
            "unit=甲, key=tmr",
            "非负整数",
        ),
        (
            {"values": {"tmr": np.array([3.0, 3.0])}, "counts": {"tmr": np.array([4, 0])}},
            "unit=乙, key=tmr",
            "行数为 0",
        ),
        (
            {"values": {"tmr": np.array([3.0, np.nan])}, "counts": {"tmr": np.array([1, 2])}},
            "unit=乙, key=tmr",
            "value 为空",
        ),
        (
            {"values": {"tmr": np.array([3.0, np.nan])}, "over": {"tmr": np.array([0, 1])}},
            "unit=乙, key=tmr",
            "value 为空",
        ),
        (
            {
                "values": {"tmr": np.array([9.0, 3.0])},
                "counts": {"tmr": np.array([2, 1])},
                "over": {"tmr": np.array([3, 0])},
            },
            "unit=甲, key=tmr",
            "超时件数",
        ),
    ],
)
def test_bad_input_is_a_data_error(kwargs, path, fragment):
    rub = parse_rubric({**rubric_dict(SMALL_DOMAINS), "meta": {**META, "missing": "zero"}})
    with pytest.raises(DataError) as e:
        score_dense(rub, TWO, **kwargs)
    assert e.value.path == path
    assert fragment in e.value.message
