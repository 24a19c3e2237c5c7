"""The Excel workbook read back with openpyxl: sheets, values, print setup, safety, reproducibility."""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from test_outputs_sample import sample_results

from zwgk_score.outputs import excel
from zwgk_score.outputs.excel import (
    GRADE_FILLS,
    LOWEST_FILL,
    MISSING_FILL,
    sheet_name,
    write_workbook,
)
from zwgk_score.outputs.textwidth import display_width

SHEETS = [
    "汇总_县区政府",
    "汇总_市直部门",
    "图_县区政府",
    "图_市直部门",
    "指标得分",
    "扣分明细",
    "考核细则",
    "数据_各单位得分",
    "数据_佐证来源",
    "图表数据",
]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("x") / "考核.xlsx"
    write_workbook(sample_results(), path, previous=sample_results(previous=True))
    return path


@pytest.fixture(scope="module")
def wb(book):
    return openpyxl.load_workbook(book)


def rows(ws):
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def raw_header(ws):
    return [c.value for c in ws[2]]


def header(ws):
    """The column names (a printed summary's header sets the points on a line of their own)."""
    return [v.replace("\n", "") if isinstance(v, str) else v for v in raw_header(ws)]


def test_sheet_names(wb):
    assert wb.sheetnames == SHEETS


def test_ranking_sheet_headers_and_values(wb):
    ws = wb["汇总_县区政府"]
    # the title is the assessment's name (here from the rubric title, its period already in it)
    assert ws["A1"].value == "2023年度政务公开工作考核——县区政府考核结果"
    # no bonus, major deduction or veto in this group: those columns are not printed;
    # 缺失指标 is internal and lives on 数据_各单位得分; a header wider than its column is
    # broken into lines, its points on a line of their own (网站建设 / （60分）)
    heads = raw_header(ws)
    for h in heads:
        if "\n" in h and "（" in h:
            *name, points = h.split("\n")
            assert all(len(x) >= 2 for x in name) and points.startswith("（"), h
    assert "网站建设\n（60分）" in heads
    assert [h.replace("\n", "") for h in heads] == [
        "排名",
        "单位",
        "网站建设（60分）",
        "依申请公开（40分）",
        "总分（100分）",
        "等次",
        "折合绩效考核分（5分）",
        "上期排名",
        "排名变化",
    ]
    # 甲县 93 → 93/100 × 5 = 4.65; 乙县 70 → 3.5; =1+1 45 → 2.25
    assert rows(ws) == [
        [1, "甲县", 55, 38, 93, "优秀", 4.65, 2, "↑1"],
        [2, "乙县", 40, 30, 70, "合格", 3.5, 1, "↓1"],
        [3, "=1+1", 45, 0, 45, "不合格", 2.25, 3, "持平"],
    ]
    b = wb["汇总_市直部门"]
    assert header(b)[:7] == [
        "排名",
        "单位",
        "网站建设（60分）",
        "依申请公开（40分）",
        "加分",
        "总分（100分）",
        "等次",
    ]
    # ../x 100 + 2 bonus = 102 (performance capped at the group maximum: 5); 丁局 vetoed
    assert rows(b)[0][:9] == [1, "../x", 60, 40, 2, 102, "优秀", "", 5]
    # as in the notice's ranking: the vetoed unit is listed last, without a place
    assert rows(b)[1][:9] == ["—", "丁局", 55, 35, 0, 90, "不合格", "是", 4.5]


def test_internal_columns_on_the_data_sheet(wb):
    ws = wb["数据_各单位得分"]
    assert header(ws)[-1] == "缺失指标"
    got = {r[2]: r for r in rows(ws)}
    assert got["=1+1"][-1] == 1 and got["甲县"][-1] == 0  # one missing indicator
    assert got["丁局"][10] == "否决（等次定为最低）"
    assert "自评分" not in header(wb["指标得分"])  # nobody assessed itself: no empty column
    # sources (file and row) are kept apart from the 佐证 a leader reads
    assert rows(wb["数据_佐证来源"]) == [["乙县", "D1.1", "栏目未更新", "网站普查"]]
    assert wb["图表数据"].sheet_state == "hidden"


def test_values_match_results(wb):
    res = sample_results()
    for group, sheet in (("a", "汇总_县区政府"), ("b", "汇总_市直部门")):
        table = res.ranking(group)
        got = rows(wb[sheet])
        col = header(wb[sheet]).index("总分（100分）")
        assert [r[1] for r in got] == list(table["unit"])
        assert [r[col] for r in got] == list(table["total"])
        assert [r[col + 1] for r in got] == list(table["grade"])
    items = rows(wb["指标得分"])
    assert len(items) == len(res.items()) == 5 * 5
    assert [r[7] for r in items] == list(res.items()["score"])


