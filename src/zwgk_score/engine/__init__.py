"""Score stage (评分): evidence table + roster + rubric → :class:`Results`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from zwgk_score.engine.aggregate import (
    VETO_FAIL,
    VETO_FIXED,
    VETO_LABELS,
    aggregate,
    round_half_up,
)
from zwgk_score.engine.combine import performance
from zwgk_score.engine.evidence import Aggregates, prepare
from zwgk_score.engine.leaves import MISSING_NA, MISSING_ZERO, LeafScores, score_leaves
from zwgk_score.engine.rank import grades, ranks
from zwgk_score.errors import RubricError
from zwgk_score.methods.base import Array, Method, fmt
from zwgk_score.roster import validate_roster
from zwgk_score.rubric.model import Rubric

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.results import Results


def score(
    rubric: Rubric,
    data: pd.DataFrame,
    roster: pd.DataFrame,
    *,
    data_file: str | Path | None = None,
    roster_file: str | Path | None = None,
    period: str | None = None,
    methods: Mapping[str, Method[Any]] | None = None,
) -> Results:
    """Score every unit of ``roster`` on ``rubric`` from the evidence table ``data``.

    Args:
        rubric: a loaded rubric (:func:`zwgk_score.load_rubric`).
        data: the long evidence table (columns unit, key, value, text,
            status, evidence, source; see :mod:`zwgk_score.collect.base`).
        roster: the unit roster (columns unit, group).
        data_file / roster_file: file names for error messages.
        period: label of the period (e.g. ``2023Q1``), carried into outputs.
        methods: scoring methods by name (default: from the plugins).

    Raises:
        DataError: for unknown units / keys, bad values, duplicates, missing data.
    """
    methods, roster, units, group_ids, unit_groups = setup(rubric, roster, methods, roster_file)
    leaves = rubric.leaves
    file = str(data_file) if data_file is not None else None
    agg = prepare(data, units, leaves, file=file)
    return finish(
        rubric, roster, methods, agg, unit_groups, group_ids, units, file=file, period=period
    )


def veto_labels(veto: Array, fixed: Array) -> list[str]:
    """The summary's ``veto_policy`` label per unit; a fixed score is named: 否决（按59分计）."""
    return [
        f"否决（按{fmt(float(f))}分计）" if v == VETO_FIXED else VETO_LABELS[int(v)]
        for v, f in zip(veto.tolist(), fixed.tolist(), strict=True)
    ]


def setup(
    rubric: Rubric,
    roster: pd.DataFrame,
    methods: Mapping[str, Method[Any]] | None,
    roster_file: str | Path | None,
) -> tuple[dict[str, Method[Any]], pd.DataFrame, list[str], list[str], Array]:
    """Check the methods and the roster: (methods, roster, units, group ids, unit group codes).

    Shared by :func:`score` and :func:`zwgk_score.engine.dense.score_dense`.
    """
    if methods is None:
        from zwgk_score.plugins import get_methods

        methods = get_methods()
    for leaf in rubric.leaves:
        if leaf.method not in methods:
            raise RubricError(
                f"评分方法「{leaf.method}」未注册",
                file=rubric.file,
                path=f"{leaf.path}.method",
                hint="安装提供该方法的插件",
            )
    roster = validate_roster(roster, rubric, file=roster_file)
    units = roster["unit"].tolist()
    group_ids = [g.id for g in rubric.groups]
    unit_groups = pd.Categorical(roster["group"], categories=group_ids).codes.astype(np.int64)
    return dict(methods), roster, units, group_ids, unit_groups


def finish(
    rubric: Rubric,
    roster: pd.DataFrame,
    methods: Mapping[str, Method[Any]],
    agg: Aggregates,
    unit_groups: Array,
    group_ids: list[str],
    units: list[str],
    *,
    file: str | None,
    period: str | None,
) -> Results:
    """Score the leaves of ``agg``, aggregate, grade and rank: the :class:`Results`.

    Shared by :func:`score` and :func:`zwgk_score.engine.dense.score_dense`.
    """
    leaves = rubric.leaves
    ls = score_leaves(agg, leaves, unit_groups, group_ids, units, rubric.meta.missing, file=file)
    return from_leaf_scores(rubric, roster, methods, agg, ls, unit_groups, units, period=period)


def from_leaf_scores(
    rubric: Rubric,
    roster: pd.DataFrame,
    methods: Mapping[str, Method[Any]],
    agg: Aggregates,
    ls: LeafScores,
    unit_groups: Array,
    units: list[str],
    *,
    period: str | None,
) -> Results:
    """Aggregate, grade and rank scored leaves (also used to rescore with appeal decisions)."""
    leaves = rubric.leaves
    totals = aggregate(rubric, leaves, ls, unit_groups)

    vetoed = totals.veto > 0
    prec = rubric.meta.precision
    # a veto, or a part below its pass mark (网站部分低于X分评定为不合格): the lowest grade
    grade = grades(rubric, totals.total, unit_groups, vetoed | totals.below_pass_mark)
    dom_idx = {nid: i for i, nid in enumerate(totals.node_ids)}
    tie_keys = [round_half_up(totals.nodes.score(dom_idx[d]), prec) for d in rubric.meta.tie_break]
    rank = ranks(totals.total, unit_groups, tie_keys, totals.veto == VETO_FAIL)
    perf = performance(rubric, totals.total, unit_groups)
    missing = ((ls.status == MISSING_ZERO) | (ls.status == MISSING_NA)).sum(axis=1)
    summary = pd.DataFrame(
        {
            "unit": units,
            "group": roster["group"].to_numpy(),
            "group_name": [rubric.groups[g].name for g in unit_groups],
            "obtained": round_half_up(totals.obtained, 6),
            "applicable": round_half_up(totals.applicable, 6),
            "base": round_half_up(totals.base, prec),
            "bonus": round_half_up(totals.bonus, prec),
            "major": round_half_up(totals.major, prec),
            "veto": vetoed,
            "veto_policy": veto_labels(totals.veto, totals.veto_fixed),
            "total": totals.total,
            "grade": grade,
            "rank": rank,
            "performance": perf,
            "missing": missing,
        }
    )
    from zwgk_score.results import Results  # results imports engine modules

    return Results(rubric, roster, leaves, dict(methods), agg, ls, totals, summary, period=period)
