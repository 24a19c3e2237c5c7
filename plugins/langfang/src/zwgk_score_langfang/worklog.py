"""廊坊 政务公开工作记录 (work log): leader reports and internal trainings in one register.

Items 六(一) and 六(二) of the 2023 plan: the principal leader hears a
政务公开 report at least once a year, and every unit runs at least one
internal training a year.  Units report both in one register — 单位 | 日期 |
类型 | 事项 — and the rubric counts them as D6.1.1 ``leader_report`` and
D6.2 ``training`` (``count`` with target 1).
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
    collected,
    config_error,
    declared_settings,
    evidence_rows,
    fmt_dates,
    load_records,
    per_unit,
)

COLUMNS = (
    Column("unit", "单位", label="单位"),
    Column("date", "日期", "date", label="会议或培训日期"),
    Column("kind", "类型", label="记录类型"),
    Column("title", "事项", required=False, blank_ok=True, label="会议或培训名称"),
)
#: 类型 written in the register → data key of rubrics/langfang-2023.toml.
TYPES = {"听取汇报": "leader_report", "内部培训": "training"}
#: What each type is called in evidence text.
NOUNS = {
    "leader_report": "主要负责同志听取政务公开工作汇报",
    "training": "组织系统内部政务公开培训",
}


@attrs.frozen(kw_only=True)
class WorkLogSettings(ExportSettings):
    """Settings of ``langfang_worklog``: an export plus ``types`` (类型 → 数据键)."""

    types: dict[str, str] = attrs.field(factory=lambda: dict(TYPES))


class WorkLogCollector:
    """Collector ``langfang_worklog``: count each unit's leader reports and trainings.

    Settings: ``file`` (plus the usual ``columns``, ``sheet``, ``aliases`` …)
    and ``types``, a table 类型 → data key replacing :data:`TYPES`.

    Emits, for every data key in ``types`` and every roster unit, one row:
    value = records of that type dated in the assessment year (0 when none,
    so the count is never missing); evidence lists their dates and names and
    how many records of other years were not counted.  A 类型 not in
    ``types`` is a data error (no row is silently dropped).
    """

    name = "langfang_worklog"

    def collect(
        self, settings: Mapping[str, Any] | WorkLogSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the register in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, WorkLogSettings, self.name, ctx)
        types = settings.types
        if not types or not all(k and v for k, v in types.items()):
            raise config_error(
                ctx,
                f"{path}.types",
                "types 应为「类型 = 数据键」表",
                hint='如 types = { "听取汇报" = "leader_report", "内部培训" = "training" }',
            )
        records = load_records(settings, ctx, COLUMNS, path=path)
        f = records.frame
        unknown = ~f["kind"].isin(list(types)).to_numpy()
        if unknown.any():
            i = int(np.flatnonzero(unknown)[0])
            raise records.error(
                i,
                "kind",
                f"未知的记录类型「{f['kind'].iat[i]}」",
                hint=f"类型只能填：{'、'.join(types)}（或在 types 中增加）",
            )
        in_year = (f["date"].dt.year == ctx.year).to_numpy()
        frames = []
        for key in dict.fromkeys(types.values()):  # several 类型 may feed one key
            mine = f["kind"].isin([k for k, v in types.items() if v == key]).to_numpy()
            frames.append(self._rows(f, mine & in_year, mine & ~in_year, key, ctx, settings.file))
        return collected(frames)

    @staticmethod
    def _rows(
        f: pd.DataFrame,
        counted: np.ndarray,
        other: np.ndarray,
        key: str,
        ctx: CollectContext,
        file: str,
    ) -> pd.DataFrame:
        n = per_unit(ctx, f["unit"], counted)
        skipped = per_unit(ctx, f["unit"], other)
        hits = f.loc[counted].sort_values(["date", "_row"], kind="stable")
        listed = (
            fmt_dates(hits["date"])
            + pd.Series(
                np.where(hits["title"] != "", "「" + hits["title"] + "」", ""),
                index=hits.index,
                dtype=object,
            )
            if "title" in f.columns
            else fmt_dates(hits["date"])
        )
        units = list(ctx.units)
        dates = listed.groupby(hits["unit"]).agg("、".join).reindex(units, fill_value="")
        sources = hits["_source"].groupby(hits["unit"]).agg("; ".join).reindex(units, fill_value="")
        noun = NOUNS.get(key, key)
        evidence = [
            (f"{ctx.year}年{noun} {k} 次：{d}" if k else f"{ctx.year}年无{noun}的记录")
            + (f"（另有非本年度记录 {s} 条，未计）" if s else "")
            for k, d, s in zip(n, dates, skipped, strict=True)
        ]
        return evidence_rows(
            units, key, n.astype(float), evidence=evidence, source=[s or file for s in sources]
        )
