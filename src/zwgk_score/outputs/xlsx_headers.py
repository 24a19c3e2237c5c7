"""Header texts of workbook tables (表头换行): the points in brackets kept on a line of their own.

A spreadsheet wraps a header where its column ends, between any two Chinese
characters, so "加强政务公开能力建设（15分）" in a column about six characters wide
shows "（15" at the end of one line and "分）" alone on the next.  Printed
assessment tables set the points under the name instead: "加强政务公开能力建设"
over "（15分）".  A header wider than its column is therefore written with a line
break before its last bracketed part; the name wraps by itself, and the bracket,
never wider than the column (:func:`~zwgk_score.outputs.excel.table_widths`),
stays whole.  A header that fits, or has no bracketed end, is left as it is.
"""

from __future__ import annotations

import re

from zwgk_score.outputs.textwidth import display_width

#: a name of at least two characters, then one bracketed part at the very end
_TAIL = re.compile(r"(?P<name>.{2,}?)(?P<tail>[（(][^（）()\n]+[)）])")


def header_text(name: str, width: float) -> str:
    """``name`` as the header of a column ``width`` characters wide (see the module docs)."""
    if "\n" in name or display_width(name) + 2 <= width:
        return name
    m = _TAIL.fullmatch(name)
    if m is None:
        return name
    return f"{m['name']}\n{m['tail']}"
