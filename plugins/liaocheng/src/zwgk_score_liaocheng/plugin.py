"""Hook implementations of the 聊城 (liaocheng) plugin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zwgk_score.plugin import hookimpl

TEMPLATES = Path(__file__).resolve().parent / "templates"


@hookimpl
def register_collectors(register: Callable[[Any], None]) -> None:
    """Register 聊城's collectors: inspection sheet, quarterly scope, publication-time log, duties, dated tasks."""
    # imported here, not at the top, so that loading the plugin stays fast
    from zwgk_score_liaocheng.duties import DutiesCollector
    from zwgk_score_liaocheng.publication_log import PublicationLogCollector
    from zwgk_score_liaocheng.scope import QuarterScopeCollector
    from zwgk_score_liaocheng.site_check import SiteCheckCollector
    from zwgk_score_liaocheng.task_dates import TaskDatesCollector

    register(SiteCheckCollector())
    register(QuarterScopeCollector())
    register(PublicationLogCollector())
    register(DutiesCollector())
    register(TaskDatesCollector())


@hookimpl
def register_exporters(register: Callable[[Any], None]) -> None:
    """Register 聊城's 约谈名单 (list of units to be talked to, 三、保障措施(五) and task (29))."""
    from zwgk_score_liaocheng.interviews import InterviewListExporter

    register(InterviewListExporter())


@hookimpl
def register_notice_templates(register: Callable[[str, Path], None]) -> None:
    """Register 聊城's notice wording (annual.md.j2, quarterly.md.j2)."""
    register("liaocheng", TEMPLATES)
