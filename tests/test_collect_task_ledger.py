"""Collector ``task_ledger`` (工作任务台账) on tests/fixtures/collect/task_ledger.csv.

Inspection date 2023-12-31:

- (1) 市发改委、市教育局, due 06-30, done 06-28 → on time for both units.
- (2) 市发改委, 10月中旬 = 2023-10-20 (Fri), done Wed 10-25 → 5 calendar days late,
  working days 23, 24, 25 Oct = 3.
- (3) 市教育局, 年底 = 2023-12-31, not done at the inspection date → late (due that very day:
  the evidence says so, never "逾期 0 天").
- (4) 市民政局, 2023年5月底 = 05-31, not done → 214 calendar days; working days by month:
  Jun 22 weekdays − 22/23 Jun + Sun 25 Jun = 21, Jul 21, Aug 23, Sep 21 − 29 Sep = 20,
  Oct 22 − 2..6 Oct + 7/8 Oct = 19, Nov 22, Dec 21 → 147.
- (5) 市民政局, 持续推进 → never due.  (6) 市教育局, due 2024-03-31, open → not due yet.
- (7) 市民政局, due 2024-03-31, done early → due and on time.
- (8) 市民政局, 3月上旬 = 03-10, done 03-10 → on time.

On-time ratios: 发改委 (1) of (1)(2) = 1/2; 教育局 (1) of (1)(3) = 1/2; 民政局 (7)(8) of (4)(7)(8) = 2/3.
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_collect_tables import make_ctx, write_csv

from zwgk_score.collect.task_ledger import TaskLedgerCollector
from zwgk_score.errors import DataError


@pytest.fixture
def rows():
    return TaskLedgerCollector().collect({"file": "task_ledger.csv"}, make_ctx())


def test_late_rows(rows):
    late = rows[rows["key"] == "task_late"]
    assert late["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert late["text"].tolist() == ["逾期完成", "未完成", "未完成"]
    assert late["evidence"].tolist() == [
        "任务 (2)「政策解读」：完成时限 2023-10-20，2023-10-25 完成，逾期 5 天（3 个工作日）",
        "任务 (3)「平台整改」：完成时限 2023-12-31，截至 2023-12-31 未完成（时限当日检查时仍未完成，按逾期计）",
        "任务 (4)「依申请公开」：完成时限 2023-05-31，截至 2023-12-31 未完成，逾期 214 天（147 个工作日）",
    ]
    assert late["source"].tolist() == [
        "task_ledger.csv:3",
        "task_ledger.csv:4",
        "task_ledger.csv:5",
    ]


def test_on_time_ratio(rows):
    r = rows[rows["key"] == "task_on_time"]
    assert r["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert r["value"].tolist() == pytest.approx([0.5, 0.5, 2 / 3])
    assert (
        r["evidence"].iat[2]
        == "任务 4 项，到期或已完成 3 项，按时完成 2 项；未到期 0 项、持续推进 1 项不计"
    )
    assert (
        r["evidence"].iat[1]
        == "任务 3 项，到期或已完成 2 项，按时完成 1 项；未到期 1 项、持续推进 0 项不计"
    )


def test_unit_without_due_tasks_is_na(tmp_path):
    write_csv(
        tmp_path / "t.csv", "任务编号,责任单位,完成时限,完成时间\n1,市发改委,2023-05-01,2023-04-30"
    )
    r = TaskLedgerCollector().collect(
        {"file": "t.csv", "keys": {"on_time": "R"}}, make_ctx(tmp_path)
    )
    assert r["status"].tolist() == ["ok", "na", "na"]
    assert r["value"].iat[0] == 1.0 and pd.isna(r["value"].iat[1])


@pytest.mark.parametrize(
    ("deadline", "message"),
    [("下半年", "无法识别的完成时限「下半年」"), ("13月底", "无法识别的完成时限「13月底」")],
)
def test_bad_deadline(tmp_path, deadline, message):
    write_csv(tmp_path / "t.csv", f"任务编号,责任单位,完成时限,完成时间\n1,市发改委,{deadline},")
    with pytest.raises(DataError) as err:
        TaskLedgerCollector().collect({"file": "t.csv"}, make_ctx(tmp_path))
    assert message in err.value.message
    assert err.value.path == "第 2 行，列 完成时限"


def test_unknown_unit_in_multi_unit_cell(tmp_path):
    write_csv(
        tmp_path / "t.csv",
        "任务编号,责任单位,完成时限,完成时间\n1,市发改委,年底,\n2,市发改委；市财政局,年底,",
    )
    with pytest.raises(DataError) as err:
        TaskLedgerCollector().collect({"file": "t.csv"}, make_ctx(tmp_path))
    assert "单位「市财政局」不在单位名单中" in err.value.message
    assert err.value.path == "第 3 行，列 责任单位"


def test_duplicate_task_for_same_unit(tmp_path):
    write_csv(
        tmp_path / "t.csv",
        "任务编号,责任单位,完成时限,完成时间\n1,市发改委,年底,\n1,市教育局、市发改委,年底,",
    )
    with pytest.raises(DataError) as err:
        TaskLedgerCollector().collect({"file": "t.csv"}, make_ctx(tmp_path))
    assert err.value.path == "第 3 行，列 任务编号"


def test_deadlines_written_with_qian_as_in_the_plans(tmp_path):
    """「2022年底前」「10月底前」「5月底前」 as the plans write them: 前 changes nothing."""
    import pandas as pd

    from zwgk_score.collect.tables import Records
    from zwgk_score.collect.task_ledger import parse_deadlines

    text = pd.Series(
        ["2022年底前", "10月底前", "5月底前", "2022年10月中旬前", "持续推进"], dtype=object
    )
    records = Records(
        pd.DataFrame({"_row": range(2, 7)}), tmp_path / "ledger.csv", {"deadline": "完成时限"}
    )
    deadline, ongoing = parse_deadlines(records, text, 2022)
    assert [d.date().isoformat() if pd.notna(d) else None for d in deadline] == [
        "2022-12-31",
        "2022-10-31",
        "2022-05-31",
        "2022-10-20",
        None,
    ]
    assert ongoing.tolist() == [False, False, False, False, True]
