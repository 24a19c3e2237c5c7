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

import attrs
import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    CollectContext,
    Column,
    Records,
    TaskLedgerCollector,
    TaskLedgerSettings,
    config_error,
    declared_settings,
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


@attrs.frozen(kw_only=True)
class LedgerSettings(TaskLedgerSettings):
    """Settings of ``huairou_ledger``: those of ``task_ledger`` plus the district's own.

    Attributes:
        state_column: header of 完成情况 (``""`` when the ledger has no such column).
        due_key: data key of the completion rows, ``{task}`` standing for the
            序号 (``""`` emits none).
        tasks: the plan's task numbers whose rows are emitted besides those
            in the ledger (a task the ledger names for nobody gets its ``na`` rows).
    """

    state_column: str = STATE_HEADER
    due_key: str = DUE_KEY
    tasks: list[str] = attrs.field(factory=list)


class LedgerCollector(TaskLedgerCollector):
    """Collector ``huairou_ledger``: ``task_ledger`` with 怀柔 headers, key and a state check.

    Settings are those of ``task_ledger`` plus ``state_column`` (header of
    完成情况, default ``完成情况``; set it to ``""`` when the ledger has no such
    column), ``due_key`` (data key of the completion rows, default
    ``due_{task}``; ``""`` emits none) and ``tasks`` (the plan's task numbers
    whose rows are emitted, default those in the ledger: a task the ledger
    names for nobody still gets its ``na`` rows).  ``columns`` and ``keys`` in
    the config override the presets (a column at a time; ``keys`` as a whole).
    The completion rows are ``task_ledger``'s ``dated`` rows of every task,
    so (as for any dated task) ``late`` and ``on_time`` leave out the tasks
    that have one: with ``due_key = ""`` they count every task.

    Raises:
        DataError: a 完成情况 cell that is neither 已完成 nor 推进中/未完成/未启动,
            a task marked 已完成 without 完成时间, or one with a 完成时间 but
            marked as not finished — besides every error of ``task_ledger``.
    """

    name = "huairou_ledger"
    settings_type = LedgerSettings
    preset_columns = COLUMNS
    default_keys = KEYS
    deadline_label = "完成时限"
    unnamed_evidence = "任务台账未列本单位为该任务的责任部门"

    def collect(self, settings: Mapping[str, Any] | Any, ctx: CollectContext) -> pd.DataFrame:
        """Check the 完成情况 column, then read the ledger as ``task_ledger`` does."""
        s = declared_settings(settings, LedgerSettings, self.name, ctx)
        path = f"collectors.{self.name}"
        if s.due_key and "{task}" not in s.due_key:
            raise config_error(
                ctx,
                f"{path}.due_key",
                "due_key 应为含 {task} 的字符串（各任务完成时间行的数据键）",
                hint='如 due_key = "due_{task}"；不需要时写 ""',
            )
        if not all(t.strip() for t in s.tasks):
            raise config_error(
                ctx, f"{path}.tasks", "tasks 中有空的任务序号", hint='如 tasks = ["1", "2", "3"]'
            )
        if s.state_column:
            self._check_state(s, ctx)
        return super().collect(s, ctx)

    def dated_tasks(
        self, settings: TaskLedgerSettings, records: Records, ctx: CollectContext
    ) -> dict[str, str]:
        """Every task of the ledger and of ``tasks`` under ``due_key``, then ``dated``."""
        dated = super().dated_tasks(settings, records, ctx)
        if not isinstance(settings, LedgerSettings) or not settings.due_key:
            return dated
        every = dict.fromkeys([*records.frame["task"], *settings.tasks])
        return {**{t: settings.due_key.format(task=t) for t in every}, **dated}

    def dated_label(self, f: pd.DataFrame) -> pd.Series:
        """``任务台账第11项「养老服务和社会救助信息公开」``."""
        title = f["name"] if "name" in f.columns else pd.Series("", index=f.index, dtype=object)
        return "任务台账第" + f["task"] + "项「" + title + "」"

    def _check_state(self, settings: LedgerSettings, ctx: CollectContext) -> None:
        header = settings.state_column
        cols = (
            Column("unit", COLUMNS["unit"], multi=True, label="责任部门"),
            Column("state", header, label="完成情况"),
            Column("completed", COLUMNS["completed"], "date", blank_ok=True, label="完成时间"),
        )
        names = {c.name for c in cols}
        columns = {**COLUMNS, **settings.columns}
        table = attrs.evolve(
            settings,
            columns={**{k: v for k, v in columns.items() if k in names}, "state": header},
        )
        records = load_records(table, ctx, cols, path=f"collectors.{self.name}")
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


__all__ = ["COLUMNS", "DUE_KEY", "KEYS", "LedgerCollector", "LedgerSettings"]
