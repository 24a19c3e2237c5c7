"""The real cases of the domain notes (how assessments are really scored), reproduced by hand.

Each test states the published rule, the rubric that encodes it and the
arithmetic of the expected score in a comment.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_rubric_build import col, domain, leaf, make_rubric, rubric_dict, run, total

from zwgk_score import combine_results, parse_rubric
from zwgk_score.engine.aggregate import round_half_up


def row(unit, key, value=None, text="", status="", evidence=""):
    return {
        "unit": unit,
        "key": key,
        "value": value,
        "text": text,
        "status": status,
        "evidence": evidence,
    }


def test_self_check_example_gives_89_and_grade_pass():
    # Published self-check: policy column stale 6 months −5, service statistics stale 3 months −2,
    # message replies stale 2 months −3 → 89, grade 合格.  100 − 5 − 2 − 3 = 90, so the published
    # 89 includes one more point lost elsewhere; we encode it as a missing-metadata deduction
    # (−1 each, a rule of the same tables) found once.  Bands 优秀 ≥ 90 / 合格 ≥ 60 / 不合格 put
    # 89 in 合格 as published (with 90/70/60 bands it would be 良好).
    r = make_rubric(
        [
            domain(
                "D1",
                40,
                leaf(
                    "policy",
                    10,
                    "deduction",
                    params={"per": 5},
                    criteria="栏目超过6个月未更新扣5分",
                ),
                leaf("stats", 10, "deduction", params={"per": 2}, criteria="超过3个月未更新扣2分"),
                leaf(
                    "replies", 10, "deduction", params={"per": 3}, criteria="超过2个月未更新扣3分"
                ),
                leaf(
                    "metadata", 10, "deduction", params={"per": 1}, criteria="缺少元数据每处扣1分"
                ),
            ),
            domain("D2", 60, leaf("rest", 60, "binary")),
        ]
    )
    res = run(
        r,
        [
            row("某局", "policy", 1, evidence="政策文件栏目6个月未更新"),
            row("某局", "stats", 1, evidence="服务数据统计3个月未更新"),
            row("某局", "replies", 1, evidence="留言答复2个月未更新"),
            row("某局", "metadata", 1, evidence="1篇文件缺少发文日期"),
            row("某局", "rest", 1),
        ],
        ["某局"],
    )
    # 100 − 5 − 2 − 3 − 1 = 89
    assert total(res, "某局") == 89.0
    assert col(res, "某局", "grade") == "合格"
    reasons = res.deductions().set_index("indicator")["reason"]
    assert reasons["policy"] == "发现问题 1 处，每处扣 5 分；政策文件栏目6个月未更新"


def test_veto_recorded_as_59():
    # one city records a vetoed site as a fixed 59 points: policy "cap" with cap = 59
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("D1.1", 100, "deduction", params={"per": 5}),
                leaf("V", 0, "veto", params={"policy": "cap", "cap": 59}),
            )
        ]
    )
    res = run(
        r,
        [row("甲", "V", 1, evidence="网站连续一周无法访问"), row("乙", "D1.1", 10)],
        ["甲", "乙", "丙"],
    )
    # 甲: 100 → capped at 59; 乙: 100 − 10×5 = 50 (a cap never raises a score); 丙: 100
    assert total(res, "甲") == 59.0
    assert bool(col(res, "甲", "veto")) is True
    assert col(res, "甲", "veto_policy") == "否决（总分封顶）"
    assert col(res, "甲", "grade") == "不合格"
    assert total(res, "乙") == 50.0
    assert bool(col(res, "乙", "veto")) is False
    # ranks follow totals: 丙 100, 甲 59, 乙 50
    assert [col(res, u, "rank") for u in ("丙", "甲", "乙")] == [1, 2, 3]


@pytest.mark.parametrize(
    ("policy", "params", "expected"),
    [
        # fail: the total stays (95), the grade is forced to the lowest band
        ("fail", {"policy": "fail"}, (95.0, "不合格")),
        # zero: the total is 0
        ("zero", {"policy": "zero"}, (0.0, "不合格")),
    ],
)
def test_other_veto_policies(policy, params, expected):
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("D1.1", 100, "deduction", params={"per": 5}),
                leaf("V", 0, "veto", params=params),
            )
        ]
    )
    res = run(r, [row("甲", "D1.1", 1), row("甲", "V", 1, evidence="空白栏目5个")], ["甲"])
    assert (total(res, "甲"), col(res, "甲", "grade")) == expected


def test_department_without_public_services_is_rescaled_by_4_3():
    # departments without public-facing services have 75 possible points; result × 4/3
    groups = [{"id": "county", "name": "县区政府"}, {"id": "dept", "name": "市直部门"}]
    r = make_rubric(
        [
            domain("D1", 75, leaf("D1.1", 75, "deduction", params={"per": 3})),
            domain("D2", 25, leaf("D2.1", 25, "binary"), groups=["county"]),
        ],
        groups=groups,
    )
    res = run(
        r,
        [row("某局", "D1.1", 5), row("某县", "D1.1", 5), row("某县", "D2.1", 1)],
        {"某局": "dept", "某县": "county"},
    )
    # 某局: (75 − 5×3) = 60 of 75 applicable → 60 ÷ 75 × 100 = 80 (= 60 × 4/3)
    assert total(res, "某局") == 80.0
    assert (col(res, "某局", "obtained"), col(res, "某局", "applicable")) == (60.0, 75.0)
    # 某县: 60 + 25 = 85 of 100
    assert total(res, "某县") == 85.0
    items = res.items().set_index(["unit", "indicator"])
    assert items.loc[("某局", "D2.1"), "status"] == "不适用（类别）"
    assert items.loc[("某局", "D2.1"), "lost"] == 0  # not applicable is not a loss


def test_small_applicable_maximum_is_rescaled_to_100():
    # (score obtained ÷ points applicable) × 100: a department with only 0.64 applicable key-area
    # points still scores out of 100 (published: 81.34).  The published item data are unknown;
    # this input reproduces the number: items of 0.4 (binary, met) and 0.24 (ratio 0.5025)
    # applicable, the rest declared not applicable (status na):
    # obtained = 0.4 + 0.24 × 0.5025 = 0.5206; 0.5206 ÷ 0.64 × 100 = 81.34375 → 81.34
    r = make_rubric(
        [
            domain(
                "K",
                100,
                leaf("K1", 0.4, "binary"),
                leaf("K2", 0.24, "ratio"),
                leaf("K3", 49.36, "binary"),
                leaf("K4", 50, "manual"),
            )
        ]
    )
    res = run(
        r,
        [
            row("某局", "K1", 1),
            row("某局", "K2", 0.5025),
            row("某局", "K3", status="na"),
            row("某局", "K4", status="na"),
        ],
        ["某局"],
    )
    assert col(res, "某局", "applicable") == pytest.approx(0.64)
    assert total(res, "某局") == 81.34


def test_deduction_never_below_zero_inside_an_item():
    # 扣完为止: a 3-point item with −5 per occurrence found twice scores 0, not −7
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("D1.1", 3, "deduction", params={"per": 5}),
                leaf("D1.2", 97, "binary"),
            )
        ]
    )
    res = run(r, [row("甲", "D1.1", 2), row("甲", "D1.2", 1)], ["甲"])
    # 0 + 97 = 97
    assert total(res, "甲") == 97.0
    it = res.items().set_index("indicator").loc["D1.1"]
    assert (it["score"], it["lost"]) == (0.0, 3.0)
    assert it["reason"] == "发现问题 2 处，每处扣 5 分（扣完为止）"


def test_bonus_over_its_cap_is_cut_to_the_cap():
    # "+3 for each commendation by the city or above", capped at 5 for the indicator;
    # the whole bonus part is capped at 8 (meta.bonus_cap) and only opens at 80 (bonus_min_score)
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("D1.1", 100, "deduction", params={"per": 1}),
                leaf("praise", 0, "bonus", params={"per": 3, "cap": 5}),
                leaf("extra", 0, "bonus", params={"cap": 6}),
            )
        ],
        bonus_cap=8,
        bonus_min_score=80,
    )
    ev = "市政府办公室通报表扬（x政办字〔2023〕1号）"
    res = run(
        r,
        [
            row("甲", "praise", 2, evidence=ev),  # 2 × 3 = 6 → cap 5
            row("乙", "praise", 1, evidence=ev),  # 3
            row("乙", "extra", 4, evidence=ev),  # 4 points (no per) → 3 + 4 = 7
            row("丙", "praise", 2, evidence=ev),  # 5
            row("丙", "extra", 9, evidence=ev),  # 9 → cap 6; 5 + 6 = 11 → meta cap 8
            row("丁", "D1.1", 21),  # base 79
            row("丁", "praise", 1, evidence=ev),  # below 80: no bonus
        ],
        ["甲", "乙", "丙", "丁"],
    )
    assert [col(res, u, "bonus") for u in "甲乙丙丁"] == [5.0, 7.0, 8.0, 0.0]
    assert [total(res, u) for u in "甲乙丙丁"] == [105.0, 107.0, 108.0, 79.0]
    reason = res.items().set_index(["unit", "indicator"]).loc[("甲", "praise"), "reason"]
    assert reason.startswith("加分 5 分（超过上限 5 分，按上限计）")


def test_ties_share_a_rank_and_skip_the_next():
    # 11 units: totals 100, 99, …, 93, then 92, 92, then 91 → ranks 1…8, 9, 9, 11
    r = make_rubric([domain("D1", 100, leaf("D1.1", 100, "deduction", params={"per": 1}))])
    lost = [0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9]
    units = [f"单位{i:02d}" for i in range(11)]
    res = run(r, [row(u, "D1.1", n) for u, n in zip(units, lost, strict=True)], units)
    assert [col(res, u, "rank") for u in units] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 11]
    table = res.ranking("a")
    assert list(table["rank"]) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 11]


def test_tie_break_by_domain_scores():
    # tie_break = ["D2"]: equal totals are ordered by the D2 score; still-equal units share
    r = make_rubric(
        [
            domain("D1", 50, leaf("D1.1", 50, "deduction", params={"per": 1})),
            domain("D2", 50, leaf("D2.1", 50, "deduction", params={"per": 1})),
        ],
        tie_break=["D2"],
    )
    rows = [row("甲", "D1.1", 2), row("乙", "D2.1", 2), row("丙", "D1.1", 1), row("丙", "D2.1", 1)]
    res = run(r, rows, ["甲", "乙", "丙", "丁"])
    # totals: 甲 98 (D2 50), 乙 98 (D2 48), 丙 98 (D2 49), 丁 100
    assert [col(res, u, "rank") for u in ("丁", "甲", "丙", "乙")] == [1, 2, 3, 4]
    res2 = run(r, [row("甲", "D1.1", 2), row("乙", "D1.1", 2)], ["甲", "乙"])
    assert [col(res2, u, "rank") for u in ("甲", "乙")] == [1, 1]


def test_the_1_2_point_first_level_indicator():
    # items 0.2, 0.24, 0.08, 0.08, 0.2, 0.08, 0.16, 0.16 (sum 1.2); the unit misses the 0.24 and
    # one 0.08 item: 1.2 − 0.24 − 0.08 = 0.88; total 0.88 + 98.8 = 99.68
    shares = [0.2, 0.24, 0.08, 0.08, 0.2, 0.08, 0.16, 0.16]
    kids = [leaf(f"D1.{i + 1}", p, "binary") for i, p in enumerate(shares)]
    r = make_rubric([domain("D1", 1.2, *kids), domain("D2", 98.8, leaf("D2.1", 98.8, "binary"))])
    met = [1, 0, 1, 0, 1, 1, 1, 1]
    rows = [row("甲", f"D1.{i + 1}", v) for i, v in enumerate(met)] + [row("甲", "D2.1", 1)]
    res = run(r, rows, ["甲"])
    assert res.domain_scores().loc["甲", "D1"] == 0.88
    assert total(res, "甲") == 99.68


def test_major_deductions_are_uncapped():
    # 重大扣分项: −10 per occurrence off the total, with no cap at any indicator; only the total
    # itself cannot fall below 0
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("D1.1", 100, "binary"),
                leaf("M", 0, "major_deduction", params={"per": 10}),
            )
        ]
    )
    res = run(
        r,
        [row("甲", "D1.1", 1), row("甲", "M", 3), row("乙", "D1.1", 1), row("乙", "M", 12)],
        ["甲", "乙"],
    )
    # 甲: 100 − 3 × 10 = 70; 乙: 100 − 120 → 0
    assert total(res, "甲") == 70.0
    assert col(res, "甲", "major") == 30.0
    assert total(res, "乙") == 0.0
    it = res.items().set_index(["unit", "indicator"]).loc[("甲", "M")]
    assert (it["lost"], it["reason"]) == (30.0, "重大扣分 3 处，扣 30 分")


def test_timeliness_on_time_ratio_and_late_deduction():
    # replies within 20 working days: days taken 5, 25, 20, 21 → 2 late of 4 → 50 % on time;
    # a 10-point ratio item scores 10 × 0.5 = 5.  Requests answered late: −6 each on a 10-point item
    # → 10 − 2 × 6 = −2 → 0 (扣完为止).  No rows at all: full points (nothing was late).
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("reply", 10, "timeliness", params={"limit": 20}),
                leaf("request", 10, "timeliness", params={"limit": 20, "mode": "deduct", "per": 6}),
                leaf("rest", 80, "binary"),
            )
        ]
    )
    rows = [row("甲", "reply", d) for d in (5, 25, 20, 21)]
    rows += [row("甲", "request", d) for d in (21, 30, 3)] + [row("甲", "rest", 1)]
    rows += [row("乙", "rest", 1)]
    res = run(r, rows, ["甲", "乙"])
    items = res.items().set_index(["unit", "indicator"])
    assert items.loc[("甲", "reply"), "score"] == 5.0
    assert items.loc[("甲", "reply"), "reason"] == "超过 20 个工作日 2 件（共 4 件），按时率 50.00%"
    assert items.loc[("甲", "request"), "score"] == 0.0
    assert items.loc[("乙", "reply"), "score"] == 10.0
    # 甲: 5 + 0 + 80 = 85; 乙: 10 + 10 + 80 = 100
    assert (total(res, "甲"), total(res, "乙")) == (85.0, 100.0)


def test_reply_rate_ratio():
    # reply rate 99.87 % on a 5-point item (linear): 5 × 0.9987 = 4.9935 → 4.99 (四舍五入);
    # with bands ≥ 99 % full, ≥ 90 % half: 0.9987 → 5; 0.95 → 2.5; 0.8 → 0
    bands = [{"min": 0.99, "share": 1.0}, {"min": 0.9, "share": 0.5}]
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("rate", 5, "ratio"),
                leaf("banded", 5, "ratio", params={"bands": bands}),
                leaf("floored", 90, "ratio", params={"floor": 0.6, "full_at": 0.9}),
            )
        ]
    )
    rows = []
    for u, v in (("甲", 0.9987), ("乙", 0.95), ("丙", 0.8)):
        rows += [row(u, "rate", v), row(u, "banded", v), row(u, "floored", v)]
    res = run(r, rows, ["甲", "乙", "丙"])
    s = res.items().set_index(["unit", "indicator"])["score"]
    assert s[("甲", "rate")] == 4.99
    assert [s[(u, "banded")] for u in "甲乙丙"] == [5.0, 2.5, 0.0]
    # floor 0.6 / full_at 0.9: 0.8 → 90 × (0.8 − 0.6) ÷ 0.3 = 60; ≥ 0.9 → 90
    assert [s[(u, "floored")] for u in "甲乙丙"] == [90.0, 90.0, 60.0]


def test_checklist_badge_partial_credit():
    # site-identity badge item (0.5): badge visible 50 %, links to its certificate +30 %,
    # placed at the page bottom +20 %.  Visible and linked: 0.5 × 0.8 = 0.4
    parts = [
        {"id": "visible", "name": "标识可见", "share": 0.5},
        {"id": "link", "name": "链接到证书", "share": 0.3},
        {"id": "bottom", "name": "位于页面底部", "share": 0.2},
    ]
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("badge", 0.5, "checklist", params={"parts": parts}),
                leaf("rest", 99.5, "binary"),
            )
        ]
    )
    rows = [row("甲", "badge", text="visible; link"), row("甲", "rest", 1)]
    rows += [row("乙", "badge", text="visible；link;bottom"), row("乙", "rest", 1)]
    rows += [row("丙", "badge", text=""), row("丙", "rest", 1)]
    res = run(r, rows, ["甲", "乙", "丙"])
    items = res.items().set_index(["unit", "indicator"])
    assert items.loc[("甲", "badge"), "score"] == 0.4
    assert items.loc[("甲", "badge"), "reason"] == "未完成：位于页面底部"
    assert items.loc[("乙", "badge"), "score"] == 0.5  # full-width ； accepted
    assert items.loc[("丙", "badge"), "score"] == 0.0
    # 99.5 + 0.4 = 99.9
    assert total(res, "甲") == 99.9


def test_graded_levels_3_15_0():
    # a column judged 好 / 一般 / 差 → 3 / 1.5 / 0
    levels = [
        {"name": "好", "share": 1.0},
        {"name": "一般", "share": 0.5},
        {"name": "差", "share": 0},
    ]
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("col", 3, "levels", params={"levels": levels}),
                leaf("rest", 97, "binary"),
            )
        ]
    )
    rows = []
    for u, t in (("甲", "好"), ("乙", "一般"), ("丙", "差")):
        rows += [row(u, "col", text=t), row(u, "rest", 1)]
    res = run(r, rows, ["甲", "乙", "丙"])
    s = res.items().set_index(["unit", "indicator"])["score"]
    assert [s[(u, "col")] for u in "甲乙丙"] == [3.0, 1.5, 0.0]
    assert [total(res, u) for u in "甲乙丙"] == [100.0, 98.5, 97.0]


def test_two_points_per_channel_at_most_six():
    # "2 points per channel, at most 6": count with per = 2 on a 6-point item
    r = make_rubric(
        [domain("D1", 100, leaf("ch", 6, "count", params={"per": 2}), leaf("rest", 94, "binary"))]
    )
    rows = []
    for u, n in (("甲", 1), ("乙", 3), ("丙", 5), ("丁", 0)):
        rows += [row(u, "ch", n), row(u, "rest", 1)]
    res = run(r, rows, ["甲", "乙", "丙", "丁"])
    s = res.items().set_index(["unit", "indicator"])["score"]
    # 1 → 2; 3 → 6; 5 → 10 → capped 6; 0 → 0
    assert [s[(u, "ch")] for u in "甲乙丙丁"] == [2.0, 6.0, 6.0, 0.0]


def test_count_against_a_target():
    # public representatives attend executive meetings at least 8 times a year (10 points):
    # linear partial credit 6 of 8 → 7.5; partial = "none" → 0; 9 ≥ 8 → full
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("att", 10, "count", params={"target": 8}),
                leaf("strict", 10, "count", params={"target": 8, "partial": "none"}, data="att"),
                leaf("rest", 80, "binary"),
            )
        ]
    )
    rows = [row("甲", "att", 2), row("甲", "att", 4), row("甲", "rest", 1)]
    rows += [row("乙", "att", 9), row("乙", "rest", 1)]
    res = run(r, rows, ["甲", "乙"])
    s = res.items().set_index(["unit", "indicator"])["score"]
    assert (s[("甲", "att")], s[("甲", "strict")]) == (7.5, 0.0)
    assert (s[("乙", "att")], s[("乙", "strict")]) == (10.0, 10.0)


def test_deduction_ceiling_at_level_one():
    # first-level deductions capped at its own weight; lower levels may exceed their own weight:
    # D1 (10) = C1 (5, floor = false) + L2 (5); L1 (5) deducts −3 each with params.floor = false.
    # 甲: 5 occurrences → L1 = 5 − 15 = −10, C1 = −10, D1 = max(−10 + 5, 0) = 0 (not −5);
    # 乙: 3 occurrences → L1 = −4, C1 = −4, D1 = −4 + 5 = 1 (the loss passes beyond C1's 5)
    r = make_rubric(
        [
            domain(
                "D1",
                10,
                domain(
                    "C1",
                    5,
                    leaf("L1", 5, "deduction", params={"per": 3, "floor": False}),
                    floor=False,
                ),
                leaf("L2", 5, "binary"),
            ),
            domain("D2", 90, leaf("D2.1", 90, "binary")),
        ]
    )
    rows = []
    for u, n in (("甲", 5), ("乙", 3)):
        rows += [row(u, "L1", n), row(u, "L2", 1), row(u, "D2.1", 1)]
    res = run(r, rows, ["甲", "乙"])
    assert res.node_score("甲", "C1") == (-10.0, 5.0)
    assert res.domain_scores().loc["甲", "D1"] == 0.0
    assert res.domain_scores().loc["乙", "D1"] == 1.0
    # totals: 甲 0 + 90 = 90; 乙 1 + 90 = 91
    assert (total(res, "甲"), total(res, "乙")) == (90.0, 91.0)


def test_groups_b1_b2_with_different_maximum():
    # A / B1 / B2: B1 scores 90 common points + 10 for a special item (max 100); B2 only the common
    # part (max 95).  The notice does not say how B2's common part reaches 95; we read it as the 90
    # common points plus a 5-point item B1 is not scored on.  Both groups keep their published
    # maximum without rescaling, so meta.full_score is the sum of all domains: 90 + 5 + 10 = 105.
    groups = [
        {"id": "B1", "name": "B1类", "max_score": 100, "rescale": False},
        {
            "id": "B2",
            "name": "B2类",
            "max_score": 95,
            "rescale": False,
            "grades": [
                {"name": "优秀", "min": 85.5},
                {"name": "合格", "min": 57},
                {"name": "不合格", "min": 0},
            ],
        },
    ]
    r = make_rubric(
        [
            domain("C", 90, leaf("C.1", 90, "deduction", params={"per": 5})),
            domain("C2", 5, leaf("C2.1", 5, "binary"), groups=["B2"]),
            domain("S", 10, leaf("S.1", 10, "binary"), groups=["B1"]),
        ],
        groups=groups,
    )
    assert r.meta.full_score == 105
    res = run(
        r,
        [row("乙", "C.1", 2), row("乙", "C2.1", 1), row("甲", "C.1", 1), row("甲", "S.1", 1)],
        {"甲": "B1", "乙": "B2"},
    )
    # 甲 (B1): 90 − 5 + 10 = 95 of 100; 乙 (B2): 90 − 10 + 5 = 85 of 95, graded on its own bands
    # (85 < 85.5 → 合格)
    assert (total(res, "甲"), col(res, "甲", "applicable"), col(res, "甲", "grade")) == (
        95.0,
        100.0,
        "优秀",
    )
    assert (total(res, "乙"), col(res, "乙", "applicable"), col(res, "乙", "grade")) == (
        85.0,
        95.0,
        "合格",
    )
    # ranked separately: each is first of its group
    assert (col(res, "甲", "rank"), col(res, "乙", "rank")) == (1, 1)
    # performance: 乙 85 ÷ 95 × 5 % = 4.4736… → 4.47
    assert col(res, "乙", "performance") == 4.47


def test_missing_data_policies():
    # missing = "zero": the absent binary item scores 0 (缺失（计0分）);
    # missing = "not_applicable": it is excluded and the rest rescaled: 60 ÷ 60 × 100 = 100
    doms = [domain("D1", 100, leaf("D1.1", 40, "binary"), leaf("D1.2", 60, "binary"))]
    rows = [row("甲", "D1.2", 1)]
    zero = run(make_rubric(doms, missing="zero"), rows, ["甲"])
    assert total(zero, "甲") == 60.0
    it = zero.items().set_index("indicator").loc["D1.1"]
    assert (it["status"], it["reason"], it["lost"]) == ("缺失（计0分）", "缺失（计0分）", 40.0)
    assert col(zero, "甲", "missing") == 1
    na = run(make_rubric(doms, missing="not_applicable"), rows, ["甲"])
    assert total(na, "甲") == 100.0
    assert na.items().set_index("indicator").loc["D1.1", "status"] == "缺失（按不适用）"


def test_explicit_missing_row_under_error_policy_scores_zero():
    # a collector that could not read a source writes status = missing: with missing = "error"
    # this is not an error (the gap is declared) and the item scores 0
    r = make_rubric([domain("D1", 100, leaf("D1.1", 40, "binary"), leaf("D1.2", 60, "binary"))])
    res = run(r, [row("甲", "D1.1", status="missing"), row("甲", "D1.2", 1)], ["甲"])
    assert total(res, "甲") == 60.0


def test_unit_without_any_applicable_points_has_no_score():
    r = make_rubric([domain("D1", 100, leaf("D1.1", 100, "binary"))])
    res = run(r, [row("甲", "D1.1", status="na"), row("乙", "D1.1", 1)], ["甲", "乙"])
    assert np.isnan(total(res, "甲"))
    # no score: lowest grade, ranked last
    assert (col(res, "甲", "grade"), col(res, "甲", "rank")) == ("不合格", 2)
    assert res.to_dict()["units"][0]["total"] is None


def test_rounding_is_half_up_at_meta_precision():
    # 四舍五入, not banker's rounding and robust to float noise: 2.675 → 2.68, 0.125 → 0.13,
    # 89.45 → 89.5 at one decimal, −2.5 → −3 at 0 decimals
    got = round_half_up(np.array([2.675, 0.125, 1.005]), 2)
    assert list(got) == [2.68, 0.13, 1.01]
    assert round_half_up(np.array([89.45]), 1)[0] == 89.5
    assert round_half_up(np.array([-2.5, 2.5]), 0).tolist() == [-3.0, 3.0]
    # no negative zero in published tables: −0.004 and float noise round to 0.0, not −0.0
    assert not np.signbit(round_half_up(np.array([-0.004, -1e-12, -0.0]), 2)).any()
    # through the engine: manual score 87.125 with precision 2 → 87.13; precision 0 → 87
    doms = [domain("D1", 100, leaf("D1.1", 100, "manual"))]
    rows = [row("甲", "D1.1", 87.125)]
    assert total(run(make_rubric(doms), rows, ["甲"]), "甲") == 87.13
    assert total(run(make_rubric(doms, precision=0), rows, ["甲"]), "甲") == 87.0


def test_performance_share():
    # the 政务公开 score counts 6 of 100 points of 绩效考核: 90 → 90 ÷ 100 × 6 = 5.4
    r = make_rubric([domain("D1", 100, leaf("D1.1", 100, "manual"))], performance_share=6)
    res = run(r, [row("甲", "D1.1", 90)], ["甲"])
    assert col(res, "甲", "performance") == 5.4


def test_combine_periods_routine_20_year_end_80():
    # year-end 80 % + routine (quarterly inspections, mean of four) 20 %:
    # quarters 80, 90, 70, 100 → mean 85; year-end 95 → 0.2 × 85 + 0.8 × 95 = 17 + 76 = 93
    d = {
        "parts": [
            {"id": "quarterly", "name": "季度检查", "weight": 20},
            {"id": "annual", "name": "年终考核", "weight": 80},
        ]
    }
    raw = rubric_dict([domain("D1", 100, leaf("D1.1", 100, "manual"))])
    raw["combine"] = d
    r = parse_rubric(raw)
    quarters = [run(r, [row("甲", "D1.1", v)], ["甲"]) for v in (80, 90, 70, 100)]
    annual = run(r, [row("甲", "D1.1", 95)], ["甲"])
    combined = combine_results("annual", annual, {"quarterly": quarters})
    assert total(combined, "甲") == 93.0
    assert col(combined, "甲", "part_quarterly") == 85.0


def test_bonus_threshold_compares_the_published_base():
    # bonus only opens to units scoring at least 90: items 0.2 + 0.7 met of a 1-point table,
    # rescaled to 100: (0.2 + 0.7) ÷ 1 × 100 is 89.99999999999999 in floating point but is published
    # as 90.00, so the bonus (+3) opens: 90 + 3 = 93
    r = make_rubric(
        [
            domain(
                "D1",
                1,
                leaf("a", 0.2, "binary"),
                leaf("b", 0.7, "binary"),
                leaf("c", 0.1, "binary"),
                leaf("praise", 0, "bonus", params={"per": 3}),
            )
        ],
        groups=[{"id": "a", "name": "A类", "max_score": 100}],
        bonus_min_score=90,
    )
    rows = [
        row("甲", "a", 1),
        row("甲", "b", 1),
        row("甲", "c", 0),
        row("甲", "praise", 1, evidence="表彰"),
    ]
    res = run(r, rows, ["甲"])
    assert (col(res, "甲", "base"), col(res, "甲", "bonus"), total(res, "甲")) == (90.0, 3.0, 93.0)
