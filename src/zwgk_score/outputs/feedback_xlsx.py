"""A feedback sheet (:class:`~zwgk_score.outputs.feedback.FeedbackSheet`) as XLSX.

A4 landscape, one page wide, the table header repeated on every page.  Column
widths give 失分原因 the most room; every wrapped row gets an explicit height
(LibreOffice and WPS do not grow rows), so nothing prints over the next row.
User text is always written as text (never a formula) and the creation time
is fixed, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from zwgk_score.atomic import atomic_path
from zwgk_score.outputs.excel import LOWEST_FILL, MISSING_FILL, SAFE_OPTIONS
from zwgk_score.outputs.feedback import (
    COLUMNS,
    FLAG_MISSING,
    FLAG_VETO,
    FeedbackSheet,
    lost_text,
    points_text,
)
from zwgk_score.outputs.rowheight import row_height

#: column widths (Excel characters): about 140 fit an A4 landscape page at 100 %
WIDTHS = (5.0, 22.0, 6.0, 6.5, 58.0, 16.0, 21.0)
TOTAL_WIDTH = sum(WIDTHS)
FONT = "宋体"
SIZE = 10.5
#: a sheet is small: build it in memory (no temporary files); user text stays text
OPTIONS = {**SAFE_OPTIONS, "constant_memory": False, "in_memory": True}
SIGN_LINES = (
    "填报单位（盖章）：　　　　　　　　主要负责同志（签字）：　　　　　　填报日期：　　年　　月　　日",
    "联系人：　　　　　　　　　　　联系电话：",
)


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base: dict[str, Any] = {"font_name": FONT, "font_size": SIZE, "valign": "vcenter"}
        cell = {**base, "border": 1, "text_wrap": True}
        self.title = wb.add_format(
            {**base, "font_name": "黑体", "font_size": 16, "align": "center"}
        )
        self.line = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.header = wb.add_format(
            {**cell, "bold": True, "align": "center", "bg_color": "#D9D9D9"}
        )
        self._wb, self._cell = wb, cell
        self._cache: dict[tuple[str, str | None], Format] = {}

    def get(self, kind: str, fill: str | None) -> Format:
        key = (kind, fill)
        if key not in self._cache:
            props = dict(self._cell)
            if kind == "center":
                props["align"] = "center"
            if fill:
                props["bg_color"] = fill
            self._cache[key] = self._wb.add_format(props)
        return self._cache[key]


def write_feedback_xlsx(sheet: FeedbackSheet, path: Path, *, created: dt.datetime) -> Path:
    """Write one unit's feedback sheet as XLSX, atomically; return ``path``."""
    with atomic_path(path) as tmp, xlsxwriter.Workbook(str(tmp), OPTIONS) as wb:
        wb.set_properties({"title": f"{sheet.title}：{sheet.unit}", "created": created})
        f = _Formats(wb)
        ws = wb.add_worksheet("反馈单")
        last = len(COLUMNS) - 1
        for i, w in enumerate(WIDTHS):
            ws.set_column(i, i, w)

        def line(r: int, text: str, fmt: Format) -> None:
            ws.set_row(r, row_height([(text, TOTAL_WIDTH)]))
            ws.merge_range(r, 0, r, last, text, fmt)

        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, last, sheet.title, f.title)
        line(1, "　　".join(f"{k}：{v}" for k, v in sheet.facts), f.line)
        line(2, f"得分说明：{sheet.explanation}", f.line)
        header = 3
        ws.set_row(header, 20)
        for i, c in enumerate(COLUMNS):
            ws.write_string(header, i, c, f.header)
        r = header
        for row in sheet.rows:
            r += 1
            fill = MISSING_FILL if row.flag == FLAG_MISSING else None
            fill = LOWEST_FILL if row.flag == FLAG_VETO else fill
            cells = (
                str(row.number),
                row.indicator,
                points_text(row.points),
                lost_text(row.lost),
                row.reason,
                row.deadline,
                "",
            )
            ws.set_row(r, row_height(zip(cells, WIDTHS, strict=True)))
            ws.write_number(r, 0, row.number, f.get("center", fill))
            ws.write_string(r, 1, row.indicator, f.get("text", fill))
            if row.points is None:
                ws.write_blank(r, 2, None, f.get("center", fill))
            else:
                ws.write_number(r, 2, row.points, f.get("center", fill))
            if isinstance(row.lost, str):
                ws.write_string(r, 3, row.lost, f.get("center", fill))
            else:
                ws.write_number(r, 3, row.lost, f.get("center", fill))
            ws.write_string(r, 4, row.reason, f.get("text", fill))
            ws.write_string(r, 5, row.deadline, f.get("center", fill))
            ws.write_blank(r, 6, None, f.get("text", fill))
        if not sheet.rows:
            r += 1
            ws.merge_range(r, 0, r, last, "本次考核无失分项。", f.get("text", None))
        r += 2
        line(r, sheet.note, f.line)
        if sheet.contact:
            r += 1
            line(r, sheet.contact, f.line)
        for text in SIGN_LINES:
            r += 2 if text is SIGN_LINES[0] else 1
            line(r, text, f.line)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.center_horizontally()
        ws.repeat_rows(header)
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.freeze_panes(header + 1, 0)
    return path
