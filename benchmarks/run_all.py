"""Run every benchmark and print one table (docs/performance.md).

Each script runs in its own process with its default sizes (or the smaller
``--quick`` ones); their rows are collected through ``--json`` and printed as
one Markdown table, preceded by a description of the machine.
``bench_workdays.py`` (written separately) prints its own table; its three
lines are parsed into rows here, and its raw output is kept when they cannot be.

Usage::

    python benchmarks/run_all.py            # about 15 minutes on 2 cores (bench_run.py: 5,000 units)
    python benchmarks/run_all.py --quick    # a few minutes
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import HERE, ROOT, format_table, machine, parser, row

QUICK = {
    "bench_score.py": ["--units", "1000,10000", "--loop-units", "300", "--filter-units", "3"],
    "bench_workdays.py": ["--n", "1000000", "--repeat", "3"],
    "bench_excel.py": ["--units", "200", "--repeat", "1"],
    "bench_feedback.py": ["--units", "50", "--repeat", "1"],
    "bench_cli.py": ["--repeat", "3"],
    "bench_run.py": ["--units", "100,300", "--items-units", "2000"],
}
ORDER = (
    "bench_score.py",
    "bench_workdays.py",
    "bench_excel.py",
    "bench_feedback.py",
    "bench_cli.py",
    "bench_run.py",
)


def workdays_rows(out: str) -> list[dict]:
    """Rows from bench_workdays.py's own table (library, floor, loop lines)."""
    head = re.search(r"^([\d,]+) pairs", out, re.M)
    secs = {}
    for line in out.splitlines():
        m = re.match(r"^(WorkCalendar\S*|floor:.*?|Python loop.*?)\s+([\d.]+)\s+[\d.]+x", line)
        if m:
            secs[m.group(1).split()[0].rstrip(":")] = float(m.group(2))
    lib, floor = secs.get("WorkCalendar.workdays_between"), secs.get("floor")
    loop = secs.get("Python")
    if lib is None or floor is None:
        return []
    size = f"{head.group(1)} 对" if head else "—"
    rows = [row("2 工作日 workdays_between", size, lib, "NumPy 累计数组查表", floor)]
    if loop is not None:
        rows.append(
            row(
                "2 工作日 workdays_between",
                size,
                lib,
                "逐条 Python 循环（外推）",
                loop,
                f"库快 {loop / lib:,.0f} 倍",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="smaller sizes (about a minute)")
    p.add_argument("--only", action="append", default=[], help="run only this script (repeatable)")
    p.add_argument(
        "--national", action="store_true", help="bench_run.py also runs 40,000 units (long)"
    )
    args = p.parse_args(argv)
    rows: list[dict] = []
    raw_outputs: list[str] = []
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for script in ORDER:
            if args.only and script not in args.only:
                continue
            path = HERE / script
            if not path.exists():
                rows.append(row(script, "—", None, note="跳过：脚本不存在"))
                continue
            extra = QUICK[script] if args.quick else []
            if script == "bench_run.py" and args.national:
                extra = [*extra, "--national"]
            print(f"# running {script} {' '.join(extra)}", file=sys.stderr, flush=True)
            load = os.getloadavg()[0]  # the machine is shared: each script records how busy it was
            if script == "bench_workdays.py":
                proc = subprocess.run(
                    [sys.executable, str(path), *extra], capture_output=True, text=True, cwd=ROOT
                )
                parsed = workdays_rows(proc.stdout) if proc.returncode == 0 else []
                if parsed:
                    rows.extend(parsed)
                else:
                    rows.append(row(script, "—", None, note="输出无法解析，原样附在表后"))
                    raw_outputs.append(f"## {script}\n{proc.stdout}{proc.stderr[-2000:]}")
                continue
            jpath = Path(tmp) / f"{script}.jsonl"
            proc = subprocess.run(
                [sys.executable, str(path), *extra, "--json", str(jpath)],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            if proc.returncode != 0 or not jpath.exists():
                rows.append(row(script, "—", None, note="失败，输出附在表后"))
                raw_outputs.append(f"## {script}\n{proc.stdout}{proc.stderr[-3000:]}")
                continue
            for line in jpath.read_text("utf-8").splitlines():
                got = json.loads(line)
                got["note"] = "；".join(
                    x for x in (got.get("note"), f"脚本开始时负载 {load:.1f}") if x
                )
                rows.append(got)
    if args.json is not None:
        with open(args.json, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"机器：{machine()}")
    print(f"总用时 {time.perf_counter() - t_start:.0f} s{'（--quick）' if args.quick else ''}\n")
    print(format_table(rows))
    for text in raw_outputs:
        print("\n" + text)


if __name__ == "__main__":
    main()
