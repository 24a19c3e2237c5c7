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
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from zwgk_score.atomic import atomic_path
from zwgk_score.methods.base import fmt
from zwgk_score.outputs.attachments import display_order
from zwgk_score.outputs.excel_detail import deductions_part, items_part, sources_part
from zwgk_score.outputs.notice import period_label
from zwgk_score.outputs.rowheight import lines_height, row_height
from zwgk_score.outputs.tables import (
    current_part_name,
    rubric_frame,
    summary_frame,
    units_frame,
)
from zwgk_score.outputs.textwidth import column_width, display_width
from zwgk_score.outputs.xlsx_headers import header_height, header_lines
from zwgk_score.outputs.xlsx_rows import RowStream
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
#: a workbook of at most this many item rows is packaged in memory (see :func:`write_workbook`):
#: its sheets' XML is then held as text (4 bytes a character) and as bytes while it is zipped,
#: some 40 MiB at this size; larger ones gain nothing from it (the saving is per part, not per row)
PACK_IN_MEMORY_ITEMS = 10_000
#: headers wrap over at most this many lines
HEADER_LINES = 3
#: points per line of the bold 11 pt header text
HEADER_LINE_PT = 15.0
#: Excel width units across A4 landscape inside the margins at 100 %: 297 − 2 × 12.7 mm
#: = 271.6 mm = 770 pt.  A unit is one digit of the default font (Calibri 11): 5.25 pt in
#: Excel and WPS, but 7.5 pt where LibreOffice has no metric-compatible font and falls back
#: to DejaVu Sans (measured on the rendered PDF: 75 pt per 10.71 stored units, 7.0 pt each).
#: Sizing for the wider case keeps a summary one page wide everywhere: 770 ÷ 7.0 = 110
#: stored units, 109 with a little room for rounding.
LANDSCAPE_UNITS = 109.0
#: the unit column of a summary wraps beyond this width (its rows get a height)
SUMMARY_UNIT_WIDTH = 18.0
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

Styler = Callable[[str, Any, Mapping[str, Any]], str | None]
RowFill = Callable[[pd.DataFrame], Sequence[str | None]]


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


def write_blocks(ws: Any, blocks: Sequence[Sequence[Sequence[Any]]]) -> None:
    """Write blocks of columns side by side, one blank column between, row by row.

    A constant-memory workbook takes its rows in order, so the blocks (the
    chart data of each group) are written together, one row of all at a time:
    a text as a string, ``None`` as an empty cell, anything else as a number.
    """
    height = max((len(b) for b in blocks), default=0)
    for r in range(height):
        start = 0
        for block in blocks:
            if r < len(block):
                for k, value in enumerate(block[r]):
                    if isinstance(value, str):
                        ws.write_string(r, start + k, value)
                    elif value is not None:
                        ws.write_number(r, start + k, float(value))
            start += len(block[0]) + 1


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


def table_widths(
    df: pd.DataFrame, kinds: Mapping[str, str], precision: int, *, header_lines: int = HEADER_LINES
) -> list[float]:
    """Column widths (Excel characters, CJK counted double) that fit each column's values.

    Headers wrap over up to ``header_lines`` lines instead of widening the column, but a
    column is never narrower than two CJK characters plus padding.
    """
    widths = []
    for c in df.columns:
        values = column_width(
            (_shown(v, precision) for v in pd.unique(df[c])), minimum=0, maximum=999
        )
        # wrap the name, but keep a bracketed part such as （100分） on one line
        unit = max((display_width(p) for p in re.findall(r"（[^）]*）", str(c))), default=0)
        head = max(math.ceil(display_width(c) / header_lines), unit) + 2
        cap = 50 if kinds.get(c) == "wrap" else 60
        widths.append(float(min(max(values, head, 6), cap)))
    return widths


