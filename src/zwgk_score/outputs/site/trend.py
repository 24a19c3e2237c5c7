"""Trend across periods (历次成绩) of each unit, for the results site.

The site asks a :class:`TrendSource` for a unit's series of
(period label, total, rank, grade).  Today :class:`RunTrend` builds it from
what a run has: the previous period's ``results.json`` (``[assessment]
previous``), the other periods of a combined result (the quarterly
inspections of 聊城) and the current result.  A history kept elsewhere (the
assessment ledger) plugs in by passing any object with the same two members
as the exporter option ``history`` (see :func:`trend_source`).
"""

from __future__ import annotations

import collections
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import attrs
import pandas as pd

from zwgk_score.outputs.attachments import shown_places
from zwgk_score.outputs.notice import period_label
from zwgk_score.results import Results


@attrs.frozen
class TrendPoint:
    """One unit in one period: its total (总分), rank within its group (排名) and grade (等次)."""

    period: str
    total: float | None
    rank: int | None
    grade: str
    #: the group (考核类别 id) the unit was ranked in, when known
    group: str = ""


class TrendSource(Protocol):
    """Where the site reads each unit's results across periods."""

    @property
    def baseline(self) -> str | None:
        """The period the 进步较快 (most improved) list compares with, or None."""

    def series(self, unit: str) -> list[TrendPoint]:
        """The unit's results, oldest first, the current period last."""


def _cells(column: pd.Series) -> list[Any]:
    """The cells of one column as ``itertuples`` yields them, without its per-cell indexing.

    A pandas string column iterates through ``__getitem__`` once per cell (most
    of the site's time on large results); its object array holds the same
    values (``str`` or ``pd.NA``).  Every other column iterates as before.
    """
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "python":
        cells: list[Any] = column.to_numpy(dtype=object).tolist()
        return cells
    return list(column)


def records_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts keyed by column name (the index is dropped).

    Like ``frame.to_dict("records")`` but the cells are as ``itertuples`` yields
    them (NumPy cells as Python scalars), built column by column.
    """
    names = [str(c) for c in frame.columns]
    columns = [_cells(frame.iloc[:, k]) for k in range(frame.shape[1])]
    return [dict(zip(names, cells, strict=True)) for cells in zip(*columns, strict=True)]


def rows_of(frame: pd.DataFrame) -> list[Any]:
    """The rows of ``frame`` as named tuples (typed loosely: cells are whatever pandas holds).

    The same tuples as ``frame.itertuples()`` (field ``Index``, then the
    columns, renamed as ``itertuples`` renames them), built column by column.
    """
    fields = ["Index", *map(str, frame.columns)]
    record = collections.namedtuple("Pandas", fields, rename=True)  # type: ignore[misc]
    columns = [list(frame.index)] + [_cells(frame.iloc[:, k]) for k in range(frame.shape[1])]
    return list(map(record._make, zip(*columns, strict=True)))


def _points(
    summary: pd.DataFrame, label: str, places: Mapping[str, int | None] | None = None
) -> dict[str, TrendPoint]:
    """Each unit's point; ``places``: the ranks as the notice prints them (a vetoed unit: None)."""
    out = {}
    for row in rows_of(summary):
        total = float(row.total)
        rank = None if pd.isna(row.rank) else int(row.rank)
        if places is not None:
            rank = places.get(str(row.unit), rank)
        out[str(row.unit)] = TrendPoint(
            label, None if total != total else total, rank, str(row.grade)
        )
    return out


class RunTrend:
    """The periods one run knows of: previous result, other periods, the current result.

    The baseline of 进步较快 and 排名变化 is the previous result (上期) when
    given, else the earliest of ``periods`` -- except for a combined result
    (阶段合成, e.g. 聊城's year = quarters × 20 % + year-end review × 80 %):
    its periods are its own parts, scored on other scales and ranked among
    other things, so it is compared only with a previous result of its own kind.
    """

    def __init__(
        self,
        current: Results,
        *,
        current_label: str | None = None,
        periods: Sequence[Results] = (),
        previous: Any = None,
    ) -> None:
        year = current.rubric.meta.year
        self._periods: list[tuple[str, dict[str, TrendPoint]]] = []
        for r in periods:
            label = period_label(r.period, year)
            self._periods.append((label, _points(r.summary, label, shown_places(r))))
        parts_only = current.combination is not None  # the periods make up the result
        self._baseline: str | None = (
            self._periods[0][0] if self._periods and not parts_only else None
        )
        if previous is not None:
            # 上期: the previous period's result; within a run it is often one of ``periods``
            label = period_label(getattr(previous, "period", None) or "上期", year)
            if label not in self.labels:
                self._periods.insert(0, (label, _points(previous.summary, label)))
            self._baseline = label
        label = current_label or period_label(current.period, year)
        self._periods.append((label, _points(current.summary, label, shown_places(current))))

    @property
    def labels(self) -> list[str]:
        """Every period, oldest first."""
        return [label for label, _ in self._periods]

    @property
    def baseline(self) -> str | None:
        return self._baseline

    def series(self, unit: str) -> list[TrendPoint]:
        return [pts[unit] for _, pts in self._periods if unit in pts]


def trend_source(results: Results, options: Mapping[str, Any], current_label: str) -> TrendSource:
    """The trend the site shows.

    ``options["history"]`` (e.g. the assessment ledger's view of this
    assessment) wins when given; otherwise the run's own periods are used:
    ``options["previous"]`` and ``options["periods"]`` (earlier periods'
    Results, as :func:`zwgk_score.run.run_assessment` passes them).
    """
    history = options.get("history")
    if history is not None:
        return history  # type: ignore[no-any-return]
    return RunTrend(
        results,
        current_label=current_label,
        periods=tuple(options.get("periods") or ()),
        previous=options.get("previous"),
    )
