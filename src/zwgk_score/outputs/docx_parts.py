"""The prebuilt parts of a feedback-sheet DOCX (反馈单模板): package, styles, fonts, page setup.

Every part here is the same for every unit, so it is written once as text and
copied into each file; only ``word/document.xml`` and ``docProps/core.xml``
are rendered per unit (``feedback_docx``).  Page setup follows GB/T 9704-2012 for a
横排表格: A4 landscape with the standard's 156 × 225 mm text block turned with
the page (margins top 28 / bottom 26 / left 37 / right 35 mm),
page numbers "— N —" in 4号宋体, odd pages right and even pages left, one
character in.  Fonts name both the Latin and the East-Asian face
(``w:eastAsia``); the document language is zh-CN.
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: twips per millimetre (1 mm = 1440 / 25.4 twips)
MM = 1440 / 25.4
#: A4 landscape: the 156 × 225 mm text block of GB/T 9704 turned with the page (横排表格)
PAGE_W, PAGE_H = 16838, 11906
MARGINS = {
    "top": round(28 * MM),
    "bottom": round(26 * MM),
    "left": round(37 * MM),
    "right": round(35 * MM),
}
TEXT_W = PAGE_W - MARGINS["left"] - MARGINS["right"]  # 225 mm
FOOTER = round(14 * MM)

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEAD_FONT = "黑体"
PAGE_FONT = "宋体"


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


CONTENT_TYPES = (
    XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    XML_HEAD
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    XML_HEAD
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>'
    "</Relationships>"
)

APP = (
    XML_HEAD
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>zwgk-score</Application></Properties>"
)

SETTINGS = (
    XML_HEAD + f'<w:settings xmlns:w="{W_NS}">'
    '<w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
    "</w:settings>"
)

FONT_TABLE = (
    XML_HEAD
    + f'<w:fonts xmlns:w="{W_NS}">'
    + "".join(
        f'<w:font w:name="{n}"><w:charset w:val="86"/><w:family w:val="{fam}"/></w:font>'
        for n, fam in (
            (BODY_FONT, "modern"),
            (TITLE_FONT, "script"),
            (HEAD_FONT, "modern"),
            (PAGE_FONT, "auto"),
        )
    )
    + "</w:fonts>"
)


#: no extra space between CJK and Latin/digits: 2024年2月29日, not 2024 年 2 月 29 日
NO_AUTOSPACE = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'


def _style(sid: str, name: str, ppr: str, rpr: str, kind: str = "paragraph") -> str:
    return (
        f'<w:style w:type="{kind}" w:styleId="{sid}"><w:name w:val="{name}"/>'
        + ('<w:basedOn w:val="Normal"/>' if sid != "Normal" else "")
        + f"<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


#: paragraph styles: Title 三号 方正小标宋; Line/Explain/Note/Sign 11 pt 仿宋; Cell 五号 仿宋; Head 五号 黑体; PageNo 4号 宋体
STYLES = (
    XML_HEAD + f'<w:styles xmlns:w="{W_NS}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    + _fonts(BODY_FONT)
    + '<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    + _style("Normal", "Normal", '<w:jc w:val="both"/>', _fonts(BODY_FONT))
    + _style(
        "Title",
        "Title",
        '<w:keepNext/><w:spacing w:before="0" w:after="80" w:line="400" w:lineRule="exact"/><w:jc w:val="center"/>',
        _fonts(TITLE_FONT) + '<w:sz w:val="32"/><w:szCs w:val="32"/>',
    )
    + _style(
        "Line",
        "Feedback Line",
        '<w:spacing w:before="0" w:after="40" w:line="320" w:lineRule="exact"/><w:jc w:val="both"/>',
        '<w:sz w:val="22"/><w:szCs w:val="22"/>',
    )
    + _style(
        "Sign",
        "Feedback Signature",
        '<w:spacing w:before="120" w:after="0" w:line="300" w:lineRule="exact"/><w:jc w:val="both"/>',
        '<w:sz w:val="22"/><w:szCs w:val="22"/>',
    )
    + _style(
        "Explain",
        "Feedback Explanation",
        '<w:spacing w:before="0" w:after="80" w:line="300" w:lineRule="exact"/><w:ind w:firstLine="440"/><w:jc w:val="both"/>',
        '<w:sz w:val="22"/><w:szCs w:val="22"/>',
    )
    + _style(
        "Note",
        "Feedback Note",
        '<w:spacing w:before="100" w:after="0" w:line="300" w:lineRule="exact"/><w:ind w:firstLine="440"/><w:jc w:val="both"/>',
        '<w:sz w:val="22"/><w:szCs w:val="22"/>',
    )
    + _style(
        "Cell",
        "Feedback Cell",
        '<w:spacing w:before="0" w:after="0" w:line="260" w:lineRule="exact"/><w:jc w:val="left"/>',
        '<w:sz w:val="21"/><w:szCs w:val="21"/>',
    )
    + _style(
        "CellCenter",
        "Feedback Cell Centred",
        '<w:spacing w:before="0" w:after="0" w:line="260" w:lineRule="exact"/><w:jc w:val="center"/>',
        '<w:sz w:val="21"/><w:szCs w:val="21"/>',
    )
    + _style(
        "Head",
        "Feedback Table Head",
        '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="260" w:lineRule="exact"/><w:jc w:val="center"/>',
        _fonts(HEAD_FONT) + '<w:sz w:val="21"/><w:szCs w:val="21"/>',
    )
    + _style(
        "PageNo",
        "Page Number",
        "",
        _fonts(PAGE_FONT) + '<w:sz w:val="28"/><w:szCs w:val="28"/>',
    )
    + "</w:styles>"
)


def _footer(align: str, indent: str) -> str:
    field = (
        '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve"> —</w:t></w:r>'
    )
    return (
        XML_HEAD + f'<w:ftr xmlns:w="{W_NS}"><w:p><w:pPr><w:pStyle w:val="PageNo"/>'
        f'<w:ind w:{indent}="280"/><w:jc w:val="{align}"/></w:pPr>{field}</w:p></w:ftr>'
    )


FOOTER_ODD = _footer("right", "right")
FOOTER_EVEN = _footer("left", "left")

SECTION = (
    '<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>'
    '<w:footerReference w:type="even" r:id="rId5"/>'
    f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}" w:orient="landscape"/>'
    f'<w:pgMar w:top="{MARGINS["top"]}" w:right="{MARGINS["right"]}" w:bottom="{MARGINS["bottom"]}" '
    f'w:left="{MARGINS["left"]}" w:header="851" w:footer="{FOOTER}" w:gutter="0"/>'
    '<w:docGrid w:linePitch="312"/></w:sectPr>'
)

#: (name, text) of the parts that never change, in the order they are zipped
STATIC_PARTS = (
    ("[Content_Types].xml", CONTENT_TYPES),
    ("_rels/.rels", ROOT_RELS),
    ("docProps/app.xml", APP),
    ("word/_rels/document.xml.rels", DOCUMENT_RELS),
    ("word/styles.xml", STYLES),
    ("word/settings.xml", SETTINGS),
    ("word/fontTable.xml", FONT_TABLE),
    ("word/footer1.xml", FOOTER_ODD),
    ("word/footer2.xml", FOOTER_EVEN),
)
