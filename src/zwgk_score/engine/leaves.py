"""Score every leaf for every unit, with applicability and the missing policy."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
import pandas as pd

from zwgk_score.engine.evidence import Aggregates, object_addresses
from zwgk_score.errors import DataError
from zwgk_score.methods.base import Array, LeafData
from zwgk_score.rubric.model import Node

#: cell status codes (指标状态)
OK, NA_GROUP, NA_DECLARED, MISSING_ZERO, MISSING_NA = 0, 1, 2, 3, 4
STATUS_LABELS = {
    OK: "",
    NA_GROUP: "不适用（类别）",
    NA_DECLARED: "不适用",
    MISSING_ZERO: "缺失（计0分）",
    MISSING_NA: "缺失（按不适用）",
}


@attrs.frozen
class LeafScores:
    """Arrays of shape (units, leaves)."""

    score: Array  # points obtained (role score) / bonus / major deduction / veto flag
    applicable: Array  # bool
    status: Array  # int8 status codes


def text_of(col: Array) -> tuple[Array, tuple[Array, Array] | None]:
    """``col.astype(str)`` and, for a column of strings, its distinct texts with each
    unit's position among them (:attr:`LeafData.text_codes`).

    Units repeat a handful of texts: each distinct one is converted once (a hash pass
    instead of a fixed-width conversion of every element); ``texts[codes]`` has the
    dtype and the characters ``col.astype(str)`` has.
    """
    codes, uniq = pd.factorize(col)
    if (codes < 0).any() or any(type(t) is not str for t in uniq):  # None, NaN, numbers …
        return col.astype(str), None
    texts = np.asarray(uniq, dtype=object).astype(str)
    return texts[codes], (texts, codes)


#: the empty string (one object in CPython: every "" is it)
_EMPTY = ""


def _has_text(col: Array) -> bool:
    """Whether a column of texts holds any but ``""``.

    Most columns hold nothing but the empty string object itself: comparing the elements'
    addresses with its address (integers) settles those without comparing strings.
    """
    addresses = object_addresses(col)
    if addresses is not None and bool((addresses == id(_EMPTY)).all()):
        return False
    return bool((col != "").any())


def score_leaves(
    agg: Aggregates,
    leaves: Sequence[Node],
    unit_groups: Array,
    group_ids: Sequence[str],
    units: Sequence[str],
    missing_policy: str,
    *,
    file: str | None,
) -> LeafScores:
    U, L = agg.n.shape
    member = np.array(
        [[g in leaf.groups for leaf in leaves] for g in group_ids], dtype=bool
    ).reshape(len(group_ids), L)
    in_group = member[unit_groups]  # (U, L)
    requires = np.array([leaf.rule.requires_rows for leaf in leaves], dtype=bool)
    open_ = in_group & ~agg.na  # applies, not declared 不适用 (each mask computed once)
    empty = open_ & (agg.n == 0)
    absent = empty & requires[None, :]
    explicit_missing = empty & agg.missing
    if missing_policy == "error" and (absent & ~explicit_missing).any():
        cells = np.argwhere(absent & ~explicit_missing)
        u, j = cells[0]
        more = f"（共 {len(cells)} 处缺失）" if len(cells) > 1 else ""
        raise DataError(
            f"单位「{units[u]}」缺少指标「{leaves[j].name}」（{leaves[j].id}）的数据，数据键 {leaves[j].data}{more}",
            file=file,
            path=f"unit={units[u]}, key={leaves[j].data}",
            hint="补齐数据；确属不适用的填一行 status = na；或在细则 meta.missing 中声明缺失数据的处理方式",
        )
    missing = absent | explicit_missing
    status = np.full((U, L), OK, dtype=np.int8)
    status[~in_group] = NA_GROUP
    status[in_group & agg.na] = NA_DECLARED
    to_na = missing_policy == "not_applicable"
    status[missing] = MISSING_NA if to_na else MISSING_ZERO
    applicable = open_ & ~missing if to_na else open_

    score_t = np.zeros((L, U))  # one row per leaf while filling; handed on as (units × leaves)
    no_text = np.full(U, "", dtype="<U1")  # what ``astype(str)`` makes of a column of ""
    no_codes = (no_text[:1].copy(), np.zeros(U, dtype=np.intp))  # (shared by the leaves: read-only)
    for arr in no_codes:
        arr.setflags(write=False)
    for j, leaf in enumerate(leaves):
        # most columns hold no text at all: one cheap comparison instead of a str conversion
        col = agg.text[:, j]
        text, codes = text_of(col) if _has_text(col) else (None, no_codes)
        d = LeafData(
            agg.n[:, j],
            agg.total[:, j],
            agg.value[:, j],
            no_text.copy() if text is None else text,
            agg.over[:, j],
            agg.effect[:, j],
            agg.distinct[:, j],
            codes,
        )
        if leaf.deduct_from is not None:
            # a rule of a deduction-only category: its rows' deductions (≤ 0), taken off the
            # category's points in the aggregation
            score_t[j] = np.minimum(agg.effect[:, j], 0.0)
        else:
            score_t[j] = leaf.rule.score(leaf.params, leaf.points, d)
    score = score_t.T
    odd = ~np.isfinite(score_t)  # NaN → 0, ±inf → the largest floats (as np.nan_to_num)
    if odd.any():
        score_t[odd] = np.nan_to_num(score_t[odd], nan=0.0)
    score[~applicable | missing] = 0.0  # in place: no second (units × leaves) array
    return LeafScores(score, applicable, status)
