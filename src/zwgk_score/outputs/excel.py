"""The Excel workbook (考核得分表) of an assessment, written with xlsxwriter.

One workbook per assessment: a ranking sheet per unit group (汇总), the
indicator scores (指标得分), the deductions (扣分明细), the rubric (考核细则)
and a bar chart of totals per group (总分图).  Every sheet is print-ready
(A4 landscape, header rows repeated, one page wide, page numbers) and the
file is reproducible: user text is never turned into a formula, number or
link, and the creation time is fixed, so the same input gives the same bytes.
Rows are written one by one in ``constant_memory`` mode, so the detail sheets
of a large assessment do not sit in memory.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from zwgk_score.atomic import atomic_path
from zwgk_score.outputs.notice import period_label
from zwgk_score.outputs.tables import deductions_frame, items_frame, ranking_frame, rubric_frame
from zwgk_score.outputs.textwidth import column_width
from zwgk_score.results import Results

#: fill colours by grade position, best first; the lowest grade is always red
GRADE_FILLS = ("#C6EFCE", "#DDEBF7", "#FFEB9C", "#FCE4D6")
LOWEST_FILL = "#FFC7CE"
#: fill of rows and cells with missing data (缺失)
MISSING_FILL = "#F4B183"
#: workbook options that keep user text as text
SAFE_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "constant_memory": True,
}
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

Styler = Callable[[str, Any, Mapping[str, Any]], str | None]


def creation_time(results: Results, date: dt.date | None = None) -> dt.datetime:
    """The fixed creation time stamped into the workbook.

    ``SOURCE_DATE_EPOCH`` (seconds, UTC) wins; then ``date`` (落款/考核日期);
    then 31 December of the rubric year.  Never the clock, so output is reproducible.
    """
    from zwgk_score.env import source_date_epoch  # validated: an absurd value is a ConfigError

    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    if date is not None:
        return dt.datetime(date.year, date.month, date.day)
    return dt.datetime(results.rubric.meta.year, 12, 31)


def sheet_name(name: str, used: set[str]) -> str:
    """A legal, unique worksheet name (≤ 31 characters, no ``[]:*?/\\``, not starting with ')."""
    base = name.translate(_SHEET_FORBIDDEN).strip("'") or "表"
    base = base[:31]
    candidate, k = base, 1
    while candidate.casefold() in used:
        k += 1
        suffix = f"({k})"
        candidate = base[: 31 - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


class Formats:
    """Cell formats shared by every sheet."""

    def __init__(self, wb: xlsxwriter.Workbook, precision: int) -> None:
        base = {"font_name": "宋体", "font_size": 11, "border": 1, "valign": "vcenter"}
        num = "0" if precision <= 0 else "0." + "0" * precision
        self.title = wb.add_format(
            {"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"}
        )
        self.header = wb.add_format(
            {**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9D9D9"}
        )
        self.cache: dict[tuple[str, str | None], Format] = {}
        self._wb, self._base, self._num = wb, base, num

    def get(self, kind: str, fill: str | None = None) -> Format:
        """Format for ``kind`` (text, wrap, number, integer, center) with an optional fill."""
        key = (kind, fill)
        if key not in self.cache:
            props: dict[str, Any] = dict(self._base)
            if kind == "number":
                props["num_format"] = self._num
            elif kind == "integer":
                props.update(num_format="0", align="center")
            elif kind == "center":
                props["align"] = "center"
            elif kind == "wrap":
                props["text_wrap"] = True
            if fill:
                props["bg_color"] = fill
            self.cache[key] = self._wb.add_format(props)
        return self.cache[key]


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def write_cell(ws: Worksheet, r: int, c: int, value: Any, fmt: Format) -> None:
    """Write one value with an explicit type: strings always as strings."""
    if _is_missing(value):
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "", fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(r, c, float(value), fmt)
    elif hasattr(value, "item"):  # numpy scalar
        write_cell(ws, r, c, value.item(), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _shown(value: Any, precision: int) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, float):
        return f"{value:.{precision}f}"
    return str(value)


def write_table(
    ws: Worksheet,
    df: pd.DataFrame,
    formats: Formats,
    *,
    title: str,
    precision: int,
    kinds: dict[str, str] | None = None,
    fill: Styler | None = None,
    freeze_cols: int = 1,
) -> None:
    """Write ``title``, the header row and ``df`` row by row, then set up printing.

    Args:
        kinds: column → format kind (text, wrap, number, integer, center); numbers
            default to ``number`` and text to ``text``.
        fill: ``fill(column, value, row)`` → background colour or None (``row``: column → value).
        freeze_cols: leading columns kept visible when scrolling right.
    """
    kinds = kinds or {}
    cols = list(df.columns)
    n = len(cols)
    widths = [
        column_width(
            [c, *(_shown(v, precision) for v in pd.unique(df[c]))],
            maximum=50 if kinds.get(c) == "wrap" else 60,
        )
        for c in cols
    ]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    if n > 1:
        ws.merge_range(0, 0, 0, n - 1, title, formats.title)
    else:
        ws.write_string(0, 0, title, formats.title)
    ws.set_row(0, 30)
    for i, c in enumerate(cols):
        ws.write_string(1, i, c, formats.header)
    data = [df[c].tolist() for c in cols]  # plain Python values, one list per column
    for k in range(len(df)):
        row = {c: data[i][k] for i, c in enumerate(cols)}
        for i, c in enumerate(cols):
            value = row[c]
            kind = kinds.get(c) or ("number" if isinstance(value, float) else "text")
            color = fill(c, value, row) if fill else None
            write_cell(ws, k + 2, i, value, formats.get(kind, color))
    last = max(len(df) + 1, 1)
    ws.freeze_panes(2, freeze_cols)
    ws.autofilter(1, 0, last, n - 1)
    print_setup(ws)


#: data rows that fit on one sheet: Excel's 1,048,576 rows less the title and header rows
MAX_DATA_ROWS = 1_048_576 - 2


def write_long_table(
    wb: xlsxwriter.Workbook,
    used: set[str],
    name: str,
    df: pd.DataFrame,
    formats: Formats,
    *,
    title: str,
    **kwargs: Any,
) -> list[str]:
    """Write a detail table over as many sheets as it needs (指标得分、指标得分（2）…), never truncating.

    A national-scale assessment (40,000 units × 200 indicators) has 8 million
    item rows, far beyond one sheet; each part repeats the header and says
    which rows it holds.  Returns the sheet names.
    """
    parts = max(1, -(-len(df) // MAX_DATA_ROWS))
    names = []
    for k in range(parts):
        chunk = df.iloc[k * MAX_DATA_ROWS : (k + 1) * MAX_DATA_ROWS]
        sheet = sheet_name(name if k == 0 else f"{name}（{k + 1}）", used)
        part_title = title if parts == 1 else f"{title}（第 {k + 1} 部分，共 {parts} 部分）"
        write_table(wb.add_worksheet(sheet), chunk, formats, title=part_title, **kwargs)
        names.append(sheet)
    return names


def print_setup(ws: Worksheet, *, repeat: bool = True) -> None:
    """A4 landscape, one page wide, title and header rows repeated, 第 N 页 footer."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    if repeat:
        ws.repeat_rows(0, 1)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _grade_fills(results: Results, group: str) -> dict[str, str]:
    names = [g.name for g in results.rubric.group(group).grades]
    fills = {name: GRADE_FILLS[min(i, len(GRADE_FILLS) - 1)] for i, name in enumerate(names)}
    fills[names[-1]] = LOWEST_FILL
    return fills


def _ranking_styler(grade_fills: dict[str, str]) -> Styler:
    def fill(column: str, value: Any, row: Mapping[str, Any]) -> str | None:
        if column == "等次":
            return grade_fills.get(str(value))
        if column == "单项否决" and value:
            return LOWEST_FILL
        if column == "缺失指标" and value:
            return MISSING_FILL
        return None

    return fill


def _missing_row_styler(column: str, value: Any, row: Mapping[str, Any]) -> str | None:
    return MISSING_FILL if str(row.get("状态", "")).startswith("缺失") else None


def _ranking_kinds(df: pd.DataFrame) -> dict[str, str]:
    kinds = {c: "number" for c in df.columns}
    kinds.update({"排名": "integer", "单位": "text", "等次": "center", "单项否决": "center"})
    kinds.update({"缺失指标": "integer", "上期排名": "integer", "排名变化": "center"})
    return kinds


def write_workbook(
    results: Results,
    path: str | Path,
    *,
    previous: Results | None = None,
    created: dt.datetime | None = None,
    warnings: Sequence[Any] = (),
) -> Path:
    """Write the assessment workbook to ``path`` atomically and return the path.

    Args:
        results: the scored assessment.
        path: target ``.xlsx`` file; it appears only when complete.
        previous: the previous period's results, for 上期排名 / 排名变化.
        created: creation time to stamp (default :func:`creation_time`).
        warnings: the run's warnings (RunWarning); when there are any, a sheet
            运行提示 lists them.
    """
    target = Path(path)
    rubric = results.rubric
    prec = rubric.meta.precision
    stamp = created or creation_time(results)
    label = period_label(results.period, rubric.meta.year)
    period = "" if label in rubric.meta.title else f"（{label}）"
    with atomic_path(target) as tmp, xlsxwriter.Workbook(str(tmp), SAFE_OPTIONS) as wb:
        wb.set_properties(
            {"title": rubric.meta.title + period, "author": rubric.meta.issuer, "created": stamp}
        )
        formats = Formats(wb, prec)
        used: set[str] = set()
        ranking_sheets: list[tuple[str, str, int, list[str]]] = []
        for group in rubric.groups:
            df = ranking_frame(results, group.id, previous)
            name = sheet_name(f"汇总_{group.name}", used)
            ws = wb.add_worksheet(name)
            write_table(
                ws,
                df,
                formats,
                title=f"{rubric.meta.title}{period}——{group.name}考核结果",
                precision=prec,
                kinds=_ranking_kinds(df),
                fill=_ranking_styler(_grade_fills(results, group.id)),
                freeze_cols=2,
            )
            ranking_sheets.append((name, group.name, len(df), list(df.columns)))
        raw_items = results.items()
        items = items_frame(results, raw_items)
        write_long_table(
            wb,
            used,
            "指标得分",
            items,
            formats,
            title="指标得分明细",
            precision=prec,
            kinds={"失分原因": "wrap", "指标分值": "number", "得分": "number", "扣分": "number"},
            fill=_missing_row_styler,
        )
        ded = deductions_frame(results, raw_items)
        write_long_table(
            wb,
            used,
            "扣分明细",
            ded,
            formats,
            title="扣分明细（失分原因及佐证）",
            precision=prec,
            kinds={"失分原因": "wrap", "佐证": "wrap", "指标分值": "number"},
            fill=_missing_row_styler,
        )
        ws = wb.add_worksheet(sheet_name("考核细则", used))
        write_table(
            ws,
            rubric_frame(results),
            formats,
            title=rubric.meta.title,
            precision=prec,
            kinds={"评分说明": "wrap", "分值": "number", "层级": "integer"},
        )
        if warnings:
            notes = pd.DataFrame(
                {"提示": [w.message for w in warnings], "位置": [w.location() for w in warnings]}
            )
            ws = wb.add_worksheet(sheet_name("运行提示", used))
            write_table(
                ws,
                notes,
                formats,
                title="运行提示",
                precision=prec,
                kinds={"提示": "wrap", "位置": "wrap"},
            )
        _write_charts(wb, wb.add_worksheet(sheet_name("总分图", used)), ranking_sheets)
    return target


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _write_charts(
    wb: xlsxwriter.Workbook, ws: Worksheet, sheets: Sequence[tuple[str, str, int, list[str]]]
) -> None:
    """One bar chart of totals per group, stacked down the sheet."""
    print_setup(ws, repeat=False)
    ws.fit_to_pages(1, 0)
    row = 0
    for sheet, group_name, n, columns in sheets:
        if n == 0:
            continue
        total_col = next(i for i, c in enumerate(columns) if c.startswith("总分"))
        chart = wb.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": f"{group_name}总分",
                "categories": f"={_quote(sheet)}!$B$3:$B${n + 2}",
                "values": f"={_quote(sheet)}!${_col(total_col)}$3:${_col(total_col)}${n + 2}",
                "data_labels": {"value": True},
                "fill": {"color": "#4472C4"},
            }
        )
        chart.set_title({"name": f"{group_name}总分", "name_font": {"name": "黑体", "size": 14}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True, "num_font": {"name": "宋体"}})
        chart.set_x_axis({"min": 0, "num_font": {"name": "宋体"}})
        height = max(300, 24 * n + 100)
        chart.set_size({"width": 900, "height": height})
        ws.insert_chart(row, 0, chart)
        row += math.ceil(height / 20) + 2


def _col(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(index)
