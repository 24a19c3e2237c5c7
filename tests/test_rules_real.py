"""Rule types of real published rubrics (issue 14), each reproduced by hand.

Every test quotes the published rule it encodes and writes out the arithmetic
of the expected score.
"""

from __future__ import annotations

import json

import pytest
from test_engine_cases import row
from test_rubric_build import col, domain, leaf, make_rubric, run, total

from zwgk_score.errors import DataError, RubricError

# -- per-reason deduction amounts in one item ---------------------------------


def test_deduction_amount_differs_by_reason_inside_one_item():
    # 「目录未更新扣1分；没有年度报告扣2分」 (one item of 10 points, two reasons, one pot)
    reasons = [
        {"id": "catalog", "name": "目录未更新", "per": 1},
        {"id": "report", "name": "没有年度报告", "per": 2},
    ]
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("gk", 10, "deduction", params={"reasons": reasons}),
                leaf("rest", 90, "binary"),
            )
        ]
    )
    rows = [
        row("甲", "gk", 1, text="catalog", evidence="目录2023年3月后未更新"),
        row("甲", "gk", 1, text="report", evidence="未发布2022年度报告"),
        row("乙", "gk", 2, text="catalog"),
        row("甲", "rest", 1),
        row("乙", "rest", 1),
    ]
    res = run(r, rows, ["甲", "乙"])
    # 甲: 10 − 1 × 1 − 2 × 1 = 7; + 90 = 97.  乙: 10 − 1 × 2 = 8; + 90 = 98
    assert (total(res, "甲"), total(res, "乙")) == (97.0, 98.0)
    reason = res.items().set_index(["unit", "indicator"]).loc[("甲", "gk"), "reason"]
    assert reason.startswith("目录未更新 1 处，每处扣 1 分；没有年度报告 1 处，每处扣 2 分")
    # each row's own effect is traceable: −1 and −2
    assert res.evidence("甲", "gk")["effect"].tolist() == [-1.0, -2.0]


def test_deductions_by_reason_share_one_pot_and_stop_at_zero():
    # 「低于标准每月扣5分；空白月每月扣10分」 sharing one pot of 20 points (扣完为止):
    # 2 months below standard and 1 blank month: 20 − 5 × 2 − 10 × 1 = 0; a 3rd month → still 0
    reasons = [
        {"id": "low", "name": "低于标准", "per": 5},
        {"id": "blank", "name": "空白月", "per": 10},
    ]
    r = make_rubric([domain("D1", 20, leaf("m", 20, "deduction", params={"reasons": reasons}))])
    res = run(r, [row("甲", "m", 3, text="low"), row("甲", "m", 1, text="blank")], ["甲"])
    assert total(res, "甲") == 0.0
    assert "扣完为止" in res.items()["reason"][0]


def test_unknown_reason_is_a_located_data_error():
    reasons = [{"id": "low", "name": "低于标准", "per": 5}]
    r = make_rubric([domain("D1", 20, leaf("m", 20, "deduction", params={"reasons": reasons}))])
    with pytest.raises(DataError, match="未知的扣分原因「blank」"):
        run(r, [row("甲", "m", 1, text="blank")], ["甲"])


def test_deduction_needs_exactly_one_of_per_reasons_amount():
    with pytest.raises(RubricError, match=r"amount（按值扣分）须且只须给出一个"):
        make_rubric([domain("D1", 20, leaf("m", 20, "deduction", params={}))])


# -- amount-valued deductions --------------------------------------------------


def test_amount_valued_deduction_reads_the_points_from_the_row():
    # 「发现错误信息的，视情况扣减1-3分」: the inspector records the amount, not a count
    r = make_rubric([domain("D1", 10, leaf("err", 10, "deduction", params={"amount": True}))])
    rows = [row("甲", "err", 2.5, evidence="转载稿件标题错误"), row("甲", "err", 1)]
    res = run(r, rows, ["甲"])
    # 10 − 2.5 − 1 = 6.5
    assert total(res, "甲") == 6.5
    reason = res.items()["reason"][0]
    assert reason.startswith("视情况扣减 3.5 分（2 处）")
    assert "处，每处" not in reason


