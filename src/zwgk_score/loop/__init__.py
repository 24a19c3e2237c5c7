"""The assessment loop (考核闭环): forms, returns, review, appeals, rectification, history.

``Assessment`` (in :mod:`zwgk_score.loop.assessment`) reaches every step from
Python; the names below are imported on first use so that loading the
collectors stays light.
"""

from __future__ import annotations

from typing import Any

_NAMES = {
    "Assessment": "zwgk_score.loop.assessment",
    "rectification_status": "zwgk_score.loop.rectification",
    "RectificationStatus": "zwgk_score.loop.rectification",
    "unit_series": "zwgk_score.loop.history",
    "group_series": "zwgk_score.loop.history",
    "compare_indicators": "zwgk_score.loop.history",
    "import_results": "zwgk_score.loop.history",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        import importlib

        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(name)
