"""Scoring with appeal decisions applied (申诉调整)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.engine import from_leaf_scores
from zwgk_score.errors import DataError
from zwgk_score.results import Results


def apply_adjustments(
    results: Results, adjustments: Mapping[tuple[str, str], Mapping[str, Any]]
) -> Results:
    """A new result with each (unit, indicator) scored ``after`` instead of what the rules gave.

    Each adjustment keeps who decided, when and why; the item's 失分原因 and
    its JSON entry say 申诉调整.
    """
    if not adjustments:
        return results
    ls = results.leaf_scores
    score = ls.score.copy()
    units = results.units
    leaf_pos = {leaf.id: j for j, leaf in enumerate(results.leaves)}
    unit_pos = {u: i for i, u in enumerate(units)}
    for (unit, ind), adj in adjustments.items():
        if unit not in unit_pos or ind not in leaf_pos:
            raise DataError(
                f"申诉处理针对的单位「{unit}」或指标「{ind}」不在本次考核中",
                hint="检查申诉处理表中的单位和指标编号",
            )
        score[unit_pos[unit], leaf_pos[ind]] = float(adj["after"])
    group_ids = [g.id for g in results.rubric.groups]
    unit_groups = pd.Categorical(results.roster["group"], categories=group_ids).codes.astype(
        np.int64
    )
    new = from_leaf_scores(
        results.rubric,
        results.roster,
        results.methods,
        results.aggregates,
        attrs.evolve(ls, score=score),
        unit_groups,
        units,
        period=results.period,
    )
    return attrs.evolve(new, adjustments={k: dict(v) for k, v in adjustments.items()})
