"""Registers the built-in scoring methods (imported when the hook is called)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zwgk_score.hookspecs import hookimpl


@hookimpl
def register_methods(register: Callable[[Any], None]) -> None:
    from zwgk_score.methods.builtin import BUILTIN_METHODS

    for cls in BUILTIN_METHODS:
        register(cls())
