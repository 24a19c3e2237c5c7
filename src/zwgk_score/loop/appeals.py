"""Appeals (申诉): 申诉表 per unit, returned appeals, the office's decisions, the audit trail.

1. :func:`write_appeal_forms` lists each item a unit lost points on in the
   latest result of the period (score, 失分原因 and evidence) with columns for
   申诉理由 and 补充佐证.
2. :func:`read_appeals` reads returned 申诉表 into the ledger; an appeal after
   the window or on an item that lost nothing is recorded as 不予受理 with the reason.
3. :func:`write_decision_form` lists the pending appeals in a 申诉处理表;
   :func:`read_decisions` (or :func:`decide` from Python) records 维持 / 调整.
4. :func:`adjustments` gives the decisions ``run`` applies; every step is in
   the ledger's audit log, written out as 申诉处理记录.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import sqlalchemy as sa

from zwgk_score.errors import DataError, ZwgkError
from zwgk_score.ledger import schema as t
from zwgk_score.ledger.schema import FORM_APPEAL
from zwgk_score.ledger.store import LedgerWriter, now_text, sha256_bytes, time_text
from zwgk_score.loop.context import LoopContext, fixed_time
from zwgk_score.loop.forms import FormIdentity, _fingerprint, _info_sheet, _instructions
from zwgk_score.loop.layout import INFO_SHEET, form_id
from zwgk_score.loop.readback import FormProblem, ReturnedForm, received_time
from zwgk_score.loop.sheets import Cell, SheetSpec, address, value_text, write_workbook
from zwgk_score.methods.base import fmt
from zwgk_score.outputs.filenames import safe_filename
from zwgk_score.outputs.notice import cn_date

APPEAL_SHEET = "申诉"
APPEAL_HEADERS = (
    "序号",
    "指标编号",
    "指标名称",
    "分值",
    "得分",
    "失分",
    "失分原因及证据",
    "申诉理由",
    "补充佐证",
)
APPEAL_REASON, APPEAL_EVIDENCE = 7, 8
DECISION_SHEET = "申诉处理"
DECISION_HEADERS = (
    "申诉编号",
    "单位",
    "指标编号",
    "指标名称",
    "分值",
    "原得分",
    "申诉理由",
    "补充佐证",
    "处理结果",
    "调整后得分",
    "处理理由",
    "处理人",
    "处理日期",
)
KEEP, ADJUST = "维持", "调整"
HEADER_ROW = 3


def latest_result(ctx: LoopContext) -> dict[str, Any]:
    """The newest result of this assessment and period recorded in the ledger (results.json content)."""
    rows = [
        r
        for r in ctx.ledger.results()
        if r["assessment"] == ctx.assessment and r["period"] == ctx.period
    ]
    if not rows:
        raise DataError(
            "考核台账库中还没有本期结果",
            file=ctx.config.file,
            hint="先运行 zwgk-score run CONFIG 得出初步结果，再发放申诉表",
        )
    content: dict[str, Any] = json.loads(rows[-1]["content"])
    return content


def lost_items(content: dict[str, Any], unit: str) -> list[dict[str, Any]]:
    """A unit's indicators that lost points (lost > 0) in a result."""
    for u in content["units"]:
        if u["unit"] == unit:
            return [it for it in u["indicators"] if it["lost"] > 0 and it["applicable"]]
    return []


def appeal_form_name(unit: str) -> str:
    return f"申诉表_{safe_filename(unit)}.xlsx"


