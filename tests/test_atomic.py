"""Atomic writes: a temporary file renamed into place, or in place inside a staging folder."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from zwgk_score import atomic
from zwgk_score.atomic import atomic_path, staging
from zwgk_score.outputset import OutputSet


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_outside_a_staging_folder_the_file_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "通报.md"
    target.write_text("上次", encoding="utf-8")
    with atomic_path(target) as tmp:
        assert tmp != target and tmp.parent == target.parent
        tmp.write_text("半", encoding="utf-8")
        assert target.read_text(encoding="utf-8") == "上次"  # readers still see the old file
    assert target.read_text(encoding="utf-8") == "半"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["通报.md"]


def test_inside_a_staging_folder_the_file_is_written_in_place(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    with staging(stage):
        target = stage / "2024Q1" / "通报.md"
        with atomic_path(target) as path:
            assert path == target  # no temporary file of its own
            path.write_text("全文", encoding="utf-8")
        assert sorted(p.name for p in target.parent.iterdir()) == ["通报.md"]
        elsewhere = tmp_path / "out" / "a.txt"
        with atomic_path(elsewhere) as tmp:  # outside the staging folder: as before
            assert tmp != elsewhere
            tmp.write_text("x", encoding="utf-8")
    # the same permissions either way (an ordinary file under the umask)
    assert _mode(target) == _mode(elsewhere)
    assert atomic._STAGING == []


def test_a_failed_write_in_place_leaves_no_partial_file_and_names_the_target(
    tmp_path: Path,
) -> None:
    stage = tmp_path / "stage"
    with staging(stage):
        target = stage / "考核结果.xlsx"
        with pytest.raises(OSError) as info, atomic_path(target) as path:
            path.write_bytes(b"PK partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        assert info.value.filename == str(target)
        assert not target.exists()
        with pytest.raises(KeyboardInterrupt), atomic_path(target) as path:
            path.write_bytes(b"PK")
            raise KeyboardInterrupt
        assert list(stage.iterdir()) == []


def test_an_output_set_writes_in_place_only_until_it_commits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen = []
    with OutputSet([out]) as outputs:
        stage = outputs.stage(out)
        with atomic_path(stage / "results.json") as path:
            seen.append(path == stage / "results.json")
            path.write_text("{}", encoding="utf-8")
        outputs.commit()
        assert atomic._STAGING == []  # the staging path now holds the set being replaced
    assert seen == [True]
    assert (out / "results.json").read_text(encoding="utf-8") == "{}"
    assert atomic._STAGING == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_forked_helpers_write_in_place_too(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    stage.mkdir()
    with staging(stage):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through its exit code
            try:
                with atomic_path(stage / "反馈单.docx") as path:
                    os._exit(0 if path == stage / "反馈单.docx" else 1)
            finally:
                os._exit(2)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
