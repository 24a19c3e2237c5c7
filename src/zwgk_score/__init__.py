"""zwgk-score: 政务公开考核评分引擎 (government-information-disclosure assessment).

The pipeline, one package per stage::

    rubric (考核细则)  →  collect (采集)  →  engine (评分、汇总、排名)  →  results  →  outputs

Typical use::

    from zwgk_score import load_rubric, score
    rubric = load_rubric("rubrics/tancheng-2023.toml")
    results = score(rubric, data, roster)
    results.ranking("town")
"""

from zwgk_score.engine import score
from zwgk_score.errors import ConfigError, DataError, PluginError, RubricError, ZwgkError
from zwgk_score.results import Results
from zwgk_score.rubric import Rubric, load_rubric

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DataError",
    "PluginError",
    "Results",
    "Rubric",
    "RubricError",
    "ZwgkError",
    "__version__",
    "load_rubric",
    "score",
]
