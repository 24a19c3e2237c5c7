"""Benchmark 1d: the engine's tables and export at scale — score(), Results.items(), results.json.

Each size runs in its own process (fresh memory, so that the peaks are its
own).  In that process, on the synthetic assessment of ``synth.py`` (data
generated first, not timed), it times:

* ``score()`` against floor (a′) of ``bench_score.py`` (strings mapped to
  indices + ``bincount`` + weighted sum), with the memory peak while scoring
  against the size of the input frame (``memory_usage(deep=True)``);
* ``Results.items()`` (first, uncached call) against the floor of building the
  same fifteen columns, of the same dtypes, with pandas directly (``repeat`` /
  ``tile`` of the codes of the per-unit and per-leaf texts, one reason text per
  leaf, one ``pd.DataFrame``), the same floor as ``bench_run.py``'s items case;
  also against the earlier floor whose text columns are all ``str``
  (``items_floor(plain=True)``), and the frame's ``memory_usage``;
* results.json written by ``Results.write_json`` (streamed), with its size;
  up to ``--json-ref-max`` units also the standard library's
  ``json.dumps(to_dict(), ensure_ascii=False, indent=1)`` and whether the bytes
  are identical.

Wall and CPU seconds are both recorded (the machine is shared: CPU time is the
steadier of the two); the load average is recorded at each measurement.

Usage::

    python benchmarks/bench_items.py                              # 2,000 / 10,000 / 40,000 × 200
    python benchmarks/bench_items.py --units 40000 --domains 2,5,10  # 40,000 × 48 / 105 / 200
"""

from __future__ import annotations

import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    HERE,
    argparse_hidden,
    emit,
    items_floor,
    parser,
    peak_rss_mib,
    reset_peak,
    row,
    run_child,
    synthetic,
    units_list,
    vm_mib,
)