def test_deductions_sheet(wb):
    ws = wb["扣分明细"]
    assert header(ws) == [
        "单位",
        "类别",
        "指标编号",
        "测评指标",
        "指标分值",
        "扣分",
        "状态",
        "失分原因",
        "佐证",
    ]
    got = {(r[0], r[2]): r for r in rows(ws)}
    # 甲县 D1.1 (5) D2.1 (2); 乙县 D1.1 D1.2 D2.1; =1+1 D1.1 D1.2 D2.1; 丁局 D1.1 D2.1 X2 → 11 rows
    assert len(got) == 11
    assert got[("乙县", "D1.1")][5] == 10  # 2 × 5
    assert got[("乙县", "D1.1")][8] == "栏目未更新"  # the source is on 数据_佐证来源
    assert got[("=1+1", "D2.1")][6] == "缺失（计0分）"
    assert got[("丁局", "X2")][5] == "单项否决"


def test_rubric_sheet(wb):
    r = rows(wb["考核细则"])
    assert [x[0] for x in r] == ["D1", "D1.1", "D1.2", "D2", "D2.1", "X1", "X2"]
    assert r[1][6] == "栏目未按时更新的，每处扣5分，扣完为止。"
    assert r[1][3] == 40


def test_no_formulas_anywhere(book, wb):
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    assert rows(wb["汇总_县区政府"])[2][1] == "=1+1"
    ded = rows(wb["扣分明细"])
    assert any(r[8] == '=HYPERLINK("x")' for r in ded)
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name)
        # constant_memory writes strings inline, row by row: no shared string table
        assert "xl/sharedStrings.xml" not in z.namelist()
        assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= set(z.namelist())


def test_print_setup(wb):
    for ws in wb:
        if ws.title == "图表数据":
            continue
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert "&P" in ws.oddFooter.center.text
        if ws.title.startswith("汇总_"):
            # a summary prints at a fixed scale sized to one page wide, never below 70 %
            assert not ws.sheet_properties.pageSetUpPr.fitToPage
            assert 70 <= int(ws.page_setup.scale or 100) <= 100
        else:
            assert ws.sheet_properties.pageSetUpPr.fitToPage
        if ws.title.startswith("图_"):
            # one chart on one page
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight in (None, 1)
            assert len(ws._charts) == 1 or ws.print_area
        elif not ws.title.startswith("汇总_"):
            # one page wide (fitToWidth defaults to 1 when omitted), any number of pages tall
            assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        if not ws.title.startswith("图_"):
            assert ws.print_title_rows == "$1:$2"
            assert ws.freeze_panes in ("B3", "C3", "D3")
            assert ws.auto_filter.ref == f"A2:{get_column_letter(ws.max_column)}{ws.max_row}"


def test_print_scale_follows_the_widths():
    # widths stored with 0.71 of padding each: 10 columns of 10 → 107.1; 109 ÷ 107.1 → 100 %
    assert excel.print_scale([10.0] * 10) == 100
    # 15 columns of 10 → 160.65 stored; ⌊109 × 100 ÷ 160.65⌋ = 67
    assert excel.print_scale([10.0] * 15) == 67


def test_wrapped_cells_have_row_heights(book):
    """LibreOffice/WPS do not grow rows: wrapped headers and long wrapped cells carry a height."""
    with zipfile.ZipFile(book) as z:
        summary = z.read("xl/worksheets/sheet1.xml").decode()
        rubric = z.read("xl/worksheets/sheet7.xml").decode()
    # header row 2 of the summary: the widest header 折合绩效考核分（5分） (21 columns) wraps
    # in its 9-wide column (⌈21 ÷ 5⌉ + 2 = 7, at least （5分） = 7 + 2 = 9): ⌈21 ÷ (9 × 0.95 − 1.5)⌉
    # = 3 lines of 15 pt + 3 pt = 48 pt
    assert re.search(r'<row r="2"[^>]* ht="48"[^>]*customHeight="1"', summary)
    # the rubric's 评分说明 column is sized to its longest text (39 + 2): no row needs a height
    assert not re.search(r'<row r="[3-9]"[^>]* ht=', rubric)


def test_chart_per_group_with_grade_lines(book):
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        chart = z.read("xl/charts/chart1.xml").decode()
    assert {"xl/charts/chart1.xml", "xl/charts/chart2.xml"} <= set(names)
    # grade lines at 90, 75 and 60 (the lowest grade has none), a line series each
    assert "<c:lineChart>" in chart and chart.count("<c:ser>") == 1 + 3
    for name in ("优秀线（90分）", "良好线（75分）", "合格线（60分）"):
        assert name in chart
    chart2 = zipfile.ZipFile(book).read("xl/charts/chart2.xml").decode()
    assert excel.VETO_COLOUR[1:] in chart2  # 丁局 is vetoed: its bar is dark red


def test_cjk_column_widths(wb):
    ws = wb["扣分明细"]
    reason_col = header(ws).index("失分原因") + 1
    letter = get_column_letter(reason_col)
    # CJK counts double: 8 + 3 + 10 + 3 + 14 = 38 columns
    assert display_width("发现问题 2 处，每处扣 5 分；栏目未更新") == 38
    longest = max(display_width(r[reason_col - 1] or "") for r in rows(ws))
    # the veto reason 触发单项否决，等次直接定为最低档；网站无法访问 has 23 wide characters
    assert longest == 46
    assert ws.column_dimensions[letter].width >= longest + 2
    # a long header wraps over up to five lines instead of widening its column
    assert wb["汇总_县区政府"].column_dimensions["G"].width == pytest.approx(9.71, abs=0.01)


