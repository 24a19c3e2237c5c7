"""Registers the built-in output formats (输出格式) and the built-in notice templates.

The writers (xlsxwriter, python-docx …) are imported only when the hook is called.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from zwgk_score.hookspecs import hookimpl

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "notice"


@hookimpl
def register_exporters(register: Callable[[Any], None]) -> None:
    from zwgk_score.outputs.exporters import EXPORTERS
    from zwgk_score.outputs.site import SITE_EXPORTERS
    from zwgk_score.outputs.write import TablesExporter

    register(TablesExporter())
    for exporter in EXPORTERS:
        register(exporter)
    for exporter in SITE_EXPORTERS:
        register(exporter)


@hookimpl
def register_notice_templates(register: Callable[[str, str], None]) -> None:
    register("builtin", str(BUILTIN_TEMPLATES))
