"""依申请公开 register (政府信息公开申请登记台账): legal deadlines and corrections on review."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.collect.base import CollectContext, evidence_rows
from zwgk_score.collect.deadlines import DeadlineRegister
from zwgk_score.collect.tables import Column, Records, config_error, number_setting

COLUMNS = (
    Column("unit", "单位", label="办理单位"),
    Column("id", "编号", label="申请编号"),
    Column("received", "收到日期", "date", label="收到申请日期"),
    Column("replied", "答复日期", "date", blank_ok=True, label="答复日期"),
    Column("extended", "延期", "flag", required=False, blank_ok=True, label="是否延期答复"),
    Column(
        "corrected", "被纠错", "flag", required=False, blank_ok=True, label="复议/诉讼是否被纠错"
    ),
)
DEFAULT_KEYS = {
    "timeliness": "request_timeliness",
    "late": "request_late",
    "corrected": "request_corrected",
}


class DisclosureRequestsCollector(DeadlineRegister):
    """Collector ``disclosure_requests`` (依申请公开): one register of requests.

    The legal limit is 20 working days after receipt (《政府信息公开条例》第三十三条),
    40 when an extension is recorded.  Emits, for the requests received in the
    assessed period:

    - ``timeliness``: one row per request, value = working days taken (to the
      inspection date, text 未答复, when not answered);
    - ``late``: one row (value 1) per request over its limit;
    - ``corrected``: one row (value 1) per request whose decision was
      corrected on administrative review or in court (needs the 被纠错 column).
    """

    name = "disclosure_requests"
    columns = COLUMNS
    default_keys = DEFAULT_KEYS
    settings = ("limit", "extended_limit", "keys", "period_only")
    id_label = "申请编号"
    order_message = "答复早于收到申请"
    late_role = "late"
    late_note = "，超过法定期限"

    def check_settings(
        self, records: Records, settings: Mapping[str, Any], ctx: CollectContext, path: str
    ) -> tuple[float | None, float | None]:
        limit = number_setting(settings, "limit", 20, path, ctx)
        return limit, number_setting(settings, "extended_limit", 40, path, ctx)

    def check_keys(
        self,
        records: Records,
        settings: Mapping[str, Any],
        keys: dict[str, str],
        state: Any,
        ctx: CollectContext,
        path: str,
    ) -> None:
        if "corrected" in (settings.get("keys") or {}) and not records.has("corrected"):
            raise config_error(
                ctx,
                f"{path}.keys.corrected",
                "要求输出被纠错扣分，但登记台账中没有“被纠错”列",
                hint=f'在 [{path}.columns] 中设置 corrected = "实际表头"',
            )

    def limits(
        self, records: Records, f: pd.DataFrame, state: tuple[float, float]
    ) -> tuple[np.ndarray, str, pd.Series]:
        limit, extended_limit = state
        extended = (
            f["extended"].to_numpy(bool) if records.has("extended") else np.zeros(len(f), bool)
        )
        note = pd.Series(np.where(extended, "，已延期", ""), dtype=object)
        return np.where(extended, extended_limit, limit), "申请 ", note

    def extra_rows(
        self,
        records: Records,
        f: pd.DataFrame,
        open_: np.ndarray,
        keys: dict[str, str],
        settings: Mapping[str, Any],
        ctx: CollectContext,
    ) -> list[pd.DataFrame]:
        if "corrected" not in keys or not records.has("corrected"):
            return []
        hit = f["corrected"].to_numpy(bool)
        return [
            evidence_rows(
                f["unit"][hit],
                keys["corrected"],
                1.0,
                text="被纠错",
                evidence="申请 " + f["id"][hit] + "：答复经行政复议或诉讼被纠错",
                source=f["_source"][hit],
            )
        ]
