"""Collector ``xxshi_newmedia_checks`` (政务新媒体抽查记录): months with a spot check.

Item (十九) of the xx市 2022 plan asks every unit to spot-check its own and
its subordinate units' new-media accounts every month and to report the
problems (每月组织抽查并通报).  The record has one row per check:
组织单位 | 抽查日期 | 通报文号 | 抽查账号数.  Several checks in one month
count once: the score counts the months covered.
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
    ExportSettings,
    check_calendar,
    collected,
    config_error,
    declared_settings,
    load_records,
)

COLUMNS = (
    Column("unit", "组织单位", label="组织抽查的单位"),
    Column("date", "抽查日期", "date", label="抽查日期"),
    Column("notice", "通报文号", required=False, blank_ok=True, label="抽查情况通报文号"),
    Column("accounts", "抽查账号数", "number", required=False, blank_ok=True, label="抽查账号数"),
)


@attrs.frozen(kw_only=True)
class ChecksSettings(ExportSettings):
    """Settings of ``xxshi_newmedia_checks``: the record plus ``key`` (default ``newmedia_check``)."""

    key: str = "newmedia_check"


class NewMediaChecksCollector:
    """Collector ``xxshi_newmedia_checks``: per unit, the months of the period with a spot check.

    Settings: the common ``file`` / ``columns`` / ``aliases`` … and ``key``
    (default ``newmedia_check``).  Emits one row for **every** roster unit:
    value = number of distinct months inside the assessed period with at
    least one check (0 without records, so the ``count`` indicator is never
    missing); the evidence lists the months and notes checks outside the
    period, which do not count.
    """

    name = "xxshi_newmedia_checks"

    def collect(
        self, settings: Mapping[str, Any] | ChecksSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the spot-check record in ``settings`` and return one row per roster unit."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, ChecksSettings, self.name, ctx)
        key = settings.key
        if not key.strip():
            raise config_error(
                ctx, f"{path}.key", "数据键应为非空字符串", hint='如 "newmedia_check"'
            )
        records = load_records(settings, ctx, COLUMNS, path=path)
        check_calendar(records, ctx, ["date"])
        f = records.frame
        d = f["date"].to_numpy(dtype="datetime64[D]")
        inside = (d >= np.datetime64(ctx.period_start, "D")) & (
            d <= np.datetime64(ctx.period_end, "D")
        )
        months = f["date"].dt.month
        rows = []
        for unit in ctx.units:
            mine = (f["unit"] == unit).to_numpy()
            covered = sorted(set(months[mine & inside].tolist()))
            outside = int((mine & ~inside).sum())
            if covered:
                evidence = (
                    f"全年抽查 {int((mine & inside).sum())} 次，覆盖 {len(covered)} 个月："
                    + "、".join(f"{m}月" for m in covered)
                )
            else:
                evidence = "考核期内无抽查记录"
            if outside:
                evidence += f"（另有考核期外记录 {outside} 条，不计）"
            first = np.flatnonzero(mine & inside)
            rows.append(
                {
                    "unit": unit,
                    "key": key.strip(),
                    "value": float(len(covered)),
                    "evidence": evidence,
                    "source": f["_source"].iat[int(first[0])] if len(first) else settings.file,
                }
            )
        return collected([pd.DataFrame(rows)])
