"""A small description of a form sheet (cells, inputs, drop-downs) and its XLSX rendering.

Forms are described as :class:`SheetSpec` so the same description writes the
workbook and, on return, tells the reader which cells are fixed (checked
against what was issued) and which are inputs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import xlsxwriter

from zwgk_score.atomic import atomic_path
from zwgk_score.outputs.textwidth import display_width

STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"},
    "meta": {"font_size": 11, "valign": "vcenter", "text_wrap": True},
    "header": {
        "bold": True,
        "border": 1,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
        "bg_color": "#D9E1F2",
    },
    "head": {
        "bold": True,
        "border": 1,
        "valign": "vcenter",
        "bg_color": "#F2F2F2",
        "text_wrap": True,
    },
    "text": {"border": 1, "valign": "vcenter", "text_wrap": True},
    "center": {"border": 1, "align": "center", "valign": "vcenter"},
    "number": {"border": 1, "align": "center", "valign": "vcenter", "num_format": "0.##"},
    "input": {
        "border": 1,
        "valign": "vcenter",
        "text_wrap": True,
        "locked": False,
        "bg_color": "#FFF2CC",
    },
    "input_number": {
        "border": 1,
        "align": "center",
        "valign": "vcenter",
        "locked": False,
        "bg_color": "#FFF2CC",
        "num_format": "0.##",
    },
    "closed": {"border": 1, "bg_color": "#D9D9D9"},
    "note": {"font_size": 11, "text_wrap": True, "valign": "top"},
}
BASE = {"font_name": "宋体", "font_size": 10}


@attrs.frozen
class Cell:
    row: int
    col: int
    value: str | float | None
    style: str = "text"
    fixed: bool = True  # part of the form's structure (checked on return)
    merge_to: int | None = None  # last column of a merged range on this row
    choices: tuple[str, ...] = ()  # drop-down list of an input cell
    between: tuple[float, float] | None = None  # number range of an input cell
    prompt: str = ""

    @property
    def input(self) -> bool:
        return self.style.startswith("input")


@attrs.define
class SheetSpec:
    name: str
    widths: Sequence[float]
    cells: list[Cell] = attrs.Factory(list)
    header_row: int | None = None
    hidden: bool = False
    protect: bool = True
    heights: dict[int, float] = attrs.Factory(dict)

    def add(self, *cells: Cell) -> None:
        self.cells.extend(cells)

    def fixed_cells(self) -> list[tuple[int, int, str]]:
        return [(c.row, c.col, value_text(c.value)) for c in self.cells if c.fixed]


def value_text(value: object) -> str:
    """Cell value as compared on return: numbers without a trailing .0, None as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        v = float(value)
        return str(int(v)) if v == int(v) else repr(round(v, 6))
    return str(value).strip()


def auto_heights(spec: SheetSpec) -> dict[int, float]:
    """Row heights that show every wrapped line (LibreOffice does not grow written rows)."""
    lines: dict[int, int] = {}
    for c in spec.cells:
        if not isinstance(c.value, str) or not c.value:
            continue
        last = c.merge_to if c.merge_to is not None else c.col
        width = sum(spec.widths[c.col : last + 1]) if last < len(spec.widths) else 20.0
        n = sum(
            max(1, math.ceil(display_width(part) * 1.05 / max(width - 1, 1.0)))
            for part in c.value.splitlines() or [""]
        )
        lines[c.row] = max(lines.get(c.row, 1), n)
    return {r: 14.0 * n + 4 for r, n in lines.items() if n > 1}


def address(row: int, col: int) -> str:
    """Zero-based (row, col) → A1 address."""
    letters, c = "", col + 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def write_workbook(
    path: Path, sheets: Sequence[SheetSpec], *, title: str, created: dt.datetime
) -> Path:
    """Write the sheets as one XLSX, atomically and byte-identically for identical input."""
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        wb.set_properties({"title": title, "created": created, "author": "zwgk-score"})
        formats = {k: wb.add_format({**BASE, **v}) for k, v in STYLES.items()}
        for spec in sheets:
            ws = wb.add_worksheet(spec.name)
            for i, w in enumerate(spec.widths):
                ws.set_column(i, i, w)
            for r, h in {**auto_heights(spec), **spec.heights}.items():
                ws.set_row(r, h)
            for c in spec.cells:
                fmt = formats[c.style]
                if c.merge_to is not None and c.merge_to > c.col:
                    ws.merge_range(c.row, c.col, c.row, c.merge_to, "", fmt)
                if c.value is None:
                    ws.write_blank(c.row, c.col, None, fmt)
                elif isinstance(c.value, str):
                    ws.write_string(c.row, c.col, c.value, fmt)
                else:
                    ws.write_number(c.row, c.col, float(c.value), fmt)
                if c.choices:
                    ws.data_validation(
                        c.row,
                        c.col,
                        c.row,
                        c.col,
                        {
                            "validate": "list",
                            "source": list(c.choices),
                            "error_title": "请从下拉列表中选择",
                            "error_message": "可选：" + "、".join(c.choices),
                        },
                    )
                elif c.between is not None:
                    lo, hi = c.between
                    ws.data_validation(
                        c.row,
                        c.col,
                        c.row,
                        c.col,
                        {
                            "validate": "decimal",
                            "criteria": "between",
                            "minimum": lo,
                            "maximum": hi,
                            "error_title": "分数超出范围",
                            "error_message": f"应在 {value_text(lo)} 到 {value_text(hi)} 之间",
                            "input_title": "填写分数" if not c.prompt else c.prompt[:32],
                            "input_message": f"0 到 {value_text(hi)} 分",
                        },
                    )
            if spec.header_row is not None:
                ws.freeze_panes(spec.header_row + 1, 0)
                ws.repeat_rows(0, spec.header_row)
            ws.set_paper(9)
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.7)
            ws.center_horizontally()
            ws.set_footer("&C第 &P 页，共 &N 页")
            if spec.protect:
                ws.protect(
                    "",
                    {
                        "select_locked_cells": True,
                        "select_unlocked_cells": True,
                        "format_rows": True,
                        "format_columns": True,
                    },
                )
            if spec.hidden:
                ws.very_hidden()
        wb.close()
    return path
