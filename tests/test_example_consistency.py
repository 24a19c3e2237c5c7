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


# ======================================================================================
# 廊坊, 怀柔, xx市, 郯城 (seed 000, 001, 002, 004): reviewer sheets, registers and dated
# ledgers of each example against its scored items.  (聊城's checks live in their own
# section.)
# ======================================================================================
SEEDS4 = ("langfang", "huairou", "xxshi", "tancheng")


@pytest.fixture(scope="module")
def seeds4_runs(tmp_path_factory, xxshi, tancheng):
    runs = {"xxshi": xxshi, "tancheng": tancheng}
    for name in ("langfang", "huairou"):
        runs[name] = run_assessment(EXAMPLES / name, output=tmp_path_factory.mktemp(name))
    return runs


def _csv(example: str, name: str) -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / example / "data" / name, dtype=str).fillna("")


@pytest.mark.parametrize("example", SEEDS4)
def test_seeds4_every_indicator_is_lost_by_some_unit(seeds4_runs, example) -> None:
    """Every rule is exercised: a unit loses points on it (a bonus is won, a veto fires)."""
    items = seeds4_runs[example].results.items()
    idle = []
    for indicator, rows in items.groupby("indicator", sort=False, observed=True):
        method = rows["method"].iat[0]
        if method in ("bonus", "stepped_bonus"):
            used = (rows["score"] > 0).any()
        elif method == "veto":
            used = rows["reason"].astype(str).str.contains("否决").any()
        else:
            used = (rows["lost"] > 0).any()
        if not used:
            idle.append(indicator)
    assert idle == []


@pytest.mark.parametrize("example", SEEDS4)
def test_seeds4_no_deducted_reason_says_zero_days_or_nothing_found(seeds4_runs, example) -> None:
    items = seeds4_runs[example].results.items()
    reasons = items.loc[items["lost"] > 0, "reason"].astype(str)
    assert not reasons.str.contains(r"逾期\s*0\s*天").any()
    assert not reasons.str.contains("未发现问题").any()
    assert not reasons.str.contains(r"(?<![\d.])0\s*天").any()  # "超过90天" is fine


@pytest.mark.parametrize("example", SEEDS4)
def test_seeds4_evidence_is_not_one_text_copied_down(example) -> None:
    for path in sorted((EXAMPLES / example / "data").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str).fillna("")
        if "佐证" not in frame.columns:
            continue
        ok = frame[frame.get("状态", pd.Series("", index=frame.index)) != "不适用"]
        texts = ok.loc[ok["佐证"] != "", "佐证"]
        if len(texts) > 1:
            assert texts.nunique() > 1, path.name


#: 怀柔: every task due 2024年10月中旬 (the 20th)
HUAIROU_DUE = date(2024, 10, 20)


def test_huairou_task_deadlines_are_the_ledger_dates(seeds4_runs) -> None:
    items = seeds4_runs["huairou"].results.items().set_index(["unit", "indicator"])
    ledger = _csv("huairou", "要点任务台账.csv")
    named = set()
    for _, row in ledger.iterrows():
        unit, task = row["责任部门"], row["序号"]
        named.add((unit, task))
        item = items.loc[(unit, f"T{task}.due")]
        done = date.fromisoformat(row["完成时间"]) if row["完成时间"] else None
        assert (row["完成情况"] == "已完成") == (done is not None)
        on_time = done is not None and done <= HUAIROU_DUE
        assert item["score"] == (0.5 if on_time else 0), (unit, task)
        if done is None:
            assert "截至检查未完成" in item["reason"]
            # the reviewer found the unfinished task unfinished too: some other leaf of the
            # task loses points (a reviewer cell never gives full marks to an open task)
            task_items = items.xs(unit, level="unit")
            of_task = task_items.index.str.fullmatch(rf"T{task}(?:\.\d+|d)?")
            others = task_items[of_task]
            assert (others["lost"] > 0).any(), (unit, task)
    # a task the ledger does not name the unit for is 不适用 for it, never 0
    due = items[items.index.get_level_values("indicator").str.endswith(".due")]
    for (unit, indicator), item in due.iterrows():
        task = indicator[1:].removesuffix(".due")
        if (unit, task) not in named:
            assert not bool(item["applicable"]), (unit, indicator)


def test_langfang_reviewer_and_ledger_agree(seeds4_runs) -> None:
    items = seeds4_runs["langfang"].results.items().set_index(["unit", "indicator"])
    ledger = _csv("langfang", "工作任务台账.csv")
    sheet = _csv("langfang", "评审打分表.csv").set_index("单位")
    by_task = {t: rows.set_index("责任单位") for t, rows in ledger.groupby("任务编号")}
    for unit in sheet.index:
        # RW01 台账 and RW04 调研: the reviewer's 0 is an open ledger task and vice versa
        for task, column in (("RW01", "形成任务台账"), ("RW04", "专题调研")):
            done = by_task[task].loc[unit, "实际完成时间"] != ""
            assert done == (sheet.loc[unit, column] == "1"), (unit, task)
        # RW02 适老化改造 年底前: D5.1.5 from the ledger date (1.5 on time, else 0)
        finished = by_task["RW02"].loc[unit, "实际完成时间"]
        on_time = finished != "" and date.fromisoformat(finished) <= date(2023, 12, 31)
        assert items.loc[(unit, "D5.1.5"), "score"] == (1.5 if on_time else 0), unit
        # no ledger task is charged twice: RW01, RW02, RW04 never appear under D6.3.2
        late_reason = str(items.loc[(unit, "D6.3.2"), "reason"])
        assert not any(t in late_reason for t in ("RW01", "RW02", "RW04")), unit


def test_tancheng_dated_items_follow_the_publication_register(seeds4_runs) -> None:
    items = seeds4_runs["tancheng"].results.items().set_index(["unit", "indicator"])
    register = _csv("tancheng", "限时公开事项登记.csv")
    # I01b 规定时限 3月31日前 (4 points… as the rubric gives), I06a 年底前
    due = {
        "sme_overdue_payment": ("I01b", date(2023, 3, 31)),
        "policy_evaluation_published": ("I06a", date(2023, 12, 31)),
    }
    late_seen = set()
    for _, row in register.iterrows():
        indicator, limit = due[row["指标"]]
        item = items.loc[(row["单位"], indicator)]
        if row["状态"] == "不适用":
            assert not bool(item["applicable"])
            continue
        on_time = row["公开日期"] != "" and date.fromisoformat(row["公开日期"]) <= limit
        assert (item["lost"] == 0) == on_time, (row["单位"], indicator)
        if not on_time:
            late_seen.add(indicator)
    assert late_seen == {"I01b", "I06a"}


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
    lost = scored.groupby("indicator", observed=True)["lost"].max()
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