def best(fn: Any, repeat: int) -> tuple[float, float]:
    """(best wall s, best CPU s) of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus)


def _timed(fn: Any) -> tuple[float, float, float, Any]:
    """(wall s, CPU s, memory peak above the start in MiB, result) of one call."""
    gc.collect()
    rss0 = vm_mib("VmRSS")
    ok = reset_peak()
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = vm_mib("VmHWM") - rss0 if ok else float("nan")
    return wall, cpu, peak, out


def child(n_units: int, n_domains: int, json_ref_max: int, with_json: bool = True) -> dict:
    """Measure one size in this (fresh) process."""
    from bench_score import longtable_run

    from zwgk_score import score

    rubric, roster, data = synthetic(n_units, n_domains)
    input_mib = float(data.memory_usage(deep=True).sum()) / 2**20
    m: dict[str, Any] = {"leaves": len(rubric.leaves), "rows": len(data), "input_mib": input_mib}
    m["load_score"] = os.getloadavg()[0]
    m["score_first"], m["score_cpu"], m["score_peak"], results = _timed(
        lambda: score(rubric, data, roster)
    )
    del results
    again = _timed(lambda: score(rubric, data, roster))
    m["score"], m["score_cpu"] = min(m["score_first"], again[0]), min(m["score_cpu"], again[1])
    results = again[3]
    m["floor_score"], m["floor_score_cpu"] = best(longtable_run(rubric, data, roster), 3)
    m["load_items"] = os.getloadavg()[0]
    m["floor_items"], m["floor_items_cpu"] = best(lambda: items_floor(results), 2)
    m["floor_plain"], m["floor_plain_cpu"] = best(lambda: items_floor(results, plain=True), 2)
    m["items_first"], m["items_cpu"], m["items_peak"], items = _timed(results.items)
    m["items_rows"] = len(items)
    # the frame itself: memory_usage(deep=True) counts a string shared by many rows once per row
    m["items_deep_mib"] = float(items.memory_usage(deep=True).sum()) / 2**20
    m["items_shallow_mib"] = float(items.memory_usage(deep=False).sum()) / 2**20
    floor = items_floor(results)
    m["floor_same_dtypes"] = [str(t) for t in floor.dtypes] == [str(t) for t in items.dtypes]
    del items, floor
    # a second, uncached build (items() caches the table; the copy it returns is shallow)
    from zwgk_score.engine.items import build_items

    again = _timed(lambda: build_items(results))
    m["items"], m["items_cpu"] = min(m["items_first"], again[0]), min(m["items_cpu"], again[1])
    del again
    with tempfile.TemporaryDirectory() as tmp:
        if not with_json:
            m["peak_mib"] = peak_rss_mib()
            return m
        path = Path(tmp) / "results.json"
        write = getattr(results, "write_json", None) or results.to_json  # older code: to_json
        m["load_json"] = os.getloadavg()[0]
        m["json"], m["json_cpu"], m["json_peak"], _ = _timed(lambda: write(path))
        m["json_mib"] = path.stat().st_size / 2**20
        if n_units <= json_ref_max:

            def ref() -> str:
                return json.dumps(results.to_dict(), ensure_ascii=False, indent=1)

            m["json_ref"], m["json_ref_cpu"], m["json_ref_peak"], text = _timed(ref)
            m["json_same"] = text.encode("utf-8") == path.read_bytes()
            del text
    m["peak_mib"] = peak_rss_mib()
    return m


def rows_of(n: int, m: dict) -> list[dict]:
    size = f"{n:,} × {m['leaves']}"
    load = f"负载 {m['load_score']:.1f}"
    out = [
        row(
            "1d 评分 score()",
            size,
            m["score"],
            "(a′) 长表最少处理",
            m["floor_score"],
            f"{m['rows']:,} 行长表；2 次最快（首次 {m['score_first']:.2f} s）；CPU {m['score_cpu']:.2f} s"
            f" ÷ 下限 CPU {m['floor_score_cpu']:.3f} s = {m['score_cpu'] / m['floor_score_cpu']:.1f}×；"
            f"{load}；评分时内存峰值 "
            f"+{m['score_peak']:,.0f} MiB = 输入长表（{m['input_mib']:,.0f} MiB）的 "
            f"{m['score_peak'] / m['input_mib']:.2f} 倍",
        ),
        row(
            "1d Results.items()",
            size,
            m["items"],
            "pandas 直接构造同样的列",
            m["floor_items"],
            f"{m['items_rows']:,} 行；2 次最快（首次 {m['items_first']:.2f} s），"
            f"CPU {m['items_cpu']:.2f} s ÷ 下限 CPU {m['floor_items_cpu']:.2f} s = "
            f"{m['items_cpu'] / m['floor_items_cpu']:.2f}×"
            f"（下限与 items() 列类型{'相同' if m['floor_same_dtypes'] else '不同！'}）；"
            f"÷ 全为 str 列的下限 CPU {m['floor_plain_cpu']:.2f} s = "
            f"{m['items_cpu'] / m['floor_plain_cpu']:.2f}×；负载 {m['load_items']:.1f}；"
            f"内存峰值 +{m['items_peak']:,.0f} MiB；表 memory_usage {m['items_shallow_mib']:,.0f} MiB"
            f"（deep=True {m['items_deep_mib']:,.0f} MiB）",
        ),
    ]
    if "json" not in m:
        out[-1]["note"] += f"；进程峰值 {m['peak_mib']:,.0f} MiB（含合成数据）"
        return out
    note = (
        f"{m['json_mib']:,.0f} MiB；CPU {m['json_cpu']:.2f} s；负载 {m['load_json']:.1f}；"
        f"内存峰值 +{m['json_peak']:,.0f} MiB；进程峰值 {m['peak_mib']:,.0f} MiB（含合成数据）"
    )
    if "json_ref" in m:
        same = "逐字节相同" if m["json_same"] else "字节不同！"
        out.append(
            row(
                "1d results.json（write_json）",
                size,
                m["json"],
                "标准库 json.dumps(indent=1)",
                m["json_ref"],
                f"{note}；与标准库输出{same}；标准库内存峰值 +{m['json_ref_peak']:,.0f} MiB",
            )
        )
    else:
        out.append(row("1d results.json（write_json）", size, m["json"], note=note))
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--units", default="2000,10000,40000", help="comma-separated unit counts")
    p.add_argument(
        "--domains",
        default="10",
        help="comma-separated domain counts (19 indicators each + 10): 2 → 48, 5 → 105, 10 → 200",
    )
    p.add_argument(
        "--json-ref-max",
        type=int,
        default=2000,
        help="also time the standard library's json.dumps up to this many units",
    )
    p.add_argument("--no-json", action="store_true", help="skip the results.json case")
    p.add_argument("--child", help=argparse_hidden())
    args = p.parse_args(argv)
    if args.child:
        n, d = (int(x) for x in args.child.split(":"))
        print(json.dumps(child(n, d, args.json_ref_max, not args.no_json)))
        return []
    rows: list[dict] = []
    for d in units_list(args.domains):
        for n in units_list(args.units):
            print(f"# {n:,} units, {d} domains", file=sys.stderr, flush=True)
            m = run_child(
                [
                    str(HERE / "bench_items.py"),
                    "--child",
                    f"{n}:{d}",
                    "--json-ref-max",
                    str(args.json_ref_max),
                    *(["--no-json"] if args.no_json else []),
                ],
                timeout=7200,
            )
            rows += rows_of(n, m)
    emit(rows, args.json)
    return rows


if __name__ == "__main__":
    main()
