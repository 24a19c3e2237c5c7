"""Collector ``liaocheng_task_dates``: the plan's dated tasks from the 任务台账.

The 聊城 plan dates six tasks: (12) "年内出台实施方案", (15) "每年7月底前"
(招生信息), (42) "年内完成门户网站相关改造", (51) "8月底前完成试点验收,9月底前
……报送", (55) "今年年底前要完成主动公开基本目录的编制", (58) "到年底……轮训一遍".
Each is a ``deadline`` leaf of rubric liaocheng-2018.  The office keeps one
ledger (职责清单任务台账: 责任单位 | 任务编号 | 任务名称 | 完成时限 | 完成时间);
this collector gives every ledger row to the leaf it dates:

* ``tasks`` maps a ledger 任务编号 (``"(51)-1"`` where one task has two
  dates) to the leaf's data key;
* the row's 完成时限 must be the leaf's own ``params.due`` (the plan's words),
  so the ledger and the rubric cannot drift apart;
* value: none; text: the completion date, blank when not completed by the
  inspection date (``period_end``: a quarter sees only what was done by its
  end).

Settings: ``tasks`` (required), ``rubric`` (default: the config's), and the
usual file settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    TASK_LEDGER_COLUMNS,
    CollectContext,
    ExportSettings,
    check_unique,
    collected,
    config_error,
    config_rubric_file,
    declared_settings,
    evidence_rows,
    fmt_dates,
    load_records,
    load_rubric,
)

#: the ledger is the built-in task ledger's layout (责任单位 | 任务编号 | 任务名称 | 完成时限 | 完成时间)
COLUMNS = TASK_LEDGER_COLUMNS


@attrs.frozen(kw_only=True)
class TaskDatesSettings(ExportSettings):
    """Settings of ``liaocheng_task_dates``: the ledger, ``tasks`` (任务编号 → 数据键), ``rubric``."""

    tasks: dict[str, str] = attrs.field(factory=dict)
    rubric: str | None = None


def _cn(d: pd.Series) -> pd.Series:
    """Dates as a person reads them: 2018年9月5日."""
    out: pd.Series = (
        d.dt.year.astype("Int64").astype(str)
        + "年"
        + d.dt.month.astype("Int64").astype(str)
        + "月"
        + d.dt.day.astype("Int64").astype(str)
        + "日"
    )
    return out


class TaskDatesCollector:
    """Collector ``liaocheng_task_dates`` (限时任务台账): completion date per unit of each dated task."""

    name = "liaocheng_task_dates"

    def collect(
        self, settings: Mapping[str, Any] | TaskDatesSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """One row per (unit, task): text = completion date (blank: not done by the inspection date)."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, TaskDatesSettings, self.name, ctx)
        records = load_records(settings, ctx, COLUMNS, path=path)
        tasks = settings.tasks
        if not tasks:
            raise config_error(
                ctx,
                f"{path}.tasks",
                "tasks 应为表：台账任务编号 = 细则指标的数据键",
                hint='如 tasks = { "(15)" = "enrolment_deadline" }',
            )
        rubric_file = (
            ctx.resolve(settings.rubric) if settings.rubric is not None else config_rubric_file(ctx)
        )
        due_of = {
            n.data: str(n.params.due)
            for n in load_rubric(rubric_file).nodes()
            if n.is_leaf and n.method == "deadline"
        }
        for task, key in tasks.items():
            if key not in due_of:
                raise config_error(
                    ctx,
                    f"{path}.tasks.{task}",
                    f"「{key}」不是考核细则中完成时限（deadline）指标的数据键",
                )
        check_unique(records, ["unit", "task"], "任务编号")
        f = records.frame
        for i, (task, deadline) in enumerate(zip(f["task"], f["deadline"], strict=True)):
            if task not in tasks:
                raise records.error(
                    i,
                    "task",
                    f"任务编号「{task}」没有对应的考核指标",
                    hint=f"在 {path}.tasks 中写明该任务对应的数据键",
                )
            due = due_of[tasks[task]]
            if deadline.strip() != due:
                raise records.error(
                    i,
                    "deadline",
                    f"完成时限「{deadline}」与考核细则不一致（细则按方案原文为「{due}」）",
                    hint="台账的完成时限照方案原文填写，与细则 params.due 相同",
                )
        end = pd.Timestamp(ctx.period_end)
        done = (f["completed"].notna() & (f["completed"] <= end)).to_numpy()
        label = "任务" + f["task"] + np.where(f["name"] != "", "「" + f["name"] + "」", "")
        state = np.where(
            done,
            _cn(f["completed"].where(pd.Series(done, index=f.index))) + "完成",
            f"截至{end.year}年{end.month}月{end.day}日未完成",
        )
        evidence = label + "：完成时限「" + f["deadline"] + "」，" + state
        return collected(
            [
                evidence_rows(
                    f["unit"],
                    f["task"].map(lambda t: tasks[t]),
                    text=np.where(done, fmt_dates(f["completed"]), ""),
                    evidence=evidence,
                    source=f["_source"],
                )
            ]
        )
