"""Reading returned forms (收回表单): identity, structure and every input, with located problems.

A problem never stops the other forms from being read: each returned form
gets its list of :class:`FormProblem` ("自评表_某局.xlsx，工作表 自评，单元格
E12：自评分 12 超过该项分值 10"), and only forms without problems are used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import openpyxl

from zwgk_score.ledger.schema import FORM_REVIEW, FORM_SELF
from zwgk_score.ledger.store import sha256_bytes
from zwgk_score.loop import forms as F
from zwgk_score.loop.context import LoopContext
from zwgk_score.loop.layout import DONE, INFO_SHEET, NA, NO, NOT_DONE, YES, FormRow, form_id
from zwgk_score.loop.sheets import SheetSpec, address, value_text
from zwgk_score.methods.base import fmt
from zwgk_score.outputs.filenames import safe_filename
from zwgk_score.outputs.notice import cn_date

KIND_LABELS = {FORM_SELF: "自评表", FORM_REVIEW: "复核表"}
STATUS_LABELS = {
    "valid": "有效",
    "late": "逾期（已采用）",
    "rejected": "逾期（不予采用）",
    "invalid": "无效",
}


@attrs.frozen
class FormProblem:
    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f"，工作表 {self.sheet}"
        if self.cell:
            where += f"，单元格 {self.cell}"
        return f"{where}：{self.message}"


@attrs.define
class ReturnedForm:
    """One returned file and what was read from it."""

    path: Path
    kind: str
    sha256: str
    received: dt.datetime
    owner: str = ""
    form_id: str = ""
    problems: list[FormProblem] = attrs.Factory(list)
    late: bool = False
    values: list[dict[str, Any]] = attrs.Factory(list)
    status: str = "valid"
    #: the unit its file name says sent it, when that is not the form's own unit
    named: str = ""

    @property
    def usable(self) -> bool:
        return self.status in ("valid", "late")

    def problem(self, message: str, sheet: str | None = None, cell: str | None = None) -> None:
        self.problems.append(FormProblem(self.path.name, message, sheet, cell))


def received_time(path: Path) -> dt.datetime:
    """When a returned file arrived: its modification time (seconds, local time)."""
    return dt.datetime.fromtimestamp(int(path.stat().st_mtime))


def _number(value: object) -> float | None | str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return str(value)


def _open(form: ReturnedForm, label: str) -> Any:
    try:
        return openpyxl.load_workbook(form.path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the sender's mistake
        form.problem(f"无法作为 Excel 文件打开（{type(exc).__name__}），请对方重新报送{label}")
        return None


def _identity(form: ReturnedForm, wb: Any, ctx: LoopContext, kind: str) -> dict[str, str] | None:
    label = KIND_LABELS[kind]
    if INFO_SHEET not in wb.sheetnames:
        form.problem(
            f"不是本次下发的{label}（缺少表单信息），或表格结构已被改动；请用下发的原表填写"
        )
        return None
    ws = wb[INFO_SHEET]
    info = {str(ws.cell(r, 1).value): str(ws.cell(r, 2).value or "") for r in range(1, 10)}
    if info.get("表单种类") != label:
        form.problem(f"这是一份{info.get('表单种类') or '未知表单'}，不是{label}")
        return None
    if info.get("细则") != ctx.rubric.meta.id:
        form.problem(
            f"这份{label}属于另一考核细则「{info.get('细则')}」，本次考核细则为「{ctx.rubric.meta.id}」；请用本次下发的表"
        )
        return None
    if info.get("考核") != ctx.assessment or info.get("期别") != ctx.period:
        form.problem(
            f"这份{label}属于另一次考核（{info.get('考核')}，{info.get('期别')}）；请用本次下发的表"
        )
        return None
    owner = info.get("填报对象", "")
    if info.get("表单编号") != form_id(kind, ctx.assessment, ctx.period, owner, ctx.rubric.meta.id):
        form.problem("表单编号与填报对象不符（隐藏的表单信息被改动）；请用下发的原表填写")
        return None
    return info


def _check_name(form: ReturnedForm, owner: str, prefix: str) -> None:
    m = re.fullmatch(rf"{prefix}_(.+?)(?:\(\d+\))?\.xlsx", form.path.name)
    if m and m[1] != safe_filename(owner):
        form.named = m[1]
        form.problem(
            f"文件名表明是「{m[1]}」报送的，但表中填报对象是「{owner}」：用了其他单位的表；请使用本单位的表重新报送"
        )


def _check_structure(form: ReturnedForm, ws: Any, spec: SheetSpec) -> bool:
    for r, c, expected in spec.fixed_cells():
        got = value_text(ws.cell(r + 1, c + 1).value)
        if got != expected:
            form.problem(
                f"表格结构被改动：此处应为「{expected or '空白'}」，实为「{got or '空白'}」；请用下发的原表重新填写",
                spec.name,
                address(r, c),
            )
            return False
    return True


def _score_cell(
    form: ReturnedForm, ws: Any, sheet: str, r: int, c: int, row: FormRow, label: str
) -> float | None:
    raw = _number(ws.cell(r + 1, c + 1).value)
    cell = address(r, c)
    if raw is None:
        return None
    if isinstance(raw, str):
        form.problem(f"{label}「{raw}」不是数字", sheet, cell)
        return None
    if raw < 0:
        form.problem(f"{label} {fmt(raw)} 不能为负数", sheet, cell)
        return None
    if raw > row.points + 1e-9:
        form.problem(f"{label} {fmt(raw)} 超过该项分值 {fmt(row.points)}", sheet, cell)
        return None
    return raw


def _choice_cell(
    form: ReturnedForm,
    ws: Any,
    sheet: str,
    r: int,
    c: int,
    row: FormRow,
    extra: tuple[str, ...] = (),
) -> str:
    value = ws.cell(r + 1, c + 1).value
    text = "" if value is None else str(value).strip()
    allowed = [*row.choices(), *extra]
    if text and text not in allowed:
        form.problem(f"「{text}」不是可选项（可选：{'、'.join(allowed)}）", sheet, address(r, c))
        return ""
    return text


def _text(ws: Any, r: int, c: int) -> str:
    value = ws.cell(r + 1, c + 1).value
    return "" if value is None else str(value).strip()


def _derive(row: FormRow, choice: str, parts: list[tuple[FormRow, str]]) -> float | None:
    node = row.node
    if node.method == "levels" and choice:
        return float(next(node.points * lv.share for lv in node.params.levels if lv.name == choice))
    if node.method == "binary" and choice:
        return node.points if choice == YES else 0.0
    if node.method == "checklist" and parts and all(c for _, c in parts):
        return sum(p.points for p, c in parts if c == DONE)
    return None


def _late(form: ReturnedForm, ctx: LoopContext, deadline: dt.date | None, label: str) -> None:
    if deadline is None or form.received.date() <= deadline:
        return
    form.late = True
    if ctx.settings.late == "reject" and form.kind == FORM_SELF:
        form.problem(
            f"逾期报送：截止日期 {cn_date(deadline)}，收到日期 {cn_date(form.received.date())}；按未报送处理"
        )


def read_self_form(
    ctx: LoopContext, path: Path, received: dt.datetime | None = None
) -> ReturnedForm:
    """Read one returned 自评表; the unit's self-scores go to ``values``."""
    form = ReturnedForm(
        path, FORM_SELF, sha256_bytes(path.read_bytes()), received or received_time(path)
    )
    wb = _open(form, "自评表")
    info = _identity(form, wb, ctx, FORM_SELF) if wb is not None else None
    if info is None:
        form.status = "invalid"
        return form
    unit = form.owner = info["填报对象"]
    form.form_id = info["表单编号"]
    _check_name(form, unit, "自评表")
    if unit not in set(ctx.roster["unit"]):
        form.problem(f"单位「{unit}」不在本次考核的单位名单中")
        form.status = "invalid"
        return form
    spec, _, rows = F.self_form_sheet(ctx, unit)
    sheet = F.SELF_SHEET
    if sheet not in wb.sheetnames:
        form.problem(f"缺少工作表「{sheet}」；请用下发的原表填写")
    elif _check_structure(form, wb[sheet], spec):
        ws = wb[sheet]
        base = F.HEADER_ROW + 1
        for k, row in enumerate(rows):
            if row.kind != "item":
                continue
            r = base + k
            parts: list[tuple[FormRow, str]] = []
            j = k + 1
            while j < len(rows) and rows[j].kind == "part":
                parts.append(
                    (rows[j], _choice_cell(form, ws, sheet, base + j, F.SELF_CHOICE, rows[j]))
                )
                j += 1
            score = _score_cell(form, ws, sheet, r, F.SELF_SCORE, row, "自评分")
            choice = _choice_cell(form, ws, sheet, r, F.SELF_CHOICE, row) if row.choices() else ""
            blank = _number(ws.cell(r + 1, F.SELF_SCORE + 1).value) is None
            if blank:
                score = _derive(row, choice, parts)
                if score is None:
                    form.problem("未填写自评分", sheet, address(r, F.SELF_SCORE))
                    continue
            if score is None:
                continue
            done = [p.part_name for p, c in parts if c == DONE]
            form.values.append(
                {
                    "unit": unit,
                    "indicator": row.node.id,
                    "score": score,
                    "choice": choice or ("、".join(done) if parts and done else ""),
                    "note": _text(ws, r, F.SELF_NOTE),
                    "evidence": _text(ws, r, F.SELF_EVIDENCE),
                    "cell": address(r, F.SELF_SCORE),
                }
            )
    _late(form, ctx, ctx.settings.self_deadline, "自评表")
    form.status = _status(form)
    return form


