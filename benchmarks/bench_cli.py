"""Benchmark 4: ``import zwgk_score`` time and a cold ``zwgk-score run`` of each seed example.

* import: wall time of ``python -c "import zwgk_score"`` minus ``python -c pass``
  (best of ``--repeat`` fresh processes), with the ``-X importtime`` total as a
  check; also the import of the scoring engine (pandas, numpy) and
  ``zwgk-score --help`` for scale;
* machine speed: a fixed pure-Python workload (:data:`REFERENCE`) in a fresh
  process, the floor of every example run: a run's ratio to it compares across
  machines of different speed (the cold-start goal of 1.5 s was set on a machine
  about 2.5 times faster than some this benchmark has run on);
* run: ``zwgk-score run <example>`` cold, for every ``examples/*/`` directory:
  each run is a new process on a fresh copy of the example (empty output
  directory); the best of ``--repeat`` is reported.  Conditions as after
  ``pip install``: the bytecode of ``src/`` and ``plugins/*/src`` is written
  before anything is timed (:func:`compile_bytecode`: pip compiles what it
  installs, and under ``PYTHONDONTWRITEBYTECODE`` an editable install would
  compile the package's modules again in every run, ~0.5 s).  Each example
  gets an empty template cache (:mod:`zwgk_score.outputs.template_cache`),
  filled by one more run before the timed ones; that run's time is reported
  as the first run after installing.  When there is no example yet, the case
  is skipped with a message.

Usage::

    python benchmarks/bench_cli.py
    python benchmarks/bench_cli.py --repeat 5 --example examples/tancheng
"""

from __future__ import annotations

import compileall
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, emit, parser, row

PY = sys.executable
CLI = str(Path(PY).with_name("zwgk-score"))


#: the reference workload of "4 机器速度参考"
REFERENCE = (
    "s = 0\nfor i in range(3_000_000):\n    s += i\n"
    "sorted(str(i * 7919 % 300_000) for i in range(300_000))"
)


