"""Benchmark 5: per-unit feedback sheets (反馈单) against their floors, and the whole exporter.

The synthetic assessment (``synth.py``) is scored once; its sheets are built once
(``feedback_sheets``, timed separately).  Then, in the same process, one after the other:

* ``xlsx``: ``feedback_xlsx.write_feedback_xlsx`` for every unit, against the floor
  ``raw``: plain xlsxwriter writing the same cells (title, figures, explanation,
  header, every row's values, note and signature lines; the same workbook options —
  text stays text, built in memory — three formats, no widths, heights or merges);
* ``docx``: ``feedback_docx.write_feedback_docx`` for every unit, against the floor
  ``template``: one fixed WordprocessingML skeleton filled with ``str.format`` (the same
  text escaped, a plain table) and zipped with the same static parts;
* ``exporter``: ``FeedbackExporter.export`` (sheets built, both formats, files written on
  every core) in one process and with the pool, wall time.

Each timing is the best of ``--repeat`` runs, the library and its floor interleaved.

Usage::

    python benchmarks/bench_feedback.py                 # 200 units
    python benchmarks/bench_feedback.py --units 24,200,1000
"""

from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import best_of, emit, parser, row, units_list


def _raw_xlsx(sheets, folder: Path) -> None:
    import xlsxwriter

    from zwgk_score.outputs.feedback import COLUMNS
    from zwgk_score.outputs.feedback_xlsx import OPTIONS, SIGN_LINES

    for k, s in enumerate(sheets):
        with xlsxwriter.Workbook(str(folder / f"raw_{k}.xlsx"), OPTIONS) as wb:
            ws = wb.add_worksheet("反馈单")
            text = wb.add_format({"font_name": "宋体", "border": 1, "text_wrap": True})
            num = wb.add_format({"font_name": "宋体", "border": 1})
            head = wb.add_format({"font_name": "宋体", "border": 1, "bold": True})
            ws.write_string(0, 0, s.title, head)
            ws.write_string(1, 0, "　　".join(f"{a}：{b}" for a, b in s.facts), text)
            ws.write_string(2, 0, s.explanation, text)
            for i, c in enumerate(COLUMNS):
                ws.write_string(3, i, c, head)
            r = 3
            for x in s.rows:
                r += 1
                ws.write_number(r, 0, x.number, num)
                ws.write_string(r, 1, x.indicator, text)
                if x.points is None:
                    ws.write_blank(r, 2, None, num)
                else:
                    ws.write_number(r, 2, x.points, num)
                if isinstance(x.lost, str):
                    ws.write_string(r, 3, x.lost, text)
                else:
                    ws.write_number(r, 3, x.lost, num)
                ws.write_string(r, 4, x.reason, text)
                ws.write_string(r, 5, x.deadline, text)
                ws.write_blank(r, 6, None, text)
            for line in (s.note, *SIGN_LINES):
                r += 2
                ws.write_string(r, 0, line, text)


_SKELETON = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>'
    "{paras}<w:tbl>{rows}</w:tbl>{tail}</w:body></w:document>"
)
_P = '<w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>'
_C = '<w:tc><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>'


def _template_docx(sheets, folder: Path | None, created) -> None:
    """The floor: every sheet's text in a fixed skeleton, zipped with the static parts.

    ``folder=None`` builds each file's bytes in memory only (no file written).
    """
    import io
    from xml.sax.saxutils import escape

    from zwgk_score.outputs.docx_parts import STATIC_PARTS
    from zwgk_score.outputs.feedback import COLUMNS, lost_text, points_text
    from zwgk_score.outputs.feedback_docx import SIGN_LINES, ZIP_TIME, core_xml

    for k, s in enumerate(sheets):
        paras = "".join(
            _P.format(escape(t))
            for t in (s.title, "　　".join(f"{a}：{b}" for a, b in s.facts), s.explanation)
        )
        rows = ["<w:tr>" + "".join(_C.format(c) for c in COLUMNS) + "</w:tr>"]
        for x in s.rows:
            cells = (str(x.number), x.indicator, points_text(x.points), lost_text(x.lost))
            cells += (x.reason, x.deadline, "")
            rows.append("<w:tr>" + "".join(_C.format(escape(c)) for c in cells) + "</w:tr>")
        tail = "".join(_P.format(escape(t)) for t in (s.note, *SIGN_LINES))
        doc = _SKELETON.format(paras=paras, rows="".join(rows), tail=tail)
        parts = [*STATIC_PARTS, ("docProps/core.xml", core_xml(s.title, created))]
        parts.append(("word/document.xml", doc))
        target = io.BytesIO() if folder is None else folder / f"tpl_{k}.docx"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts:
                z.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), text.encode("utf-8"))


