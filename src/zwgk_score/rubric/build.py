"""Semantic validation of a raw rubric and construction of :class:`Rubric`."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zwgk_score.errors import RubricError
from zwgk_score.methods.base import Method, Role, fmt
from zwgk_score.rubric.model import (
    PERFORMANCE_SHARE_FLOOR,
    CombinePart,
    Grade,
    Group,
    Meta,
    Node,
    NotScored,
    PassMark,
    Rubric,
)
from zwgk_score.rubric.raw import RawGrade, RawNode, RawRubric, check_depth
from zwgk_score.structure import check_nesting, structure

_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")
_TOL = 1e-6
MISSING_POLICIES = ("error", "zero", "not_applicable")
AGGREGATES = ("mean", "min", "last")


class _Builder:
    def __init__(
        self, raw: RawRubric, methods: Mapping[str, Method[Any]], file: str | None
    ) -> None:
        self.raw = raw
        self.methods = methods
        self.file = file
        self.ids: dict[str, str] = {}

    def fail(self, path: str, message: str, hint: str | None = None) -> RubricError:
        return RubricError(message, file=self.file, path=path, hint=hint)

    # -- metadata --------------------------------------------------------
    def fail_node(
        self, raw: RawNode, path: str, message: str, hint: str | None = None
    ) -> RubricError:
        """An error inside an indicator: the message names it by id and name, as in the 考核细则."""
        return self.fail(path, f"指标 {raw.id}「{raw.name}」：{message}", hint)

    def meta(self) -> Meta:
        m = self.raw.meta
        floor = fmt(PERFORMANCE_SHARE_FLOOR)
        silent = (
            f"细则原文没有写明权重时，按政务公开分值不低于绩效考核总分 {floor}% 的要求填写"
            f" performance_share = {floor}，并在 meta.notes 中注明“原文未写明，按 {floor}% 下限”"
        )
        if m.performance_share is None:
            raise self.fail(
                "meta.performance_share",
                "缺少 performance_share（政务公开在绩效考核中的权重，单位：百分比）",
                silent,
            )
        if m.performance_share < PERFORMANCE_SHARE_FLOOR:
            raise self.fail(
                "meta.performance_share",
                f"政务公开在绩效考核中的权重为 {fmt(m.performance_share)}%，低于 {floor}% 的下限",
                f"performance_share 须不低于 {floor}（单位：百分比）；{silent}",
            )
        if m.performance_share > 100:
            raise self.fail("meta.performance_share", "权重不能超过 100%")
        if m.full_score <= 0:
            raise self.fail("meta.full_score", "满分应大于 0")
        if m.missing not in MISSING_POLICIES:
            raise self.fail(
                "meta.missing",
                f"未知的缺失数据处理方式「{m.missing}」",
                "可选：error、zero、not_applicable",
            )
        if not 0 <= m.precision <= 4:
            raise self.fail("meta.precision", "小数位数应在 0 到 4 之间")
        if m.bonus_cap is not None and m.bonus_cap <= 0:
            raise self.fail("meta.bonus_cap", "加分上限应大于 0")
        domain_ids = {d.id for d in self.raw.domains}
        for i, d in enumerate(m.tie_break):
            if d not in domain_ids:
                raise self.fail(
                    f"meta.tie_break[{i}]",
                    f"未知的一级指标「{d}」",
                    "tie_break 只能列出 domains 的 id",
                )
        return Meta(
            id=m.id,
            title=m.title,
            issuer=m.issuer,
            year=m.year,
            full_score=m.full_score,
            performance_share=m.performance_share,
            missing=m.missing,
            precision=m.precision,
            tie_break=tuple(m.tie_break),
            bonus_cap=m.bonus_cap,
            bonus_min_score=m.bonus_min_score,
            bonus_gate=m.bonus_gate,
            source=m.source,
            notes=m.notes,
            comparable_with=tuple(m.comparable_with),
        )

    def grades(self, raw: list[RawGrade] | None, path: str) -> tuple[Grade, ...]:
        if not raw:
            raise self.fail(path, "至少需要一个等次", "在 [[grades]] 中给出 name 和 min，从高到低")
        names = [g.name for g in raw]
        for i, g in enumerate(raw):
            if names.index(g.name) != i:
                raise self.fail(f"{path}[{i}].name", f"等次「{g.name}」重复")
            if i and g.min >= raw[i - 1].min:
                raise self.fail(f"{path}[{i}].min", "等次应按 min 从高到低排列")
        last = raw[-1]
        if last.min > 0:  # otherwise a unit below every band would silently get the lowest band
            raise self.fail(
                f"{path}[{len(raw) - 1}].min",
                f"最低一档「{last.name}」的 min 应为 0，否则低于 {fmt(last.min)} 分的单位没有对应的等次",
                '在最后加一档，如 name = "不合格"、min = 0',
            )
        return tuple(Grade(g.name, g.min) for g in raw)

    def groups(self, meta: Meta) -> tuple[Group, ...]:
        if not self.raw.groups:
            raise self.fail("groups", "至少需要一个考核类别", "用 [[groups]] 给出 id 和 name")
        default = self.grades(self.raw.grades, "grades") if self.raw.grades else None
        out: list[Group] = []
        for i, g in enumerate(self.raw.groups):
            path = f"groups[{i}]"
            if not _ID.match(g.id):
                raise self.fail(f"{path}.id", f"id「{g.id}」只能包含字母、数字、_ - .")
            if any(o.id == g.id for o in out):
                raise self.fail(f"{path}.id", f"考核类别 id「{g.id}」重复")
            grades = self.grades(g.grades, f"{path}.grades") if g.grades is not None else default
            if grades is None:
                raise self.fail(
                    f"{path}.grades",
                    "没有等次划分",
                    "在顶层 [[grades]] 或该类别的 grades 中给出等次",
                )
            max_score = meta.full_score if g.max_score is None else g.max_score
            if max_score <= 0:
                raise self.fail(f"{path}.max_score", "满分应大于 0")
            out.append(Group(g.id, g.name, max_score, g.rescale, grades))
        return tuple(out)

    # -- indicator tree --------------------------------------------------
    def node(
        self,
        raw: RawNode,
        path: str,
        level: int,
        parent: str | None,
        groups: frozenset[str],
        deduct_from: str | None = None,
    ) -> Node:
        if not _ID.match(raw.id):
            raise self.fail_node(raw, f"{path}.id", f"id「{raw.id}」只能包含字母、数字、_ - .")
        if raw.id in self.ids:
            raise self.fail_node(
                raw, f"{path}.id", f"指标 id「{raw.id}」重复（已在 {self.ids[raw.id]} 使用）"
            )
        self.ids[raw.id] = path
        if raw.groups is not None:
            if not raw.groups:
                raise self.fail_node(
                    raw,
                    f"{path}.groups",
                    "groups 不能为空数组",
                    "删除 groups 表示适用于上级的全部类别",
                )
            for j, g in enumerate(raw.groups):
                if g not in groups:
                    known = "、".join(sorted(groups))
                    raise self.fail_node(
                        raw,
                        f"{path}.groups[{j}]",
                        f"未知或上级不适用的考核类别「{g}」",
                        f"可选：{known}",
                    )
            groups = frozenset(raw.groups)
        if math.isnan(raw.points) or raw.points < 0:
            raise self.fail_node(raw, f"{path}.points", "分值不能为负")
        common: dict[str, Any] = dict(
            id=raw.id,
            name=raw.name,
            points=raw.points,
            path=path,
            level=level,
            parent=parent,
            groups=groups,
            floor=raw.floor,
            na_to=raw.na_to,
            task=raw.task,
            lead=raw.lead,
            responsible=raw.responsible,
            deadline=raw.deadline,
            criteria=raw.criteria,
        )
        if raw.indicators is not None and raw.method is not None:
            raise self.fail_node(
                raw, path, "同一指标不能既有下级指标（indicators）又有评分方法（method）"
            )
        if raw.indicators is None:
            if raw.deduct_only:
                raise self.fail_node(
                    raw,
                    f"{path}.deduct_only",
                    "deduct_only 只能用于有下级指标的类别",
                    "把 deduct_only = true 写在只扣分的类别上，其下各条扣分规则 points = 0",
                )
            return self.leaf(raw, path, common, deduct_from)
        if deduct_from is not None:
            raise self.fail_node(
                raw, path, "只扣分的类别（deduct_only）下只能是扣分规则，不能再分下级类别"
            )
        if raw.params or raw.data is not None:
            key = "params" if raw.params else "data"
            raise self.fail_node(raw, f"{path}.{key}", "有下级指标的节点不能设置 params / data")
        if not raw.indicators:
            raise self.fail_node(raw, f"{path}.indicators", "下级指标不能为空")
        children = tuple(
            self.node(
                c,
                f"{path}.indicators[{j}]",
                level + 1,
                raw.id,
                groups,
                raw.id if raw.deduct_only else None,
            )
            for j, c in enumerate(raw.indicators)
        )
        if raw.deduct_only:
            if raw.points <= 0:
                raise self.fail_node(
                    raw, f"{path}.points", "只扣分的类别的分值（扣分的基数）应大于 0"
                )
            if not any(c.rule.role == Role.SCORE for c in children):
                raise self.fail_node(raw, f"{path}.indicators", "只扣分的类别至少需要一条扣分规则")
            return Node(children=children, deduct_only=True, **common)
        scored = sum(c.points for c in children if not c.is_leaf or c.rule.role == Role.SCORE)
        if abs(scored - raw.points) > _TOL:
            raise self.fail_node(
                raw,
                f"{path}.points",
                f"分值 {fmt(raw.points)} 与下级指标分值之和 {fmt(scored)} 不一致",
                "调整本级或下级的 points，使下级之和等于本级",
            )
        return Node(children=children, **common)

    def leaf(
        self, raw: RawNode, path: str, common: dict[str, Any], deduct_from: str | None = None
    ) -> Node:
        if raw.method is None:
            raise self.fail_node(
                raw,
                path,
                "末级指标缺少评分方法 method",
                "给出 method，或用 indicators 列出下级指标",
            )
        if not raw.floor:  # a leaf's own 扣完为止 is its method's params.floor
            raise self.fail_node(
                raw,
                f"{path}.floor",
                "末级指标不能设置 floor（它只作用于有下级指标的节点）",
                "扣分不封底请写在 params 中：params = { per = 5, floor = false }",
            )
        method = self.methods.get(raw.method)
        if method is None:
            raise self.fail_node(
                raw,
                f"{path}.method",
                f"未知的评分方法「{raw.method}」",
                f"可选：{'、'.join(sorted(self.methods))}",
            )
        params: Any = structure(
            raw.params,
            method.params_type,
            error=type(self.fail("", "")),
            file=self.file,
            path=f"{path}.params",
        )
        for key, msg in method.check(params, raw.points):
            raise self.fail_node(raw, f"{path}.params.{key}", msg)
        if deduct_from is not None and method.role == Role.SCORE:
            if not method.deducts or getattr(params, "mode", "deduct") != "deduct":
                raise self.fail_node(
                    raw,
                    f"{path}.method",
                    f"只扣分的类别中只能用扣分的方法，「{method.title}」不是",
                    "改用 deduction（按次、按原因或按值扣分），或 timeliness 的 mode = deduct",
                )
            if raw.points != 0:
                raise self.fail_node(
                    raw,
                    f"{path}.points",
                    "只扣分的类别中的扣分规则不占分值，points 应为 0（分值写在类别上）",
                )
            return Node(
                method=raw.method,
                scoring=method,
                params=params,
                data=raw.data if raw.data is not None else raw.id,
                deduct_from=deduct_from,
                **common,
            )
        if method.role == Role.SCORE and raw.points <= 0:
            raise self.fail_node(raw, f"{path}.points", f"「{method.title}」指标的分值应大于 0")
        if method.role != Role.SCORE and raw.points != 0:
            raise self.fail_node(
                raw,
                f"{path}.points",
                f"「{method.title}」不占基础分值，points 应为 0",
                "加分上限用 params.cap 表示",
            )
        data = raw.data if raw.data is not None else raw.id
        if not data.strip():
            raise self.fail_node(raw, f"{path}.data", "数据键不能为空")
        return Node(method=raw.method, scoring=method, params=params, data=data, **common)

    def combine(self) -> tuple[CombinePart, ...]:
        if self.raw.combine is None:
            return ()
        parts = self.raw.combine.parts
        if len(parts) < 2:
            raise self.fail("combine.parts", "至少需要两个考核阶段才能合成")
        for i, p in enumerate(parts):
            if p.aggregate not in AGGREGATES:
                raise self.fail(
                    f"combine.parts[{i}].aggregate",
                    f"未知的汇总方式「{p.aggregate}」",
                    "可选：mean、min、last",
                )
            if p.weight <= 0:
                raise self.fail(f"combine.parts[{i}].weight", "权重应大于 0")
            if [q.id for q in parts].index(p.id) != i:
                raise self.fail(f"combine.parts[{i}].id", f"阶段 id「{p.id}」重复")
        total = sum(p.weight for p in parts)
        if abs(total - 100) > _TOL:
            raise self.fail("combine.parts", f"各阶段权重之和应为 100，实际为 {fmt(total)}")
        return tuple(CombinePart(p.id, p.name, p.weight, p.aggregate) for p in parts)

    def build(self) -> Rubric:
        meta = self.meta()
        groups = self.groups(meta)
        if not self.raw.domains:
            raise self.fail("domains", "至少需要一个一级指标")
        all_groups = frozenset(g.id for g in groups)
        domains = tuple(
            self.node(d, f"domains[{i}]", 1, None, all_groups)
            for i, d in enumerate(self.raw.domains)
        )
        total = sum(d.points for d in domains)
        if abs(total - meta.full_score) > _TOL:
            per_class = any(d.groups != all_groups for d in domains)
            hint = (
                f"各考核类别有各自的指标树时，meta.full_score 是全部一级指标分值之和（此处为 {fmt(total)}），"
                "各类别的满分用 [[groups]] 的 max_score 给出"
                if per_class
                else f"把 meta.full_score 改为 {fmt(total)}，或调整一级指标的 points"
            )
            raise self.fail(
                "domains",
                f"一级指标分值之和 {fmt(total)} 不等于满分 {fmt(meta.full_score)}",
                hint,
            )
        leaves = [n for d in domains for n in d.walk() if n.is_leaf]
        for i, g in enumerate(groups):
            scored = [n for n in leaves if g.id in n.groups and n.rule.role == Role.SCORE]
            if not scored:
                raise self.fail(f"groups[{i}]", f"考核类别「{g.name}」没有任何适用的计分指标")
            applicable = sum(n.points for n in scored if n.deduct_from is None) + sum(
                n.points for d in domains for n in d.walk() if n.deduct_only and g.id in n.groups
            )
            if not g.rescale and abs(applicable - g.max_score) > _TOL:
                raise self.fail(
                    f"groups[{i}].max_score",
                    f"考核类别「{g.name}」不折算，但满分 {fmt(g.max_score)} 与适用于它的指标分值之和 {fmt(applicable)} 不一致",
                    "把 max_score 改为适用指标的分值之和，或设 rescale = true 按满分折算",
                )
        not_scored = tuple(NotScored(n.task, n.name, n.reason) for n in self.raw.not_scored)
        categories = {n.id: n for d in domains for n in d.walk() if not n.is_leaf}
        known = f"可选：{'、'.join(categories)}"
        if meta.bonus_gate is not None:
            if meta.bonus_gate not in categories:
                raise self.fail(
                    "meta.bonus_gate",
                    f"未知的类别「{meta.bonus_gate}」（应为有下级指标的节点）",
                    known,
                )
            if meta.bonus_min_score is None:
                raise self.fail(
                    "meta.bonus_gate",
                    "给出 bonus_gate 时须同时给出 bonus_min_score（该部分达到多少分才计加分）",
                )
        marks = []
        for i, pm in enumerate(self.raw.pass_marks):
            if pm.node not in categories:
                raise self.fail(
                    f"pass_marks[{i}].node",
                    f"未知的类别「{pm.node}」（应为有下级指标的节点）",
                    known,
                )
            if not 0 <= pm.min <= categories[pm.node].points:
                raise self.fail(
                    f"pass_marks[{i}].min",
                    f"及格线应在 0 到该部分分值 {fmt(categories[pm.node].points)} 之间",
                )
            marks.append(PassMark(pm.node, pm.min))
        by_id = {n.id: n for n in leaves}
        for leaf in leaves:
            if leaf.na_to is None:
                continue
            target = by_id.get(leaf.na_to)
            where = f"{leaf.path}.na_to"
            name = f"指标 {leaf.id}「{leaf.name}」："
            if target is None or target.parent != leaf.parent or target.id == leaf.id:
                raise self.fail(
                    where,
                    f"{name}na_to 应为同一上级下的另一个末级指标，「{leaf.na_to}」不是",
                    '写同级末级指标的 id，如 na_to = "news"（没有该类信息时分值并入工作动态）',
                )
            if leaf.rule.role != Role.SCORE or target.rule.role != Role.SCORE:
                raise self.fail(where, f"{name}只有计分指标之间才能并入分值")
            if target.na_to is not None:
                raise self.fail(where, f"{name}「{target.id}」自己也设有 na_to，分值不能连续并入")
            if leaf.deduct_from is not None or target.deduct_from is not None:
                raise self.fail(where, f"{name}只扣分的类别中的规则没有分值，不能并入")
        for leaf in leaves:
            scope = getattr(leaf.params, "scope", None)
            if leaf.rule.role == Role.VETO and scope is not None and scope not in categories:
                raise self.fail(
                    f"{leaf.path}.params.scope",
                    f"指标 {leaf.id}「{leaf.name}」：未知的类别「{scope}」（应为有下级指标的节点）",
                    known,
                )
        after = self.raw.combine.adjust_after if self.raw.combine is not None else False
        return Rubric(
            meta, groups, domains, self.combine(), not_scored, self.file, tuple(marks), after
        )


def check_finite(data: object, file: str | Path | None, path: str = "") -> None:
    """Reject TOML ``nan`` / ``inf`` anywhere in a parsed rubric (they defeat every range check)."""
    if not path:  # the whole rubric: bound its depth before walking it recursively
        check_depth(data, file)
        check_nesting(data, error=RubricError, file=file)
    if isinstance(data, float) and not math.isfinite(data):
        raise RubricError(
            f"数值不能为 {data}", file=file, path=path or "(根)", hint="填写有限的数字"
        )
    if isinstance(data, dict):
        for key, value in data.items():
            check_finite(value, file, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            check_finite(value, file, f"{path}[{i}]")


def build_rubric(
    raw: RawRubric, methods: Mapping[str, Method[Any]], file: str | Path | None = None
) -> Rubric:
    """Validate ``raw`` and build the resolved rubric."""
    return _Builder(raw, methods, str(file) if file is not None else None).build()
