"""Hook implementations of the 廊坊市 plugin: three collectors and the notice template."""

from __future__ import annotations

from pathlib import Path

from zwgk_score.hookspecs import hookimpl
from zwgk_score_langfang.consult import ConsultCollector
from zwgk_score_langfang.ledger import LedgerCollector
from zwgk_score_langfang.worklog import WorkLogCollector

#: Holds ``langfang/annual.md.j2``; select it with ``[notice] template = "langfang/annual"``.
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register):
    register(ConsultCollector())
    register(LedgerCollector())
    register(WorkLogCollector())


@hookimpl
def register_notice_templates(register):
    register("langfang", TEMPLATES)
