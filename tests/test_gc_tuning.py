"""The console entry point's garbage-collector settings (zwgk_score.gc_tuning)."""

from __future__ import annotations

import subprocess
import sys

from zwgk_score import gc_tuning

PROBE = """
import gc, sys
from zwgk_score.cli import console
sys.argv = ["zwgk-score", "--version"]
before = gc.get_threshold()[0]
try:
    console()
except SystemExit:
    pass
print(before, gc.get_threshold()[0], gc.get_freeze_count() > 0)
"""


def test_console_collects_less_often_and_skips_the_exit_collection() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout.split()
    # CPython's default young threshold is 700; the command raises it and freezes on the way out
    assert out[-3:] == ["700", str(gc_tuning.YOUNG_THRESHOLD), "True"]


def test_library_import_keeps_the_default_threshold() -> None:
    probe = "import gc, zwgk_score.cli, zwgk_score.run; print(gc.get_threshold()[0])"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[-1] == "700"
