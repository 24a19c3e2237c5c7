"""Kill tests: SIGKILL and SIGTERM at many points of the output commit, and two runs at once.

The run is a subprocess (``driver.py``) with a hook at the commit steps (see
its docstring).  After the signal, ``out/`` must be wholly the old set or
wholly the new one (which of the two is fixed by the step); the next run must
clean up whatever the killed run left and produce exactly the new set.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from faults.conftest import change_data, run_cli
from faults.project import leftovers, snapshot
from faults.test_output_faults import mounted_out  # noqa: F401 - fixture

DRIVER = Path(__file__).with_name("driver.py")

#: Commit steps in order for the test project: 11 outputs and the manifest are
#: moved into the staging folder (``file#1`` … ``file#12``), then ``manifest``,
#: ``carried`` (other people's files linked in), ``swap``, ``swapped``, ``cleaned``.
BEFORE_SWAP = ["file#1", "file#6", "file#12", "manifest", "carried", "swap"]
AFTER_SWAP = ["swapped", "cleaned"]


def drive(project: Path, fault: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DRIVER), "run", str(project)],
        env={**os.environ, "ZWGK_FAULT": fault, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def recover(project: Path, new_set: dict[str, str]) -> None:
    result = run_cli("run", str(project))
    assert result.exit_code == 0, result.output
    assert snapshot(project / "out") == new_set
    assert leftovers(project) == []


@pytest.mark.parametrize("step", BEFORE_SWAP + AFTER_SWAP)
def test_sigkill_during_the_commit(project: Path, new_set: dict[str, str], step: str) -> None:
    old = snapshot(project / "out")
    change_data(project)
    r = drive(project, f"kill@{step}")
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert snapshot(project / "out") == (old if step in BEFORE_SWAP else new_set)
    recover(project, new_set)


@pytest.mark.parametrize("step", ["file#3", "swap", "swapped"])
def test_sigterm_is_handled_like_ctrl_c(project: Path, new_set: dict[str, str], step: str) -> None:
    old = snapshot(project / "out")
    change_data(project)
    r = drive(project, f"term@{step}")
    assert r.returncode == 1 and "已取消" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert snapshot(project / "out") == (new_set if step in AFTER_SWAP else old)
    assert leftovers(project) == []  # cleaned up on the way out, no lock left either
    recover(project, new_set)


@pytest.mark.parametrize("step", ["half-swapped", "swapped"])
def test_sigkill_in_the_two_rename_fallback(
    project: Path, new_set: dict[str, str], step: str
) -> None:
    old = snapshot(project / "out")
    change_data(project)
    r = drive(project, f"kill@{step}", ZWGK_FAULT_NO_EXCHANGE="1")
    assert r.returncode == -signal.SIGKILL, r.stderr
    now = snapshot(project / "out")
    if step == "half-swapped":
        assert now == {}  # the one moment without the folder: never a mix; the next run finishes
    else:
        assert now == (old if step == "swap" else new_set)
    recover(project, new_set)


@pytest.mark.parametrize("n", [2])
def test_sigkill_during_an_in_place_commit_on_a_mount_point(
    project: Path,
    mounted_out: Path,  # noqa: F811 - fixture
    new_set: dict[str, str],
    n: int,
) -> None:
    change_data(project)
    r = drive(project, f"kill@entry#{n}")
    assert r.returncode == -signal.SIGKILL, r.stderr
    recover(project, new_set)  # the journal lets the next run finish the commit
    assert os.path.ismount(mounted_out)


def test_two_runs_at_once_one_is_refused(project: Path, new_set: dict[str, str]) -> None:
    flags = project / "flags"
    flags.mkdir()
    change_data(project)
    first = subprocess.Popen(
        [sys.executable, str(DRIVER), "run", str(project)],
        env={**os.environ, "ZWGK_FAULT": "pause@swap", "ZWGK_FAULT_DIR": str(flags)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        end = time.monotonic() + 90
        while not (flags / "paused").exists():
            assert first.poll() is None and time.monotonic() < end, first.communicate()
            time.sleep(0.05)
        second = run_cli("run", str(project))
        assert second.exit_code == 2 and "Traceback" not in second.output
        assert f"另一次运行正在写这个输出目录（进程 {first.pid}，开始于 " in second.stderr
        (flags / "go").touch()
        out, err = first.communicate(timeout=90)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert snapshot(project / "out") == new_set  # only the first run's files
    shutil.rmtree(flags)
    assert leftovers(project) == []
