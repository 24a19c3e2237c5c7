"""Benchmark 3: the workbook's detail sheet (指标得分) against raw xlsxwriter, with peak memory.

Each case runs in its own child process, which scores the synthetic
assessment (``synth.py``), builds the detail table (``items_frame``, not
timed), then times only the writing and records the peak resident memory
*during the writing* (``VmHWM`` after resetting it through
``/proc/self/clear_refs``; the whole child's ``ru_maxrss`` is reported too).

Cases, for each number of units:

* ``sheet``: the library's detail sheet alone — ``outputs.excel.write_table``
  called exactly as ``write_workbook`` calls it for 指标得分 (same formats,
  kinds and missing-row fill), in a ``constant_memory`` workbook;
* ``raw``: plain xlsxwriter writing the same cells (title, header, every value
  with ``write_string`` / ``write_number``, three formats), same options;
* ``workbook``: the whole ``write_workbook`` (ranking sheets, 指标得分,
  扣分明细, 考核细则, chart), for scale.

The detail sheet has one row per unit × indicator, so 40,000 units × 200
indicators = 8 million rows, beyond Excel's limit of 1,048,576 rows per sheet;
sizes over the limit are skipped with a message (see docs/performance.md).

Usage::

    python benchmarks/bench_excel.py                # 1,000 units (200,000 rows)
    python benchmarks/bench_excel.py --units 1000,5000
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from common import HERE, emit, parser, reset_peak, row, run_child, units_list, vm_mib

EXCEL_MAX_ROWS = 1_048_576


def _raw_write(path: Path, items, title: str, precision: int) -> int:
    import xlsxwriter

    num = "0" if precision <= 0 else "0." + "0" * precision
    cols = list(items.columns)
    with xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    ) as wb:
        ws = wb.add_worksheet("指标得分")
        text_fmt = wb.add_format({"font_name": "宋体", "border": 1})
        num_fmt = wb.add_format({"font_name": "宋体", "border": 1, "num_format": num})
        head_fmt = wb.add_format({"font_name": "宋体", "border": 1, "bold": True})
        ws.write_string(0, 0, title, head_fmt)
        for c, name in enumerate(cols):
            ws.write_string(1, c, name, head_fmt)
        data = [items[c].tolist() for c in cols]
        for r, values in enumerate(zip(*data, strict=True), start=2):
            for c, v in enumerate(values):
                if isinstance(v, str):
                    ws.write_string(r, c, v, text_fmt)
                elif v != v:
                    ws.write_blank(r, c, None, text_fmt)
                else:
                    ws.write_number(r, c, v, num_fmt)
    return len(items) * len(cols)


def child(kind: str, n_units: int, out_dir: Path) -> dict:
    """Score ``n_units`` synthetic units and time one writer; return the measurements."""
    import synth

    from zwgk_score import parse_rubric, score
    from zwgk_score.outputs import excel
    from zwgk_score.outputs.tables import items_frame

    rubric = parse_rubric(synth.rubric_dict())
    roster = synth.roster(n_units)
    results = score(rubric, synth.evidence(roster), roster)
    prec = rubric.meta.precision
    path = out_dir / f"{kind}_{n_units}.xlsx"
    items = items_frame(results) if kind != "workbook" else None
    rss_before = vm_mib("VmRSS")
    peak_ok = reset_peak()
    t0 = time.perf_counter()
    if kind == "raw":
        cells = _raw_write(path, items, "指标得分明细", prec)
    elif kind == "sheet":
        import xlsxwriter

        with xlsxwriter.Workbook(str(path), excel.SAFE_OPTIONS) as wb:
            ws = wb.add_worksheet("指标得分")
            excel.write_table(
                ws,
                items,
                excel.Formats(wb, prec),
                title="指标得分明细",
                precision=prec,
                kinds={
                    "失分原因": "wrap",
                    "指标分值": "number",
                    "得分": "number",
                    "扣分": "number",
                },
                row_fill=excel._missing_rows,
            )
        cells = len(items) * len(items.columns)
    else:
        excel.write_workbook(results, path)
        cells = 0
    seconds = time.perf_counter() - t0
    import resource

    return {
        "seconds": seconds,
        "cells": cells,
        "rows": len(items) if items is not None else len(results.summary) * len(rubric.leaves),
        "write_peak_mib": (vm_mib("VmHWM") - rss_before) if peak_ok else float("nan"),
        "rss_before_mib": rss_before,
        "child_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "file_mib": path.stat().st_size / 2**20,
    }


def main(argv: list[str] | None = None) -> list[dict]:
    """Run every case in a child process, print the table and return its rows."""
    p = parser(__doc__.splitlines()[0])
    p.add_argument(
        "--units", default="1000", help="comma-separated unit counts (≤ 5,242 fit a sheet)"
    )
    p.add_argument("--workbook", action="store_true", help="also time the whole write_workbook")
    p.add_argument("--repeat", type=int, default=2, help="child runs per writer (best is kept)")
    p.add_argument("--child", help=argparse_hidden())
    args = p.parse_args(argv)
    rows: list[dict] = []
    n_leaves = 200
    with tempfile.TemporaryDirectory() as tmp:
        for n in units_list(args.units):
            size = f"{n:,} 单位（{n * n_leaves:,} 行）"
            if n * n_leaves + 2 > EXCEL_MAX_ROWS:
                rows.append(
                    row(
                        "3 Excel 明细表",
                        size,
                        None,
                        note=(
                            f"跳过：{n * n_leaves:,} 行超出 Excel 单表 {EXCEL_MAX_ROWS:,} 行上限"
                        ),
                    )
                )
                continue
            m: dict[str, dict] = {}
            for _ in range(max(1, args.repeat)):  # interleaved, best time of each kept
                for k in ("raw", "sheet"):
                    got = run_child([str(HERE / "bench_excel.py"), "--child", f"{k}:{n}:{tmp}"])
                    if k not in m or got["seconds"] < m[k]["seconds"]:
                        m[k] = got
            raw, lib = m["raw"], m["sheet"]
            thr = raw["seconds"] / lib["seconds"]
            rows.append(
                row(
                    "3 Excel 明细表 write_table",
                    size,
                    lib["seconds"],
                    "原生 xlsxwriter",
                    raw["seconds"],
                    (
                        f"{args.repeat} 次交替运行取最快；吞吐量为原生的 {thr:.0%}；{lib['cells'] / lib['seconds'] / 1e3:,.0f} 千格/秒；"
                        f"写入峰值内存 +{lib['write_peak_mib']:.0f} MiB（原生 +{raw['write_peak_mib']:.0f} MiB）；"
                        f"子进程峰值 {lib['child_peak_mib']:,.0f} MiB；文件 {lib['file_mib']:.1f} MiB"
                    ),
                )
            )
            if args.workbook:
                wbm = run_child([str(HERE / "bench_excel.py"), "--child", f"workbook:{n}:{tmp}"])
                rows.append(
                    row(
                        "3b 整本工作簿 write_workbook",
                        size,
                        wbm["seconds"],
                        note=(
                            f"写入峰值内存 +{wbm['write_peak_mib']:.0f} MiB；文件 {wbm['file_mib']:.1f} MiB"
                        ),
                    )
                )
    emit(rows, args.json)
    return rows


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    if "--child" in sys.argv:
        kind, n, out = sys.argv[sys.argv.index("--child") + 1].split(":", 2)
        print(json.dumps(child(kind, int(n), Path(out))))
    else:
        main()