def wall(
    cmd: list[str], repeat: int, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(first, best) wall time of ``cmd`` in fresh processes; raises if it fails."""
    times = []
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}"
            )
    return times[0], min(times)


def compile_bytecode() -> None:
    """Write the bytecode of the package and the seed plugins, as installing them does."""
    for src in [ROOT / "src", *sorted((ROOT / "plugins").glob("*/src"))]:
        if src.is_dir():
            compileall.compile_dir(src, quiet=1)


def cold_runs(
    example: Path,
    repeat: int,
    env: dict[str, str],
    cpu: list[float] | None = None,
    refs: list[float] | None = None,
) -> list[float]:
    """Wall times of ``zwgk-score run`` on ``repeat`` fresh copies of ``example``.

    ``cpu`` gets each run's CPU time (user + system, with its helper processes);
    ``refs`` the machine-speed reference (:data:`REFERENCE`, net of the interpreter's
    start) measured just before each run: a shared machine's speed drifts by half
    within minutes, and each run's ratio is then to a floor of the same moment
    (the note gives their median).
    """
    times = []
    for _ in range(max(1, repeat)):
        with tempfile.TemporaryDirectory() as tmp:
            copy = _mirror(Path(tmp), example)
            if refs is not None:
                refs.append(wall([PY, "-c", REFERENCE], 1)[1] - wall([PY, "-c", "pass"], 1)[1])
            before = _children_cpu()
            _, t = wall([CLI, "run", str(copy)], 1, cwd=copy, env=env)
            if cpu is not None:
                cpu.append(_children_cpu() - before)
        times.append(t)
    return times


def two_core_bound(serial: float, cpu: float, cores: int = 2) -> float:
    """The least wall time of a run of ``cpu`` CPU seconds whose first ``serial`` seconds use one core.

    A run starts the interpreter and imports the scoring engine on one core (``serial``,
    measured as the net engine import plus the interpreter's start); everything after it can
    at best be shared evenly by ``cores`` processes.
    """
    serial = min(serial, cpu)
    return serial + (cpu - serial) / cores


def paired_ratios(times: list[float], refs: list[float]) -> list[float]:
    """Each run's time as a multiple of the reference measured just before it."""
    return [t / r for t, r in zip(times, refs, strict=True)]


def _children_cpu() -> float:
    """CPU seconds of every finished child process (and the children they waited for)."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def importtime_total(module: str) -> float:
    """Cumulative ``-X importtime`` microseconds of ``module`` itself, in seconds."""
    proc = subprocess.run(
        [PY, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, cwd=ROOT
    )
    total = 0.0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s*(\S.*)$", line)
        if m and m.group(2).strip() == module:
            total = int(m.group(1)) / 1e6
    return total


def examples(chosen: list[str]) -> list[Path]:
    if chosen:
        return [Path(e).resolve() for e in chosen]
    root = ROOT / "examples"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def _mirror(tmp: Path, example: Path) -> Path:
    """A copy of ``example`` at the same depth under ``tmp``, the rest of the repository linked.

    Relative paths in the example's config (``../../rubrics/…``) keep working,
    and the outputs go to the copy, never into the repository.
    """
    if not example.is_relative_to(ROOT):
        copy = tmp / example.name
        shutil.copytree(example, copy, ignore=shutil.ignore_patterns("out", "output"))
        return copy
    rel = example.relative_to(ROOT)
    for entry in ROOT.iterdir():
        if entry.name != rel.parts[0] and not entry.name.startswith("."):
            (tmp / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    copy = tmp / rel
    shutil.copytree(example, copy, ignore=shutil.ignore_patterns("out", "output", "__pycache__"))
    return copy


def main(argv: list[str] | None = None) -> list[dict]:
    """Time the import and the example runs, print the table and return its rows."""
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="fresh processes per measurement")
    p.add_argument("--example", action="append", default=[], help="example directory (repeatable)")
    args = p.parse_args(argv)
    rows: list[dict] = []
    compile_bytecode()
    _, t_pass = wall([PY, "-c", "pass"], args.repeat)
    _, t_imp = wall([PY, "-c", "import zwgk_score"], args.repeat)
    it = importtime_total("zwgk_score")
    rows.append(
        row(
            "4 import zwgk_score",
            "—",
            t_imp - t_pass,
            "python -c pass",
            t_pass,
            f"净导入时间 = 总 {t_imp * 1000:.0f} ms − 解释器启动；-X importtime 记 {it * 1000:.0f} ms",
        )
    )
    _, t_eng = wall([PY, "-c", "import zwgk_score.engine, zwgk_score.results"], args.repeat)
    rows.append(
        row(
            "4 import 评分引擎（含 pandas）",
            "—",
            t_eng - t_pass,
            "python -c pass",
            t_pass,
            "import zwgk_score.engine, zwgk_score.results 的净时间",
        )
    )
    if Path(CLI).exists():
        _, t_help = wall([CLI, "--help"], args.repeat)
        rows.append(row("4 zwgk-score --help", "—", t_help, "python -c pass", t_pass, "命令行启动"))
    # the machine's speed, for comparing runs across machines: a fixed pure-Python workload
    # (bytecode, small objects, as most of a seed example's run is), in a fresh process
    _, t_ref = wall([PY, "-c", REFERENCE], args.repeat)
    rows.append(
        row(
            "4 机器速度参考",
            "—",
            t_ref - t_pass,
            "python -c pass",
            t_pass,
            "纯 Python 参考负载（300 万次整数累加与一次 30 万个字符串排序）的净时间；下面各示例的比值以它为下限",
        )
    )
    found = examples(args.example)
    ready = [ex for ex in found if (ex / "assessment.toml").is_file()]
    if not ready:
        names = "、".join(ex.name for ex in found) or "无"
        rows.append(
            row(
                "4 zwgk-score run 示例",
                "—",
                None,
                note=(f"跳过：examples/ 下尚无完整示例（含 assessment.toml）；现有目录：{names}"),
            )
        )
    found = ready
    for ex in found:
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "ZWGK_SCORE_CACHE_DIR": cache}
            cpu: list[float] = []
            refs: list[float] = []
            try:
                (installed,) = cold_runs(ex, 1, env)  # fills the template cache
                times = cold_runs(ex, args.repeat, env, cpu, refs)
            except RuntimeError as exc:
                rows.append(
                    row(
                        f"4 zwgk-score run {ex.name}",
                        "—",
                        None,
                        note=f"失败：{str(exc).splitlines()[-1][:120]}",
                    )
                )
                continue
        ratios = sorted(paired_ratios(times, refs))
        fastest = times.index(min(times))
        bound = two_core_bound(t_eng, cpu[fastest])
        rows.append(
            row(
                f"4 zwgk-score run {ex.name}",
                "1 个示例",
                min(times),
                "机器速度参考",
                t_ref - t_pass,
                f"冷启动：每次新进程、新复制的示例目录（输出目录为空），{len(times)} 次最快；"
                f"各次 {'、'.join(f'{t:.2f}' for t in times)} s；"
                f"CPU（含辅助进程）最少 {min(cpu):.2f} s；"
                f"最快一次的两核下限 {bound:.2f} s（启动与导入评分引擎 {t_eng:.2f} s 在一个核上，"
                f"其余 CPU {cpu[fastest] - min(t_eng, cpu[fastest]):.2f} s 由两个核平分），"
                f"最快 ÷ 下限 = {min(times) / bound:.2f}×；"
                f"安装后首次运行（模板缓存为空）{installed:.2f} s；"
                f"每次运行前重测的速度参考 {'、'.join(f'{r:.2f}' for r in refs)} s，"
                f"各次 ÷ 其前的参考：中位数 {ratios[len(ratios) // 2]:.2f}×、最少 {ratios[0]:.2f}×",
            )
        )
    emit(rows, args.json)
    return rows


if __name__ == "__main__":
    main()
