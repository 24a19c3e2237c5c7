"""Results of several periods side by side (历年、历期结果), as the documents read them.

A :class:`PeriodHistory` holds the earlier periods one run compares with
(from the assessment ledger, see :func:`zwgk_score.loop.history.run_history`,
and from the run itself) and the current period last.  It is a
:class:`~zwgk_score.outputs.site.trend.TrendSource` for the results site, and
the notice (较上年提升N位, 连续两年不合格, 进步较快) and the workbook (历年对比)
read it too.

Comparisons are made on totals, grades and ranks only: a rank only within the
same group (考核类别, by id or name), a total only when the group's full score
(满分) is the same in both periods.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from zwgk_score.outputs.notice import period_label
from zwgk_score.outputs.site.trend import TrendPoint, rows_of

YEAR, HALF, QUARTER, OTHER = "year", "half", "quarter", "other"


_CN_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}


def period_kind(period: str) -> tuple[str, int, int]:
    """``2023`` → (year, 2023, 0); ``2023Q2`` → (quarter, 2023, 2); ``2023H1`` → (half, 2023, 1).

    The labels a document prints are read too (2023年度, 2023年第二季度, 2023年上半年);
    anything else is (other, 0, 0) and is never compared.
    """
    p = period.strip()
    if m := re.fullmatch(r"(\d{4})\s*[Qq]([1-4])", p):
        return (QUARTER, int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})年第([一二三四])季度", p):
        return (QUARTER, int(m[1]), _CN_QUARTERS[m[2]])
    if m := re.fullmatch(r"(\d{4})\s*[Hh]([12])", p):
        return (HALF, int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})年([上下])半年", p):
        return (HALF, int(m[1]), 1 if m[2] == "上" else 2)
    if m := re.fullmatch(r"(\d{4})(?:年度?)?", p):
        return (YEAR, int(m[1]), 0)
    return (OTHER, 0, 0)


def follows(earlier: str, later: str) -> bool:
    """Whether ``later`` is the period right after ``earlier`` of the same kind (2022 → 2023, 2023Q4 → 2024Q1)."""
    ka, ya, ia = period_kind(earlier)
    kb, yb, ib = period_kind(later)
    if ka != kb or ka == OTHER:
        return False
    if ka == YEAR:
        return yb == ya + 1
    per_year = 4 if ka == QUARTER else 2
    return (yb * per_year + ib) - (ya * per_year + ia) == 1


@attrs.frozen
class PeriodResult:
    """One period's published result: every unit's total, rank, grade and group.

    Attributes:
        period: the period as stored (``2023``, ``2023Q1``).
        label: as a document prints it (2023年度).
        rubric: the rubric id it was scored with.
        groups: group id → (name, 满分).
        points: unit → :class:`TrendPoint` (its ``group`` is the group id).
    """

    period: str
    label: str
    rubric: str
    groups: Mapping[str, tuple[str, float | None]]
    points: Mapping[str, TrendPoint]

    @property
    def kind(self) -> str:
        return period_kind(self.period)[0]

    @classmethod
    def from_content(cls, content: Mapping[str, Any], *, year: int) -> PeriodResult:
        """From a stored results.json (the ledger keeps each published one in full)."""
        period = str(content.get("period") or year)
        label = period_label(period, year)
        groups: dict[str, tuple[str, float | None]] = {}
        for g in content.get("groups", []):
            top = g.get("max_score")
            groups[str(g["id"])] = (
                str(g.get("name", g["id"])),
                None if top is None else float(top),
            )
        points = {}
        for u in content.get("units", []):
            total = u.get("total")
            rank = u.get("rank")
            points[str(u["unit"])] = TrendPoint(
                label,
                None if total is None else float(total),
                None if rank is None else int(rank),
                str(u.get("grade", "")),
                group=str(u.get("group", "")),
            )
        return cls(period, label, str(content.get("rubric", {}).get("id", "")), groups, points)

    @classmethod
    def from_summary(
        cls,
        summary: Any,
        *,
        period: str,
        year: int,
        rubric: str = "",
        groups: Mapping[str, tuple[str, float | None]] | None = None,
        label: str | None = None,
    ) -> PeriodResult:
        """From a Results' (or a previous period's) ``summary`` (unit, group, total, rank, grade)."""
        label = label or period_label(period, year)
        points = {}
        for row in rows_of(summary):
            total = None if row.total is None else float(row.total)
            rank = row.rank
            points[str(row.unit)] = TrendPoint(
                label,
                None if total is None or total != total else total,
                None if rank is None or rank != rank else int(rank),
                str(row.grade),
                group=str(row.group),
            )
        return cls(period, label, rubric, dict(groups or {}), points)

    def group_name(self, group_id: str) -> str:
        return self.groups.get(group_id, (group_id, None))[0]

    def max_score(self, group_id: str) -> float | None:
        return self.groups.get(group_id, (group_id, None))[1]


class PeriodHistory:
    """Earlier periods (oldest first) and the current one: a TrendSource with comparisons.

    ``base`` is the period the documents compare with: the latest earlier period
    of the same kind as the current one (上年 for a year, 上期 for a quarter).
    The site's ``baseline`` is ``base``, else ``fallback`` (e.g. the run's
    previous result), else the earliest period.
    """

    def __init__(
        self,
        earlier: Sequence[PeriodResult],
        current: PeriodResult,
        *,
        fallback: str | None = None,
    ) -> None:
        self.earlier = list(earlier)
        self.current = current
        same = [p for p in self.earlier if p.kind == current.kind and current.kind != OTHER]
        self.base: PeriodResult | None = same[-1] if same else None
        if self.base is not None:
            self._baseline: str | None = self.base.label
        elif fallback is not None:
            self._baseline = fallback
        else:
            self._baseline = self.earlier[0].label if self.earlier else None

    @property
    def periods(self) -> list[PeriodResult]:
        return [*self.earlier, self.current]

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.periods]

    @property
    def baseline(self) -> str | None:
        return self._baseline

    def series(self, unit: str) -> list[TrendPoint]:
        return [p.points[unit] for p in self.periods if unit in p.points]

    @property
    def consecutive(self) -> bool:
        """The base period is the one right before the current period (上年 / 上期)."""
        return self.base is not None and follows(self.base.period, self.current.period)

    @property
    def versus(self) -> str:
        """How a document names the comparison: 较上年, 较上期, or 较2021年度."""
        if self.base is None:
            return ""
        if self.consecutive:
            return "较上年" if self.current.kind == YEAR else "较上期"
        return f"较{self.base.label}"

    @property
    def span(self) -> str:
        """连续两年 / 连续两期 (only meaningful when :attr:`consecutive`)."""
        return "连续两年" if self.current.kind == YEAR else "连续两期"

    def same_kind(self, limit: int) -> list[PeriodResult]:
        """The latest ``limit`` periods of the current one's kind, current last (历年对比)."""
        same = [p for p in self.earlier if p.kind == self.current.kind]
        return [*same, self.current][-max(limit, 1) :]

    def comparable_rank(self, unit: str) -> tuple[TrendPoint, TrendPoint] | None:
        """The unit's (base, current) points when their ranks may be compared (same group)."""
        if self.base is None:
            return None
        then, now = self.base.points.get(unit), self.current.points.get(unit)
        if then is None or now is None or then.rank is None or now.rank is None:
            return None
        same = then.group == now.group or self.base.group_name(
            then.group
        ) == self.current.group_name(now.group)
        return (then, now) if same else None

    def comparable_totals(self, group_id: str, base_group: str) -> bool:
        """Totals compare when the group's full score is the same in both periods."""
        if self.base is None:
            return False
        a, b = self.base.max_score(base_group), self.current.max_score(group_id)
        return a is not None and b is not None and a == b
