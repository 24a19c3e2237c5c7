"""Hook implementations of the 廊坊市 plugin: three collectors and the notice template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zwgk_score.plugin import hookimpl

#: Holds ``langfang/annual.md.j2``; select it with ``[notice] template = "langfang/annual"``.
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register: Callable[[Any], None]) -> None:
    # imported here, not at the top, so that loading the plugin stays fast
    from zwgk_score_langfang.consult import ConsultCollector
    from zwgk_score_langfang.ledger import LedgerCollector
    from zwgk_score_langfang.worklog import WorkLogCollector

    register(ConsultCollector())
    register(LedgerCollector())
    register(WorkLogCollector())


@hookimpl
def register_notice_templates(register: Callable[[str, Path], None]) -> None:
    register("langfang", TEMPLATES)