def fill(cell) -> str:
    return "#" + cell.fill.fgColor.rgb[-6:]


def test_grade_and_missing_colours(wb):
    ws = wb["汇总_县区政府"]
    assert fill(ws["F3"]) == GRADE_FILLS[0]  # 甲县 优秀
    assert fill(ws["F5"]) == LOWEST_FILL  # =1+1 不合格
    items = wb["指标得分"]
    flagged = [r for r in items.iter_rows(min_row=3) if r[9].value == "缺失（计0分）"]
    assert len(flagged) == 1 and all(fill(c) == MISSING_FILL for c in flagged[0])


def test_byte_identical_across_runs(tmp_path, monkeypatch):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(sample_results(), a)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400)  # a "later" run
    write_workbook(sample_results(), b)
    assert a.read_bytes() == b.read_bytes()


def test_small_workbook_packaged_in_memory_with_the_same_parts(tmp_path, monkeypatch):
    """In memory (small) or from temporary files (large): the same parts, only the entry dates differ."""
    small = write_workbook(sample_results(), tmp_path / "small.xlsx")
    monkeypatch.setattr(excel, "PACK_IN_MEMORY_ITEMS", -1)  # as a national workbook is packaged
    large = write_workbook(sample_results(), tmp_path / "large.xlsx")
    with zipfile.ZipFile(small) as a, zipfile.ZipFile(large) as b:
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        assert all(a.read(i) == b.read(i.filename) for i in a.infolist())
        assert {i.date_time for i in a.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.date_time for i in b.infolist()} == {(1980, 1, 31, 0, 0, 0)}
    leftovers = [p.name for p in tmp_path.iterdir()]
    assert sorted(leftovers) == ["large.xlsx", "small.xlsx"]


def test_creation_time(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = write_workbook(sample_results(), tmp_path / "a.xlsx")
    assert openpyxl.load_workbook(path).properties.created == dt.datetime(2023, 12, 31)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    path = write_workbook(sample_results(), tmp_path / "b.xlsx")
    assert openpyxl.load_workbook(path).properties.created == dt.datetime(2023, 11, 14, 22, 13, 20)


def test_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "考核.xlsx"
    target.write_bytes(b"old")

    def boom(results, items=None, **kwargs):
        raise RuntimeError("midway")

    monkeypatch.setattr(excel, "deductions_part", boom)  # after the ranking sheets are written
    with pytest.raises(RuntimeError):
        write_workbook(sample_results(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["考核.xlsx"]


@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_sheet_names_legal_and_unique(names):
    used: set[str] = set()
    out = [sheet_name(n, used) for n in names]
    assert len({o.casefold() for o in out}) == len(out)
    for o in out:
        assert 0 < len(o) <= 31
        assert not set(o) & set("[]:*?/\\")
        assert not o.startswith("'")


def test_domain_maximum_is_per_group():
    import copy

    from test_outputs_sample import RUBRIC

    from zwgk_score.outputs.tables import ranking_frame

    rubric = copy.deepcopy(RUBRIC)
    rubric["domains"][0]["indicators"][1]["groups"] = ["a"]  # 网站标识 (20) only for 县区政府
    res = sample_results(rubric=rubric)
    a, b = ranking_frame(res, "a"), ranking_frame(res, "b")
    assert "网站建设（60分）" in a.columns  # 40 + 20
    assert "网站建设（40分）" in b.columns  # 40 only
    # 丁局: 35 + 35 of 80 applicable → 87.5 rescaled to 100 → 87.5 / 100 × 5 = 4.375 → 4.38
    assert b.loc[b["单位"] == "丁局", "折合绩效考核分（5分）"].item() == 4.38


@given(st.text())
def test_display_width_bounds(text):
    # every character takes one or two columns; ASCII exactly one
    assert len(text) <= display_width(text) <= 2 * len(text)
    if text.isascii():
        assert display_width(text) == len(text)


def test_detail_sheets_split_instead_of_truncating(tmp_path, monkeypatch):
    """Beyond Excel's row limit the detail goes on in 指标得分（2）… — no row is ever dropped."""
    results = sample_results()
    n_items = len(results.items())
    monkeypatch.setattr(excel, "MAX_DATA_ROWS", 4)
    path = write_workbook(results, tmp_path / "big.xlsx")
    book = openpyxl.load_workbook(path)
    parts = [n for n in book.sheetnames if n.startswith("指标得分")]
    assert len(parts) == -(-n_items // 4)  # ceil(items / 4 rows per sheet)
    assert parts[1] == "指标得分（2）"
    written = sum(book[n].max_row - 2 for n in parts)  # minus the title and header rows
    assert written == n_items
    assert "第 1 部分" in book[parts[0]]["A1"].value
