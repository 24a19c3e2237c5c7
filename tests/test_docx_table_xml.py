"""The notice's tables, rendered as one XML string, equal python-docx's cell-by-cell build.

``reference_table`` is the previous implementation (python-docx calls per row, cell
and run), kept here as the oracle: for any rows the string-rendered table must give
the same elements, hence the same bytes in 通报.docx.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from zwgk_score.outputs import docx_render as d
from zwgk_score.outputs.textwidth import display_width


def _row_props(tr: Any, *, header: bool) -> None:
    trpr = tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    if header:
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trpr.append(el)


def reference_table(
    doc: Any,
    rows: Sequence[Sequence[str]],
    available_pt: float,
    numeric: Sequence[bool] = (),
    *,
    compact: bool = False,
) -> Any:
    """The table built with python-docx, node by node (the implementation before issue 17)."""
    ncols = max(len(r) for r in rows)
    layout = d.table_layout(rows, available_pt, numeric, compact=compact)
    size, widths, margin = layout.size, layout.widths, layout.margin
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = 1
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    d.insert_child(tblpr, layout)
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = d.insert_child(tblpr, OxmlElement("w:tblW"))
    mar = OxmlElement("w:tblCellMar")
    for side, w in (("top", 0), ("left", margin), ("bottom", 0), ("right", margin)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(w))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    d.insert_child(tblpr, mar)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(widths) * 20)))
    for j, col in enumerate(table.columns):
        col.width = Twips(int(widths[j] * 20))
    left_cols = [
        max((display_width(r[j]) for r in rows[1:] if j < len(r)), default=0) > 24
        for j in range(ncols)
    ]
    for i, row in enumerate(rows):
        tr = table.rows[i]
        _row_props(tr._tr, header=i == 0)
        for j in range(ncols):
            text = row[j] if j < len(row) else ""
            cell = tr.cells[j]
            cell.width = Twips(int(widths[j] * 20))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            pf = p.paragraph_format
            number = d._is_number(text)
            if i == 0 or number or not left_cols[j]:
                pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(round(size * (1.08 if compact else 1.3), 1))
            d._no_grid(p)
            if number and i:
                tcpr = cell._tc.get_or_add_tcPr()
                d.insert_child(tcpr, OxmlElement("w:noWrap"))
            if i == 0 and (m := d._HEAD_POINTS.match(text)):
                text = f"{m[1]}\n{m[2]}"
            if i == 0:  # a header that would leave one character alone: even lines
                text = d.head_lines(text, int((int(widths[j] * 20) - 2 * margin) // (size * 20)))
            d.add_text_nodes(p, text, d.H1_FONT if i == 0 else d.BODY_FONT, size)
    return table


def both(rows: Sequence[Sequence[str]], *, compact: bool = False, width: float = 440.0) -> tuple:
    """The serialized table from the reference and from the string renderer."""
    mine, ref = d._Renderer(), d._Renderer()
    a = reference_table(ref.doc, rows, width, compact=compact)
    b = d._table(mine.doc, rows, width, compact=compact)
    # same place in the body (before the section properties) and the same bytes
    assert b._tbl.getparent() is mine.doc.element.body
    assert mine.doc.element.body[-1].tag == qn("w:sectPr")
    return etree.tostring(a._tbl), etree.tostring(b._tbl)


def test_ranking_table_equals_python_docx():
    rows = [
        ["排名", "单位", "信息发布（25分）", "总分（100分）", "等次"],
        ["1", "某某县政务服务管理局", "24.50", "95.50", "优秀"],
        ["2", "B 2018年 item-3 ab", "—", "88", "良好"],
        [
            "3",
            "很长的一段失分原因文字：未按要求公开2023年度财政预决算信息，且超过规定时限",
            "",
            "-1.5",
            "",
        ],
        ["4", "短"],  # a ragged row: missing cells are empty
    ]
    for compact in (False, True):
        ref, mine = both(rows, compact=compact)
        assert mine == ref


def test_special_characters_equal_python_docx():
    rows = [
        ["名称", "说明"],
        [" 前导空格", "尾随空格 "],
        ["a&b<c>d", "制表\t符"],
        ["回车\r换行", "　全角空格开头"],
        ["多行\n第二行", "\n"],
    ]
    ref, mine = both(rows)
    assert mine == ref


CELL = st.text(
    alphabet=st.sampled_from(list("政务公开（）分。、ab Z09.,%-—↑↓\t\n&<>\"'　12")), max_size=30
)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=6),
    compact=st.booleans(),
)
def test_any_table_equals_python_docx(rows, compact):
    ref, mine = both(rows, compact=compact)
    assert mine == ref


def test_squeezed_table_equals_python_docx():
    # 14 columns of 一级指标 on 440 pt: too wide at 小五, set with the tight cell margin
    rows = [["排名", "单位", *[f"一级指标{i}（9.5）" for i in range(12)]]]
    rows += [[str(i), f"单位{i:06d}", *["7.27"] * 12] for i in range(3)]
    assert d.table_layout(rows, 440.0).margin == d.TIGHT_MARGIN
    ref, mine = both(rows)
    assert mine == ref
    assert b'w:w="28"' in mine


TEXT = st.text(
    alphabet=st.sampled_from(list("政务公开（）分。、ab Z09.,%-—↑↓\t\n\r&<>\"'　12")), max_size=60
)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(TEXT, min_size=1, max_size=3),
    font=st.sampled_from([d.BODY_FONT, d.H1_FONT, d.H2_FONT]),
    size=st.sampled_from([d.SIZE_3, d.SIZE_4, 12.0, 9.0, 7.5, 18.0]),
)
def test_paragraph_runs_equal_python_docx(texts, font, size):
    """add_text renders the runs as text; add_text_nodes, the python-docx build, is the oracle."""
    mine, ref = d._Renderer(), d._Renderer()
    a, b = d._paragraph(ref.doc, ""), d._paragraph(mine.doc, "")
    for text in texts:  # a paragraph made of several pieces (a run-in heading and its text)
        d.add_text_nodes(a, text, font, size)
        d.add_text(b, text, font, size)
    assert etree.tostring(b._p) == etree.tostring(a._p)


def test_a_long_paragraph_is_written_in_with_the_same_bytes(monkeypatch):
    """A paragraph over LONG_TEXT characters keeps its runs out of the tree until saving."""
    names = "、".join(f"单位{i:06d}（指标D{i % 10}.{i % 19}）" for i in range(400))
    markdown = f"# 通报\n\n另有400个单位部分指标数据缺失：{names}。\n\n第二段 2024 年。\n"
    created = dt.datetime(2024, 1, 15)
    monkeypatch.setattr(d, "LONG_TEXT", 10**9)  # every paragraph in the tree
    whole = d.docx_bytes(markdown, created=created)
    monkeypatch.setattr(d, "LONG_TEXT", 1000)
    deferred = d.docx_bytes(markdown, created=created)
    assert len(names) > 1000
    assert deferred == whole


@settings(max_examples=80, deadline=None)
@given(
    align=st.sampled_from(list(d._JC)),
    first_indent=st.sampled_from([0.0, 2 * d.SIZE_3, -20.0, -47.9, 12.3]),
    left=st.sampled_from([0.0, 40.0, 87.99]),
    right=st.sampled_from([0.0, d.SIZE_4, 3.33]),
    line=st.sampled_from([None, d.LINE, 33.0, 12.6]),
    before=st.sampled_from([0.0, 3.0, 2 * d.LINE, 160.45]),
    after=st.sampled_from([0.0, 6.0, d.LINE]),
    page_break=st.booleans(),
    keep_next=st.booleans(),
    text=TEXT,
)
def test_paragraph_properties_equal_python_docx(text, **kw):
    """_paragraph renders its properties as text; _paragraph_nodes (paragraph_format) is the oracle."""
    mine, ref = d._Renderer(), d._Renderer()
    a, b = d._paragraph_nodes(ref.doc, text, **kw), d._paragraph(mine.doc, text, **kw)
    assert b._p.getparent() is mine.doc.element.body
    assert mine.doc.element.body[-1].tag == qn("w:sectPr")
    assert etree.tostring(b._p) == etree.tostring(a._p)
