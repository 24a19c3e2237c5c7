"""Lazily imported package exports (PEP 562): a name's module is imported on first use.

``zwgk_score``, ``zwgk_score.plugin`` and ``zwgk_score.inspection`` export
names whose modules import pandas and friends; importing them only when a
name is used keeps ``zwgk-score --help`` and ``PluginHost()`` fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_getattr(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """The module ``__getattr__`` of ``package``: ``exports`` maps a name to its module.

    The first use imports the module and caches the value in ``package``, so
    later uses are plain attribute reads.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
