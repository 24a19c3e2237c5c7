"""廊坊 年度工作任务台账 (item 六(三)) with the city's headers pre-set.

Each unit turns the plan's tasks into a ledger (梳理形成年度工作任务台账);
the city office keeps them in one sheet: 任务编号 | 工作任务 | 责任单位 |
完成时限 | 实际完成时间.  This collector is the built-in ``task_ledger``
with those headers and the rubric's key (D6.3.2 ``task_late``) pre-set; the
plan's own 年底前 (适老化无障碍改造, D5.1.5) is read from the same ledger as
a ``dated`` task, and tasks another indicator scores are left out of the
late count (``not_late``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    COMMON_SETTINGS,
    STATUS_NA,
    CollectContext,
    Column,
    TaskLedgerCollector,
    collected,
    config_error,
    evidence_rows,
    fmt_dates,
    load_records,
)

#: Headers of the city's ledger (规范列名 → 表头).
COLUMNS = {
    "unit": "责任单位",
    "task": "任务编号",
    "name": "工作任务",
    "deadline": "完成时限",
    "completed": "实际完成时间",
}
#: Role scored by rubrics/langfang-2023.toml (D6.3.2).
KEYS = {"late": "task_late"}


class LedgerCollector(TaskLedgerCollector):
    """Collector ``langfang_ledger``: ``task_ledger`` with 廊坊 headers and key, plus ``dated``.

    ``columns`` given in the config override the presets one column at a
    time; ``keys`` replaces them as a whole.  ``dated`` (table 任务编号 → data
    key) emits each listed task's completion date per roster unit for a
    ``deadline`` leaf (``na`` where the ledger does not name the unit);
    ``not_late`` lists further tasks scored by another indicator.  The
    ``late`` role leaves both out, so no task costs points twice.
    """

    name = "langfang_ledger"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Rows of the dated tasks, then the ledger's other tasks as ``task_ledger`` reads them."""
        path = f"collectors.{self.name}"
        dated = settings.get("dated", {})
        if not isinstance(dated, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in dated.items()
        ):
            raise config_error(
                ctx,
                f"{path}.dated",
                "dated 应为 任务编号 = 数据键 的表",
                hint='如 dated = { "(十)" = "guide_update" }',
            )
        not_late = settings.get("not_late", [])
        if not isinstance(not_late, list) or not all(isinstance(t, str) for t in not_late):
            raise config_error(
                ctx,
                f"{path}.not_late",
                "not_late 应为任务编号的数组",
                hint='如 not_late = ["RW01"]',
            )
        merged = {k: v for k, v in settings.items() if k not in ("dated", "not_late")}
        merged["columns"] = {**COLUMNS, **dict(settings.get("columns") or {})}
        merged.setdefault("keys", dict(KEYS))
        cols = (
            Column("unit", merged["columns"]["unit"], multi=True, label="责任单位"),
            Column("task", merged["columns"]["task"], label="任务编号"),
            Column(
                "name", merged["columns"]["name"], required=False, blank_ok=True, label="任务名称"
            ),
            Column("deadline", merged["columns"]["deadline"], label="责任时限"),
            Column(
                "completed", merged["columns"]["completed"], "date", blank_ok=True, label="完成时间"
            ),
        )
        inner = {k: v for k, v in merged.items() if k in COMMON_SETTINGS}
        inner["columns"] = {c.name: c.header for c in cols}
        f = load_records(inner, ctx, cols, path=path).frame
        own = f["task"].isin(list(dated)).to_numpy()
        elsewhere = f["task"].isin([*dated, *not_late]).to_numpy()
        rest = super().collect(merged, ctx)
        # a dated task's late row would repeat what its deadline leaf already scores
        drop = set(f["_source"][elsewhere])
        late_of_dated = rest["source"].isin(drop) & (rest["value"] == 1.0)
        frames = [rest[~late_of_dated.to_numpy()]]
        if dated:
            frames.append(self._dated_rows(f[own], ctx, dict(dated), str(merged["file"])))
        return collected(frames)

    @staticmethod
    def _dated_rows(
        f: pd.DataFrame, ctx: CollectContext, dated: dict[str, str], file: str
    ) -> pd.DataFrame:
        done = f["completed"].notna().to_numpy()
        title = f["name"] if "name" in f.columns else pd.Series("", index=f.index, dtype=object)
        state = pd.Series(
            np.where(done, fmt_dates(f["completed"]) + " 完成", "截至检查未完成"),
            index=f.index,
            dtype=object,
        )
        evidence = (
            "任务台账 "
            + f["task"]
            + "「"
            + title
            + "」："
            + state
            + "（时限 "
            + f["deadline"]
            + "）"
        )
        keys = f["task"].map(dated)
        frames = [
            evidence_rows(
                f["unit"],
                keys,
                text=fmt_dates(f["completed"]),
                evidence=evidence,
                source=f["_source"],
            )
        ]
        named = set(zip(f["unit"], keys, strict=True))
        absent = [(u, k) for k in dated.values() for u in ctx.units if (u, k) not in named]
        if absent:
            frames.append(
                evidence_rows(
                    [u for u, _ in absent],
                    [k for _, k in absent],
                    status=STATUS_NA,
                    evidence="任务台账未列本单位为该任务的责任单位",
                    source=file,
                )
            )
        return collected(frames)


__all__ = ["COLUMNS", "KEYS", "LedgerCollector"]
