"""Write many per-unit files in worker processes, in a fixed order, with the same bytes.

The sheets are built once in the parent (:func:`~zwgk_score.outputs.feedback.feedback_sheets`);
each worker gets a contiguous slice of (sheet, format, path) jobs and writes
them atomically.  Every file depends only on its sheet and the fixed creation
time, so a run with one process and a run with several give byte-identical
files; the returned paths are always in job order.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from zwgk_score.outputs.feedback import FeedbackSheet
from zwgk_score.outputs.feedback_docx import write_feedback_docx
from zwgk_score.outputs.feedback_xlsx import write_feedback_xlsx

#: below this many files one process is faster than starting workers
POOL_MIN_FILES = 24

Job = tuple[FeedbackSheet, str, Path]


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _write(job: Job, created: dt.datetime) -> Path:
    sheet, kind, path = job
    if kind == "xlsx":
        return write_feedback_xlsx(sheet, path, created=created)
    return write_feedback_docx(sheet, path, created=created)


def _write_slice(jobs: Sequence[Job], created: dt.datetime) -> list[Path]:
    return [_write(job, created) for job in jobs]


def write_all(
    jobs: Sequence[Job],
    *,
    created: dt.datetime,
    workers: int | None = None,
    min_files: int = POOL_MIN_FILES,
) -> list[Path]:
    """Write every job; ``workers`` processes (default: all available cores) when there are many.

    Returns the paths in the order of ``jobs``.
    """
    n = available_cores() if workers is None else max(1, workers)
    n = min(n, len(jobs))
    if n <= 1 or len(jobs) < min_files:
        return _write_slice(jobs, created)
    # contiguous slices keep each worker's files together; xlsx and docx jobs are interleaved
    # by the caller so the slices cost about the same
    size = -(-len(jobs) // n)
    slices = [jobs[k : k + size] for k in range(0, len(jobs), size)]
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=len(slices), mp_context=ctx) as pool:
        futures = [pool.submit(_write_slice, part, created) for part in slices]
        out: list[Path] = []
        for f in futures:
            out.extend(f.result())
    return out
