"""怀柔 task ledger (2024年政务公开工作要点任务台账) with the district's own headers.

The district office keeps one row per task and responsible unit:
序号 | 工作任务 | 责任部门 | 完成时限 | 完成情况 | 完成时间.  It is the built-in
``task_ledger`` layout under other headers, plus a 完成情况 column
(已完成 / 推进中 / 未完成) that must agree with 完成时间.  This collector
presets the headers, checks that agreement and emits, for every task of the
ledger, one row per roster unit under ``due_key`` (default ``due_{task}``):
the unit's 完成时间 as ``text`` (blank while open) for the rubric's per-task
``deadline`` rule (2024年10月中旬 on each of the 41 tasks), ``na`` for a unit
the ledger does not name for that task.  The ``task_ledger`` roles
(``late``, ``on_time``) are emitted only when listed in ``keys``.
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
#: ``task_ledger`` roles emitted by default: none (the rubric scores each task's deadline).
KEYS: dict[str, str] = {}
#: Data key of a task's completion row; ``{task}`` is the ledger's 序号.
DUE_KEY = "due_{task}"


class LedgerCollector(TaskLedgerCollector):
    """Collector ``huairou_ledger``: ``task_ledger`` with 怀柔 headers, key and a state check.

    Settings are those of ``task_ledger`` plus ``state_column`` (header of
    完成情况, default ``完成情况``; set it to ``""`` when the ledger has no such
    column), ``due_key`` (data key of the completion rows, default
    ``due_{task}``; ``""`` emits none) and ``tasks`` (the plan's task numbers
    whose rows are emitted, default those in the ledger: a task the ledger
    names for nobody still gets its ``na`` rows).  ``columns`` and ``keys`` in the config override the presets (a
    column at a time; ``keys`` as a whole).

    Raises:
        DataError: a 完成情况 cell that is neither 已完成 nor 推进中/未完成/未启动,
            a task marked 已完成 without 完成时间, or one with a 完成时间 but
            marked as not finished — besides every error of ``task_ledger``.
    """

    name = "huairou_ledger"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Check the 完成情况 column, then read the ledger as ``task_ledger`` does."""
        own = ("state_column", "due_key", "tasks")
        merged = {k: v for k, v in settings.items() if k not in own}
        merged["columns"] = {**COLUMNS, **dict(settings.get("columns") or {})}
        merged.setdefault("keys", dict(KEYS))
        state_header = settings.get("state_column", STATE_HEADER)
        if state_header:
            self._check_state(merged, ctx, str(state_header))
        due_key = settings.get("due_key", DUE_KEY)
        if not isinstance(due_key, str) or (due_key and "{task}" not in due_key):
            raise config_error(
                ctx,
                f"collectors.{self.name}.due_key",
                "due_key 应为含 {task} 的字符串（各任务完成时间行的数据键）",
                hint='如 due_key = "due_{task}"；不需要时写 ""',
            )
        tasks = settings.get("tasks", [])
        if not isinstance(tasks, list) or not all(isinstance(t, str) and t for t in tasks):
            raise config_error(
                ctx,
                f"collectors.{self.name}.tasks",
                "tasks 应为任务序号（字符串）的数组",
                hint='如 tasks = ["1", "2", "3"]',
            )
        frames = [super().collect(merged, ctx)]
        if due_key:
            frames.append(self._due_rows(merged, ctx, due_key, tasks))
        return collected(frames)

    def _due_rows(
        self, merged: Mapping[str, Any], ctx: CollectContext, due_key: str, tasks: list[str]
    ) -> pd.DataFrame:
        """Per task of the ledger and roster unit: its completion date, or na when not named."""
        cols = (
            Column("unit", COLUMNS["unit"], multi=True, label="责任部门"),
            Column("task", COLUMNS["task"], label="序号"),
            Column("name", COLUMNS["name"], required=False, blank_ok=True, label="工作任务"),
            Column("deadline", COLUMNS["deadline"], label="完成时限"),
            Column("completed", COLUMNS["completed"], "date", blank_ok=True, label="完成时间"),
        )
        names = {c.name for c in cols}
        inner = {k: v for k, v in merged.items() if k in COMMON_SETTINGS}
        inner["columns"] = {k: v for k, v in merged["columns"].items() if k in names}
        f = load_records(inner, ctx, cols, path=f"collectors.{self.name}").frame
        done = f["completed"].notna().to_numpy()
        title = f["name"] if "name" in f.columns else pd.Series("", index=f.index, dtype=object)
        evidence = (
            "任务台账第"
            + f["task"]
            + "项「"
            + title
            + "」："
            + pd.Series(
                np.where(done, fmt_dates(f["completed"]) + " 完成", "截至检查未完成"),
                index=f.index,
                dtype=object,
            )
            + "（完成时限 "
            + f["deadline"]
            + "）"
        )
        keys = f["task"].map(lambda t: due_key.format(task=t))
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
        every = dict.fromkeys([*keys, *(due_key.format(task=t) for t in tasks)])
        absent = [(u, k) for k in every for u in ctx.units if (u, k) not in named]
        if absent:
            frames.append(
                evidence_rows(
                    [u for u, _ in absent],
                    [k for _, k in absent],
                    status=STATUS_NA,
                    evidence="任务台账未列本单位为该任务的责任部门",
                    source=str(merged["file"]),
                )
            )
        return collected(frames)

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


__all__ = ["COLUMNS", "DUE_KEY", "KEYS", "LedgerCollector"]
