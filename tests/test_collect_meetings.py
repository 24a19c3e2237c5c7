"""Collector ``meetings`` (会议列席) on tests/fixtures/collect/meetings.csv, year 2023.

- 市发改委: 03-01 and 05-12 attended; 06-01 列席人员 = 无 → 2.
- 市教育局: 2023-11-08 attended → 1; the 2022-12-20 meeting is another year (not counted, noted).
- 市民政局: no records → 0 (a row all the same, so the indicator is not missing).
"""

from __future__ import annotations

import pytest
from test_collect_tables import make_ctx, write_csv

from zwgk_score.collect.meetings import MeetingsCollector
from zwgk_score.errors import DataError


@pytest.fixture
def rows():
    return MeetingsCollector().collect(
        {"file": "meetings.csv", "keys": {"attended": "D2.3"}}, make_ctx()
    )


def test_counts_per_roster_unit(rows):
    assert rows["unit"].tolist() == ["市发改委", "市教育局", "市民政局"]
    assert rows["key"].tolist() == ["D2.3"] * 3
    assert rows["value"].tolist() == [2, 1, 0]
    assert rows["status"].tolist() == ["ok"] * 3


def test_evidence_lists_dates(rows):
    assert (
        rows["evidence"].iat[0]
        == "2023年公众代表、媒体等列席会议 2 次：2023-03-01「党组会」、2023-05-12「主任办公会」"
    )
    assert rows["evidence"].iat[1].endswith("（另有非本年度会议 1 条，未计）")
    assert rows["evidence"].iat[2] == "2023年无公众代表、媒体等列席会议的记录"
    assert rows["source"].tolist() == [
        "meetings.csv:3; meetings.csv:2",
        "meetings.csv:5",
        "meetings.csv",
    ]


def test_without_attendance_column_every_meeting_counts(tmp_path):
    write_csv(tmp_path / "m.csv", "单位,会议日期\n市民政局,2023-01-05\n市民政局,2023-02-05")
    rows = MeetingsCollector().collect({"file": "m.csv"}, make_ctx(tmp_path))
    assert rows["key"].iat[0] == "meeting_attendance"
    assert rows["value"].tolist() == [0, 0, 2]


def test_bad_date(tmp_path):
    write_csv(tmp_path / "m.csv", "单位,会议日期\n市民政局,2023-01-05\n市民政局,五月")
    with pytest.raises(DataError) as err:
        MeetingsCollector().collect({"file": "m.csv"}, make_ctx(tmp_path))
    assert err.value.path == "第 3 行，列 会议日期"


def test_label_sets_the_evidence_wording(tmp_path):
    """The same register serves 开放活动 etc.: label changes the wording, not the count."""
    from test_collect_tables import make_ctx, write_csv

    from zwgk_score.collect.meetings import MeetingsCollector

    write_csv(tmp_path / "open.csv", "单位,会议日期,会议名称\n甲局,2023-05-10,政府开放日\n")
    rows = (
        MeetingsCollector()
        .collect(
            {"file": "open.csv", "label": "开展政府开放活动"},
            make_ctx(tmp_path, units=("甲局", "乙局")),
        )
        .set_index("unit")
    )
    assert rows.loc["甲局", "value"] == 1.0
    assert rows.loc["甲局", "evidence"].startswith("2023年开展政府开放活动 1 次：2023-05-10")
    assert rows.loc["乙局", "evidence"] == "2023年无开展政府开放活动的记录"