def appeal_sheet(
    ctx: LoopContext, unit: str, content: dict[str, Any]
) -> tuple[SheetSpec, FormIdentity, list[dict[str, Any]]]:
    items = lost_items(content, unit)
    ident = FormIdentity(
        FORM_APPEAL,
        form_id(FORM_APPEAL, ctx.assessment, ctx.period, unit, ctx.rubric.meta.id),
        unit,
        ctx.assessment,
        ctx.period,
        ctx.rubric.meta.id,
    )
    spec = SheetSpec(APPEAL_SHEET, [5, 8, 26, 6, 6, 6, 44, 34, 26], header_row=HEADER_ROW)
    last = len(APPEAL_HEADERS) - 1
    deadline = ctx.settings.appeal_deadline
    spec.add(
        Cell(0, 0, f"{ctx.assessment}申诉表", "title", merge_to=last),
        Cell(
            1,
            0,
            f"申诉单位：{unit}　　失分项目：{len(items)} 项　　申诉截止：{cn_date(deadline) or '见通知'}",
            "meta",
            merge_to=last,
        ),
        Cell(
            2,
            0,
            f"表单编号：{ident.form_id}　　考核细则：{ctx.rubric.meta.title}（{ctx.rubric.meta.id}）",
            "meta",
            merge_to=last,
        ),
    )
    spec.heights[0] = 30
    for i, h in enumerate(APPEAL_HEADERS):
        spec.add(Cell(HEADER_ROW, i, h, "header"))
    for k, it in enumerate(items):
        r = HEADER_ROW + 1 + k
        spec.add(
            Cell(r, 0, k + 1, "center"),
            Cell(r, 1, it["id"], "center"),
            Cell(r, 2, ctx.rubric.node(it["id"]).name, "text"),
            Cell(r, 3, it["points"], "number"),
            Cell(r, 4, it["score"], "number"),
            Cell(r, 5, it["lost"], "number"),
            Cell(r, 6, it["reason"] or "—", "text"),
            Cell(r, APPEAL_REASON, None, "input", fixed=False),
            Cell(r, APPEAL_EVIDENCE, None, "input", fixed=False),
        )
    if not items:
        spec.add(Cell(HEADER_ROW + 1, 0, "本单位本期无失分项目，无需申诉。", "text", merge_to=last))
    return spec, ident, items


def write_appeal_forms(ctx: LoopContext, out_dir: Path) -> list[Path]:
    """One 申诉表 per unit from the latest result of the period, recorded as issued."""
    content = latest_result(ctx)
    deadline = ctx.settings.appeal_deadline
    when = f"{cn_date(deadline)}前" if deadline else "规定时间内"
    paths = []
    issued = now_text()
    with ctx.ledger.begin() as w:
        for unit in ctx.roster["unit"]:
            spec, ident, _ = appeal_sheet(ctx, unit, content)
            lines = [
                f"申诉单位：{unit}。本表列出本单位在初步结果中失分的每一项，含得分、失分原因和证据。",
                "一、对某项失分有异议的，在该行“申诉理由”中写明理由，在“补充佐证”中列出佐证材料（网址或附件名称）；"
                "无异议的行不填。",
                f"二、请于{when}报送；逾期提交的申诉不予受理。只能对失分项目申诉。",
                "三、表格结构已锁定，请勿增删行列或改动已有内容。考核办公室将逐项答复（维持或调整），并记入申诉处理记录。",
            ]
            sheets = [
                _instructions(lines, f"{ctx.assessment}申诉表填报说明"),
                spec,
                _info_sheet(ident, _fingerprint(spec)),
            ]
            path = out_dir / appeal_form_name(unit)
            write_workbook(
                path,
                sheets,
                title=f"{ctx.assessment}申诉表（{unit}）",
                created=fixed_time(deadline or ctx.config.end),
            )
            w.record_form(
                assessment=ctx.assessment,
                period=ctx.period,
                kind=FORM_APPEAL,
                form_id=ident.form_id,
                unit=unit,
                rubric=ctx.rubric.meta.id,
                file_name=path.name,
                deadline=deadline.isoformat() if deadline else None,
                issued_at=issued,
            )
            paths.append(path)
    return paths


