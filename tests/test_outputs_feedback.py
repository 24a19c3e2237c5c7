"""Per-unit feedback sheets (反馈单), safe file names and the exporter objects."""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile
from pathlib import Path

import attrs
import docx
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_outputs_sample import UNITS, sample_results

from zwgk_score.outputs.excel import MISSING_FILL
from zwgk_score.outputs.exporters import EXPORTERS, FeedbackExporter
from zwgk_score.outputs.feedback import COLUMNS
from zwgk_score.outputs.filenames import safe_filename, unique_filenames
from zwgk_score.outputs.textwidth import display_width

OPTIONS = {"rectify_deadline": "2024-01-31", "date": "2024-01-05", "feedback_docx": True}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("fb")
    return out, FeedbackExporter().export(sample_results(), out, OPTIONS)


def sheet(path: Path):
    return openpyxl.load_workbook(path).active


def test_one_file_per_unit_inside_the_folder(written):
    out, paths = written
    folder = (out / "反馈单").resolve()
    assert len(paths) == 2 * len(UNITS)
    for p in paths:
        assert p.exists() and p.resolve().parent == folder
    names = sorted(p.name for p in paths if p.suffix == ".xlsx")
    assert names == sorted(
        [
            "反馈单_甲县.xlsx",
            "反馈单_乙县.xlsx",
            "反馈单_=1+1.xlsx",
            "反馈单_.._x.xlsx",
            "反馈单_丁局.xlsx",
        ]
    )
    assert not (out / "x.xlsx").exists() and not (out.parent / "x.xlsx").exists()


def test_feedback_content(written):
    _, paths = written
    ws = sheet(next(p for p in paths if p.name == "反馈单_乙县.xlsx"))
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == "2023年度政务公开工作考核反馈单"
    assert values[1][0] == "单位：乙县　　总分：70.00　　等次：合格　　组内排名：2/3"
    # 乙县: 100 applicable points, lost 10 + 10 + 10 = 30, nothing rescaled, no bonus
    assert values[2][0] == (
        "得分说明：本单位适用指标满分100分，失分30分，实得70分。"
        "总分70.00分，等次为合格，在县区政府3个单位中排第2名。"
    )
    h = next(i for i, r in enumerate(values) if r[0] == "序号")
    assert tuple(values[h]) == COLUMNS
    rows = [r for r in values[h + 1 :] if isinstance(r[0], int)]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("栏目更新", 40, 10),
        ("网站标识", 20, 10),
        ("答复时效", 40, 10),
    ]
    assert all(r[5] == "2024年1月31日" for r in rows)  # 整改时限
    assert all(r[6] in (None, "") for r in rows)  # 整改情况 left empty
    tail = " ".join(str(r[0]) for r in values[h + 1 + len(rows) :] if r[0])
    assert "于2024年1月31日前报送某市人民政府办公室" in tail and "逾期未反馈的视为未整改" in tail
    assert "填报单位（盖章）" in tail and "联系电话" in tail and "签字" in tail
    assert ws.print_title_rows == f"${h + 1}:${h + 1}"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"


def test_explanation_adds_up_with_bonus_and_veto(written):
    _, paths = written
    x = sheet(next(p for p in paths if p.name == "反馈单_.._x.xlsx"))
    # ../x: 100 of 100 points, +2 bonus → 100.00 + 2 = 102.00
    assert "加分2分：100.00 + 2 = 102.00分" in x["A3"].value
    d = sheet(next(p for p in paths if p.name == "反馈单_丁局.xlsx"))
    # 丁局: 90 points, vetoed → lowest grade whatever the score
    assert "实得90分" in d["A3"].value and "因触发单项否决（" in d["A3"].value
    assert "等次直接定为最低等次" in d["A3"].value and "等次为不合格" in d["A3"].value
    # as in the notice's ranking (名次“—”, listed last): a vetoed unit takes no place
    assert d["A2"].value.endswith("组内排名：—（单项否决）")
    assert d["A3"].value.endswith("因单项否决不参与市直部门排名（列于最后）。")
    assert "排第" not in d["A3"].value


def test_rescaled_total_is_explained():
    from zwgk_score.outputs.feedback import explanation

    res = sample_results()
    s = dict(res.summary.set_index("unit").loc["甲县"])
    s.update(unit="甲县", applicable=75.0, obtained=69.0, base=92.0, total=92.0)
    text = explanation(res, s, {"a": 3, "b": 2}, [])
    # 69 of 75 applicable points → 69 ÷ 75 × 100 = 92
    assert "本单位适用指标满分75分，失分6分，实得69分" in text
    assert "按适用分值折算为100分制：69 ÷ 75 × 100 = 92.00分" in text


