"""Long tables written into word/document.xml when saving: the same bytes as the whole tree."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from test_outputs_docx import notice_text

from zwgk_score.outputs import docx_package, docx_render

CREATED = dt.datetime(2024, 1, 5)


def long_table(n: int) -> str:
    """A notice with an attachment table of ``n`` body rows (names with Latin, numbers, &)."""
    rows = "\n".join(
        f"| {i} | 第{i}单位 A&B>1 | {90 - i % 7 * 0.5:.1f} | {'良好' if i % 3 else '优秀'} |"
        for i in range(1, n + 1)
    )
    return (
        "# 关于某市政务公开考核结果的通报\n\n各单位：\n\n正文。\n\n"
        "附件：1. 排名\n\n某市人民政府办公室\n\n2024年1月5日\n\n"
        "---\n\n<!-- attachment -->\n\n附件1\n\n## 排名\n\n"
        f"| 排名 | 单位 | 得分 | 等次 |\n|---|---|---|---|\n{rows}\n"
    )


def whole_tree(md: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(docx_render, "LONG_TABLE_ROWS", 10**9)
        return docx_render.docx_bytes(md, created=CREATED, title="通报")


def test_long_table_streamed_gives_the_whole_tree_bytes(monkeypatch):
    n = docx_render.LONG_TABLE_ROWS + 1 + 2 * docx_package.CHUNK_ROWS  # three chunks
    md = long_table(n)
    added: list[int] = []
    add = docx_package.TableBodies.add

    def counting(self, rows):
        rows = list(rows)
        added.append(len(rows))
        return add(self, rows)

    monkeypatch.setattr(docx_package.TableBodies, "add", counting)
    streamed = docx_render.docx_bytes(md, created=CREATED, title="通报")
    assert added == [n]  # the body rows went out of the tree, all of them
    assert streamed == whole_tree(md, monkeypatch)
    # the document opens and its table has the header row and every body row
    table = docx.Document(io.BytesIO(streamed)).tables[-1]
    assert len(table.rows) == n + 1
    assert table.rows[-1].cells[1].text == f"第{n}单位 A&B>1"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # no placeholder is left; entries keep python-docx's order, fixed time, deflate, 0600
    with zipfile.ZipFile(io.BytesIO(streamed)) as z:
        xml = z.read("word/document.xml")
        infos = z.infolist()
    assert b"<?zwgk-rows" not in xml
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n")
    assert infos[0].filename == "[Content_Types].xml"
    assert {(i.date_time, i.compress_type, i.external_attr >> 16) for i in infos} == {
        ((1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED, 0o600)
    }


def test_short_table_stays_in_the_tree(monkeypatch):
    added: list[int] = []
    monkeypatch.setattr(docx_package.TableBodies, "add", lambda self, rows: added.append(1))
    data = docx_render.docx_bytes(long_table(docx_render.LONG_TABLE_ROWS), created=CREATED)
    assert added == []
    assert len(docx.Document(io.BytesIO(data)).tables[-1].rows) == docx_render.LONG_TABLE_ROWS + 1


def test_every_table_of_a_notice_out_of_the_tree_gives_the_same_bytes(monkeypatch):
    md = notice_text()
    before = whole_tree(md, monkeypatch)
    monkeypatch.setattr(docx_render, "LONG_TABLE_ROWS", 0)
    assert docx_render.docx_bytes(md, created=CREATED, title="通报") == before


def test_missing_placeholder_is_an_error():
    bodies = docx_package.TableBodies()
    bodies.add(['<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr></w:tr>'])
    with pytest.raises(ValueError, match="zwgk-rows 0"):
        docx_package.write_package([("word/document.xml", b"<w:document/>")], bodies)


def test_the_entries_are_those_python_docx_saves(tmp_path):
    """package_entries: the names and bytes of ``Document.save``'s zip, in its order."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("政务公开")
    doc.core_properties.title = "通报"
    buf = io.BytesIO()
    doc.save(buf)
    saved = zipfile.ZipFile(buf)
    want = [(i.filename, saved.read(i.filename)) for i in saved.infolist()]
    assert docx_package.package_entries(doc.part.package) == want
    assert [name for name, _ in want][:2] == ["[Content_Types].xml", "_rels/.rels"]