def read_appeal_form(
    ctx: LoopContext, path: Path, content: dict[str, Any], received: dt.datetime | None = None
) -> ReturnedForm:
    """Read one returned 申诉表: one value per row with a 申诉理由."""
    form = ReturnedForm(
        path, FORM_APPEAL, sha256_bytes(path.read_bytes()), received or received_time(path)
    )
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is the sender's mistake
        form.problem(f"无法作为 Excel 文件打开（{type(exc).__name__}）")
        form.status = "invalid"
        return form
    if INFO_SHEET not in wb.sheetnames or APPEAL_SHEET not in wb.sheetnames:
        form.problem("不是本次下发的申诉表，或表格结构已被改动；请用下发的原表填写")
        form.status = "invalid"
        return form
    info_ws = wb[INFO_SHEET]
    info = {
        str(info_ws.cell(r, 1).value): str(info_ws.cell(r, 2).value or "") for r in range(1, 10)
    }
    unit = form.owner = info.get("填报对象", "")
    form.form_id = info.get("表单编号", "")
    if info.get("表单种类") != "申诉表" or form.form_id != form_id(
        FORM_APPEAL, ctx.assessment, ctx.period, unit, ctx.rubric.meta.id
    ):
        form.problem("不是本次考核下发给该单位的申诉表（表单信息不符）；请用下发的原表填写")
        form.status = "invalid"
        return form
    spec, _, items = appeal_sheet(ctx, unit, content)
    ws = wb[APPEAL_SHEET]
    for r, c, expected in spec.fixed_cells():
        got = value_text(ws.cell(r + 1, c + 1).value)
        if got != expected:
            form.problem(
                f"表格结构被改动：此处应为「{expected or '空白'}」，实为「{got or '空白'}」",
                APPEAL_SHEET,
                address(r, c),
            )
            form.status = "invalid"
            return form
    for k, it in enumerate(items):
        r = HEADER_ROW + 1 + k
        reason = value_text(ws.cell(r + 1, APPEAL_REASON + 1).value)
        evidence = value_text(ws.cell(r + 1, APPEAL_EVIDENCE + 1).value)
        if not reason and evidence:
            form.problem("填了补充佐证但没有申诉理由", APPEAL_SHEET, address(r, APPEAL_REASON))
            continue
        if reason:
            form.values.append(
                {
                    "unit": unit,
                    "indicator": it["id"],
                    "score": it["score"],
                    "reason": reason,
                    "evidence": evidence,
                }
            )
    form.status = "invalid" if form.problems else "valid"
    return form


def _audit(w: LedgerWriter, ctx: LoopContext, **kw: Any) -> None:
    w.audit(ctx.assessment, ctx.period, **kw)


def record_appeal(
    ctx: LoopContext,
    w: LedgerWriter,
    *,
    unit: str,
    indicator: str,
    reason: str,
    evidence: str = "",
    received: dt.datetime | str | None = None,
    submission_id: int | None = None,
    content: dict[str, Any] | None = None,
) -> int:
    """Record one appeal; one after the window or on an item that lost nothing is 不予受理 with the reason."""
    content = content or latest_result(ctx)
    at = time_text(received)
    lost = {it["id"]: it for it in lost_items(content, unit)}
    score = next(
        (
            it["score"]
            for u in content["units"]
            if u["unit"] == unit
            for it in u["indicators"]
            if it["id"] == indicator
        ),
        None,
    )
    if score is None:
        raise DataError(f"单位「{unit}」没有指标「{indicator}」", hint="检查单位名称和指标编号")
    deadline = ctx.settings.appeal_deadline
    reject = ""
    if deadline is not None and dt.datetime.fromisoformat(at).date() > deadline:
        reject = f"超过申诉期限（截止 {cn_date(deadline)}，收到 {cn_date(dt.datetime.fromisoformat(at).date())}）"
    elif indicator not in lost:
        reject = "该项未失分，无可申诉"
    if submission_id is None:
        submission_id = w.insert(
            t.submissions,
            assessment=ctx.assessment,
            period=ctx.period,
            kind=FORM_APPEAL,
            unit=unit,
            form_id=None,
            file_name="(Python API)",
            sha256="",
            received_at=at,
            status="valid",
            errors="",
        )
    aid = w.insert(
        t.appeals,
        assessment=ctx.assessment,
        period=ctx.period,
        submission_id=submission_id,
        unit=unit,
        indicator=indicator,
        score_before=float(score),
        reason=reason,
        evidence=evidence,
        received_at=at,
        status="rejected" if reject else "pending",
        reject_reason=reject,
    )
    _audit(
        w,
        ctx,
        at=at,
        actor=unit,
        action="申诉不予受理" if reject else "提出申诉",
        unit=unit,
        indicator=indicator,
        before=float(score),
        reason=reject or reason,
    )
    return aid


