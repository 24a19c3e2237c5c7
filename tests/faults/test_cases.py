"""Every case of :mod:`faults.cases` run the same way.

For each case: a copy of a project whose ``out/`` holds a complete earlier
output set; the case's edits; ``zwgk-score run``.  The run must exit with
status 2 and a Chinese message naming the file (and the place, where the
case says so), print no traceback, and leave ``out/`` byte-identical, with
no staging folder or lock left beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faults.cases import ALL_CASES, Case
from faults.conftest import run_cli
from faults.project import leftovers, snapshot

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def apply_edits(root: Path, case: Case) -> None:
    for name, edit in case.edit.items():
        path = root / name
        if edit is None:
            path.unlink()
        elif edit == "<dir>":
            path.unlink(missing_ok=True)
            path.mkdir()
        else:
            new = edit(path.read_text(encoding="utf-8")) if callable(edit) else edit
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(new, bytes):
                path.write_bytes(new)
            else:
                path.write_text(new, encoding="utf-8")


def assert_refused(result, before: dict[str, str], root: Path, case: Case) -> str:  # type: ignore[no-untyped-def]
    message = result.stderr
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Traceback" not in message
    assert CHINESE.search(message) and "错误" in message, message
    if case.file:
        assert case.file in message, message
    if case.place:
        assert f"位置 {case.place}" in message or case.place in message, (case.place, message)
    for word in case.words:
        assert word in message, (word, message)
    assert len(message.strip().splitlines()) <= 3, message
    assert snapshot(root / "out") == before, "out/ changed"
    assert leftovers(root) == []
    return message


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.id for c in ALL_CASES])
def test_mistake_is_refused_and_out_untouched(project: Path, case: Case) -> None:
    before = snapshot(project / "out")
    apply_edits(project, case)
    target = project / "assessment.toml"
    result = run_cli("run", str(target), *case.args)
    assert_refused(result, before, project, case)


def test_case_ids_are_distinct() -> None:
    ids = [c.id for c in ALL_CASES]
    assert len(ids) == len(set(ids))
