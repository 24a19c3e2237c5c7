"""The workbook's history sheets (历年对比 and 趋势图), when the ledger holds earlier periods.

* 历年对比: one row per unit (by group, in this period's ranking order), for
  each period of the current one's kind (the latest ``[notice]
  history_periods``, this one last) its 总分, 等次 and 排名, then 较上年排名
  (提升2位 / 下降1位 / 持平 / —, as in the notice).  A unit not assessed in
  a period shows —.
* 趋势_<类别>: per group a line chart of the totals across the periods and,
  for a group of at most :data:`MAX_LINES` units, one of the ranks (第1名 on
  top); a larger group shows its units' average, highest and lowest total.
  The plotted values sit on the hidden sheet 历年图表数据.

Called from :func:`zwgk_score.outputs.excel.write_workbook` (``history=``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from zwgk_score.outputs.attachments import display_order
from zwgk_score.outputs.notice_trends import change_text, rank_changes
from zwgk_score.outputs.periods import PeriodHistory, PeriodResult
from zwgk_score.results import Results

#: a group's rank chart draws one line per unit up to this many units
MAX_LINES = 15
#: chart size (px): two charts fill one A4 landscape page, as the 总分图 does
CHART_W, CHART_H = 1000, 340
FIELDS = ("总分", "等次", "排名")


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def history_rows(
    results: Results, history: PeriodHistory, periods: Sequence[PeriodResult]
) -> list[list[Any]]:
    """The 历年对比 rows: 类别, 单位, (总分, 等次, 排名) per period, 较上年排名."""
    rows: list[list[Any]] = []
    for group in results.rubric.groups:
        changes = rank_changes(results, history, group.id)
        for unit in display_order(results, group.id)["unit"]:
            row: list[Any] = [group.name, str(unit)]
            for p in periods:
                point = p.points.get(str(unit))
                if point is None:
                    row += [None, "—", None]
                else:
                    row += [point.total, point.grade or "—", point.rank]
            row.append(change_text(changes.get(str(unit))))
            rows.append(row)
    return rows


def write_history_sheets(
    wb: xlsxwriter.Workbook,
    used: set[str],
    formats: Any,
    results: Results,
    history: PeriodHistory,
    *,
    title: str,
    limit: int,
) -> None:
    """Add 历年对比, one 趋势 sheet per group and the hidden 历年图表数据 to ``wb``.

    Nothing is added when the history holds no earlier period of the current one's
    kind (a quarter with only annual results before it).
    """
    from zwgk_score.outputs.excel import print_setup, sheet_name, write_cell

    periods = history.same_kind(limit)
    if len(periods) < 2:  # no earlier period of this kind: nothing to compare side by side
        return
    span = f"{periods[0].label}—{periods[-1].label}"
    versus = history.versus or "较上期"
    ws = wb.add_worksheet(sheet_name("历年对比", used))
    n = 2 + 3 * len(periods) + 1
    widths = [12.0, 18.0, *([9.0, 7.0, 6.0] * len(periods)), 11.0]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.merge_range(0, 0, 0, n - 1, f"{title}——历年考核结果对比（{span}）", formats.title)
    ws.set_row(0, 30)
    ws.write_string(1, 0, "类别", formats.header)
    ws.write_string(1, 1, "单位", formats.header)
    for k, p in enumerate(periods):
        c = 2 + 3 * k
        ws.merge_range(1, c, 1, c + 2, p.label, formats.header)
    ws.write_string(1, n - 1, f"{versus}排名", formats.header)
    ws.write_blank(2, 0, None, formats.header)
    ws.write_blank(2, 1, None, formats.header)
    for k in range(len(periods)):
        for j, field in enumerate(FIELDS):
            ws.write_string(2, 2 + 3 * k + j, field, formats.header)
    ws.write_blank(2, n - 1, None, formats.header)
    kinds = ["text", "text", *(["number", "center", "integer"] * len(periods)), "center"]
    rows = history_rows(results, history, periods)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if value is None:
                ws.write_string(r, c, "—", formats.get("center"))
            else:
                write_cell(ws, r, c, value, formats.get(kinds[c]))
    ws.freeze_panes(3, 2)
    print_setup(ws, repeat=False)
    ws.repeat_rows(0, 2)
    _trend_charts(wb, used, results, periods, title=title)


def _trend_charts(
    wb: xlsxwriter.Workbook,
    used: set[str],
    results: Results,
    periods: Sequence[PeriodResult],
    *,
    title: str,
) -> None:
    from zwgk_score.outputs.excel import sheet_name, write_blocks

    sheets = [
        (g, wb.add_worksheet(sheet_name(f"趋势_{g.name}", used)))
        for g in results.rubric.groups
        if (results.summary["group"] == g.id).any()
    ]
    data = wb.add_worksheet(sheet_name("历年图表数据", used))
    data.hide()
    ref = _quote(data.get_name())
    labels = [p.label for p in periods]
    blocks: list[list[list[Any]]] = []
    col = 0
    for group, ws in sheets:
        units = [str(u) for u in display_order(results, group.id)["unit"]]
        totals = [[_value(p, u, "total") for u in units] for p in periods]
        if len(units) <= MAX_LINES:
            names = units
            values = totals
            ranks: list[list[float | None]] | None = [
                [_value(p, u, "rank") for u in units] for p in periods
            ]
        else:
            names = ["本类别单位平均分", "最高分", "最低分"]
            values = [_summary(row) for row in totals]
            ranks = None
        header: list[Any] = ["期别", *names, *(f"{u}排名" for u in (names if ranks else []))]
        body = [
            [label, *vals, *(ranks[i] if ranks else [])]
            for i, (label, vals) in enumerate(zip(labels, values, strict=True))
        ]
        blocks.append([header, *body])
        cats = f"={ref}!${_col(col)}$2:${_col(col)}${len(periods) + 1}"
        chart = wb.add_chart({"type": "line"})
        for k, name in enumerate(names):
            c = _col(col + 1 + k)
            chart.add_series(
                {
                    "name": name,
                    "categories": cats,
                    "values": f"={ref}!${c}$2:${c}${len(periods) + 1}",
                    "marker": {"type": "circle", "size": 5},
                    "data_labels": {"value": len(names) <= 5, "num_format": "0.00"},
                }
            )
        # a large group has no rank chart: its totals chart fills the page
        _style(chart, f"{title}——{group.name}历年总分", CHART_H if ranks else 2 * CHART_H)
        known = [v for row in values for v in row if v is not None]
        top = max([float(group.max_score), *known])
        low = max(0, math.floor((min(known, default=0.0) - 5) / 10) * 10)
        chart.set_y_axis(
            {
                "name": "总分（分）",
                "min": low,
                "max": math.ceil(top / 10) * 10,
                "num_font": {"name": "宋体", "size": 9},
                "name_font": {"name": "宋体", "size": 9},
            }
        )
        ws.insert_chart(0, 0, chart)
        if ranks is not None:
            rc = wb.add_chart({"type": "line"})
            for k, name in enumerate(names):
                c = _col(col + 1 + len(names) + k)
                rc.add_series(
                    {
                        "name": name,
                        "categories": cats,
                        "values": f"={ref}!${c}$2:${c}${len(periods) + 1}",
                        "marker": {"type": "circle", "size": 5},
                    }
                )
            _style(rc, f"{group.name}历年排名（第1名在上）", CHART_H)
            worst = max([1.0, *(v for row in ranks for v in row if v is not None)])
            rc.set_y_axis(
                {
                    "name": "排名",
                    "reverse": True,
                    "min": 1,
                    "max": worst,
                    "major_unit": max(1, math.ceil(worst / 10)),
                    "num_font": {"name": "宋体", "size": 9},
                    "name_font": {"name": "宋体", "size": 9},
                    "crossing": "max",
                }
            )
            ws.insert_chart(math.ceil(CHART_H / 20), 0, rc)
        _page(ws)
        col += len(header) + 1
    write_blocks(data, blocks)


def _value(p: PeriodResult, unit: str, field: str) -> float | None:
    point = p.points.get(unit)
    if point is None:
        return None
    v = point.total if field == "total" else point.rank
    return None if v is None else float(v)


def _summary(row: Sequence[float | None]) -> list[float | None]:
    known = [v for v in row if v is not None]
    if not known:
        return [None, None, None]
    return [round(sum(known) / len(known), 2), max(known), min(known)]


def _style(chart: Any, name: str, height: int) -> None:
    chart.show_hidden_data()  # the values live on the hidden 历年图表数据 sheet
    chart.set_title({"name": name, "name_font": {"name": "黑体", "size": 13}})
    chart.set_legend({"position": "right", "font": {"name": "宋体", "size": 9}})
    chart.set_x_axis({"num_font": {"name": "宋体", "size": 9}})
    chart.set_size({"width": CHART_W, "height": height})


def _page(ws: Worksheet) -> None:
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    ws.print_area(0, 0, math.ceil(2 * CHART_H / 20) + 1, math.ceil(CHART_W / 64))
    ws.fit_to_pages(1, 1)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _col(index: int) -> str:
    name: str = xl_col_to_name(index)
    return name