def read_appeals(ctx: LoopContext, folder: Path) -> list[ReturnedForm]:
    """Read the new returned 申诉表 of a folder into the ledger; return them.

    A file already read (same content) is skipped before it is checked: it was
    checked against the result it was issued from, which later decisions change.
    """
    content = latest_result(ctx)
    files = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
    known = {
        r["sha256"]
        for r in ctx.ledger.rows(
            t.submissions, assessment=ctx.assessment, period=ctx.period, kind=FORM_APPEAL
        )
    }
    new = [p for p in files if sha256_bytes(p.read_bytes()) not in known]
    forms = [read_appeal_form(ctx, p, content) for p in new]
    with ctx.ledger.begin() as w:
        for form in forms:
            sid = w.insert(
                t.submissions,
                assessment=ctx.assessment,
                period=ctx.period,
                kind=FORM_APPEAL,
                unit=form.owner or form.path.name,
                form_id=form.form_id or None,
                file_name=form.path.name,
                sha256=form.sha256,
                received_at=time_text(form.received),
                status=form.status,
                errors="\n".join(str(p) for p in form.problems),
            )
            if form.status != "valid":
                continue
            for v in form.values:
                record_appeal(
                    ctx,
                    w,
                    unit=v["unit"],
                    indicator=v["indicator"],
                    reason=v["reason"],
                    evidence=v["evidence"],
                    received=form.received,
                    submission_id=sid,
                    content=content,
                )
    return forms


def pending_appeals(ctx: LoopContext) -> list[dict[str, Any]]:
    return ctx.ledger.rows(
        t.appeals, assessment=ctx.assessment, period=ctx.period, status="pending"
    )


def decision_sheet(ctx: LoopContext, appeals: list[dict[str, Any]]) -> SheetSpec:
    spec = SheetSpec(
        DECISION_SHEET, [8, 14, 8, 22, 6, 7, 30, 20, 9, 9, 30, 9, 12], header_row=HEADER_ROW
    )
    last = len(DECISION_HEADERS) - 1
    spec.add(
        Cell(0, 0, f"{ctx.assessment}申诉处理表", "title", merge_to=last),
        Cell(
            1,
            0,
            f"待处理申诉：{len(appeals)} 项　　处理结果选择“维持”或“调整”；调整的填写调整后得分；每项写明处理理由、处理人和处理日期（如 2024-02-10）。",
            "meta",
            merge_to=last,
        ),
        Cell(
            2,
            0,
            f"考核细则：{ctx.rubric.meta.title}（{ctx.rubric.meta.id}）　　期别：{ctx.period}",
            "meta",
            merge_to=last,
        ),
    )
    spec.heights[0] = 30
    for i, h in enumerate(DECISION_HEADERS):
        spec.add(Cell(HEADER_ROW, i, h, "header"))
    for k, a in enumerate(appeals):
        r = HEADER_ROW + 1 + k
        node = ctx.rubric.node(a["indicator"])
        spec.add(
            Cell(r, 0, f"SS{a['id']:04d}", "center"),
            Cell(r, 1, a["unit"], "text"),
            Cell(r, 2, a["indicator"], "center"),
            Cell(r, 3, node.name, "text"),
            Cell(r, 4, node.points, "number"),
            Cell(r, 5, a["score_before"], "number"),
            Cell(r, 6, a["reason"], "text"),
            Cell(r, 7, a["evidence"], "text"),
            Cell(r, 8, None, "input", fixed=False, choices=(KEEP, ADJUST)),
            Cell(r, 9, None, "input_number", fixed=False, between=(0.0, node.points)),
            Cell(r, 10, None, "input", fixed=False),
            Cell(r, 11, None, "input", fixed=False),
            Cell(r, 12, None, "input", fixed=False),
        )
    return spec