# -- deduction-only categories (百分制, points are the base) -------------------


def test_deduction_only_category_points_are_the_base():
    # 「网站建设（25分）：栏目未更新的每个扣1分；出现错链的每处扣0.5分；扣完为止」
    # the category owns the 25 points; its rules only deduct and own no points
    r = make_rubric(
        [
            domain(
                "web",
                25,
                leaf("stale", 0, "deduction", params={"per": 1}),
                leaf("links", 0, "deduction", params={"per": 0.5}),
                deduct_only=True,
            ),
            domain("rest", 75, leaf("r", 75, "binary")),
        ]
    )
    rows = [
        row("甲", "stale", 3),
        row("甲", "links", 4),
        row("乙", "stale", 30),
        row("甲", "r", 1),
        row("乙", "r", 1),
    ]
    res = run(r, rows, ["甲", "乙"])
    # 甲: 25 − 3 × 1 − 4 × 0.5 = 20; + 75 = 95.  乙: 25 − 30 → 0 (扣完为止); + 75 = 75
    assert (total(res, "甲"), total(res, "乙")) == (95.0, 75.0)
    assert res.node_score("甲", "web") == (20.0, 25.0)
    items = res.items().set_index(["unit", "indicator"])
    assert (items.loc[("甲", "stale"), "score"], items.loc[("甲", "stale"), "lost"]) == (-3.0, 3.0)
    text = res.explain("甲")
    assert "stale 指标stale [按次扣分]：扣 3.00" in text
    assert "/0" not in text  # no "−3.00/0" lines


def test_deduction_only_category_rejects_points_on_its_rules():
    with pytest.raises(RubricError, match="只扣分的类别"):
        make_rubric(
            [
                domain(
                    "web",
                    100,
                    leaf("stale", 100, "deduction", params={"per": 1}),
                    deduct_only=True,
                )
            ]
        )


# -- veto recorded as a fixed score ---------------------------------------------


def test_veto_recorded_as_a_fixed_score_59():
    # 「存在严重泄密问题的，实行一票否决，按59分计」: 59 even when the unit scored less
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("a", 100, "manual"),
                leaf("v", 0, "veto", params={"policy": "fixed", "score": 59}),
            )
        ]
    )
    rows = [row("甲", "a", 95), row("甲", "v", 1), row("乙", "a", 40), row("乙", "v", 1)]
    res = run(r, rows, ["甲", "乙"])
    # 甲 95 → 59; 乙 40 → 59 (recorded as 59, not kept lower as a cap would)
    assert (total(res, "甲"), total(res, "乙")) == (59.0, 59.0)
    assert col(res, "甲", "veto_policy") == "否决（按59分计）"
    assert col(res, "甲", "grade") == "不合格"
    assert "触发单项否决，总分按 59 分计" in res.explain("甲")


# -- stepped bonuses ------------------------------------------------------------


def test_stepped_bonus_from_a_count_over_the_required_number():
    # 「超过规定数量10%加1分，此后每超过20%再加1分，最多加3分」 with 20 required releases:
    # 21 → +5 %: 0; 22 → +10 %: 1; 27 → +35 %: 1 + ⌊(35 − 10) ÷ 20⌋ = 2; 40 → +100 %: 1 + 4 → cap 3
    steps = {"required": 20, "first": 0.10, "first_points": 1, "every": 0.20, "cap": 3}
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("a", 100, "manual"),
                leaf("more", 0, "stepped_bonus", params=steps),
            )
        ]
    )
    units = ["甲", "乙", "丙", "丁"]
    counts = [21, 22, 27, 40]
    rows = [row(u, "a", 90) for u in units] + [
        row(u, "more", c, evidence=f"发布{c}条") for u, c in zip(units, counts, strict=True)
    ]
    res = run(r, rows, units)
    assert [col(res, u, "bonus") for u in units] == [0.0, 1.0, 2.0, 3.0]
    assert [total(res, u) for u in units] == [90.0, 91.0, 92.0, 93.0]


# -- friction fixes -------------------------------------------------------------


