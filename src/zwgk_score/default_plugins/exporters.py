"""Registers the built-in output formats (输出格式) and the built-in notice templates."""

from pathlib import Path

from zwgk_score.hookspecs import hookimpl
from zwgk_score.outputs.exporters import EXPORTERS
from zwgk_score.outputs.site import SITE_EXPORTERS
from zwgk_score.outputs.write import TablesExporter

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "notice"


@hookimpl
def register_exporters(register):
    register(TablesExporter())
    for exporter in EXPORTERS:
        register(exporter)
    for exporter in SITE_EXPORTERS:
        register(exporter)


@hookimpl
def register_notice_templates(register):
    register("builtin", str(BUILTIN_TEMPLATES))
