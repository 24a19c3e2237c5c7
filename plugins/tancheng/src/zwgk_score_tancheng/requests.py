"""郯城 依申请公开 register with the county's own headers pre-set.

The county's register (政府信息公开申请办理登记台账) is the built-in
``disclosure_requests`` layout under other headers; this collector only
presets them and the rubric's data keys (I09b ``request_late``, I09c
``request_corrected``), so the assessment config stays one line long.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from zwgk_score.plugin import CollectContext, DisclosureRequestsCollector

#: Headers of the county register (规范列名 → 表头).
COLUMNS = {
    "unit": "受理机关",
    "id": "申请编号",
    "received": "收到申请日期",
    "replied": "答复日期",
    "extended": "是否延期答复",
    "corrected": "复议诉讼被纠错",
}
#: Roles scored by rubrics/tancheng-2023.toml.
KEYS = {"late": "request_late", "corrected": "request_corrected"}


class RequestsCollector(DisclosureRequestsCollector):
    """Collector ``tancheng_requests``: ``disclosure_requests`` with 郯城 headers and keys.

    ``columns`` and ``keys`` given in the config override the presets (a
    column at a time; ``keys`` as a whole).
    """

    name = "tancheng_requests"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Read the register with the preset headers and return evidence rows."""
        merged = dict(settings)
        merged["columns"] = {**COLUMNS, **dict(settings.get("columns") or {})}
        merged.setdefault("keys", dict(KEYS))
        return super().collect(merged, ctx)
