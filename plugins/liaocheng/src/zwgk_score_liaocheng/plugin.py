"""Hook implementations of the 聊城 (liaocheng) plugin."""

from __future__ import annotations

from pathlib import Path

from zwgk_score.hookspecs import hookimpl
from zwgk_score_liaocheng.publication_log import PublicationLogCollector
from zwgk_score_liaocheng.scope import QuarterScopeCollector
from zwgk_score_liaocheng.site_check import SiteCheckCollector

TEMPLATES = Path(__file__).resolve().parent / "templates"


@hookimpl
def register_collectors(register):
    """Register 聊城's collectors: inspection sheet, quarterly scope, publication-time log."""
    register(SiteCheckCollector())
    register(QuarterScopeCollector())
    register(PublicationLogCollector())


@hookimpl
def register_notice_templates(register):
    """Register 聊城's notice wording (annual.md.j2, quarterly.md.j2)."""
    register("liaocheng", TEMPLATES)
