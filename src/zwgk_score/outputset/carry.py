"""Carrying other people's files into the new output set (保留他人文件).

The new set replaces the whole output folder in one step, so files in the
folder that this tool did not write (not in an earlier manifest) are linked
into the new set first: they stay where they were, untouched.  Files an
earlier run wrote and this run no longer produces are simply not carried,
and so disappear with the old set.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import attrs

from zwgk_score.errors import OutputError
from zwgk_score.outputset.manifest import MANIFEST_NAME, read_manifest

#: Names the tool uses for its own bookkeeping: never carried, never reported.
INTERNAL = re.compile(
    r"^(\.zwgk-manifest\.json|\.zwgk-journal\.json|\.zwgk-new\..*|\..*\.zwgk-(lock|new\..*|old\..*))$"
)


@attrs.define
class Carried:
    """What :func:`carry_foreign` did: files kept, and tool files of no manifest replaced."""

    kept: list[str] = attrs.Factory(list)
    replaced: list[str] = attrs.Factory(list)


def _link(src: Path, dest: Path) -> None:
    if src.is_symlink():
        os.symlink(os.readlink(src), dest)
        return
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def carry_foreign(old: Path, new: Path, *, skip: frozenset[str] = frozenset()) -> Carried:
    """Link every file of ``old`` that no manifest claims into ``new`` (same relative path).

    Directories holding a manifest are output sets of their own (nested
    periods); their manifest decides inside them.  ``skip`` holds relative
    paths not to descend into.

    Raises:
        OutputError: a foreign file or folder has the name of a new output of the other kind.
    """
    done = Carried()
    _walk(old, new, "", read_manifest(old) or set(), "", skip, done)
    return done


def _walk(
    old: Path, new: Path, rel: str, owned: set[str], root: str, skip: frozenset[str], done: Carried
) -> None:
    try:
        entries = sorted(os.scandir(old / rel if rel else old), key=lambda e: e.name)
    except OSError as exc:
        raise OutputError(
            f"无法读取输出目录：{exc.strerror}", file=old / rel, hint="检查输出目录的权限"
        ) from None
    for entry in entries:
        if INTERNAL.match(entry.name):
            continue
        path = f"{rel}/{entry.name}" if rel else entry.name
        if path in skip:
            continue
        in_set = path[len(root) + 1 :] if root else path
        src, dest = Path(entry.path), new / path
        if entry.is_dir(follow_symlinks=False):
            if dest.exists() and not dest.is_dir():
                raise OutputError(
                    "输出目录中已有一个不是本工具写出的文件夹，与要写出的文件同名",
                    file=src,
                    hint="移走或改名该文件夹后重新运行",
                )
            sub_owned, sub_root = owned, root
            own = read_manifest(src) if (src / MANIFEST_NAME).exists() else None
            if own is not None:
                sub_owned, sub_root = own, path
            created = not dest.exists()
            if created:
                dest.mkdir()
                shutil.copymode(src, dest)
            _walk(old, new, path, sub_owned, sub_root, skip, done)
            if created and not any(dest.iterdir()):
                dest.rmdir()
            continue
        if in_set in owned:
            continue
        if dest.is_dir() and not dest.is_symlink():
            raise OutputError(
                "输出目录中已有一个不是本工具写出的文件，挡住了要写出的同名文件夹",
                file=src,
                hint="移走或改名该文件后重新运行",
            )
        if dest.exists() or dest.is_symlink():
            done.replaced.append(path)
            continue
        try:
            _link(src, dest)
        except OSError as exc:
            raise OutputError(
                f"无法保留输出目录中的文件：{exc.strerror}", file=src, hint="检查输出目录的权限"
            ) from None
        done.kept.append(path)
