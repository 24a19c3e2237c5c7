"""Render the notice Markdown to DOCX laid out per GB/T 9704-2012 (党政机关公文格式).

A4 with margins top 37 / bottom 35 / left 28 / right 26 mm; title in 2号
(22 pt) 方正小标宋简体, centred; body in 3号 (16 pt) 仿宋_GB2312 with exact
28 pt line spacing; 一、 headings in 黑体, （一） headings in 楷体; page
numbers "— N —" in 4号 (14 pt) 宋体, odd pages right, even pages left, one
character in from the edge; attachments on a new page with 附件1 in 3号黑体.

python-docx's ``font.name`` only sets the Latin font, so every run also gets
``w:eastAsia`` on ``w:rFonts``; the PAGE fields and the odd/even footers are
written as raw XML.  The package is rewritten with fixed timestamps so the
same Markdown gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from zwgk_score.atomic import atomic_write_bytes
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
SIZE_TABLE = 12.0  # 小四, tables in attachments
SIZE_TABLE_WIDE = 10.5  # 五号, tables with many columns
LINE = 28.0  # exact line spacing (pt): 22 lines on a 225 mm text block
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FOOTER_MM = 25
#: fixed zip entry time: the same Markdown gives the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def set_run_font(run, name: str, size: float, *, bold: bool = False) -> None:
    """Set the Latin and the East-Asian font (``w:eastAsia``) and size of a run."""
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:ascii"), name)
    rfonts.set(qn("w:hAnsi"), name)


def _paragraph(
    container,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = SIZE_3,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_indent: float = 2 * SIZE_3,
    left: float = 0.0,
    right: float = 0.0,
    line: float | None = LINE,
    before: float = 0.0,
    after: float = 0.0,
    page_break: bool = False,
) -> Paragraph:
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
    if text:
        set_run_font(p.add_run(text), font, size)
    return p


def _field_run(p: Paragraph, kind: str | None = None, instr: str | None = None, text: str = ""):
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


def add_page_number(footer, *, odd: bool) -> None:
    """``— N —`` in 4号宋体: odd pages right-aligned, even pages left, one character in."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    pf = p.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        pf.right_indent = Pt(SIZE_4)
    else:
        pf.left_indent = Pt(SIZE_4)
    _field_run(p, text="— ")
    _field_run(p, "begin")
    _field_run(p, instr=" PAGE ")
    _field_run(p, "separate")
    _field_run(p, text="1")
    _field_run(p, "end")
    _field_run(p, text=" —")


def _setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.footer_distance = Mm(FOOTER_MM)
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE * 20)))  # 22 lines of 28 pt on the 225 mm block
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(SIZE_3)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    doc.settings.odd_and_even_pages_header_footer = True
    add_page_number(section.footer, odd=True)
    add_page_number(section.even_page_footer, odd=False)


def _table(doc, rows: Sequence[Sequence[str]]) -> Table:
    ncols = max(len(r) for r in rows)
    size = SIZE_TABLE if ncols <= 6 else SIZE_TABLE_WIDE
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = 1  # centred
    for i, row in enumerate(rows):
        tr = table.rows[i]
        if i == 0:  # repeat the header row on every page
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            tr._tr.get_or_add_trPr().append(el)
        for j in range(ncols):
            text = row[j] if j < len(row) else ""
            cell = tr.cells[j]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            pf = p.paragraph_format
            long = display_width(text) > 16
            pf.alignment = WD_ALIGN_PARAGRAPH.LEFT if long and i else WD_ALIGN_PARAGRAPH.CENTER
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(size + 6)
            set_run_font(p.add_run(text), H1_FONT if i == 0 else BODY_FONT, size)
    return table


def _signature(doc, lines: Sequence[str]) -> None:
    """Issuer centred over the date; the date four characters in from the right."""
    if not lines:
        return
    date = lines[-1] if len(lines) > 1 else ""
    right_date = 4 * SIZE_3
    date_width = display_width(date) / 2 * SIZE_3
    for k, line in enumerate(lines):
        if date and line is lines[-1]:
            right = right_date
        else:
            right = max(right_date + (date_width - display_width(line) / 2 * SIZE_3) / 2, 0.0)
        _paragraph(
            doc,
            line,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            first_indent=0,
            right=right,
            before=2 * LINE if k == 0 else 0,
        )


