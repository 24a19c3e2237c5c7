"""Rubric stage (考核细则): load and validate TOML rubrics."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zwgk_score.errors import RubricError
from zwgk_score.methods.base import Method
from zwgk_score.rubric.build import build_rubric, check_finite
from zwgk_score.rubric.model import PERFORMANCE_SHARE_FLOOR, Grade, Group, Node, Rubric
from zwgk_score.rubric.raw import RawRubric
from zwgk_score.structure import load_toml, structure

__all__ = [
    "PERFORMANCE_SHARE_FLOOR",
    "Grade",
    "Group",
    "Node",
    "Rubric",
    "load_rubric",
    "parse_rubric",
]


def parse_rubric(
    data: Mapping[str, Any],
    *,
    file: str | Path | None = None,
    methods: Mapping[str, Method[Any]] | None = None,
) -> Rubric:
    """Build a :class:`Rubric` from an already parsed TOML mapping."""
    if methods is None:
        from zwgk_score.plugins import get_methods

        methods = get_methods()
    check_finite(data, file)
    raw = structure(dict(data), RawRubric, error=RubricError, file=file)
    return build_rubric(raw, methods, file)


#: rubrics loaded in this process: (path as given, content digest, methods) → (methods, rubric)
_LOADED: dict[tuple[str, str, bytes, int], tuple[Mapping[str, Method[Any]], Rubric]] = {}
_LOADED_MAX = 8


def load_rubric(path: str | Path, *, methods: Mapping[str, Method[Any]] | None = None) -> Rubric:
    """Load and validate a TOML rubric (考核细则) file.

    A file loaded again with the same bytes and the same methods (the periods
    of a combined run, a plugin's collector reading the rubric for each
    quarter) gives the same (immutable) :class:`Rubric` without parsing again.

    Raises:
        RubricError: naming the file, the path inside it and, for TOML syntax
            errors, the line and column.
    """
    if methods is None:
        from zwgk_score.plugins import get_methods

        methods = get_methods()
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).digest()
    except OSError:  # missing, unreadable: load_toml names the problem
        return parse_rubric(load_toml(path, error=RubricError), file=path, methods=methods)
    key = (type(path).__name__, str(path), digest, id(methods))
    hit = _LOADED.get(key)
    if hit is not None and hit[0] is methods:
        return hit[1]
    rubric = parse_rubric(load_toml(path, error=RubricError), file=path, methods=methods)
    if len(_LOADED) >= _LOADED_MAX:
        del _LOADED[next(iter(_LOADED))]
    _LOADED[key] = (methods, rubric)
    return rubric
