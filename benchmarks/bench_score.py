"""Benchmark 1: scoring + aggregation + ranking (评分、汇总、排名) at province scale.

For each number of units, on the synthetic 200-indicator assessment
(``synth.py``), it times in the same run:

* the library: ``zwgk_score.score(rubric, data, roster)`` end to end, from the
  long evidence table (validation, aggregation, rescaling, bonus, vetoes,
  grades, ranks), with the peak resident-memory increase during the first run
  and its ratio to the input frame (``memory_usage(deep=True)``);
* floor (a): a pure NumPy weighted sum over a dense (units × 200) array, the
  memory-bandwidth floor of "scoring";
* floor (a′): the least any reader of the long table does (unit and key strings
  mapped to positions, ``np.bincount``, the weighted sum), wall and CPU time;
* floor (b): the per-unit Python loop of ``office_loop.py`` applying the same
  rules, timed on a subset of units and extrapolated linearly (its totals,
  grades and ranks are checked against the library's on that subset);
* separately, ``Results.items()``: the long per-cell table with 失分原因,
  built lazily for the outputs;
* the dense path ``zwgk_score.engine.dense.score_dense`` on the same data
  converted beforehand (not timed) to one array per data key, against the same
  floor (a) and the per-unit loop over the same arrays
  (``office_loop.score_units_dense``), plus the ratio to ``score()``;
* row order (行序, ``--layouts``): the same rows in the orders collectors emit them
  (:data:`LAYOUTS`: grouped by key, interleaved by unit, shuffled, several
  collectors' frames one after another), each timed with the library and then
  with the same floor (a′) on that table, back to back (wall and CPU time, the
  peak memory increase and its ratio to the input frame); the floor does not
  sort, whatever the order.

Usage::

    python benchmarks/bench_score.py                  # 1,000 / 10,000 / 40,000 units
    python benchmarks/bench_score.py --units 40000 --loop-units 500
    python benchmarks/bench_score.py --units 40000 --only-layouts    # row orders only
"""

from __future__ import annotations

import gc
import os
import sys
import time

import numpy as np
import pandas as pd
import synth
from common import best_of, emit, parser, reset_peak, row, units_list, vm_mib
from office_loop import score_units, score_units_dense

from zwgk_score import parse_rubric, score
from zwgk_score.engine.dense import score_dense

#: row orders of the long table (行序), as collectors emit them
LAYOUTS = {
    "grouped": "按数据键成段（合成数据原样）",
    "by_unit": "按单位交错（每个单位的各数据键相邻）",
    "shuffled": "随机打乱",
    "collectors": "多个采集器的表首尾相接（每个一级指标一个采集器，单数个按单位、双数个按数据键）",
}


def arrange(
    data: pd.DataFrame,
    roster: pd.DataFrame,
    layout: str,
    n_domains: int = synth.N_DOMAINS,
    seed: int = 5,
) -> pd.DataFrame:
    """The rows of ``data`` in the order ``layout`` (:data:`LAYOUTS`); a new frame, index 0 … n-1."""
    if layout == "grouped":
        return data
    unit = pd.Index(roster["unit"]).get_indexer(data["unit"])
    if layout == "by_unit":
        order = np.argsort(unit, kind="stable")
    elif layout == "shuffled":
        order = np.random.default_rng(seed).permutation(len(data))
    elif layout == "collectors":
        # one collector per domain (一级指标); the first, third … list their rows unit by unit,
        # the others key by key (as generated); their frames concatenated
        domain = {
            leaf.id: d for d, leaves in enumerate(synth.leaf_specs(n_domains)) for leaf in leaves
        }
        collector = data["key"].map(domain).to_numpy(dtype=np.int64)
        within = np.where(collector % 2 == 0, unit, 0)
        order = np.lexsort((within, collector))  # (stable: ties keep the generated order)
    else:
        raise ValueError(f"unknown layout {layout!r}")
    return data.iloc[order].reset_index(drop=True)


