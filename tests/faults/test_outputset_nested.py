"""Output sets at the library level: nested period folders change together with the outer one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faults.project import snapshot
from zwgk_score.errors import OutputError
from zwgk_score.outputset import MANIFEST_NAME, OutputSet


def write(targets: dict[Path, dict[str, str]]) -> list[str]:
    """One run: ``target → {relative path: text}``; returns the warnings."""
    with OutputSet(list(targets)) as outputs:
        for target, files in targets.items():
            stage = outputs.stage(target)
            for rel, text in files.items():
                (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                (stage / rel).write_text(text, encoding="utf-8")
        outputs.commit()
    return outputs.warnings


def test_nested_period_folder_is_part_of_the_outer_set(tmp_path: Path) -> None:
    out, q1 = tmp_path / "out", tmp_path / "out" / "2024Q1"
    write({q1: {"results.json": "q1"}, out: {"results.json": "year", "通报.md": "通报"}})
    outer = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    inner = json.loads((q1 / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(outer["files"]) == ["results.json", "通报.md"] and outer["parts"] == ["2024Q1"]
    assert sorted(inner["files"]) == ["results.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # one swap, nothing left


def test_nested_folder_keeps_foreign_files_and_drops_its_old_ones(tmp_path: Path) -> None:
    out, q1 = tmp_path / "out", tmp_path / "out" / "2024Q1"
    write({q1: {"results.json": "q1", "反馈单/甲.xlsx": "甲"}, out: {"results.json": "year"}})
    (q1 / "批注.txt").write_text("手写", encoding="utf-8")
    warnings = write({q1: {"results.json": "q1 新"}, out: {"results.json": "year 新"}})
    assert (q1 / "批注.txt").read_text(encoding="utf-8") == "手写"
    assert not (q1 / "反馈单").exists()  # the tool's old sheet is gone with its folder
    assert (q1 / "results.json").read_text(encoding="utf-8") == "q1 新"
    assert any("2024Q1/批注.txt" in w for w in warnings)


def test_period_no_longer_produced_leaves_only_foreign_files(tmp_path: Path) -> None:
    out, q1 = tmp_path / "out", tmp_path / "out" / "2024Q1"
    write({q1: {"results.json": "q1"}, out: {"results.json": "year"}})
    (q1 / "批注.txt").write_text("手写", encoding="utf-8")
    write({out: {"results.json": "year"}})
    assert sorted(p.name for p in q1.iterdir()) == ["批注.txt"]  # tool files gone, note kept


def test_separate_folders_each_get_their_own_set(tmp_path: Path) -> None:
    a, b = tmp_path / "甲", tmp_path / "乙"
    write({a: {"x.txt": "1"}, b: {"y.txt": "2"}})
    assert (a / MANIFEST_NAME).exists() and (b / MANIFEST_NAME).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["乙", "甲"]


def test_failure_before_commit_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write({out: {"a.txt": "旧"}})
    before = snapshot(out)
    with pytest.raises(RuntimeError), OutputSet([out]) as outputs:
        (outputs.stage(out) / "a.txt").write_text("新", encoding="utf-8")
        raise RuntimeError("exporter failed")
    assert snapshot(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="输出目录是一个已存在的文件"):
        OutputSet([tmp_path / "out"])
