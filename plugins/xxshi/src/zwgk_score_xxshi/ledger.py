"""xx市 task ledger (工作要点任务台账): tasks with their own date rule are not counted twice.

The plan's dated tasks — (十) 5月底前 更新公开指南, (二十) 9月底前 建成专区,
(十八) 10月底前 调整公开专栏, (十一) 年底前 以村公开惠农补贴 — each have a
``deadline`` leaf in rubrics/xxshi-2022.toml.  This collector reads the one
ledger and emits, for each of those tasks (``dated``: task number → data key),
one row per roster unit: the unit's 完成时间 as ``text`` (blank while open,
the evidence saying so) or ``na`` when the ledger does not name the unit for
the task.  The ``task_ledger`` roles (``late`` for 要点任务按时限完成) then
cover only the other tasks, so a late 专区 costs its deadline leaf and nothing
else (no double penalty).
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
    "name": "任务名称",
    "deadline": "责任时限",
    "completed": "完成时间",
}


class DatedLedgerCollector(TaskLedgerCollector):
    """Collector ``xxshi_ledger``: ``task_ledger`` plus per-task completion rows for ``dated``.

    Settings are those of ``task_ledger`` (headers preset to the city's) plus
    ``dated`` (table 任务编号 → data key of the task's ``deadline`` leaf).
    The ``late`` / ``on_time`` roles leave the dated tasks out.
    """

    name = "xxshi_ledger"

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
        merged = {k: v for k, v in settings.items() if k != "dated"}
        merged["columns"] = {**COLUMNS, **dict(settings.get("columns") or {})}
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
        rest = super().collect(merged, ctx)
        # a dated task's late row would repeat what its deadline leaf already scores
        drop = set(f["_source"][own])
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


__all__ = ["COLUMNS", "DatedLedgerCollector"]
