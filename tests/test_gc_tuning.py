"""The console entry point's garbage-collector settings (zwgk_score.gc_tuning)."""

from __future__ import annotations

import subprocess
import sys

from zwgk_score import gc_tuning

PROBE = """
import atexit, gc, sys
from zwgk_score.cli import console
sys.argv = ["zwgk-score", "--version"]
before = gc.get_threshold()[0]
atexit.register(lambda: print(before, gc.get_threshold()[0], gc.get_freeze_count() > 0))
console()
print("not reached: console() ends the process")
"""


def test_console_collects_less_often_and_skips_the_exit_collection() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    out = done.stdout.split()
    # CPython's default young threshold is 700; the command raises it and freezes on the way out;
    # the exit handlers still run (this one prints), and the output is flushed before the end
    assert done.returncode == 0
    assert out[-3:] == ["700", str(gc_tuning.YOUNG_THRESHOLD), "True"]
    assert "not reached" not in done.stdout


def test_exit_now_flushes_buffered_output_and_keeps_the_status(tmp_path) -> None:
    probe = (
        "import sys; from zwgk_score import gc_tuning; "
        "sys.stdout.write('buffered, no newline'); gc_tuning.exit_now(3)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (3, "buffered, no newline")


def test_library_import_keeps_the_default_threshold() -> None:
    probe = "import gc, zwgk_score.cli, zwgk_score.run; print(gc.get_threshold()[0])"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[-1] == "700"


def test_exit_now_waits_for_a_thread_still_at_work() -> None:
    probe = (
        "import sys, threading, time; from zwgk_score import gc_tuning; "
        "t = threading.Thread(target=lambda: (time.sleep(0.2), print('thread done', flush=True))); "
        "t.start(); gc_tuning.exit_now(0)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "thread done\n")