def test_hostile_unit_stays_text_and_missing_is_flagged(written):
    _, paths = written
    path = next(p for p in paths if p.name == "反馈单_=1+1.xlsx")
    ws = sheet(path)
    assert "单位：=1+1" in ws["A2"].value
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    with zipfile.ZipFile(path) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    missing = [r for r in ws.iter_rows() if "缺失（计0分）" in str(r[4].value)]
    assert len(missing) == 1 and ws.cell(missing[0][0].row, 2).value == "答复时效"
    assert missing[0][1].fill.fgColor.rgb.endswith(MISSING_FILL[1:])


def test_veto_row(written):
    _, paths = written
    ws = sheet(next(p for p in paths if p.name == "反馈单_丁局.xlsx"))
    veto = [r for r in ws.iter_rows(values_only=True) if r[1] == "单项否决"]
    assert veto and veto[0][2] is None and veto[0][3] == "单项否决" and veto[0][5] == "立即整改"


def test_wrapped_rows_have_heights(written):
    """LibreOffice/WPS do not grow rows: every row with wrapped text carries its own height."""
    _, paths = written
    path = next(p for p in paths if p.name == "反馈单_乙县.xlsx")
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    rows = re.findall(r"<row [^>]*>", xml)
    assert rows and all('customHeight="1"' in r and " ht=" in r for r in rows)
    heights = {int(r): float(h) for r, h in re.findall(r'<row r="(\d+)"[^>]* ht="([\d.]+)"', xml)}
    # the explanation (row 3) is 108 display columns; the merged row is 134.5 wide, of which
    # 134.5 × 0.95 − 1.5 = 126.3 are used: one line of 13.5 pt + 3 pt padding
    explained = sheet(path)["A3"].value
    assert display_width(explained) == 108 and heights[3] == 16.5
    # the note is 191 columns: ⌈191 ÷ 126.3⌉ = 2 lines → 2 × 13.5 + 3 = 30 pt
    note_row = next(c.row for c in sheet(path)["A"] if c.value and "逾期未反馈" in str(c.value))
    assert display_width(sheet(path).cell(note_row, 1).value) == 191 and heights[note_row] == 30


def test_feedback_docx(written):
    _, paths = written
    d = docx.Document(next(p for p in paths if p.name == "反馈单_=1+1.docx"))
    (t,) = d.tables
    assert tuple(c.text for c in t.rows[0].cells) == COLUMNS
    assert [c.text for c in t.rows[1].cells][1:4] == ["栏目更新", "40", "5"]
    assert "缺失（计0分）" in t.rows[3].cells[4].text
    assert t.rows[1].cells[5].text == "2024年1月31日"
    assert d.paragraphs[0].text == "2023年度政务公开工作考核反馈单"
    text = "\n".join(p.text for p in d.paragraphs)
    assert "得分说明：本单位适用指标满分100分" in text and "填报单位（盖章）" in text
    sec = d.sections[0]
    # A4 landscape, GB/T 9704's 156 × 225 mm text block turned with the page
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (297, 210)
    assert round(sec.left_margin.mm) == 37 and round(sec.top_margin.mm) == 28
    text_w = sec.page_width.mm - sec.left_margin.mm - sec.right_margin.mm
    assert round(text_w) == 225


def test_feedback_docx_structure(written):
    _, paths = written
    path = next(p for p in paths if p.name == "反馈单_乙县.docx")
    with zipfile.ZipFile(path) as z:
        doc = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
        infos = z.infolist()
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
    assert doc.count("<w:tblHeader/>") == 1  # the header row repeats on every page
    assert doc.count("<w:cantSplit/>") == 4  # header + 3 rows never split
    widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', doc)]
    assert max(widths) == widths[COLUMNS.index("失分原因")]  # the reason gets the most room
    assert 'w:eastAsia="zh-CN"' in styles and 'w:eastAsia="仿宋_GB2312"' in styles


