"""The 廊坊市 2023 example (examples/langfang) runs end to end; totals checked by hand.

A county or a zone is scored on all 100 points.  A department is not scored on
D4.1 and D5.3 (county / zone only, 3 + 3) and only on the section-一 items of
its own field (the others are declared 不适用 in 加分扣分及不适用事项.csv).
The hand-set units are in examples/langfang/make_data.py (``HAND``); the
website part is read from the saved crawl examples/langfang/crawl/2023-12-20.json
(make_crawl.py: 50 probes per site).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "langfang"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    # needs the region plugin installed (scripts/setup.sh: pip install -e plugins/langfang)
    return run_assessment(EXAMPLE, output=tmp_path_factory.mktemp("langfang"))


@pytest.fixture(scope="module")
def summary(outcome):
    return outcome.results.summary.set_index("unit")


@pytest.fixture(scope="module")
def items(outcome):
    return outcome.results.items().set_index(["unit", "indicator"])


def test_bonus_unit_guan(summary):
    # 固安县: every item complete; messages across the Spring Festival and National Day
    # all on time (3 / 4 working days, simple ones 1 thanks to the make-up Saturdays);
    # one review error: D4.3 3 - 1 = 2 → base 99
    # two commendations × 1 (cap 3) = 2 → total 101.00
    row = summary.loc["固安县"]
    assert row["obtained"] == pytest.approx(99.0)
    assert row["bonus"] == 2
    assert row["total"] == pytest.approx(101.0)
    assert row["grade"] == "优秀"
    assert row["performance"] == pytest.approx(5.0)  # min(101, 100) / 100 × 5
    others = summary[(summary["group"] == "county") & (summary.index != "固安县")]
    assert (others["total"] < 101).all()
    assert row["rank"] == 1


def test_major_deduction_and_working_days_wenan(summary, items):
    # 文安县 loses:
    #   D1.1b 逾期未支付中小企业款项 not published: 0.8; D1.8 一般: 4 - 2.4 = 1.6
    #   D2.1.2 one policy (2023-08-10) never interpreted: 1; one (2023-05-16) interpreted
    #          2 days later (05-18), not with the policy (limit 0): 0.5
    #   D3.3.1 5 messages, one late: 01-19 → 02-01 = 01-20, 01-28, 01-29 (make-up Sat/Sun),
    #          01-30, 01-31, 02-01 = 6 > 5; 09-27 → 10-09 = 09-28, 10-07, 10-08, 10-09 = 4
    #          (a Mon–Fri count would say 8, late); 08-01 → 08-08 = 5 = limit, on time
    #          → 3 × 4/5 = 2.4, lost 0.6
    #   D3.3.2 2 simple messages: 04-28 → 05-06 = 05-04, 05-05, 05-06 (make-up Sat) = 3 > 1, late;
    #          06-21 → 06-25 (make-up Sun after the Dragon Boat holiday) = 1 → 1.5 × 1/2 = 0.75
    #   D3.3.3 select only: 1.5 × 0.5 = 0.75
    #   D5.1.1 availability 49/50 = 0.98 → band 0.97 → 1 of 2; D5.1.4 2 broken links × 0.1 = 0.2
    # lost 0.8 + 1.6 + 1.5 + 0.6 + 0.75 + 0.75 + 1 + 0.2 = 7.2 → base 92.8
    # one accountability case (提醒约谈) × 2 → total 90.80, grade 优秀
    row = summary.loc["文安县"]
    assert row["obtained"] == pytest.approx(92.8)
    assert row["major"] == 2
    assert row["total"] == pytest.approx(90.8)
    assert row["grade"] == "优秀"
    assert row["performance"] == pytest.approx(4.54)  # 90.8 / 100 × 5 = 4.54
    assert "解读未与文件同步发布 1 处，每处扣 0.5 分" in items.loc[("文安县", "D2.1.2"), "reason"]
    assert items.loc[("文安县", "D3.3.1"), "score"] == pytest.approx(2.4)
    assert items.loc[("文安县", "D3.3.2"), "score"] == pytest.approx(0.75)
    assert items.loc[("文安县", "D5.1.1"), "score"] == pytest.approx(1.0)
    assert items.loc[("文安县", "D5.1.4"), "score"] == pytest.approx(0.8)


def test_veto_unit_dacheng_is_capped_at_59(outcome, summary, items):
    # 大城县's site: 5 columns not updated for 200 days (≥ 5 → 单项否决) → D5.1.2 5 × 0.5
    # = 2.5, 扣完为止 at 1.5; its base is above 59, so the total is capped at 59
    row = summary.loc["大城县"]
    assert bool(row["veto"]) is True
    assert row["base"] > 59
    assert row["total"] == pytest.approx(59.0)
    assert row["grade"] == "不合格"
    assert items.loc[("大城县", "D5.1.2"), "score"] == 0
    veto = outcome.results.evidence("大城县", "D5.1.6")
    assert veto["evidence"].tolist() == ["栏目不更新：5 个栏目未及时更新 ≥ 5 个"]


def test_not_applicable_rescale_agriculture(summary, items):
    # 市农业农村局 (department): applicable = D1.1b 0.8 + D1.4b 1.6 (中小企业账款 and
    # 本部门预决算: every body's own duty) + D1.6 4 + D2 15 + D3 20 + D4.2/D4.3 7
    # + D5.1/D5.2 10 + D6 10 = 68.4; lost D1.6 reform part 4 × 0.5 = 2 and D6.2 no
    # training 3 → 63.4; base = 63.4 / 68.4 × 100 = 92.6900… → 92.69
    row = summary.loc["市农业农村局"]
    assert row["applicable"] == pytest.approx(68.4)
    assert row["obtained"] == pytest.approx(63.4)
    assert row["total"] == pytest.approx(92.69)
    assert row["grade"] == "优秀"
    assert row["performance"] == pytest.approx(4.63)  # 92.69 / 100 × 5 = 4.6345
    assert not items.loc[("市农业农村局", "D1.1a"), "applicable"]
    assert items.loc[("市农业农村局", "D1.1b"), "applicable"]
    assert items.loc[("市农业农村局", "D1.4b"), "score"] == pytest.approx(1.6)
    assert not items.loc[("市农业农村局", "D4.1"), "applicable"]
    assert items.loc[("市农业农村局", "D6.2"), "score"] == 0


def test_ranks_follow_totals(summary):
    # 固安县 101 > 文安县 91.30 > 大城县 59 within the county group
    county = summary[summary["group"] == "county"]
    assert (
        county.loc["固安县", "rank"] < county.loc["文安县", "rank"] < county.loc["大城县", "rank"]
    )
    assert sorted(summary["group"].value_counts().items()) == [
        ("county", 10),
        ("dept", 9),
        ("zone", 2),
    ]


def test_outputs_written_and_notice_names_the_vetoed_unit(outcome):
    names = {p.name for p in outcome.written}
    for expected in (
        "排名_county.csv",
        "排名_zone.csv",
        "排名_dept.csv",
        "考核结果.xlsx",
        "通报.md",
        "通报.docx",
        "反馈单_大城县.xlsx",
        "反馈单_大城县.docx",
    ):
        assert expected in names
    notice = next(p for p in outcome.written if p.name == "通报.md").read_text(encoding="utf-8")
    assert "1个单位触发单项否决：大城县" in notice
    assert "《廊坊市2023年政务公开工作要点》" in notice  # the plugin's template
    assert "网上咨询原则上5个工作日内答复" in notice
