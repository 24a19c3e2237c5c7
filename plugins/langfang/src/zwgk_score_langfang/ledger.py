"""廊坊 年度工作任务台账 (item 六(三)) with the city's headers pre-set.

Each unit turns the plan's tasks into a ledger (梳理形成年度工作任务台账);
the city office keeps them in one sheet: 任务编号 | 工作任务 | 责任单位 |
完成时限 | 实际完成时间.  This collector is the built-in ``task_ledger``
with those headers and the rubric's key (D6.3.2 ``task_late``) pre-set; the
plan's own 年底前 (适老化无障碍改造, D5.1.5) is read from the same ledger as
a ``dated`` task, and tasks another indicator scores are left out of the
late count (``not_late``) — both settings of ``task_ledger``.
"""

from __future__ import annotations

from zwgk_score.plugin import TaskLedgerCollector

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
    """Collector ``langfang_ledger``: ``task_ledger`` with 廊坊 headers and key.

    ``columns`` given in the config override the presets one column at a
    time; ``keys`` replaces them as a whole; ``dated`` and ``not_late`` are
    those of ``task_ledger``.
    """

    name = "langfang_ledger"
    preset_columns = COLUMNS
    default_keys = KEYS


__all__ = ["COLUMNS", "KEYS", "LedgerCollector"]
