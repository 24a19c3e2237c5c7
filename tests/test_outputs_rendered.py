"""The workbook and the feedback sheets as printed: rendered with LibreOffice and read back.

One example (xx市, 25 units in four groups) is run once; its workbook's summary sheets must
print one page wide at 70 % or more, and a typical unit's feedback sheet (the unit with the
median number of lost items) must fit one A4 page in both XLSX and DOCX.
"""

from __future__ import annotations

import re
import statistics
import zipfile
from pathlib import Path

import openpyxl
import pytest
from rendering import page_count, page_texts, require_renderer, to_pdf

from zwgk_score.outputs.feedback import COLUMNS
from zwgk_score.run import run_assessment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "xxshi"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    require_renderer()
    folder = tmp_path_factory.mktemp("xxshi")
    run_assessment(EXAMPLE, output=folder)
    return folder


def test_summary_sheets_print_one_page_wide_at_70_percent(out, tmp_path):
    book = out / "考核结果.xlsx"
    wb = openpyxl.load_workbook(book)
    summaries = [ws for ws in wb if ws.title.startswith("汇总_")]
    assert len(summaries) == 4
    with zipfile.ZipFile(book) as z:
        for k, ws in enumerate(summaries, start=1):
            xml = z.read(f"xl/worksheets/sheet{k}.xml").decode()
            scale = int(re.search(r'<pageSetup[^>]* scale="(\d+)"', xml).group(1))
            assert 70 <= scale <= 100, ws.title
            assert "fitToPage" not in xml  # a fixed scale, not "shrink to fit"
    pages = page_texts(to_pdf(book, tmp_path))
    # the summaries come first, each on exactly one page: its title, then its last column
    for k, ws in enumerate(summaries):
        title = ws["A1"].value
        last = [c.value for c in ws[2]][-1]
        page = re.sub(r"\s+", "", pages[k])
        assert re.sub(r"\s+", "", title) in page
        assert re.sub(r"\s+", "", last)[:4] in page, f"{ws.title}: last column not on its page"
        # every unit of the group is on that page (no second page)
        for row in ws.iter_rows(min_row=3, values_only=True):
            assert re.sub(r"\s+", "", str(row[1]))[:4] in page
    # then one chart per group, each on its own page
    for k, ws in enumerate(summaries):
        group = ws.title.removeprefix("汇总_")
        chart_page = re.sub(r"\s+", "", pages[len(summaries) + k])
        assert f"{re.sub(r'[()（）]', '', group)}总分" in re.sub(r"[()（）]", "", chart_page)
        assert "合格线（60分）" in chart_page


def _typical_unit(out: Path) -> str:
    counts = {}
    for path in sorted((out / "反馈单").glob("*.xlsx")):
        ws = openpyxl.load_workbook(path).active
        counts[path.stem] = sum(isinstance(r[0], int) for r in ws.iter_rows(values_only=True))
    median = statistics.median_low(counts.values())
    return next(stem for stem, n in counts.items() if n == median)


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_typical_feedback_sheet_is_one_page(out, tmp_path, suffix):
    stem = _typical_unit(out)
    pdf = to_pdf(out / "反馈单" / f"{stem}{suffix}", tmp_path)
    assert page_count(pdf) == 1, stem
    page = page_texts(pdf)[0]
    text = re.sub(r"\s+", "", page)
    for words in ("得分说明", "失分原因", "整改时限", "整改情况", "盖章", "联系电话"):
        assert words in text
    # every column head on one line (a narrow 序号 column printed 序 above 号)
    head = next(line for line in page.splitlines() if "测评指标" in line)
    assert re.findall(r"\S+", head) == list(COLUMNS)