def test_levels_trims_spaces_like_checklist():
    levels = [{"name": "优", "share": 1}, {"name": "良", "share": 0.8}, {"name": "差", "share": 0}]
    r = make_rubric([domain("D1", 10, leaf("q", 10, "levels", params={"levels": levels}))])
    res = run(r, [row("甲", "q", text=" 良 "), row("乙", "q", text="\u3000优")], ["甲", "乙"])
    # 良 → 10 × 0.8 = 8; 优 → 10
    assert (total(res, "甲"), total(res, "乙")) == (8.0, 10.0)


def test_rescaled_only_said_when_something_was_rescaled():
    r = make_rubric(
        [domain("D1", 100, leaf("a", 50, "binary"), leaf("b", 50, "binary"))],
    )
    res = run(
        r,
        [row("甲", "a", 1), row("甲", "b", 1), row("乙", "a", 1), row("乙", "b", status="na")],
        ["甲", "乙"],
    )
    # 甲: every indicator applies, nothing rescaled; 乙: 50 ÷ 50 × 100 = 100, rescaled
    assert "已折算" not in res.explain("甲") and "不折算" not in res.explain("甲")
    assert "已折算" in res.explain("乙")


def test_bonus_withheld_by_the_gate_is_shown_as_withheld():
    # 「总分达到90分以上的，方可加分」: 乙 (base 80) earns a commendation but the gate withholds it
    r = make_rubric(
        [
            domain(
                "D1", 100, leaf("a", 100, "manual"), leaf("praise", 0, "bonus", params={"per": 3})
            )
        ],
        bonus_min_score=90,
    )
    rows = [
        row("甲", "a", 95),
        row("甲", "praise", 1, evidence="省级表彰"),
        row("乙", "a", 80),
        row("乙", "praise", 1, evidence="市级表彰"),
    ]
    res = run(r, rows, ["甲", "乙"])
    # 甲: 95 + 3 = 98; 乙: 80, bonus withheld
    assert (total(res, "甲"), total(res, "乙")) == (98.0, 80.0)
    items = res.items().set_index(["unit", "indicator"])
    assert items.loc[("乙", "praise"), "score"] == 0.0
    assert "未加分：基础分 80.00 未达到加分门槛 90 分" in items.loc[("乙", "praise"), "reason"]
    assert items.loc[("甲", "praise"), "score"] == 3.0
    assert "加 0.00" in res.explain("乙") and "未达到加分门槛" in res.explain("乙")
    unit = json.loads(res.to_json())["units"][1]
    praise = [i for i in unit["indicators"] if i["id"] == "praise"][0]
    assert praise["score"] == 0.0 and "未达到加分门槛" in praise["reason"]


def test_score_command_on_a_combined_rubric_is_an_error_unless_a_part_is_named(tmp_path):
    from click.testing import CliRunner

    from zwgk_score.cli import main

    rubric = tmp_path / "r.toml"
    rubric.write_text(
        """
[meta]
id = "t"
title = "测试"
issuer = "某市人民政府办公室"
year = 2023
performance_share = 5
[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0
[[groups]]
id = "a"
name = "A类"
[[domains]]
id = "D1"
name = "日常"
points = 100
  [[domains.indicators]]
  id = "D1.1"
  name = "日常工作"
  points = 100
  method = "manual"
[combine]
parts = [
  { id = "quarterly", name = "季度检查", weight = 20 },
  { id = "annual", name = "年终考核", weight = 80 },
]
""",
        encoding="utf-8",
    )
    (tmp_path / "d.csv").write_text("unit,key,value\n甲,D1.1,90\n", encoding="utf-8")
    (tmp_path / "u.csv").write_text("unit,group\n甲,a\n", encoding="utf-8")
    args = ["score", str(rubric), str(tmp_path / "d.csv"), "-r", str(tmp_path / "u.csv")]
    r = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out")])
    # before: one part was scored silently as if it were the whole year
    assert r.exit_code == 2
    assert "只能评单个阶段" in r.output and "--part" in r.output
    assert not (tmp_path / "out").exists()
    r = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out"), "--part", "annual"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "o2"), "--part", "year"])
    assert r.exit_code == 2 and "没有阶段「year」" in r.output


