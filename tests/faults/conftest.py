"""Fixtures of the fault-injection suite: a project with the outputs of a successful run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from faults.project import make_project


def run_cli(*args: str):  # type: ignore[no-untyped-def]
    """``zwgk-score ARGS`` in this process; the click result (exit code, stdout, stderr)."""
    from zwgk_score.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=True)


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project already run once: ``out/`` holds a complete output set."""
    root = make_project(tmp_path_factory.mktemp("baseline") / "project")
    result = run_cli("run", str(root))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def project(baseline: Path, tmp_path: Path) -> Path:
    """A fresh copy of :func:`baseline` for one test."""
    dest = tmp_path / "project"
    shutil.copytree(baseline, dest, symlinks=True)
    return dest
