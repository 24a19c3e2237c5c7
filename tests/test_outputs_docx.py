"""The GB/T 9704 DOCX read back with python-docx: page, margins, fonts, spacing, page numbers."""

from __future__ import annotations

import datetime as dt
import time

import docx
import pytest
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from test_outputs_sample import sample_results

from zwgk_score.outputs import docx_render
from zwgk_score.outputs.docx_render import render_docx
from zwgk_score.outputs.markdown import render_markdown
from zwgk_score.outputs.notice import notice_context

CREATED = dt.datetime(2024, 1, 5)


def notice_text() -> str:
    ctx = notice_context(
        sample_results(),
        {
            "date": "2024-01-05",
            "rectify_deadline": "2024-01-31",
            "attachments": ["ranking", "deductions"],
            "requirements": ["（一）抓好问题整改。各单位于{rectify_deadline}报送整改情况。"],
        },
    )
    return render_markdown(ctx)


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    p = tmp_path_factory.mktemp("d") / "通报.docx"
    return render_docx(notice_text(), p, created=CREATED, title="通报", author="某市人民政府办公室")


@pytest.fixture(scope="module")
def doc(path):
    return docx.Document(path)


def east_asian(run) -> str | None:
    rfonts = run._element.rPr.rFonts
    return rfonts.get(qn("w:eastAsia"))


def para(doc, text):
    return next(p for p in doc.paragraphs if p.text == text)


def test_page_size_and_margins(doc):
    s = doc.sections[0]
    got = [
        s.page_width.mm,
        s.page_height.mm,
        s.top_margin.mm,
        s.bottom_margin.mm,
        s.left_margin.mm,
        s.right_margin.mm,
    ]
    assert got == pytest.approx([210, 297, 37, 35, 28, 26], abs=0.05)
    # text block 210 − 28 − 26 = 156 mm wide, 297 − 37 − 35 = 225 mm tall
    assert s.page_width.mm - s.left_margin.mm - s.right_margin.mm == pytest.approx(156, abs=0.05)
    # the twips Word's own GB/T 9704 templates use
    assert [
        s.top_margin.twips,
        s.bottom_margin.twips,
        s.left_margin.twips,
        s.right_margin.twips,
    ] == [
        2098,
        1984,
        1587,
        1474,
    ]
    grid = s._sectPr.find(qn("w:docGrid"))
    # 22 lines on the 225 mm text block: 225 / 25.4 × 1440 / 22 = 579.9 → 579 twips a line
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
    # 28 characters on 156 mm: 156 / 25.4 × 72 / 28 = 15.793 pt a character, 16 pt type →
    # (15.793 − 16) × 4096 = −847.8 → −848 (charSpace is in 1/4096 pt)
    assert grid.get(qn("w:charSpace")) == "-848"


def test_title(doc):
    title = doc.paragraphs[0]
    assert title.text == "关于2023年度政务公开工作考核结果的通报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(r.font.size == Pt(22) and east_asian(r) == "方正小标宋简体" for r in title.runs)


def test_body_and_headings(doc):
    body = para(doc, "本次考核共涉及5个单位，分2类分别排名。")
    assert all(r.font.size == Pt(16) and east_asian(r) == "仿宋_GB2312" for r in body.runs)
    # the number is a run of its own, marked en-US, so no renderer breaks it across lines
    digits = [r for r in body.runs if r.text == "5"]
    assert digits and digits[0]._element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-US"
    run = body.runs[0]
    pf = body.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and pf.line_spacing == Pt(28.95)
    # the character squeeze that fits 28 characters a line: floor((15.793 − 16) × 20) = −5 twips
    assert run._element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert pf.first_line_indent == Pt(32)  # two 16 pt characters
    assert east_asian(para(doc, "一、总体情况").runs[0]) == "黑体"
    assert east_asian(para(doc, "（一）县区政府").runs[0]).startswith("楷体")
    assert (
        para(
            doc, "各县（市、区）人民政府，市政府各部门：" if False else "各有关单位："
        ).paragraph_format.first_line_indent
        is None
    )


