"""Combine periods (阶段合成): e.g. 季度检查 20 % (mean of four) + 年终考核 80 %.

The rubric's ``[combine]`` declares the parts, their weights and how each
part's several results are aggregated (``mean`` / ``min`` / ``last``).  The
combined record keeps the current part's (usually the year-end review's)
indicator detail and evidence and gets a new summary:

* ``part_<id>`` = the part's aggregated total per unit; a unit without a score
  in some period of the part (NaN) has no part score (NaN, shown "—" / null),
  and then no combined total — never a silent 0;
* with ``[combine] adjust_after = true`` each part contributes its base score
  and the current part's bonus and major deductions are added once after
  weighting: total = max(Σ weight ÷ 100 × part base + bonus − major, 0);
* total = Σ weight ÷ 100 × part score; then the current part's vetoes, from
  the rule's policy (``zero`` → 0, ``fixed`` → the rule's score, ``cap`` → at
  most the cap; ``fail`` → lowest grade and ranked last);
* grade, rank and performance share recomputed from that total.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
import pandas as pd

from zwgk_score.engine.aggregate import VETO_FAIL, apply_vetoes, round_half_up
from zwgk_score.engine.rank import grades, ranks
from zwgk_score.errors import DataError, RubricError
from zwgk_score.methods.base import Array
from zwgk_score.rubric.model import Rubric

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.results import Results

_AGGREGATE: dict[str, Callable[[Array], Array]] = {
    "mean": lambda a: np.mean(a, axis=0),
    "min": lambda a: np.min(a, axis=0),
    "last": lambda a: a[-1],
}


def performance(rubric: Rubric, total: Array, unit_groups: Array) -> Array:
    """折合绩效考核分 = min(total, group max) ÷ group max × performance_share, rounded."""
    gmax = np.array([g.max_score for g in rubric.groups])[unit_groups]
    return round_half_up(
        np.minimum(total, gmax) / gmax * rubric.meta.performance_share, rubric.meta.precision
    )


def _part_totals(
    part_name: str, runs: Sequence[Results], units: list[str], column: str = "total"
) -> Array:
    """Each run's ``column`` (total, or base) in ``units`` order, stacked (runs × units).

    NaN (no score) stays NaN.
    """
    stack = []
    for r in runs:
        s = r.summary.set_index("unit")[column]
        absent = [u for u in units if u not in s.index]
        if absent:
            raise DataError(
                f"阶段「{part_name}」{r.period or ''} 的结果中缺少单位「{absent[0]}」",
                hint="各阶段应使用同一份单位名单",
            )
        stack.append(s.loc[units].to_numpy(dtype=float))
    return np.vstack(stack)


def combine_periods(
    current_part: str, current: Results, others: Mapping[str, Sequence[Results]]
) -> Results:
    """Combine ``current`` (the part ``current_part``) with the other parts' results.

    Returns a new record (``current`` is not changed) whose ``combination``
    holds the parts and their scores.

    Raises:
        RubricError: the rubric has no ``[combine]`` or does not declare a part.
        DataError: a declared part has no results, or a result lacks a unit.
    """
    from zwgk_score.results import Combination

    rubric = current.rubric
    if not rubric.combine:
        raise RubricError("考核细则没有 [combine] 阶段合成设置", file=rubric.file, path="combine")
    declared = {p.id for p in rubric.combine}
    for name in [current_part, *others]:
        if name not in declared:
            raise RubricError(
                f"考核细则的 combine 中没有阶段「{name}」",
                file=rubric.file,
                path="combine.parts",
                hint=f"已声明的阶段：{'、'.join(sorted(declared))}",
            )
    units = current.units
    prec = rubric.meta.precision
    summary = current.summary.copy()
    combined = np.zeros(len(units))
    scores: dict[str, Array] = {}
    for part in rubric.combine:
        if part.id == current_part:
            runs: Sequence[Results] = [current]
        elif part.id in others:
            runs = others[part.id]
        else:
            raise DataError(
                f"缺少阶段「{part.name}」（{part.id}）的考核结果",
                path=f"combine.{part.id}",
                hint="在考核配置的 [combine] 中列出该阶段的配置文件",
            )
        column = "base" if rubric.combine_after else "total"
        value = _AGGREGATE[part.aggregate](_part_totals(part.name, runs, units, column))
        scores[part.id] = round_half_up(value, prec)
        summary[f"part_{part.id}"] = scores[part.id]
        combined += part.weight / 100.0 * value
    t = current.totals  # the current part's vetoes, by their rule's policy
    if rubric.combine_after:
        # bonus and major deductions entered once (with the current part), added after weighting
        combined = np.maximum(combined + t.bonus - t.major, 0.0)
    total = round_half_up(apply_vetoes(combined, t.veto, t.veto_cap, t.veto_fixed), prec)
    unit_groups = pd.Categorical(summary["group"], categories=[g.id for g in rubric.groups]).codes
    summary["total"] = total
    forced = summary["veto"].to_numpy() | t.below_pass_mark
    summary["grade"] = grades(rubric, total, unit_groups, forced)
    summary["rank"] = ranks(total, unit_groups, [], t.veto == VETO_FAIL)
    summary["performance"] = performance(rubric, total, unit_groups)
    combination = Combination(tuple(rubric.combine), current_part, scores, rubric.combine_after)
    return attrs.evolve(current, summary=summary, combination=combination)
