"""廊坊 政民互动 message export (网上咨询留言办理导出表) with the city's limits pre-set.

Item 三(三) of the 2023 plan: online consultations are answered within 5
working days, simple ones within 1.  The city's export is the built-in
``hotline`` layout under its own headers; this collector presets the headers,
both limits and the rubric's data keys (D3.3.1 ``hotline_timely``, D3.3.2
``hotline_simple_timely``), so the assessment config is one line long.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from zwgk_score.plugin import CollectContext, HotlineCollector

#: Headers of the 政民互动 export (规范列名 → 表头).
COLUMNS = {
    "unit": "承办单位",
    "id": "留言编号",
    "received": "留言时间",
    "replied": "答复时间",
    "simple": "是否简单咨询",
}
#: Roles scored by rubrics/langfang-2023.toml.
KEYS = {"timeliness": "hotline_timely", "timeliness_simple": "hotline_simple_timely"}
#: 三(三): 5 working days, simple questions 1.
LIMITS = {"limit": 5, "simple_limit": 1}


class ConsultCollector(HotlineCollector):
    """Collector ``langfang_consult``: ``hotline`` with 廊坊 headers, limits and keys.

    ``columns`` given in the config override the presets one column at a
    time; ``keys``, ``limit`` and ``simple_limit`` replace them as a whole.
    Because ``simple_limit`` is preset, the export must have the 是否简单咨询
    column (blank cells count as 否).
    """

    name = "langfang_consult"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Read the export with the preset headers and limits and return evidence rows."""
        merged = {**LIMITS, **dict(settings)}
        merged["columns"] = {**COLUMNS, **dict(settings.get("columns") or {})}
        merged.setdefault("keys", dict(KEYS))
        return super().collect(merged, ctx)