def write_decision_form(ctx: LoopContext, path: Path) -> Path:
    """The 申诉处理表 listing every pending appeal of the period."""
    spec = decision_sheet(ctx, pending_appeals(ctx))
    return write_workbook(
        path,
        [spec],
        title=f"{ctx.assessment}申诉处理表",
        created=fixed_time(ctx.settings.appeal_deadline or ctx.config.end),
    )


def decide(
    ctx: LoopContext,
    w: LedgerWriter,
    appeal_id: int,
    decision: str,
    *,
    reason: str,
    by: str,
    score_after: float | None = None,
    at: dt.datetime | str | None = None,
) -> None:
    """Record the office's decision on one pending appeal (维持 keeps the score; 调整 sets ``score_after``)."""
    row = w.conn.execute(sa.select(t.appeals).where(t.appeals.c.id == appeal_id)).first()
    if row is None or row.status != "pending":
        raise DataError(
            f"申诉 SS{appeal_id:04d} 不存在或已处理", hint="zwgk-score appeals 列出待处理的申诉"
        )
    points = ctx.rubric.node(row.indicator).points
    if decision not in (KEEP, ADJUST):
        raise DataError(f"处理结果「{decision}」应为「维持」或「调整」")
    if not reason.strip() or not by.strip():
        raise DataError("处理理由和处理人都须填写", hint="每项申诉的处理都要写明谁决定、为什么")
    after = float(row.score_before) if decision == KEEP else score_after
    if after is None or not 0 <= after <= points + 1e-9:
        raise DataError(f"调整后得分应在 0 到 {fmt(points)} 之间", hint="“调整”须填写调整后得分")
    when = time_text(at)
    w.insert(
        t.decisions,
        assessment=ctx.assessment,
        period=ctx.period,
        appeal_id=appeal_id,
        unit=row.unit,
        indicator=row.indicator,
        decision=decision,
        score_before=float(row.score_before),
        score_after=after,
        reason=reason,
        decided_by=by,
        decided_at=when,
    )
    w.update(t.appeals, appeal_id, status="decided")
    _audit(
        w,
        ctx,
        at=when,
        actor=by,
        action=f"申诉处理：{decision}",
        unit=row.unit,
        indicator=row.indicator,
        before=float(row.score_before),
        after=after,
        reason=reason,
    )


def read_decisions(ctx: LoopContext, path: Path) -> int:
    """Record the decisions filled in a 申诉处理表 (rows already decided are skipped); return how many."""
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"无法打开申诉处理表（{type(exc).__name__}）", file=path) from None
    if DECISION_SHEET not in wb.sheetnames:
        raise DataError(
            f"缺少工作表「{DECISION_SHEET}」",
            file=path,
            hint="用 zwgk-score appeals 生成的申诉处理表",
        )
    ws = wb[DECISION_SHEET]
    done = 0
    with ctx.ledger.begin() as w:
        pending = {a["id"] for a in pending_appeals(ctx)}
        for r in range(HEADER_ROW + 2, ws.max_row + 1):
            code = value_text(ws.cell(r, 1).value)
            if not code.startswith("SS"):
                continue
            aid = int(code[2:])
            decision = value_text(ws.cell(r, 9).value)
            if aid not in pending or not decision:
                continue
            raw = ws.cell(r, 10).value
            when = ws.cell(r, 13).value
            if isinstance(when, dt.datetime | dt.date):
                when_text = (
                    when.isoformat()
                    if isinstance(when, dt.datetime)
                    else f"{when.isoformat()}T00:00:00"
                )
            else:
                when_text = value_text(when)
                try:
                    when_text = (
                        dt.datetime.fromisoformat(when_text).isoformat() if when_text else ""
                    )
                except ValueError:
                    raise DataError(
                        f"处理日期「{when_text}」格式不正确",
                        file=path,
                        path=f"工作表 {DECISION_SHEET}，单元格 M{r}",
                        hint="如 2024-02-10",
                    ) from None
            try:
                decide(
                    ctx,
                    w,
                    aid,
                    decision,
                    reason=value_text(ws.cell(r, 11).value),
                    by=value_text(ws.cell(r, 12).value),
                    score_after=float(raw) if isinstance(raw, int | float) else None,
                    at=when_text or None,
                )
            except ZwgkError as exc:
                raise DataError(
                    exc.message,
                    file=path,
                    path=f"工作表 {DECISION_SHEET}，第 {r} 行",
                    hint=exc.hint,
                ) from None
            done += 1
    return done


