"""Display width of text (显示宽度): CJK characters take two columns."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable


def display_width(text: object) -> int:
    """Width of ``text`` in monospace columns: wide/full-width characters count 2.

    >>> display_width("政务公开 ab")
    11
    """
    s = str(text)
    if s.isascii():
        return len(s)
    return _wide_width(s)


@functools.lru_cache(maxsize=8192)
def _wide_width(s: str) -> int:
    # memoised: a run measures the same unit names, reasons and headers many times over
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def column_width(values: Iterable[object], *, minimum: int = 6, maximum: int = 60) -> float:
    """An Excel column width that fits the widest of ``values`` (longest line), with padding."""
    widest = 0
    for v in values:
        for line in str(v).splitlines() or [""]:
            widest = max(widest, display_width(line))
    return float(min(max(widest + 2, minimum), maximum))
