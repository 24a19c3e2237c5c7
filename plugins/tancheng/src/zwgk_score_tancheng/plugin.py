"""Hook implementations of the 郯城县 plugin: two collectors and the notice templates."""

from __future__ import annotations

from pathlib import Path

from zwgk_score.hookspecs import hookimpl
from zwgk_score_tancheng.decisions import DecisionsCollector
from zwgk_score_tancheng.requests import RequestsCollector

TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_collectors(register):
    register(DecisionsCollector())
    register(RequestsCollector())


@hookimpl
def register_notice_templates(register):
    register("tancheng", TEMPLATES)
