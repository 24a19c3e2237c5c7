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


@attrs.frozen
class Totals:
    node_score: Array  # (U, nodes) for every node id in rubric order
    node_applicable: Array  # (U, nodes) applicable points
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
    # one row per node (nodes × units) while filling: writing a unit-major array one
    # column at a time touches a memory page per unit; handed on as (units × nodes) views
    node_score_t = np.zeros((len(nodes), U))
    node_app_t = np.zeros((len(nodes), U))
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
    for node in reversed(nodes):  # children come after parents in depth-first order
        i = index[node.id]
        if node.is_leaf:
            j = leaf_index[node.id]
            if roles[j] == Role.SCORE:
                node_score_t[i] = leaf_score[:, j]
                node_app_t[i] = np.where(ls.applicable[:, j], leaf_points[:, j], 0.0)
            continue
        kids = [index[c.id] for c in node.children]
        if node.deduct_only:
            rules = [
                leaf_index[c.id] for c in node.children if roles[leaf_index[c.id]] == Role.SCORE
            ]
            applies = ls.applicable[:, rules].any(axis=1)
            s = node.points + row_sum(node_score_t, kids)
            s = np.maximum(s, 0.0) if node.floor else s
            node_score_t[i] = np.where(applies, s, 0.0)
            node_app_t[i] = np.where(applies, node.points, 0.0)
        else:
            s = row_sum(node_score_t, kids)
            node_score_t[i] = np.maximum(s, 0.0) if node.floor else s
            node_app_t[i] = row_sum(node_app_t, kids)
        if node.id in scoped:
            node_score_t[i] = np.where(scoped[node.id], 0.0, node_score_t[i])

    node_score, node_app = node_score_t.T, node_app_t.T
    dom = [index[d.id] for d in rubric.domains]
    obtained = row_sum(node_score_t, dom)
    applicable = row_sum(node_app_t, dom)
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
            base if rubric.meta.bonus_gate is None else node_score_t[index[rubric.meta.bonus_gate]]
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
        part = round_half_up(node_score_t[index[mark.node]], rubric.meta.precision)
        below |= part < mark.min - 1e-9

    total = np.maximum(base + bonus - major, 0.0)
    total = apply_vetoes(total, veto, cap, fixed)
    total = round_half_up(total, rubric.meta.precision)
    return Totals(
        node_score,
        node_app,
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
    picked = np.ascontiguousarray(rows[list(at)])  # (k × units), row-major
    out: Array = picked.T.sum(axis=1)
    return out


def apply_vetoes(total: Array, veto: Array, cap: Array, fixed: Array) -> Array:
    """The total after the triggered vetoes' policies (``fail`` leaves it to grade and rank)."""
    total = np.where(np.isfinite(cap), np.minimum(total, cap), total)
    total = np.where(veto == VETO_FIXED, fixed, total)
    out: Array = np.where(veto == VETO_ZERO, 0.0, total)
    return out
