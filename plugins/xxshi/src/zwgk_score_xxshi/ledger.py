"""xx市 task ledger (工作要点任务台账): tasks with their own date rule are not counted twice.

The plan's dated tasks — (十) 5月底前 更新公开指南, (二十) 9月底前 建成专区,
(十八) 10月底前 调整公开专栏, (十一) 年底前 以村公开惠农补贴 — each have a
``deadline`` leaf in rubrics/xxshi-2022.toml.  This collector is the built-in
``task_ledger`` with the city's headers preset; its ``dated`` setting (task
number → data key) gives each of those tasks one row per roster unit (the
unit's 完成时间 as ``text``, or ``na`` when the ledger does not name the unit
for the task) and leaves them out of ``late`` (要点任务按时限完成), so a late
专区 costs its deadline leaf and nothing else (no double penalty).
"""

from __future__ import annotations

from zwgk_score.plugin import TaskLedgerCollector

#: Headers of the city's ledger (规范列名 → 表头).
COLUMNS = {
    "unit": "责任单位",
    "task": "任务编号",
    "name": "任务名称",
    "deadline": "责任时限",
    "completed": "完成时间",
}


class DatedLedgerCollector(TaskLedgerCollector):
    """Collector ``xxshi_ledger``: ``task_ledger`` with the city's headers preset.

    Settings are those of ``task_ledger`` (``columns`` override the presets
    one column at a time), ``dated`` and ``not_late`` included.
    """

    name = "xxshi_ledger"
    preset_columns = COLUMNS


__all__ = ["COLUMNS", "DatedLedgerCollector"]
