"""怀柔 activity registers: 政府开放 activities (task 35) and 政策公开讲 releases (task 34).

Both registers list one activity per row — 单位 | 活动日期 | 活动名称 — and the
rubric counts them per unit and year (T35 at least 2, T34 at least 1): the
SDK's event-count recipe (:class:`zwgk_score.plugin.EventCount`, the same one
as the built-in ``meetings`` collector) with the district's headers and
wording, so the feedback sheets read e.g. “2024年开展政府开放活动 1 次”.
"""

from __future__ import annotations

from zwgk_score.plugin import Column, EventCount

COLUMNS = (
    Column("unit", "举办单位", label="举办单位"),
    Column("date", "活动日期", "date", label="活动日期"),
    Column("title", "活动名称", required=False, blank_ok=True, label="活动名称"),
)
#: Role → data key of rubrics/huairou-2024.toml (T35; use keys = { held = "t34_lectures" } for T34).
DEFAULT_KEYS = {"held": "t35_openday"}
DEFAULT_LABEL = "政府开放和公众参与活动"


class ActivitiesCollector(EventCount):
    """Collector ``huairou_activities``: activities held per unit in the assessment year.

    Settings: ``file`` and the common settings, ``keys`` (role ``held``) and
    ``label`` (what an activity is called in the evidence, default
    ``政府开放和公众参与活动``).  Emits one row per roster unit, value = the
    activities dated in ``ctx.year`` (0 for a unit without any, so the count
    is never missing); rows of other years are named but not counted.
    """

    name = "huairou_activities"
    columns = COLUMNS
    default_keys = DEFAULT_KEYS
    label = DEFAULT_LABEL
    verb = "开展"
    none_text = "{year}无{label}记录"
    other_text = "（另有其他年度记录 {n} 条，未计）"
    label_hint = 'label = "政务开放日活动"'
    sources_of_all_rows = True


__all__ = ["ActivitiesCollector"]