def read_review_form(
    ctx: LoopContext, path: Path, received: dt.datetime | None = None
) -> ReturnedForm:
    """Read one returned 复核表; one value per (unit, indicator) judged."""
    form = ReturnedForm(
        path, FORM_REVIEW, sha256_bytes(path.read_bytes()), received or received_time(path)
    )
    wb = _open(form, "复核表")
    info = _identity(form, wb, ctx, FORM_REVIEW) if wb is not None else None
    if info is None:
        form.status = "invalid"
        return form
    reviewer = form.owner = info["填报对象"]
    form.form_id = info["表单编号"]
    groups = F.reviewer_groups(ctx)
    if reviewer not in groups:
        form.problem(f"复核组「{reviewer}」不在本次考核的复核组中")
        form.status = "invalid"
        return form
    # the self-score columns are data, not structure: rebuild the layout without them
    spec, _, rows = F.review_form_sheet(ctx, reviewer, groups[reviewer], {})
    sheet = F.REVIEW_SHEET
    if sheet not in wb.sheetnames:
        form.problem(f"缺少工作表「{sheet}」；请用下发的原表填写")
    elif _check_structure(form, wb[sheet], spec):
        ws = wb[sheet]
        base = F.HEADER_ROW + 1
        for k, (unit, row) in enumerate(rows):
            if row is None or row.kind != "item":
                continue
            r = base + k
            node = row.node
            value: dict[str, Any] = {
                "unit": unit,
                "indicator": node.id,
                "reason": _text(ws, r, F.REVIEW_REASON),
                "na": False,
            }
            if _choice_cell(form, ws, sheet, r, F.REVIEW_CHOICE, row, (NA,)) == NA:
                value.update(score=None, choice=NA, na=True, cell=address(r, F.REVIEW_CHOICE))
            elif node.method == "manual":
                score = _score_cell(form, ws, sheet, r, F.REVIEW_SCORE, row, "复核分")
                if score is None:
                    continue
                value.update(score=score, choice="", cell=address(r, F.REVIEW_SCORE))
            elif node.method == "checklist":
                parts = []
                j = k + 1
                while j < len(rows) and rows[j][1] is not None and rows[j][1].kind == "part":  # type: ignore[union-attr]
                    prow = rows[j][1]
                    assert prow is not None
                    parts.append(
                        (
                            prow,
                            _choice_cell(form, ws, sheet, base + j, F.REVIEW_CHOICE, prow),
                            base + j,
                        )
                    )
                    j += 1
                if not any(c for _, c, _ in parts):
                    continue
                blank = [address(rr, F.REVIEW_CHOICE) for _, c, rr in parts if not c]
                if blank:
                    form.problem(f"分项未全部评定（{'、'.join(blank)} 未选择）", sheet, blank[0])
                    continue
                done = [p.part_id for p, c, _ in parts if c == DONE]
                value.update(
                    score=sum(p.points for p, c, _ in parts if c == DONE),
                    choice=";".join(done),
                    cell=address(r, F.REVIEW_CHOICE),
                )
            else:
                choice = _choice_cell(form, ws, sheet, r, F.REVIEW_CHOICE, row, (NA,))
                if not choice:
                    continue
                value.update(
                    score=_derive(row, choice, []), choice=choice, cell=address(r, F.REVIEW_CHOICE)
                )
            form.values.append(value)
    _late(form, ctx, ctx.settings.review_deadline, "复核表")
    form.status = _status(form)
    return form