def test_every_run_has_an_east_asian_font(path):
    import zipfile

    from lxml import etree

    xml = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    runs = xml.iter(qn("w:r"))
    fonts = [r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") for r in runs]
    assert fonts and all(f is not None and f.get(qn("w:eastAsia")) for f in fonts)
    styles = docx.Document(path).styles["Normal"].element.rPr.rFonts
    assert styles.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_date_and_signature(doc):
    date = para(doc, "\t2024年1月5日")
    issuer = para(doc, "\t某市人民政府办公室")
    # both centred on one tab stop: the date ends four characters in from the right (右空四字):
    # 2024年1月5日 is 6 characters wide (digits half width: 96 pt); the text block is
    # 156 mm = 442.2 pt → centre at 442.2 − 64 − 96 / 2 = 330.2 pt
    stops = [p.paragraph_format.tab_stops[0] for p in (issuer, date)]
    assert stops[0].position == stops[1].position
    assert stops[0].position.pt == pytest.approx(156 / 25.4 * 72 - 64 - 48, abs=0.1)
    assert issuer.paragraph_format.keep_with_next  # never alone on a page


def test_run_in_heading_and_keep_with_next(doc):
    p = next(p for p in doc.paragraphs if p.text.startswith("（一）抓好问题整改。"))
    head, *rest = p.runs
    assert head.text == "（一）抓好问题整改。" and east_asian(head).startswith("楷体")
    assert rest and all(east_asian(r) == "仿宋_GB2312" for r in rest)
    for text in ("一、总体情况", "（一）县区政府", "二、考核结果"):
        assert para(doc, text).paragraph_format.keep_with_next


def test_language_is_chinese(path):
    import zipfile

    styles = zipfile.ZipFile(path).read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles and 'w:val="zh-CN"' in styles
    assert "en-US" not in styles


def test_page_numbers_odd_right_even_left(doc, path):
    import zipfile

    settings = zipfile.ZipFile(path).read("word/settings.xml")
    assert b"evenAndOddHeaders" in settings
    s = doc.sections[0]
    for footer, align in (
        (s.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert p.text == "— 1 —"
        xml = p._p.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert '<w:instrText xml:space="preserve"> PAGE </w:instrText>' in xml
        assert all(east_asian(r) == "宋体" and r.font.size == Pt(14) for r in p.runs)


def test_attachments_on_new_pages_with_tables(doc):
    labels = [p for p in doc.paragraphs if p.text in ("附件1", "附件2")]
    assert len(labels) == 2
    for p in labels:
        assert east_asian(p.runs[0]) == "黑体" and p.runs[0].font.size == Pt(16)
    # each attachment is its own landscape section (new page)
    body, *rest = doc.sections
    assert body.page_width.mm == pytest.approx(210, abs=0.1)
    assert [round(s.page_width.mm) for s in rest] == [297, 297]
    t1, t2, t3, t4 = doc.tables
    assert [c.text for c in t1.rows[0].cells][:2] == ["排名", "单位"]
    assert [c.text for c in t1.rows[1].cells][:5] == ["1", "甲县", "55.00", "38.00", "93.00"]
    for t in doc.tables:
        trs = [r._tr for r in t.rows]
        assert trs[0].trPr.find(qn("w:tblHeader")) is not None  # header repeats
        assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)  # rows never split
    assert [c.text for c in t2.rows[2].cells][1] == "丁局"
    assert [c.text for c in t4.rows[-1].cells][:3] == ["丁局", "单项否决", "否决"]


def test_landscape_page_numbers_on_the_sheet_side(doc):
    s = doc.sections[1]
    xml = s.header._element.xml
    # a text box turned with the sheet (vert), at the left edge of the landscape page
    assert 'vert="vert"' in xml and " PAGE " in xml and 'relativeFrom="page"' in xml
    assert " PAGE " in s.even_page_header._element.xml
    assert all(p.text == "" for p in s.footer.paragraphs)


def test_number_cells_do_not_wrap(doc):
    t1 = doc.tables[0]
    cell = t1.rows[1].cells[2]
    assert cell.text == "55.00" and cell._tc.tcPr.find(qn("w:noWrap")) is not None
    widths = [c.width for c in t1.rows[0].cells]
    assert len(set(widths)) > 1  # weighted by content, not equal


def test_byte_identical_across_runs(tmp_path, monkeypatch):
    text = notice_text()
    a = render_docx(text, tmp_path / "a.docx", created=CREATED)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400)  # zip entries stamped "later"
    b = render_docx(text, tmp_path / "b.docx", created=CREATED)
    assert a.read_bytes() == b.read_bytes()
    created = docx.Document(a).core_properties.created  # naive (meaning UTC) before python-docx 1.2
    assert created.replace(tzinfo=created.tzinfo or dt.timezone.utc) == CREATED.replace(
        tzinfo=dt.timezone.utc
    )


def test_failure_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "通报.docx"
    target.write_bytes(b"old")

    def boom(data, bodies=None):
        raise OSError("disk full")

    monkeypatch.setattr(docx_render, "normalize_zip", boom)
    with pytest.raises(OSError):
        render_docx(notice_text(), target, created=CREATED)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["通报.docx"]


def test_colophon_between_rules(tmp_path):
    """版记: 抄送 and 印发机关 + 日期 in 4号仿宋 with rules above and below; only when asked for."""
    opts = {
        "date": "2024-01-05",
        "cc": ["市委办公室", "市人大常委会办公室"],
        "printer": "某市人民政府办公室",
    }
    md = render_markdown(notice_context(sample_results(), opts))
    assert "抄送：市委办公室，市人大常委会办公室。" in md
    assert "某市人民政府办公室\u3000\u30002024年1月5日印发" in md
    d = docx.Document(render_docx(md, tmp_path / "c.docx", created=CREATED))
    cc = para(d, "抄送：市委办公室，市人大常委会办公室。")
    printed = para(d, "某市人民政府办公室\t2024年1月5日印发")
    for p in (cc, printed):
        assert p.runs[0].font.size == Pt(14)  # 4号
        assert east_asian(p.runs[0]) == docx_render.BODY_FONT
    borders = cc._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")) is not None and borders.find(qn("w:bottom")) is not None
    assert (
        printed._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:sz")) == "8"
    )  # the thick last rule
    assert "印发" not in notice_text()  # no colophon unless cc or printer is given
    # after landscape attachments the 版记 starts the next even page: the back of the last sheet
    assert "<!-- attachment landscape -->" in md
    assert d.sections[-1].start_type == WD_SECTION.EVEN_PAGE
    assert WD_SECTION.EVEN_PAGE not in [s.start_type for s in d.sections[:-1]]
