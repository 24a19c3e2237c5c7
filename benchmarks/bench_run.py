"""Benchmark 5: the whole run — scoring and every output — at three sizes, with its stages.

Each size runs in its own child process, which generates the synthetic
assessment (``synth.py``, not timed), then times, one after the other, the
stages a user waits for in ``zwgk run``:

* ``score``: :func:`zwgk_score.score` on the long evidence table;
* ``items``: the detail table ``Results.items()`` (built once, cached);
* ``json``: results.json and the ranking CSVs (exporter ``json``);
* ``workbook``: 考核结果.xlsx (exporter ``excel``);
* ``notice``: 通报.md and 通报.docx (exporter ``notice``);
* ``feedback``: one xlsx and one docx per unit (exporter ``feedback``, process pool);
* ``site``: the results site, internal and public (exporters ``html`` and ``html_public``).

The child reports wall time per stage and its peak resident memory
(``ru_maxrss`` of itself and, separately, of its worker processes).  The
growth check divides each size's total by its number of units: a linear run
keeps the time per unit flat.

The second case (``--items-units``, default 40,000) times ``Results.items()``
against a floor that builds the same fifteen columns of the same length and
dtypes with NumPy ``repeat`` / ``tile`` and one ``pd.DataFrame`` call, the
失分原因 column taken from one text per indicator (what any detail table must
at least do); also against the earlier all-``str`` floor (``common.items_floor``).

Usage::

    python benchmarks/bench_run.py                   # 300, 2,000 and 5,000 units
    python benchmarks/bench_run.py --units 300 --items-units 2000
    python benchmarks/bench_run.py --national        # also 40,000 units (long)
"""

from __future__ import annotations

import functools
import json
import resource
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

#: exporters timed by stage, in the order ``zwgk run`` runs them
STAGES = {
    "json": ("json",),
    "workbook": ("excel",),
    "notice": ("notice",),
    "feedback": ("feedback",),
    "site": ("html", "html_public"),
}
OPTIONS: dict[str, Any] = {"date": "2024-01-15", "issuer": "某省人民政府办公厅"}


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished workers so far."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def child_run(n_units: int, out_dir: Path) -> dict:
    """Score ``n_units`` synthetic units and write every output; seconds per stage."""
    import os

    from zwgk_score import score
    from zwgk_score.outputs.memory import between_outputs
    from zwgk_score.plugins import PluginHost

    rubric, roster, data = synthetic(n_units)
    input_mib = data.memory_usage(deep=True).sum() / 2**20
    host = PluginHost()
    exporters = host.exporters()
    load = os.getloadavg()[0]  # the machine is shared: how busy it was as the run started
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}
    #: per stage: peak resident memory during it and resident memory after it (MiB)
    memory: dict[str, tuple[float, float]] = {"input": (vm_mib("VmHWM"), vm_mib("VmRSS"))}
    _log(f"{n_units} 单位：输入 {input_mib:,.0f} MiB，常驻 {vm_mib('VmRSS'):,.0f} MiB")

    def timed(stage: str, fn: Any) -> Any:
        reset_peak()
        t1, c1 = time.perf_counter(), cpu_seconds()
        out = fn()
        stages[stage], cpu[stage] = time.perf_counter() - t1, cpu_seconds() - c1
        memory[stage] = (vm_mib("VmHWM"), vm_mib("VmRSS"))
        _log(
            f"{stage}: {stages[stage]:.1f} s（CPU {cpu[stage]:.1f} s），"
            f"峰值 {memory[stage][0]:,.0f} MiB，之后 {memory[stage][1]:,.0f} MiB"
        )
        return out

    t0, c0 = time.perf_counter(), cpu_seconds()
    results = timed("score", functools.partial(score, rubric, data, roster))
    del data  # ``zwgk run`` keeps no evidence frame after scoring beyond what Results holds
    timed("items", results.items)
    files = 0
    options = dict(OPTIONS)
    # BENCH_STAGES=notice,feedback,site: only those output stages (a long run resumed)
    chosen = [x for x in os.environ.get("BENCH_STAGES", "").split(",") if x]
    for stage, names in STAGES.items():
        if chosen and stage not in chosen:
            continue

        def export(names: tuple[str, ...] = names) -> int:
            return sum(
                len(exporters[name].export(results, out_dir, options))
                for name in names
                if name in exporters
            )

        files += timed(stage, export)
        between_outputs(len(results.units) * len(results.leaves))  # as ``zwgk run`` does
    total = time.perf_counter() - t0
    return {
        "seconds": total,
        "cpu": cpu_seconds() - c0,
        "stages": stages,
        "stage_cpu": cpu,
        "files": files,
        # the stages reset the peak (clear_refs), which ru_maxrss reads too: the run's is theirs
        "peak_mib": max([peak for peak, _ in memory.values()] + [peak_rss_mib()]),
        "workers_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "input_mib": input_mib,
        "memory": memory,
        "load": load,
    }