def _status(form: ReturnedForm) -> str:
    if form.problems:
        return (
            "rejected"
            if form.late and all(p.message.startswith("逾期报送") for p in form.problems)
            else "invalid"
        )
    return "late" if form.late else "valid"


def read_folder(
    ctx: LoopContext,
    folder: Path,
    kind: str,
    *,
    received: Callable[[Path], dt.datetime] | None = None,
) -> list[ReturnedForm]:
    """Read every ``*.xlsx`` of a folder; a unit's second form is a duplicate submission."""
    reader = read_self_form if kind == FORM_SELF else read_review_form
    files = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith(("~$", ".")))
    read = [reader(ctx, p, received(p) if received else None) for p in files]
    read.sort(key=lambda f: (f.received, f.path.name))
    first: dict[str, ReturnedForm] = {}
    for form in read:
        if not form.owner or not form.usable:
            continue
        if form.owner in first:
            earlier = first[form.owner]
            same = "（内容完全相同）" if earlier.sha256 == form.sha256 else ""
            form.problem(
                f"重复报送：「{form.owner}」已报送 {earlier.path.name}{same}，本份不予采用；如需更正请联系考核办公室"
            )
            form.status = "invalid"
        else:
            first[form.owner] = form
    read.sort(key=lambda f: f.path.name)
    return read


def problems_of(forms: Sequence[ReturnedForm]) -> list[FormProblem]:
    return [p for f in forms for p in f.problems]


__all__ = [
    "FormProblem",
    "ReturnedForm",
    "read_self_form",
    "read_review_form",
    "read_folder",
    "problems_of",
    "STATUS_LABELS",
    "NO",
    "NOT_DONE",
]
