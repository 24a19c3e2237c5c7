"""The workbook's long detail sheets, built one sheet part at a time (national scale).

At 40,000 units × 200 indicators the 指标得分 sheet has 8 million rows and the
佐证 behind the deductions some millions more.  Each sheet part (at most
:data:`~zwgk_score.outputs.excel.MAX_DATA_ROWS` rows) is built from the rows it
holds only, written, and dropped: the workbook never holds a whole detail
table, nor the evidence table reordered.  The parts are exactly the slices of
the whole tables (:func:`~zwgk_score.outputs.tables.items_frame`,
:func:`~zwgk_score.outputs.tables.deductions_frame`,
:func:`~zwgk_score.outputs.tables.sources_frame`), so the cells are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from zwgk_score.methods.base import ROLE_MAJOR, ROLE_VETO

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.results import Results

#: ``part(lo, hi)``: rows ``lo`` … ``hi - 1`` of a detail table as a frame
Part = Callable[[int, int], pd.DataFrame]


def lost_mask(items: pd.DataFrame) -> np.ndarray:
    """The rows :func:`~zwgk_score.outputs.tables.lost_items` keeps, as a boolean array."""
    keep = (
        (items["lost"] != 0)
        | items["status"].str.startswith("缺失")
        | ((items["role"] == ROLE_VETO) & (items["score"] != 0))
        | ((items["role"] == ROLE_MAJOR) & (items["score"] != 0))
    )
    return np.asarray(keep.to_numpy(dtype=bool))


def cell_evidence(
    results: Results, *, with_source: bool = True, cells: np.ndarray | None = None
) -> dict[int, str]:
    """Flat cell (unit position × indicators + indicator) → its evidence texts joined with ``；``.

    A row counts when it has an evidence text (or, ``with_source``, a source, then
    written ``text（source）``); within a cell the rows keep their order in
    :meth:`Results.evidence`.  ``cells`` (flat cells): only those.  Read from the
    evidence rows' columns directly: the reordered evidence table is never built.
    """
    return CellEvidence(results, with_source=with_source)(cells)


class CellEvidence:
    """:func:`cell_evidence` asked many times (a sheet part at a time) of the same record.

    The evidence rows that have a text (or a source) are found once; each call then
    reads only the rows of the cells it is asked for.
    """

    def __init__(self, results: Results, *, with_source: bool = True) -> None:
        rows = results.aggregates.evidence_rows
        self.rows, self.with_source = rows, with_source
        self.n_cells = len(results.units) * len(results.leaves)
        if not len(rows):
            self.at = self.flat = np.zeros(0, dtype=np.int64)
            return
        keep = rows.column("evidence") != ""
        if with_source:
            keep |= rows.column("source") != ""
        self.at = np.flatnonzero(keep)  # leaf order, as in Results.evidence()
        del keep
        self.flat = rows.unit_idx[self.at] * len(results.leaves) + rows.leaf_idx[self.at]

    def __call__(self, cells: np.ndarray | None = None) -> dict[int, str]:
        at, flat = self.at, self.flat
        if cells is not None:
            wanted = np.zeros(self.n_cells, dtype=bool)
            wanted[np.asarray(cells, dtype=np.int64)] = True
            mine = wanted[flat]
            at, flat = at[mine], flat[mine]
        if not len(at):
            return {}
        texts = self.rows.take("evidence", at).tolist()
        if self.with_source:
            src = self.rows.take("source", at).tolist()
            texts = [t + f"（{s}）" if s else t for t, s in zip(texts, src, strict=True)]
        out: dict[int, list[str]] = {}
        for c, t in zip(flat.tolist(), texts, strict=True):
            out.setdefault(c, []).append(t)
        return {c: "；".join(v) for c, v in out.items()}


def items_part(results: Results, items: pd.DataFrame, *, self_score: bool) -> Part:
    """Parts of the 指标得分 table (``self_score=False``: without the 自评分 column)."""
    from zwgk_score.outputs.tables import items_frame

    def part(lo: int, hi: int) -> pd.DataFrame:
        frame = items_frame(results, items.iloc[lo:hi])
        return frame if self_score else frame.drop(columns=["自评分"])

    return part


def deductions_part(results: Results, items: pd.DataFrame) -> tuple[int, Part]:
    """(rows, parts) of the 扣分明细 table (its 佐证 without the sources)."""
    from zwgk_score.outputs.tables import deductions_frame

    at = np.flatnonzero(lost_mask(items))
    evidence_of = CellEvidence(results, with_source=False)

    def part(lo: int, hi: int) -> pd.DataFrame:
        rows = items.iloc[at[lo:hi]]  # an item's row is its flat cell
        by_cell = evidence_of(at[lo:hi])
        units, ids = results.units, [leaf.id for leaf in results.leaves]
        L = len(ids)
        evidence = {(units[c // L], ids[c % L]): text for c, text in by_cell.items()}
        return deductions_frame(results, rows, with_source=False, evidence=evidence)

    return len(at), part


def sources_part(results: Results, items: pd.DataFrame) -> tuple[int, Part]:
    """(rows, parts) of the 数据_佐证来源 table: the sourced evidence rows of the lost cells."""
    rows = results.aggregates.evidence_rows
    L = len(results.leaves)
    lost = np.zeros(len(results.units) * L, dtype=bool)
    lost[np.flatnonzero(lost_mask(items))] = True  # an item's row is its flat cell
    if len(rows):
        at = np.flatnonzero(rows.column("source") != "")
        at = at[lost[rows.unit_idx[at] * L + rows.leaf_idx[at]]]
    else:
        at = np.zeros(0, dtype=np.int64)
    ids = np.array([leaf.id for leaf in results.leaves], dtype=object)

    def part(lo: int, hi: int) -> pd.DataFrame:
        some = at[lo:hi]
        frame: pd.DataFrame = pd.DataFrame(
            {
                "单位": rows.take("unit", some),
                "指标编号": ids[rows.leaf_idx[some]],
                "佐证": rows.take("evidence", some),
                "来源": rows.take("source", some),
            }
        )
        return frame

    return len(at), part
