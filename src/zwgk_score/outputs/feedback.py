"""Per-unit feedback sheets (反馈单): every lost point with an empty 整改情况 column.

Each unit gets ``反馈单_<单位>.xlsx`` (and ``.docx``): its total, score and
deductions at the top, then one row per lost point (测评指标, 指标分值, 扣分,
失分原因) with an empty 整改情况 column the unit fills in and returns.
File names are made safe whatever the unit is called.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from zwgk_score.atomic import atomic_path
from zwgk_score.methods.base import ROLE_MAJOR, ROLE_SCORE, ROLE_VETO, fmt
from zwgk_score.outputs.excel import (
    LOWEST_FILL,
    MISSING_FILL,
    SAFE_OPTIONS,
    Formats,
    print_setup,
    write_cell,
)
from zwgk_score.outputs.filenames import unique_filenames
from zwgk_score.outputs.markdown import md_escape
from zwgk_score.outputs.notice import cn_date, period_label
from zwgk_score.outputs.tables import lost_items
from zwgk_score.outputs.textwidth import column_width
from zwgk_score.results import Results

#: columns of the feedback table
COLUMNS = ("序号", "测评指标", "指标分值", "扣分", "失分原因", "整改情况")


def feedback_header(results: Results, unit: str) -> list[tuple[str, str]]:
    """(label, value) pairs shown above the table: 单位, 类别, 总分, 等次, 排名, 得分, 失分 …"""
    s = results.summary.set_index("unit").loc[unit]
    prec = results.rubric.meta.precision
    group_size = int((results.summary["group"] == s["group"]).sum())
    items = lost_items(results)
    lost = items[(items["unit"] == unit) & (items["role"] == ROLE_SCORE)]["lost"].sum()

    def num(x: float) -> str:
        return "—" if x != x else f"{x:.{prec}f}"

    pairs = [
        ("单位", unit),
        ("类别", s["group_name"]),
        ("总分", num(float(s["total"]))),
        ("等次", s["grade"]),
        ("组内排名", f"{int(s['rank'])}/{group_size}"),
        ("基础得分", num(float(s["base"]))),
        ("失分合计", fmt(round(float(lost), prec))),
        ("加分", fmt(float(s["bonus"]))),
        ("重大扣分", fmt(float(s["major"]))),
    ]
    if results.parts:
        # a combined result: say how the total is made and that the detail is the current part's
        current = next(
            (name for pid, name, _ in results.parts if pid == results.current_part), "本阶段"
        )
        weighed = " + ".join(
            f"{name} {num(float(s[f'part_{pid}']))} × {fmt(w)}%" for pid, name, w in results.parts
        )
        pairs.insert(3, ("总分构成", weighed))
        pairs = [
            (
                f"{current}{label}"
                if label in ("基础得分", "失分合计", "加分", "重大扣分")
                else label,
                v,
            )
            for label, v in pairs
        ]
    if s["veto"]:
        pairs.append(("单项否决", s["veto_policy"]))
    if int(s["missing"]):
        pairs.append(("缺失指标", f"{int(s['missing'])}项"))
    return pairs


def feedback_rows(results: Results, unit: str) -> pd.DataFrame:
    """The unit's lost points: 序号, 测评指标, 指标分值, 扣分, 失分原因, 整改情况 (empty)."""
    items = lost_items(results)
    items = items[items["unit"] == unit].reset_index(drop=True)
    lost: list[Any] = []
    for r in items.itertuples():
        if r.role == ROLE_VETO:
            lost.append("单项否决")
        elif r.role == ROLE_MAJOR:
            lost.append(float(r.score))
        else:
            lost.append(float(r.lost))
    names = [
        f"{r.name}（重大扣分项）" if r.role == ROLE_MAJOR else r.name for r in items.itertuples()
    ]
    return pd.DataFrame(
        {
            "序号": range(1, len(items) + 1),
            "测评指标": names,
            # bonus, major-deduction and veto items have no points of their own
            "指标分值": [
                float(r.points) if r.role == ROLE_SCORE else float("nan")
                for r in items.itertuples()
            ],
            "扣分": lost,
            "失分原因": items["reason"],
            "整改情况": [""] * len(items),
            "_status": items["status"],
        }
    )


def _note(results: Results, deadline: dt.date | None, issuer: str | None) -> str:
    when = f"{cn_date(deadline)}前" if deadline else "规定时间内"
    return (
        f"请于{when}填写“整改情况”栏并报送{issuer or results.rubric.meta.issuer}，"
        "逾期未反馈的视为未整改。"
    )


