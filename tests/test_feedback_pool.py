"""The feedback-sheet pool: same bytes as one process, progress, errors and Ctrl-C."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from test_outputs_feedback import UNITS, sample_results

from zwgk_score.outputs.feedback import feedback_paths, feedback_sheets
from zwgk_score.outputs.feedback_pool import chunk_size, write_all

CREATED = dt.datetime(2024, 1, 5)


def jobs_for(folder: Path, copies: int = 1) -> list:
    res = sample_results()
    sheets = feedback_sheets(res)
    out = []
    for c in range(copies):
        paths = {k: feedback_paths(res, folder / str(c), f".{k}") for k in ("xlsx", "docx")}
        out += [(sheets[u], k, paths[k][u]) for u in res.units for k in ("xlsx", "docx")]
    return out


def test_chunks_are_small_enough_to_share_and_report():
    # 80,000 files on 2 workers: at most 32 a chunk; 100 files: 100 / 16 → 7 a chunk
    assert chunk_size(80_000, 2) == 32
    assert chunk_size(100, 2) == 7
    assert chunk_size(3, 2) == 1


def test_two_workers_write_the_same_bytes_and_report_progress(tmp_path):
    seen: dict[str, list[tuple[int, int]]] = {"1": [], "2": []}

    def run(name: str, workers: int) -> list[tuple[str, bytes]]:
        jobs = jobs_for(tmp_path / name, copies=3)
        out = write_all(
            jobs,
            created=CREATED,
            workers=workers,
            min_files=1,
            progress=lambda d, t: seen[name].append((d, t)),
        )
        assert out == [j[2] for j in jobs]
        return [(str(p.relative_to(tmp_path / name)), p.read_bytes()) for p in out]

    one, two = run("1", 1), run("2", 2)
    assert len(one) == 3 * 2 * len(UNITS) and one == two
    for calls in seen.values():
        done = [d for d, _ in calls]
        assert done == sorted(done) and calls[-1] == (len(one), len(one))
    assert mp.active_children() == []  # every worker joined


def test_a_worker_error_is_raised_in_the_parent_and_no_worker_is_left(tmp_path):
    jobs = jobs_for(tmp_path / "ok", copies=2)
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder")
    sheet, kind, path = jobs[-1]
    jobs[-1] = (sheet, kind, blocker / path.name)  # its folder cannot be created
    with pytest.raises(OSError):
        write_all(jobs, created=CREATED, workers=2, min_files=1)
    assert mp.active_children() == []


def test_interrupt_in_the_parent_stops_every_worker_without_half_files(tmp_path):
    jobs = jobs_for(tmp_path, copies=20)
    workers: list[int] = []

    def interrupt(done: int, total: int) -> None:
        workers.extend(p.pid for p in mp.active_children() if p.pid)
        raise KeyboardInterrupt  # as Ctrl-C would, right after the first chunk

    with pytest.raises(KeyboardInterrupt):
        write_all(jobs, created=CREATED, workers=2, min_files=1, progress=interrupt)
    assert len(workers) == 2 and mp.active_children() == []
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind
    written = [p for p in tmp_path.rglob("*.*") if p.is_file()]
    assert 0 < len(written) < len(jobs)  # stopped part-way
    for p in written:  # each file that exists is whole
        assert zipfile.ZipFile(p).testzip() is None


SCRIPT = textwrap.dedent(
    """
    import datetime as dt, os, sys, time
    sys.path.insert(0, {tests!r})
    from test_feedback_pool import jobs_for
    from zwgk_score.outputs.feedback_pool import write_all
    from pathlib import Path
    jobs = jobs_for(Path({out!r}), copies=60)
    def tell(done, total):
        print("progress", done, flush=True)
        time.sleep(0.05)
    try:
        write_all(jobs, created=dt.datetime(2024, 1, 5), workers=2, min_files=1, progress=tell)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
    """
)


def test_ctrl_c_to_the_whole_process_group(tmp_path):
    """A terminal's Ctrl-C reaches every process of the group: workers leave it to the parent."""
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(tests=str(Path(__file__).parent), out=str(out))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("progress"), proc.stderr.read() if proc.stderr else ""
    kids = _children(proc.pid)
    assert kids  # the workers are running
    os.killpg(proc.pid, signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in rest
    assert "Traceback" not in err  # the workers left quietly
    deadline = time.monotonic() + 10
    while any(_alive(k) for k in kids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(k) for k in kids)  # no orphan
    assert not list(out.rglob("*.tmp"))
    for p in (p for p in out.rglob("*.*") if p.is_file()):
        assert zipfile.ZipFile(p).testzip() is None


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.split(") ", 1)[1][0] != "Z"


def test_lazy_jobs_are_the_eager_jobs_and_write_the_same_bytes(tmp_path, monkeypatch):
    """FeedbackJobs builds its sheets where a slice is taken: same jobs, same files as a list."""
    from zwgk_score.outputs import feedback
    from zwgk_score.outputs.feedback import FeedbackJobs, SheetMaker

    monkeypatch.setattr(feedback, "BLOCK_UNITS", 2)  # iteration crosses several blocks
    res = sample_results()
    kinds = ("xlsx", "docx")
    paths = {k: feedback_paths(res, tmp_path / "lazy", f".{k}") for k in kinds}
    sheets = feedback_sheets(res)
    eager = [(sheets[u], k, paths[k][u]) for u in res.units for k in kinds]
    lazy = FeedbackJobs(SheetMaker(res), kinds, paths)
    assert len(lazy) == len(eager) == 2 * len(UNITS)
    assert list(lazy) == eager
    # any slice, including ones that split a unit's two files, and single jobs
    for lo in range(len(eager) + 1):
        for hi in range(lo, len(eager) + 2):
            assert lazy[lo:hi] == eager[lo:hi]
    assert lazy[-1] == eager[-1] and lazy[3] == eager[3] and lazy[::2] == eager[::2]
    with pytest.raises(IndexError):
        lazy[len(eager)]
    assert lazy.paths() == [p for _, _, p in eager]

    def run(name: str, workers: int) -> list[tuple[str, bytes]]:
        p = {k: feedback_paths(res, tmp_path / name, f".{k}") for k in kinds}
        jobs = FeedbackJobs(SheetMaker(res), kinds, p)
        out = write_all(jobs, created=CREATED, workers=workers, min_files=1)
        assert out == jobs.paths()
        return [(q.name, q.read_bytes()) for q in out]

    assert run("one", 1) == run("two", 2)
    listed = write_all(eager, created=CREATED, workers=1, min_files=1)
    assert [(q.name, q.read_bytes()) for q in listed] == run("again", 2)