def _rule(p: Paragraph, *, top: bool, bottom: bool, thick: bool = False) -> None:
    """Rules of the colophon (版记): paragraph borders, 0.35 mm for the outer rules, 0.25 mm inside."""
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    for side, on in (("top", top), ("bottom", bottom)):
        if on:
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), "single")
            el.set(
                qn("w:sz"), "8" if thick else "6"
            )  # eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm
            el.set(qn("w:space"), "1")
            el.set(qn("w:color"), "000000")
            bdr.append(el)
    ppr.append(bdr)


def _colophon(doc, lines: Sequence[str]) -> None:
    """版记 in 4号仿宋 between rules: 抄送 one character in; 印发机关 left and 印发日期 right."""
    if not lines:
        return
    text_width = Mm(210 - MARGINS_MM["left"] - MARGINS_MM["right"])
    for k, line in enumerate(lines):
        last = k == len(lines) - 1
        p = _paragraph(
            doc,
            "",
            size=SIZE_4,
            first_indent=0,
            left=SIZE_4,
            right=SIZE_4,
            before=2 * LINE if k == 0 else 0,
        )
        if last and "\u3000\u3000" in line:
            printer, date = line.split("\u3000\u3000", 1)
            # the date ends one character in from the right margin (tabs count from the margin)
            p.paragraph_format.tab_stops.add_tab_stop(
                text_width - Pt(SIZE_4), WD_TAB_ALIGNMENT.RIGHT
            )
            set_run_font(p.add_run(f"{printer}\t{date}"), BODY_FONT, SIZE_4)
        else:
            set_run_font(p.add_run(line), BODY_FONT, SIZE_4)
        _rule(p, top=k == 0, bottom=True, thick=k == 0 or last)


def _block(doc, b: Block, *, in_attachment: bool = False, first: bool = False) -> None:
    if b.kind == "title":
        _paragraph(
            doc,
            b.text,
            font=TITLE_FONT,
            size=SIZE_2,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            first_indent=0,
            line=LINE * 1.25,
            after=LINE,
        )
    elif b.kind == "h1":
        _paragraph(doc, b.text, font=H1_FONT)
    elif b.kind == "h2":
        _paragraph(doc, b.text, font=H2_FONT)
    elif b.kind == "para" and in_attachment and first:
        # 附件1: 3号黑体, top left of a new page
        _paragraph(
            doc,
            b.text,
            font=H1_FONT,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            first_indent=0,
            page_break=True,
            after=LINE / 2,
        )
    elif b.kind in ("para", "h3"):
        _paragraph(doc, b.text)
    elif b.kind == "table" and b.rows:
        _table(doc, b.rows)
    elif b.kind == "addressee":
        for line in b.lines:
            _paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.LEFT, first_indent=0)
    elif b.kind == "attachment-note":
        # 附件：1.… under the body after one blank line; later names aligned with the first
        for k, line in enumerate(b.lines):
            if k == 0:
                _paragraph(doc, line, before=LINE)
            else:
                _paragraph(doc, line, first_indent=0, left=5 * SIZE_3)
    elif b.kind == "signature":
        _signature(doc, b.lines)
    elif b.kind == "colophon":
        _colophon(doc, b.lines)
    elif b.kind == "attachment":
        for k, child in enumerate(b.children):
            _block(doc, child, in_attachment=True, first=k == 0)
    else:
        for line in b.lines:
            _paragraph(doc, line)
        for child in b.children:
            _block(doc, child)


def normalize_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed entry times, same order and contents."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def docx_bytes(markdown: str, *, created: dt.datetime, title: str = "", author: str = "") -> bytes:
    """The DOCX package for ``markdown`` (see :mod:`zwgk_score.outputs.markdown` for the subset)."""
    doc = Document()
    _setup(doc)
    for b in parse_blocks(markdown):
        _block(doc, b)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, author, author
    cp.created = cp.modified = cp.last_printed = created
    cp.revision = 1
    cp.comments = ""
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue())


def render_docx(
    markdown: str, path: str | Path, *, created: dt.datetime, title: str = "", author: str = ""
) -> Path:
    """Write ``markdown`` as a GB/T 9704 DOCX to ``path`` atomically and return the path."""
    target = Path(path)
    atomic_write_bytes(target, docx_bytes(markdown, created=created, title=title, author=author))
    return target
