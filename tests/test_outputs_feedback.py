"""Per-unit feedback sheets (反馈单), safe file names and the exporter objects."""

from __future__ import annotations

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
    top = " ".join(str(r[0]) for r in values[1:4])
    # 乙县: 70 points, lost 10 + 10 + 10 = 30
    assert (
        "单位：乙县" in top
        and "总分：70.00" in top
        and "失分合计：30" in top
        and "组内排名：2/3" in top
    )
    h = next(i for i, r in enumerate(values) if r[0] == "序号")
    assert tuple(values[h]) == COLUMNS
    rows = [r for r in values[h + 1 :] if isinstance(r[0], int)]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("栏目更新", 40, 10),
        ("网站标识", 20, 10),
        ("答复时效", 40, 10),
    ]
    assert all(r[5] in (None, "") for r in rows)  # 整改情况 left empty
    assert "2024年1月31日前" in values[-1][0]
    assert ws.print_title_rows == f"${h + 1}:${h + 1}"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"


def test_hostile_unit_stays_text_and_missing_is_flagged(written):
    _, paths = written
    path = next(p for p in paths if p.name == "反馈单_=1+1.xlsx")
    ws = sheet(path)
    assert "单位：=1+1" in ws["A2"].value
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    with zipfile.ZipFile(path) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    missing = [r for r in ws.iter_rows() if r[4].value == "缺失（计0分）"]
    assert len(missing) == 1 and ws.cell(missing[0][0].row, 2).value == "答复时效"
    assert missing[0][1].fill.fgColor.rgb.endswith(MISSING_FILL[1:])


def test_veto_row(written):
    _, paths = written
    ws = sheet(next(p for p in paths if p.name == "反馈单_丁局.xlsx"))
    veto = [r for r in ws.iter_rows(values_only=True) if r[1] == "单项否决"]
    assert veto and veto[0][2] is None and veto[0][3] == "单项否决"


def test_feedback_docx(written):
    _, paths = written
    d = docx.Document(next(p for p in paths if p.name == "反馈单_=1+1.docx"))
    (t,) = d.tables
    assert tuple(c.text for c in t.rows[0].cells) == COLUMNS
    assert [c.text for c in t.rows[1].cells][1:4] == ["栏目更新", "40", "5"]
    assert t.rows[3].cells[4].text == "缺失（计0分）"
    assert d.paragraphs[0].text == "2023年度政务公开工作考核反馈单"


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
    assert (
        docx.Document(docx_path).paragraphs[0].text
        == "关于2023年第二季度政务公开工作检查情况的通报"
    )
