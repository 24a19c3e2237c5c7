"""Output sets under faults: foreign files, blocked names, locks, stale staging, OS errors, mounts.

Every refused run must exit 2 with a Chinese message naming the path and
leave ``out/`` byte-identical; every accepted run must leave exactly the new
set (plus other people's files, which are kept and mentioned).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from faults.conftest import change_data, run_cli
from faults.project import leftovers, snapshot
from zwgk_score.outputset import MANIFEST_NAME
from zwgk_score.outputset.lock import OutputLock


def refused(project: Path, *args: str) -> str:
    before = snapshot(project / "out")
    result = run_cli("run", str(project), *args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "输出错误" in result.stderr
    assert snapshot(project / "out") == before
    assert leftovers(project) == []
    return result.stderr


def accepted(project: Path, *args: str):  # type: ignore[no-untyped-def]
    result = run_cli("run", str(project), *args)
    assert result.exit_code == 0, (result.output, result.exception)
    assert leftovers(project) == []
    return result


def test_rerun_is_byte_identical_manifest_included(project: Path) -> None:
    before = snapshot(project / "out")
    accepted(project)
    assert snapshot(project / "out") == before
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    # 1 JSON + 1 CSV + workbook + 2 notice files + 3 units × 2 feedback sheets = 11 files
    assert len(manifest["files"]) == 11 and "反馈单/反馈单_丙局.docx" in manifest["files"]


def test_changed_input_gives_wholly_the_new_set(project: Path, new_set: dict[str, str]) -> None:
    change_data(project)
    accepted(project)
    assert snapshot(project / "out") == new_set


def test_foreign_files_are_kept_untouched_and_mentioned(project: Path) -> None:
    (project / "out" / "笔记.txt").write_text("领导批示", encoding="utf-8")
    (project / "out" / "反馈单" / "批注").mkdir()
    (project / "out" / "反馈单" / "批注" / "甲局.txt").write_text("已阅", encoding="utf-8")
    change_data(project)
    result = accepted(project)
    assert (project / "out" / "笔记.txt").read_text(encoding="utf-8") == "领导批示"
    assert (project / "out" / "反馈单" / "批注" / "甲局.txt").read_text(encoding="utf-8") == "已阅"
    said = " ".join(result.output.split())
    assert "2 个文件不是本工具写出的，已原样保留" in said and "笔记.txt" in said


def test_sheets_of_a_unit_removed_from_the_roster_disappear(project: Path) -> None:
    for name in ("units.csv", "data/打分表.csv"):
        path = project / name
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if "丙局" not in ln]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accepted(project)
    sheets = sorted(p.name for p in (project / "out" / "反馈单").iterdir())
    assert sheets == [
        "反馈单_乙局.docx",
        "反馈单_乙局.xlsx",
        "反馈单_甲局.docx",
        "反馈单_甲局.xlsx",
    ]


def test_without_a_manifest_old_files_are_not_deleted_but_mentioned(project: Path) -> None:
    (project / "out" / MANIFEST_NAME).unlink()  # outputs of a version without manifests
    result = accepted(project)
    said = " ".join(result.output.split())
    assert "11 个文件没有本工具的清单记录，已被本次同名输出替换" in said
    assert (project / "out" / MANIFEST_NAME).exists()


def test_corrupt_manifest_counts_as_none(project: Path) -> None:
    (project / "out" / MANIFEST_NAME).write_text("{broken", encoding="utf-8")
    (project / "out" / "别人的.xlsx").write_bytes(b"x")
    accepted(project)
    assert (project / "out" / "别人的.xlsx").read_bytes() == b"x"
    json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))


def test_foreign_file_blocking_a_folder_name(project: Path) -> None:
    shutil.rmtree(project / "out" / "反馈单")
    (project / "out" / "反馈单").write_text("不是文件夹", encoding="utf-8")
    message = refused(project)
    assert "挡住了要写出的同名文件夹" in message and str(project / "out" / "反馈单") in message


def test_foreign_folder_with_the_name_of_an_output_file(project: Path) -> None:
    (project / "out" / "通报.md").unlink()
    (project / "out" / "通报.md").mkdir()
    (project / "out" / "通报.md" / "草稿.txt").write_text("草稿", encoding="utf-8")
    message = refused(project)
    assert "与要写出的文件同名" in message and "通报.md" in message


def test_output_path_that_is_a_file(project: Path) -> None:
    (project / "taken").write_text("x", encoding="utf-8")
    message = refused(project, "-o", str(project / "taken"))
    assert "输出目录是一个已存在的文件" in message and "taken" in message


def test_output_path_below_a_file(project: Path) -> None:
    (project / "taken").write_text("x", encoding="utf-8")
    message = refused(project, "-o", str(project / "taken" / "sub"))
    assert "无法创建输出目录" in message and "taken" in message


def test_a_live_lock_refuses_the_run_naming_pid_and_start(project: Path) -> None:
    lock = OutputLock(Path(os.path.realpath(project / "out")))
    lock.acquire()
    try:
        before = snapshot(project / "out")
        result = run_cli("run", str(project))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"另一次运行正在写这个输出目录（进程 {os.getpid()}，开始于 " in result.stderr
        assert "年" in result.stderr and "本次运行未写任何文件" in result.stderr
        assert snapshot(project / "out") == before
    finally:
        lock.release()
    accepted(project)  # once released, the next run goes ahead


def test_stale_lock_of_a_dead_process_is_taken_over(project: Path) -> None:
    (project / ".out.zwgk-lock").write_text('{"pid": 999999, "started": 0}', encoding="utf-8")
    accepted(project)
    assert not (project / ".out.zwgk-lock").exists()


def test_stale_staging_of_killed_runs_is_removed(project: Path) -> None:
    for name in (".out.zwgk-new.4242.deadbeef", ".out.zwgk-old.4242.deadbeef", ".out.k3j_9x2a.tmp"):
        (project / name).mkdir()
        (project / name / "results.json").write_text("{}", encoding="utf-8")
    accepted(project)
    assert leftovers(project) == []


def test_os_error_during_the_swap_is_one_located_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zwgk_score.outputset as outputset

    def busy(a: Path, b: Path) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(b))

    monkeypatch.setattr(outputset, "exchange", busy)
    message = refused(project)
    assert "写出输出目录时出错" in message and str(os.path.realpath(project / "out")) in message


def test_disk_full_while_writing_names_the_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zwgk_score.outputs.docx_render as docx_render

    def full(target: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(docx_render, "atomic_write_bytes", full)
    message = refused(project)
    assert "写出「notice」时出错" in message and str(project / "out" / "通报.docx") in message


def test_output_folder_that_is_a_symlink_stays_one(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "结果"
    real.parent.mkdir()
    shutil.move(project / "out", real)
    (project / "out").symlink_to(real)
    change_data(project)
    accepted(project)
    assert (project / "out").is_symlink() and (project / "out" / "考核结果.xlsx").is_file()
    assert sorted(p.name for p in real.parent.iterdir()) == ["结果"]  # nothing left beside it


def test_without_atomic_exchange_the_two_rename_fallback_works(
    project: Path, monkeypatch: pytest.MonkeyPatch, new_set: dict[str, str]
) -> None:
    from zwgk_score.outputset import swap

    monkeypatch.setattr(swap, "_RENAMEAT2", None)
    change_data(project)
    accepted(project)
    assert snapshot(project / "out") == new_set


def test_score_command_writes_an_output_set(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = project / "打分结果"
    args = ["score", "rubric.toml", "units.csv", "-r", "units.csv", "-o", str(out)]
    monkeypatch.chdir(project)
    (project / "long.csv").write_text(
        "unit,key,value\n甲局,stale,1\n甲局,training,2\n甲局,review,36\n"
        "乙局,stale,3\n乙局,training,1\n乙局,review,40\n丙局,stale,0\n丙局,training,2\n丙局,review,30\n",
        encoding="utf-8",
    )
    args[2] = "long.csv"
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert (out / MANIFEST_NAME).exists() and (out / "results.json").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".打分结果.")]


def _mount_tmpfs(path: Path) -> bool:
    path.mkdir(exist_ok=True)
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(path)], capture_output=True
    )
    return r.returncode == 0


@pytest.fixture
def mounted_out(project: Path):  # type: ignore[no-untyped-def]
    """``out/`` as a file system of its own (tmpfs), holding the baseline set."""
    saved = project / "saved-out"
    shutil.move(project / "out", saved)
    if not _mount_tmpfs(project / "out"):
        shutil.move(saved, project / "out")
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        shutil.copytree(saved, project / "out", dirs_exist_ok=True, symlinks=True)
        yield project / "out"
    finally:
        subprocess.run(["umount", "-l", str(project / "out")], check=False)


def test_out_on_its_own_file_system(
    project: Path, mounted_out: Path, new_set: dict[str, str]
) -> None:
    (mounted_out / "笔记.txt").write_text("保留", encoding="utf-8")
    change_data(project)
    accepted(project)
    assert os.path.ismount(mounted_out)
    now = snapshot(mounted_out)
    assert now.pop("笔记.txt") and now == new_set
    assert not [p for p in mounted_out.iterdir() if p.name.startswith(".zwgk-new.")]
