"""Collector ``disclosure_requests`` (依申请公开) on an XLSX register written in the test.

Period 2023-01-01 .. 2023-12-31, limit 20 working days (40 when 延期):

- Y01 市发改委 received Tue 01-10, replied Tue 02-07. Spring Festival 21–27 Jan off, 28 and
  29 Jan make-up days: Jan 11–13 (3), 16–20 (8), 28–29 (10), 30–31 (12), Feb 1–3 (15),
  Feb 6–7 (17) → 17, on time.
- Y02 市发改委 received 01-10, replied Tue 02-14: 17 + Feb 8–10 (20) + 13–14 = 22 > 20 → late;
  also corrected on review.
- Y03 市教育局 received Wed 09-20, replied Tue 10-31, extended: Sep 21–22 (2), 25–28 (6),
  29 Sep–6 Oct off, 7–8 Oct make-up (8), Oct 9–13 (13), 16–20 (18), 23–27 (23), 30–31 (25)
  → 25 ≤ 40, on time (late if it had not been extended).
- Y04 市教育局 received Fri 12-01, unanswered at 12-31: four full weeks → 20, not late yet.
- Y05 市民政局 received Mon 11-20, unanswered: Nov 21–24 (4), then five weeks of 5 → 29 > 20, late.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from test_collect_tables import make_ctx, write_xlsx

from zwgk_score.collect.disclosure import DisclosureRequestsCollector
from zwgk_score.errors import ConfigError, DataError

HEADER = ["办理单位", "申请编号", "收到日期", "答复日期", "是否延期", "复议诉讼纠错"]
ROWS = [
    ["市发改委", "Y01", datetime(2023, 1, 10), datetime(2023, 2, 7), "否", None],
    ["市发改委", "Y02", datetime(2023, 1, 10), "2023-02-14", None, "是"],
    ["市教育局", "Y03", "2023/9/20", "2023年10月31日", "是", "否"],
    ["市教育局", "Y04", "2023-12-01", None, None, None],
    ["市民政局", "Y05", "2023-11-20", None, None, None],
]
COLUMNS = {
    "unit": "办理单位",
    "id": "申请编号",
    "extended": "是否延期",
    "corrected": "复议诉讼纠错",
}


@pytest.fixture
def rows(tmp_path):
    write_xlsx(tmp_path / "申请.xlsx", [HEADER, *ROWS], sheet="登记")
    settings = {"file": "申请.xlsx", "sheet": "登记", "columns": COLUMNS}
    return DisclosureRequestsCollector().collect(settings, make_ctx(tmp_path))


def test_timeliness(rows):
    t = rows[rows["key"] == "request_timeliness"]
    assert t["value"].tolist() == [17, 22, 25, 20, 29]
    assert t["text"].tolist() == ["", "", "", "未答复", "未答复"]
    assert (
        t["evidence"].iat[2]
        == "申请 Y03：2023-09-20 收到，2023-10-31 答复，用时 25 个工作日（时限 40 个工作日，已延期）"
    )
    assert t["source"].iat[0] == "申请.xlsx:2"


def test_late_and_corrected(rows):
    late = rows[rows["key"] == "request_late"]
    assert late["unit"].tolist() == ["市发改委", "市民政局"]  # Y02 and Y05
    assert late["text"].tolist() == ["超期", "未答复"]
    corrected = rows[rows["key"] == "request_corrected"]
    assert corrected["source"].tolist() == ["申请.xlsx:3"]  # Y02
    assert corrected["value"].tolist() == [1]


def test_limit_settings(tmp_path):
    write_xlsx(tmp_path / "a.xlsx", [HEADER, *ROWS])
    settings = {
        "file": "a.xlsx",
        "columns": COLUMNS,
        "limit": 15,
        "extended_limit": 24,
        "keys": {"late": "L"},
    }
    rows = DisclosureRequestsCollector().collect(settings, make_ctx(tmp_path))
    # 15: Y01 (17), Y02 (22), Y04 (20), Y05 (29) late; extended Y03 25 > 24 late too.
    assert set(rows["key"]) == {"L"}
    assert len(rows) == 5


def test_without_optional_columns(tmp_path):
    write_xlsx(tmp_path / "a.xlsx", [HEADER[:4], *(r[:4] for r in ROWS)])
    settings = {"file": "a.xlsx", "columns": {"unit": "办理单位", "id": "申请编号"}}
    rows = DisclosureRequestsCollector().collect(settings, make_ctx(tmp_path))
    # No 延期 column: Y03's 25 days are over 20 → late; no corrected rows.
    assert rows[rows["key"] == "request_late"]["source"].tolist() == [
        "a.xlsx:3",
        "a.xlsx:4",
        "a.xlsx:6",
    ]
    assert "request_corrected" not in set(rows["key"])
    with pytest.raises(ConfigError) as err:
        DisclosureRequestsCollector().collect(
            settings | {"keys": {"corrected": "C"}}, make_ctx(tmp_path)
        )
    assert err.value.path == "collectors.disclosure_requests.keys.corrected"


def test_bad_rows(tmp_path):
    bad = [*ROWS[:2], ["市教育局", "Y01", "2023-03-01", "2023-03-02", None, None]]
    write_xlsx(tmp_path / "a.xlsx", [HEADER, *bad])
    with pytest.raises(DataError) as err:
        DisclosureRequestsCollector().collect(
            {"file": "a.xlsx", "columns": COLUMNS}, make_ctx(tmp_path)
        )
    assert err.value.path == "第 4 行，列 申请编号"
    assert "与第 2 行相同" in err.value.message
    write_xlsx(
        tmp_path / "b.xlsx", [HEADER, ["市教育局", "Y9", "2023-03-01", "2023-02-27", None, None]]
    )
    with pytest.raises(DataError) as err:
        DisclosureRequestsCollector().collect(
            {"file": "b.xlsx", "columns": COLUMNS}, make_ctx(tmp_path)
        )
    assert err.value.path == "第 2 行，列 答复日期"