def write_table(
    ws: Worksheet,
    df: pd.DataFrame,
    formats: Formats,
    *,
    title: str,
    precision: int,
    kinds: dict[str, str] | None = None,
    fill: Styler | None = None,
    row_fill: RowFill | None = None,
    freeze_cols: int = 1,
    page_scale: bool = False,
    row_sizes: bool = True,
) -> None:
    """Write ``title``, the header row and ``df`` row by row, then set up printing.

    Args:
        kinds: column → format kind (text, wrap, number, integer, center); numbers
            default to ``number`` and text to ``text``.
        fill: ``fill(column, value, row)`` → background colour or None (``row``: column → value).
        row_fill: ``row_fill(df)`` → one background colour (or None) per row, for every
            cell of the row; cheaper than ``fill`` on a long detail sheet.
        freeze_cols: leading columns kept visible when scrolling right.
        page_scale: print at a fixed scale computed from the widths (a summary a leader
            reads; headers then wrap over up to five lines) instead of shrinking to one
            page wide (detail sheets).
        row_sizes: keep the rows' heights for placing charts over them (xlsxwriter's
            ``row_sizes``); a long detail sheet has no chart and does not.

    Wrapped headers and wrapped cells get an explicit row height (LibreOffice and WPS
    do not grow rows), computed from the text's display width and the column width.
    """
    kinds = dict(kinds or {})
    cols = list(df.columns)
    n = len(cols)
    widths = table_widths(df, kinds, precision, header_lines=5 if page_scale else HEADER_LINES)
    if page_scale and "单位" in cols:
        i = cols.index("单位")
        widths[i] = min(widths[i], SUMMARY_UNIT_WIDTH)
    for i, c in enumerate(cols):
        # text wider than its column wraps (and its row gets a height)
        if kinds.get(c) in (None, "text") and any(
            isinstance(v, str) and display_width(v) + 2 > widths[i] for v in pd.unique(df[c])
        ):
            kinds[c] = "wrap"
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    if n > 1:
        ws.merge_range(0, 0, 0, n - 1, title, formats.title)
    else:
        ws.write_string(0, 0, title, formats.title)
    ws.set_row(0, 30)
    # a printed summary's headers are broken into lines here (the points on a line of their
    # own); other sheets keep their column names and the cells wrap them
    if page_scale:
        planned = [header_lines(str(c), w) for c, w in zip(cols, widths, strict=True)]
        heads = ["\n".join(lines) for lines in planned]
        n_lines = max(header_height(p, w) for p, w in zip(planned, widths, strict=True))
        ws.set_row(1, lines_height(n_lines, line_pt=HEADER_LINE_PT))
    else:
        heads = cols
        ws.set_row(1, row_height(zip(cols, widths, strict=True), line_pt=HEADER_LINE_PT))
    for i, head in enumerate(heads):
        ws.write_string(1, i, head, formats.header)
    wrapped = [(i, widths[i]) for i, c in enumerate(cols) if kinds.get(c) == "wrap"]
    plain = row_height([])
    fills = row_fill(df) if row_fill is not None else None
    # a column's kind is fixed unless it is unnamed in ``kinds`` and mixes floats and others
    fixed: list[str | None] = []
    for c in cols:
        kind = kinds.get(c)
        if kind is None:
            floats = _float_kinds(df[c])
            kind = None if len(floats) > 1 else "number" if True in floats else "text"
        fixed.append(kind)
    mixed = None in fixed
    by_fill: dict[str | None, list[Format | None]] = {}
    stream = RowStream(ws, write_cell, row_sizes=row_sizes)
    for k, values in enumerate(_rows(df)):
        r = k + 2
        height = None
        if wrapped:
            long = [
                (values[i], w)
                for i, w in wrapped
                # cheap test first: a text that fits its column's width needs no height
                if isinstance(values[i], str)
                and len(values[i]) * 2 + 2 > w
                and display_width(values[i]) + 2 > w
            ]
            if long:
                height = row_height(long)
                if height <= plain:
                    height = None
        if fill is not None:
            row = dict(zip(cols, values, strict=True))
            cell_formats = [
                formats.get(
                    kinds.get(c) or ("number" if isinstance(v, float) else "text"), fill(c, v, row)
                )
                for c, v in row.items()
            ]
            stream.row(r, values, cell_formats, height)
            continue
        color = fills[k] if fills is not None else None
        fmts = by_fill.get(color)
        if fmts is None:  # formats made in the order cells first use them, as cell by cell
            fmts = by_fill[color] = [
                None if kind is None else formats.get(kind, color) for kind in fixed
            ]
        if mixed:
            fmts = [
                f or formats.get("number" if isinstance(v, float) else "text", color)
                for f, v in zip(fmts, values, strict=True)
            ]
        stream.row(r, values, cast("list[Format]", fmts), height)
    stream.close()
    last = max(len(df) + 1, 1)
    ws.freeze_panes(2, freeze_cols)
    ws.autofilter(1, 0, last, n - 1)
    print_setup(ws, fit=not page_scale)
    if page_scale:
        ws.set_print_scale(print_scale(widths))


#: rows of a table turned into Python values at a time (a detail sheet has a million)
ROWS_AT_A_TIME = 1 << 16