def test_docx_text_is_escaped(tmp_path):
    from zwgk_score.outputs.feedback import FeedbackRow, FeedbackSheet
    from zwgk_score.outputs.feedback_docx import write_feedback_docx, xml_text

    assert xml_text('a<b>&"c"\x01') == "a&lt;b&gt;&amp;&quot;c&quot;"
    row = FeedbackRow(1, "<w:t>注入", 5.0, 5.0, "A & B <c> ]]>\x0b", "", None)
    sheet_ = FeedbackSheet("单位&<>", "反馈单", (("单位", "单位&<>"),), "说明", (row,), "注", "", 2)
    path = write_feedback_docx(sheet_, tmp_path / "a.docx", created=dt.datetime(2024, 1, 5))
    d = docx.Document(path)
    assert d.tables[0].rows[1].cells[1].text == "<w:t>注入"
    assert d.tables[0].rows[1].cells[4].text == "A & B <c> ]]>"


def test_pool_output_is_byte_identical_to_one_process(tmp_path):
    """Writing in worker processes gives the same files, in the same order, as one process."""
    from zwgk_score.outputs.feedback import feedback_paths, feedback_sheets
    from zwgk_score.outputs.feedback_pool import write_all

    res = sample_results()
    sheets = feedback_sheets(res)
    created = dt.datetime(2024, 1, 5)

    def run(folder: Path, workers: int) -> list[tuple[str, bytes]]:
        paths = {k: feedback_paths(res, folder, f".{k}") for k in ("xlsx", "docx")}
        jobs = [(sheets[u], k, paths[k][u]) for u in res.units for k in ("xlsx", "docx")]
        out = write_all(jobs, created=created, workers=workers, min_files=1)
        assert out == [j[2] for j in jobs]
        return [(p.name, p.read_bytes()) for p in out]

    one, two = run(tmp_path / "1", 1), run(tmp_path / "2", 2)
    assert len(one) == 2 * len(UNITS) and one == two


@given(st.text(max_size=300))
def test_safe_filename_never_escapes(name):
    base = Path("/srv/out")
    safe = safe_filename(name)
    assert safe and safe not in (".", "..")
    assert not set(safe) & set('<>:"/\\|?*\x00')
    assert not safe.startswith(".") and not safe.endswith((".", " "))
    assert len(safe.encode("utf-8")) <= 180
    assert (base / safe).parent == base and len((base / safe).parts) == len(base.parts) + 1


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../x", "_x"),
        ("..", "未命名"),
        ("a/b\\c", "a_b_c"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("=1+1", "=1+1"),
        ("甲县 ", "甲县"),
        ("x" * 300, "x" * 180),
    ],
)
def test_safe_filename_examples(name, safe):
    assert safe_filename(name) == safe


def test_unique_filenames():
    # "a/b" and "a:b" both become a_b; case-insensitive file systems see A_B too
    assert unique_filenames(["a/b", "a:b", "A_B"], suffix=".xlsx") == [
        "a_b.xlsx",
        "a_b_2.xlsx",
        "A_B_3.xlsx",
    ]


def test_exporters_byte_identical_across_runs(tmp_path, monkeypatch):
    previous = sample_results(previous=True)

    def run(out: Path) -> dict[str, bytes]:
        files = []
        for e in EXPORTERS:
            files += e.export(sample_results(), out, {**OPTIONS, "previous": previous})
        return {str(p.relative_to(out)): p.read_bytes() for p in files}

    first = run(tmp_path / "1")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400)
    second = run(tmp_path / "2")
    assert sorted(first) == sorted(second)
    assert len(first) == 3 + 2 * len(UNITS)  # workbook, notice .md/.docx, feedback xlsx + docx
    assert first == second


def test_exporter_names():
    assert [e.name for e in EXPORTERS] == ["excel", "notice", "feedback"]


def test_notice_exporter_with_region_templates(tmp_path):
    from zwgk_score.outputs.exporters import NoticeExporter

    region = tmp_path / "region"
    region.mkdir()
    (region / "quarterly.md.j2").write_text(
        '{% extends "_base.md.j2" %}{% block basis %}本区依据季度检查方案开展检查。\n\n{% endblock %}',
        encoding="utf-8",
    )
    res = attrs.evolve(sample_results(), period="2023Q2")  # Results is a frozen record
    md, docx_path = NoticeExporter().export(
        res, tmp_path / "out", {"template": "quarterly", "template_dirs": [str(region)]}
    )
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 关于2023年第二季度政务公开工作检查情况的通报")
    assert "本区依据季度检查方案开展检查。" in text and "## 二、检查结果" in text
    # a title longer than one line (20 characters of 2号) is broken into balanced lines
    assert (
        docx.Document(docx_path).paragraphs[0].text
        == "关于2023年第二季度\n政务公开工作检查情况的通报"
    )
