"""The example data are one synthetic world: scores follow from the dated ledgers.

Each check reads an example's own CSV files (not the scorer's output) and
compares them with the scored items, so a regenerated data set whose reviewer
sheet or derived tables drift from the ledger fails here.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def xxshi(tmp_path_factory):
    return run_assessment(EXAMPLES / "xxshi", output=tmp_path_factory.mktemp("xxshi_cons"))


@pytest.fixture(scope="module")
def tancheng(tmp_path_factory):
    return run_assessment(EXAMPLES / "tancheng", output=tmp_path_factory.mktemp("tancheng_cons"))


def _items(outcome, indicator: str) -> pd.DataFrame:
    items = outcome.results.items()
    return items[items["indicator"] == indicator].set_index("unit")


def test_xxshi_dated_tasks_are_the_ledger_rows(xxshi) -> None:
    # the four dated tasks are read from the ledger itself (xxshi_ledger), no derived copy
    assert not (EXAMPLES / "xxshi" / "data" / "限时任务完成时间.csv").exists()
    sheet = pd.read_csv(EXAMPLES / "xxshi" / "data" / "评审打分表.csv", dtype=str)
    # the reviewer sheet carries no (contradicting) judgement of a dated task
    for column in ("公开指南5月底前更新", "惠农补贴以村公开"):
        assert column not in sheet.columns
    assert not sheet["政务公开专区"].fillna("").str.contains("built").any()


#: xx市 dated tasks: 任务编号 → (indicator, due date, points)
XXSHI_DATED = {
    "(十)": ("D2.3.1", date(2022, 5, 31), 1.5),
    "(十一)": ("D2.4.2", date(2022, 12, 31), 2.5),
    "(十八)": ("D5.1.5", date(2022, 10, 31), 1.0),
    "(二十)": ("D5.3.1", date(2022, 9, 30), 3.0),
}


def test_xxshi_deadline_scores_follow_the_ledger_dates(xxshi) -> None:
    ledger = pd.read_csv(EXAMPLES / "xxshi" / "data" / "工作要点任务台账.csv", dtype=str)
    late_items = _items(xxshi, "D6.1.1")
    for task, (indicator, due, points) in XXSHI_DATED.items():
        scored = _items(xxshi, indicator)
        rows = ledger[ledger["任务编号"] == task]
        assert len(rows) > 0
        late_seen = on_time_seen = False
        for _, row in rows.iterrows():
            done = None if pd.isna(row["完成时间"]) else date.fromisoformat(row["完成时间"])
            item = scored.loc[row["责任单位"]]
            if done is not None and done <= due:
                on_time_seen = True
                assert item["score"] == points, row["责任单位"]
            else:
                late_seen = True
                assert item["score"] == 0, row["责任单位"]
                assert not re.search(r"逾期 ?0 ?天", item["reason"]), item["reason"]
                assert "未发现问题" not in item["reason"]
                if done is None:
                    assert "未完成" in item["reason"]
            # no double penalty: the dated task never reappears under 要点任务按时限完成
            assert f"任务 {task}「" not in str(late_items.loc[row["责任单位"], "reason"])
        assert on_time_seen and late_seen, indicator
    # units the ledger does not name for the 专区 (no 办事大厅) are 不适用, not 0
    named = set(ledger.loc[ledger["任务编号"] == "(二十)", "责任单位"])
    zone = _items(xxshi, "D5.3.1")
    assert (zone.loc[~zone.index.isin(named), "status"] == "不适用").all()


def test_tancheng_meeting_scores_follow_the_meeting_records(tancheng) -> None:
    meetings = pd.read_csv(EXAMPLES / "tancheng" / "data" / "会议记录.csv", dtype=str)
    in_year = meetings[meetings["会议时间"].str.startswith("2023")]
    attended = in_year[in_year["列席代表"] != "无"].groupby("会议主办单位").size()
    scored = _items(tancheng, "I07c")
    losers = 0
    for unit, item in scored.iterrows():
        n = int(attended.get(unit, 0))
        # 6 points × min(n / 4, 1) (target 4 = the assessing office's choice)
        assert item["score"] == pytest.approx(6 * min(n / 4, 1)), unit
        losers += n < 4
    assert losers >= 3  # the indicator is exercised


@pytest.mark.parametrize("example", ["tancheng", "huairou", "langfang", "liaocheng", "xxshi"])
def test_no_deducted_row_says_nothing_was_found(example, tmp_path) -> None:
    items = run_assessment(EXAMPLES / example, output=tmp_path).results.items()
    deducted = items[items["lost"] > 0]
    assert not deducted["reason"].astype(str).str.contains("未发现问题").any()
    assert (deducted["reason"].astype(str).str.strip() != "").all()


# ---------------------------------------------------------------- 聊城 (examples/liaocheng)

LIAOCHENG = EXAMPLES / "liaocheng"


@pytest.fixture(scope="module")
def liaocheng(tmp_path_factory):
    return run_assessment(LIAOCHENG, output=tmp_path_factory.mktemp("liaocheng_cons"))


def _lc(name: str) -> pd.DataFrame:
    return pd.read_csv(LIAOCHENG / "data" / name, dtype=str).fillna("")


#: ledger 任务编号 → (indicator, points, due date) of rubric liaocheng-2018
LIAOCHENG_DATED = {
    "(12)": ("T12a", 0.3, date(2018, 12, 31)),  # 年内
    "(15)": ("T15a", 0.5, date(2018, 7, 31)),  # 7月底前
    "(42)": ("T42", 1.5, date(2018, 12, 31)),  # 年内
    "(51)-1": ("T51a", 1.0, date(2018, 8, 31)),  # 8月底前
    "(51)-2": ("T51b", 1.0, date(2018, 9, 30)),  # 9月底前
    "(55)": ("T55a", 1.5, date(2018, 12, 31)),  # 今年年底前
    "(58)": ("T58", 1.0, date(2018, 12, 31)),  # 到年底
}


def test_liaocheng_dated_task_scores_follow_the_ledger(liaocheng) -> None:
    ledger = _lc("职责清单任务台账.csv")
    assert set(ledger["任务编号"]) == set(LIAOCHENG_DATED)
    late_seen = on_time_seen = open_seen = 0
    for _, row in ledger.iterrows():
        indicator, points, due = LIAOCHENG_DATED[row["任务编号"]]
        item = _items(liaocheng, indicator).loc[row["责任单位"]]
        done = date.fromisoformat(row["完成时间"]) if row["完成时间"] else None
        if done is not None and done <= due:
            on_time_seen += 1
            assert item["score"] == points and item["lost"] == 0, row.to_dict()
        else:
            assert item["score"] == 0 and item["lost"] == points, row.to_dict()
            assert not re.search(r"逾期 ?0 ?天", item["reason"]), item["reason"]
            if done is None:
                open_seen += 1
                assert "未完成" in item["reason"]
            else:
                late_seen += 1
                assert f"{done.year}年{done.month}月{done.day}日完成" in item["reason"]
    assert on_time_seen and late_seen and open_seen  # every case is exercised


def test_liaocheng_reviewer_cells_do_not_contradict_the_ledger(liaocheng) -> None:
    ledger = _lc("职责清单任务台账.csv")
    sheet = _lc("年终评审打分表.csv").set_index("单位")
    catalogue = ledger[ledger["任务编号"] == "(55)"].set_index("责任单位")["完成时间"]
    scored = _items(liaocheng, "T55b")
    without = [u for u, done in catalogue.items() if not done]
    assert without, "some unit has no catalogue at the year end"
    for unit in without:
        # no catalogue compiled: the reviewers credit none of its parts
        assert sheet.loc[unit, "T55主动公开目录"] == "0", unit
        assert scored.loc[unit, "score"] == 0
    # the reviewers' evidence is the unit's own review record, not one constant text
    assert sheet["备注"].nunique() == len(sheet)


def test_liaocheng_reviewer_sheet_leaves_blank_exactly_the_units_the_duties_exclude(
    liaocheng,
) -> None:
    from zwgk_score_liaocheng.duties import CLASSES, assessed

    sheet = _lc("年终评审打分表.csv").set_index("单位")
    rubric = liaocheng.results.rubric
    headers = {
        "T03": "T03防范化解重大风险公开",
        "T05": "T05污染防治公开",
        "T07": "T07事中事后监管",
        "T12b": "T12重大建设项目",
        "T13": "T13公共资源配置",
        "T14": "T14社会救助",
        "T16b": "T16医疗卫生",
        "T19b": "T19住房保障",
        "T20b": "T20国资国企",
        "T21": "T21安全生产监管",
        "T38": "T38放管服3545",
        "T56": "T56公共企事业单位",
    }
    summary = liaocheng.results.summary
    groups = dict(zip(summary["unit"], summary["group"], strict=True))
    leaves = {n.id: n for n in rubric.nodes() if n.is_leaf}
    items = liaocheng.results.items().set_index(["unit", "indicator"])
    for leaf_id, header in headers.items():
        leaf = leaves[leaf_id]
        for unit, cell in sheet[header].items():
            named = groups[unit] in leaf.groups and assessed(
                leaf.responsible,
                unit,
                groups[unit],
                {"市食药监局": ["市食品药品监督管理局"]},
                CLASSES,
            )
            assert (cell != "") == named, (leaf_id, unit, cell)
            assert bool(items.loc[(unit, leaf_id), "applicable"]) == (named and cell != "不适用")
    # the departments a 责任分工 names only by name are the ones assessed: (5) 市环保局 alone
    depts = [u for u, g in groups.items() if g == "dept"]
    assert [u for u in depts if items.loc[(u, "T05"), "applicable"]] == ["市环保局"]


def test_liaocheng_periodic_scores_count_the_distinct_months_of_the_log(liaocheng) -> None:
    log = _lc("定期发布记录.csv")
    for key, indicator, points, per_year in (
        ("epidemic_monthly", "T16a", 0.4, 12),
        ("air_quality_monthly", "T17a", 0.3, 12),
        ("soe_monthly", "T20a", 0.4, 12),
    ):
        rows = log[log["指标"] == key]
        months = rows.groupby("单位")["发布日期"].agg(lambda d: len({x[:7] for x in d}))
        scored = _items(liaocheng, indicator)
        scored = scored[scored["applicable"]]
        assert len(scored) > 0
        for unit, item in scored.iterrows():
            n = int(months.get(unit, 0))
            # published half-up to 2 decimals: 0.3 × 11 / 12 = 0.275 → 0.28
            assert item["score"] == pytest.approx(points * n / per_year, abs=0.0051), (key, unit)
        assert (scored["lost"] > 0).any(), key  # some unit missed a month
    # quarterly: 0.1 (饮用水水源) / 0.05 (公积金) per missing quarter
    for key, indicator, points, per in (
        ("water_source_quarterly", "T17b", 0.3, 0.1),
        ("housing_fund_quarterly", "T19a", 0.2, 0.05),
    ):
        rows = log[log["指标"] == key]
        quarters = rows.groupby("单位")["发布日期"].agg(
            lambda d: len({(int(x[5:7]) - 1) // 3 for x in d})
        )
        scored = _items(liaocheng, indicator)
        for unit, item in scored[scored["applicable"]].iterrows():
            missing = 4 - int(quarters.get(unit, 0))
            assert item["score"] == pytest.approx(max(points - per * missing, 0)), (key, unit)


def test_liaocheng_veto_follows_the_measured_availability(liaocheng) -> None:
    site = _lc("网站检查_年终.csv")
    low = set(site.loc[site["首页可访问率"].str.rstrip("%").astype(float) < 95, "单位"])
    vetoed = set(liaocheng.results.summary.loc[liaocheng.results.summary["veto"], "unit"])
    assert low == vetoed == {"江北水城旅游度假区"}


def test_liaocheng_recall_reasons_are_in_hours(liaocheng) -> None:
    recalls = _items(liaocheng, "T18b")
    late = recalls[recalls["lost"] > 0]
    assert len(late) > 0
    assert late["reason"].str.contains("24 小时").all()
    assert not recalls["reason"].str.contains("工作日").any()


def test_liaocheng_every_indicator_has_a_unit_losing_points(liaocheng) -> None:
    items = liaocheng.results.items()
    scored = items[items["role"] == "score"]
    lost = scored.groupby("indicator")["lost"].max()
    assert lost[lost <= 0].index.tolist() == []


def test_liaocheng_three_sync_deductions_follow_the_policy_register(liaocheng) -> None:
    from zwgk_score.workdays import WorkCalendar

    cal = WorkCalendar.china()
    policies = _lc("政策文件及解读.csv")
    missing: dict[str, int] = {}
    late: dict[str, int] = {}
    for _, row in policies.iterrows():
        unit = row["发文单位"]
        if not row["解读发布日期"]:
            missing[unit] = missing.get(unit, 0) + 1
            continue
        pub, interp = (date.fromisoformat(row[c]) for c in ("印发日期", "解读发布日期"))
        days = int(cal.workdays_between(pub, interp)) if interp > pub else 0
        if days > 3:  # the office's 3-working-day reading of 同步
            late[unit] = late.get(unit, 0) + 1
    scored = _items(liaocheng, "T25b")
    assert late, "some interpretation came late"
    for unit, item in scored.iterrows():
        # 未解读 0.5 each, 解读超期 0.25 each, at most the item's 1 point
        expected = min(0.5 * missing.get(unit, 0) + 0.25 * late.get(unit, 0), 1.0)
        assert item["lost"] == pytest.approx(expected), unit
