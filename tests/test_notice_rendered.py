"""The example notices (通报) rendered by LibreOffice and read back page by page.

Every example is scored (no other output is written), its notice exported, and
all DOCX files converted to PDF in one LibreOffice run per session; the tests
then read the pages with pdfinfo / pdftotext as a clerk would.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from rendering import SOFFICE, page_count, page_texts, require_renderer

from zwgk_score.outputs.exporters import NoticeExporter
from zwgk_score.outputs.mdblocks import parse_blocks, parser
from zwgk_score.plugins import PluginHost
from zwgk_score.run import _template_dirs, score_assessment

ROOT = Path(__file__).resolve().parents[1]
#: (example, config, quarter index or None): the annual notices and two quarterly ones
NOTICES = [
    ("tancheng", "assessment.toml"),
    ("huairou", "assessment.toml"),
    ("langfang", "assessment.toml"),
    ("xxshi", "assessment.toml"),
    ("liaocheng", "assessment.toml"),
    ("liaocheng", "q1.toml"),
    ("liaocheng", "q2.toml"),
]
#: GB/T 9704 target for a county notice of about 25 units with its attachments
TANCHENG_MAX_PAGES = 12
_PAGE_NO = re.compile(r"^—\s*\d+\s*—$")
#: as printed: with the blank pages a section starting on an even page adds (LibreOffice leaves
#: them out of a PDF by default)
WITH_BLANK_PAGES = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def _options(cfg, host, previous):
    options = {k: v for k, v in cfg.notice.items() if k != "templates"}
    options.update(
        previous=previous,
        template_dirs=_template_dirs(cfg, host),
        quarter=cfg.quarter,
        config_file=cfg.file,
    )
    return options


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{(example, config): (results, markdown, docx path, pdf path)}, converted once."""
    require_renderer()
    out = tmp_path_factory.mktemp("rendered")
    host = PluginHost()
    found = {}
    for example in sorted({e for e, _ in NOTICES}):
        outcome = score_assessment(ROOT / "examples" / example, host=host)
        runs = {p.config.file.name: p for p in outcome.periods}
        previous = None
        for name in sorted(runs):  # q1 … q4: each quarter compares with the one before
            runs[name] = (runs[name], previous)
            previous = runs[name][0].results
        runs["assessment.toml"] = (outcome, None)
        for ex, cfg_name in NOTICES:
            if ex != example:
                continue
            run, prev = runs[cfg_name]
            folder = out / f"{ex}-{cfg_name[:-5]}"
            md, path = NoticeExporter().export(
                run.results, folder, _options(run.config, host, prev)
            )
            found[(ex, cfg_name)] = (run.results, md.read_text(encoding="utf-8"), path)
    pdf_dir = out / "pdf"
    docs = {key: v[2] for key, v in found.items()}
    # one LibreOffice start for every document: the same file name in different folders
    staged = []
    for (ex, cfg_name), path in docs.items():
        target = out / "stage" / f"{ex}-{cfg_name[:-5]}.docx"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
        staged.append(target)
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{out / '.lo-profile'}",
            "--headless",
            "--convert-to",
            WITH_BLANK_PAGES,
            "--outdir",
            str(pdf_dir),
            *map(str, staged),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    result = {}
    for (ex, cfg_name), (res, md, path) in found.items():
        pdf = pdf_dir / f"{ex}-{cfg_name[:-5]}.pdf"
        assert pdf.exists(), f"no PDF for {ex}/{cfg_name}"
        result[(ex, cfg_name)] = (res, md, path, pdf)
    return result


def _landscape(pdf: Path) -> list[bool]:
    """Per page: is it landscape (wider than tall)?"""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)
    return [float(w) > float(h) for w, h in sizes]


def _body_pages(pdf: Path) -> list[str]:
    """The portrait pages before the first attachment (the ranking tables are landscape)."""
    pages = page_texts(pdf)
    wide = _landscape(pdf)
    first = wide.index(True) if True in wide else len(pages)
    return pages[:first]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_county_notice_fits_the_page_target(rendered):
    *_, pdf = rendered[("tancheng", "assessment.toml")]
    assert page_count(pdf) <= TANCHENG_MAX_PAGES


@pytest.mark.parametrize(("example", "config"), NOTICES)
def test_body_is_short_and_attachments_follow(rendered, example, config):
    *_, pdf = rendered[(example, config)]
    body = _body_pages(pdf)
    # the body of a results notice takes at most five pages; the attachments come after it
    assert 1 <= len(body) <= 5 and len(body) < page_count(pdf)


