"""Who has returned the 自评表 (报送情况): submitted, not submitted, late, invalid."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zwgk_score.errors import ConfigError
from zwgk_score.ledger.schema import FORM_SELF
from zwgk_score.ledger.store import time_text
from zwgk_score.loop.appeals import time_cn
from zwgk_score.loop.context import LoopContext, fixed_time
from zwgk_score.loop.readback import ReturnedForm, read_folder
from zwgk_score.loop.record import record_forms
from zwgk_score.loop.sheets import Cell, SheetSpec, write_workbook

SUBMITTED, LATE, REJECTED, INVALID, MISSING = (
    "已报送",
    "逾期报送",
    "逾期未采用",
    "表单无效",
    "未报送",
)
COLUMNS = ("序号", "单位", "考核类别", "报送情况", "文件", "收到时间", "问题")


def self_folder(ctx: LoopContext) -> Path:
    """The folder of the ``self_assessment`` collector in the config."""
    for entry in ctx.config.collectors:
        if entry.collector == "self_assessment" and isinstance(entry.settings.get("folder"), str):
            return ctx.config.base_dir / str(entry.settings["folder"])
    raise ConfigError(
        "考核配置中没有 self_assessment 采集器",
        file=ctx.config.file,
        path="collectors",
        hint='加上 [collectors.self_assessment] folder = "returned/自评"',
    )


def submission_status(
    ctx: LoopContext, folder: Path | None = None
) -> tuple[pd.DataFrame, list[ReturnedForm]]:
    """One row per unit (roster order) and the forms read; the forms are recorded in the ledger."""
    folder = folder or self_folder(ctx)
    forms = read_folder(ctx, folder, FORM_SELF) if folder.is_dir() else []
    with ctx.ledger.begin() as w:
        record_forms(ctx, w, forms)
    by_unit: dict[str, list[ReturnedForm]] = {}
    stray: list[ReturnedForm] = []
    units = set(ctx.roster["unit"])
    for f in forms:
        sender = (
            f.named if f.named in units else f.owner
        )  # another unit's form: listed under its sender
        (by_unit.setdefault(sender, []) if sender in units else stray).append(f)
    rows = []
    for unit, group in zip(ctx.roster["unit"], ctx.roster["group"], strict=True):
        mine = by_unit.get(unit, [])
        used = next((f for f in mine if f.usable), None)
        if used is not None:
            state = LATE if used.late else SUBMITTED
        elif any(f.status == "rejected" for f in mine):
            state = REJECTED
        elif mine:
            state = INVALID
        else:
            state = MISSING
        shown = used or (mine[0] if mine else None)
        rows.append(
            {
                "单位": unit,
                "考核类别": ctx.rubric.group(str(group)).name,
                "报送情况": state,
                "文件": "、".join(f.path.name for f in mine),
                "收到时间": time_cn(time_text(shown.received)) if shown else "",
                "问题": "\n".join(str(p) for f in mine for p in f.problems),
            }
        )
    for f in stray:
        rows.append(
            {
                "单位": f.owner or "（无法识别）",
                "考核类别": "",
                "报送情况": INVALID,
                "文件": f.path.name,
                "收到时间": time_cn(time_text(f.received)),
                "问题": "\n".join(str(p) for p in f.problems),
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS[1:])), forms


def status_text(table: pd.DataFrame) -> str:
    """The summary the CLI prints: counts, then the units not submitted and the problems."""
    counts = table["报送情况"].value_counts()
    lines = [
        "报送情况："
        + "，".join(
            f"{k} {int(counts.get(k, 0))} 个" for k in (SUBMITTED, LATE, REJECTED, INVALID, MISSING)
        )
    ]
    for state in (MISSING, REJECTED, INVALID):
        units = table[table["报送情况"] == state]["单位"].tolist()
        if units:
            lines.append(f"{state}：{'、'.join(units)}")
    for problem in table["问题"]:
        lines.extend(f"  {p}" for p in str(problem).splitlines() if p)
    return "\n".join(lines)


def write_status(ctx: LoopContext, table: pd.DataFrame, path: Path) -> Path:
    widths = [5, 20, 10, 10, 26, 16, 70]
    spec = SheetSpec("报送情况", widths, header_row=2, protect=False)
    last = len(COLUMNS) - 1
    spec.add(Cell(0, 0, f"{ctx.assessment}自评表报送情况", "title", merge_to=last))
    spec.heights[0] = 30
    counts = table["报送情况"].value_counts()
    spec.add(
        Cell(
            1,
            0,
            "　".join(
                f"{k} {int(counts.get(k, 0))} 个"
                for k in (SUBMITTED, LATE, REJECTED, INVALID, MISSING)
            ),
            "meta",
            merge_to=last,
        )
    )
    for i, h in enumerate(COLUMNS):
        spec.add(Cell(2, i, h, "header"))
    for k, row in enumerate(table.itertuples(index=False)):
        r = 3 + k
        spec.add(Cell(r, 0, k + 1, "center"))
        for i, v in enumerate(row, start=1):
            spec.add(Cell(r, i, str(v), "center" if i == 3 else "text"))
    return write_workbook(
        path,
        [spec],
        title=f"{ctx.assessment}自评表报送情况",
        created=fixed_time(ctx.settings.self_deadline or ctx.config.end),
    )
