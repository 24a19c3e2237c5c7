"""Hook implementations of the xx市 plugin: two new-media collectors and the notice template."""

from __future__ import annotations

from pathlib import Path

from zwgk_score.hookspecs import hookimpl
from zwgk_score_xxshi.filings import NewMediaFilingsCollector
from zwgk_score_xxshi.spotchecks import NewMediaChecksCollector

#: Template folder; the annual notice is ``xxshi/annual.md.j2`` (``[notice] template = "xxshi/annual"``).
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register):
    """Register ``xxshi_newmedia_filings`` and ``xxshi_newmedia_checks``."""
    register(NewMediaFilingsCollector())
    register(NewMediaChecksCollector())


@hookimpl
def register_notice_templates(register):
    """Register the notice templates under the name ``xxshi``."""
    register("xxshi", TEMPLATES)
