"""Row heights for wrapped cells (换行行高).

LibreOffice and WPS do not grow a row to fit wrapped text written by
xlsxwriter (Excel only does when it recalculates), so text prints over the
next row.  Every writer that wraps text sets the height itself: the number of
lines the widest cell needs, from its display width (CJK characters count 2,
as in an Excel column width) and the column width.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

from zwgk_score.outputs.textwidth import display_width

#: points per line of 10.5–11 pt CJK text, as LibreOffice lays it out (Noto/宋体 line gap)
LINE_PT = 13.5
#: padding above and below the text of a row
PAD_PT = 3.0


@functools.lru_cache(maxsize=65536)
def _lines(text: str, width: float) -> int:
    usable = max(width * 0.95 - 1.5, 1.0)  # cell padding, and words of Latin text wrap early
    return sum(
        max(1, math.ceil(display_width(line) / usable)) for line in text.splitlines() or [""]
    )


def lines_needed(text: object, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (explicit line breaks kept).

    Cached by text and width: sheets repeat indicator names, reasons and deadlines.
    """
    return _lines(str(text), width)


def row_height(cells: Iterable[tuple[object, float]], *, line_pt: float = LINE_PT) -> float:
    """Height (points) of a row whose cells are ``(text, column width)`` pairs."""
    return lines_height(max((lines_needed(t, w) for t, w in cells), default=1), line_pt=line_pt)


def lines_height(lines: int, *, line_pt: float = LINE_PT) -> float:
    """Height (points) of a row of ``lines`` lines."""
    return round(lines * line_pt + PAD_PT, 1)
