"""Plugin hooks (插件钩子). Each receives a ``register`` callback.

See docs/plugins.md for a tutorial and each hook's exact signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("zwgk_score")
hookimpl = pluggy.HookimplMarker("zwgk_score")


@hookspec
def register_methods(register: Callable[[Any], None]) -> None:
    """Register scoring methods (评分方法): call ``register(method)`` with a Method instance."""


@hookspec
def register_collectors(register: Callable[[Any], None]) -> None:
    """Register collectors (采集器): call ``register(collector)``; it has ``name`` and ``collect(settings, ctx)``."""


@hookspec
def register_exporters(register: Callable[[Any], None]) -> None:
    """Register output formats (输出格式): call ``register(exporter)``; it has ``name`` and ``export(results, out_dir, options)``."""


@hookspec
def register_notice_templates(register: Callable[[str, str], None]) -> None:
    """Register notice templates (通报模板): call ``register(name, directory)`` with a folder of Jinja2 templates."""
