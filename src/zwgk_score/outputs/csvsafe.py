"""Formula-safe CSV (防公式注入的 CSV).

Excel, WPS and LibreOffice run a CSV cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula, so a unit named
``=HYPERLINK(...)`` would become a live link.  As the OWASP guidance on CSV
injection advises, such a text cell is written with a leading apostrophe
(``'=HYPERLINK(...)``), which the spreadsheet shows as the literal text.
Numbers (also negative ones) stay numbers; every cell is quoted as needed by
the CSV writer, so a separator inside a cell cannot start a new cell.
"""

from __future__ import annotations

import re

import pandas as pd

#: First characters that make a spreadsheet treat a cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


def safe_cell(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula.

    >>> safe_cell("=1+1"), safe_cell("-3+4"), safe_cell("@SUM(A1)"), safe_cell("甲局")
    ("'=1+1", "'-3+4", "'@SUM(A1)", '甲局')
    >>> safe_cell(-2.5), safe_cell("-2.5")
    (-2.5, '-2.5')
    """
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and header made formula-safe."""
    out: pd.DataFrame = frame.map(safe_cell)
    out.columns = [safe_cell(str(c)) for c in frame.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as formula-safe CSV text with a BOM (so that Excel shows the Chinese)."""
    return "\ufeff" + safe_frame(frame).to_csv(index=False)
