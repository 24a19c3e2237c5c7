"""Registers the built-in collectors (内置采集器).

The collector modules (pandas, httpx …) are imported only when the hook is
called, so that loading the plugins stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zwgk_score.hookspecs import hookimpl


@hookimpl
def register_collectors(register: Callable[[Any], None]) -> None:
    from zwgk_score.collect.disclosure import DisclosureRequestsCollector
    from zwgk_score.collect.generic import TableCollector
    from zwgk_score.collect.hotline import HotlineCollector
    from zwgk_score.collect.interpretations import InterpretationsCollector
    from zwgk_score.collect.meetings import MeetingsCollector
    from zwgk_score.collect.newmedia import NewMediaInspectionCollector
    from zwgk_score.collect.task_ledger import TaskLedgerCollector
    from zwgk_score.collect.wide import ScoreSheetCollector
    from zwgk_score.inspection import WebsiteInspectionCollector
    from zwgk_score.loop.collectors import ReviewCollector, SelfAssessmentCollector

    for cls in (
        HotlineCollector,
        DisclosureRequestsCollector,
        InterpretationsCollector,
        TaskLedgerCollector,
        MeetingsCollector,
        TableCollector,
        ScoreSheetCollector,
        WebsiteInspectionCollector,
        NewMediaInspectionCollector,
        SelfAssessmentCollector,
        ReviewCollector,
    ):
        register(cls())