def test_performance_share_error_says_how_to_state_it_when_the_text_is_silent():
    from test_rubric_build import rubric_dict

    from zwgk_score import parse_rubric

    raw = rubric_dict([domain("D1", 100, leaf("a", 100, "manual"))])
    del raw["meta"]["performance_share"]
    with pytest.raises(RubricError) as e:
        parse_rubric(raw)
    assert e.value.path == "meta.performance_share"
    assert "原文没有写明权重时" in e.value.hint and "performance_share = 4" in e.value.hint
    raw["meta"]["performance_share"] = 3
    with pytest.raises(RubricError) as e:
        parse_rubric(raw)
    assert "低于 4% 的下限" in e.value.message and "原文未写明" in e.value.hint


def test_full_score_hint_with_separate_trees_per_class():
    # two classes, each with its own 100-point tree: full_score is 200, each class's max 100
    groups = [
        {"id": "a", "name": "A类", "max_score": 100},
        {"id": "b", "name": "B类", "max_score": 100},
    ]
    doms = [
        domain("DA", 100, leaf("x", 100, "manual"), groups=["a"]),
        domain("DB", 100, leaf("y", 100, "manual"), groups=["b"]),
    ]
    with pytest.raises(RubricError) as e:
        make_rubric(doms, groups=groups, full_score=100)
    assert "一级指标分值之和 200 不等于满分 100" in e.value.message
    assert "各考核类别有各自的指标树时" in e.value.hint and "此处为 200" in e.value.hint
    r = make_rubric(doms, groups=groups, full_score=200)
    assert [g.max_score for g in r.groups] == [100.0, 100.0]


# -- periodic publication (distinct periods from dated rows) ----------------------


def test_periodic_publication_counts_distinct_months_of_the_year():
    # 「财政预决算信息每月定期发布」(4 points): 3 publications in 2 distinct months of 2023,
    # one in 2022 (outside the year): covered 2 of 12 → 4 × 2 ÷ 12 = 0.67 (not full marks for
    # "published at all", the old one-tick encoding)
    r = make_rubric(
        [
            domain(
                "D1",
                100,
                leaf("monthly", 4, "periodic", params={"year": 2023, "period": "month"}),
                leaf("rest", 96, "binary"),
            )
        ]
    )
    rows = (
        [
            row("甲", "monthly", text="2023-03-15", evidence="3月预算执行"),
            row("甲", "monthly", text="2023年3月28日"),
            row("甲", "monthly", text="2023/7/1"),
            row("甲", "monthly", text="2022-12-30"),
            row("甲", "rest", 1),
        ]
        + [row("乙", "monthly", text=f"2023-{m:02d}-05") for m in range(1, 13)]
        + [row("乙", "rest", 1)]
    )
    res = run(r, rows, ["甲", "乙"])
    items = res.items().set_index(["unit", "indicator"])
    assert items.loc[("甲", "monthly"), "score"] == 0.67  # 4 × 2 ÷ 12 = 0.666… → 0.67
    assert items.loc[("乙", "monthly"), "score"] == 4.0  # 12 of 12
    assert items.loc[("甲", "monthly"), "reason"].startswith(
        "2023年按月发布覆盖 2 个月，要求 12 个月"
    )


def test_periodic_quarterly_with_a_deduction_per_missing_quarter():
    # 「按季度公开住房公积金缴存使用情况，每缺一个季度扣1分」(4 points):
    # Q1 and Q3 published: 2 missing → 4 − 1 × 2 = 2
    params = {"year": 2023, "period": "quarter", "mode": "deduct", "per": 1}
    r = make_rubric([domain("D1", 4, leaf("hf", 4, "periodic", params=params))])
    rows = [row("甲", "hf", text="2023-02-10"), row("甲", "hf", text="2023-08-31")]
    res = run(r, rows, ["甲"])
    assert total(res, "甲") == 2.0
    assert "缺 2 个，每缺一个扣 1 分" in res.items()["reason"][0]


def test_periodic_rejects_a_row_without_a_date():
    r = make_rubric([domain("D1", 4, leaf("m", 4, "periodic", params={"year": 2023}))])
    with pytest.raises(DataError, match="无法识别的发布日期「三月」"):
        run(r, [row("甲", "m", text="三月")], ["甲"])


