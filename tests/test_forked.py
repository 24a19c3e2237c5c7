"""Helper processes take Ctrl-C and SIGTERM only once they have their own handlers."""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_score import forked
from zwgk_score.cores import available_cores

ROOT = Path(__file__).resolve().parents[1]


def _late_handler() -> None:
    time.sleep(0.3)  # the parent's stop arrives before the handler is set

    def stop(signum: int, frame: Any) -> None:
        os._exit(7)

    forked.take_signals(stop)
    time.sleep(5)
    os._exit(0)


def test_a_stop_sent_before_the_helper_is_ready_reaches_its_own_handler() -> None:
    proc = mp.get_context("fork").Process(target=_late_handler)
    forked.started([proc])
    assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # parent unchanged
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGTERM)
    proc.join(10)
    assert proc.exitcode == 7


@pytest.mark.skipif(available_cores() < 2, reason="the scoring helper runs only with two cores")
def test_an_early_error_in_a_run_with_a_scoring_helper_prints_two_lines(tmp_path: Path) -> None:
    # the rubric folder is not copied: the year's period fails a few ms after the helper forks
    example = tmp_path / "examples" / "liaocheng"
    shutil.copytree(ROOT / "examples" / "liaocheng", example, ignore=shutil.ignore_patterns("out"))
    for _ in range(3):
        r = subprocess.run(
            [sys.executable, "-m", "zwgk_score.cli", "run", str(example)],
            capture_output=True,
            text=True,
            env=dict(os.environ, COLUMNS="200"),
        )
        assert r.returncode == 2
        lines = r.stderr.splitlines()
        assert len(lines) == 2, r.stderr  # no traceback from the helper, no empty line
        assert lines[0].startswith("考核细则错误：") and "liaocheng-2018.toml" in lines[0]
        assert lines[1].strip().startswith("处理办法：")
        assert not (example / "out").exists()


@given(n=st.integers(0, 40), order=st.lists(st.booleans(), max_size=60))
def test_two_takers_share_the_work_once_each_from_both_ends(n: int, order: list[bool]) -> None:
    """Whatever the interleaving, every piece is taken once: the front in order, the back reversed."""
    ends = mp.get_context("fork").Array("q", [0, n])
    front: list[int] = []
    back: list[int] = []
    for last in [*order, *([False] * (n + 1))]:  # then the front side takes what is left
        k = forked.take(ends, n, last=last)
        if k == n:
            continue
        (back if last else front).append(k)
    assert front == sorted(front) and back == sorted(back, reverse=True)
    assert sorted(front + back) == list(range(n))
    assert forked.take(ends, n) == n and forked.take(ends, n, last=True) == n
