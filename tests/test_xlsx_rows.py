"""RowStream writes the same worksheet bytes as xlsxwriter's own cell-by-cell calls."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_score.outputs import xlsx_rows
from zwgk_score.outputs.excel import SAFE_OPTIONS, Formats, write_cell
from zwgk_score.outputs.xlsx_rows import RowStream

CREATED = dt.datetime(2024, 1, 15)


def workbook(rows, heights, *, stream: bool, options=SAFE_OPTIONS) -> dict[str, bytes]:
    """Every part of a workbook whose rows 2… are ``rows``, written one way or the other.

    Written to a file: ``in_memory`` would turn ``constant_memory`` off.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.xlsx"
        fast = write(path, rows, heights, stream=stream, options=options)
        z = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        parts = {name: z.read(name) for name in z.namelist()}
    # the fast path needs xlsxwriter's private helpers (not in the declared minimum 3.1.9)
    assert fast == (bool(options.get("constant_memory")) and xlsx_rows._REPRODUCIBLE)
    return parts


def write(path, rows, heights, *, stream: bool, options) -> bool:
    """Write the workbook; whether the stream was in its fast mode."""
    with xlsxwriter.Workbook(str(path), options) as wb:
        wb.set_properties({"created": CREATED})
        formats = Formats(wb, 2)
        ws = wb.add_worksheet("表")
        ws.write_string(0, 0, "标题", formats.title)
        ws.write_string(1, 0, "表头", formats.header)
        writer = RowStream(ws, write_cell)
        for k, (values, height) in enumerate(zip(rows, heights, strict=True)):
            # formats first used in the last row must keep their place after the other sheet's
            last = k == len(rows) - 1
            fmts = [
                formats.get(
                    "number" if isinstance(v, float) else "wrap",
                    "#C6EFCE" if last else "#F4B183" if j else None,
                )
                for j, v in enumerate(values)
            ]
            if stream:
                writer.row(k + 2, values, fmts, height)
            else:
                if height is not None:
                    ws.set_row(k + 2, height)
                for j, v in enumerate(values):
                    write_cell(ws, k + 2, j, v, fmts[j])
        writer.close()
        # a second sheet: formats first used there are numbered after the first sheet's
        # (all but its last row, which xlsxwriter writes out when the workbook closes)
        other = wb.add_worksheet("表2")
        other.write_string(0, 0, "x", formats.get("center", "#FFC7CE"))
        other.write_number(1, 0, 1.0, formats.get("number", "#C6EFCE"))
        ws.autofilter(1, 0, len(rows) + 1, 3)
    return writer.fast


def test_plain_rows_equal_cell_by_cell():
    rows = [
        ["某某县", "政务公开", 12.5, 3],
        ["某某县", " 前导空格", float("nan"), -0.0],
        ['a&b<c>d"e', "尾随空格 ", 1e-7, 123456789012345.0],
        ["多行\n文字", "制表\t符", 0.1 + 0.2, 7],
    ]
    heights = [None, 40.5, None, 0.4]
    assert workbook(rows, heights, stream=True) == workbook(rows, heights, stream=False)


def test_rows_it_does_not_render_go_cell_by_cell():
    rows = [
        ["<r>像富文本</r>", "x", 1.0],  # xlsxwriter writes this as rich-string markup
        ["控制\x01字符_x0041_", "y", 2.0],
        ["长" * 20000, "z", 3.0],  # truncated by xlsxwriter to 32,767 UTF-16 units
        [True, None, 5],  # other types
        ["正常", "行", 4.0],
    ]
    heights = [None, None, 30.0, 0.0, 20.0]  # height 0 hides the row
    assert workbook(rows, heights, stream=True) == workbook(rows, heights, stream=False)


def test_without_constant_memory_every_row_goes_cell_by_cell():
    rows = [["甲", 1.0], ["乙", 2.0]]
    opts = {k: v for k, v in SAFE_OPTIONS.items() if k != "constant_memory"}
    assert workbook(rows, [None, 30.0], stream=True, options=opts) == workbook(
        rows, [None, 30.0], stream=False, options=opts
    )


VALUE = st.one_of(
    st.text(alphabet=st.sampled_from(list("政务ab _x0041\n\t&<>\"' 　\x02\ufffe1")), max_size=12),
    st.floats(allow_infinity=False),
    st.floats(0, 1000).map(lambda x: round(x, 2)),
    st.integers(-(10**6), 10**6),
    st.none(),
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(VALUE, min_size=1, max_size=4), min_size=1, max_size=8),
    data=st.data(),
)
def test_any_rows_equal_cell_by_cell(rows, data):
    heights = data.draw(
        st.lists(
            st.one_of(st.none(), st.floats(0.0, 400.0)), min_size=len(rows), max_size=len(rows)
        )
    )
    assert workbook(rows, heights, stream=True) == workbook(rows, heights, stream=False)