def layout_rows(rubric, data, roster, layouts: list[str], repeat: int) -> list[dict]:
    """For each row order: ``score()`` then the floor (a′) on the same table, back to back."""
    n, L = len(roster), len(rubric.leaves)
    size = f"{n:,} × {L}"
    out = []
    for layout in layouts:
        table = arrange(data, roster, layout)
        input_mib = table.memory_usage(deep=True).sum() / 2**20
        load = os.getloadavg()[0]
        t_lib, t_first, peak, c_lib, results = time_score_cpu(rubric, table, roster, repeat)
        del results
        gc.collect()
        t_long, c_long = longtable_floor_cpu(rubric, table, roster, repeat)
        out.append(
            row(
                f"1d 评分 score()，行序：{layout}",
                size,
                t_lib,
                "(a′) 长表最少处理（同一张表）",
                t_long,
                f"{LAYOUTS[layout]}；CPU 时间 库 {c_lib:.2f} s ÷ 下限 {c_long:.2f} s = "
                f"{c_lib / c_long:.2f}×；{repeat} 次最快（首次 {t_first:.2f} s）；"
                f"内存峰值 +{peak:,.0f} MiB（输入长表的 {peak / input_mib:.2f} 倍）；负载 {load:.1f}",
            )
        )
        print(
            f"# {size} {layout}: {out[-1]['ratio']:.2f}× wall, {c_lib / c_long:.2f}× CPU",
            file=sys.stderr,
        )
        del table
        gc.collect()
    return out


def numpy_floor(n_units: int, repeat: int = 9) -> float:
    """Best time of a weighted sum over a dense (units × 200) float array (BLAS or einsum)."""
    values, points = synth.values_matrix(n_units)
    t_blas, _ = best_of(lambda: values @ points, repeat)
    t_einsum, _ = best_of(lambda: np.einsum("ij,j->i", values, points), repeat)
    return min(t_blas, t_einsum)


def longtable_floor(rubric, data, roster, repeat: int = 3) -> float:
    """Best time of the least any reader of the long table does: map unit and key strings
    to positions, sum values per cell with ``np.bincount``, then the weighted sum."""
    return longtable_floor_cpu(rubric, data, roster, repeat)[0]


def longtable_floor_cpu(rubric, data, roster, repeat: int = 3) -> tuple[float, float]:
    """(best wall time, best CPU time) of the floor (a′)."""
    run = longtable_run(rubric, data, roster)
    wall, cpu = float("inf"), float("inf")
    for _ in range(max(1, repeat)):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return wall, cpu


def longtable_run(rubric, data, roster):
    """The floor (a′) as a function of no arguments (see :func:`longtable_floor`)."""
    leaves = rubric.leaves
    points = np.array([leaf.points for leaf in leaves])
    units = pd.Index(roster["unit"])
    keys = pd.Index([leaf.data for leaf in leaves])
    n_units, n_leaves = len(units), len(leaves)

    def run():
        u = units.get_indexer(data["unit"])
        k = keys.get_indexer(data["key"])
        v = np.nan_to_num(data["value"].to_numpy(dtype=float))
        cells = np.bincount(u * n_leaves + k, weights=v, minlength=n_units * n_leaves)
        return cells.reshape(n_units, n_leaves) @ points

    return run


def loop_time(rubric, data, roster, n_sub: int, results, *, filter_per_unit: bool = False):
    """Seconds for ``n_sub`` units with the office loop, and whether it agrees with the library."""
    sub_units = roster["unit"].iloc[:n_sub]
    sub_roster = roster.iloc[:n_sub]
    sub_data = data if filter_per_unit else data[data["unit"].isin(set(sub_units))]
    t0 = time.perf_counter()
    out = score_units(rubric, sub_data, sub_roster, filter_per_unit=filter_per_unit)
    elapsed = time.perf_counter() - t0
    lib = results.summary.iloc[:n_sub]
    same = bool(
        np.array_equal(lib["total"].to_numpy(), out["total"].to_numpy(), equal_nan=True)
        and (lib["grade"].to_numpy() == out["grade"].to_numpy()).all()
    )
    return elapsed, same


