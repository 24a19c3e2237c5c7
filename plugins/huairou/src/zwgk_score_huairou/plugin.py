"""Hook implementations of the 怀柔区 plugin: three collectors and the notice template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zwgk_score.plugin import hookimpl

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register: Callable[[Any], None]) -> None:
    # imported here, not at the top, so that loading the plugin stays fast
    from zwgk_score_huairou.activities import ActivitiesCollector
    from zwgk_score_huairou.ledger import LedgerCollector
    from zwgk_score_huairou.quarterly import QuarterlyCollector

    register(LedgerCollector())
    register(QuarterlyCollector())
    register(ActivitiesCollector())


@hookimpl
def register_notice_templates(register: Callable[[str, Path], None]) -> None:
    register("huairou", TEMPLATES)