@pytest.mark.parametrize(("example", "config"), NOTICES)
def test_no_number_is_split_across_lines(rendered, example, config):
    results, _md, path, pdf = rendered[(example, config)]
    for page in _body_pages(pdf):
        lines = [s.strip() for s in page.splitlines() if s.strip()]
        for a, b in zip(lines, lines[1:], strict=False):
            assert not (re.search(r"\d[.]?$", a) and re.match(r"^[\d.%]", b)), (a, b)
    # every number of the attachment tables is printed whole: as often as the tables hold it
    text = " ".join(page_texts(pdf))
    wanted: dict[str, int] = {}
    for table in docx.Document(path).tables:
        for row in table.rows[1:]:
            for cell in row.cells:
                value = cell.text.strip()
                if re.fullmatch(r"\d+\.\d+", value):
                    wanted[value] = wanted.get(value, 0) + 1
    for value, n in wanted.items():
        found = len(re.findall(rf"(?<![\d.]){re.escape(value)}(?![\d.])", text))
        assert found >= n, (value, found, n)


@pytest.mark.parametrize(("example", "config"), NOTICES)
def test_every_failing_unit_is_named_in_the_body(rendered, example, config):
    results, *_, pdf = rendered[(example, config)]
    body = _flat("".join(_body_pages(pdf)))
    lowest = {g.id: g.lowest_grade for g in results.rubric.groups}
    failing = [r.unit for r in results.summary.itertuples() if r.grade == lowest[r.group] or r.veto]
    for unit in failing:
        assert _flat(unit) in body, unit


@pytest.mark.parametrize(("example", "config"), NOTICES)
def test_no_page_holds_only_the_signature(rendered, example, config):
    results, md, _path, pdf = rendered[(example, config)]
    sig = next(b for b in parse_blocks(md) if b.kind == "signature")
    note = next((b for b in parse_blocks(md) if b.kind == "attachment-note"), None)
    skip = {_flat(s) for s in sig.lines} | {_flat(s) for s in (note.lines if note else ())}
    for page in _body_pages(pdf):
        lines = [_flat(s) for s in page.splitlines() if s.strip()]
        if not any(_flat(sig.lines[-1]) in s for s in lines):
            continue
        body = [s for s in lines if s not in skip and not _PAGE_NO.match(s)]
        body = [s for s in body if not any(s in k or k in s for k in skip)]
        assert body, "a page with only the attachment note and the signature"


@pytest.mark.parametrize(("example", "config"), NOTICES)
def test_markdown_is_commonmark_with_one_title(rendered, example, config):
    _res, md, *_ = rendered[(example, config)]
    tokens = parser().parse(md)
    assert [t.tag for t in tokens if t.type == "heading_open"].count("h1") == 1
    assert ":::" not in md
    for t in tokens:
        assert t.type != "html_block" or t.content.strip().startswith("<!--"), t.content
    # every table row has as many cells as its header
    for b in parse_blocks(md):
        for child in b.children:
            if child.kind == "table":
                assert len({len(r) for r in child.rows}) == 1


def test_quarterly_notice_shows_only_inspected_indicators_and_last_quarter(rendered):
    results, md, path, _pdf = rendered[("liaocheng", "q2.toml")]
    table = docx.Document(path).tables[0]
    names = [c.text.replace("\n", "") for c in table.rows[0].cells]
    # no column of 0.00 for indicators nobody was inspected on
    for j, name in enumerate(names):
        values = {r.cells[j].text for r in table.rows[1:]}
        assert values != {"0.00"}, name
    # the 聊城 rubric has five 一级指标; the quarter inspected four of them (website and new
    # media, 找错 and 办事指南 times, 三同步 and 召回, 依申请公开), not (一) 重大决策部署
    inspected = [n for n in names if n.startswith(("着力", "围绕"))]
    assert len(inspected) == 4, names
    assert "## 三、上期问题整改情况" in md and "未按时报送上期问题整改情况" in md


def test_rescaling_is_stated_once_and_no_file_is_named(rendered):
    results, md, *_ = rendered[("tancheng", "assessment.toml")]
    body = md.split("\n---\n")[0]
    # towns and zones have 91 applicable points, 9 departments 97 or 91: the body says once
    # how totals are rescaled; the ranking table shows 适用分值
    assert body.count("折算") == 1 and "适用分值" in md.split("\n---\n")[1]
    assert ".xlsx" not in md and ".csv" not in md
    # 表现突出, the approval line, 发文字号 and the 版记 from [notice]
    assert "表现突出单位：郯城街道。" in body and "经县政府同意，" in body
    assert md.startswith("<!-- doc-number -->\n郯政办字〔2024〕3号")
    assert "抄送：县委办公室，县人大常委会办公室，县政协办公室。" in md


@pytest.mark.parametrize(("example", "config"), NOTICES)
def test_the_colophon_is_on_the_last_side_of_the_printed_copy(rendered, example, config):
    """GB/T 9704 prints both sides: the 版记 closes the last page, an even one (背面)."""
    _res, md, _path, pdf = rendered[(example, config)]
    colophon = next(b for b in parse_blocks(md) if b.kind == "colophon")
    pages = page_texts(pdf)
    assert len(pages) % 2 == 0, len(pages)
    last = [s for s in (_flat(line) for line in pages[-1].splitlines()) if s]
    assert _flat(colophon.lines[0]) in last[0] and "印发" in "".join(last)
    # before it: the last landscape attachment page, or (when that was an even page) a page
    # left wholly blank, without a page number
    assert _landscape(pdf)[-2] or not _flat(pages[-2])
