"""Forms issued to the units and the reviewers: 自评表 per unit, 复核表 per reviewer group.

Each form is an XLSX with an instructions sheet, the form sheet (only the
yellow input cells editable, scores validated within [0, 分值], levels and
checklist parts as drop-downs) and a very hidden 表单信息 sheet holding the
form id, the unit, the rubric id and a fingerprint of the fixed cells, so a
returned form is matched to what was issued.  Reruns are byte-identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from zwgk_score.ledger.schema import FORM_REVIEW, FORM_SELF
from zwgk_score.loop.context import LoopContext, fixed_time
from zwgk_score.loop.layout import (
    INFO_SHEET,
    JUDGED,
    NA,
    FormRow,
    applicable_leaves,
    form_id,
    form_rows,
    structure_digest,
)
from zwgk_score.loop.sheets import Cell, SheetSpec, address, value_text, write_workbook
from zwgk_score.methods.base import fmt
from zwgk_score.outputs.filenames import safe_filename
from zwgk_score.outputs.notice import cn_date

SELF_SHEET = "自评"
REVIEW_SHEET = "复核"
SELF_HEADERS = (
    "序号",
    "指标编号",
    "指标名称",
    "分值",
    "自评分",
    "自评档次/完成情况",
    "完成情况说明",
    "佐证材料",
    "评分说明",
)
REVIEW_HEADERS = (
    "单位",
    "指标编号",
    "指标名称",
    "分值",
    "自评分",
    "自评说明及佐证",
    "复核评定",
    "复核分",
    "扣分理由",
)
HEADER_ROW = 3
#: column index of each input of the self form
SELF_SCORE, SELF_CHOICE, SELF_NOTE, SELF_EVIDENCE = 4, 5, 6, 7
#: column index of each input of the review form
REVIEW_CHOICE, REVIEW_SCORE, REVIEW_REASON = 6, 7, 8


@attrs.frozen
class FormIdentity:
    kind: str
    form_id: str
    owner: str  # the unit (自评表) or the reviewer group (复核表)
    assessment: str
    period: str
    rubric: str


def self_form_name(unit: str) -> str:
    return f"自评表_{safe_filename(unit)}.xlsx"


def review_form_name(group: str) -> str:
    return f"复核表_{safe_filename(group)}.xlsx"


def _info_sheet(ident: FormIdentity, digest: str) -> SheetSpec:
    spec = SheetSpec(INFO_SHEET, [16, 40], hidden=True)
    pairs = [
        (
            "表单种类",
            {"self": "自评表", "review": "复核表", "appeal": "申诉表"}.get(ident.kind, ident.kind),
        ),
        ("表单编号", ident.form_id),
        ("填报对象", ident.owner),
        ("考核", ident.assessment),
        ("期别", ident.period),
        ("细则", ident.rubric),
        ("结构校验码", digest),
    ]
    for i, (k, v) in enumerate(pairs):
        spec.add(Cell(i, 0, k, "center"), Cell(i, 1, v, "text"))
    return spec


def _instructions(lines: Sequence[str], title: str) -> SheetSpec:
    spec = SheetSpec("填报说明", [100], protect=True)
    spec.add(Cell(0, 0, title, "title"))
    spec.heights[0] = 30
    for i, line in enumerate(lines, start=1):
        spec.add(Cell(i, 0, line, "note"))
    return spec


def _criteria(row: FormRow) -> str:
    node = row.node
    if row.kind != "item":
        return ""
    text = node.criteria or ""
    if node.method == "levels":
        levels = "；".join(
            f"{lv.name} {fmt(node.points * lv.share)}分" for lv in node.params.levels
        )
        text = f"{text}（{levels}）" if text else levels
    return text


def _head_text(row: FormRow) -> str:
    return f"{row.node.id} {row.node.name}（{fmt(row.node.points)}分）"


def self_form_sheet(ctx: LoopContext, unit: str) -> tuple[SheetSpec, FormIdentity, list[FormRow]]:
    """The 自评 sheet of one unit, its identity and its rows (row i is on sheet row HEADER_ROW+1+i)."""
    group = ctx.unit_group(unit)
    rows = form_rows(ctx.rubric, applicable_leaves(ctx.rubric, group, ctx.methods))
    ident = FormIdentity(
        FORM_SELF,
        form_id(FORM_SELF, ctx.assessment, ctx.period, unit, ctx.rubric.meta.id),
        unit,
        ctx.assessment,
        ctx.period,
        ctx.rubric.meta.id,
    )
    spec = SheetSpec(SELF_SHEET, [5, 8, 30, 6, 8, 11, 28, 22, 44], header_row=HEADER_ROW)
    last = len(SELF_HEADERS) - 1
    deadline = ctx.settings.self_deadline
    group_name = ctx.rubric.group(group).name
    spec.add(
        Cell(0, 0, f"{ctx.assessment}自评表", "title", merge_to=last),
        Cell(
            1,
            0,
            f"填报单位：{unit}　　考核类别：{group_name}　　报送截止：{cn_date(deadline) or '见通知'}",
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
    for i, h in enumerate(SELF_HEADERS):
        spec.add(Cell(HEADER_ROW, i, h, "header"))
    spec.heights[HEADER_ROW] = 30
    seq = part = 0
    for k, row in enumerate(rows):
        r = HEADER_ROW + 1 + k
        if row.kind == "head":
            spec.add(
                Cell(r, 0, "", "head"),
                Cell(r, 1, row.node.id, "head"),
                Cell(r, 2, _head_text(row), "head", merge_to=last),
            )
            continue
        if row.kind == "item":
            seq, part = seq + 1, 0
        else:
            part += 1
        spec.add(
            Cell(r, 0, seq if row.kind == "item" else "", "center"),
            Cell(r, 1, row.node.id if row.kind == "item" else f"（{part}）", "center"),
            Cell(r, 2, row.label, "text"),
            Cell(r, 3, row.points, "number"),
        )
        choices = tuple(row.choices())
        if row.kind == "item":
            spec.add(
                Cell(
                    r,
                    SELF_SCORE,
                    None,
                    "input_number",
                    fixed=False,
                    between=(0.0, row.points),
                    prompt=row.node.name,
                )
            )
            spec.add(
                Cell(r, SELF_CHOICE, None, "input", fixed=False, choices=choices)
                if choices
                else Cell(r, SELF_CHOICE, None, "closed", fixed=False)
            )
            spec.add(
                Cell(r, SELF_NOTE, None, "input", fixed=False),
                Cell(r, SELF_EVIDENCE, None, "input", fixed=False),
            )
        else:
            spec.add(
                Cell(r, SELF_SCORE, None, "closed", fixed=False),
                Cell(r, SELF_CHOICE, None, "input", fixed=False, choices=choices),
                Cell(r, SELF_NOTE, None, "closed", fixed=False),
                Cell(r, SELF_EVIDENCE, None, "closed", fixed=False),
            )
        spec.add(Cell(r, 8, _criteria(row), "text"))
    end = HEADER_ROW + 1 + len(rows) + 1
    spec.add(
        Cell(end, 0, "填报人、联系电话：", "meta", merge_to=2),
        Cell(end, 3, None, "input", fixed=False, merge_to=last),
    )
    return spec, ident, rows


def _self_instructions(ctx: LoopContext, unit: str) -> list[str]:
    deadline = ctx.settings.self_deadline
    return [
        f"填报单位：{unit}。本表只列出适用于本单位的指标，按考核细则的指标体系分组。",
        "一、请在“自评”工作表的黄色单元格中填写：自评分（0 至该项分值之间的数字）、"
        "完成情况说明、佐证材料（网址或附件名称）。灰色单元格无需填写。",
        "二、分档评定的指标可在“自评档次/完成情况”中选择档次；是否达标的指标选择“是/否”；"
        "分项计分的指标在其下方各分项行中选择“已完成/未完成”。未填自评分的，按所选档次或分项折算。",
        "三、表格结构已锁定，请勿增删行列、修改指标编号、名称和分值，也不要改动文件中的隐藏信息，"
        "否则无法读取。本表只能由本单位报送，不得使用其他单位的表。",
        f"四、请于{cn_date(deadline) + '前' if deadline else '规定时间内'}报送；逾期报送的按未报送处理。"
        "同一单位只报送一份，如需更正请联系考核办公室。",
    ]


def _fingerprint(spec: SheetSpec) -> str:
    return structure_digest([(address(r, c), v) for r, c, v in spec.fixed_cells()])


def write_self_form(ctx: LoopContext, unit: str, out_dir: Path) -> tuple[Path, FormIdentity]:
    spec, ident, _ = self_form_sheet(ctx, unit)
    sheets = [
        _instructions(_self_instructions(ctx, unit), f"{ctx.assessment}自评表填报说明"),
        spec,
        _info_sheet(ident, _fingerprint(spec)),
    ]
    path = out_dir / self_form_name(unit)
    write_workbook(
        path,
        sheets,
        title=f"{ctx.assessment}自评表（{unit}）",
        created=fixed_time(ctx.settings.self_deadline or ctx.config.end),
    )
    return path, ident


def reviewer_groups(ctx: LoopContext) -> dict[str, list[str]]:
    """Reviewer group → its units in roster order (default: one group per rubric group)."""
    units = list(ctx.roster["unit"])
    groups = dict(zip(ctx.roster["unit"], ctx.roster["group"], strict=True))
    if not ctx.settings.reviewers:
        return {
            f"{g.name}复核组": [u for u in units if groups[u] == g.id]
            for g in ctx.rubric.groups
            if any(groups[u] == g.id for u in units)
        }
    out = {}
    for name, members in ctx.settings.reviewers.items():
        out[name] = [u for u in units if u in members or groups[u] in members]
    return out


def review_rows(ctx: LoopContext, units: Sequence[str]) -> list[tuple[str, FormRow | None]]:
    """(unit, row) of a review form: a heading per unit (row None), then its judged indicators."""
    out: list[tuple[str, FormRow | None]] = []
    for unit in units:
        wanted = ctx.settings.review_indicators
        keep = {
            i
            for i in applicable_leaves(ctx.rubric, ctx.unit_group(unit), ctx.methods)
            if ctx.rubric.node(i).method in JUDGED and (wanted is None or i in wanted)
        }
        rows = [r for r in form_rows(ctx.rubric, keep) if r.kind != "head"]
        if rows:
            out.append((unit, None))
            out.extend((unit, r) for r in rows)
    return out


def review_form_sheet(
    ctx: LoopContext,
    reviewer: str,
    units: Sequence[str],
    self_scores: Mapping[tuple[str, str], Mapping[str, object]],
) -> tuple[SheetSpec, FormIdentity, list[tuple[str, FormRow | None]]]:
    rows = review_rows(ctx, units)
    ident = FormIdentity(
        FORM_REVIEW,
        form_id(FORM_REVIEW, ctx.assessment, ctx.period, reviewer, ctx.rubric.meta.id),
        reviewer,
        ctx.assessment,
        ctx.period,
        ctx.rubric.meta.id,
    )
    spec = SheetSpec(REVIEW_SHEET, [16, 9, 32, 6, 8, 36, 11, 8, 36], header_row=HEADER_ROW)
    last = len(REVIEW_HEADERS) - 1
    deadline = ctx.settings.review_deadline
    spec.add(
        Cell(0, 0, f"{ctx.assessment}复核表", "title", merge_to=last),
        Cell(
            1,
            0,
            f"复核组：{reviewer}　　复核单位：{len(units)} 个　　报送截止：{cn_date(deadline) or '见通知'}",
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
    for i, h in enumerate(REVIEW_HEADERS):
        spec.add(Cell(HEADER_ROW, i, h, "header"))
    spec.heights[HEADER_ROW] = 30
    part = 0
    for k, (unit, row) in enumerate(rows):
        r = HEADER_ROW + 1 + k
        part = 0 if row is None or row.kind == "item" else part + 1
        if row is None:
            spec.add(Cell(r, 0, unit, "head", merge_to=last))
            continue
        mine = self_scores.get((unit, row.node.id), {}) if row.kind == "item" else {}
        score = mine.get("score")
        note = "；".join(str(mine[k]) for k in ("choice", "note", "evidence") if mine.get(k))
        spec.add(
            Cell(r, 0, unit, "text"),
            Cell(r, 1, row.node.id if row.kind == "item" else f"（{part}）", "center"),
            Cell(r, 2, row.label, "text"),
            Cell(r, 3, row.points, "number"),
            Cell(
                r, 4, float(score) if isinstance(score, (int, float)) else "", "number", fixed=False
            ),
            Cell(r, 5, note, "text", fixed=False),
        )
        # a reviewer may find an indicator not applicable to the unit (不适用)
        choices = tuple(row.choices()) + ((NA,) if row.kind == "item" else ())
        manual = row.kind == "item" and row.node.method == "manual"
        spec.add(
            Cell(r, REVIEW_CHOICE, None, "input", fixed=False, choices=choices)
            if choices
            else Cell(r, REVIEW_CHOICE, None, "closed", fixed=False),
            Cell(r, REVIEW_SCORE, None, "input_number", fixed=False, between=(0.0, row.points))
            if manual
            else Cell(r, REVIEW_SCORE, None, "closed", fixed=False),
            Cell(r, REVIEW_REASON, None, "input", fixed=False)
            if row.kind == "item"
            else Cell(r, REVIEW_REASON, None, "closed", fixed=False),
        )
    return spec, ident, rows


def _review_instructions(ctx: LoopContext, reviewer: str) -> list[str]:
    deadline = ctx.settings.review_deadline
    return [
        f"复核组：{reviewer}。本表列出本组负责复核的单位中需要评审判定的指标，"
        "左侧为各单位的自评分、完成情况说明和佐证材料。",
        "一、分档评定的指标在“复核评定”中选择档次；是否达标的选择“是/否”；分项计分的在各分项行选择"
        "“已完成/未完成”；评审打分的在“复核分”中填写 0 至分值之间的分数。",
        "二、凡复核结果低于满分的，请在“扣分理由”中写明问题和依据（将作为失分原因反馈给单位）。",
        "三、表格结构已锁定，请勿增删行列或改动指标信息。"
        f"请于{cn_date(deadline) + '前' if deadline else '规定时间内'}报送考核办公室。",
    ]


def write_review_form(
    ctx: LoopContext,
    reviewer: str,
    units: Sequence[str],
    out_dir: Path,
    self_scores: Mapping[tuple[str, str], Mapping[str, object]],
) -> tuple[Path, FormIdentity]:
    spec, ident, _ = review_form_sheet(ctx, reviewer, units, self_scores)
    sheets = [
        _instructions(_review_instructions(ctx, reviewer), f"{ctx.assessment}复核表填报说明"),
        spec,
        _info_sheet(ident, _fingerprint(spec)),
    ]
    path = out_dir / review_form_name(reviewer)
    write_workbook(
        path,
        sheets,
        title=f"{ctx.assessment}复核表（{reviewer}）",
        created=fixed_time(ctx.settings.review_deadline or ctx.config.end),
    )
    return path, ident


def fingerprint(spec: SheetSpec) -> str:
    """The structure fingerprint stored in a form's 表单信息 sheet."""
    return _fingerprint(spec)


__all__ = [
    "FormIdentity",
    "self_form_sheet",
    "review_form_sheet",
    "write_self_form",
    "write_review_form",
    "reviewer_groups",
    "value_text",
]
