"""Rectification (整改): returned feedback sheets with 整改情况, the 整改台账, and who reported back.

A unit returns its 反馈单 with the 整改情况 column filled in.  A reply counts
as 已整改 unless it says otherwise (starts with 未 / 尚未, or says 整改中 /
正在整改); a lost item without a reply, and a unit that sent nothing, count
as 未整改 ("逾期未反馈的视为未整改").
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pandas as pd
import sqlalchemy as sa

from zwgk_score.errors import ConfigError
from zwgk_score.ledger import Ledger
from zwgk_score.ledger import schema as t
from zwgk_score.ledger.schema import FORM_FEEDBACK
from zwgk_score.ledger.store import sha256_bytes, time_text
from zwgk_score.loop.context import LoopContext, fixed_time
from zwgk_score.loop.readback import FormProblem, ReturnedForm, received_time
from zwgk_score.loop.sheets import Cell, SheetSpec, write_workbook

RECTIFIED, NOT_RECTIFIED, NO_REPLY = "已整改", "未整改", "未反馈（视为未整改）"
_NOT_DONE = re.compile(r"^(未|尚未|没有)|整改中|正在整改|暂未")


def is_rectified(reply: str) -> bool:
    """Whether a 整改情况 reply reports the problem as rectified."""
    text = reply.strip()
    return bool(text) and not _NOT_DONE.search(text)


def _names(ctx: LoopContext) -> dict[str, str]:
    out = {}
    for leaf in ctx.rubric.leaves:
        out[leaf.name] = leaf.id
        out[f"{leaf.name}（重大扣分项）"] = leaf.id
    return out


def _col(c: int) -> str:
    return chr(64 + c) if c <= 26 else f"第{c}列"


def read_feedback(ctx: LoopContext, path: Path) -> ReturnedForm:
    """Read one returned 反馈单 (from the ``feedback`` exporter); values: indicator, problem, reply."""
    form = ReturnedForm(path, FORM_FEEDBACK, sha256_bytes(path.read_bytes()), received_time(path))
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
        ws = wb["反馈单"]
    except Exception as exc:  # noqa: BLE001 - the sender's file
        form.problem(f"不是反馈单或无法打开（{type(exc).__name__}）；请用下发的反馈单填写")
        form.status = "invalid"
        return form
    header, cols = None, {}
    for r in range(1, min(ws.max_row, 20) + 1):
        text = str(ws.cell(r, 1).value or "")
        if m := re.match(r"单位：(\S+)", text):
            form.owner = m[1]
        row = {str(ws.cell(r, c).value or "").strip(): c for c in range(1, ws.max_column + 1)}
        if text == "序号" and {"测评指标", "整改情况"} <= set(row):
            header, cols = r, row
            break
    if header is None or form.owner not in set(ctx.roster["unit"]):
        form.problem(
            "找不到单位名称或“整改情况”表头：表格结构被改动；请用下发的反馈单填写", "反馈单"
        )
        form.status = "invalid"
        return form
    names = _names(ctx)
    for r in range(header + 1, ws.max_row + 1):
        seq = ws.cell(r, 1).value
        if not isinstance(seq, int | float):
            continue
        name = str(ws.cell(r, cols["测评指标"]).value or "").strip()
        if name not in names:
            form.problem(
                f"测评指标「{name}」不在考核细则中", "反馈单", f"{_col(cols['测评指标'])}{r}"
            )
            continue
        reply = str(ws.cell(r, cols["整改情况"]).value or "").strip()
        problem = ws.cell(r, cols["失分原因"]).value if "失分原因" in cols else ""
        form.values.append(
            {"indicator": names[name], "problem": str(problem or ""), "reply": reply}
        )
    form.status = "invalid" if form.problems else "valid"
    return form


def read_rectifications(ctx: LoopContext, folder: Path | None = None) -> list[ReturnedForm]:
    """Read every returned feedback sheet of the folder into the ledger (a file already read is skipped)."""
    folder = folder or ctx.settings.feedback
    if folder is None:
        raise ConfigError(
            "没有给出收回反馈单的目录",
            file=ctx.config.file,
            path="ledger.feedback",
            hint='在 [ledger] 中写 feedback = "returned/反馈"',
        )
    files = (
        sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
        if folder.is_dir()
        else []
    )
    forms = [read_feedback(ctx, p) for p in files]
    with ctx.ledger.begin() as w:
        for form in forms:
            seen = w.conn.execute(
                sa.select(t.submissions.c.id).where(
                    t.submissions.c.kind == FORM_FEEDBACK,
                    t.submissions.c.sha256 == form.sha256,
                    t.submissions.c.assessment == ctx.assessment,
                    t.submissions.c.period == ctx.period,
                )
            ).first()
            if seen is not None:
                continue
            sid = w.insert(
                t.submissions,
                assessment=ctx.assessment,
                period=ctx.period,
                kind=FORM_FEEDBACK,
                unit=form.owner or form.path.name,
                form_id=None,
                file_name=form.path.name,
                sha256=form.sha256,
                received_at=time_text(form.received),
                status=form.status,
                errors="\n".join(str(p) for p in form.problems),
            )
            if form.status == "valid":
                w.insert_many(
                    t.rectifications,
                    [
                        {
                            "assessment": ctx.assessment,
                            "period": ctx.period,
                            "submission_id": sid,
                            "unit": form.owner,
                            "indicator": v["indicator"],
                            "problem": v["problem"],
                            "reply": v["reply"],
                            "rectified": is_rectified(v["reply"]),
                        }
                        for v in form.values
                    ],
                )
    return forms


@attrs.frozen
class RectificationStatus:
    """Who reported back on a period's problems (for the next notice's 上期问题整改情况)."""

    assessment: str
    period: str
    reported: tuple[str, ...]  # units with lost items that returned their feedback sheet
    not_reported: tuple[str, ...]  # units with lost items that did not (视为未整改)
    rectified: tuple[str, ...]  # units that rectified every lost item
    not_rectified: tuple[str, ...]  # units with at least one item 未整改 or 未反馈
    items: pd.DataFrame  # 单位, 指标编号, 扣分, 问题, 整改情况, 状态


def rectification_status(ledger: Ledger, assessment: str, period: str) -> RectificationStatus:
    """The 整改台账 of one period: every lost item of its latest result and the unit's reply."""
    latest = [
        r for r in ledger.results() if r["assessment"] == assessment and r["period"] == period
    ]
    if not latest:
        raise ConfigError(
            f"考核台账库中没有「{assessment}」{period} 的结果",
            path="ledger",
            hint="先对该期运行 zwgk-score run",
        )
    content: dict[str, Any] = json.loads(latest[-1]["content"])
    replies: dict[tuple[str, str], dict[str, Any]] = {}
    for row in ledger.rows(t.rectifications, assessment=assessment, period=period):
        replies[(row["unit"], row["indicator"])] = row  # a later reply replaces an earlier one
    reported_units = {u for u, _ in replies}
    rows = []
    for u in content["units"]:
        for it in u["indicators"]:
            if not (it["lost"] > 0 and it["applicable"]):
                continue
            rep = replies.get((u["unit"], it["id"]))
            state = (
                NO_REPLY
                if rep is None or not rep["reply"]
                else RECTIFIED
                if rep["rectified"]
                else NOT_RECTIFIED
            )
            rows.append(
                {
                    "单位": u["unit"],
                    "指标编号": it["id"],
                    "扣分": it["lost"],
                    "问题": it["reason"],
                    "整改情况": rep["reply"] if rep else "",
                    "状态": state,
                }
            )
    items = pd.DataFrame(rows, columns=["单位", "指标编号", "扣分", "问题", "整改情况", "状态"])
    order = list(dict.fromkeys(items["单位"]))
    bad = set(items[items["状态"] != RECTIFIED]["单位"])
    return RectificationStatus(
        assessment,
        period,
        reported=tuple(u for u in order if u in reported_units),
        not_reported=tuple(u for u in order if u not in reported_units),
        rectified=tuple(u for u in order if u not in bad),
        not_rectified=tuple(u for u in order if u in bad),
        items=items,
    )


