"""Render the notice Markdown to DOCX laid out per GB/T 9704-2012 (党政机关公文格式).

A4 with margins top 37 / bottom 35 / left 28 / right 26 mm and a document
grid of 22 lines × 28 characters (``w:docGrid`` type ``linesAndChars``);
title in 2号 (22 pt) 方正小标宋简体, centred, broken into balanced lines; body
in 3号 (16 pt) 仿宋_GB2312; 一、 headings in 黑体, （一） headings in 楷体 (a
run-in heading "（一）抓好问题整改。" has only its heading part in 楷体),
headings kept with the next paragraph; the attachment note hangs under the
first character of the first name; the issuer is centred over the date; page
numbers "— N —" in 4号 宋体, odd pages right, even pages left.  An attachment
starts on a new page with 附件1 in 3号黑体; a wide table goes on landscape pages
whose page numbers stay on the sheet's sides (GB/T 9704 横排表格).  Tables:
widths weighted by content (CJK counts double), numbers on one line, rows
never split, the header row repeated on each page.  Document language zh-CN.

python-docx's ``font.name`` only sets the Latin font, so every run also gets
``w:eastAsia``; the PAGE fields, odd/even footers and text boxes are raw XML.
The package is rewritten with fixed timestamps so the same Markdown gives the
same bytes; a table of more than :data:`LONG_TABLE_ROWS` body rows (the
ranking of a national assessment lists 40,000 units) keeps its rows out of the
lxml tree and is written into ``word/document.xml`` when saving
(:mod:`zwgk_score.outputs.docx_package`), with the same bytes.
"""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from zwgk_score.atomic import atomic_write_bytes
from zwgk_score.outputs.docx_package import TableBodies, package_entries, write_package
from zwgk_score.outputs.mdblocks import Block, parse_blocks
from zwgk_score.outputs.textwidth import display_width

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
SIZE_2 = 22.0  # 2号
SIZE_3 = 16.0  # 3号
SIZE_4 = 14.0  # 4号
TABLE_SIZES = (12.0, 10.5, 9.0)
#: an attachment with more table rows than this is set in 小五 with tight lines
COMPACT_ROWS = 20  # 小四, 五号, 小五: the largest that fits is used
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_W_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
TEXT_H_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
LINES, CHARS = 22, 28
LINE_TWIPS = int(TEXT_H_MM / 25.4 * 1440 / LINES)  # 579: 22 lines on the 225 mm block
LINE = LINE_TWIPS / 20  # exact line spacing in points (28.95)
#: extra character pitch (1/4096 pt) that puts 28 characters of 3号 on a 156 mm line
CHAR_SPACE = round((TEXT_W_MM / 25.4 * 72 / CHARS - SIZE_3) * 4096)
#: the same squeeze as character spacing of each 3号 run (twentieths of a point), so the text
#: block holds 28 characters a line also where the grid is not applied (LibreOffice, WPS)
PITCH_TWIPS = math.floor((TEXT_W_MM / 25.4 * 72 / CHARS - SIZE_3) * 20)
FOOTER_MM = 28  # the page-number line sits about 7 mm under the text block
RED = "FF0000"
#: a table with more body rows than this keeps them out of the lxml tree (docx_package)
LONG_TABLE_ROWS = 200
_RUN_IN = re.compile(r"^(（[一二三四五六七八九十]+）[^。：]{1,30}。)(.+)$")
_HEAD_POINTS = re.compile(r"^(.+?)(（[\d.]+分?）)$")
_HEAD_TOKEN = re.compile(r"[（(][\d.%]+[)）]|[\d.%]+|.")
_NUMBER = re.compile(r"^[-+−—↑↓]?\d[\d.,%]*$|^[—–-]$")


_ORDER = {
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect "
    "bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
    "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
}


def insert_child(parent: Any, child: Any) -> Any:
    """Insert ``child`` into ``parent`` at its place in the schema's sequence (Word is strict)."""
    kind = parent.tag.rsplit("}", 1)[-1]
    order = _ORDER[kind].split()
    name = child.tag.rsplit("}", 1)[-1]
    old = parent.find(child.tag)
    if old is not None:
        parent.remove(old)
    pos = order.index(name)
    for i, el in enumerate(parent):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in order and order.index(tag) > pos:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def set_run_font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    """Set the Latin and the East-Asian font (``w:eastAsia``) and size of a run.

    A run without properties yet (the usual case) gets a copy of the ``w:rPr``
    these settings build on an empty run (:func:`_font_properties`): the same
    XML, without python-docx building it element by element each time.
    """
    r = run._element
    if r.rPr is None:
        r.insert(0, copy.deepcopy(_font_properties(name, size, bold)))
        return
    _apply_font(run, name, size, bold=bold)


@functools.lru_cache(maxsize=64)
def _font_properties(name: str, size: float, bold: bool) -> Any:
    """The ``w:rPr`` :func:`set_run_font` gives a run that had none (a template: copy it)."""
    run = Run(OxmlElement("w:r"), None)  # type: ignore[arg-type]  # no part needed for fonts
    _apply_font(run, name, size, bold=bold)
    return run._element.rPr


def _apply_font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:ascii"), name)
    rfonts.set(qn("w:hAnsi"), name)
    if size == SIZE_3:
        # 28 characters of 3号 on the 156 mm line: each character 0.2 pt narrower (字距)
        sp = OxmlElement("w:spacing")
        sp.set(qn("w:val"), str(PITCH_TWIPS))
        insert_child(run._element.get_or_add_rPr(), sp)


