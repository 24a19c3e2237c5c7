"""A ranking table wider than the page is squeezed into the text area (rendered by LibreOffice).

Ten 一级指标 with 适用分值, 加分, 重大扣分, 总分, 等次 and 折合分 make 18 columns; at
the smallest regular size (小五) with 1 mm cell margins their least widths add up to
714.6 pt, while a landscape page's text area is 297 − 37 − 35 = 225 mm = 637.8 pt.
Before the fix the table ran 13 mm into each side margin and the page number,
printed sideways in the left margin 20–28 mm from the edge, sat on the 排名 column.
"""

from __future__ import annotations

import datetime as dt

import pytest
from docx.shared import Mm
from rendering import to_pdf, word_boxes

from zwgk_score.outputs import docx_render as d
from zwgk_score.outputs.mdblocks import parse_blocks

MM = 72 / 25.4
#: the landscape text area, in points from the sheet's left edge (bottom margin 35 mm on
#: the left, top margin 37 mm on the right: the sheet turned, binding side on top)
LEFT, RIGHT = 35 * MM, (297 - 37) * MM
HEADERS = (
    ["排名", "单位"]
    + [f"一级指标{i}（{'10' if i % 3 else '9.5'}）" for i in range(1, 11)]
    + ["适用分值", "加分", "重大扣分", "总分（100）", "等次", "折合分（5）"]
)


def wide_notice(rows: int = 24) -> str:
    body = []
    for i in range(rows):
        grade = "不合格（否决）" if i == rows - 1 else "合格"
        cells = [str(i + 1), f"单位{i:06d}", *["7.27"] * 10, "94.00", "1.00", "0.00", "79.36"]
        body.append("| " + " | ".join([*cells, grade, "3.97"]) + " |")
    head = "| " + " | ".join(HEADERS) + " |"
    delim = "|" + "|".join("---" if h in ("单位", "等次") else "---:" for h in HEADERS) + "|"
    return (
        "# 关于考核结果的通报\n\n正文。\n\n---\n\n<!-- attachment landscape -->\n附件\n\n"
        "## 考核结果排名\n\n" + "\n".join([head, delim, *body]) + "\n"
    )


def test_the_least_widths_exceed_the_landscape_text_area_at_the_regular_sizes():
    (table,) = [c for b in parse_blocks(wide_notice()) for c in b.children if c.kind == "table"]
    available = Mm(297 - 37 - 35).pt
    layout = d.table_layout(table.rows, available, table.numeric, compact=True)
    # squeezed: half the cell margin and a smaller size, the columns filling the text area
    assert layout.margin == d.TIGHT_MARGIN and layout.size < d.TABLE_SIZES[-1]
    assert sum(layout.widths) == pytest.approx(available)
    # every number column still as wide as its number plus the cell margins
    unit = layout.size / 2
    assert all(w >= 4 * unit + 2 * d.TIGHT_MARGIN / 20 for w in layout.widths)


def test_rendered_wide_table_stays_inside_the_text_area(tmp_path):
    path = tmp_path / "wide.docx"
    path.write_bytes(d.docx_bytes(wide_notice(), created=dt.datetime(2024, 1, 15)))
    pages = word_boxes(to_pdf(path, tmp_path))
    landscape = [w for w in pages[1:] if w]
    assert landscape
    for words in landscape:
        rank = [w for w in words if w[4] == "排名"]
        assert rank, [w[4] for w in words][:20]
        # the table's first and last columns lie inside the text area …
        assert rank[0][0] >= LEFT - 1, f"排名 starts {rank[0][0] / MM:.1f} mm from the edge"
        table_words = [w for w in words if w[1] >= rank[0][1] - 2]
        assert max(w[2] for w in table_words) <= RIGHT + 1
        # … so nothing in the table reaches the page number in the left margin
        assert min(w[0] for w in table_words if w[4] not in ("—",)) >= LEFT - 1
