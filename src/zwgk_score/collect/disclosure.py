"""依申请公开 register (政府信息公开申请登记台账): legal deadlines and corrections on review."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.collect.base import CollectContext
from zwgk_score.collect.tables import (
    Column,
    check_calendar,
    check_order,
    check_unique,
    collected,
    config_error,
    data_keys,
    elapsed,
    load_records,
    number_setting,
    period_mask,
    timing_evidence,
)

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


class DisclosureRequestsCollector:
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

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Read the register in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        extra = ("limit", "extended_limit", "keys", "period_only")
        records = load_records(settings, ctx, COLUMNS, path=path, extra=extra)
        limit = number_setting(settings, "limit", 20, path, ctx)
        extended_limit = number_setting(settings, "extended_limit", 40, path, ctx)
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx)
        if "corrected" in (settings.get("keys") or {}) and not records.has("corrected"):
            raise config_error(
                ctx,
                f"{path}.keys.corrected",
                "要求输出被纠错扣分，但登记台账中没有“被纠错”列",
                hint=f'在 [{path}.columns] 中设置 corrected = "实际表头"',
            )
        check_unique(records, ["id"], "申请编号")
        check_order(records, "received", "replied", "答复早于收到申请")
        check_calendar(records, ctx, ["received", "replied"])

        f = records.frame
        f = f.loc[period_mask(settings, ctx, f["received"], path)].reset_index(drop=True)
        days, open_ = elapsed(ctx, f["received"], f["replied"])
        extended = (
            f["extended"].to_numpy(bool) if records.has("extended") else np.zeros(len(f), bool)
        )
        lim = np.where(extended, extended_limit, limit)
        note = pd.Series(np.where(extended, "，已延期", ""), dtype=object)
        evidence = timing_evidence(
            ctx, "申请 " + f["id"], f["received"], f["replied"], days, lim, note=note
        )
        text = np.where(open_, "未答复", "")

        frames = []
        if "timeliness" in keys:
            frames.append(
                pd.DataFrame(
                    {
                        "unit": f["unit"],
                        "key": keys["timeliness"],
                        "value": days,
                        "text": text,
                        "evidence": evidence,
                        "source": f["_source"],
                    }
                )
            )
        if "late" in keys:
            late = days > lim
            frames.append(
                pd.DataFrame(
                    {
                        "unit": f["unit"][late],
                        "key": keys["late"],
                        "value": 1.0,
                        "text": np.where(open_[late], "未答复", "超期"),
                        "evidence": evidence[late] + "，超过法定期限",
                        "source": f["_source"][late],
                    }
                )
            )
        if "corrected" in keys and records.has("corrected"):
            hit = f["corrected"].to_numpy(bool)
            frames.append(
                pd.DataFrame(
                    {
                        "unit": f["unit"][hit],
                        "key": keys["corrected"],
                        "value": 1.0,
                        "text": "被纠错",
                        "evidence": "申请 " + f["id"][hit] + "：答复经行政复议或诉讼被纠错",
                        "source": f["_source"][hit],
                    }
                )
            )
        return collected(frames)
