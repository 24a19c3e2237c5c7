"""Hook implementations of the 怀柔区 plugin: three collectors and the notice template."""

from __future__ import annotations

from pathlib import Path

from zwgk_score.hookspecs import hookimpl
from zwgk_score_huairou.activities import ActivitiesCollector
from zwgk_score_huairou.ledger import LedgerCollector
from zwgk_score_huairou.quarterly import QuarterlyCollector

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register):
    register(LedgerCollector())
    register(QuarterlyCollector())
    register(ActivitiesCollector())


@hookimpl
def register_notice_templates(register):
    register("huairou", TEMPLATES)
