"""The workbook's 历年对比 sheet and 趋势 charts (outputs/excel_history.py), from a small history.

One group of 16 units (more than MAX_LINES, so the chart shows the group's
average, highest and lowest total): unit k (1–16) has k·5 − 5 points lost on
one indicator of 100 points, so 2023 totals are 100, 95, …, 25 and ranks 1–16.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from zwgk_score import score
from zwgk_score.outputs.excel import write_workbook
from zwgk_score.outputs.excel_history import MAX_LINES
from zwgk_score.outputs.periods import PeriodHistory, PeriodResult
from zwgk_score.outputs.site.trend import TrendPoint
from zwgk_score.rubric import parse_rubric

UNITS = [f"{k:02d}镇" for k in range(1, 17)]


@pytest.fixture(scope="module")
def results():
    rubric = parse_rubric(
        {
            "meta": {
                "id": "r",
                "title": "示例细则",
                "issuer": "某县人民政府办公室",
                "year": 2023,
                "performance_share": 5,
            },
            "grades": [{"name": "合格", "min": 60}, {"name": "不合格", "min": 0}],
            "groups": [{"id": "town", "name": "乡镇"}],
            "domains": [
                {
                    "id": "web",
                    "name": "网站建设",
                    "points": 100,
                    "indicators": [
                        {
                            "id": "W1",
                            "name": "栏目更新",
                            "points": 100,
                            "method": "deduction",
                            "params": {"per": 5},
                        }
                    ],
                }
            ],
        }
    )
    data = pd.DataFrame(
        {"unit": UNITS, "key": ["W1"] * 16, "value": list(range(16)), "evidence": [""] * 16}
    )
    return score(rubric, data, pd.DataFrame({"unit": UNITS, "group": ["town"] * 16}))


def earlier(period: str, shift: int) -> PeriodResult:
    """Ranks rotated by ``shift`` (unit k ranked (k − 1 + shift) mod 16 + 1), total 100 − 2·(rank − 1)."""
    from zwgk_score.outputs.notice import period_label

    label = period_label(period, int(period[:4]))
    points = {}
    for k, u in enumerate(UNITS):
        rank = (k + shift) % 16 + 1
        grade = "合格" if rank <= 12 else "不合格"
        points[u] = TrendPoint(label, 100.0 - 2 * (rank - 1), rank, grade, group="town")
    return PeriodResult(period, label, "r-old", {"town": ("乡镇", 100.0)}, points)


def test_history_sheet_and_the_summary_chart(results, tmp_path):
    from zwgk_score.loop.history import current_period

    hist = PeriodHistory([earlier("2021", 0), earlier("2022", 1)], current_period(results))
    path = write_workbook(results, tmp_path / "x.xlsx", history=hist, history_periods=5)
    wb = openpyxl.load_workbook(path)
    ws = wb["历年对比"]
    assert [ws.cell(2, c).value for c in (1, 2, 3, 6, 9, 12)] == [
        "类别",
        "单位",
        "2021年度",
        "2022年度",
        "2023年度",
        "较上年排名",
    ]
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(3, 13)] for r in range(4, 20)}
    assert list(rows) == UNITS  # this year's ranking order
    # 01镇: 2021 rank 1 (100), 2022 rank 2 (98), 2023 rank 1 (100): 提升1位
    assert rows["01镇"] == [100, "合格", 1, 98, "合格", 2, 100, "合格", 1, "提升1位"]
    # 16镇: 2022 rank (15 + 1) mod 16 + 1 = 1 (100), 2023 rank 16 (25): 下降15位
    assert rows["16镇"][3:] == [100, "合格", 1, 25, "不合格", 16, "下降15位"]
    assert ws.print_title_rows == "$1:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.freeze_panes == "C4"
    # 16 > MAX_LINES units: the chart plots the group's average, highest and lowest total
    assert len(UNITS) > MAX_LINES
    data = wb["历年图表数据"]
    assert [data.cell(1, c).value for c in range(1, 5)] == [
        "期别",
        "本类别单位平均分",
        "最高分",
        "最低分",
    ]
    # 2021 and 2022: 100, 98, …, 70 → mean 85; 2023: 100, 95, …, 25 → mean 62.5
    assert [data.cell(r, 2).value for r in (2, 3, 4)] == [85, 85, 62.5]
    assert [data.cell(4, c).value for c in (3, 4)] == [100, 25]
    assert "趋势_乡镇" in wb.sheetnames and data.sheet_state == "hidden"


def test_history_periods_limits_the_columns(results, tmp_path):
    from zwgk_score.loop.history import current_period

    hist = PeriodHistory([earlier("2021", 0), earlier("2022", 1)], current_period(results))
    wb = openpyxl.load_workbook(
        write_workbook(results, tmp_path / "y.xlsx", history=hist, history_periods=2)
    )
    ws = wb["历年对比"]
    assert [ws.cell(2, c).value for c in (3, 6, 9)] == ["2022年度", "2023年度", "较上年排名"]


def test_no_history_no_sheets(results, tmp_path):
    from zwgk_score.loop.history import current_period

    quarters_only = PeriodHistory([earlier("2022Q4", 0)], current_period(results))
    for history in (None, quarters_only):  # no earlier year: nothing to put side by side
        wb = openpyxl.load_workbook(write_workbook(results, tmp_path / "z.xlsx", history=history))
        assert not {"历年对比", "历年图表数据"} & set(wb.sheetnames)
        assert not any(n.startswith("趋势_") for n in wb.sheetnames)
