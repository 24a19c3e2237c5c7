"""Write many per-unit files in worker processes, in a fixed order, with the same bytes.

The jobs may be a list or a lazy sequence
(:class:`~zwgk_score.outputs.feedback.FeedbackJobs`, whose slices build their sheets where
they are taken: in the worker, after the fork); the (sheet, format, path) jobs are cut into small chunks that the workers take
one after the other (a shared counter), so both cores stay busy and the parent
can report progress as chunks finish.  Every file depends only on its sheet and
the fixed creation time, so a run with one process and a run with several give
byte-identical files; the returned paths are always in job order.

Interrupting is safe: Ctrl-C reaches only the parent (workers ignore SIGINT);
on any exception or interrupt the parent sends SIGTERM to every worker, which
finishes the file it is writing (each file appears whole, through its atomic
write, or not at all) and exits quietly; the parent waits for all of them (no
orphans) and re-raises.  A worker's error (a full disk) is raised in the parent
as it happened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing as mp
import os
import pickle
import queue
import signal
import sys
from collections.abc import Callable, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from zwgk_score import forked
from zwgk_score.cores import available_cores
from zwgk_score.outputs.feedback import FeedbackSheet
from zwgk_score.outputs.feedback_docx import write_feedback_docx
from zwgk_score.outputs.feedback_xlsx import write_feedback_xlsx
from zwgk_score.outputs.memory import release_memory

#: below this many files one process is as fast as starting workers, or faster: a file takes
#: ~2 ms, starting and joining two forked workers ~20–30 ms, so on an idle machine the pool
#: gains ≤ 30 ms at 64 files, and when the other core is busy (load 4–6, the usual state of
#: the 2-core test machine) it loses up to 100 ms below ~140 files (docs/performance.md)
POOL_MIN_FILES = 64
#: files per chunk at most (progress is reported per chunk)
CHUNK_FILES = 32
#: seconds a stopped worker gets to finish its cleanup before it is killed
STOP_GRACE = 10.0

Job = tuple[FeedbackSheet, str, Path]
#: ``progress(files_done, files_total)``
FileProgress = Callable[[int, int], None]


def _write(job: Job, created: dt.datetime) -> Path:
    sheet, kind, path = job
    if kind == "xlsx":
        return write_feedback_xlsx(sheet, path, created=created)
    return write_feedback_docx(sheet, path, created=created)


def chunk_size(n_jobs: int, workers: int) -> int:
    """Files per chunk: about eight chunks per worker, at most :data:`CHUNK_FILES`."""
    return max(1, min(CHUNK_FILES, -(-n_jobs // (8 * max(1, workers)))))


#: set in a worker when the parent asks it to stop (SIGTERM)
_STOP: list[bool] = []


def _stop_requested(signum: int, frame: Any) -> None:
    _STOP.append(True)


def _worker(
    jobs: Sequence[Job], size: int, created: dt.datetime, counter: Any, results: Any
) -> None:
    """Take chunk after chunk until none is left; report each one done (or the error)."""
    forked.take_signals(_stop_requested)  # the parent's stop: after this file
    n_chunks = -(-len(jobs) // size)
    try:
        while not _STOP:
            with counter.get_lock():
                k = counter.value
                counter.value += 1
            if k >= n_chunks:
                return
            for job in jobs[k * size : (k + 1) * size]:
                _write(job, created)
                if _STOP:
                    sys.exit(1)
            results.put(("done", k))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        if isinstance(exc, SystemExit):
            raise
        try:
            payload = pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an error that cannot travel: send its text
            payload = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
        results.put(("error", payload))


def _stop(procs: Sequence[BaseProcess]) -> None:
    """Stop every worker (SIGTERM: it removes its temporary file) and wait for each."""
    for p in procs:
        if p.is_alive() and p.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p.pid, signal.SIGTERM)
    for p in procs:
        p.join(STOP_GRACE)
        if p.is_alive():
            p.kill()
            p.join()


def write_all(
    jobs: Sequence[Job],
    *,
    created: dt.datetime,
    workers: int | None = None,
    min_files: int = POOL_MIN_FILES,
    progress: FileProgress | None = None,
) -> list[Path]:
    """Write every job; ``workers`` processes (default: all available cores) when there are many.

    Returns the paths in the order of ``jobs``; ``progress(done, total)`` is called
    as files are written.
    """
    n = available_cores() if workers is None else max(1, workers)
    n = min(n, len(jobs))
    total = len(jobs)
    size = chunk_size(total, n)
    if n <= 1 or total < min_files:
        for k, job in enumerate(jobs, 1):
            _write(job, created)
            if progress and (k % size == 0 or k == total):
                progress(k, total)
        return _paths(jobs)
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")  # fork: jobs are not copied
    counter = ctx.Value("q", 0)
    results = ctx.Queue()
    procs: list[BaseProcess] = [
        ctx.Process(target=_worker, args=(jobs, size, created, counter, results), daemon=True)  # type: ignore[attr-defined]
        for _ in range(n)
    ]
    n_chunks = -(-total // size)
    done_files = 0
    release_memory()  # free heap pages returned first: a worker would copy each one it reused
    try:
        forked.started(procs)
        for _ in range(n_chunks):
            kind, value = _next_result(results, procs)
            if kind == "error":
                raise pickle.loads(value)
            done_files += min(size, total - value * size)
            if progress:
                progress(done_files, total)
        for p in procs:
            p.join()
    except BaseException:
        _stop(procs)
        raise
    finally:
        results.close()
        results.cancel_join_thread()
    return _paths(jobs)


def _paths(jobs: Sequence[Job]) -> list[Path]:
    """The jobs' paths in order; a lazy job list (``FeedbackJobs``) gives them without its sheets."""
    paths = getattr(jobs, "paths", None)
    return list(paths()) if callable(paths) else [path for _, _, path in jobs]


def _next_result(results: Any, procs: Sequence[BaseProcess]) -> tuple[str, Any]:
    """The next worker report; a worker that died without one is an error."""
    while True:
        try:
            got: tuple[str, Any] = results.get(timeout=0.5)
            return got
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(
                    f"写反馈单的工作进程意外退出（退出码 {dead[0].exitcode}）"
                ) from None