def _rows(df: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """The rows of ``df`` as tuples of plain Python values, a slice of rows converted at a
    time: a million-row sheet is never held as Python lists (floats are objects of 24 bytes)."""
    for lo in range(0, len(df), ROWS_AT_A_TIME):
        part = df.iloc[lo : lo + ROWS_AT_A_TIME]
        yield from zip(*(part[c].tolist() for c in part.columns), strict=True)


def _float_kinds(col: pd.Series) -> set[bool]:
    """``{isinstance(v, float) for v in col.tolist()}``, without the list for a float column."""
    if col.dtype == np.float64:
        return {True} if len(col) else set()
    return {isinstance(v, float) for v in col.tolist()}


def print_scale(widths: Sequence[float]) -> int:
    """The print scale (%) at which columns ``widths`` fill an A4 landscape page's width, ≤ 100."""
    stored = sum(w + 0.71 for w in widths)  # xlsxwriter stores each width with 5 px of padding
    return max(10, min(100, math.floor(LANDSCAPE_UNITS * 100 / max(stored, 1.0))))


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
    return write_long_parts(
        wb, used, name, len(df), lambda lo, hi: df.iloc[lo:hi], formats, title=title, **kwargs
    )


def write_long_parts(
    wb: xlsxwriter.Workbook,
    used: set[str],
    name: str,
    n_rows: int,
    part: Callable[[int, int], pd.DataFrame],
    formats: Formats,
    *,
    title: str,
    **kwargs: Any,
) -> list[str]:
    """:func:`write_long_table` of a table of ``n_rows`` rows that ``part(lo, hi)`` builds a
    sheet at a time (rows ``lo`` … ``hi - 1``): only one sheet's rows are ever held."""
    parts = max(1, -(-n_rows // MAX_DATA_ROWS))
    names = []
    for k in range(parts):
        lo, hi = k * MAX_DATA_ROWS, min((k + 1) * MAX_DATA_ROWS, n_rows)
        chunk = part(lo, max(lo, hi))
        sheet = sheet_name(name if k == 0 else f"{name}（{k + 1}）", used)
        part_title = title if parts == 1 else f"{title}（第 {k + 1} 部分，共 {parts} 部分）"
        ws = wb.add_worksheet(sheet)
        write_table(ws, chunk, formats, title=part_title, row_sizes=False, **kwargs)
        del chunk
        names.append(sheet)
    return names


def print_setup(ws: Worksheet, *, repeat: bool = True, fit: bool = True) -> None:
    """A4 landscape, one page wide (``fit``), title and header rows repeated, 第 N 页 footer."""
    ws.set_paper(9)
    ws.set_landscape()
    if fit:
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


def _missing_rows(df: pd.DataFrame) -> list[str | None]:
    """The fill of each row of a detail table: rows with missing data (状态 缺失…) stand out."""
    if "状态" not in df.columns:
        return [None] * len(df)
    return [MISSING_FILL if str(s).startswith("缺失") else None for s in df["状态"].tolist()]


def _ranking_kinds(df: pd.DataFrame) -> dict[str, str]:
    kinds = {c: "number" for c in df.columns}
    kinds.update({"排名": "integer", "单位": "text", "等次": "center", "单项否决": "center"})
    kinds.update({"缺失指标": "integer", "上期排名": "integer", "排名变化": "center"})
    return kinds


def workbook_title(results: Results, name: str | None = None) -> str:
    """The assessment's name (考核名称) with its period, e.g. 郯城县2023年度政务公开工作考核.

    Without ``name`` (the config's ``[assessment] name``) the rubric's title stands in,
    less a trailing 细则/办法 (the rules are not the assessment).
    """
    rubric = results.rubric
    base = (
        name
        or re.sub(r"(?:考核|评估)?(?:细则|办法|方案)$", "", rubric.meta.title)
        or rubric.meta.title
    )
    if name is None and not base.endswith(("考核", "评估", "检查")):
        base += "考核"
    label = period_label(results.period, rubric.meta.year)
    annual = label == f"{rubric.meta.year}年度"
    if label in base or (annual and str(rubric.meta.year) in base):
        return base
    return f"{base}（{label}）"


def write_workbook(
    results: Results,
    path: str | Path,
    *,
    previous: Results | None = None,
    created: dt.datetime | None = None,
    name: str | None = None,
    warnings: Sequence[Any] = (),
    history: Any = None,
    history_periods: int = 5,
) -> Path:
    """Write the assessment workbook to ``path`` atomically and return the path.

    Args:
        results: the scored assessment.
        path: target ``.xlsx`` file; it appears only when complete.
        previous: the previous period's results, for 上期排名 / 排名变化.
        created: creation time to stamp (default :func:`creation_time`).
        name: the assessment's name (``[assessment] name``), the workbook's title.
        warnings: the run's warnings (RunWarning); when there are any, a sheet
            运行提示 lists them.
        history: earlier periods from the ledger (PeriodHistory): sheets 历年对比
            and 趋势 (:mod:`zwgk_score.outputs.excel_history`), ``history_periods`` wide.
    """
    target = Path(path)
    rubric = results.rubric
    prec = rubric.meta.precision
    stamp = created or creation_time(results)
    title = workbook_title(results, name)
    with atomic_path(target) as tmp, xlsxwriter.Workbook(str(tmp), SAFE_OPTIONS) as wb:
        wb.set_properties({"title": title, "author": rubric.meta.issuer, "created": stamp})
        formats = Formats(wb, prec)
        used: set[str] = set()
        charts: list[tuple[str, pd.DataFrame]] = []
        current = current_part_name(results)
        part_note = f"（各一级指标为{current}得分）" if current else ""
        for group in rubric.groups:
            df = summary_frame(results, group.id, previous)
            ws = wb.add_worksheet(sheet_name(f"汇总_{group.name}", used))
            write_table(
                ws,
                df,
                formats,
                title=f"{title}——{group.name}考核结果{part_note}",
                precision=prec,
                kinds=_ranking_kinds(df),
                fill=_ranking_styler(_grade_fills(results, group.id)),
                freeze_cols=2,
                page_scale=True,
            )
            charts.append((group.id, df))
        chart_sheets = [
            (gid, wb.add_worksheet(sheet_name(f"图_{rubric.group(gid).name}", used)))
            for gid, df in charts
            if len(df)
        ]
        if history is not None:
            from zwgk_score.outputs.excel_history import write_history_sheets

            write_history_sheets(
                wb, used, formats, results, history, title=title, limit=history_periods
            )
        # the long sheets are built a sheet at a time (outputs/excel_detail.py)
        raw_items = results.items()
        write_long_parts(
            wb,
            used,
            "指标得分",
            len(raw_items),
            # no unit assessed itself: nothing to print
            items_part(results, raw_items, self_score=bool(raw_items["self_score"].notna().any())),
            formats,
            title="指标得分明细",
            precision=prec,
            kinds={"失分原因": "wrap", "指标分值": "number", "得分": "number", "扣分": "number"},
            row_fill=_missing_rows,
        )
        write_long_parts(
            wb,
            used,
            "扣分明细",
            *deductions_part(results, raw_items),
            formats,
            title="扣分明细（失分原因及佐证）",
            precision=prec,
            kinds={"失分原因": "wrap", "佐证": "wrap", "指标分值": "number"},
            row_fill=_missing_rows,
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
        units = units_frame(results)
        write_table(
            wb.add_worksheet(sheet_name("数据_各单位得分", used)),
            units,
            formats,
            title=f"{title}——各单位得分数据（含缺失指标数）",
            precision=prec,
            kinds={**{c: "number" for c in units.columns}, **_TEXT_KINDS},
            freeze_cols=3,
        )
        write_long_parts(
            wb,
            used,
            "数据_佐证来源",
            *sources_part(results, raw_items),
            formats,
            title="扣分佐证的数据来源（文件及行号）",
            precision=prec,
            kinds={"佐证": "wrap", "来源": "wrap"},
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
        data = wb.add_worksheet(sheet_name("图表数据", used))
        data.hide()
        write_charts(wb, data, chart_sheets, results, title)
        # packaged in memory when small: xlsxwriter otherwise writes each of the ~30 parts to
        # a temporary file, sets its time and zips it from there (~12 ms of a city's ~100 ms);
        # its entries are then dated 1980-01-01 as in every other file of ours (1980-01-31
        # from temporary files).  A large one keeps the files: its sheets' XML would be held
        # in memory twice (a national workbook's is GBs).  xlsxwriter reads ``in_memory`` only
        # when it packages (constant_memory stays on for the sheets written above);
        # tests/test_outputs_excel.py compares both packagings part by part.
        if len(raw_items) <= PACK_IN_MEMORY_ITEMS:
            wb.in_memory = True
    return target


_TEXT_KINDS = {"类别": "text", "单位": "text", "等次": "center", "单项否决": "text"}
_TEXT_KINDS.update({"排名": "integer", "缺失指标": "integer"})


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


#: bar colours by grade position (stronger than the cell fills), vetoed units dark red
BAR_COLOURS = ("#548235", "#2E75B6", "#BF9000", "#C55A11")
VETO_COLOUR = "#C00000"
#: grade lines, darker than the bars they cross
LINE_COLOURS = ("#375623", "#1F4E79", "#7F6000", "#843C0C")
#: chart size (px): one A4 landscape page at 100 %
CHART_W, CHART_H = 1000, 680


def write_charts(
    wb: xlsxwriter.Workbook,
    data: Worksheet,
    sheets: Sequence[tuple[str, Worksheet]],
    results: Results,
    title: str,
) -> None:
    """One column chart of totals per group, each on its own sheet sized to one printed page.

    Bars are coloured by grade; vetoed units are dark red and labelled（否决）; a dashed
    line marks each grade's lower bound (优秀线 90 分 …).  The plotted values are written
    to the hidden 图表数据 sheet, one block of columns per group.
    """
    col = 0
    blocks: list[list[list[Any]]] = []  # written row by row at the end (constant_memory)
    for gid, ws in sheets:
        group = results.rubric.group(gid)
        table = display_order(results, gid)  # the summary's order: vetoed units last
        n = len(table)
        grades = [g for g in group.grades if g.min > 0]
        labels = [
            f"{u}（否决）" if v else str(u)
            for u, v in zip(table["unit"], table["veto"], strict=True)
        ]
        blocks.append(
            [
                [f"{group.name}单位", "总分", *(f"{g.name}线（{fmt(g.min)}分）" for g in grades)],
                *(
                    [label, float(total), *(float(g.min) for g in grades)]
                    for label, total in zip(labels, table["total"], strict=True)
                ),
            ]
        )
        ref = _quote(data.get_name())
        cats = f"={ref}!${_col(col)}$2:${_col(col)}${n + 1}"
        order = {g.name: i for i, g in enumerate(group.grades)}
        points = [
            {
                "fill": {
                    "color": VETO_COLOUR
                    if v
                    else BAR_COLOURS[min(order.get(str(gr), 0), len(BAR_COLOURS) - 1)]
                }
            }
            for gr, v in zip(table["grade"], table["veto"], strict=True)
        ]
        chart = wb.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": "总分",
                "categories": cats,
                "values": f"={ref}!${_col(col + 1)}$2:${_col(col + 1)}${n + 1}",
                "data_labels": {"value": True, "num_format": "0.00", "font": {"size": 8}},
                "points": points,
                "gap": 60,
            }
        )
        lines = wb.add_chart({"type": "line"})
        dashes = ("dash", "round_dot", "long_dash", "dash_dot")
        for k in range(len(grades)):
            c = col + 2 + k
            lines.add_series(
                {
                    "name": f"{grades[k].name}线（{fmt(grades[k].min)}分）",
                    "categories": cats,
                    "values": f"={ref}!${_col(c)}$2:${_col(c)}${n + 1}",
                    "line": {
                        "color": LINE_COLOURS[min(k, len(LINE_COLOURS) - 1)],
                        "dash_type": dashes[k % len(dashes)],
                        "width": 1.5,
                    },
                    "marker": {"type": "none"},
                }
            )
        if grades:
            chart.combine(lines)
        chart.show_hidden_data()  # the values live on the hidden 图表数据 sheet
        chart.set_title(
            {"name": f"{title}——{group.name}总分", "name_font": {"name": "黑体", "size": 14}}
        )
        chart.set_legend({"position": "bottom", "font": {"name": "宋体", "size": 9}})
        top = max(float(group.max_score), float(table["total"].max()) if n else 0.0)
        chart.set_y_axis(
            {
                "min": 0,
                "max": math.ceil(top / 10) * 10,
                "num_font": {"name": "宋体", "size": 9},
                "major_gridlines": {"visible": False},  # the grade lines are the reference
            }
        )
        chart.set_x_axis(
            {"num_font": {"name": "宋体", "size": 9, "rotation": -45 if n > 12 else 0}}
        )
        chart.set_size({"width": CHART_W, "height": CHART_H})
        ws.insert_chart(0, 0, chart)
        ws.set_paper(9)
        ws.set_landscape()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.center_horizontally()
        ws.print_area(0, 0, math.ceil(CHART_H / 20), math.ceil(CHART_W / 64))
        ws.fit_to_pages(1, 1)
        ws.set_footer("&C第 &P 页，共 &N 页")
        col += 3 + len(grades)
    # one block of columns per group, side by side, one blank column between
    write_blocks(data, blocks)


def _col(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return cast("str", xl_col_to_name(index))
