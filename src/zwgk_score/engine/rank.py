"""Grades (等次) and ranks within group (组内排名)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zwgk_score.rubric.model import Rubric


def grades(
    rubric: Rubric, total: np.ndarray, unit_groups: np.ndarray, vetoed: np.ndarray
) -> np.ndarray:
    """Grade name per unit; vetoed units get their group's lowest grade."""
    out = np.empty(len(total), dtype=object)
    for gi, group in enumerate(rubric.groups):
        mask = unit_groups == gi
        res = np.full(mask.sum(), group.lowest_grade, dtype=object)
        t = total[mask]
        for band in reversed(group.grades):
            res = np.where(t >= band.min - 1e-9, band.name, res)
        res = np.where(vetoed[mask] | np.isnan(t), group.lowest_grade, res)
        out[mask] = res
    return out


def ranks(
    total: np.ndarray,
    unit_groups: np.ndarray,
    tie_keys: list[np.ndarray],
    vetoed: np.ndarray | None = None,
) -> np.ndarray:
    """Competition ranks within each group: ties share a rank and skip the next (9, 9, 11).

    ``tie_keys`` (e.g. domain scores in ``meta.tie_break`` order) break ties
    in order; units equal on every key share the rank.  ``vetoed`` marks units
    vetoed under the ``fail`` policy (单项否决, total kept, grade forced to the
    lowest): they rank after every other unit of the group, whatever their
    total (the ``cap`` and ``zero`` policies already lower the total itself).
    Units without a score (NaN) rank last.
    """
    passed = np.ones(len(total)) if vetoed is None else np.where(vetoed, 0.0, 1.0)
    keys = [passed, np.nan_to_num(total, nan=-np.inf)] + [
        np.nan_to_num(k, nan=-np.inf) for k in tie_keys
    ]
    frame = pd.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
    frame["g"] = unit_groups
    cols = [f"k{i}" for i in range(len(keys))]
    order = frame.sort_values(["g", *cols], ascending=[True] + [False] * len(cols), kind="stable")
    sorted_keys = order[["g", *cols]].to_numpy()
    new_block = np.ones(len(order), dtype=bool)
    if len(order) > 1:
        new_block[1:] = (sorted_keys[1:] != sorted_keys[:-1]).any(axis=1)
    new_group = np.ones(len(order), dtype=bool)
    g_sorted = order["g"].to_numpy()
    if len(order) > 1:
        new_group[1:] = g_sorted[1:] != g_sorted[:-1]
    pos = np.arange(len(order))
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
    block_start = np.maximum.accumulate(np.where(new_block, pos, 0))
    r = np.empty(len(order), dtype=np.int64)
    r[order.index.to_numpy()] = block_start - group_start + 1
    return r