def write_feedback_xlsx(
    results: Results,
    unit: str,
    path: Path,
    *,
    created: dt.datetime,
    deadline: dt.date | None = None,
    issuer: str | None = None,
) -> Path:
    """Write one unit's feedback sheet as XLSX, atomically."""
    period = period_label(results.period, results.rubric.meta.year)
    head = feedback_header(results, unit)
    rows = feedback_rows(results, unit)
    prec = results.rubric.meta.precision
    with atomic_path(path) as tmp, xlsxwriter.Workbook(str(tmp), SAFE_OPTIONS) as wb:
        wb.set_properties({"title": f"{period}政务公开工作考核反馈单", "created": created})
        f = Formats(wb, prec)
        ws = wb.add_worksheet("反馈单")
        ncol = len(COLUMNS)
        widths = [6, 24, 10, 10, 50, 36]
        for i, c in enumerate(COLUMNS[1:], start=1):
            if c in ("测评指标", "失分原因"):
                widths[i] = column_width([c, *rows[c]], maximum=60)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        ws.merge_range(0, 0, 0, ncol - 1, f"{period}政务公开工作考核反馈单", f.title)
        ws.set_row(0, 30)
        # summary: label/value pairs, three per row
        r = 1
        for k in range(0, len(head), 3):
            text = "    ".join(f"{label}：{value}" for label, value in head[k : k + 3])
            ws.merge_range(r, 0, r, ncol - 1, text, f.get("text"))
            r += 1
        header_row = r
        for i, c in enumerate(COLUMNS):
            ws.write_string(header_row, i, c, f.header)
        for row in rows.itertuples(index=False):
            r += 1
            flagged = str(row[6]).startswith("缺失")
            fill = MISSING_FILL if flagged else (LOWEST_FILL if row[3] == "单项否决" else None)
            for i, value in enumerate(row[:ncol]):
                kind = (
                    "integer"
                    if i == 0
                    else "number"
                    if i in (2, 3) and isinstance(value, float)
                    else "wrap"
                    if i in (4, 5)
                    else "text"
                )
                write_cell(ws, r, i, value, f.get(kind, fill))
        if rows.empty:
            r += 1
            ws.merge_range(r, 0, r, ncol - 1, "本次考核无失分项。", f.get("text"))
        r += 2
        ws.merge_range(r, 0, r, ncol - 1, _note(results, deadline, issuer), f.get("wrap"))
        ws.set_row(r, 36)
        ws.freeze_panes(header_row + 1, 0)
        print_setup(ws, repeat=False)
        ws.repeat_rows(header_row)
    return path


def feedback_markdown(
    results: Results, unit: str, *, deadline: dt.date | None = None, issuer: str | None = None
) -> str:
    """The feedback sheet as notice Markdown (rendered to DOCX by docx_render)."""
    period = period_label(results.period, results.rubric.meta.year)
    rows = feedback_rows(results, unit)
    head = feedback_header(results, unit)
    lines = [f"# {md_escape(period)}政务公开工作考核反馈单", "", "::: addressee"]
    for k in range(0, len(head), 3):
        lines.append("　　".join(f"{label}：{md_escape(str(v))}" for label, v in head[k : k + 3]))
    lines += [":::", ""]
    lines.append("| " + " | ".join(COLUMNS) + " |")
    lines.append("|" + " --- |" * len(COLUMNS))
    for row in rows.itertuples(index=False):
        cells = [
            str(row[0]),
            row[1],
            fmt(row[2]),
            row[3] if isinstance(row[3], str) else fmt(row[3]),
            row[4]
            + (f"（{row[6]}）" if str(row[6]).startswith("缺失") and row[6] not in row[4] else ""),
            "",
        ]
        lines.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
    if rows.empty:
        lines += ["", "本次考核无失分项。"]
    lines += ["", md_escape(_note(results, deadline, issuer)), ""]
    return "\n".join(lines)


def feedback_paths(results: Results, out_dir: Path, suffix: str) -> dict[str, Path]:
    """unit → ``out_dir/反馈单_<safe name><suffix>``, distinct for every unit."""
    names = unique_filenames([f"反馈单_{u}" for u in results.units], suffix=suffix)
    return {u: out_dir / n for u, n in zip(results.units, names, strict=True)}
