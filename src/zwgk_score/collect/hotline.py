"""政民互动 / 12345 hotline messages (留言办理): reply times, reply rate, overdue replies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.collect.base import STATUS_NA, CollectContext
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
    per_unit,
    period_mask,
    timing_evidence,
)

COLUMNS = (
    Column("unit", "单位", label="承办单位"),
    Column("id", "编号", label="留言编号"),
    Column("received", "来信时间", "date", label="来信时间"),
    Column("replied", "答复时间", "date", blank_ok=True, label="答复时间"),
    Column("simple", "简单咨询", "flag", required=False, blank_ok=True, label="是否简单咨询"),
)
DEFAULT_KEYS = {
    "timeliness": "hotline_timeliness",
    "reply_rate": "hotline_reply_rate",
    "overdue": "hotline_overdue",
}
OPTIONAL_KEYS = ("timeliness_simple",)


class HotlineCollector:
    """Collector ``hotline`` (留言办理): one export of messages and their replies.

    Emits, for the messages received in the assessed period:

    - ``timeliness`` (``timeliness_simple`` for 简单咨询 when that key is set):
      one row per message, value = working days from receipt to reply, or to
      the inspection date (text 未答复) when not answered;
    - ``reply_rate``: one row per roster unit, value = replied ÷ messages
      (status ``na`` for a unit without messages);
    - ``overdue``: one row (value 1) per message over its limit.
    """

    name = "hotline"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Read the export in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        extra = ("limit", "simple_limit", "keys", "period_only")
        records = load_records(settings, ctx, COLUMNS, path=path, extra=extra)
        limit = number_setting(settings, "limit", 5, path, ctx)
        simple_limit = number_setting(settings, "simple_limit", None, path, ctx)
        if simple_limit is not None and not records.has("simple"):
            raise config_error(
                ctx,
                f"{path}.simple_limit",
                "设置了 simple_limit，但导出表中没有“是否简单咨询”列",
                hint=f'在 [{path}.columns] 中设置 simple = "实际表头"，或删除 simple_limit',
            )
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx, OPTIONAL_KEYS)
        if "timeliness_simple" in keys and simple_limit is None:
            raise config_error(
                ctx,
                f"{path}.keys.timeliness_simple",
                "输出简单咨询的时效需要设置 simple_limit",
                hint="如 simple_limit = 1",
            )
        check_unique(records, ["id"], "留言编号")
        check_order(records, "received", "replied", "答复早于来信")
        check_calendar(records, ctx, ["received", "replied"])

        f = records.frame
        f = f.loc[period_mask(settings, ctx, f["received"], path)].reset_index(drop=True)
        days, open_ = elapsed(ctx, f["received"], f["replied"])
        simple = f["simple"].to_numpy(bool) if simple_limit is not None else np.zeros(len(f), bool)
        lim = np.where(simple, simple_limit if simple_limit is not None else limit, limit)
        kind = pd.Series(np.where(simple, "简单咨询 ", "留言 "), dtype=object)
        evidence = timing_evidence(ctx, kind + f["id"], f["received"], f["replied"], days, lim)
        text = np.where(open_, "未答复", "")

        frames = []
        if "timeliness" in keys or "timeliness_simple" in keys:
            key = np.where(
                simple & ("timeliness_simple" in keys),
                keys.get("timeliness_simple", ""),
                keys.get("timeliness", ""),
            )
            rows = pd.DataFrame(
                {
                    "unit": f["unit"],
                    "key": key,
                    "value": days,
                    "text": text,
                    "evidence": evidence,
                    "source": f["_source"],
                }
            )
            frames.append(rows.loc[rows["key"] != ""])
        if "overdue" in keys:
            late = days > lim
            frames.append(
                pd.DataFrame(
                    {
                        "unit": f["unit"][late],
                        "key": keys["overdue"],
                        "value": 1.0,
                        "text": np.where(open_[late], "未答复", "超期"),
                        "evidence": evidence[late] + "，超期",
                        "source": f["_source"][late],
                    }
                )
            )
        if "reply_rate" in keys:
            frames.append(self._reply_rate(f["unit"], ~open_, keys["reply_rate"], settings, ctx))
        return collected(frames)

    @staticmethod
    def _reply_rate(
        units: pd.Series,
        replied: np.ndarray,
        key: str,
        settings: Mapping[str, Any],
        ctx: CollectContext,
    ) -> pd.DataFrame:
        n = per_unit(ctx, units)
        done = per_unit(ctx, units, replied)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(n > 0, done / np.maximum(n, 1), np.nan)
        pct = pd.Series(rate * 100).map("{:.2f}".format)
        evidence = pd.Series(
            np.where(
                n > 0,
                "留言 "
                + n.astype(str)
                + " 条，已答复 "
                + done.astype(str)
                + " 条，答复率 "
                + pct
                + "%",
                "本期无留言，答复率不适用",
            )
        )
        return pd.DataFrame(
            {
                "unit": list(ctx.units),
                "key": key,
                "value": rate,
                "status": np.where(n > 0, "ok", STATUS_NA),
                "evidence": evidence,
                "source": str(settings["file"]),
            }
        )