def to_dense(rubric, data, roster) -> dict:
    """The long table as ``score_dense`` arrays (one per data key, roster order); not timed.

    Per cell: the total of the ok rows (NaN when none), the texts of the single
    rows, for thresholded methods the row count and the rows over the limit,
    and the ``na`` flags.  Rows marked missing become NaN (no data).
    """
    leaves = rubric.leaves
    keys = list(dict.fromkeys(leaf.data for leaf in leaves))
    U, K = len(roster), len(keys)
    u = pd.Index(roster["unit"]).get_indexer(data["unit"])
    k = pd.Index(keys).get_indexer(data["key"])
    cell = k.astype(np.int64) * U + u
    status = data["status"].to_numpy()
    ok = status == "ok"
    v = data["value"].to_numpy(dtype=float)
    n = np.bincount(cell[ok], minlength=K * U).reshape(K, U)
    tot = np.bincount(cell[ok], weights=np.nan_to_num(v[ok]), minlength=K * U).reshape(K, U)
    na = np.bincount(cell[status == "na"], minlength=K * U).reshape(K, U) > 0
    method = {leaf.data: leaf for leaf in leaves}
    dense = {"values": {}, "texts": {}, "counts": {}, "over": {}, "na": {}}
    text = data["text"].to_numpy(dtype=object)
    for i, key in enumerate(keys):
        leaf = method[key]
        dense["values"][key] = np.where(n[i] > 0, tot[i], np.nan)
        dense["na"][key] = na[i]
        if leaf.method in ("checklist", "levels"):
            sel = ok & (k == i)
            t = np.full(U, None, dtype=object)
            t[u[sel]] = text[sel]
            dense["texts"][key] = t
        if leaf.method == "timeliness":
            sel = ok & (k == i)
            dense["counts"][key] = n[i]
            late = (v[sel] > leaf.params.limit).astype(float)
            dense["over"][key] = np.bincount(u[sel], weights=late, minlength=U).astype(np.int64)
    return dense


def time_dense(rubric, dense, roster, repeat: int):
    """(best time, first time, results) of ``score_dense``."""
    gc.collect()
    t_first, results = best_of(lambda: score_dense(rubric, roster, **dense), 1)
    del results
    gc.collect()
    t_best, results = best_of(lambda: score_dense(rubric, roster, **dense), repeat - 1)
    return min(t_best, t_first), t_first, results


def dense_loop_time(rubric, dense, roster, n_sub: int, results):
    """Seconds for ``n_sub`` units with the dense per-unit loop, and whether it agrees."""
    sub = {part: {k: a[:n_sub] for k, a in arrays.items()} for part, arrays in dense.items()}
    t0 = time.perf_counter()
    out = score_units_dense(rubric, sub, roster.iloc[:n_sub])
    elapsed = time.perf_counter() - t0
    lib = results.summary.iloc[:n_sub]
    same = bool(
        np.array_equal(lib["total"].to_numpy(), out["total"].to_numpy(), equal_nan=True)
        and (lib["grade"].to_numpy() == out["grade"].to_numpy()).all()
    )
    return elapsed, same


def time_score(rubric, data, roster, repeat: int):
    """(best time, first time, peak RSS increase in MiB during the first run, results)."""
    t_best, t_first, peak, _cpu, results = time_score_cpu(rubric, data, roster, repeat)
    return t_best, t_first, peak, results