# -- deadline (completion date against the plan's own due date) -------------------


@pytest.mark.parametrize(
    ("due", "done", "expected"),
    [
        # 「9月底前建成政策文件库专区」: due 2023-09-30; built on 10-14 → late → 0 (was credited)
        ("9月底前", "2023-10-14", 0.0),
        ("9月底前", "2023-09-30", 2.0),
        # 「2024年10月中旬前完成」: 中旬 = the 20th; done 10-20 on time, 10-21 late
        ("2024年10月中旬前", "2024-10-20", 2.0),
        ("2024年10月中旬前", "2024-10-21", 0.0),
        # 「年底前完成」 without a year: the rule's year; not done (blank) → 0
        ("年底前", "2023-12-31", 2.0),
        ("年底前", "", 0.0),
        # 「12月31日前」: a day without a year is the rule's year
        ("12月31日前", "2023-12-31", 2.0),
    ],
)
def test_deadline_compares_the_completion_date_with_the_plans_due_date(due, done, expected):
    r = make_rubric(
        [domain("D1", 2, leaf("zone", 2, "deadline", params={"due": due, "year": 2023}))]
    )
    res = run(r, [row("甲", "zone", text=done)], ["甲"])
    assert total(res, "甲") == expected


def test_deadline_reason_names_both_dates_and_the_days_late():
    r = make_rubric(
        [domain("D1", 2, leaf("zone", 2, "deadline", params={"due": "9月底前", "year": 2023}))]
    )
    res = run(r, [row("甲", "zone", text="2023-10-14"), row("乙", "zone", text="")], ["甲", "乙"])
    reasons = res.items().set_index("unit")["reason"]
    # 9-30 → 10-14: 14 days late
    assert reasons["甲"] == "2023年10月14日完成，晚于时限2023年9月30日（9月底前），逾期 14 天"
    assert reasons["乙"] == "截至检查未完成，时限2023年9月30日（9月底前）"
    assert "0天" not in reasons["甲"] + reasons["乙"]


def test_deadline_unknown_expression_is_a_located_rubric_error():
    with pytest.raises(RubricError) as e:
        make_rubric(
            [domain("D1", 2, leaf("zone", 2, "deadline", params={"due": "尽快", "year": 2023}))]
        )
    assert e.value.path == "domains[0].indicators[0].params.due"
    assert "无法识别的完成时限「尽快」" in e.value.message


# -- part-scoped gates, pass marks and vetoes -------------------------------------


def _two_parts(**meta):
    # 网站部分 40 + 政务公开部分 60
    return make_rubric(
        [
            domain("web", 40, leaf("w", 40, "manual")),
            domain(
                "gk",
                60,
                leaf("g", 60, "manual"),
                leaf("praise", 0, "bonus", params={"per": 2}),
                leaf("leak", 0, "veto", params={"policy": "zero", "scope": "web"}),
            ),
        ],
        **meta,
    )


def test_veto_that_fails_only_one_part():
    # 「网站出现严重表述错误的，网站部分计0分」: the veto zeroes the website part only
    r = _two_parts()
    rows = [row("甲", "w", 36), row("甲", "g", 50), row("甲", "leak", 1, evidence="首页表述错误")]
    res = run(r, rows, ["甲"])
    # web 36 → 0; total = 0 + 50 = 50 (not 0 as a unit veto would give); grade by the total
    assert total(res, "甲") == 50.0
    assert res.node_score("甲", "web")[0] == 0.0
    assert not col(res, "甲", "veto")
    assert "「web」部分计 0 分" in res.items().set_index("indicator").loc["leak", "reason"]


