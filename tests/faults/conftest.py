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


#: The edit every "new run" makes: 甲局's review score 36 → 38 (total 36+... changes, so the sets differ).
NEW_DATA = ("甲局,1,2,36", "甲局,1,2,38")


def change_data(root: Path) -> None:
    """Edit the project so that its next run produces a different output set."""
    path = root / "data" / "打分表.csv"
    text = path.read_text(encoding="utf-8")
    assert NEW_DATA[0] in text
    path.write_text(text.replace(*NEW_DATA), encoding="utf-8")


@pytest.fixture(scope="session")
def new_set(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The snapshot of ``out/`` after a successful run of the changed project."""
    from faults.project import snapshot

    root = tmp_path_factory.mktemp("newset") / "project"
    shutil.copytree(baseline, root, symlinks=True)
    change_data(root)
    result = run_cli("run", str(root))
    assert result.exit_code == 0, result.output
    return snapshot(root / "out")
