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
