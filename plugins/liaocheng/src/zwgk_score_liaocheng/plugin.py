"""Hook implementations of the 聊城 (liaocheng) plugin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zwgk_score.plugin import hookimpl

TEMPLATES = Path(__file__).resolve().parent / "templates"


@hookimpl
def register_collectors(register: Callable[[Any], None]) -> None:
    """Register 聊城's collectors: inspection sheet, quarterly scope, publication-time log."""
    # imported here, not at the top, so that loading the plugin stays fast
    from zwgk_score_liaocheng.publication_log import PublicationLogCollector
    from zwgk_score_liaocheng.scope import QuarterScopeCollector
    from zwgk_score_liaocheng.site_check import SiteCheckCollector

    register(SiteCheckCollector())
    register(QuarterScopeCollector())
    register(PublicationLogCollector())


@hookimpl
def register_notice_templates(register: Callable[[str, Path], None]) -> None:
    """Register 聊城's notice wording (annual.md.j2, quarterly.md.j2)."""
    register("liaocheng", TEMPLATES)
