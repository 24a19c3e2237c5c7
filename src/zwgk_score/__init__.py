"""zwgk-score: 政务公开考核评分引擎 (government-information-disclosure assessment).

The pipeline, one package per stage::

    rubric (考核细则) → collect (采集) → engine (评分、汇总、排名) → results → outputs (输出)

Typical use::

    from zwgk_score import load_rubric, score
    rubric = load_rubric("rubrics/tancheng-2023.toml")
    results = score(rubric, data, roster)
    results.ranking("town")

Names are imported lazily so that ``import zwgk_score`` stays fast (the CLI
and plugins import only what they use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zwgk_score._lazy import lazy_getattr

__version__ = "0.1.0"

_EXPORTS = {
    "load_rubric": "zwgk_score.rubric",
    "parse_rubric": "zwgk_score.rubric",
    "Rubric": "zwgk_score.rubric",
    "score": "zwgk_score.engine",
    "score_dense": "zwgk_score.engine.dense",
    "Results": "zwgk_score.results",
    "run_assessment": "zwgk_score.run",
    "load_config": "zwgk_score.config",
    "combine_results": "zwgk_score.combine",
    "WorkCalendar": "zwgk_score.workdays",
    "ZwgkError": "zwgk_score.errors",
    "RubricError": "zwgk_score.errors",
    "DataError": "zwgk_score.errors",
    "ConfigError": "zwgk_score.errors",
    "PluginError": "zwgk_score.errors",
}

__all__ = [
    "ConfigError",
    "DataError",
    "PluginError",
    "Results",
    "Rubric",
    "RubricError",
    "WorkCalendar",
    "ZwgkError",
    "__version__",
    "combine_results",
    "load_config",
    "load_rubric",
    "parse_rubric",
    "run_assessment",
    "score",
    "score_dense",
]

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.combine import combine_results
    from zwgk_score.config import load_config
    from zwgk_score.engine import score
    from zwgk_score.engine.dense import score_dense
    from zwgk_score.errors import ConfigError, DataError, PluginError, RubricError, ZwgkError
    from zwgk_score.results import Results
    from zwgk_score.rubric import Rubric, load_rubric, parse_rubric
    from zwgk_score.run import run_assessment
    from zwgk_score.workdays import WorkCalendar


__getattr__ = lazy_getattr(__name__, _EXPORTS)
