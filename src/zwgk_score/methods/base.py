"""Scoring methods (评分方法): the contract and the registry.

A method turns one indicator's aggregated evidence for every unit at once
(:class:`LeafData`, arrays over units) into scores.  Methods are registered
through the plugin hook ``register_methods``; the built-in ones are a default
plugin like any other.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import numpy as np

#: what a method's result means for the total
ROLE_SCORE = "score"  # points within the indicator tree
ROLE_BONUS = "bonus"  # 加分, outside the tree, capped
ROLE_MAJOR = "major"  # 重大扣分项, outside the tree, uncapped
ROLE_VETO = "veto"  # 单项否决


@attrs.frozen
class LeafData:
    """Aggregated evidence for one indicator, one array element per unit.

    Attributes:
        n: number of evidence rows.
        total: sum of the rows' ``value``.
        value: the single row's value (NaN when there is none).
        text: the single row's text ("" when there is none).
        over: number of rows whose value exceeds the method's ``threshold``
            (e.g. items answered later than the limit).
    """

    n: np.ndarray
    total: np.ndarray
    value: np.ndarray
    text: np.ndarray
    over: np.ndarray


class Method:
    """Base class of scoring methods.

    Subclasses set ``name``, ``title`` (Chinese), ``params_type`` (an attrs
    class, structured strictly from the rubric's ``params``), ``single``
    (exactly one row per unit) or not (event rows), ``role`` and
    ``requires_rows``; and implement :meth:`score` and :meth:`describe`.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    params_type: ClassVar[type]
    single: ClassVar[bool] = True
    role: ClassVar[str] = ROLE_SCORE
    requires_rows: ClassVar[bool] = True

    def check(self, points: float, params: Any) -> list[tuple[str, str]]:
        """Semantic checks of the parameters: a list of (key, Chinese message)."""
        return []

    def threshold(self, params: Any) -> float | None:
        """A per-row threshold; rows above it are counted in ``LeafData.over``."""
        return None

    def check_value(
        self, params: Any, points: float, values: np.ndarray, texts: np.ndarray
    ) -> str | None:
        """Validate raw row values; return a Chinese message for the first bad one."""
        return None

    def score(self, points: float, params: Any, d: LeafData) -> np.ndarray:
        """Scores (or bonus / major deduction / veto flag, by role) for every unit."""
        raise NotImplementedError

    def row_effect(
        self, points: float, params: Any, values: np.ndarray, texts: np.ndarray
    ) -> np.ndarray:
        """Each event row's own contribution in points (for traceability)."""
        return np.zeros(len(values))

    def describe(
        self,
        points: float,
        params: Any,
        score: float,
        n: int,
        total: float,
        value: float,
        text: str,
        over: int,
    ) -> str:
        """失分原因 / 得分说明 for one unit, in Chinese."""
        return ""


def fmt(x: float) -> str:
    """Format a number the way a notice does: 5, 2.5, 0.25 (no trailing zeros)."""
    if x != x:  # NaN
        return "—"
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def pct(x: float) -> str:
    """Format a ratio as a percentage with two decimals: 99.87%."""
    return f"{x * 100:.2f}%"
