"""Self-assessment beside the score, reasons that list only what cost points, veto ranking."""

from __future__ import annotations

import math

from test_rubric_build import domain, leaf, make_rubric, run


def _rubric():
    return make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("reply", 60, "timeliness", params={"limit": 5, "mode": "ratio"}),
                leaf("review", 40, "manual"),
                leaf("site_veto", 0, "veto", params={"policy": "fail"}),
            )
        ]
    )


def test_self_scores_sit_beside_the_reviewer_score_and_are_not_scored():
    rows = [
        {"unit": "甲", "key": "reply", "value": 2},
        {"unit": "甲", "key": "review", "value": 30},
        {"unit": "甲", "key": "review.self", "value": 38, "evidence": "自评分"},
        {"unit": "乙", "key": "reply", "value": 1},
        {"unit": "乙", "key": "review", "value": 40},
    ]
    res = run(_rubric(), rows, ["甲", "乙"])
    items = res.items().set_index(["unit", "indicator"])
    assert (
        items.loc[("甲", "review"), "self_score"] == 38.0
    )  # the unit claimed 38, the reviewer gave 30
    assert items.loc[("甲", "review"), "score"] == 30.0
    assert math.isnan(items.loc[("乙", "review"), "self_score"])
    # 甲: 60 + 30 = 90 (the self-score changes nothing)
    assert res.summary.set_index("unit")["total"].to_dict() == {"甲": 90.0, "乙": 100.0}


def test_reason_lists_only_the_rows_that_cost_points():
    rows = [
        {"unit": "甲", "key": "reply", "value": 3, "evidence": "留言A 3个工作日答复"},
        {"unit": "甲", "key": "reply", "value": 8, "evidence": "留言B 8个工作日答复"},
        {"unit": "甲", "key": "review", "value": 40},
    ]
    res = run(_rubric(), rows, ["甲"])
    reason = res.items().set_index("indicator").loc["reply", "reason"]
    # one of two messages late: 60 × 1/2 = 30 lost; only message B is named
    assert "留言B" in reason and "留言A" not in reason
    assert "超过 5 个工作日 1 件（共 2 件）" in reason


def test_fail_veto_ranks_after_every_unit_not_vetoed():
    rows = [
        {"unit": u, "key": k, "value": v}
        for u, k, v in [
            ("甲", "reply", 1),
            ("甲", "review", 40),
            ("乙", "reply", 9),
            ("乙", "review", 10),
            ("丙", "reply", 1),
            ("丙", "review", 38),
        ]
    ] + [{"unit": "甲", "key": "site_veto", "value": 1, "evidence": "首页连续无法访问"}]
    res = run(_rubric(), rows, ["甲", "乙", "丙"])
    s = res.summary.set_index("unit")
    # 甲 keeps 100 under policy "fail" but is graded lowest and ranked last; 丙 98, 乙 0 + 10 = 10
    assert s.loc["甲", "total"] == 100.0 and bool(s.loc["甲", "veto"])
    assert s["rank"].to_dict() == {"甲": 3, "乙": 2, "丙": 1}
    assert (
        "首页连续无法访问"
        in res.items().set_index(["unit", "indicator"]).loc[("甲", "site_veto"), "reason"]
    )
