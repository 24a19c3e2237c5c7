"""The layout of the forms (表单结构): which rows a unit's form has, and its identity.

The writer (:mod:`zwgk_score.loop.forms`) and the readers
(:mod:`zwgk_score.loop.readback`) both build the layout from the rubric, so a
returned form is checked cell by cell against what was issued.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import attrs

from zwgk_score.methods.base import ROLE_SCORE, fmt
from zwgk_score.rubric.model import Node, Rubric

#: methods whose score is a judgement entered on a form (levels and parts as drop-downs)
JUDGED = ("binary", "checklist", "levels", "manual")
YES, NO = "是", "否"
DONE, NOT_DONE = "已完成", "未完成"
NA = "不适用"
INFO_SHEET = "表单信息"


@attrs.frozen
class FormRow:
    """One row of a form: a category heading, an indicator or a checklist part."""

    kind: str  # "head" | "item" | "part"
    node: Node
    part_id: str = ""
    part_name: str = ""
    part_points: float = 0.0

    @property
    def code(self) -> str:
        return f"{self.node.id}/{self.part_id}" if self.kind == "part" else self.node.id

    @property
    def label(self) -> str:
        if self.kind == "part":
            return f"　　· {self.part_name}"
        return self.node.name

    @property
    def points(self) -> float:
        return self.part_points if self.kind == "part" else self.node.points

    def choices(self) -> list[str]:
        """Drop-down values of the choice column (empty: free input or none)."""
        if self.kind == "part":
            return [DONE, NOT_DONE]
        if self.kind != "item":
            return []
        if self.node.method == "levels":
            return [lv.name for lv in self.node.params.levels]
        if self.node.method == "binary":
            return [YES, NO]
        return []


def applicable_leaves(rubric: Rubric, group: str, methods: dict[str, object]) -> set[str]:
    """Ids of the scored indicators (role 得分) that apply to a unit of ``group``."""
    out = set()
    for leaf in rubric.leaves:
        m = methods.get(str(leaf.method))
        role = getattr(m, "role", ROLE_SCORE)
        if role == ROLE_SCORE and group in leaf.groups:
            out.add(leaf.id)
    return out


def form_rows(rubric: Rubric, keep: set[str], *, parts: bool = True) -> list[FormRow]:
    """Rows for the indicators in ``keep``, grouped under their categories as in the rubric."""

    def walk(node: Node) -> Iterator[FormRow]:
        if node.is_leaf:
            if node.id in keep:
                yield FormRow("item", node)
                if parts and node.method == "checklist":
                    for p in node.params.parts:
                        yield FormRow("part", node, p.id, p.name, node.points * p.share)
            return
        inner = [r for c in node.children for r in walk(c)]
        if inner:
            yield FormRow("head", node)
            yield from inner

    return [r for d in rubric.domains for r in walk(d)]


def row_points_text(row: FormRow) -> str:
    return fmt(row.points)


def form_id(kind: str, assessment: str, period: str, unit: str, rubric_id: str) -> str:
    """A stable id for one issued form (the same on every rerun)."""
    digest = hashlib.sha256("\x1f".join((kind, assessment, period, unit, rubric_id)).encode())
    prefix = {"self": "ZP", "review": "FH", "appeal": "SS"}.get(kind, "BD")
    return f"{prefix}-{period}-{digest.hexdigest()[:12].upper()}"


def structure_digest(cells: list[tuple[str, str]]) -> str:
    """Fingerprint of a form's fixed cells (address, text)."""
    text = "\n".join(f"{a}={v}" for a, v in cells)
    return hashlib.sha256(text.encode()).hexdigest()[:16].upper()