def write_rectification_ledger(ctx: LoopContext, status: RectificationStatus, path: Path) -> Path:
    """整改台账.xlsx: every lost item with the reply and 已整改 / 未整改 / 未反馈."""
    headers = ("序号", "单位", "指标编号", "指标名称", "扣分", "问题", "整改情况", "状态")
    spec = SheetSpec("整改台账", [5, 18, 8, 22, 6, 50, 40, 12], header_row=2, protect=False)
    last = len(headers) - 1
    spec.add(Cell(0, 0, f"{ctx.assessment}整改台账", "title", merge_to=last))
    spec.heights[0] = 30
    counts = status.items["状态"].value_counts()
    spec.add(
        Cell(
            1,
            0,
            f"失分项目 {len(status.items)} 项："
            + "，".join(
                f"{k} {int(counts.get(k, 0))} 项" for k in (RECTIFIED, NOT_RECTIFIED, NO_REPLY)
            )
            + f"；未反馈单位 {len(status.not_reported)} 个",
            "meta",
            merge_to=last,
        )
    )
    for i, h in enumerate(headers):
        spec.add(Cell(2, i, h, "header"))
    for k, row in enumerate(status.items.itertuples(index=False)):
        r = 3 + k
        spec.add(
            Cell(r, 0, k + 1, "center"),
            Cell(r, 1, row[0], "text"),
            Cell(r, 2, row[1], "center"),
            Cell(r, 3, ctx.rubric.node(row[1]).name, "text"),
            Cell(r, 4, float(row[2]), "number"),
            Cell(r, 5, str(row[3]), "text"),
            Cell(r, 6, str(row[4]), "text"),
            Cell(r, 7, row[5], "center"),
        )
    return write_workbook(
        path, [spec], title=f"{ctx.assessment}整改台账", created=fixed_time(ctx.config.end)
    )


__all__ = [
    "FormProblem",
    "RectificationStatus",
    "rectification_status",
    "read_rectifications",
    "is_rectified",
]
