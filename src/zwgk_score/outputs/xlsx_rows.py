"""Stream plain rows into a ``constant_memory`` xlsxwriter worksheet as ready-made XML.

For every cell xlsxwriter builds a tuple, an attribute list and an A1
reference, escapes them and writes them to its row file one by one: about
8 µs a cell, most of a large workbook's time.  A detail sheet (指标得分,
扣分明细) is a long run of rows of texts and numbers whose texts repeat
(units, indicators, statuses, reasons), so :class:`RowStream` renders each
row's ``<row>`` element itself — the XML xlsxwriter writes, byte for byte
(``tests/test_xlsx_rows.py`` compares the two on any cells) — with each
distinct text escaped once, and writes it in one call.

A row holding a cell it does not render the same way (a text xlsxwriter may
truncate, one that looks like its rich-string markup, a number that is not
finite, any other type, a cell without a format) goes through the ordinary
``write_*`` calls instead, as does every row when the worksheet is not in
``constant_memory`` mode.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

try:  # private helpers of the xlsxwriter releases whose row XML this reproduces
    from xlsxwriter.utility import _preserve_whitespace

    _REPRODUCIBLE = hasattr(Worksheet, "_escape_control_characters")
except ImportError:  # pragma: no cover - older xlsxwriter: every row goes cell by cell
    _REPRODUCIBLE = False

#: ``write_cell(ws, row, col, value, format)``: the ordinary, cell-by-cell way
CellWriter = Callable[[Worksheet, int, int, Any, Format], None]
#: distinct texts kept escaped; beyond this the cache starts again (memory stays bounded)
CACHE_TEXTS = 50_000


class RowStream:
    """Write whole rows of a worksheet, fast where the row is plain, else cell by cell."""

    def __init__(self, ws: Worksheet, write_cell: CellWriter, *, row_sizes: bool = True) -> None:
        """``row_sizes=False``: the heights of the rows are not kept after they are written.

        xlsxwriter keeps every set row height (``row_sizes``) only to place charts and
        images over the cells; a detail sheet has none, and a million rows' heights
        are a hundred MiB held until the workbook closes.  The file is the same.
        """
        self.ws = ws
        self.write_cell = write_cell
        self.row_sizes = row_sizes
        # only the mode whose XML is reproduced here: inline strings, no 2010 row attributes
        self.fast = _REPRODUCIBLE and bool(ws.constant_memory) and ws.excel_version == 2007
        self._tails: dict[str, str] = {}
        self._cols: list[str] = []
        self._strmax = ws.xls_strmax // 2  # shorter texts are never truncated
        self._held: tuple[int, Sequence[Any], Sequence[Format], float | None] | None = None

    def row(
        self,
        r: int,
        values: Sequence[Any],
        formats: Sequence[Format],
        height: float | None = None,
    ) -> None:
        """Write ``values`` (with ``formats``) as row ``r``, ``height`` points high if given.

        Rows must come in increasing order; call :meth:`close` after the last one.
        """
        if self._held is not None:
            self._emit(*self._held)
        self._held = (r, values, formats, height)

    def close(self) -> None:
        """Hand the last row to xlsxwriter, which keeps it pending as it does its own.

        xlsxwriter numbers a format (its ``s`` index) when it writes out the row that
        first uses it, and it writes a sheet's last row only when the workbook closes;
        leaving the last row to it keeps every number, hence every byte, the same.
        """
        if self._held is not None:
            self._slow(*self._held)
            self._held = None

    def _emit(
        self, r: int, values: Sequence[Any], formats: Sequence[Format], height: float | None
    ) -> None:
        ws = self.ws
        n = len(values)
        if not self.fast or not n or ws._check_dimensions(r, 0) or ws._check_dimensions(r, n - 1):
            self._slow(r, values, formats, height)
            return
        pixels = None if height is None else int(height * 4.0 / 3.0 + 0.5)
        if pixels == 0:  # xlsxwriter hides a row of height 0
            self._slow(r, values, formats, height)
            return
        ws._write_single_row(r)  # the pending row (title, header, a slow row) goes out first
        while len(self._cols) < n:
            self._cols.append(xl_col_to_name(len(self._cols)))
        tails = self._tails
        rs = str(r + 1)
        parts = []
        for i, value in enumerate(values):
            f = formats[i]
            t = type(value)
            if f is None:
                break
            if t is str:
                tail = tails.get(value)
                if tail is None:
                    tail = self._tail(value)
                    if tail is None:
                        break
                parts.append(f'<c r="{self._cols[i]}{rs}" s="{f._get_xf_index()}"{tail}')
            elif t is float:
                if value != value:
                    parts.append(f'<c r="{self._cols[i]}{rs}" s="{f._get_xf_index()}"/>')
                elif math.isinf(value):
                    break
                else:
                    parts.append(
                        f'<c r="{self._cols[i]}{rs}" s="{f._get_xf_index()}"><v>{value:.16G}</v></c>'
                    )
            elif t is int:
                number = float(value)
                parts.append(
                    f'<c r="{self._cols[i]}{rs}" s="{f._get_xf_index()}"><v>{number:.16G}</v></c>'
                )
            else:
                break
        else:
            size = ws.default_row_height if pixels is None else pixels
            head = f'<row r="{rs}"'
            if size != ws.original_row_height or size != ws.default_row_height:
                head += f' ht="{size * 0.75:.16g}" customHeight="1"'
            if pixels is not None and self.row_sizes:
                ws.row_sizes[r] = [pixels, False]
            ws.fh.write(f"{head}>{''.join(parts)}</row>")
            return
        # a cell this stream does not render: the row goes cell by cell (formats of the
        # cells before it already have their index, in the same order xlsxwriter gives it)
        self._slow(r, values, formats, height)

    def _tail(self, text: str) -> str | None:
        """The cell XML after its ``s`` attribute for ``text``, or None if not reproduced here."""
        if len(text) > self._strmax:
            return None
        escaped = self.ws._escape_control_characters(text)
        if escaped.startswith("<r>") and escaped.endswith("</r>"):
            return None
        space = ' xml:space="preserve"' if _preserve_whitespace(escaped) else ""
        data = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        tail = f' t="inlineStr"><is><t{space}>{data}</t></is></c>'
        if len(self._tails) >= CACHE_TEXTS:
            self._tails.clear()
        self._tails[text] = tail
        return tail

    def _slow(
        self, r: int, values: Sequence[Any], formats: Sequence[Format], height: float | None
    ) -> None:
        if height is not None:
            self.ws.set_row(r, height)
            if not self.row_sizes:
                self.ws.row_sizes.pop(r, None)
        for i, value in enumerate(values):
            self.write_cell(self.ws, r, i, value, formats[i])