def time_score_cpu(rubric, data, roster, repeat: int):
    """As :func:`time_score`, plus the best CPU time (user + system) of a run."""
    gc.collect()
    rss0 = vm_mib("VmRSS")
    peak_ok = reset_peak()
    c0 = time.process_time()
    t_first, results = best_of(lambda: score(rubric, data, roster), 1)
    cpu = time.process_time() - c0
    peak = vm_mib("VmHWM") - rss0 if peak_ok else float("nan")
    t_best = float("inf")
    for _ in range(repeat - 1):
        del results
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        results = score(rubric, data, roster)
        t_best, cpu = min(t_best, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return min(t_best, t_first), t_first, peak, cpu, results


def dense_rows(rubric, data, roster, results, t_lib: float, t_np: float, args) -> list[dict]:
    """The dense-path rows for one size: vs floor (a), vs the dense loop, vs ``score()``."""
    n, L = len(roster), len(rubric.leaves)
    size = f"{n:,} × {L}"
    dense = to_dense(rubric, data, roster)  # conversion not timed
    t_d, t_first, res_d = time_dense(rubric, dense, roster, args.repeat)
    same_long = bool(
        np.array_equal(
            res_d.summary["total"].to_numpy(), results.summary["total"].to_numpy(), equal_nan=True
        )
        and (res_d.summary["rank"].to_numpy() == results.summary["rank"].to_numpy()).all()
    )
    case = "1c 评分 score_dense()"
    out = [
        row(
            case,
            size,
            t_d,
            "(a) NumPy 加权求和",
            t_np,
            f"稠密数组输入（同一份合成数据预先转换，转换不计时）；{args.repeat} 次最快"
            f"（首次 {t_first:.2f} s）；每单元格 {t_d / (n * L) * 1e9:.0f} ns",
        )
    ]
    n_sub = min(args.loop_units, n)
    t_sub, same = dense_loop_time(rubric, dense, roster, n_sub, res_d)
    t_loop = t_sub * n / n_sub
    out.append(
        row(
            case,
            size,
            t_d,
            "(b) 逐单位 Python 循环（稠密数组）",
            t_loop,
            f"循环测 {n_sub:,} 个单位后线性外推；库快 {t_loop / t_d:.1f} 倍；"
            f"结果{'一致' if same else '不一致！'}",
        )
    )
    out.append(
        row(
            case,
            size,
            t_d,
            "score()（长表输入）",
            t_lib,
            f"同一份数据；总分、名次与 score() {'一致' if same_long else '不一致！'}",
        )
    )
    return out


def main(argv: list[str] | None = None) -> list[dict]:
    """Run the cases, print the table and return its rows."""
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--units", default="1000,10000,40000", help="comma-separated unit counts")
    p.add_argument(
        "--loop-units", type=int, default=1000, help="units timed with the per-unit loop"
    )
    p.add_argument(
        "--filter-units",
        type=int,
        default=10,
        help="units timed with the pandas-filter loop at the largest size (0 = skip)",
    )
    p.add_argument("--no-items", action="store_true", help="skip Results.items()")
    p.add_argument("--no-dense", action="store_true", help="skip the dense path score_dense()")
    p.add_argument(
        "--items-max",
        type=int,
        default=10_000,
        help="time Results.items() only up to this many units (40000: the full case)",
    )
    p.add_argument("--repeat", type=int, default=3, help="score() runs per size (best is reported)")
    p.add_argument(
        "--sweep-domains",
        default="5,20",
        help="domain counts (19 indicators each + 10) for the indicator sweep; '' = skip",
    )
    p.add_argument("--sweep-units", type=int, default=10_000, help="units in the indicator sweep")
    p.add_argument(
        "--layouts",
        default=",".join(LAYOUTS),
        help=f"row orders timed against the floor (a′) ({', '.join(LAYOUTS)}; '' = skip)",
    )
    p.add_argument(
        "--only-layouts", action="store_true", help="time the row orders only (no other case)"
    )
    args = p.parse_args(argv)
    layouts = [x for x in args.layouts.split(",") if x]
    unknown = [x for x in layouts if x not in LAYOUTS]
    if unknown:
        p.error(f"unknown layouts: {', '.join(unknown)}")
    rubric = parse_rubric(synth.rubric_dict())
    L = len(rubric.leaves)
    sizes = units_list(args.units)
    rows: list[dict] = []
    for n in sizes:
        roster = synth.roster(n)
        t0 = time.perf_counter()
        data = synth.evidence(roster)
        gen = time.perf_counter() - t0
        size = f"{n:,} × {L}"
        print(f"# {size}: {len(data):,} evidence rows generated in {gen:.1f} s", file=sys.stderr)
        if args.only_layouts:
            rows += layout_rows(rubric, data, roster, layouts, args.repeat)
            del data
            gc.collect()
            continue
        input_mib = data.memory_usage(deep=True).sum() / 2**20
        t_lib, t_first, peak, c_lib, results = time_score_cpu(rubric, data, roster, args.repeat)
        per_cell = t_lib / (n * L) * 1e9
        t_np = numpy_floor(n)
        rows.append(
            row(
                "1 评分 score()",
                size,
                t_lib,
                "(a) NumPy 加权求和",
                t_np,
                f"{len(data):,} 行长表；{args.repeat} 次最快（首次 {t_first:.2f} s）；"
                f"每单元格 {per_cell:.0f} ns；评分时内存峰值 +{peak:,.0f} MiB"
                f"（输入长表 {input_mib:,.0f} MiB 的 {peak / input_mib:.2f} 倍）",
            )
        )
        t_long, c_long = longtable_floor_cpu(rubric, data, roster)
        rows.append(
            row(
                "1 评分 score()",
                size,
                t_lib,
                "(a′) 长表最少处理",
                t_long,
                "参考：单位、数据键字符串映射为下标 + bincount 汇总 + 加权求和，无任何校验；"
                f"CPU 时间 库 {c_lib:.2f} s ÷ 下限 {c_long:.2f} s = {c_lib / c_long:.2f}×",
            )
        )
        n_sub = min(args.loop_units, n)
        t_sub, same = loop_time(rubric, data, roster, n_sub, results)
        t_loop = t_sub * n / n_sub
        rows.append(
            row(
                "1 评分 score()",
                size,
                t_lib,
                "(b) 逐单位 Python 循环",
                t_loop,
                f"循环测 {n_sub:,} 个单位后线性外推；库快 {t_loop / t_lib:.1f} 倍；"
                f"结果{'一致' if same else '不一致！'}",
            )
        )
        if args.filter_units and n == max(sizes):
            k = min(args.filter_units, n)
            t_sub, same = loop_time(rubric, data, roster, k, results, filter_per_unit=True)
            t_f = t_sub * n / k
            rows.append(
                row(
                    "1 评分 score()",
                    size,
                    t_lib,
                    "(b′) 逐单位 pandas 筛选循环",
                    t_f,
                    f"测 {k} 个单位后线性外推；库快 {t_f / t_lib:,.0f} 倍；"
                    f"结果{'一致' if same else '不一致！'}",
                )
            )
        if not args.no_dense:
            rows += dense_rows(rubric, data, roster, results, t_lib, t_np, args)
        if not args.no_items and n <= args.items_max:
            t_items, items = best_of(results.items, 1)
            rows.append(
                row("1b Results.items()", size, t_items, note=f"{len(items):,} 行（含失分原因）")
            )
            del items
        del results
        gc.collect()
        rows += layout_rows(rubric, data, roster, layouts, args.repeat)
        del data
        gc.collect()
    for n_dom in units_list(args.sweep_domains) if not args.only_layouts else []:
        n = args.sweep_units
        rub = parse_rubric(synth.rubric_dict(n_dom))
        roster = synth.roster(n)
        data = synth.evidence(roster, n_domains=n_dom)
        n_leaves = len(rub.leaves)
        t_lib, t_first, peak, results = time_score(rub, data, roster, args.repeat)
        del results
        rows.append(
            row(
                "1 评分 score()（指标数扫描）",
                f"{n:,} × {n_leaves}",
                t_lib,
                "(a′) 长表最少处理",
                longtable_floor(rub, data, roster),
                f"{len(data):,} 行长表；每单元格 {t_lib / (n * n_leaves) * 1e9:.0f} ns",
            )
        )
        del data
        gc.collect()
    emit(rows, args.json)
    return rows


if __name__ == "__main__":
    main()