def adjustments(ctx: LoopContext) -> dict[tuple[str, str], dict[str, Any]]:
    """(unit, indicator) → the last 调整 decision of the period (what ``run`` applies)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for d in ctx.ledger.decisions(ctx.assessment, ctx.period):
        if d["decision"] == ADJUST:
            out[(d["unit"], d["indicator"])] = {
                "before": d["score_before"],
                "after": d["score_after"],
                "reason": d["reason"],
                "by": d["decided_by"],
                "at": d["decided_at"],
                "appeal": f"SS{d['appeal_id']:04d}",
            }
    return out


AUDIT_HEADERS = (
    "序号",
    "时间",
    "操作人",
    "操作",
    "单位",
    "指标编号",
    "指标名称",
    "原得分",
    "新得分",
    "理由",
)


def time_cn(text: str) -> str:
    """An ISO time as a person reads it: 2024年2月10日 09:30."""
    try:
        t0 = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{cn_date(t0.date())} {t0:%H:%M}"


def audit_sheet(ctx: LoopContext) -> SheetSpec:
    rows = ctx.ledger.audit_log(ctx.assessment, ctx.period)
    rows.sort(key=lambda a: (a["at"], a["id"]))
    spec = SheetSpec(
        "申诉处理记录", [5, 18, 12, 14, 16, 8, 22, 7, 7, 40], header_row=HEADER_ROW, protect=False
    )
    last = len(AUDIT_HEADERS) - 1
    spec.add(
        Cell(0, 0, f"{ctx.assessment}申诉处理记录", "title", merge_to=last),
        Cell(
            1,
            0,
            f"共 {len(rows)} 条记录，按时间先后排列；每项调整均注明处理人、时间和理由。",
            "meta",
            merge_to=last,
        ),
        Cell(2, 0, f"期别：{ctx.period}", "meta", merge_to=last),
    )
    spec.heights[0] = 30
    for i, h in enumerate(AUDIT_HEADERS):
        spec.add(Cell(HEADER_ROW, i, h, "header"))
    for k, a in enumerate(rows):
        r = HEADER_ROW + 1 + k
        name = (
            ctx.rubric.node(a["indicator"]).name
            if a["indicator"] in {n.id for n in ctx.rubric.nodes()}
            else ""
        )
        spec.add(
            Cell(r, 0, k + 1, "center"),
            Cell(r, 1, time_cn(a["at"]), "text"),
            Cell(r, 2, a["actor"], "text"),
            Cell(r, 3, a["action"], "text"),
            Cell(r, 4, a["unit"], "text"),
            Cell(r, 5, a["indicator"], "center"),
            Cell(r, 6, name, "text"),
            Cell(r, 7, a["before"] if a["before"] is not None else "", "number"),
            Cell(r, 8, a["after"] if a["after"] is not None else "", "number"),
            Cell(r, 9, a["reason"], "text"),
        )
    return spec


def write_audit_log(ctx: LoopContext, path: Path) -> Path | None:
    """申诉处理记录.xlsx from the ledger's audit log of the period (None when there is nothing)."""
    spec = audit_sheet(ctx)
    if len(spec.cells) <= 3 + len(AUDIT_HEADERS):
        return None
    return write_workbook(
        path, [spec], title=f"{ctx.assessment}申诉处理记录", created=fixed_time(ctx.config.end)
    )


__all__ = ["FormProblem", "attrs"]
