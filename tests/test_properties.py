"""Invariants of the scoring engine, checked with hypothesis on random evidence.

One rubric uses every built-in method (including a category with
``floor = false``, bonus and a major deduction); each unit's observations are
drawn at random.  Properties:

* every domain score lies in [0, points]; the base score in [0, group max];
  the total in [0, group max + bonus] (bonus and major deductions are the only
  things that move it outside the base range, as declared);
* more compliance never lowers a score (indicator, domain or total);
* rescaling (折算) is invariant to adding not-applicable items;
* ranks agree with totals (competition ranking within each group);
* the same input gives identical results, whatever the row order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from test_rubric_build import domain, leaf, rubric_dict

from zwgk_score import parse_rubric, score

PARTS = [{"id": p, "name": f"分项{p}", "share": s} for p, s in (("a", 0.5), ("b", 0.3), ("c", 0.2))]
LEVELS = [{"name": n, "share": s} for n, s in (("好", 1.0), ("一般", 0.5), ("差", 0.0))]
GROUPS = [{"id": "a", "name": "A类"}, {"id": "b", "name": "B类"}]
SCORED = ["bin", "chk", "lvl", "rat", "man", "ded", "tml", "cnt", "tmr", "per"]


def domains() -> list[dict[str, Any]]:
    return [
        domain(
            "D1",
            40,
            leaf("bin", 5, "binary"),
            leaf("chk", 10, "checklist", params={"parts": PARTS}),
            leaf("lvl", 5, "levels", params={"levels": LEVELS}),
            leaf("rat", 10, "ratio", params={"floor": 0.2, "full_at": 0.95}),
            leaf("man", 10, "manual"),
        ),
        domain(
            "D2",
            30,
            domain(
                "C",
                15,
                leaf("ded", 10, "deduction", params={"per": 3, "floor": False}),
                leaf("tml", 5, "timeliness", params={"limit": 20, "mode": "deduct", "per": 2}),
                floor=False,
            ),
            leaf("cnt", 10, "count", params={"target": 4}),
            leaf("tmr", 5, "timeliness", params={"limit": 5}),
            leaf("bonus", 0, "bonus", params={"per": 2, "cap": 5}),
            leaf("major", 0, "major_deduction", params={"per": 4}),
        ),
        domain("D3", 30, leaf("per", 30, "count", params={"per": 7}), groups=["a"]),
    ]


RUBRIC = parse_rubric(rubric_dict(domains(), groups=GROUPS, missing="zero"))

counts = st.integers(0, 6)
days = st.lists(st.integers(0, 40), max_size=5)
unit_obs = st.fixed_dictionaries(
    {
        "group": st.sampled_from(["a", "b"]),
        "bin": st.integers(0, 1),
        "chk": st.sets(st.sampled_from(["a", "b", "c"])),
        "lvl": st.integers(0, 2),
        "rat": st.floats(0, 1),
        "man": st.floats(0, 10),
        "ded": counts,
        "tml": days,
        "cnt": counts,
        "tmr": days,
        "per": counts,
        "bonus": st.integers(0, 4),
        "major": st.integers(0, 3),
        "na": st.sets(st.sampled_from(SCORED), max_size=3),
    }
)
units_obs = st.lists(unit_obs, min_size=1, max_size=6)


def rows_for(unit: str, o: dict[str, Any]) -> list[dict[str, Any]]:
    def r(key: str, value: Any = None, text: str = "", evidence: str = "") -> dict[str, Any]:
        return {
            "unit": unit,
            "key": key,
            "value": value,
            "text": text,
            "evidence": evidence,
            "status": "na" if key in o["na"] else "ok",
        }

    out = [
        r("bin", o["bin"]),
        r("chk", text=";".join(sorted(o["chk"]))),
        r("lvl", text=LEVELS[o["lvl"]]["name"]),
        r("rat", o["rat"]),
        r("man", o["man"]),
        r("ded", o["ded"]),
        r("cnt", o["cnt"]),
        r("per", o["per"]),
    ]
    out += [r("tml", d) for d in o["tml"]] or ([r("tml", None)] if "tml" in o["na"] else [])
    out += [r("tmr", d) for d in o["tmr"]] or ([r("tmr", None)] if "tmr" in o["na"] else [])
    if o["bonus"]:
        out.append(r("bonus", o["bonus"], evidence="市级表彰"))
    if o["major"]:
        out.append(r("major", o["major"]))
    return out


def frames(obs: list[dict[str, Any]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    units = [f"单位{i}" for i in range(len(obs))]
    rows = [row for u, o in zip(units, obs, strict=True) for row in rows_for(u, o)]
    data = pd.DataFrame(rows, columns=["unit", "key", "value", "text", "status", "evidence"])
    roster = pd.DataFrame({"unit": units, "group": [o["group"] for o in obs]})
    return data, roster


def run(obs: list[dict[str, Any]], rubric=RUBRIC):
    data, roster = frames(obs)
    return score(rubric, data, roster)


FAST = settings(max_examples=60, deadline=None)


@FAST
@given(units_obs)
def test_scores_stay_within_their_bounds(obs):
    res = run(obs)
    s = res.summary
    dom = res.domain_scores()
    for d in RUBRIC.domains:
        assert ((dom[d.id] >= 0) & (dom[d.id] <= d.points + 1e-9)).all()
    base = s["base"].dropna()
    assert ((base >= 0) & (base <= 100 + 1e-9)).all()
    t = s["total"].dropna()
    assert (t >= 0).all()
    assert (t <= s.loc[t.index, "base"] + s.loc[t.index, "bonus"] + 1e-9).all()
    assert (s["bonus"] <= 5).all()  # the only bonus indicator caps at 5
    # a leaf never exceeds its points; only floor = false leaves go below 0
    items = res.items()
    scored = items[items["role"] == "score"]
    assert (scored["score"] <= scored["points"] + 1e-9).all()
    assert (scored.loc[scored["indicator"] != "ded", "score"] >= 0).all()


IMPROVE = {
    "bin": lambda o: {**o, "bin": 1},
    "chk": lambda o: {**o, "chk": o["chk"] | {"a"}},
    "lvl": lambda o: {**o, "lvl": max(o["lvl"] - 1, 0)},  # lower index = better level
    "rat": lambda o: {**o, "rat": min(o["rat"] + 0.1, 1.0)},
    "man": lambda o: {**o, "man": min(o["man"] + 1, 10.0)},
    "ded": lambda o: {**o, "ded": max(o["ded"] - 1, 0)},
    "tml": lambda o: {**o, "tml": [max(d - 10, 0) for d in o["tml"]]},
    "cnt": lambda o: {**o, "cnt": o["cnt"] + 1},
    "tmr": lambda o: {**o, "tmr": [max(d - 3, 0) for d in o["tmr"]]},
    "per": lambda o: {**o, "per": o["per"] + 1},
    "bonus": lambda o: {**o, "bonus": o["bonus"] + 1},
    "major": lambda o: {**o, "major": max(o["major"] - 1, 0)},
}


@FAST
@given(units_obs, st.data())
def test_more_compliance_never_lowers_a_score(obs, data):
    which = data.draw(st.sampled_from(sorted(IMPROVE)))
    u = data.draw(st.integers(0, len(obs) - 1))
    better = list(obs)
    better[u] = IMPROVE[which](obs[u])
    before, after = run(obs), run(better)
    unit = f"单位{u}"
    t0 = before.summary.loc[u, "total"]
    t1 = after.summary.loc[u, "total"]
    assert (np.isnan(t0) and np.isnan(t1)) or t1 >= t0 - 1e-9
    d0, d1 = before.domain_scores().loc[unit], after.domain_scores().loc[unit]
    assert (d1 >= d0 - 1e-9).all()
    i0 = before.items().set_index(["unit", "indicator"])["score"]
    i1 = after.items().set_index(["unit", "indicator"])["score"]
    if which != "major":  # a major deduction's item score is the deduction itself
        assert i1[(unit, which)] >= i0[(unit, which)] - 1e-9


@FAST
@given(units_obs, st.floats(0.5, 40), st.integers(1, 3))
def test_rescale_is_invariant_to_not_applicable_items(obs, extra_points, n_extra):
    # the same rubric plus a domain DX of n_extra items that no unit may score: half are reserved
    # to a group "z" nobody belongs to, the others are declared not applicable (status na) by
    # every unit.  Group maxima stay 100, so every base score and total is unchanged.
    share = round(extra_points / n_extra, 6)
    extra = [
        leaf(f"X{i}", share, "binary", **({"groups": ["z"]} if i % 2 else {}))
        for i in range(n_extra)
    ]
    groups = [{**g, "max_score": 100} for g in GROUPS] + [{"id": "z", "name": "Z类"}]
    bigger = parse_rubric(
        rubric_dict(
            [*domains(), domain("DX", round(share * n_extra, 6), *extra)],
            groups=groups,
            missing="zero",
        )
    )
    data, roster = frames(obs)
    na_rows = pd.DataFrame(
        [
            {"unit": u, "key": f"X{i}", "status": "na"}
            for u in roster["unit"]
            for i in range(0, n_extra, 2)
        ]
    )
    small = score(RUBRIC, data, roster).summary
    big = score(bigger, pd.concat([data, na_rows], ignore_index=True), roster).summary
    for c in ("base", "total", "rank", "grade"):
        pd.testing.assert_series_equal(small[c], big[c])


@FAST
@given(units_obs)
def test_ranks_agree_with_totals(obs):
    s = run(obs).summary
    for _, g in s.groupby("group"):
        t = g["total"].fillna(-np.inf).to_numpy()
        r = g["rank"].to_numpy()
        # competition rank: 1 + number of units of the group with a strictly higher total
        expected = np.array([1 + (t > x).sum() for x in t])
        assert (r == expected).all()


@settings(max_examples=25, deadline=None)  # three full scorings and JSON exports per example
@given(units_obs, st.randoms(use_true_random=False))
def test_same_input_gives_identical_results(obs, rnd):
    data, roster = frames(obs)
    first = score(RUBRIC, data, roster)
    again = score(RUBRIC, data.copy(), roster.copy())
    pd.testing.assert_frame_equal(first.summary, again.summary)
    pd.testing.assert_frame_equal(first.items(), again.items())
    assert first.to_json() == again.to_json()
    # the order of the evidence rows does not matter for any score
    order = list(range(len(data)))
    rnd.shuffle(order)
    shuffled = score(RUBRIC, data.iloc[order].reset_index(drop=True), roster)
    pd.testing.assert_frame_equal(first.summary, shuffled.summary)
    cols = ["unit", "indicator", "score", "lost", "status"]
    pd.testing.assert_frame_equal(first.items()[cols], shuffled.items()[cols])
