"""Results of an assessment (考核结果): a frozen record produced by the engine.

:class:`Results` holds what the engine computed (per-cell aggregates, leaf
scores, totals, the per-unit summary and, for a combined result, how the
periods were combined) and nothing else.  Everything derived from it is a
function over the record, in its own module:

* tables (items, 失分原因, evidence, rankings): :mod:`zwgk_score.engine.items`;
* the Chinese explanation: :mod:`zwgk_score.engine.explain`;
* the JSON export: :mod:`zwgk_score.engine.export`.

The methods below (``items()``, ``explain(unit)``, ``to_json()`` …) are thin
wrappers over those functions, kept as the public call style.  Everything is
traceable: :meth:`Results.explain` walks from a unit's total down to every
indicator and the evidence rows behind each deduction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from zwgk_score.engine.aggregate import Totals
from zwgk_score.engine.evidence import Aggregates
from zwgk_score.engine.leaves import LeafScores
from zwgk_score.methods.base import Array, Method
from zwgk_score.rubric.model import CombinePart, Node, Rubric

#: version of the JSON export (docs/results.md)
SCHEMA_VERSION = 1


def _copy_on_write() -> bool:
    """Whether pandas copies shared data on write (always from pandas 3; an option in 2.x)."""
    return int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True


def _leaves(leaves: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(leaves)


@attrs.frozen
class Combination:
    """How a combined result's total is made (阶段合成), from the rubric's ``[combine]``.

    Attributes:
        parts: the rubric's period parts (id, name, weight in percent, aggregate).
        current: the part whose indicator detail and evidence the record carries
            (e.g. the year-end review).
        scores: per part id, the part's aggregated total per unit (roster order),
            rounded; NaN where a period gave the unit no score (shown as "—" / null,
            never as 0).
        after: bonus, major deductions and vetoes were applied once after weighting
            (``[combine] adjust_after``); the parts are then base scores.
    """

    parts: tuple[CombinePart, ...]
    current: str
    scores: Mapping[str, Array]
    after: bool = False


@attrs.frozen(eq=False)
class Results:
    """The scored assessment. Build it with :func:`zwgk_score.score` (or ``score_dense``).

    Attributes:
        rubric: the rubric scored on.
        roster: the validated roster (unit, group).
        leaves: the scored indicators (末级指标), rubric order.
        methods: the scoring methods by name.
        aggregates: per (unit, leaf) aggregates of the evidence and the evidence rows.
        leaf_scores: per (unit, leaf) scores, applicability and status.
        totals: node scores, base, bonus, deductions, vetoes and totals per unit.
        summary: one row per unit (columns in docs/results.md); treat it as read-only.
        period: the period label, if any.
        combination: for a combined result (阶段合成), how the total is made.
        adjustments: appeal decisions applied to this result (申诉调整), per (unit, indicator):
            ``before``, ``after``, ``reason``, ``by`` and ``at``.
    """

    rubric: Rubric
    roster: pd.DataFrame
    leaves: tuple[Node, ...] = attrs.field(converter=_leaves)
    methods: Mapping[str, Method[Any]]
    aggregates: Aggregates
    leaf_scores: LeafScores
    totals: Totals
    summary: pd.DataFrame
    period: str | None = None
    combination: Combination | None = None
    #: appeal decisions applied (申诉调整): (unit, indicator) → before, after, reason, by, at
    adjustments: Mapping[tuple[str, str], Mapping[str, Any]] = attrs.field(factory=dict)

    # -- what the record is ------------------------------------------------
    @property
    def units(self) -> list[str]:
        """Unit names in roster order."""
        return [str(u) for u in self.roster["unit"]]

    @property
    def parts(self) -> list[tuple[str, str, float]]:
        """The period parts (id, name, weight) of a combined result, else empty."""
        if self.combination is None:
            return []
        return [(p.id, p.name, p.weight) for p in self.combination.parts]

    @property
    def current_part(self) -> str | None:
        """The part whose indicator detail a combined result carries, else None."""
        return self.combination.current if self.combination is not None else None

    @functools.cached_property
    def unit_index(self) -> dict[str, int]:
        """Row position of each unit in the arrays (roster order)."""
        return {u: i for i, u in enumerate(self.units)}

    @functools.cached_property
    def node_index(self) -> dict[str, int]:
        """Column position of each node id in ``totals.node_score``."""
        return {nid: i for i, nid in enumerate(self.totals.node_ids)}

    @functools.cached_property
    def _items(self) -> pd.DataFrame:
        from zwgk_score.engine.items import build_items

        return build_items(self)

    # -- tables (zwgk_score.engine.items) -------------------------------------
    def domain_scores(self) -> pd.DataFrame:
        """Scores of each 一级指标 per unit (columns = domain ids), rounded."""
        from zwgk_score.engine.items import domain_scores

        return domain_scores(self)

    def node_score(self, unit: str, node_id: str) -> tuple[float, float]:
        """(score, applicable points) of any node for one unit, unrounded."""
        u, i = self.unit_index[unit], self.node_index[node_id]
        t = self.totals
        return float(t.node_score[u, i]), float(t.node_applicable[u, i])

    @functools.cached_property
    def _rankings(self) -> dict[str, pd.DataFrame]:
        return {}

    def ranking(self, group: str) -> pd.DataFrame:
        """The group's ranking table: rank, unit, each domain, total, grade (sorted by rank).

        Built once per group (the notice, workbook, site and tables ask for it
        30 times in a seed example's run); a copy is returned, as by :meth:`items`.
        """
        table = self._rankings.get(group)
        if table is None:
            from zwgk_score.engine.items import ranking

            table = self._rankings[group] = ranking(self, group)
        out: pd.DataFrame = table.copy(deep=not _copy_on_write())
        return out

    def items(self) -> pd.DataFrame:
        """One row per (unit, indicator): points, score, lost points, status, 失分原因 and 自评分.

        The repeated text columns (unit, group, indicator, name, domain, task,
        method, role, status) are categorical with sorted categories; ``reason``
        is ``str`` (columns and dtypes in docs/results.md).
        Built once per record (outputs ask for it many times); a copy is returned.
        With copy-on-write (pandas 3) the copy shares the data until either side
        writes, so asking for the 8 million rows of a national run is free.
        """
        out: pd.DataFrame = self._items.copy(deep=not _copy_on_write())
        return out

    def deductions(self) -> pd.DataFrame:
        """Lost points with their reasons and evidence (扣分明细), one row per (unit, indicator)."""
        from zwgk_score.engine.items import deductions

        return deductions(self.items())

    def evidence(self, unit: str | None = None, indicator: str | None = None) -> pd.DataFrame:
        """Evidence rows with the indicator they fed and their effect in points."""
        from zwgk_score.engine.items import evidence

        return evidence(self, unit, indicator)

    def compare(self, previous: Any) -> pd.DataFrame:
        """Change against a previous period: previous total / rank and the differences (正数为进步).

        ``previous`` is any object with a ``summary`` (a :class:`Results`, or a
        previous period read back from its results.json).  Built once per previous
        record (the notice, workbook and tables each ask); a copy is returned.
        """
        from zwgk_score.engine.items import compare

        return self.derived(("compare", id(previous)), lambda: compare(self, previous), previous)

    @functools.cached_property
    def _derived(self) -> dict[Any, tuple[Any, pd.DataFrame]]:
        return {}

    def derived(
        self, key: Any, build: Callable[[], pd.DataFrame], keep: Any = None
    ) -> pd.DataFrame:
        """A table derived from this record, built by ``build()`` the first time ``key`` is asked.

        For outputs that ask for the same table several times (a group's display order,
        the comparison with the previous period).  ``keep`` is an object the table was
        built from, held with it: a key naming it by ``id`` then never outlives it.
        A copy is returned, as by :meth:`items`.
        """
        hit = self._derived.get(key)
        if hit is None or hit[0] is not keep:
            hit = self._derived[key] = (keep, build())
        out: pd.DataFrame = hit[1].copy(deep=not _copy_on_write())
        return out

    # -- explanation (zwgk_score.engine.explain) ----------------------------
    def explain(self, unit: str) -> str:
        """Walk from a unit's total down to each indicator and evidence row (Chinese text)."""
        from zwgk_score.engine.explain import explain

        return explain(self, unit)

    # -- export (zwgk_score.engine.export) ----------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The whole result as plain data (schema in docs/results.md)."""
        from zwgk_score.engine.export import to_dict

        return to_dict(self)

    def to_json(self, path: str | Path | None = None) -> str:
        """Serialise :meth:`to_dict` as strict JSON; write it atomically when ``path`` is given."""
        from zwgk_score.engine.export import to_json

        return to_json(self, path)

    def write_json(self, path: str | Path, extra: Mapping[str, Any] | None = None) -> None:
        """Write :meth:`to_json`'s text (plus ``extra`` top-level keys) to ``path`` atomically,
        in chunks: the text is never held whole (a national-scale file is gigabytes)."""
        from zwgk_score.engine.export import write_json

        write_json(self, path, extra)
