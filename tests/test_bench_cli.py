"""The cold-start benchmark's two-core bound (benchmarks/bench_cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_cli import two_core_bound  # noqa: E402


def test_the_serial_start_on_one_core_the_rest_shared_by_two() -> None:
    # 0.4 s start and imports, 3.3 s CPU in all: 0.4 + (3.3 − 0.4) / 2 = 0.4 + 1.45 = 1.85 s
    assert two_core_bound(0.4, 3.3) == pytest.approx(1.85)
    # one core: the CPU time itself
    assert two_core_bound(0.4, 3.3, cores=1) == pytest.approx(3.3)
    # a run shorter than the measured imports is bounded by its own CPU
    assert two_core_bound(0.5, 0.3) == pytest.approx(0.3)