def test_pass_mark_of_one_part():
    # 「网站部分低于24分的，评定为不合格」: 甲 scores 95 in total but 23 on the website part
    raw_marks = [{"node": "web", "min": 24}]
    from test_rubric_build import rubric_dict

    from zwgk_score import parse_rubric

    raw = rubric_dict(
        [
            domain("web", 40, leaf("w", 40, "manual")),
            domain("gk", 60, leaf("g", 60, "manual")),
        ]
    )
    raw["pass_marks"] = raw_marks
    r = parse_rubric(raw)
    res = run(
        r,
        [row("甲", "w", 23), row("甲", "g", 60), row("乙", "w", 24), row("乙", "g", 50)],
        ["甲", "乙"],
    )
    # 甲: 23 + 60 = 83 but web 23 < 24 → 不合格; 乙: 24 + 50 = 74 → 合格
    assert (total(res, "甲"), col(res, "甲", "grade")) == (83.0, "不合格")
    assert (total(res, "乙"), col(res, "乙", "grade")) == (74.0, "合格")
    assert "「类别web」部分 23.00 分，低于及格线 24 分" in res.explain("甲")


def test_bonus_opens_only_when_one_part_reaches_the_threshold():
    # 「网站检查得分达到32分的，方可参与加分」: the gate looks at the website part, not the base
    r = _two_parts(bonus_min_score=32, bonus_gate="web")
    rows = [
        row("甲", "w", 32),
        row("甲", "g", 40),
        row("甲", "praise", 1, evidence="表彰"),
        row("乙", "w", 31),
        row("乙", "g", 60),
        row("乙", "praise", 1, evidence="表彰"),
    ]
    res = run(r, rows, ["甲", "乙"])
    # 甲: web 32 ≥ 32 → 32 + 40 + 2 = 74; 乙: web 31 < 32 → 31 + 60 = 91, bonus withheld
    assert (total(res, "甲"), total(res, "乙")) == (74.0, 91.0)
    assert col(res, "乙", "bonus") == 0.0


# -- adjustments outside the weighted parts (after [combine]) ----------------------


def _online_onsite(after: bool):
    from test_rubric_build import rubric_dict

    from zwgk_score import parse_rubric

    raw = rubric_dict(
        [
            domain(
                "D1",
                100,
                leaf("a", 100, "manual"),
                leaf("praise", 0, "bonus", params={"per": 3}),
                leaf("case", 0, "major_deduction", params={"per": 5}),
            )
        ]
    )
    raw["combine"] = {
        "parts": [
            {"id": "online", "name": "在线监测", "weight": 80},
            {"id": "onsite", "name": "实地检查", "weight": 20},
        ],
        "adjust_after": after,
    }
    return parse_rubric(raw)


def test_bonus_and_major_deductions_are_added_once_after_combining():
    # 「在线监测占80%、实地检查占20%；加分项、扣分项在加权后的总分上直接加减」:
    # online 90, on-site 70, one commendation (+3) and one case (−5) entered once with the online
    # part: 0.8 × 90 + 0.2 × 70 = 72 + 14 = 86; 86 + 3 − 5 = 84.  Weighted with the part instead
    # (the old and still default behaviour): 0.8 × (90 + 3 − 5) + 0.2 × 70 = 70.4 + 14 = 84.4
    from zwgk_score import combine_results

    for after, expected in ((True, 84.0), (False, 84.4)):
        r = _online_onsite(after)
        online = run(
            r,
            [row("甲", "a", 90), row("甲", "praise", 1, evidence="表彰"), row("甲", "case", 1)],
            ["甲"],
        )
        onsite = run(r, [row("甲", "a", 70)], ["甲"])
        combined = combine_results("online", online, {"onsite": [onsite]})
        assert total(combined, "甲") == expected
    assert col(combined, "甲", "part_online") == 88.0  # the part's own total when weighted with it
    r = _online_onsite(True)
    online = run(
        r,
        [row("甲", "a", 90), row("甲", "praise", 1, evidence="表彰"), row("甲", "case", 1)],
        ["甲"],
    )
    combined = combine_results("online", online, {"onsite": [run(r, [row("甲", "a", 70)], ["甲"])]})
    assert col(combined, "甲", "part_online") == 90.0  # the base: bonus and deductions come after
    assert "+ 加分 3 − 重大扣分 5（合成后计一次）" in combined.explain("甲")
    assert combined.to_dict()["combine"]["adjust_after"] is True


# -- not applicable → points move to a named sibling --------------------------------


