"""Combine periods (阶段合成): e.g. 季度检查 20 % (mean of four) + 年终考核 80 %.

The rubric's ``[combine]`` declares the parts and weights; the combined
result keeps the year-end review's indicator detail and evidence, and
replaces the summary: total = Σ weight ÷ 100 × part total, then the year-end
veto policy, grade and rank are applied again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from zwgk_score.engine.aggregate import VETO_FAIL, VETO_LABELS, round_half_up
from zwgk_score.engine.rank import grades, ranks
from zwgk_score.errors import DataError, RubricError
from zwgk_score.results import Results

_AGG = {"mean": np.mean, "min": np.min, "last": lambda a, axis: a[-1]}


def combine_results(
    current_part: str, current: Results, others: Mapping[str, Sequence[Results]]
) -> Results:
    """Combine ``current`` (the part ``current_part``) with the other parts' results."""
    rubric = current.rubric
    if not rubric.combine:
        raise RubricError("考核细则没有 [combine] 阶段合成设置", file=rubric.file, path="combine")
    declared = {p.id for p in rubric.combine}
    for part in [current_part, *others]:
        if part not in declared:
            raise RubricError(
                f"考核细则的 combine 中没有阶段「{part}」",
                file=rubric.file,
                path="combine.parts",
                hint=f"已声明的阶段：{'、'.join(sorted(declared))}",
            )
    units = current.units
    summary = current.summary.copy()
    combined = np.zeros(len(units))
    for part in rubric.combine:
        if part.id == current_part:
            runs = [current]
        elif part.id in others:
            runs = list(others[part.id])
        else:
            raise DataError(
                f"缺少阶段「{part.name}」（{part.id}）的考核结果",
                path=f"combine.{part.id}",
                hint="在考核配置的 [combine] 中列出该阶段的配置文件",
            )
        stack = []
        for r in runs:
            s = r.summary.set_index("unit")["total"]
            absent = [u for u in units if u not in s.index]
            if absent:
                raise DataError(
                    f"阶段「{part.name}」{r.period or ''} 的结果中缺少单位「{absent[0]}」",
                    hint="各阶段应使用同一份单位名单",
                )
            stack.append(np.nan_to_num(s.loc[units].to_numpy(dtype=float), nan=0.0))
        value = _AGG[part.aggregate](np.vstack(stack), axis=0)
        summary[f"part_{part.id}"] = round_half_up(value, rubric.meta.precision)
        combined += part.weight / 100.0 * value
    veto_total = current.summary["veto_policy"]
    total = combined.copy()
    caps = _veto_caps(current)
    total = np.where(np.isfinite(caps), np.minimum(total, caps), total)
    total = np.where(veto_total.str.contains("计0"), 0.0, total)
    total = round_half_up(total, rubric.meta.precision)
    unit_groups = pd.Categorical(summary["group"], categories=[g.id for g in rubric.groups]).codes
    summary["total"] = total
    summary["grade"] = grades(rubric, total, unit_groups, summary["veto"].to_numpy())
    fail = (summary["veto_policy"] == VETO_LABELS[VETO_FAIL]).to_numpy()
    summary["rank"] = ranks(total, unit_groups, [], fail)
    gmax = np.array([g.max_score for g in rubric.groups])[unit_groups]
    summary["performance"] = round_half_up(
        np.minimum(total, gmax) / gmax * rubric.meta.performance_share, rubric.meta.precision
    )
    out = Results(
        rubric,
        current.roster,
        current.leaves,
        current.methods,
        current._agg,
        current._ls,
        current._totals,
        summary,
        period=current.period,
    )
    out.parts = [(p.id, p.name, p.weight) for p in rubric.combine]
    out.current_part = current_part
    return out


def _veto_caps(results: Results) -> np.ndarray:
    caps = np.full(len(results.units), np.inf)
    items = results.items()
    vetoes = items[(items["role"] == "veto") & (items["score"] > 0)]
    for row in vetoes.itertuples():
        leaf = results.rubric.node(row.indicator)
        if leaf.params.policy == "cap":
            u = results.units.index(row.unit)
            caps[u] = min(caps[u], leaf.params.cap)
    return caps
