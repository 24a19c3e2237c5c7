"""The 郯城县 2023 example (examples/tancheng) runs end to end; totals checked by hand.

Applicable points (适用分值): a town or a zone has 100 - I01c (dept only, 3)
- I03 (dept only, 6) = 91; a department 100, less 3 for I01c (反垄断执法,
marked 不适用 for every department but 县市场监督管理局).  The hand-set
profiles are in examples/tancheng/make_data.py (``hand_set``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tancheng"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    # needs the region plugin installed (scripts/setup.sh: pip install -e plugins/tancheng)
    return run_assessment(EXAMPLE, output=tmp_path_factory.mktemp("tancheng"))


@pytest.fixture(scope="module")
def summary(outcome):
    return outcome.results.summary.set_index("unit")


def _item(outcome, unit, indicator):
    items = outcome.results.items()
    return items[(items["unit"] == unit) & (items["indicator"] == indicator)].iloc[0]


def test_bonus_unit_tancheng_street(summary):
    # 郯城街道: everything done except 3 of the 4 attended meetings I07c asks
    # (target 4 = the assessing office's choice; the plan's 8 is the county
    # government's own duty): I07c 6 × 3/4 = 4.5 → 1.5 lost;
    # base = (91 - 1.5) / 91 × 100 = 98.3516…
    # 3 commendations × 1 = 3, capped at 2: total = 98.3516 + 2 = 100.3516 → 100.35
    row = summary.loc["郯城街道"]
    assert row["obtained"] == pytest.approx(89.5)
    assert row["bonus"] == 2
    assert row["total"] == pytest.approx(100.35)
    assert (row["grade"], row["rank"]) == ("优秀", 1)
    assert row["performance"] == pytest.approx(5.0)  # min(101.18, 100) / 100 × 5


def test_veto_unit_is_capped_at_59(summary):
    # 庙山镇 before the veto (applicable 91): lost 6 (民生 0.8: 12 × 0.2/0.4 = 6 of 12)
    # + 2.4 (政策文件库 complete;pushed = 0.7 × 8) + 1.5 (解读 一般) + 2 (互动 一般)
    # + 3.6 (开放日 held = 0.4 × 6) + 2 (6 stale columns, 扣完为止) + 1 (5 blank, 扣完为止)
    # + 0.4 (4 broken links × 0.1) + 3 (2 of 4 meetings: 6 × 2/4 = 3) = 21.9
    # base = 69.1 / 91 × 100 = 75.93; veto policy cap 59 → 59, grade 不合格
    row = summary.loc["庙山镇"]
    assert row["obtained"] == pytest.approx(69.1)
    assert row["base"] == pytest.approx(75.93)
    assert bool(row["veto"]) is True
    assert row["total"] == pytest.approx(59.0)
    assert row["grade"] == "不合格"
    assert row["rank"] == 12  # only 港上镇 (46.70, the poor-tier town) is lower


def test_not_applicable_items_rescale(summary):
    # 归昌乡: no policy documents, no major decisions, no messages in 2023 →
    # 不适用 I05a 4 + I05b 3 + I05c 3 + I06a 4 + I06b 3 + I07a 3 + I07b 4 + I10d 1.5 = 25.5
    # applicable = 91 - 25.5 = 65.5
    # lost: I07c 3 attended of 4 → 6 × 1/4 = 1.5; I08a without 采纳情况公开 → 6 × 0.3 = 1.8
    # total = (65.5 - 3.3) / 65.5 × 100 = 94.9618… → 94.96
    row = summary.loc["归昌乡"]
    assert row["applicable"] == pytest.approx(65.5)
    assert row["obtained"] == pytest.approx(62.2)
    assert row["total"] == pytest.approx(94.96)
    assert row["grade"] == "优秀"


def test_decision_feedback_across_national_day(outcome, summary):
    # 县财政局: 不适用 I01c (3) and I03 (6, no public institutions) → applicable 91.
    # Decisions: 09-22 → 10-12 = 10 working days (make-up days 10-07/08 count) → on time;
    # 09-28 → 10-20 = 12 → late: I07b 4 - 1 = 3.
    # total = 90 / 91 × 100 = 98.9010… → 98.90
    item = _item(outcome, "县财政局", "I07b")
    assert (item["score"], item["lost"]) == (3.0, 1.0)
    row = summary.loc["县财政局"]
    assert row["applicable"] == pytest.approx(91)
    assert row["total"] == pytest.approx(98.90)


def test_department_with_few_deductions(outcome, summary):
    # 县市场监督管理局 (all 100 points applicable): I01c only 专项执法行动信息 → 3 × 0.5 = 1.5
    # lost; request received 09-04, answered 10-09 = 21 working days > 20 → I09b -1.
    # total = 100 - 1.5 - 1 = 97.50
    assert _item(outcome, "县市场监督管理局", "I09b")["score"] == 2.0
    row = summary.loc["县市场监督管理局"]
    assert (row["applicable"], row["total"], row["grade"]) == (100, pytest.approx(97.5), "优秀")
    # 县民政局: perfect on 97 applicable points (base 100), one privacy leak: major -5 → 95.00
    row = summary.loc["县民政局"]
    assert (row["base"], row["major"], row["total"]) == (100, 5, pytest.approx(95.0))
    # 县教育和体育局: perfect (100) + one commendation (+1) = 101.00, first of its group
    row = summary.loc["县教育和体育局"]
    assert (row["total"], row["rank"]) == (pytest.approx(101.0), 1)


def test_every_unit_is_scored_with_no_missing_data(summary):
    assert len(summary) == 24
    assert summary.groupby("group").size().to_dict() == {"dept": 9, "town": 13, "zone": 2}
    assert (summary["missing"] == 0).all()
    assert set(summary["grade"]) == {"优秀", "良好", "合格", "不合格"}


def test_outputs_are_written_and_notice_names_the_vetoed_unit(outcome):
    out = outcome.config.output
    for name in (
        "考核结果.xlsx",
        "通报.md",
        "通报.docx",
        "results.json",
        "排名_town.csv",
        "排名_dept.csv",
        "排名_zone.csv",
    ):
        assert (out / name).is_file(), name
    assert (out / "反馈单" / "反馈单_庙山镇.xlsx").is_file()
    assert len(list((out / "反馈单").glob("*.xlsx"))) == 24
    md = (out / "通报.md").read_text(encoding="utf-8")
    assert "1个单位触发单项否决：庙山镇" in md
    assert "郯政办字〔2023〕37号" in md  # the region's template, not the built-in one
    assert "各乡镇人民政府、郯城街道办事处" in md


def test_the_feedback_sheets_give_the_places_the_notice_prints(outcome, summary):
    """庙山镇 is vetoed (capped at 59.00, scoring rank 12 of 13): the notice lists it last without
    a place, so 港上镇 (46.98, the lowest of the other twelve towns) is 12th there, not 13th."""
    import openpyxl

    from zwgk_score.outputs.feedback import feedback_header

    assert (summary.at["庙山镇", "rank"], summary.at["港上镇", "rank"]) == (12, 13)
    md = (outcome.config.output / "通报.md").read_text(encoding="utf-8")
    rows = [line for line in md.splitlines() if "| 港上镇 |" in line or "| 庙山镇 |" in line]
    assert [r.split("|")[1].strip() for r in rows[:2]] == ["12", "—"]
    assert dict(feedback_header(outcome.results, "港上镇"))["组内排名"] == "12/13"
    assert dict(feedback_header(outcome.results, "庙山镇"))["组内排名"] == "—（单项否决）"
    sheet = outcome.config.output / "反馈单" / "反馈单_港上镇.xlsx"
    text = openpyxl.load_workbook(sheet).active["A3"].value
    assert text.endswith("在乡镇街道13个单位中排第12名。")
    # the results site: the same order and places
    site = outcome.config.output / "网站"
    index = (site / "index.html").read_text(encoding="utf-8")
    row = index[index.index(">港上镇</a>") - 400 : index.index(">港上镇</a>")]
    assert '<td data-sort="12">12</td>' in row  # 12th, after it only the vetoed 庙山镇 (—)
    assert index.index(">港上镇</a>") < index.index(">庙山镇</a>")
    assert index.count("<p>注：单项否决的单位不参与排名，列于最后。</p>") == 1  # the towns only
    page = (site / "单位" / "庙山镇.html").read_text(encoding="utf-8")
    assert '<span class="big" id="unit-rank">—</span> 单项否决，不参与排名（共 13 个单位）' in page
    page = (site / "单位" / "港上镇.html").read_text(encoding="utf-8")
    assert '<span class="big" id="unit-rank">12</span> 名，共 13 个单位' in page
    # the leaders' workbook: the same places in its printed summary
    wb = openpyxl.load_workbook(outcome.config.output / "考核结果.xlsx")
    ws = wb["汇总_乡镇街道"]
    last_two = [
        (r[0], r[1])
        for r in ws.iter_rows(min_row=3, values_only=True)
        if r[1] in ("港上镇", "庙山镇")
    ]
    assert last_two == [(12, "港上镇"), ("—", "庙山镇")]
    # and its chart beside it: the same order, the vetoed bar last
    bars = [r[0] for r in wb["图表数据"].iter_rows(min_row=2, max_col=1, values_only=True) if r[0]]
    assert bars[11:13] == ["港上镇", "庙山镇（否决）"]
