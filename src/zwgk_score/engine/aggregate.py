"""Aggregate leaf scores up the tree, rescale (折算), add bonus, apply vetoes.

Formulas (docs/rubric.md, 计分公式):

* node score = Σ children scores, floored at 0 when ``floor`` (default);
  a deduction-only category (``deduct_only``): its points + Σ its rules'
  deductions (≤ 0), floored likewise, when any of its rules applies;
* applicable points of a node = Σ applicable children points (a
  deduction-only category: its points when any rule applies);
* base score = obtained ÷ applicable points × group max when the group
  rescales (折算), else obtained; a unit with no applicable points has no
  score ("—");
* total = max(base + bonus − major deductions, 0), bonus capped per
  indicator and by ``meta.bonus_cap``;
* a veto with ``scope`` fails one part only: that category scores 0;
* ``rubric.pass_marks``: a part below its pass mark forces the lowest grade;
* ``meta.bonus_gate`` compares that part's score (not the base) with
  ``meta.bonus_min_score``;
* a bonus withheld by ``meta.bonus_min_score`` is recorded (``bonus_withheld``)
  so tables can say so;
* veto: ``zero`` → 0; ``fixed`` → the rule's ``score`` (按59分计); ``cap`` →
  min(total, cap); the strongest triggered policy wins (zero > fixed > cap >
  fail); any veto forces the lowest grade.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from zwgk_score.engine.leaves import LeafScores
from zwgk_score.methods.base import Array, Role
from zwgk_score.rubric.model import Node, Rubric

VETO_NONE, VETO_FAIL, VETO_CAP, VETO_ZERO, VETO_FIXED = 0, 1, 2, 3, 4
VETO_LABELS = {
    VETO_NONE: "",
    VETO_FAIL: "否决（等次定为最低）",
    VETO_CAP: "否决（总分封顶）",
    VETO_ZERO: "否决（总分计0）",
    VETO_FIXED: "否决（按固定分计）",  # the summary names the score: 否决（按59分计）
}
#: the veto policy of each code (VETO_*), as the rule's ``params.policy`` names it
VETO_POLICIES = {"fail": VETO_FAIL, "cap": VETO_CAP, "zero": VETO_ZERO, "fixed": VETO_FIXED}
#: which triggered policy wins when several vetoes hit one unit
_STRENGTH = {VETO_NONE: 0, VETO_FAIL: 1, VETO_CAP: 2, VETO_FIXED: 3, VETO_ZERO: 4}
_STRENGTH_OF_CODE = np.array([_STRENGTH[c] for c in range(len(_STRENGTH))])


def round_half_up(x: Array, digits: int) -> Array:
    """Round half away from zero at ``digits`` decimals (四舍五入), robust to float noise."""
    scale = 10.0**digits
    # sign(x) × floor(|x| × scale + 0.5 + 1e-7) ÷ scale + 0.0, in that order, computed in
    # place (two arrays instead of eight: fresh memory is what costs on millions of cells);
    # + 0.0 turns −0.0 (from −0.004 at 2 decimals, or float noise) into 0.0
    arr = np.asarray(x)
    if arr.ndim == 0:  # a scalar: the same formula on the scalar
        out0: Array = np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + 1e-7) / scale + 0.0
        return out0
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)  # as sign(int) × float would be
    a = np.abs(arr) * scale
    a += 0.5
    a += 1e-7
    np.floor(a, out=a)
    out: Array = np.sign(arr)
    out *= a
    out /= scale
    out += 0.0
    return out


@attrs.frozen(eq=False)
class NodeRows:
    """Score and applicable points of every node per unit, one row (of units) per node.

    A scored leaf's row is its column of the leaf scores, read when needed; only the
    inner nodes' rows are kept.  The (units × nodes) arrays (:attr:`Totals.node_score`)
    are built on first use: most of their columns would copy the leaf scores.

    Attributes:
        n_nodes, n_units: the shape.
        inner: node position → (score row, applicable row) of each inner node.
        leaf_of: node position → leaf column, for each leaf node of role ``score``
            (other leaf nodes count 0).
        leaf_score, applicable, leaf_points: the (units × leaves) arrays read.
    """

    n_nodes: int
    n_units: int
    inner: dict[int, tuple[Array, Array]]
    leaf_of: dict[int, int]
    leaf_score: Array
    applicable: Array
    leaf_points: Array
    _cache: dict[str, Array] = attrs.field(factory=dict, repr=False)

    def score(self, i: int) -> Array:
        """Node ``i``'s score per unit."""
        if i in self.inner:
            return self.inner[i][0]
        j = self.leaf_of.get(i)
        return self.leaf_score[:, j] if j is not None else np.zeros(self.n_units)

    def points(self, i: int) -> Array:
        """Node ``i``'s applicable points per unit."""
        if i in self.inner:
            return self.inner[i][1]
        j = self.leaf_of.get(i)
        if j is None:
            return np.zeros(self.n_units)
        out: Array = np.where(self.applicable[:, j], self.leaf_points[:, j], 0.0)
        return out

    def full(self, name: str) -> Array:
        """``score`` or ``points`` of every node as a (units × nodes) array (built once)."""
        if name not in self._cache:
            row = self.score if name == "score" else self.points
            rows = [row(i) for i in range(self.n_nodes)]
            arr = np.stack(rows) if rows else np.zeros((0, self.n_units))
            self._cache[name] = arr.T
        return self._cache[name]


