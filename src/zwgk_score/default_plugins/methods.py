"""Registers the built-in scoring methods."""

from zwgk_score.hookspecs import hookimpl
from zwgk_score.methods.builtin import BUILTIN_METHODS


@hookimpl
def register_methods(register):
    for cls in BUILTIN_METHODS:
        register(cls())
