"""怀柔 task ledger (2024年政务公开工作要点任务台账) with the district's own headers.

The district office keeps one row per task and responsible unit:
序号 | 工作任务 | 责任部门 | 完成时限 | 完成情况 | 完成时间.  It is the built-in
``task_ledger`` layout under other headers, plus a 完成情况 column
(已完成 / 推进中 / 未完成) that must agree with 完成时间.  This collector
presets the headers and the rubric's data key (T41.2 ``task_late``), checks
that agreement, and leaves the scoring of late tasks to ``task_ledger``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    COMMON_SETTINGS,
    CollectContext,
    Column,
    TaskLedgerCollector,
    load_records,
)

#: Headers of the district ledger (规范列名 → 表头).
COLUMNS = {
    "unit": "责任部门",
    "task": "序号",
    "name": "工作任务",
    "deadline": "完成时限",
    "completed": "完成时间",
}
#: Header of the state column (完成情况), checked against 完成时间.
STATE_HEADER = "完成情况"
DONE_WORDS = ("已完成", "完成")
OPEN_WORDS = ("推进中", "正在推进", "未完成", "未启动")
#: Roles scored by rubrics/huairou-2024.toml (T41.2).
KEYS = {"late": "task_late"}


class LedgerCollector(TaskLedgerCollector):
    """Collector ``huairou_ledger``: ``task_ledger`` with 怀柔 headers, key and a state check.

    Settings are those of ``task_ledger`` plus ``state_column`` (header of
    完成情况, default ``完成情况``; set it to ``""`` when the ledger has no such
    column).  ``columns`` and ``keys`` in the config override the presets (a
    column at a time; ``keys`` as a whole).

    Raises:
        DataError: a 完成情况 cell that is neither 已完成 nor 推进中/未完成/未启动,
            a task marked 已完成 without 完成时间, or one with a 完成时间 but
            marked as not finished — besides every error of ``task_ledger``.
    """

    name = "huairou_ledger"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Check the 完成情况 column, then read the ledger as ``task_ledger`` does."""
        merged = {k: v for k, v in settings.items() if k != "state_column"}
        merged["columns"] = {**COLUMNS, **dict(settings.get("columns") or {})}
        merged.setdefault("keys", dict(KEYS))
        state_header = settings.get("state_column", STATE_HEADER)
        if state_header:
            self._check_state(merged, ctx, str(state_header))
        return super().collect(merged, ctx)

    def _check_state(self, merged: Mapping[str, Any], ctx: CollectContext, header: str) -> None:
        cols = (
            Column("unit", COLUMNS["unit"], multi=True, label="责任部门"),
            Column("state", header, label="完成情况"),
            Column("completed", COLUMNS["completed"], "date", blank_ok=True, label="完成时间"),
        )
        names = {c.name for c in cols}
        inner = {k: v for k, v in merged.items() if k in COMMON_SETTINGS}
        inner["columns"] = {
            **{k: v for k, v in merged["columns"].items() if k in names},
            "state": header,
        }
        records = load_records(inner, ctx, cols, path=f"collectors.{self.name}")
        f = records.frame
        state = f["state"].astype(str).str.strip()
        done = state.isin(DONE_WORDS).to_numpy()
        open_ = state.isin(OPEN_WORDS).to_numpy()
        has_date = f["completed"].notna().to_numpy()
        allowed = "、".join((*DONE_WORDS[:1], *OPEN_WORDS))
        for bad, column, message, hint in (
            (~done & ~open_, "state", "无法识别的完成情况「{}」", f"填写 {allowed}"),
            (done & ~has_date, "completed", "完成情况为「{}」但未填完成时间", "填写实际完成日期"),
            (
                open_ & has_date,
                "completed",
                "完成情况为「{}」却填了完成时间",
                "已完成的改为“已完成”，否则清空完成时间",
            ),
        ):
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise records.error(i, column, message.format(state.iat[i]), hint=hint)


__all__ = ["COLUMNS", "KEYS", "LedgerCollector"]
