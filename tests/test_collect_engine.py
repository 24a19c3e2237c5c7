"""The built-in collectors' rows feed the scoring engine as the rubric methods expect."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from test_collect_tables import UNITS, make_ctx, write_csv

from zwgk_score.collect.generic import TableCollector
from zwgk_score.collect.hotline import HotlineCollector
from zwgk_score.collect.meetings import MeetingsCollector
from zwgk_score.collect.task_ledger import TaskLedgerCollector
from zwgk_score.engine import score
from zwgk_score.rubric import parse_rubric

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RUBRIC = """
[meta]
id = "collect-test"
title = "采集器联调"
issuer = "测试"
year = 2023
performance_share = 5.0

[[grades]]
name = "合格"
min = 60
[[grades]]
name = "不合格"
min = 0

[[groups]]
id = "dept"
name = "市直部门"

[[domains]]
id = "D1"
name = "全部"
points = 100
  [[domains.indicators]]
  id = "H1"
  name = "留言按时答复"
  points = 10
  method = "timeliness"
  data = "hl_time"
  params = { limit = 5, mode = "ratio" }
  [[domains.indicators]]
  id = "H2"
  name = "留言答复率"
  points = 10
  method = "ratio"
  data = "hl_rate"
  [[domains.indicators]]
  id = "H3"
  name = "超期答复"
  points = 10
  method = "deduction"
  data = "hl_late"
  params = { per = 2 }
  [[domains.indicators]]
  id = "T1"
  name = "任务逾期"
  points = 10
  method = "deduction"
  data = "task_late"
  params = { per = 5 }
  [[domains.indicators]]
  id = "M1"
  name = "公众列席"
  points = 10
  method = "count"
  data = "meeting_attendance"
  params = { target = 2 }
  [[domains.indicators]]
  id = "R1"
  name = "评审打分"
  points = 50
  method = "manual"
"""


@pytest.fixture
def results(tmp_path):
    ctx = make_ctx()
    write_csv(tmp_path / "r.csv", "单位,数值\n市发改委,40\n市教育局,45\n市民政局,50")
    keys = {"timeliness": "hl_time", "reply_rate": "hl_rate", "overdue": "hl_late"}
    data = pd.concat(
        [
            HotlineCollector().collect({"file": "hotline.csv", "keys": keys}, ctx),
            TaskLedgerCollector().collect(
                {"file": "task_ledger.csv", "keys": {"late": "task_late"}}, ctx
            ),
            MeetingsCollector().collect({"file": "meetings.csv"}, ctx),
            TableCollector().collect({"file": str(tmp_path / "r.csv"), "key": "R1"}, ctx),
        ],
        ignore_index=True,
    )
    rubric = parse_rubric(tomllib.loads(RUBRIC))
    roster = pd.DataFrame({"unit": list(UNITS), "group": "dept"})
    return score(rubric, data, roster)


def test_scores(results):
    totals = results.summary.set_index("unit")["total"]
    # 市发改委: H1 1 of 2 on time → 5; H2 0.5 → 5; H3 one overdue → 10 − 2 = 8;
    #   T1 task (2) late → 10 − 5 = 5; M1 2 of 2 → 10; R1 40. Total 73.
    assert totals["市发改委"] == pytest.approx(73)
    # 市教育局: H1 2 of 3 → 6.667; H2 1.0 → 10; H3 → 8; T1 task (3) → 5; M1 1 of 2 → 5; R1 45
    #   → 79.667 → 79.67.
    assert totals["市教育局"] == pytest.approx(79.67)
    # 市民政局: no messages: H1 no rows (ratio mode) → 10, H2 na (not applicable, 90 points left),
    #   H3 → 10; T1 task (4) → 5; M1 0 → 0; R1 50 → 75 of 90 × 100 = 83.33.
    assert totals["市民政局"] == pytest.approx(83.33)
