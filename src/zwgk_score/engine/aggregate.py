"""Aggregate leaf scores up the tree, rescale (折算), add bonus, apply vetoes.

Formulas (docs/rubric.md, 计分公式):

* node score = Σ children scores, floored at 0 when ``floor`` (default);
* applicable points of a node = Σ applicable children points;
* base score = obtained ÷ applicable points × group max when the group
  rescales (折算), else obtained; a unit with no applicable points has no
  score ("—");
* total = max(base + bonus − major deductions, 0), bonus capped per
  indicator and by ``meta.bonus_cap``;
* veto: ``zero`` → 0; ``cap`` → min(total, cap); any veto forces the lowest grade.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from zwgk_score.engine.leaves import LeafScores
from zwgk_score.methods.base import Array, Role
from zwgk_score.rubric.model import Node, Rubric

VETO_NONE, VETO_FAIL, VETO_CAP, VETO_ZERO = 0, 1, 2, 3
VETO_LABELS = {
    VETO_NONE: "",
    VETO_FAIL: "否决（等次定为最低）",
    VETO_CAP: "否决（总分封顶）",
    VETO_ZERO: "否决（总分计0）",
}


def round_half_up(x: Array, digits: int) -> Array:
    """Round half away from zero at ``digits`` decimals (四舍五入), robust to float noise."""
    scale = 10.0**digits
    # + 0.0 turns −0.0 (from −0.004 at 2 decimals, or float noise) into 0.0
    return np.sign(x) * np.floor(np.abs(x) * scale + 0.5 + 1e-7) / scale + 0.0


@attrs.frozen
class Totals:
    node_score: np.ndarray  # (U, nodes) for every node id in rubric order
    node_applicable: np.ndarray  # (U, nodes) applicable points
    node_ids: tuple[str, ...]
    obtained: np.ndarray
    applicable: np.ndarray
    base: np.ndarray
    bonus: np.ndarray
    major: np.ndarray
    veto: np.ndarray  # int codes
    total: np.ndarray


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
    node_score = np.zeros((U, len(nodes)))
    node_app = np.zeros((U, len(nodes)))
    for node in reversed(nodes):  # children come after parents in depth-first order
        i = index[node.id]
        if node.is_leaf:
            j = leaf_index[node.id]
            if roles[j] == Role.SCORE:
                node_score[:, i] = ls.score[:, j]
                node_app[:, i] = np.where(ls.applicable[:, j], node.points, 0.0)
            continue
        kids = [index[c.id] for c in node.children]
        s = node_score[:, kids].sum(axis=1)
        node_score[:, i] = np.maximum(s, 0.0) if node.floor else s
        node_app[:, i] = node_app[:, kids].sum(axis=1)

    dom = [index[d.id] for d in rubric.domains]
    obtained = node_score[:, dom].sum(axis=1)
    applicable = node_app[:, dom].sum(axis=1)
    gmax = np.array([g.max_score for g in rubric.groups])[unit_groups]
    rescale = np.array([g.rescale for g in rubric.groups])[unit_groups]
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = obtained / applicable * gmax
    base = np.where(applicable > 0, np.where(rescale, scaled, obtained), np.nan)

    def role_sum(role: Role) -> Array:
        cols = [j for j, r in enumerate(roles) if r == role]
        return ls.score[:, cols].sum(axis=1) if cols else np.zeros(U)

    bonus = role_sum(Role.BONUS)
    if rubric.meta.bonus_cap is not None:
        bonus = np.minimum(bonus, rubric.meta.bonus_cap)
    if rubric.meta.bonus_min_score is not None:
        # compare the published (rounded) base: (0.2 + 0.7) ÷ 1 × 100 is 89.99999999999999
        shown = round_half_up(base, rubric.meta.precision)
        bonus = np.where(shown >= rubric.meta.bonus_min_score - 1e-9, bonus, 0.0)
    major = role_sum(Role.MAJOR)

    veto = np.zeros(U, dtype=np.int8)
    cap = np.full(U, np.inf)
    policy_code = {"fail": VETO_FAIL, "cap": VETO_CAP, "zero": VETO_ZERO}
    for j, leaf in enumerate(leaves):
        if roles[j] != Role.VETO:
            continue
        hit = ls.score[:, j] > 0
        code = policy_code[leaf.params.policy]
        veto = np.where(hit, np.maximum(veto, code), veto).astype(np.int8)
        if code == VETO_CAP:
            cap = np.where(hit, np.minimum(cap, leaf.params.cap), cap)

    total = np.maximum(base + bonus - major, 0.0)
    total = np.where(veto == VETO_ZERO, 0.0, total)
    total = np.where(np.isfinite(cap), np.minimum(total, cap), total)
    total = round_half_up(total, rubric.meta.precision)
    return Totals(
        node_score, node_app, tuple(index), obtained, applicable, base, bonus, major, veto, total
    )
