"""Header texts of workbook summaries (表头换行): broken into lines here, not by the spreadsheet.

A spreadsheet wraps a header where its column ends, between any two Chinese
characters, and where that is depends on the program and its fonts: one
rendering of 「加强政务公开能力建设（15分）」 showed 「（15」 at the end of a line and
「分）」 alone on the next; another put 「单项否」 over 「决」, or began a line with
「，」.  A summary a leader prints is therefore written with its own line breaks
(:func:`header_lines`), as a clerk sets a printed 考核结果 table:

* the points in brackets at the end go on a line of their own (「（15分）」);
* the name is broken into as few lines as fit the column, as even as possible,
  after a comma or 、 where it can; a number or bracket is never split, no line
  begins with closing punctuation and none has a single character;
* every line fits what Excel and WPS show in the column (11 pt 宋体: a Chinese
  character takes about 2.1 of the column's width units), so no program breaks
  a line again.

A header that fits on one line is left as it is.
"""

from __future__ import annotations

import math
import re

from zwgk_score.outputs.rowheight import lines_needed
from zwgk_score.outputs.textwidth import display_width

#: a name of at least two characters, then one bracketed part at the very end
_TAIL = re.compile(r"(?P<name>.{2,}?)(?P<tail>[（(][^（）()\n]+[)）])")
#: what is never split: a bracketed part, a number
_TOKEN = re.compile(r"[（(][^（）()]*[)）]|[\d.%]+")
#: no line begins with these
_CLOSING = set("，。、；：！？）》」』,.;:!?)%")
#: a break after these is a clause's end
_SOFT = set("，、；：,;")
#: width units of a column a line of 11 pt 宋体 fills (Chinese characters count 2)
FILL = 0.95


def header_lines(name: str, width: float) -> list[str]:
    """The lines of header ``name`` in a column ``width`` characters wide (see the module docs)."""
    if "\n" in name or display_width(name) + 2 <= width:
        return name.split("\n")
    m = _TAIL.fullmatch(name)
    head, tail = (m["name"], [m["tail"]]) if m else (name, [])
    cap = max(math.floor(width * FILL), 4)
    return (_balanced(head, cap) or [head]) + tail


def header_text(name: str, width: float) -> str:
    """:func:`header_lines` joined by line breaks, as the cell holds them."""
    return "\n".join(header_lines(name, width))


def header_height(lines: list[str], width: float) -> int:
    """The lines ``lines`` take in the column: one each where it fits, else as it wraps."""
    cap = max(math.floor(width * FILL), 4)
    return sum(1 if display_width(x) <= cap else lines_needed(x, width) for x in lines)


def _balanced(text: str, cap: int) -> list[str] | None:
    """``text`` in the fewest lines of at most ``cap`` units, filled as a clerk fills them.

    Dynamic programming over the allowed breaks: each line has at least two
    characters and fits ``cap``; among the splits with the fewest lines, the one
    with the fewest breaks that do not follow a comma, then the fullest lines
    (the smallest sum of squared room left on every line but the last, which
    may be short but never a single character): 「深化重点／领域信息／公开」.
    None if no split fits (the cell then wraps by itself).
    """
    n = len(text)
    if n < 2 or display_width(text) <= cap:
        return [text]
    inside = {i for m in _TOKEN.finditer(text) for i in range(m.start() + 1, m.end())}
    cuts = [0] + [
        i
        for i in range(2, n - 1)
        if i not in inside and text[i] not in _CLOSING and text[i - 1] not in "（(《「『"
    ]
    ends = [*cuts[1:], n]
    width_to = [0]
    for ch in text:
        width_to.append(width_to[-1] + display_width(ch))
    # best[j] = (lines, hard breaks, squared room left, -sum of the breaks, previous cut) for
    # text[:j]; the fourth, a tie-break, fills the earlier lines first (「聚焦重点／领域，」)
    best: dict[int, tuple[int, int, int, int, int]] = {0: (0, 0, 0, 0, -1)}
    for j in ends:
        for i in cuts:
            if i >= j - 1 or i not in best:
                continue
            w = width_to[j] - width_to[i]
            if w > cap:
                continue
            lines, hard, squares, later, _ = best[i]
            hard += 0 if i == 0 or text[i - 1] in _SOFT else 1
            room = 0 if j == n else (cap - w) ** 2
            cand = (lines + 1, hard, squares + room, later - i, i)
            if j not in best or cand[:4] < best[j][:4]:
                best[j] = cand
    if n not in best:
        return None
    out, j = [], n
    while j > 0:
        i = best[j][4]
        out.append(text[i:j])
        j = i
    return out[::-1]
