"""Raw records mirroring the TOML rubric one to one (原始结构).

cattrs structures the parsed TOML into these classes, refusing unknown keys
and wrong types; :mod:`zwgk_score.rubric.build` then checks the semantics and
builds the resolved :class:`~zwgk_score.rubric.model.Rubric`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from zwgk_score.errors import RubricError

#: deepest indicator level (一级指标 = 1) a rubric may have
MAX_DEPTH = 12


@attrs.define
class RawGrade:
    name: str
    min: float


@attrs.define
class RawMeta:
    id: str
    title: str
    issuer: str
    year: int
    performance_share: float | None = None
    full_score: float = 100.0
    missing: str = "error"
    precision: int = 2
    tie_break: list[str] = attrs.Factory(list)
    bonus_cap: float | None = None
    bonus_min_score: float | None = None
    bonus_gate: str | None = None
    source: str | None = None
    notes: str | None = None
    comparable_with: list[str] = attrs.Factory(list)


@attrs.define
class RawPassMark:
    node: str
    min: float


@attrs.define
class RawGroup:
    id: str
    name: str
    max_score: float | None = None
    rescale: bool = True
    grades: list[RawGrade] | None = None


@attrs.define
class RawCombinePart:
    id: str
    name: str
    weight: float
    aggregate: str = "mean"


@attrs.define
class RawCombine:
    parts: list[RawCombinePart]
    adjust_after: bool = False


@attrs.define
class RawNode:
    id: str
    name: str
    points: float = 0.0
    indicators: list[RawNode] | None = None
    method: str | None = None
    params: dict[str, Any] = attrs.Factory(dict)
    data: str | None = None
    groups: list[str] | None = None
    floor: bool = True
    deduct_only: bool = False
    na_to: str | None = None
    task: str | None = None
    lead: str | None = None
    responsible: str | None = None
    deadline: str | None = None
    criteria: str | None = None


@attrs.define
class RawNotScored:
    task: str
    name: str
    reason: str


@attrs.define
class RawRubric:
    meta: RawMeta
    groups: list[RawGroup]
    domains: list[RawNode]
    grades: list[RawGrade] | None = None
    combine: RawCombine | None = None
    not_scored: list[RawNotScored] = attrs.Factory(list)
    pass_marks: list[RawPassMark] = attrs.Factory(list)


attrs.resolve_types(RawNode)


def check_depth(data: Any, file: str | Path | None) -> None:
    """Refuse indicators nested deeper than :data:`MAX_DEPTH` levels (walked without recursion)."""
    domains = data.get("domains") if isinstance(data, Mapping) else None
    stack = [
        (n, 1, f"domains[{i}]") for i, n in enumerate(domains or []) if isinstance(domains, list)
    ]
    while stack:
        node, level, path = stack.pop()
        if level > MAX_DEPTH:
            raise RubricError(
                f"指标层级超过 {MAX_DEPTH} 级",
                file=file,
                path=path,
                hint="考核细则通常为二到四级指标；检查 [[…indicators]] 表头是否多写了层级",
            )
        children = node.get("indicators") if isinstance(node, Mapping) else None
        if isinstance(children, list):
            stack.extend((c, level + 1, f"{path}.indicators[{j}]") for j, c in enumerate(children))
