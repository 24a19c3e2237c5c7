"""Combine periods (阶段合成): the engine's :func:`~zwgk_score.engine.combine.combine_periods`.

Kept under its historical name :func:`combine_results`; the rules are in
:mod:`zwgk_score.engine.combine` and docs/results.md.
"""

from __future__ import annotations

from zwgk_score.engine.combine import combine_periods

combine_results = combine_periods

__all__ = ["combine_results"]