def measure(n_units: int, repeat: int) -> list[dict]:
    import datetime as dt

    import synth

    from zwgk_score import parse_rubric, score
    from zwgk_score.outputs.exporters import FeedbackExporter
    from zwgk_score.outputs.feedback import feedback_paths, feedback_sheets
    from zwgk_score.outputs.feedback_docx import feedback_docx_bytes, write_feedback_docx
    from zwgk_score.outputs.feedback_pool import available_cores
    from zwgk_score.outputs.feedback_xlsx import write_feedback_xlsx

    rubric = parse_rubric(synth.rubric_dict())
    roster = synth.roster(n_units)
    results = score(rubric, synth.evidence(roster), roster)
    results.items()  # cached; the exporter shares it with the workbook and the notice
    created = dt.datetime(2024, 1, 5)
    t0 = time.perf_counter()
    sheets_by_unit = feedback_sheets(results)
    t_build = time.perf_counter() - t0
    sheets = list(sheets_by_unit.values())
    n_rows = sum(len(s.rows) for s in sheets)
    size = f"{n_units:,} 单位（{n_rows:,} 行失分）"
    out: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        times: dict[str, float] = {}
        for rep in range(max(1, repeat)):
            # every run writes new files into a folder of its own, as a run's staging folder
            fresh = {k: folder / f"{k}{rep}" for k in ("raw", "xlsx", "template", "docx")}
            for f in fresh.values():
                f.mkdir()
            px = feedback_paths(results, fresh["xlsx"], ".xlsx")
            pd_ = feedback_paths(results, fresh["docx"], ".docx")
            for name, fn in (
                ("raw", lambda f=fresh: _raw_xlsx(sheets, f["raw"])),
                (
                    "xlsx",
                    lambda p=px: [
                        write_feedback_xlsx(s, p[s.unit], created=created) for s in sheets
                    ],
                ),
                ("template", lambda f=fresh: _template_docx(sheets, f["template"], created)),
                (
                    "docx",
                    lambda p=pd_: [
                        write_feedback_docx(s, p[s.unit], created=created) for s in sheets
                    ],
                ),
                ("template_mem", lambda: _template_docx(sheets, None, created)),
                (
                    "docx_mem",
                    lambda: [feedback_docx_bytes(s, created=created) for s in sheets],
                ),
            ):
                t, _ = best_of(fn)
                times[name] = min(times.get(name, float("inf")), t)
        per = 1000 / n_units
        out.append(
            row(
                "5 反馈单 XLSX（每单位一份）",
                size,
                times["xlsx"],
                "原生 xlsxwriter 写同样的单元格",
                times["raw"],
                f"单进程；每份 {times['xlsx'] * per:.1f} ms（原生 {times['raw'] * per:.1f} ms）；"
                f"{repeat} 次交替取最快",
            )
        )
        out.append(
            row(
                "5 反馈单 DOCX（每单位一份）",
                size,
                times["docx"],
                "字符串模板 + zip",
                times["template"],
                f"单进程；每份 {times['docx'] * per:.1f} ms（下限 {times['template'] * per:.1f} ms）；"
                "库原子写入（临时文件 + 改名），下限直接写文件",
            )
        )
        out.append(
            row(
                "5 反馈单 DOCX（仅生成字节）",
                size,
                times["docx_mem"],
                "字符串模板 + zip（内存中）",
                times["template_mem"],
                f"不写文件；每份 {times['docx_mem'] * per:.2f} ms（下限 {times['template_mem'] * per:.2f} ms）",
            )
        )
        out.append(row("5 反馈单内容 feedback_sheets", size, t_build, note="一次遍历全部失分行"))
        for workers in (1, None):
            t, _ = best_of(
                lambda w=workers: FeedbackExporter().export(
                    results, folder / f"ex{w}", {"feedback_workers": w}
                ),
                repeat,
            )
            label = "单进程" if workers == 1 else f"{available_cores()} 个进程"
            out.append(
                row(
                    f"5 反馈单导出 FeedbackExporter（{label}）",
                    size,
                    t,
                    note=f"含内容生成；XLSX + DOCX 共 {2 * n_units:,} 个文件，每份 {t * 500 / n_units:.1f} ms",
                )
            )
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--units", default="200", help="comma-separated unit counts")
    p.add_argument("--repeat", type=int, default=2, help="runs per case (best is kept)")
    args = p.parse_args(argv)
    rows: list[dict] = []
    for n in units_list(args.units):
        rows += measure(n, args.repeat)
    emit(rows, args.json)
    return rows


if __name__ == "__main__":
    sys.exit(main() and 0)
