"""Hook implementations of the xx市 plugin: new-media and ledger collectors, the notice template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zwgk_score.plugin import hookimpl

#: Template folder; the annual notice is ``xxshi/annual.md.j2`` (``[notice] template = "xxshi/annual"``).
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register: Callable[[Any], None]) -> None:
    """Register ``xxshi_newmedia_filings``, ``xxshi_newmedia_checks`` and ``xxshi_ledger``."""
    # imported here, not at the top, so that loading the plugin stays fast
    from zwgk_score_xxshi.filings import NewMediaFilingsCollector
    from zwgk_score_xxshi.ledger import DatedLedgerCollector
    from zwgk_score_xxshi.spotchecks import NewMediaChecksCollector

    register(NewMediaFilingsCollector())
    register(NewMediaChecksCollector())
    register(DatedLedgerCollector())


@hookimpl
def register_notice_templates(register: Callable[[str, Path], None]) -> None:
    """Register the notice templates under the name ``xxshi``."""
    register("xxshi", TEMPLATES)