_LATIN = re.compile(r"([0-9A-Za-z][0-9A-Za-z.,:/%\-]*[0-9A-Za-z%]|[0-9A-Za-z])")


def add_text(p: Paragraph, text: str, font: str, size: float, *, color: str | None = None) -> None:
    """Add ``text`` to ``p``: ``\n`` becomes a line break; numbers and Latin words are runs of
    their own marked en-US, so no renderer breaks a number (2018, 10.10) across lines while the
    document language stays zh-CN.

    The runs are rendered as WordprocessingML text (:class:`_RunXml`), the same elements
    :func:`add_text_nodes` builds with python-docx run by run; a paragraph longer than
    :data:`LONG_TEXT` characters (a national notice names thousands of units in one) while
    a document is being rendered (:func:`docx_bytes`) keeps its runs out of the lxml tree,
    written into ``word/document.xml`` when saving.  Coloured text: :func:`add_text_nodes`.
    """
    if color is not None:
        add_text_nodes(p, text, font, size, color=color)
        return
    runs = _run_xml(font, size)
    bodies = _BODIES.get()
    if bodies is not None and len(text) > LONG_TEXT:
        p._p.append(bodies.add(runs._runs(text)))
        return
    xml = "".join(runs._runs(text))
    if xml:
        p._p.extend(list(parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>")))


#: a paragraph of more characters than this keeps its runs out of the lxml tree
LONG_TEXT = 20_000
#: where long paragraphs' runs go while :func:`docx_bytes` renders a document
_BODIES: contextvars.ContextVar[TableBodies | None] = contextvars.ContextVar(
    "zwgk_docx_bodies", default=None
)


def add_text_nodes(
    p: Paragraph, text: str, font: str, size: float, *, color: str | None = None
) -> None:
    """:func:`add_text` built with python-docx, run by run (coloured text; the tests' oracle)."""
    for k, part in enumerate(text.split("\n")):
        for j, piece in enumerate(_LATIN.split(part)):
            if not piece and not (k and j == 0):
                continue
            run = p.add_run(piece)
            if k and j == 0:
                run._r.insert(0, OxmlElement("w:br"))
            set_run_font(run, font, size)
            if color:
                run.font.color.rgb = RGBColor.from_string(color)
            if j % 2:
                lang = OxmlElement("w:lang")
                lang.set(qn("w:val"), "en-US")
                lang.set(qn("w:eastAsia"), "zh-CN")
                insert_child(run._element.get_or_add_rPr(), lang)


def _no_grid(p: Paragraph) -> None:
    """Lay the paragraph out by its own spacing, not on the document grid."""
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    insert_child(p._p.get_or_add_pPr(), el)


def _paragraph(
    container: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = SIZE_3,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_indent: float = 2 * SIZE_3,
    left: float = 0.0,
    right: float = 0.0,
    line: float | None = LINE,
    before: float = 0.0,
    after: float = 0.0,
    page_break: bool = False,
    keep_next: bool = False,
    color: str | None = None,
) -> Paragraph:
    """Append a paragraph to the document ``container`` and return it.

    Its properties are rendered as WordprocessingML text and parsed once: the same
    elements :func:`_paragraph_nodes` sets through python-docx's ``paragraph_format``
    (``tests/test_docx_table_xml.py`` compares them), at a fraction of the cost.
    """
    ind = ""
    if first_indent:
        key = "hanging" if first_indent < 0 else "firstLine"
        ind += f' w:{key}="{Pt(abs(first_indent)).twips}"'
    if left:
        ind += f' w:left="{Pt(left).twips}"'
    if right:
        ind += f' w:right="{Pt(right).twips}"'
    spacing = f'w:before="{Pt(before).twips}" w:after="{Pt(after).twips}"'
    if line:
        spacing += f' w:lineRule="exact" w:line="{Pt(line).twips}"'
    xml = (
        f"<w:p {nsdecls('w')}><w:pPr>"
        + ("<w:keepNext/>" if keep_next else "")
        + ("<w:pageBreakBefore/>" if page_break else "")
        + f'<w:widowControl/><w:snapToGrid w:val="0"/><w:spacing {spacing}/>'
        + (f"<w:ind{ind}/>" if ind else "")
        + f'<w:jc w:val="{_JC[align]}"/></w:pPr></w:p>'
    )
    el = parse_xml(xml)
    container.element.body._insert_p(el)
    p = Paragraph(el, container._body)
    if text:
        add_text(p, text, font, size, color=color)
    return p


_JC = {
    WD_ALIGN_PARAGRAPH.JUSTIFY: "both",
    WD_ALIGN_PARAGRAPH.CENTER: "center",
    WD_ALIGN_PARAGRAPH.LEFT: "left",
    WD_ALIGN_PARAGRAPH.RIGHT: "right",
}


def _paragraph_nodes(
    container: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = SIZE_3,
    align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_indent: float = 2 * SIZE_3,
    left: float = 0.0,
    right: float = 0.0,
    line: float | None = LINE,
    before: float = 0.0,
    after: float = 0.0,
    page_break: bool = False,
    keep_next: bool = False,
    color: str | None = None,
) -> Paragraph:
    """:func:`_paragraph` built with python-docx's ``paragraph_format`` (the tests' oracle)."""
    p = container.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Pt(first_indent) if first_indent else None
    pf.left_indent = Pt(left) if left else None
    pf.right_indent = Pt(right) if right else None
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    pf.page_break_before = page_break or None
    pf.widow_control = True
    pf.keep_with_next = keep_next or None
    _no_grid(p)  # laid out by exact spacing and character pitch, identical with or without grid
    if text:
        add_text(p, text, font, size, color=color)
    return p  # type: ignore[no-any-return]


def _field_run(
    p: Paragraph, kind: str | None = None, instr: str | None = None, text: str = ""
) -> Any:
    run = p.add_run(text)
    if kind:
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)
    if instr:
        el = OxmlElement("w:instrText")
        el.set(qn("xml:space"), "preserve")
        el.text = instr
        run._r.append(el)
    set_run_font(run, PAGE_FONT, SIZE_4)
    return run


def _page_number_runs(p: Paragraph) -> None:
    _field_run(p, text="— ")
    _field_run(p, "begin")
    _field_run(p, instr=" PAGE ")
    _field_run(p, "separate")
    _field_run(p, text="1")
    _field_run(p, "end")
    _field_run(p, text=" —")


def add_page_number(footer: Any, *, odd: bool) -> None:
    """``— N —`` in 4号宋体: odd pages right-aligned, even pages left, one character in."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    pf = p.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        pf.right_indent = Pt(SIZE_4)
    else:
        pf.left_indent = Pt(SIZE_4)
    _no_grid(p)
    _page_number_runs(p)


_SHAPE_ID = [100]


def _side_page_number(header: Any, *, odd: bool) -> None:
    """A landscape page's number on the sheet's side, turned with the sheet (GB/T 9704 横排表格).

    The table's top lies at the binding edge; read as a portrait sheet the number
    stays where a portrait page has it: an odd page's near the bottom-right corner
    (here: the left edge, low), an even page's near the bottom-left (left edge, high).
    """
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    _no_grid(p)
    emu = 36000  # per mm
    w, h = 8 * emu, 30 * emu
    x = (MARGINS_MM["bottom"] - 7) * emu - w
    y = (210 - MARGINS_MM["right"] - 5) * emu - h if odd else (MARGINS_MM["left"] + 5) * emu
    _SHAPE_ID[0] += 1
    inner = _page_number_xml()
    xml = (
        f"<w:r {nsdecls('w', 'wp', 'a')} "
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        'relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{w}" cy="{h}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{_SHAPE_ID[0]}" name="页码{_SHAPE_ID[0]}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f"<wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"
    )
    p._p.append(parse_xml(xml))


def _page_number_xml() -> str:
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{PAGE_FONT}" w:hAnsi="{PAGE_FONT}" w:eastAsia="{PAGE_FONT}"/>'
        f'<w:sz w:val="{int(SIZE_4 * 2)}"/></w:rPr>'
    )
    runs = (
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>'
    )
    return f'<w:p><w:pPr><w:snapToGrid w:val="0"/><w:jc w:val="center"/></w:pPr>{runs}</w:p>'


def _grid(section: Any, *, chars: bool) -> None:
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    if chars:
        # 22 lines × 28 characters of 3号 on the 156 × 225 mm text block
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_TWIPS))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    else:
        for k in ("w:type", "w:charSpace"):
            if grid.get(qn(k)) is not None:
                del grid.attrib[qn(k)]
        grid.set(qn("w:linePitch"), "312")


def _portrait(section: Any) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(FOOTER_MM)
    section.header_distance = Mm(15)
    _grid(section, chars=True)
    add_page_number(section.footer, odd=True)
    add_page_number(section.even_page_footer, odd=False)
    for h in (section.header, section.even_page_header):
        h.is_linked_to_previous = False


def _landscape(section: Any) -> None:
    """The portrait sheet turned: its margins move round with it (top = binding side)."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["bottom"]), Mm(MARGINS_MM["top"])
    section.header_distance = section.footer_distance = Mm(10)
    _grid(section, chars=False)
    for f in (section.footer, section.even_page_footer):
        f.is_linked_to_previous = False
        f.paragraphs[0].text = ""
    _side_page_number(section.header, odd=True)
    _side_page_number(section.even_page_header, odd=False)


def _setup(doc: Any) -> None:
    _portrait(doc.sections[0])
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(SIZE_3)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _language(rpr)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for el in defaults.iter(qn("w:rPr")):
            _language(el)
    doc.settings.odd_and_even_pages_header_footer = True


def _language(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = insert_child(rpr, OxmlElement("w:lang"))
    for k in ("w:val", "w:eastAsia"):
        lang.set(qn(k), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


# -- tables ------------------------------------------------------------------


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def column_stats(rows: Iterable[Sequence[str]]) -> tuple[list[str], list[int], list[bool]]:
    """Header, widest body cell (display units) and "every body cell a number" per column.

    One pass over ``rows`` (a long table's rows are split from the Markdown as they
    come); empty cells and the cells a short row lacks count as neither.
    """
    it = iter(rows)
    head = list(next(it, ()))
    widest = [0] * len(head)
    numbers = [True] * len(head)
    width: dict[str, int] = {}
    for row in it:
        if len(row) > len(widest):
            grow = len(row) - len(widest)
            widest += [0] * grow
            numbers += [True] * grow
        for j, c in enumerate(row):
            w = width.get(c)
            if w is None:
                w = width[c] = display_width(c)
                if len(width) > 4096:  # unit names repeat nowhere: keep the cache small
                    width.clear()
            if w > widest[j]:
                widest[j] = w
            if c and numbers[j] and not _is_number(c):
                numbers[j] = False
    head += [""] * (len(widest) - len(head))
    return head, widest, numbers


#: cell margin left and right (twips): 1 mm, 0.5 mm on a table squeezed to fit
CELL_MARGIN, TIGHT_MARGIN = 57, 28
#: font sizes tried, in order, for a table too wide at the smallest of :data:`TABLE_SIZES`
SQUEEZED_SIZES = (9.0, 8.0, 7.5)  # 小五, 8 pt, 六号


@attrs.frozen
class TableLayout:
    """How a table is set: font size (pt), column widths (pt) and cell margin (twips)."""

    size: float
    widths: list[float]
    margin: int = CELL_MARGIN


def column_widths(
    rows: Iterable[Sequence[str]],
    available_pt: float,
    numeric: Sequence[bool] = (),
    *,
    compact: bool = False,
    stats: tuple[list[str], list[int], list[bool]] | None = None,
) -> tuple[float, list[float]]:
    """Font size and column widths (pt) for a table on ``available_pt`` (see :func:`table_layout`)."""
    layout = table_layout(rows, available_pt, numeric, compact=compact, stats=stats)
    return layout.size, layout.widths


def _units(
    head: Sequence[str],
    widest_units: Sequence[int],
    all_numbers: Sequence[bool],
    numeric: Sequence[bool],
    *,
    head_lines: int = 3,
    text_min: int = 16,
) -> tuple[list[int], list[int]]:
    """Least and wanted width of each column, in display units (half a character)."""
    lo_units: list[int] = []
    want_units: list[int] = []
    for j, h in enumerate(head):
        widest = widest_units[j]
        num = all_numbers[j] or (j < len(numeric) and numeric[j])
        hw = display_width(h)
        # a header wraps at characters but never inside "（100）" or "13.5"
        token = max((display_width(t) for t in _HEAD_TOKEN.findall(h)), default=0)
        head_min = max(token, math.ceil(hw / head_lines), min(hw, 4))
        # names and grades up to eight characters stay on one line; longer texts may wrap
        lo = max(widest, head_min) if num else max(head_min, min(widest, text_min))
        lo_units.append(lo)
        want_units.append(max(lo, widest, math.ceil(hw / 2)))
    return lo_units, want_units


def table_layout(
    rows: Iterable[Sequence[str]],
    available_pt: float,
    numeric: Sequence[bool] = (),
    *,
    compact: bool = False,
    stats: tuple[list[str], list[int], list[bool]] | None = None,
) -> TableLayout:
    """Font size, column widths and cell margin for a table on ``available_pt``.

    A number column is as wide as its widest number (never broken); a header
    may wrap to three lines but keeps at least two characters a line; text
    columns share what is left by how much they hold.  The largest of
    :data:`TABLE_SIZES` whose minimum widths fit is used.  A table too wide even
    then (a ranking with ten 一级指标 and every extra column) is squeezed the way a
    clerk would: half the cell margin, then :data:`SQUEEZED_SIZES`, then headers on
    four lines and names on two; what still does not fit is narrowed evenly, so
    the table never runs into the margin (nor a landscape page's page number).
    ``stats``: the table's :func:`column_stats` when already computed.
    """
    head, widest_units, all_numbers = column_stats(rows) if stats is None else stats
    sizes = TABLE_SIZES[-1:] if compact else TABLE_SIZES  # a long list: 小五 keeps it short
    lo_units, want_units = _units(head, widest_units, all_numbers, numeric)
    pad = 2.0 * 2.85 + 5  # cell margins (1 mm each side) and air for wider fallback digits
    for size in sizes:
        if sum(u * size / 2 + pad for u in lo_units) <= available_pt:
            return TableLayout(size, _share(lo_units, want_units, head, size, pad, available_pt))
    # a smaller size first, then headers on four lines; names on two only at the smallest
    tries = [(size, lines, 16) for size in SQUEEZED_SIZES if size <= sizes[-1] for lines in (3, 4)]
    tries.append((SQUEEZED_SIZES[-1], 4, 8))
    for size, lines, text in tries:
        lo_units, want_units = _units(
            head, widest_units, all_numbers, numeric, head_lines=lines, text_min=text
        )
        # cell margins 0.5 mm each side, air for the digits in proportion to the size
        pad = 2.0 * TIGHT_MARGIN / 20 + 5 * size / 12
        if sum(u * size / 2 + pad for u in lo_units) <= available_pt:
            widths = _share(lo_units, want_units, head, size, pad, available_pt)
            return TableLayout(size, widths, TIGHT_MARGIN)
    mins = [u * size / 2 + pad for u in lo_units]
    scale = available_pt / sum(mins)
    return TableLayout(size, [m * scale for m in mins], TIGHT_MARGIN)


def _share(
    lo_units: Sequence[int],
    want_units: Sequence[int],
    head: Sequence[str],
    size: float,
    pad: float,
    available_pt: float,
) -> list[float]:
    """Column widths from the least and wanted widths, filling ``available_pt``."""
    ncols = len(head)
    head_units = [display_width(h) for h in head]
    unit = size / 2
    mins = [u * unit + pad for u in lo_units]
    wants = [u * unit + pad for u in want_units]
    if sum(wants) > available_pt:
        spare = max(available_pt - sum(mins), 0.0)
        extra = [w - m for w, m in zip(wants, mins, strict=True)]
        share = sum(extra) or 1.0
        return [m + spare * e / share for m, e in zip(mins, extra, strict=True)]
    # room to spare: first headers on one line, then every column alike
    widths = list(wants)
    spare = available_pt - sum(widths)
    need = [max(h * unit + pad - w, 0.0) for h, w in zip(head_units, widths, strict=True)]
    if sum(need) and spare > 0:
        k = min(1.0, spare / sum(need))
        widths = [w + n * k for w, n in zip(widths, need, strict=True)]
        spare = available_pt - sum(widths)
    return [w + spare / ncols for w in widths]


def _table(
    doc: Any,
    rows: Sequence[Sequence[str]],
    available_pt: float,
    numeric: Sequence[bool] = (),
    *,
    compact: bool = False,
    bodies: TableBodies | None = None,
) -> Table:
    """Append the table: its WordprocessingML is rendered as one string and parsed once.

    The elements are exactly those python-docx builds cell by cell (``doc.add_table``,
    ``cell.width``, ``paragraph_format``, :func:`add_text`), so the file's bytes are the
    same; building a notice's attachment of thousands of rows node by node took seconds.
    With ``bodies``, a table of more than :data:`LONG_TABLE_ROWS` body rows keeps only
    its header row in the document, the rest in ``bodies`` (written in when saving).
    """
    stats = column_stats(rows)
    ncols = len(stats[0])
    layout = table_layout(rows, available_pt, numeric, compact=compact, stats=stats)
    size, widths = layout.size, layout.widths
    twips = [int(w * 20) for w in widths]
    # a column of long texts reads better flush left; names, grades and numbers are centred
    left_cols = [w > 24 for w in stats[1]]
    line = Pt(round(size * (1.08 if compact else 1.3), 1)).twips
    ppr = {
        jc: f'<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:lineRule="exact" w:line="{line}"/>'
        f'<w:jc w:val="{jc}"/></w:pPr>'
        for jc in ("center", "left")
    }
    tcpr = [
        [
            f'<w:tcPr><w:tcW w:type="dxa" w:w="{w}"/>{"<w:noWrap/>" if nowrap else ""}'
            '<w:vAlign w:val="center"/></w:tcPr>'
            for w in twips
        ]
        for nowrap in (False, True)
    ]
    style = doc.styles["Table Grid"].style_id
    mar = "".join(
        f'<w:{side} w:w="{w}" w:type="dxa"/>'
        for side, w in (
            ("top", 0),
            ("left", layout.margin),
            ("bottom", 0),
            ("right", layout.margin),
        )
    )
    out = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style}"/>'
        f'<w:tblW w:type="dxa" w:w="{int(sum(widths) * 20)}"/><w:jc w:val="center"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblCellMar>{mar}</w:tblCellMar>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
        'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in twips),
        "</w:tblGrid>",
    ]
    fonts = {f: _RunXml(f, size) for f in (H1_FONT, BODY_FONT)}
    # the characters of the header font a header cell's line holds
    head_chars = [int((t - 2 * layout.margin) // (size * 20)) for t in twips]

    def row_xml() -> Iterator[str]:
        for i, row in enumerate(rows):
            cells = [
                '<w:tr><w:trPr><w:cantSplit w:val="true"/><w:tblHeader w:val="true"/></w:trPr>'
                if i == 0
                else '<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>'
            ]
            runs = fonts[H1_FONT if i == 0 else BODY_FONT]
            for j in range(ncols):
                text = row[j] if j < len(row) else ""
                number = _is_number(text)
                centred = i == 0 or number or not left_cols[j]
                if i == 0:
                    if m := _HEAD_POINTS.match(text):
                        # 一级指标名 wraps freely, its points （21） on a line of their own
                        text = f"{m[1]}\n{m[2]}"
                    text = head_lines(text, head_chars[j])
                cells.append(
                    f"<w:tc>{tcpr[bool(number and i)][j]}<w:p>"
                    f"{ppr['center' if centred else 'left']}{runs.runs(text)}</w:p></w:tc>"
                )
            cells.append("</w:tr>")
            yield "".join(cells)

    xml = row_xml()
    if bodies is not None and len(rows) - 1 > LONG_TABLE_ROWS:
        # the header row in the tree; the body rows made and serialized while saving
        tbl = parse_xml("".join([*out, next(xml), "</w:tbl>"]))
        tbl.append(bodies.add(xml))
    else:
        tbl = parse_xml("".join([*out, *xml, "</w:tbl>"]))
    doc.element.body._insert_tbl(tbl)
    return Table(tbl, doc._body)


#: headers of at most this many lines are balanced by :func:`head_lines` (every break tried)
MAX_HEAD_LINES = 4


def head_lines(text: str, per_line: int) -> str:
    """A header cell's text, each of its lines that would wrap with one character
    alone on its last line broken instead into as many lines of even length.

    ``per_line``: the characters a line of the cell holds.  "提升政务公开质量" in a
    column of seven characters wraps as "提升政务公开质" + "量"; a clerk would set
    "提升政务" + "公开质量".  Lines that wrap evenly already or fit on one line stay
    as they are; a number such as "（100）" is never split.
    """
    out = []
    for part in text.split("\n"):
        units = display_width(part)
        limit = 2 * per_line
        lines = None
        if per_line >= 2 and units > limit:
            n = math.ceil(units / limit)
            # one character (or a full-width sign) left over; a header squeezed into more
            # lines than a table ever sets (at most four) is left to the cell
            if units - (n - 1) * limit <= 2 and n <= MAX_HEAD_LINES:
                lines = _even_lines(part, n, limit)
        out.append("\n".join(lines) if lines else part)
    return "\n".join(out)


def _even_lines(text: str, n: int, limit: int) -> list[str] | None:
    """``text`` in ``n`` lines of at most ``limit`` display units and at least two
    characters: breaks after a comma or 、 first, then the most even; None if none fit."""
    inside = {i for m in _HEAD_TOKEN.finditer(text) for i in range(m.start() + 1, m.end())}
    cuts = [i for i in range(2, len(text) - 1) if i not in inside]
    best: tuple[tuple[int, int], list[str]] | None = None
    for chosen in itertools.combinations(cuts, n - 1):
        bounds = [0, *chosen, len(text)]
        lines = [text[a:b] for a, b in itertools.pairwise(bounds)]
        widths = [display_width(x) for x in lines]
        if max(widths) > limit or min(len(x) for x in lines) < 2:
            continue
        rank = (sum(text[c - 1] not in "，、；：,;" for c in chosen), max(widths) - min(widths))
        if best is None or rank < best[0]:
            best = (rank, lines)
    return None if best is None else best[1]


_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


@functools.lru_cache(maxsize=32)
def _run_xml(font: str, size: float) -> _RunXml:
    return _RunXml(font, size)


class _RunXml:
    """The runs :func:`add_text` makes in one font and size, as WordprocessingML text."""

    def __init__(self, font: str, size: float) -> None:
        spacing = f'<w:spacing w:val="{PITCH_TWIPS}"/>' if size == SIZE_3 else ""
        head = (
            f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>'
            f'<w:b w:val="0"/>{spacing}<w:sz w:val="{int(Pt(size).pt * 2)}"/>'
        )
        self.plain = f"<w:rPr>{head}</w:rPr>"
        self.latin = f'<w:rPr>{head}<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>'
        self.cache: dict[str, str] = {}

    def runs(self, text: str) -> str:
        """The runs of ``text`` (cached: a table repeats its names, grades and numbers)."""
        got = self.cache.get(text)
        if got is None:
            if len(self.cache) > 4096:  # a long table's unit names repeat nowhere
                self.cache.clear()
            got = self.cache[text] = "".join(self._runs(text))
        return got

    def _runs(self, text: str) -> Iterator[str]:
        for k, part in enumerate(text.split("\n")):
            for j, piece in enumerate(_LATIN.split(part)):
                if not piece and not (k and j == 0):
                    continue
                br = "<w:br/>" if k and j == 0 else ""
                yield f"<w:r>{self.latin if j % 2 else self.plain}{br}{_content(piece)}</w:r>"


def _content(text: str) -> str:
    """``run.text = text`` as XML: a ``w:t`` per stretch, ``w:tab`` / ``w:br`` for tab / CR."""
    out = []
    for k, chunk in enumerate(_TAB_OR_CR.split(text)):
        if k % 2:
            out.append("<w:tab/>" if chunk == "\t" else "<w:br/>")
        elif chunk:
            space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
            out.append(f"<w:t{space}>{chunk.translate(_XML_ESCAPES)}</w:t>")
    return "".join(out)


_TAB_OR_CR = re.compile(r"([\t\r])")


# -- blocks ------------------------------------------------------------------


def balanced_lines(text: str, max_chars: float) -> list[str]:
    """Break a title into lines of even length, at a word boundary where one is near.

    GB/T 9704: a title that needs more than one line keeps words whole and is
    laid out symmetrically.  Breaks go after 的/关于/年度/、 or before 政务公开,
    the break nearest the middle wins.
    """
    width = display_width(text) / 2
    if width <= max_chars:
        return [text]
    n = math.ceil(width / max_chars)
    target = len(text) / n
    good = [
        i
        for i in range(2, len(text) - 1)
        if text[i - 1] in "的、，于度" or text.startswith(("政务公开", "工作", "考核", "检查"), i)
    ]
    lines, start = [], 0
    for k in range(1, n):
        ideal = round(target * k)
        options = [i for i in good if start < i < len(text) and abs(i - ideal) <= target / 3]
        cut = min(options, key=lambda i: (abs(i - ideal), i)) if options else ideal
        lines.append(text[start:cut])
        start = cut
    lines.append(text[start:])
    return lines


def _title(doc: Any, text: str, *, size: float, width_pt: float, after: float) -> None:
    per_line = width_pt / size
    _paragraph(
        doc,
        "\n".join(balanced_lines(text, per_line - 1)),
        font=TITLE_FONT,
        size=size,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first_indent=0,
        line=round(size * 1.5, 1),
        after=after,
        keep_next=True,
    )


def _body_paragraph(doc: Any, text: str, *, keep_next: bool = False) -> Paragraph:
    m = _RUN_IN.match(text)
    if not m:
        return _paragraph(doc, text, keep_next=keep_next)
    # run-in heading "（一）抓好问题整改。" in 楷体, the rest of the paragraph in 仿宋
    p = _paragraph(doc, "", keep_next=keep_next)
    add_text(p, m[1], H2_FONT, SIZE_3)
    add_text(p, m[2], BODY_FONT, SIZE_3)
    return p


def _signature(doc: Any, lines: Sequence[str], text_w: float) -> None:
    """Issuer centred over the date, the date four characters in from the right (加盖印章式)."""
    if not lines:
        return
    date = lines[-1] if len(lines) > 1 else lines[0]
    date_w = display_width(date) / 2 * SIZE_3
    centre = text_w - 4 * SIZE_3 - date_w / 2
    widest = max(display_width(s) / 2 * SIZE_3 for s in lines)
    centre = min(centre, text_w - widest / 2)
    for k, line in enumerate(lines):
        p = _paragraph(
            doc,
            "",
            align=WD_ALIGN_PARAGRAPH.LEFT,
            first_indent=0,
            before=2 * LINE if k == 0 else 0,
            keep_next=k < len(lines) - 1,
        )
        p.paragraph_format.tab_stops.add_tab_stop(Pt(centre), WD_TAB_ALIGNMENT.CENTER)
        add_text(p, f"\t{line}", BODY_FONT, SIZE_3)


def _attachment_note(doc: Any, lines: Sequence[str]) -> None:
    """附件：1.… — names after the number aligned under the first character of the first name."""
    numbered = len(lines) > 1
    label = 3 * SIZE_3  # 附件：
    num = (SIZE_3 if len(lines) < 10 else 1.5 * SIZE_3) if numbered else 0.0
    left = 2 * SIZE_3 + label + num
    for k, line in enumerate(lines):
        m = re.match(r"^(附件：)?(\d+\.)?(.*)$", line)
        assert m is not None
        head = (m[1] or "") + (m[2] or "")
        start = 2 * SIZE_3 if k == 0 else 2 * SIZE_3 + label
        p = _paragraph(
            doc,
            "",
            first_indent=-(left - start),
            left=left,
            before=LINE if k == 0 else 0,
            keep_next=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
        p.paragraph_format.tab_stops.add_tab_stop(Pt(left), WD_TAB_ALIGNMENT.LEFT)
        add_text(p, f"{head}\t{m[3]}" if head else m[3], BODY_FONT, SIZE_3)


def _rule(
    p: Paragraph, *, top: bool, bottom: bool, thick: bool = False, color: str = "000000"
) -> None:
    """Paragraph borders: the 版记 rules (0.35 / 0.25 mm) or the red rule of the 版头."""
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for side, on in (("top", top), ("bottom", bottom)):
        if on:
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "8" if thick else "6")  # eighths of a point
            el.set(qn("w:space"), "1")
            el.set(qn("w:color"), color)
            bdr.append(el)
    insert_child(ppr, bdr)


def _colophon(doc: Any, lines: Sequence[str], text_w: float, *, push_down: bool = False) -> None:
    """版记 in 4号仿宋 between rules: 抄送 one character in; 印发机关 left and 印发日期 right.

    ``push_down``: the 版记 starts a page of its own and is moved to the foot of the text block.
    """
    for k, line in enumerate(lines):
        last = k == len(lines) - 1
        before = Mm(TEXT_H_MM).pt - len(lines) * LINE - 2 * LINE if push_down and k == 0 else 0.0
        p = _paragraph(
            doc,
            "",
            size=SIZE_4,
            first_indent=0,
            left=SIZE_4,
            right=SIZE_4,
            keep_next=not last,
            before=before,
        )
        if last and "\u3000\u3000" in line:
            printer, date = line.split("\u3000\u3000", 1)
            p.paragraph_format.tab_stops.add_tab_stop(
                Pt(text_w - 2 * SIZE_4), WD_TAB_ALIGNMENT.RIGHT
            )
            add_text(p, f"{printer}\t{date}", BODY_FONT, SIZE_4)
        else:
            add_text(p, line, BODY_FONT, SIZE_4)
        _rule(p, top=k == 0, bottom=True, thick=k == 0 or last)


def _masthead(doc: Any, lines: Sequence[str], text_w: float) -> None:
    """发文机关标志: red 小标宋, centred, as large as fits one line (at most 48 pt)."""
    for line in lines:
        # Latin letters of the fallback fonts run wide: one character of air on the line
        size = min(48.0, text_w / (math.ceil(display_width(line) / 2) + 1))
        _paragraph(
            doc,
            line,
            font=TITLE_FONT,
            size=size,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            first_indent=0,
            line=size * 1.2,
            before=Mm(35).pt - LINE,
            after=2 * LINE,
            color=RED,
            keep_next=True,
        )


class _Renderer:
    def __init__(self) -> None:
        self.doc = Document()
        _setup(self.doc)
        self.masthead = False
        self.compact = False  # tables of a long attachment in 小五 with tight lines
        self.text_w = Mm(TEXT_W_MM).pt
        self.bodies = TableBodies()  # long tables' rows, outside the lxml tree

    def section(self, *, landscape: bool, even: bool = False) -> None:
        """A new section on a new page (``even``: on the next even page, Word adding a blank one)."""
        sec = self.doc.add_section(WD_SECTION.EVEN_PAGE if even else WD_SECTION.NEW_PAGE)
        if landscape:
            _landscape(sec)
            self.text_w = Mm(297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]).pt
        else:
            _portrait(sec)
            self.text_w = Mm(TEXT_W_MM).pt

    def blocks(self, blocks: Sequence[Block]) -> None:
        body_ends = {
            i - 1
            for i, b in enumerate(blocks)
            if b.kind in ("attachment-note", "signature") and i and blocks[i - 1].kind == "para"
        }
        landscape = False
        for i, b in enumerate(blocks):
            if b.kind == "attachment":
                if b.landscape or landscape:
                    self.section(landscape=b.landscape)
                    landscape = b.landscape
                    self.attachment(b, new_page=False)
                else:
                    self.attachment(b, new_page=True)
                continue
            if b.kind == "colophon" and landscape:
                # the 版记 on a page of its own after landscape attachments, at the page foot, on
                # the last side of the printed copy (GB/T 9704 prints both sides: an even page;
                # after an even page Word and LibreOffice insert a blank one)
                self.section(landscape=False, even=True)
                landscape = False
                _colophon(self.doc, b.lines, self.text_w, push_down=True)
                continue
            self.block(b, keep_next=i in body_ends)

    def attachment(self, b: Block, *, new_page: bool) -> None:
        # more rows than a page holds at 五号: the whole attachment in 小五, so it takes fewer pages
        self.compact = sum(max(len(c.rows) - 1, 0) for c in b.children) > COMPACT_ROWS
        for k, child in enumerate(b.children):
            if k == 0 and child.kind == "para":
                # 附件1: 3号黑体, top left of a new page
                _paragraph(
                    self.doc,
                    child.text,
                    font=H1_FONT,
                    align=WD_ALIGN_PARAGRAPH.LEFT,
                    first_indent=0,
                    page_break=new_page,
                    keep_next=True,
                )
            elif child.kind == "h1":
                _title(self.doc, child.text, size=SIZE_3 + 2, width_pt=self.text_w, after=6.0)
            elif child.kind in ("h2", "h3"):
                p = _paragraph(
                    self.doc,
                    child.text,
                    font=H1_FONT,
                    size=12.0,
                    first_indent=0,
                    before=4.0,
                    line=16.0,
                    keep_next=True,
                )
                _no_grid(p)
            elif child.kind == "para":
                small = 9.0 if self.compact else 12.0
                p = _paragraph(
                    self.doc, child.text, size=small, first_indent=0, line=small * 1.4, before=3
                )
                _no_grid(p)
            else:
                self.block(child)

    def block(self, b: Block, *, keep_next: bool = False) -> None:
        doc = self.doc
        if b.kind == "title":
            before = 0.0 if self.masthead else 0.0
            _title(doc, b.text, size=SIZE_2, width_pt=self.text_w, after=LINE)
            del before
        elif b.kind == "masthead":
            _masthead(doc, b.lines, self.text_w)
            self.masthead = True
        elif b.kind == "doc-number":
            for line in b.lines:
                p = _paragraph(
                    doc,
                    line,
                    align=WD_ALIGN_PARAGRAPH.CENTER,
                    first_indent=0,
                    after=2 * LINE if self.masthead else LINE,
                    keep_next=True,
                )
                if self.masthead:
                    # the red rule under the 发文字号 (版头中的分隔线), 4 mm below it
                    _rule(p, top=False, bottom=True, thick=True, color=RED)
                    bdr = p._p.get_or_add_pPr().find(qn("w:pBdr"))
                    bdr[0].set(qn("w:space"), "11")
                    bdr[0].set(qn("w:sz"), "12")
        elif b.kind == "h1":
            _paragraph(doc, b.text, font=H1_FONT, keep_next=True)
        elif b.kind == "h2":
            _paragraph(doc, b.text, font=H2_FONT, keep_next=True)
        elif b.kind == "h3":
            _paragraph(doc, b.text, keep_next=True)
        elif b.kind == "para":
            _body_paragraph(doc, b.text, keep_next=keep_next)
        elif b.kind == "table" and b.rows:
            _table(doc, b.rows, self.text_w, b.numeric, compact=self.compact, bodies=self.bodies)
        elif b.kind == "addressee":
            for line in b.lines:
                _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=0)
        elif b.kind == "attachment-note":
            _attachment_note(doc, b.lines)
        elif b.kind == "signature":
            _signature(doc, b.lines, self.text_w)
        elif b.kind == "colophon":
            _colophon_block(doc, b.lines, self.text_w)
        else:
            for line in b.lines:
                _paragraph(doc, line)
            for child in b.children:
                self.block(child)


def _colophon_block(doc: Any, lines: Sequence[str], text_w: float) -> None:
    """The 版记 at the foot of the last page: pushed down by a spacer paragraph."""
    _colophon(doc, lines, text_w)


def normalize_zip(entries: Iterable[tuple[str, bytes]], bodies: TableBodies | None = None) -> bytes:
    """The OOXML package of ``entries`` with fixed entry times, same order, table bodies written in."""
    return write_package(entries, bodies)


def docx_bytes(markdown: str, *, created: dt.datetime, title: str = "", author: str = "") -> bytes:
    """The DOCX package for ``markdown`` (layout conventions: :mod:`zwgk_score.outputs.mdblocks`)."""
    _SHAPE_ID[0] = 100
    r = _Renderer()
    token = _BODIES.set(r.bodies)
    try:
        r.blocks(parse_blocks(markdown))
    finally:
        _BODIES.reset(token)
    doc = r.doc
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, author, author
    cp.created = cp.modified = cp.last_printed = created
    cp.revision = 1
    cp.comments = ""
    cp.language = "zh-CN"
    return normalize_zip(package_entries(doc.part.package), r.bodies)


def render_docx(
    markdown: str, path: str | Path, *, created: dt.datetime, title: str = "", author: str = ""
) -> Path:
    """Write ``markdown`` as a GB/T 9704 DOCX to ``path`` atomically and return the path."""
    target = Path(path)
    atomic_write_bytes(target, docx_bytes(markdown, created=created, title=title, author=author))
    return target