def test_not_applicable_points_move_to_a_named_sibling():
    # 「没有该类信息的部门，将此项分值并入工作动态项目考核」: 专项信息 5 points, 工作动态 10 points.
    # 甲 has no such information (na): 工作动态 counts for 10 + 5 = 15; 8 of 10 → 8 × 15 ÷ 10 = 12;
    # total 12 + 80 = 92 (no rescaling of the whole unit: (8 + 80) ÷ 95 × 100 = 92.63 would be).
    # 乙 has both: 4 + 8 + 80 = 92
    r = make_rubric(
        [
            domain(
                "D1",
                15,
                leaf("special", 5, "manual", na_to="news"),
                leaf("news", 10, "manual"),
            ),
            domain("D2", 85, leaf("rest", 85, "manual")),
        ]
    )
    rows = [
        row("甲", "special", status="na"),
        row("甲", "news", 8),
        row("甲", "rest", 80),
        row("乙", "special", 4),
        row("乙", "news", 8),
        row("乙", "rest", 80),
    ]
    res = run(r, rows, ["甲", "乙"])
    assert (total(res, "甲"), total(res, "乙")) == (92.0, 92.0)
    assert (col(res, "甲", "applicable"), col(res, "甲", "base")) == (100.0, 92.0)
    items = res.items().set_index(["unit", "indicator"])
    assert (items.loc[("甲", "news"), "points"], items.loc[("甲", "news"), "score"]) == (15.0, 12.0)
    assert items.loc[("甲", "news"), "lost"] == 3.0  # 15 − 12
    assert items.loc[("甲", "special"), "reason"] == "不适用，分值并入「指标news」"
    assert items.loc[("乙", "news"), "points"] == 10.0
    assert "news 指标news [评审打分]：12.00/15" in res.explain("甲")


def test_na_to_must_name_a_sibling_leaf():
    with pytest.raises(RubricError, match="na_to 应为同一上级下的另一个末级指标"):
        make_rubric(
            [
                domain(
                    "D1", 15, leaf("special", 5, "manual", na_to="rest"), leaf("news", 10, "manual")
                ),
                domain("D2", 85, leaf("rest", 85, "manual")),
            ]
        )


def test_new_rules_give_the_same_scores_from_dense_input():
    # each dense cell is one row: a per-reason deduction reads the cell's text as the reason,
    # a periodic rule counts one distinct period per dated cell
    import numpy as np
    import pandas as pd

    from zwgk_score.engine.dense import score_dense

    reasons = [
        {"id": "catalog", "name": "目录未更新", "per": 1},
        {"id": "report", "name": "没有年度报告", "per": 2},
    ]
    r = make_rubric(
        [
            domain(
                "D1",
                20,
                leaf("gk", 10, "deduction", params={"reasons": reasons}),
                leaf("monthly", 10, "periodic", params={"year": 2023, "required": 1}),
            )
        ]
    )
    roster = pd.DataFrame({"unit": ["甲", "乙"], "group": ["a", "a"]})
    res = score_dense(
        r,
        roster,
        {"gk": np.array([1.0, 2.0])},
        texts={
            "gk": np.array(["report", "catalog"], dtype=object),
            "monthly": np.array(["2023-05-01", "2022-05-01"], dtype=object),
        },
    )
    # 甲: 10 − 2 × 1 + 10 (one month of one required) = 18; 乙: 10 − 1 × 2 + 0 (2022) = 8
    assert res.summary["total"].tolist() == [18.0, 8.0]
    long = run(
        r,
        [
            row("甲", "gk", 1, text="report"),
            row("乙", "gk", 2, text="catalog"),
            row("甲", "monthly", text="2023-05-01"),
            row("乙", "monthly", text="2022-05-01"),
        ],
        ["甲", "乙"],
    )
    assert long.summary["total"].tolist() == [18.0, 8.0]


def test_ranking_tables_count_a_deduction_only_category_with_its_points():
    from zwgk_score.outputs.tables import domain_max

    r = make_rubric(
        [
            domain("web", 25, leaf("stale", 0, "deduction", params={"per": 1}), deduct_only=True),
            domain("rest", 75, leaf("r", 75, "binary")),
        ]
    )
    res = run(r, [row("甲", "stale", 3), row("甲", "r", 1)], ["甲"])
    assert domain_max(res, "a") == {"web": 25.0, "rest": 75.0}
