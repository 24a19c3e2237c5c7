"""Shared helpers of the benchmark scripts: timing, peak memory, the result table.

Every script prints its own table and, with ``--json FILE``, appends its rows
to ``FILE`` (one JSON object per line) so that ``run_all.py`` can print one
table for every case.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: columns of the result table
COLUMNS = ("case", "size", "library", "floor", "floor_s", "ratio", "note")


def best_of(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Run ``fn`` ``repeat`` times; return (best wall time in seconds, last result)."""
    best, out = float("inf"), None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux: ru_maxrss is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_mib(field: str) -> float:
    """A ``/proc/self/status`` memory field (VmRSS, VmHWM …) in MiB; NaN where unavailable."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return float("nan")


def reset_peak() -> bool:
    """Reset the peak RSS (VmHWM) to the current RSS (Linux ``clear_refs``); False if unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def run_child(args: Sequence[str], *, timeout: float = 900) -> dict:
    """Run ``python args…`` in a fresh process; it prints one JSON object on its last line."""
    proc = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def row(
    case: str,
    size: str,
    library: float | None,
    floor: str = "",
    floor_s: float | None = None,
    note: str = "",
) -> dict:
    """One result row; ``ratio`` = library ÷ floor time."""
    ratio = library / floor_s if library is not None and floor_s else None
    return {
        "case": case,
        "size": size,
        "library": library,
        "floor": floor,
        "floor_s": floor_s,
        "ratio": ratio,
        "note": note,
    }


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    if x < 0.01:
        return f"{x * 1000:.2f} ms"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    return f"{x:.2f} s"


def _fmt_ratio(x: float | None) -> str:
    if x is None:
        return "—"
    if x < 1:  # the library is faster than this reference: show 1/N
        inv = 1 / x
        return f"1/{inv:.3g}" if inv < 1000 else f"1/{inv:,.0f}"
    return f"{x:.3g}×" if x < 1000 else f"{x:,.0f}×"


def format_table(rows: Sequence[dict]) -> str:
    """A Markdown table of result rows."""
    head = ["case", "size", "library", "floor", "floor time", "library ÷ floor", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            r["case"],
            r["size"],
            _fmt_s(r["library"]),
            r["floor"] or "—",
            _fmt_s(r["floor_s"]),
            _fmt_ratio(r["ratio"]),
            r["note"],
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    """A one-line description of this machine."""
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = "、".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPU ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; 开始时负载 {load}"
    )


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", type=Path, help="append the result rows to this JSON-lines file")
    return p


def argparse_hidden() -> str:
    """The help text of an option only the scripts themselves pass (``--child``)."""
    return argparse.SUPPRESS


def synthetic(n_units: int, n_domains: int | None = None) -> tuple[Any, Any, Any]:
    """(rubric, roster, evidence) of the synthetic assessment of ``synth.py`` (not timed)."""
    import synth

    from zwgk_score import parse_rubric

    if n_domains is None:
        rubric = parse_rubric(synth.rubric_dict())
        roster = synth.roster(n_units)
        return rubric, roster, synth.evidence(roster)
    rubric = parse_rubric(synth.rubric_dict(n_domains))
    roster = synth.roster(n_units)
    return rubric, roster, synth.evidence(roster, n_domains=n_domains)


def items_floor(results: Any, *, plain: bool = False) -> Any:
    """Build the items table's fifteen columns with pandas directly (the floor of ``items()``).

    NumPy ``repeat`` / ``tile`` of the per-unit and per-leaf texts, one reason
    text per leaf and one ``pd.DataFrame`` call: what any detail table of the
    same shape must at least do.  ``bench_items.py`` and ``bench_run.py`` time it.

    The columns have the dtypes ``items()`` returns: the repeated texts (unit,
    group, indicator, name, domain, task, method, role, status) categorical with
    sorted categories, built from integer codes as pandas does it directly
    (``Categorical.from_codes``), the reason a ``str`` column.  ``plain=True``
    builds every text column as ``str`` from repeated / tiled object arrays (the
    floor measured before ``items()`` had categorical columns; slower, because
    pandas checks every one of the 8 million values of each of ten columns).
    """
    import numpy as np
    import pandas as pd

    from zwgk_score.engine.leaves import STATUS_LABELS

    leaves = results.leaves
    U, L = len(results.roster), len(leaves)
    units = results.roster["unit"].to_numpy(dtype=object)
    groups = results.roster["group"].to_numpy(dtype=object)
    ls, tot = results.leaf_scores, results.totals
    per_leaf = {
        "indicator": [leaf.id for leaf in leaves],
        "name": [leaf.name for leaf in leaves],
        "domain": [results.rubric.domain_of(leaf.id).id for leaf in leaves],
        "task": [leaf.task or "" for leaf in leaves],
        "method": [leaf.method for leaf in leaves],
        "role": [leaf.rule.role.value for leaf in leaves],
    }
    labels = np.array(
        [STATUS_LABELS.get(k, "") for k in range(max(STATUS_LABELS) + 1)], dtype=object
    )
    reasons = np.array([f"未达到「{leaf.name}」要求" for leaf in leaves], dtype=object)
    lost = tot.leaf_points - tot.leaf_score
    status = ls.status.ravel()

    def texts(values: Any, spread: Any) -> Any:
        values = np.asarray(values, dtype=object)
        if plain:
            return spread(values)
        codes, cats = pd.factorize(values, sort=True)
        return pd.Categorical.from_codes(spread(codes), categories=cats, validate=False)

    def per_unit(v: Any) -> Any:
        return np.repeat(v, L)

    def tiled(v: Any) -> Any:
        return np.tile(v, U)

    columns = {
        "unit": texts(units, per_unit),
        "group": texts(groups, per_unit),
        **{k: texts(v, tiled) for k, v in per_leaf.items()},
        "points": tot.leaf_points.ravel(),
        "applicable": ls.applicable.ravel(),
        "status": texts(labels, lambda v: v[status]),
        "score": np.round(tot.leaf_score.ravel(), 2),
        "lost": np.round(lost.ravel(), 2),
        "reason": np.where(lost.ravel() != 0, np.tile(reasons, U), ""),
        "self_score": results.aggregates.self_score.ravel(),
    }
    return pd.DataFrame(columns)


def emit(rows: Sequence[dict], json_path: Path | None) -> None:
    """Print the table and append the rows to ``json_path`` when given."""
    print(format_table(rows), flush=True)
    if json_path is not None:
        with open(json_path, "a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def units_list(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]
