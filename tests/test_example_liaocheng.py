"""The 聊城 2018 example (examples/liaocheng): four quarterly inspections + year-end review, combined.

Every expected total below is computed by hand from the committed example data
(examples/liaocheng/data, written by make_data.py) and rubric liaocheng-2018:

* group maxima are 100 and every group rescales (折算): base = obtained ÷
  applicable points × 100;
* applicable points: county 98.5 (all leaves but T46 热线整合 1.5), minus T51
  试点验收 1 for every county except 临清市; zone 97.5; dept 91;
* a quarter inspects only the website / new-media / 找错留言 items (Q2 and Q4
  also T25b 解读三同步); everything else is 不适用 in the quarter, so a quarter
  scores out of T41a 1 + T41b 1 + T41c 1 + T41d 0.5 + T41e 0.5 + T41f 0.5 +
  T44 1.5 + T45 1.5 + T34a 2 = 9.5 points (Q2, Q4: + T25b 1 = 10.5);
* annual result = 0.3 × mean(Q1..Q4 totals) + 0.7 × year-end total, then the
  year-end veto cap (59) again; totals are rounded half-up to 2 decimals.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "liaocheng"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    return run_assessment(EXAMPLE, output=tmp_path_factory.mktemp("liaocheng"))


@pytest.fixture(scope="module")
def summary(outcome):
    return outcome.results.summary.set_index("unit")


@pytest.fixture(scope="module")
def quarters(outcome):
    return {run.config.quarter: run.results.summary.set_index("unit") for run in outcome.periods}


def test_the_four_quarters_run_first_and_feed_the_annual_result(outcome):
    assert [run.config.period for run in outcome.periods] == [
        "2018Q1",
        "2018Q2",
        "2018Q3",
        "2018Q4",
    ]
    assert [p[0] for p in outcome.results.parts] == ["quarterly", "annual"]


def test_combined_total_of_dongchangfu(summary, quarters):
    unit = "东昌府区"
    # Q1, Q4: nothing found → 100.
    # Q2: one stale column (T41b −0.25) of 10.5 inspected points: 10.25 / 10.5 × 100 = 97.619… → 97.62
    # Q3: 找错 message ZC20189001 received Fri 2018-09-21, 24th is 中秋节, answered Thu 27th =
    #     3 working days > 2 (T34a −0.5) of 9.5 points: 9 / 9.5 × 100 = 94.736… → 94.74
    assert [quarters[q].loc[unit, "total"] for q in (1, 2, 3, 4)] == [100.0, 97.62, 94.74, 100.0]
    # year end: T51 不适用 → 97.5 applicable; the same late message (T34a −0.5):
    # 97 / 97.5 × 100 = 99.487…; two commendations + 2 → 101.487… → 101.49
    assert summary.loc[unit, "bonus"] == 2
    assert summary.loc[unit, "part_annual"] == 101.49
    # mean of quarters = (100 + 97.62 + 94.74 + 100) / 4 = 392.36 / 4 = 98.09
    assert summary.loc[unit, "part_quarterly"] == 98.09
    # combined = 0.3 × 98.09 + 0.7 × 101.49 = 29.427 + 71.043 = 100.47
    assert summary.loc[unit, "total"] == 100.47
    assert (summary.loc[unit, "rank"], summary.loc[unit, "grade"]) == (1, "优秀")


def test_combined_total_of_linqing_with_the_pilot_item(summary, quarters):
    unit = "临清市"
    # every quarter clean (its 找错 reply across 国庆, 09-28 → 09-30 调休上班, is 2 working days) → 100
    assert [quarters[q].loc[unit, "total"] for q in (1, 2, 3, 4)] == [100.0] * 4
    # year end: T51 applies (98.5 points); task (50) due 5月底, done 2018-06-15 → T59a −0.5:
    # 98 / 98.5 × 100 = 99.492… → 99.49
    assert summary.loc[unit, "part_annual"] == 99.49
    # combined = 0.3 × 100 + 0.7 × 99.49 = 30 + 69.643 = 99.643 → 99.64, second of 8 counties
    assert summary.loc[unit, "total"] == 99.64
    assert (summary.loc[unit, "rank"], summary.loc[unit, "grade"]) == (2, "优秀")


def test_department_with_not_applicable_items_is_rescaled(summary, outcome):
    unit = "市发改委"
    items = outcome.results.items()
    na = items[(items["unit"] == unit) & ~items["applicable"] & (items["role"] == "score")]
    # T03 1.5 + T04a 1.5 + T04b 1 + T05 2 + T14 1 + T15a 0.5 + T15b 0.5 + T16 1 + T17 1 + T18a 0.5
    # + T18b 0.5 + T19 1 + T20 1 + T21 1 + T38 2 + T56 1 = 17 not applicable, plus the county/zone-only
    # T47 1.5, T48a 1.5, T48b 0.5, T51 1, T52 1.5, T57 1, T58 1, T60b 1 = 9 (100 − 91)
    assert na["points"].sum() == pytest.approx(17 + 9)
    # one policy (聊发改发〔2018〕88号, 2018-02-26) never interpreted: T25b −0.5
    # 73.5 / (91 − 17) × 100 = 73.5 / 74 × 100 = 99.324… → 99.32
    assert summary.loc[unit, "part_annual"] == 99.32
    # quarters all 100 (the policy is from Q1, whose inspection does not check 解读):
    # 0.3 × 100 + 0.7 × 99.32 = 30 + 69.524 = 99.524 → 99.52
    assert summary.loc[unit, "total"] == 99.52
    assert summary.loc[unit, "rank"] == 1


def test_major_deduction_is_taken_off_the_rescaled_score(summary):
    unit = "市国土局"
    # all 75 applicable points obtained (91 − 16 not applicable) → 100; one leak of personal data −5 → 95
    assert (summary.loc[unit, "major"], summary.loc[unit, "part_annual"]) == (5, 95.0)
    # 0.3 × 100 + 0.7 × 95 = 30 + 66.5 = 96.5
    assert summary.loc[unit, "total"] == 96.5


def test_vetoed_unit_is_capped_in_the_quarter_and_in_the_combined_result(summary, quarters):
    unit = "江北水城旅游度假区"
    # Q3: five blank columns → veto, capped at 59; other quarters 100
    assert [quarters[q].loc[unit, "total"] for q in (1, 2, 3, 4)] == [100.0, 100.0, 59.0, 100.0]
    assert summary.loc[unit, "part_quarterly"] == 89.75  # (100 + 100 + 59 + 100) / 4
    # year end: homepage unreachable for a week → veto; 0.3 × 89.75 + 0.7 × 59 = 68.225, capped again at 59
    assert summary.loc[unit, "part_annual"] == 59.0
    assert summary.loc[unit, "total"] == 59.0
    assert bool(summary.loc[unit, "veto"]) and summary.loc[unit, "grade"] == "不合格"
    assert summary.loc[unit, "rank"] == 3  # last of the 3 zones


def test_quarter_marks_items_it_does_not_inspect_not_applicable(outcome):
    q1 = outcome.periods[0].results.items()
    row = q1[(q1["unit"] == "东昌府区") & (q1["indicator"] == "T01")].iloc[0]
    assert row["status"] == "不适用" and not row["applicable"]
    # tied units share rank 1 in a quarter (many clean units score 100)
    ranks = outcome.periods[0].results.summary.set_index("unit")["rank"]
    assert ranks["东昌府区"] == ranks["临清市"] == 1


def test_outputs_of_the_year_and_of_each_quarter(outcome):
    out = outcome.config.output
    for name in (
        "排名_county.csv",
        "排名_zone.csv",
        "排名_dept.csv",
        "考核结果.xlsx",
        "通报.md",
        "通报.docx",
    ):
        assert (out / name).is_file(), name
    assert (out / "反馈单" / "反馈单_东昌府区.xlsx").is_file()
    # every region gets both formats: one XLSX and one DOCX per unit (24 units)
    assert len(list((out / "反馈单").glob("*.xlsx"))) == 24
    assert len(list((out / "反馈单").glob("*.docx"))) == 24
    ranking = pd.read_csv(out / "排名_county.csv")
    assert len(ranking) == 8
    notice = (out / "通报.md").read_text(encoding="utf-8")
    # the 发文字号 from [notice] stands above the title
    assert notice.startswith(
        "<!-- doc-number -->\n聊政办字〔2019〕4号\n\n# 关于2018年度政务公开工作考核结果的通报\n"
    )
    assert "各县（市、区）人民政府，市属开发区管委会，市政府各部门：" in notice
    assert "江北水城旅游度假区因“政府网站抽查单项否决”被否决（首页自2018年11月12日起" in notice
    # the combined ranking shows the parts the total weighs
    assert "| 季度督查（占30%） | 年终考核（占70%） | 总分（100） |" in notice
    for q, cn in zip((1, 2, 3, 4), "一二三四", strict=True):
        quarter_notice = out / f"2018Q{q}" / "通报.md"
        assert quarter_notice.is_file() and (out / f"2018Q{q}" / "通报.docx").is_file()
        text = quarter_notice.read_text(encoding="utf-8")
        number = f"聊政办字〔2018〕{10 + q * 7}号"
        title = f"# 关于2018年第{cn}季度政务公开工作检查情况的通报"
        assert text.startswith(f"<!-- doc-number -->\n{number}\n\n{title}\n")
        assert f"2018年第{cn}季度共督查24个单位" in text
    q3 = (out / "2018Q3" / "通报.md").read_text(encoding="utf-8")
    assert "江北水城旅游度假区因“政府网站抽查单项否决”被否决（空白栏目5个" in q3


def test_combined_ranking_table_shows_the_parts_it_weighs(outcome):
    """The published table must add up: 季度督查 × 30% + 年终考核 × 70% = 总分."""
    out = outcome.config.output
    ranking = pd.read_csv(out / "排名_county.csv").set_index("单位")
    row = ranking.loc["东昌府区"]
    assert row["季度督查（占30%）"] == 98.09 and row["年终考核（占70%）"] == 101.49
    assert row["总分（100分）"] == 100.47  # 0.3 × 98.09 + 0.7 × 101.49 = 100.47
    assert "年终考核·加分" in ranking.columns  # the domain columns are the year-end review's


def test_feedback_sheet_of_a_combined_result_says_how_the_total_is_made(outcome):
    from zwgk_score.outputs.feedback import feedback_header

    header = dict(feedback_header(outcome.results, "东昌府区"))
    from zwgk_score.outputs.feedback import feedback_sheets

    explained = feedback_sheets(outcome.results)["东昌府区"].explanation
    # 0.3 × 98.09 + 0.7 × 101.49 = 29.427 + 71.043 = 100.47, said in words on the sheet
    assert (
        "总分按各阶段加权合成：季度督查 98.09 × 30% + 年终考核 101.49 × 70% = 100.47分" in explained
    )
    assert explained.endswith("下表所列为年终考核的失分。")
    assert header["总分"] == "100.47"
    assert header["总分构成"] == "季度督查 98.09 × 30% + 年终考核 101.49 × 70%"
    assert (
        header["年终考核基础得分"] == "99.49"
    )  # the lost points listed below are the year-end review's
