"""Collector ``xxshi_newmedia_filings`` (政务新媒体备案登记): filing within 5 working days.

Item (十九) of the xx市 2022 plan: opening, changing, suspending or closing a
government new-media account must be filed (备案) in the city's new-media
monitoring system within 5 working days.  The system's register export has
one row per event: 主办单位 | 账号名称 | 平台 | 变更事项 | 事项日期 | 备案日期.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    CollectContext,
    Column,
    DeadlineSettings,
    check_calendar,
    check_order,
    check_unique,
    collected,
    data_keys,
    declared_settings,
    elapsed,
    evidence_rows,
    load_records,
    number_setting,
    period_mask,
    timing_evidence,
)

#: Events the register records (变更事项).
EVENTS = ("开设", "变更", "关停", "注销")

COLUMNS = (
    Column("unit", "主办单位", label="账号主办单位"),
    Column("account", "账号名称", label="新媒体账号名称"),
    Column("platform", "平台", required=False, blank_ok=True, label="所在平台"),
    Column("event", "变更事项", label="开设、变更、关停或注销"),
    Column("happened", "事项日期", "date", label="开设/变更/关停/注销日期"),
    Column("filed", "备案日期", "date", blank_ok=True, label="在监测系统备案的日期"),
)
DEFAULT_KEYS = {"timeliness": "newmedia_filing"}
OPTIONAL_ROLES = ("late",)


@attrs.frozen(kw_only=True)
class FilingsSettings(DeadlineSettings):
    """Settings of ``xxshi_newmedia_filings``: the register, ``limit`` (default 5), ``keys``, ``period_only``."""

    limit: float = 5


class NewMediaFilingsCollector:
    """Collector ``xxshi_newmedia_filings``: working days from each account event to its filing.

    Settings (besides the common ``file`` / ``columns`` / ``aliases`` …):
    ``limit`` (default 5 working days), ``period_only`` (default true: only
    events dated in the assessed period) and ``keys``.

    Emits, per event:

    - ``timeliness`` (default key ``newmedia_filing``): value = working days
      from the event to its filing (the event day itself not counted), or to
      the inspection date (text 未备案) when it was never filed;
    - ``late`` (only when listed in ``keys``): one row (value 1) per event
      filed after the limit or still unfiled past it.
    """

    name = "xxshi_newmedia_filings"

    def collect(
        self, settings: Mapping[str, Any] | FilingsSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the filing register in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, FilingsSettings, self.name, ctx)
        records = load_records(settings, ctx, COLUMNS, path=path)
        limit = number_setting(settings, "limit", 5, path, ctx)
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx, optional=OPTIONAL_ROLES)
        f = records.frame
        bad = ~f["event"].isin(EVENTS).to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise records.error(
                i,
                "event",
                f"无法识别的变更事项「{f['event'].iat[i]}」",
                hint=f"填写 {'、'.join(EVENTS)} 之一",
            )
        check_unique(records, ["unit", "account", "event", "happened"], "账号事项")
        check_calendar(records, ctx, ["happened", "filed"])
        check_order(records, "happened", "filed", "备案早于事项发生")
        f = f.loc[period_mask(settings, ctx, f["happened"], path)].reset_index(drop=True)
        days, open_ = elapsed(ctx, f["happened"], f["filed"])
        label = "账号「" + f["account"] + "」" + f["event"]
        evidence = timing_evidence(
            ctx,
            label,
            f["happened"],
            f["filed"],
            days,
            np.full(len(f), limit),
            received="发生",
            done="备案",
        )
        frames = []
        if "timeliness" in keys:
            frames.append(
                evidence_rows(
                    f["unit"],
                    keys["timeliness"],
                    days,
                    text=np.where(open_, "未备案", ""),
                    evidence=evidence,
                    source=f["_source"],
                )
            )
        if "late" in keys:
            over = days > limit
            frames.append(
                evidence_rows(
                    f["unit"][over],
                    keys["late"],
                    1.0,
                    text=np.where(open_[over], "未备案", "超期备案"),
                    evidence=evidence[over],
                    source=f["_source"][over],
                )
            )
        return collected(frames)
