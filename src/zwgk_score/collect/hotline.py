"""政民互动 / 12345 hotline messages (留言办理): reply times, reply rate, overdue replies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import STATUS_NA, CollectContext, evidence_rows
from zwgk_score.collect.deadlines import DeadlineRegister, DeadlineSettings
from zwgk_score.collect.tables import Column, Records, config_error, number_setting, per_unit

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


@attrs.frozen(kw_only=True)
class HotlineSettings(DeadlineSettings):
    """``[collectors.hotline]``: limit 5 working days; ``simple_limit`` for 简单咨询."""

    limit: float = 5
    simple_limit: float | None = None


class HotlineCollector(DeadlineRegister):
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
    columns = COLUMNS
    default_keys = DEFAULT_KEYS
    optional_keys = OPTIONAL_KEYS
    settings_type = HotlineSettings
    id_label = "留言编号"
    order_message = "答复早于来信"
    late_role = "overdue"
    late_note = "，超期"

    def check_settings(
        self, records: Records, settings: Mapping[str, Any], ctx: CollectContext, path: str
    ) -> tuple[float, float | None]:
        limit = number_setting(settings, "limit", 5, path, ctx)
        simple_limit = number_setting(settings, "simple_limit", None, path, ctx)
        if simple_limit is not None and not records.has("simple"):
            raise config_error(
                ctx,
                f"{path}.simple_limit",
                "设置了 simple_limit，但导出表中没有“是否简单咨询”列",
                hint=f'在 [{path}.columns] 中设置 simple = "实际表头"，或删除 simple_limit',
            )
        assert limit is not None
        return limit, simple_limit

    def check_keys(
        self,
        records: Records,
        settings: Mapping[str, Any],
        keys: dict[str, str],
        state: tuple[float, float | None],
        ctx: CollectContext,
        path: str,
    ) -> None:
        if "timeliness_simple" in keys and state[1] is None:
            raise config_error(
                ctx,
                f"{path}.keys.timeliness_simple",
                "输出简单咨询的时效需要设置 simple_limit",
                hint="如 simple_limit = 1",
            )

    @staticmethod
    def _simple(f: pd.DataFrame, state: tuple[float, float | None]) -> np.ndarray:
        return f["simple"].to_numpy(bool) if state[1] is not None else np.zeros(len(f), bool)

    def limits(
        self, records: Records, f: pd.DataFrame, state: tuple[float, float | None]
    ) -> tuple[np.ndarray, pd.Series, str]:
        limit, simple_limit = state
        simple = self._simple(f, state)
        lim = np.where(simple, simple_limit if simple_limit is not None else limit, limit)
        return lim, pd.Series(np.where(simple, "简单咨询 ", "留言 "), dtype=object), ""

    def timeliness_keys(
        self, f: pd.DataFrame, keys: dict[str, str], state: tuple[float, float | None]
    ) -> np.ndarray | None:
        if "timeliness" not in keys and "timeliness_simple" not in keys:
            return None
        return np.where(
            self._simple(f, state) & ("timeliness_simple" in keys),
            keys.get("timeliness_simple", ""),
            keys.get("timeliness", ""),
        )

    def extra_rows(
        self,
        records: Records,
        f: pd.DataFrame,
        open_: np.ndarray,
        keys: dict[str, str],
        settings: Mapping[str, Any],
        ctx: CollectContext,
    ) -> list[pd.DataFrame]:
        if "reply_rate" not in keys:
            return []
        return [self._reply_rate(f["unit"], ~open_, keys["reply_rate"], settings, ctx)]

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
        return evidence_rows(
            list(ctx.units),
            key,
            rate,
            status=np.where(n > 0, "ok", STATUS_NA),
            evidence=evidence,
            source=str(settings["file"]),
        )
