"""The resolved rubric (考核细则): frozen attrs records used by the engine."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from zwgk_score.methods.base import Method

#: The minimum share of the 政务公开 score in 绩效考核, in percent (seed 003).
PERFORMANCE_SHARE_FLOOR = 4.0


@attrs.frozen
class Grade:
    """A grade band (等次): units scoring at least ``min`` get ``name``."""

    name: str
    min: float


@attrs.frozen
class Group:
    """A unit group (考核类别), ranked separately (分类考核)."""

    id: str
    name: str
    max_score: float
    rescale: bool
    grades: tuple[Grade, ...]

    def grade_for(self, score: float) -> str:
        """Grade name for ``score`` (bands are sorted highest first)."""
        for band in self.grades:
            if score >= band.min - 1e-9:
                return band.name
        return self.grades[-1].name

    @property
    def lowest_grade(self) -> str:
        return self.grades[-1].name


@attrs.frozen
class Node:
    """One level of the indicator tree (指标): a category or a scored leaf.

    A node with ``children`` is a category (一级/二级… 指标); a node with a
    ``method`` is a scored indicator (末级指标).  ``path`` is the node's place
    in the TOML file, e.g. ``domains[2].indicators[0]``.

    A category with ``deduct_only`` (只扣分的类别, 百分制) owns its points as a
    base its rules only deduct from: its leaves have 0 points, ``deduct_from``
    names that category, and a leaf's score is its rows' deductions (≤ 0).

    ``method`` is the registered method's name as the rubric wrote it;
    ``scoring`` is that method itself (resolved when the rubric was built),
    which the engine calls: use :attr:`rule` on a leaf.
    """

    id: str
    name: str
    points: float
    path: str
    level: int
    parent: str | None
    children: tuple[Node, ...] = ()
    method: str | None = None
    scoring: Method[Any] | None = attrs.field(default=None, eq=False, repr=False)
    params: Any = None
    data: str | None = None
    groups: frozenset[str] = frozenset()
    floor: bool = True
    deduct_only: bool = False
    deduct_from: str | None = None
    #: a leaf not applicable to a unit gives its points to this sibling leaf (分值并入)
    na_to: str | None = None
    task: str | None = None
    lead: str | None = None
    responsible: str | None = None
    deadline: str | None = None
    criteria: str | None = None

    @property
    def is_leaf(self) -> bool:
        return self.method is not None

    @property
    def rule(self) -> Method[Any]:
        """The scoring method of a leaf (TypeError on a category)."""
        if self.scoring is None:
            raise TypeError(f"指标 {self.id} 不是末级指标，没有评分方法")
        return self.scoring

    @property
    def key(self) -> str:
        """The data key of a leaf (its ``data``, by default its id); TypeError on a category."""
        if self.data is None:
            raise TypeError(f"指标 {self.id} 不是末级指标，没有数据键")
        return self.data

    def walk(self) -> Iterator[Node]:
        """This node and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@attrs.frozen
class CombinePart:
    """One period part of the annual result (e.g. 季度检查 20 %)."""

    id: str
    name: str
    weight: float
    aggregate: str = "mean"


@attrs.frozen
class PassMark:
    """A pass mark of one part of the tree (分项及格线): below ``min``, the lowest grade."""

    node: str
    min: float


@attrs.frozen
class NotScored:
    """A plan task deliberately not scored (不计分任务) and why."""

    task: str
    name: str
    reason: str


@attrs.frozen
class Meta:
    """Rubric metadata (细则信息)."""

    id: str
    title: str
    issuer: str
    year: int
    full_score: float
    performance_share: float
    missing: str
    precision: int
    tie_break: tuple[str, ...]
    bonus_cap: float | None
    bonus_min_score: float | None
    source: str | None
    notes: str | None
    #: the category whose score ``bonus_min_score`` is compared with (None: the base score)
    bonus_gate: str | None = None
    #: ids of earlier rubrics whose indicators of the same id measure the same thing (历年可比)
    comparable_with: tuple[str, ...] = ()


@attrs.frozen
class Rubric:
    """A loaded, validated rubric (考核细则).

    Attributes:
        meta: metadata.
        groups: unit groups, in rubric order.
        domains: the level-1 nodes (一级指标).
        combine: period parts, or empty when the rubric has a single period.
        not_scored: plan tasks that are not scored, with the reason.
        file: the file it was loaded from, if any.
    """

    meta: Meta
    groups: tuple[Group, ...]
    domains: tuple[Node, ...]
    combine: tuple[CombinePart, ...] = ()
    not_scored: tuple[NotScored, ...] = ()
    file: str | None = None
    pass_marks: tuple[PassMark, ...] = ()
    #: [combine] adjust_after: bonus, major deductions and vetoes count once, after combining
    combine_after: bool = False
    _nodes: Mapping[str, Node] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        nodes = {n.id: n for d in self.domains for n in d.walk()}
        object.__setattr__(self, "_nodes", nodes)

    @property
    def leaves(self) -> tuple[Node, ...]:
        """Scored indicators (末级指标) in rubric order."""
        return tuple(n for n in self._nodes.values() if n.is_leaf)

    def nodes(self) -> tuple[Node, ...]:
        """Every node, depth first in rubric order."""
        return tuple(self._nodes.values())

    def node(self, node_id: str) -> Node:
        """The node with ``node_id`` (KeyError if absent)."""
        return self._nodes[node_id]

    def group(self, group_id: str) -> Group:
        """The group with ``group_id`` (KeyError if absent)."""
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def domain_of(self, node_id: str) -> Node:
        """The level-1 ancestor (一级指标) of a node."""
        node = self._nodes[node_id]
        while node.parent is not None:
            node = self._nodes[node.parent]
        return node

    def group_max(self, group_id: str) -> float:
        return self.group(group_id).max_score
