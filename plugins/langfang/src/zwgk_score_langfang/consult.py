"""廊坊 政民互动 message export (网上咨询留言办理导出表) with the city's limits pre-set.

Item 三(三) of the 2023 plan: online consultations are answered within 5
working days, simple ones within 1.  The city's export is the built-in
``hotline`` layout under its own headers; this collector presets the headers,
both limits and the rubric's data keys (D3.3.1 ``hotline_timely``, D3.3.2
``hotline_simple_timely``), so the assessment config is one line long.
"""

from __future__ import annotations

import attrs

from zwgk_score.plugin import HotlineCollector, HotlineSettings

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


@attrs.frozen(kw_only=True)
class ConsultSettings(HotlineSettings):
    """``[collectors.langfang_consult]``: 三(三) limits (5 working days, simple questions 1)."""

    limit: float = 5
    simple_limit: float | None = 1
    keys: dict[str, str] | None = attrs.field(factory=lambda: dict(KEYS))


class ConsultCollector(HotlineCollector):
    """Collector ``langfang_consult``: ``hotline`` with 廊坊 headers, limits and keys.

    ``columns`` given in the config override the presets one column at a
    time; ``keys``, ``limit`` and ``simple_limit`` replace them as a whole.
    Because ``simple_limit`` is preset, the export must have the 是否简单咨询
    column (blank cells count as 否).
    """

    name = "langfang_consult"
    settings_type = ConsultSettings
    preset_columns = COLUMNS
