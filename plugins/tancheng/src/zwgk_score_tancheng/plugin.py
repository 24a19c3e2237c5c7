"""Hook implementations of the 郯城县 plugin: two collectors and the notice templates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zwgk_score.plugin import hookimpl

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register: Callable[[Any], None]) -> None:
    # imported here, not at the top, so that loading the plugin stays fast
    from zwgk_score_tancheng.decisions import DecisionsCollector
    from zwgk_score_tancheng.requests import RequestsCollector

    register(DecisionsCollector())
    register(RequestsCollector())


@hookimpl
def register_notice_templates(register: Callable[[str, Path], None]) -> None:
    register("tancheng", TEMPLATES)
