"""Registers the built-in output formats (输出格式)."""

from zwgk_score.hookspecs import hookimpl
from zwgk_score.outputs.write import TablesExporter


@hookimpl
def register_exporters(register):
    register(TablesExporter())