@attrs.frozen
class Totals:
    nodes: NodeRows  # per node and unit: score, applicable points (node_score …)
    node_ids: tuple[str, ...]
    obtained: Array
    applicable: Array
    base: Array
    bonus: Array
    major: Array
    veto: Array  # int codes VETO_*: the strongest policy triggered per unit
    total: Array
    veto_cap: Array  # the lowest cap of the triggered ``cap`` vetoes per unit (inf = none)
    veto_fixed: Array  # the score of the triggered ``fixed`` vetoes per unit (NaN = none)
    bonus_withheld: Array  # bool: the unit earned a bonus the gate (bonus_min_score) withheld
    below_pass_mark: Array  # bool: some part (rubric.pass_marks) scored below its pass mark
    leaf_points: Array  # (U, leaves) points of each leaf for each unit, after na_to transfers
    leaf_score: Array  # (U, leaves) score of each leaf, scaled up where it received points

    @property
    def node_score(self) -> Array:
        """(U, nodes) score of every node, node ids in rubric order."""
        return self.nodes.full("score")

    @property
    def node_applicable(self) -> Array:
        """(U, nodes) applicable points of every node."""
        return self.nodes.full("points")


def aggregate(
    rubric: Rubric,
    leaves: Sequence[Node],
    ls: LeafScores,
    unit_groups: Array,
) -> Totals:
    U = ls.score.shape[0]
    nodes = rubric.nodes()
    index = {n.id: i for i, n in enumerate(nodes)}
    leaf_index = {leaf.id: j for j, leaf in enumerate(leaves)}
    roles = [leaf.rule.role for leaf in leaves]
    # vetoes that fail one part only (params.scope): that category scores 0
    scoped: dict[str, Array] = {}
    for j, leaf in enumerate(leaves):
        scope = getattr(leaf.params, "scope", None)
        if roles[j] == Role.VETO and scope is not None:
            scoped[scope] = scoped.get(scope, np.zeros(U, dtype=bool)) | (ls.score[:, j] > 0)
    # 分值并入 (na_to): a leaf not applicable to a unit gives its points to a sibling, whose
    # score is scaled up by (its points + the given points) ÷ its points
    points = np.array([leaf.points for leaf in leaves], dtype=float)
    leaf_points: Array = np.broadcast_to(points, (U, len(leaves)))  # a view: no copy
    leaf_score = ls.score
    if any(leaf.na_to is not None for leaf in leaves):
        leaf_points = leaf_points.copy()
        leaf_score = ls.score.copy()
    for j, leaf in enumerate(leaves):
        if leaf.na_to is None:
            continue
        t = leaf_index[leaf.na_to]
        moves = ~ls.applicable[:, j] & ls.applicable[:, t]
        leaf_points[:, t] = np.where(moves, leaf_points[:, t] + leaf.points, leaf_points[:, t])
    for t, leaf in enumerate(leaves):
        if leaf.points > 0 and (leaf_points[:, t] != leaf.points).any():
            leaf_score[:, t] = ls.score[:, t] * leaf_points[:, t] / leaf.points
    leaf_of = {index[leaf.id]: j for j, leaf in enumerate(leaves) if roles[j] == Role.SCORE}
    rows = NodeRows(len(nodes), U, {}, leaf_of, leaf_score, ls.applicable, leaf_points)
    for node in reversed(nodes):  # children come after parents in depth-first order
        i = index[node.id]
        if node.is_leaf:
            continue
        kids = [index[c.id] for c in node.children]
        if node.deduct_only:
            rules = [
                leaf_index[c.id] for c in node.children if roles[leaf_index[c.id]] == Role.SCORE
            ]
            applies = ls.applicable[:, rules].any(axis=1)
            s = node.points + rows_sum([rows.score(k) for k in kids])
            s = np.maximum(s, 0.0) if node.floor else s
            score_row = np.where(applies, s, 0.0)
            points_row = np.where(applies, node.points, 0.0)
        else:
            s = rows_sum([rows.score(k) for k in kids])
            score_row = np.maximum(s, 0.0) if node.floor else s
            points_row = rows_sum([rows.points(k) for k in kids])
        if node.id in scoped:
            score_row = np.where(scoped[node.id], 0.0, score_row)
        rows.inner[i] = (score_row, points_row)

    dom = [index[d.id] for d in rubric.domains]
    obtained = rows_sum([rows.score(k) for k in dom])
    applicable = rows_sum([rows.points(k) for k in dom])
    gmax = np.array([g.max_score for g in rubric.groups])[unit_groups]
    rescale = np.array([g.rescale for g in rubric.groups])[unit_groups]
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = obtained / applicable * gmax
    base = np.where(applicable > 0, np.where(rescale, scaled, obtained), np.nan)

    def role_sum(role: Role) -> Array:
        cols = [j for j, r in enumerate(roles) if r == role]
        return row_sum(ls.score.T, cols) if cols else np.zeros(U)

    bonus = role_sum(Role.BONUS)
    if rubric.meta.bonus_cap is not None:
        bonus = np.minimum(bonus, rubric.meta.bonus_cap)
    withheld = np.zeros(U, dtype=bool)
    if rubric.meta.bonus_min_score is not None:
        # compare the published (rounded) base: (0.2 + 0.7) ÷ 1 × 100 is 89.99999999999999;
        # with meta.bonus_gate, the score of that part of the tree instead
        gated = (
            base if rubric.meta.bonus_gate is None else rows.score(index[rubric.meta.bonus_gate])
        )
        shown = round_half_up(gated, rubric.meta.precision)
        gate = shown >= rubric.meta.bonus_min_score - 1e-9
        withheld = ~gate & (bonus > 0)
        bonus = np.where(gate, bonus, 0.0)
    major = role_sum(Role.MAJOR)

    veto = np.zeros(U, dtype=np.int8)
    cap = np.full(U, np.inf)
    fixed = np.full(U, np.nan)
    for j, leaf in enumerate(leaves):
        if roles[j] != Role.VETO or getattr(leaf.params, "scope", None) is not None:
            continue
        hit = ls.score[:, j] > 0
        code = VETO_POLICIES[leaf.params.policy]
        stronger = _STRENGTH[code] > _STRENGTH_OF_CODE[veto]
        veto = np.where(hit & stronger, code, veto).astype(np.int8)
        if code == VETO_CAP:
            cap = np.where(hit, np.minimum(cap, leaf.params.cap), cap)
        if code == VETO_FIXED:
            fixed = np.where(hit, np.fmin(fixed, leaf.params.score), fixed)

    below = np.zeros(U, dtype=bool)
    for mark in rubric.pass_marks:
        part = round_half_up(rows.score(index[mark.node]), rubric.meta.precision)
        below |= part < mark.min - 1e-9

    total = np.maximum(base + bonus - major, 0.0)
    total = apply_vetoes(total, veto, cap, fixed)
    total = round_half_up(total, rubric.meta.precision)
    return Totals(
        rows,
        tuple(index),
        obtained,
        applicable,
        base,
        bonus,
        major,
        veto,
        total,
        cap,
        fixed,
        withheld,
        below,
        leaf_points,
        leaf_score,
    )


def row_sum(rows: Array, at: Sequence[int]) -> Array:
    """Σ of the rows ``at`` of ``rows``, per column, added exactly as ``a[:, at].sum(axis=1)``
    adds the columns of a unit-major array ``a``: NumPy makes that a column-major (units × k)
    array, and so does this, so the additions are the same, in the same order."""
    return rows_sum([rows[k] for k in at])


def rows_sum(rows: Sequence[Array]) -> Array:
    """Σ of ``rows`` (each one value per unit) per unit, as :func:`row_sum` adds them."""
    picked = np.stack(rows)  # (k × units), row-major; its transpose is column-major
    out: Array = picked.T.sum(axis=1)
    return out


def apply_vetoes(total: Array, veto: Array, cap: Array, fixed: Array) -> Array:
    """The total after the triggered vetoes' policies (``fail`` leaves it to grade and rank)."""
    total = np.where(np.isfinite(cap), np.minimum(total, cap), total)
    total = np.where(veto == VETO_FIXED, fixed, total)
    out: Array = np.where(veto == VETO_ZERO, 0.0, total)
    return out
