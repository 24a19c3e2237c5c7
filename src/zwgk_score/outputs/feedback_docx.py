"""A feedback sheet (:class:`~zwgk_score.outputs.feedback.FeedbackSheet`) as DOCX, fast.

The package is the prebuilt template of ``docx_parts`` (styles, fonts, GB/T
9704 page setup, page-number footers) plus ``word/document.xml`` rendered as
a string: title, the unit's figures, the explanation of the total, the table
(fixed column widths weighted to 失分原因, header row repeated, rows never
split) and the reporting note with signature and seal lines.  All user text
is XML-escaped (control characters dropped).  The zip entries carry a fixed
time, so the same sheet gives the same bytes; no python-docx object is built.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from pathlib import Path

from zwgk_score.atomic import atomic_write_bytes
from zwgk_score.outputs.docx_parts import R_NS, SECTION, STATIC_PARTS, TEXT_W, W_NS, XML_HEAD
from zwgk_score.outputs.feedback import (
    COLUMNS,
    FLAG_MISSING,
    FLAG_VETO,
    FeedbackSheet,
    lost_text,
    points_text,
)

#: fixed zip entry time (the same sheet gives the same bytes)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: column widths in twips (sum = the 156 mm text block): 失分原因 gets the most; 序号 and 分值
#: take two 五号 characters and the cell margins (2 × 210 + 2 × 57 = 534) on one line
_FIXED = (567, 2268, 567, 624, 1814, 1588)
WIDTHS = (*_FIXED[:4], TEXT_W - sum(_FIXED), *_FIXED[4:])
FILLS = {FLAG_MISSING: "F4B183", FLAG_VETO: "FFC7CE"}
#: one line for the unit's seal, signature, contact, phone and date (fits 225 mm at 11 pt)
SIGN_LINES: tuple[str, ...] = (
    "填报单位（盖章）：　　　　主要负责同志（签字）：　　　联系人：　　　联系电话：　　　　"
    "填报日期：　　年　月　日",
)
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def xml_text(text: str) -> str:
    """``text`` escaped for a ``w:t`` element (``&<>`` and quotes; invalid XML characters removed)."""
    if not text.isprintable():  # rare: only then look for control characters
        text = _BAD_XML.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@functools.lru_cache(maxsize=16384)
def _runs(text: str) -> str:
    """The runs of ``text`` (cached: indicator names, deadlines and reasons repeat across units)."""
    if "\n" not in text:
        return f'<w:r><w:t xml:space="preserve">{xml_text(text)}</w:t></w:r>'
    lines = text.split("\n")
    return "<w:r><w:br/></w:r>".join(
        f'<w:r><w:t xml:space="preserve">{xml_text(line)}</w:t></w:r>' for line in lines
    )


def _p(text: str, style: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{_runs(text)}</w:p>'


@functools.cache
def _cell_head(width: int, style: str, fill: str | None) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
    )


@functools.lru_cache(maxsize=16384)
def _cell(text: str, width: int, style: str, fill: str | None) -> str:
    return f"{_cell_head(width, style, fill)}{_runs(text)}</w:p></w:tc>"


def _table(sheet: FeedbackSheet) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in WIDTHS)
    head = "".join(_cell(c, w, "Head", "D9D9D9") for c, w in zip(COLUMNS, WIDTHS, strict=True))
    parts = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>",
        f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>",
    ]
    styles = ("CellCenter", "Cell", "CellCenter", "CellCenter", "Cell", "CellCenter", "Cell")
    for row in sheet.rows:
        fill = FILLS.get(row.flag or "")
        cells = (
            str(row.number),
            row.indicator,
            points_text(row.points),
            lost_text(row.lost),
            row.reason,
            row.deadline,
            "",
        )
        body = "".join(_cell(t, w, s, fill) for t, w, s in zip(cells, WIDTHS, styles, strict=True))
        parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{body}</w:tr>")
    if not sheet.rows:
        span = (
            f'<w:tc><w:tcPr><w:tcW w:w="{TEXT_W}" w:type="dxa"/><w:gridSpan w:val="{len(WIDTHS)}"/>'
            f"</w:tcPr>{_p('本次考核无失分项。', 'Cell')}</w:tc>"
        )
        parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{span}</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def document_xml(sheet: FeedbackSheet) -> str:
    """``word/document.xml`` of one unit's sheet."""
    body = [
        _p(sheet.title, "Title"),
        _p("　　".join(f"{k}：{v}" for k, v in sheet.facts), "Line"),
        _p(f"得分说明：{sheet.explanation}", "Explain"),
        _table(sheet),
        _p(sheet.note, "Note"),
    ]
    if sheet.contact:
        body.append(_p(sheet.contact, "Line"))
    body += [_p(line, "Sign") for line in SIGN_LINES]
    return (
        XML_HEAD
        + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
        + "".join(body)
        + SECTION
        + "</w:body></w:document>"
    )


def core_xml(title: str, created: dt.datetime) -> str:
    """``docProps/core.xml``: title, language and the fixed creation time."""
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        XML_HEAD
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:language>zh-CN</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


def zip_parts(parts: list[tuple[str, str]], *, after: bytes = b"") -> bytes:
    """The parts zipped in order with a fixed time and mode (reproducible bytes).

    ``after``: a zip (:func:`static_zip`) whose entries come first, copied as they are.
    """
    buf = io.BytesIO(after)
    with zipfile.ZipFile(buf, "a" if after else "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            z.writestr(_info(name), text.encode("utf-8"))
    return buf.getvalue()


@functools.cache
def static_zip() -> bytes:
    """The fixed parts zipped once; every sheet's file starts with exactly these bytes."""
    return zip_parts(list(STATIC_PARTS))


def feedback_docx_bytes(sheet: FeedbackSheet, *, created: dt.datetime) -> bytes:
    """The DOCX file of one unit's sheet: the fixed parts, then its properties and text."""
    parts = [
        ("docProps/core.xml", core_xml(f"{sheet.title}：{sheet.unit}", created)),
        ("word/document.xml", document_xml(sheet)),
    ]
    return zip_parts(parts, after=static_zip())


def write_feedback_docx(sheet: FeedbackSheet, path: Path, *, created: dt.datetime) -> Path:
    """Write one unit's feedback sheet as DOCX, atomically; return ``path``."""
    atomic_write_bytes(path, feedback_docx_bytes(sheet, created=created))
    return path