def _log(text: str) -> None:
    """One progress line on stderr (a long run shows how far it got)."""
    print(time.strftime("%H:%M:%S"), text, file=sys.stderr, flush=True)


def items_floor_seconds(results: Any, *, plain: bool = False) -> tuple[float, float]:
    """(wall, CPU) seconds to build the detail table's fifteen columns with pandas directly."""
    t0, c0 = time.perf_counter(), time.process_time()
    items_floor(results, plain=plain)
    return time.perf_counter() - t0, time.process_time() - c0


def child_items(n_units: int) -> dict:
    """Time ``Results.items()`` (first, uncached call) and its floors on the same record."""
    from zwgk_score import score

    rubric, roster, data = synthetic(n_units)
    results = score(rubric, data, roster)
    del data
    floor = min(items_floor_seconds(results) for _ in range(2))
    plain = min(items_floor_seconds(results, plain=True) for _ in range(2))
    rss0 = vm_mib("VmRSS")
    reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    items = results.items()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "seconds": seconds,
        "cpu": cpu,
        "floor": floor[0],
        "floor_cpu": floor[1],
        "plain_cpu": plain[1],
        "rows": len(items),
        "items_peak_mib": vm_mib("VmHWM") - rss0,
        "frame_mib": float(items.memory_usage(deep=False).sum()) / 2**20,
        "peak_mib": peak_rss_mib(),
    }


def _stage_note(m: dict) -> str:
    split = "、".join(
        f"{k} {v:.2f} s（CPU {m['stage_cpu'][k]:.2f} s）" for k, v in m["stages"].items()
    )
    return (
        f"开始时负载 {m['load']:.1f}；CPU 共 {m['cpu']:.1f} s；{split}；{m['files']:,} 个文件；"
        f"峰值内存 {m['peak_mib']:,.0f} MiB"
        f"（工作进程 {m['workers_peak_mib']:,.0f} MiB，输入长表 {m['input_mib']:,.0f} MiB）；"
        "各阶段峰值 "
        + "、".join(f"{k} {v[0]:,.0f}" for k, v in m.get("memory", {}).items())
        + " MiB"
    )


def main(argv: list[str] | None = None) -> list[dict]:
    """Run every size in a child process, print the table and return its rows."""
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--units", default="300,2000,5000", help="comma-separated unit counts")
    p.add_argument("--national", action="store_true", help="also 40,000 units (long)")
    p.add_argument("--items-units", type=int, default=40000, help="units of the items case")
    p.add_argument("--child", help=argparse_hidden())
    args = p.parse_args(argv)
    sizes = units_list(args.units) + ([40000] if args.national else [])
    rows: list[dict] = []
    per_unit: list[tuple[int, float, float]] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            m = run_child([str(HERE / "bench_run.py"), "--child", f"run:{n}:{tmp}"], timeout=7200)
        per_unit.append((n, m["seconds"] / n, m["cpu"] / n))
        rows.append(
            row(
                "5 整次运行（全部输出）",
                f"{n:,} 单位 × 200 指标",
                m["seconds"],
                note=_stage_note(m),
            )
        )
        # each size as soon as it is measured: a long series cut short keeps what it has
        print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    if len(per_unit) >= 2:
        base, base_cpu = per_unit[0][1], per_unit[0][2]
        growth = "；".join(
            f"{n:,} 单位 {s * 1000:.1f} ms/单位（{s / base:.2f}×），"
            f"CPU {c * 1000:.1f} ms/单位（{c / base_cpu:.2f}×）"
            for n, s, c in per_unit
        )
        rows.append(row("5 增长（每单位用时）", "—", None, note=growth))
    if args.items_units:
        n = args.items_units
        m = run_child([str(HERE / "bench_run.py"), "--child", f"items:{n}:-"], timeout=3600)
        rows.append(
            row(
                "5b 明细表 Results.items()",
                f"{n:,} 单位（{m['rows']:,} 行）",
                m["seconds"],
                "pandas 直接构造同样的列",
                m["floor"],
                f"CPU {m['cpu']:.2f} s ÷ 下限 CPU {m['floor_cpu']:.2f} s = "
                f"{m['cpu'] / m['floor_cpu']:.2f}×；÷ 全为 str 列的下限 CPU {m['plain_cpu']:.2f} s = "
                f"{m['cpu'] / m['plain_cpu']:.2f}×；items() 内存峰值 +{m['items_peak_mib']:,.0f} MiB，"
                f"表 {m['frame_mib']:,.0f} MiB；子进程峰值内存 {m['peak_mib']:,.0f} MiB",
            )
        )
    emit(rows, args.json)
    return rows


if __name__ == "__main__":
    if "--child" in sys.argv:
        kind, n, out = sys.argv[sys.argv.index("--child") + 1].split(":", 2)
        got = child_run(int(n), Path(out)) if kind == "run" else child_items(int(n))
        print(json.dumps(got))
    else:
        main()
