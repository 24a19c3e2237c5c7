"""The 聊城 2018 example (examples/liaocheng): four quarterly inspections + year-end review, combined.

Every expected total below is computed by hand from the committed example data
(examples/liaocheng/data, written by make_data.py) and rubric liaocheng-2018:

* group maxima are 100 and every group rescales (折算): base = obtained ÷
  applicable points × 100;
* applicable points of a county: 100 − T46 热线整合 1.5 (dept only) − T17a 0.3 and
  T19a 0.2 (dept only) − T51a, T51b 2 (临清市 only: its 责任分工 names 临清市政府办公室);
  a department loses every task whose 责任分工 names neither 市直各部门 nor it
  (liaocheng_duties);
* a quarter inspects the items with dated evidence in the quarter: website and new
  media (T41a–f 4.5, T44 1.5, T45 1.5), T34a 2, T25b 1, T54a 1.5, T54b 1, T18b 0.5,
  T39b 1.5 = 15 points (a department without 召回 duty: 14.5), plus the dated
  tasks due by the quarter's end (Q3: T15a 0.5, T51a/T51b 2; Q4 also T12a 0.3,
  T42 1.5, T55a 1.5, T58 1);
* annual result = 0.2 × mean(Q1..Q4 totals) + 0.8 × year-end base score, then the
  bonus, the major deduction and the veto once (adjust_after); totals are rounded
  half-up to 2 decimals.
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
    # Q2: one stale column (T41b −0.25) of 15 inspected points: 14.75 / 15 × 100 = 98.333… → 98.33
    # Q3: 找错 message ZC20189001 received Fri 2018-09-21, 24th is 中秋节, answered Thu 27th =
    #     3 working days > 2 (T34a −0.5) of 15 + T15a 0.5 = 15.5 points: 15 / 15.5 × 100 = 96.77
    assert [quarters[q].loc[unit, "total"] for q in (1, 2, 3, 4)] == [100.0, 98.33, 96.77, 100.0]
    # year end: 96 applicable points; the same late message (T34a −0.5):
    # 95.5 / 96 × 100 = 99.479… → 99.48 (the base; the bonus is added after combining)
    assert summary.loc[unit, "bonus"] == 2
    assert summary.loc[unit, "part_annual"] == 99.48
    # mean of quarters = (100 + 98.33 + 96.77 + 100) / 4 = 395.1 / 4 = 98.775 → 98.78
    assert summary.loc[unit, "part_quarterly"] == 98.78
    # combined = 0.2 × 98.78 + 0.8 × 99.48 + 2 = 19.756 + 79.584 + 2 = 101.34
    assert summary.loc[unit, "total"] == 101.34
    assert (summary.loc[unit, "rank"], summary.loc[unit, "grade"]) == (1, "优秀")


def test_combined_total_of_linqing_late_on_both_pilot_dates(summary, quarters):
    unit = "临清市"
    # Q1, Q2 clean → 100 (its 找错 reply across 国庆, 09-28 → 09-30 调休上班, is 2 working days).
    # Q3: 验收 done 2018-09-05 after 8月底前 (T51a −1); 报送 not done by 09-30 (T51b −1):
    #     (17.5 − 2) / 17.5 × 100 = 88.571… → 88.57
    # Q4: 报送 done 2018-10-12 after 9月底前, still late: (21.8 − 2) / 21.8 × 100 = 90.83
    assert [quarters[q].loc[unit, "total"] for q in (1, 2, 3, 4)] == [100.0, 100.0, 88.57, 90.83]
    # year end: T51a, T51b apply (98 points), both late: 96 / 98 × 100 = 97.959… → 97.96
    assert summary.loc[unit, "part_annual"] == 97.96
    # mean (100 + 100 + 88.57 + 90.83) / 4 = 94.85; 0.2 × 94.85 + 0.8 × 97.96 = 18.97 + 78.368
    # = 97.338 → 97.34, third of 8 counties
    assert summary.loc[unit, "part_quarterly"] == 94.85
    assert summary.loc[unit, "total"] == 97.34
    assert (summary.loc[unit, "rank"], summary.loc[unit, "grade"]) == (3, "优秀")


def test_department_with_not_applicable_items_is_rescaled(summary, outcome):
    unit = "市发改委"
    items = outcome.results.items()
    na = items[(items["unit"] == unit) & ~items["applicable"] & (items["role"] == "score")]
    # 责任分工 not naming 市发改委 (nor 市直各部门): T03 1.5 + T04a 1.5 + T04b 1 + T05 2 + T14 1
    # + T15a 0.5 + T15b 0.5 + T16a 0.4 + T16b 0.6 + T17a 0.3 + T17c 0.4 + T18a 0.5 + T18b 0.5
    # + T19a 0.2 + T19b 0.8 + T20a 0.4 + T20b 0.6 + T21 1 + T38 2 + T56 1 = 16.7, plus the
    # county/zone-only T17b 0.3, G14 3.5, G16 2, T52 1.5, T57 1, T58 1, T60b 1 = 10.3 → 27
    assert na["points"].sum() == pytest.approx(27)
    # one policy (聊发改发〔2018〕88号, 2018-02-26) never interpreted: T25b −0.5
    # 72.5 / (100 − 27) × 100 = 72.5 / 73 × 100 = 99.315… → 99.32
    assert summary.loc[unit, "part_annual"] == 99.32
    # Q1 inspects 三同步 too: (14.5 − 0.5) / 14.5 × 100 = 96.55; Q2–Q4 100:
    # mean 396.55 / 4 = 99.1375 → 99.14; 0.2 × 99.14 + 0.8 × 99.32 = 19.828 + 79.456 = 99.28
    assert summary.loc[unit, "part_quarterly"] == 99.14
    assert summary.loc[unit, "total"] == 99.28
    assert summary.loc[unit, "rank"] == 1


def test_major_deduction_is_taken_once_after_combining(summary):
    unit = "市国土局"
    # all 71 applicable points obtained → base 100 in every part; one leak of personal data:
    # "每起从总分中扣5分" once after combining (adjust_after):
    # 0.2 × 100 + 0.8 × 100 − 5 = 95 (weighted with the year-end part it would cost 4)
    assert (summary.loc[unit, "major"], summary.loc[unit, "part_annual"]) == (5, 100.0)
    assert summary.loc[unit, "total"] == 95.0


def test_vetoed_unit_is_capped_in_the_quarter_and_in_the_combined_result(summary, quarters):
    unit = "江北水城旅游度假区"
    # Q3: five blank columns → veto, capped at 59; other quarters 100
    assert [quarters[q].loc[unit, "total"] for q in (1, 2, 3, 4)] == [100.0, 100.0, 59.0, 100.0]
    # with adjust_after the parts are base scores: Q3 base (15.5 − 1) / 15.5 × 100 = 93.55;
    # mean (100 + 100 + 93.55 + 100) / 4 = 98.3875 → 98.39
    assert summary.loc[unit, "part_quarterly"] == 98.39
    # year end: homepage unreachable for a week (availability 93.5 % < 95 %) → veto;
    # base 93 / 94 × 100 = 98.94; 0.2 × 98.39 + 0.8 × 98.94 = 98.83, capped at 59
    assert summary.loc[unit, "part_annual"] == 98.94
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
    # the combined ranking shows the parts the total weighs, then the bonus and the major
    # deduction that count once after weighting (adjust_after), so that each row adds up
    assert "| 季度督查（占20%） | 年终考核（占80%） | 加分 | 重大扣分 | 总分（100） |" in notice
    # the weights are said to be the office's choice, not the plan's
    assert (
        "（占20%）和年终考核结果（占80%）合成，两部分的权重由市政府办公室确定（实施方案未作规定）"
        in notice
    )
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
    """The published table must add up: 季度督查 × 20% + 年终考核 × 80% + 加分 = 总分."""
    out = outcome.config.output
    ranking = pd.read_csv(out / "排名_county.csv").set_index("单位")
    row = ranking.loc["东昌府区"]
    assert row["季度督查（占20%）"] == 98.78 and row["年终考核（占80%）"] == 99.48
    assert row["总分（100分）"] == 101.34  # 0.2 × 98.78 + 0.8 × 99.48 + 2 = 101.34
    assert "年终考核·加分" in ranking.columns  # the domain columns are the year-end review's


def test_circulated_ranking_and_site_of_a_combined_result_add_up(outcome):
    """With adjust_after the bonus and the major deduction are columns and terms of their own."""
    out = outcome.config.output
    notice = (out / "通报.md").read_text(encoding="utf-8")
    # 0.2 × 98.78 + 0.8 × 99.48 + 2 − 0 = 101.34; 0.2 × 100 + 0.8 × 100 + 0 − 5 = 95.00
    assert "| 1 | 东昌府区 | 98.78 | 99.48 | 2.00 | 0.00 | 101.34 | 优秀 | 5.00 |" in notice
    assert "| 6 | 市国土局 | 100.00 | 100.00 | 0.00 | 5.00 | 95.00 | 优秀 | 4.75 |" in notice
    assert (
        "注：总分＝季度督查×20%＋年终考核×80%＋加分－重大扣分；加分、重大扣分在加权合成后计一次"
        in notice
    )
    index = (out / "网站" / "index.html").read_text(encoding="utf-8")
    heads = '<th scope="col" data-type="number">年终考核（占80%）</th>\n'
    heads += '<th scope="col" data-type="number">加分</th>\n'
    heads += '<th scope="col" data-type="number">重大扣分</th>\n'
    heads += '<th scope="col" data-type="number">总分</th>'
    assert heads in index
    page = (out / "网站" / "单位" / "东昌府区.html").read_text(encoding="utf-8")
    assert "总分 = 季度督查 98.78 × 20% + 年终考核 99.48 × 80% + 加分 2 = 101.34。" in page
    page = (out / "网站" / "单位" / "市国土局.html").read_text(encoding="utf-8")
    assert "总分 = 季度督查 100.00 × 20% + 年终考核 100.00 × 80% − 重大扣分 5 = 95.00。" in page


def test_the_year_is_not_compared_with_its_own_quarters(outcome):
    """The quarters are parts of the year's total, not an earlier period of the same kind."""
    out = outcome.config.output
    index = (out / "网站" / "index.html").read_text(encoding="utf-8")
    overview = (out / "网站" / "overview.html").read_text(encoding="utf-8")
    assert "较2018年" not in index and "与2018年第一季度相比" not in overview
    assert "本期成绩由各阶段成绩合成，不与其中的各阶段比较" in overview
    # the unit page still lists every period the run scored, the year last
    page = (out / "网站" / "单位" / "东昌府区.html").read_text(encoding="utf-8")
    history = page[page.index("历次成绩") :]
    labels = ["2018年第一季度", "2018年第二季度", "2018年第三季度", "2018年第四季度", "2018年度"]
    assert [history.index(label) for label in labels] == sorted(history.index(x) for x in labels)
    # a quarter is compared with the quarter before it
    q2 = (out / "2018Q2" / "网站" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="col" data-type="number">较2018年第一季度</th>' in q2


def test_feedback_sheet_of_a_combined_result_says_how_the_total_is_made(outcome):
    from zwgk_score.outputs.feedback import feedback_header, feedback_sheets

    header = dict(feedback_header(outcome.results, "东昌府区"))
    explained = feedback_sheets(outcome.results)["东昌府区"].explanation
    # 0.2 × 98.78 + 0.8 × 99.48 + 2 = 19.756 + 79.584 + 2 = 101.34, said in words on the sheet;
    # the bonus is added once to the weighted total, not to the year-end base
    assert (
        "总分按各阶段加权合成：季度督查 98.78 × 20% + 年终考核 99.48 × 80% + 加分 2 = 101.34分"
        in explained
    )
    assert "99.48 + 2" not in explained
    assert explained.endswith("下表所列为年终考核的失分。")
    assert header["总分"] == "101.34"
    assert header["总分构成"] == "季度督查 98.78 × 20% + 年终考核 99.48 × 80% + 加分 2"
    assert header["年终考核基础得分"] == "99.48"
    gt = dict(feedback_header(outcome.results, "市国土局"))
    assert gt["总分构成"] == "季度督查 100.00 × 20% + 年终考核 100.00 × 80% − 重大扣分 5"


def test_interview_list_names_the_late_units_with_their_evidence(outcome):
    out = outcome.config.output
    table = pd.read_csv(out / "约谈名单.csv", dtype=str, encoding="utf-8-sig")
    ledger = pd.read_csv(EXAMPLE / "data" / "职责清单任务台账.csv", dtype=str).fillna("")
    items = outcome.results.items()
    late = items[(items["method"] == "deadline") & (items["lost"] > 0)]
    # one line per dated task a unit lost points on, plus (29) for every unit the reviewers
    # rated 回应不力 on (28)
    assert (table["约谈事由"] == "不能按时完成任务").sum() == len(late)
    sheet = pd.read_csv(EXAMPLE / "data" / "年终评审打分表.csv", dtype=str).fillna("")
    poor = set(sheet.loc[sheet["T28舆情回应"] == "回应不力", "单位"])
    opinion = table[table["约谈事由"] == "政务舆情回应不力"]
    assert set(opinion["单位"]) == poor and {"冠县", "市公安局"} <= poor
    # 临清市: both pilot dates missed (9月5日 验收, 10月12日 报送), traced to the ledger rows
    lq = table[table["单位"] == "临清市"]
    assert lq["指标"].str.startswith(("T51a", "T51b")).all() and len(lq) == 2
    assert lq["失分原因"].str.contains("2018年9月5日完成，晚于时限2018年8月31日").any()
    for src in lq["证据来源"]:
        row = int(src.rsplit(":", 1)[1])  # file:row, the header being row 1
        assert ledger.iloc[row - 2]["责任单位"] == "临清市"
    # units that met every date and answered 舆情 properly are not on it
    assert "东昌府区" not in set(table["单位"]) and "市发改委" not in set(table["单位"])
    md = (out / "约谈名单.md").read_text(encoding="utf-8")
    assert md.startswith("# 聊城市2018年度政务公开工作拟约谈单位名单\n")
    assert "由市政府办公室在约谈时核实认定" in md
