"""Rubric loading (考核细则): defaults, the resolved tree, group inheritance.

Also home of ``make_rubric`` / ``leaf`` / ``run`` / ``roster``, imported by the
other ``test_engine_*``, ``test_properties`` and ``test_errors_*`` files.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from zwgk_score import parse_rubric, score
from zwgk_score.errors import RubricError
from zwgk_score.results import Results
from zwgk_score.rubric.model import Rubric

#: grade bands used unless a test says otherwise: 优秀 ≥ 90, 合格 ≥ 60, 不合格 below
GRADES = [
    {"name": "优秀", "min": 90},
    {"name": "合格", "min": 60},
    {"name": "不合格", "min": 0},
]


def meta(**over: Any) -> dict[str, Any]:
    """A valid [meta] table with ``over`` applied."""
    m: dict[str, Any] = {
        "id": "t",
        "title": "测试细则",
        "issuer": "某市人民政府办公室",
        "year": 2023,
        "performance_share": 5.0,
    }
    m.update(over)
    return m


def leaf(id: str, points: float, method: str, **kw: Any) -> dict[str, Any]:
    """A scored indicator (末级指标) table."""
    return {"id": id, "name": f"指标{id}", "points": points, "method": method, **kw}


def domain(id: str, points: float, *children: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """A category node (一级/二级指标) table."""
    return {"id": id, "name": f"类别{id}", "points": points, "indicators": list(children), **kw}


def rubric_dict(
    domains: list[dict[str, Any]],
    *,
    groups: list[dict[str, Any]] | None = None,
    grades: list[dict[str, Any]] | None = None,
    **meta_over: Any,
) -> dict[str, Any]:
    """A parsed-TOML-like rubric mapping; full_score defaults to the domains' sum."""
    meta_over.setdefault("full_score", round(sum(d["points"] for d in domains), 9))
    return {
        "meta": meta(**meta_over),
        "grades": GRADES if grades is None else grades,
        "groups": groups or [{"id": "a", "name": "A类"}],
        "domains": domains,
    }


def make_rubric(domains: list[dict[str, Any]], **kw: Any) -> Rubric:
    """Build a :class:`Rubric` from domain tables (see :func:`rubric_dict`)."""
    return parse_rubric(rubric_dict(domains, **kw))


def roster(units: dict[str, str] | list[str], group: str = "a") -> pd.DataFrame:
    """A roster frame from {unit: group} or a list of units in one group."""
    pairs = units.items() if isinstance(units, dict) else ((u, group) for u in units)
    u, g = zip(*pairs, strict=True)
    return pd.DataFrame({"unit": list(u), "group": list(g)})


def run(rubric: Rubric, rows: list[dict[str, Any]], units: Any) -> Results:
    """Score evidence ``rows`` (dicts with unit, key, value, …) for ``units``."""
    data = pd.DataFrame(rows, columns=["unit", "key", "value", "text", "status", "evidence"])
    return score(rubric, data, roster(units))


def total(res: Results, unit: str) -> float:
    return float(res.summary.set_index("unit").loc[unit, "total"])


def col(res: Results, unit: str, column: str) -> Any:
    return res.summary.set_index("unit").loc[unit, column]


# -- tests ---------------------------------------------------------------


def test_defaults_are_applied():
    r = make_rubric([domain("D1", 100, leaf("D1.1", 100, "binary"))])
    assert r.meta.full_score == 100
    assert r.meta.missing == "error"
    assert r.meta.precision == 2
    assert r.meta.tie_break == ()
    assert r.meta.bonus_cap is None
    g = r.group("a")
    assert (g.max_score, g.rescale) == (100, True)
    assert [b.name for b in g.grades] == ["优秀", "合格", "不合格"]
    n = r.node("D1.1")
    # data key defaults to the id; the tree records the TOML path and the level
    assert (n.data, n.path, n.level, n.parent) == ("D1.1", "domains[0].indicators[0]", 2, "D1")
    assert n.groups == frozenset({"a"})


def test_groups_are_inherited_and_narrowed():
    groups = [{"id": "county", "name": "县区"}, {"id": "dept", "name": "部门"}]
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("D1.1", 75, "binary"),
                domain("D1.2", 25, leaf("D1.2.1", 25, "binary"), groups=["county"]),
            )
        ],
        groups=groups,
    )
    assert r.node("D1.1").groups == frozenset({"county", "dept"})
    assert r.node("D1.2.1").groups == frozenset({"county"})  # inherited from its parent
    assert [n.id for n in r.leaves] == ["D1.1", "D1.2.1"]
    assert r.domain_of("D1.2.1").id == "D1"


def test_group_grades_override_meta_grades():
    groups = [
        {"id": "a", "name": "A"},
        {
            "id": "b",
            "name": "B",
            "max_score": 95,
            "grades": [{"name": "好", "min": 80}, {"name": "差", "min": 0}],
        },
    ]
    r = make_rubric([domain("D1", 100, leaf("D1.1", 100, "binary"))], groups=groups)
    assert r.group("b").grade_for(85) == "好"
    assert r.group("b").grade_for(79.99) == "差"
    assert r.group("a").grade_for(89.999) == "合格"
    assert (r.group("b").max_score, r.group("b").rescale) == (95, True)


def test_bonus_major_veto_do_not_count_toward_parent_points():
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("D1.1", 100, "binary"),
                leaf("B", 0, "bonus", params={"per": 3, "cap": 6}),
                leaf("M", 0, "major_deduction", params={"per": 10}),
                leaf("V", 0, "veto", params={"policy": "cap", "cap": 59}),
            )
        ]
    )
    assert [n.id for n in r.leaves] == ["D1.1", "B", "M", "V"]


def test_fractional_points_add_up_to_the_parent():
    # the published 1.2-point first-level indicator: 0.2+0.24+0.08+0.08+0.2+0.08+0.16+0.16 = 1.2
    # (the loader compares sums with a tolerance of 1e-6, so float noise cannot reject it)
    shares = [0.2, 0.24, 0.08, 0.08, 0.2, 0.08, 0.16, 0.16]
    kids = [leaf(f"D1.{i + 1}", p, "binary") for i, p in enumerate(shares)]
    r = make_rubric([domain("D1", 1.2, *kids), domain("D2", 98.8, leaf("D2.1", 98.8, "binary"))])
    assert r.node("D1").points == 1.2
    assert len(r.node("D1").children) == 8


def test_not_scored_and_combine_are_kept():
    d = rubric_dict([domain("D1", 100, leaf("D1.1", 100, "binary"))])
    d["not_scored"] = [{"task": "(60)", "name": "市级任务", "reason": "不对被考核单位评分"}]
    d["combine"] = {
        "parts": [
            {"id": "q", "name": "季度检查", "weight": 20},
            {"id": "y", "name": "年终考核", "weight": 80, "aggregate": "last"},
        ]
    }
    r = parse_rubric(d)
    assert r.not_scored[0].reason == "不对被考核单位评分"
    assert [(p.id, p.weight, p.aggregate) for p in r.combine] == [
        ("q", 20, "mean"),
        ("y", 80, "last"),
    ]


def test_floor_on_a_leaf_is_rejected():
    # 扣完为止 of a leaf is the method's params.floor; a node-level floor on a leaf would be ignored
    bad = leaf("D1.1", 100, "deduction", params={"per": 5}, floor=False)
    with pytest.raises(RubricError) as e:
        make_rubric([domain("D1", 100, bad)])
    assert e.value.path == "domains[0].indicators[0].floor"
