"""Output sets (输出集): a run's outputs become visible together, or not at all.

:class:`OutputSet` is used as a context manager around the exporters:

1. entering locks every output folder (:mod:`.lock`), finishes or removes
   what a killed earlier run left behind, and creates a staging folder per
   output folder on the same file system (beside it; inside it when the
   folder is a mount point of its own).  An output folder inside another one
   (a quarter's ``out/2024Q1`` inside ``out``) is staged inside the outer
   staging folder, so the two change together;
2. the exporters write into :meth:`OutputSet.stage`;
3. :meth:`OutputSet.commit` writes each set's manifest (:mod:`.manifest`),
   links the files that are not the tool's into the new set (:mod:`.carry`)
   and swaps the staging folder with the output folder in one step
   (:mod:`.swap`);
4. leaving removes the staging folders and the locks, whatever happened.

``SIGTERM`` is treated like Ctrl-C while an output set is open, and both are
held back during the swap itself (:mod:`.signals`).  Commits that cannot be a
single exchange keep a journal the next run finishes (:mod:`.journal`).
Every OS error becomes an
:class:`~zwgk_score.errors.OutputError` naming the path.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from zwgk_score.atomic import checkpoint, staging
from zwgk_score.errors import OutputError
from zwgk_score.outputset.carry import INTERNAL, Carried, carry_foreign
from zwgk_score.outputset.journal import commit_in_place, recover, rmtree, two_step_swap
from zwgk_score.outputset.lock import OutputLock
from zwgk_score.outputset.manifest import MANIFEST_NAME, write_manifest
from zwgk_score.outputset.signals import SigtermAsInterrupt, Terminated, signals_held
from zwgk_score.outputset.swap import exchange, own_file_system

__all__ = ["MANIFEST_NAME", "OutputSet", "Terminated"]


def _os_error(exc: OSError, what: str, fallback: Path) -> OutputError:
    where = exc.filename if exc.filename else fallback
    return OutputError(
        f"{what}：{exc.strerror or exc}",
        file=where,
        hint="检查输出目录及其上级目录是否存在、是否可写、磁盘空间是否充足",
    )


class _Root:
    """One outermost output folder of the set and its staging folder."""

    def __init__(self, shown: Path, real: Path) -> None:
        self.shown = shown
        self.real = real
        self.mounted = own_file_system(real)
        self.stage: Path | None = None  # to remove on close (after a swap: the old set)
        self.staged_at: Path | None = None  # where the new set was written

    def stage_prefix(self) -> tuple[Path, str]:
        if self.mounted:
            return self.real, ".zwgk-new."
        return self.real.parent, f".{self.real.name}.zwgk-new."


class OutputSet:
    """Atomic, locked output folders for one run (see the module docs).

    Args:
        targets: the output folders the run writes (duplicates ignored).
    """

    def __init__(self, targets: Iterable[Path | str]) -> None:
        shown = list(dict.fromkeys(Path(t) for t in targets))
        self._targets: dict[Path, Path] = {}  # shown → real
        for t in shown:
            if t.exists() and not t.is_dir():
                raise OutputError(
                    "输出目录是一个已存在的文件",
                    file=t,
                    hint="换一个输出目录（-o），或移走同名文件",
                )
            self._targets[t] = Path(os.path.realpath(t))
        reals = sorted(set(self._targets.values()), key=lambda p: len(p.parts))
        self._roots: list[_Root] = []
        self._root_of: dict[Path, tuple[_Root, str]] = {}  # real → (root, relative path)
        for real in reals:
            outer = next((r for r in self._roots if real.is_relative_to(r.real)), None)
            if outer is None:
                show = next(s for s, r in self._targets.items() if r == real)
                outer = _Root(show, real)
                self._roots.append(outer)
            self._root_of[real] = (outer, real.relative_to(outer.real).as_posix())
        # nested folders are locked too (a run of that period alone may be writing there),
        # but only when they can exist already: a lock never creates an output folder
        roots = {r.real for r in self._roots}
        self._locks = [OutputLock(r) for r in sorted(reals) if r in roots or r.parent.is_dir()]
        self._sigterm = SigtermAsInterrupt()
        # while the staging folders are private, their files are written in place (atomic)
        self._staging = contextlib.ExitStack()
        self.warnings: list[str] = []
        self.committed = False

    # ------------------------------------------------------------------ open / close

    def __enter__(self) -> OutputSet:
        try:
            self._open()
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._close()

    def _open(self) -> None:
        self._sigterm.install()
        for lock in self._locks:
            lock.acquire()
        for root in self._roots:
            try:
                recover(root.real, mounted=root.mounted)
            except OSError as exc:
                raise _os_error(exc, "无法清理上次中断的运行留下的临时目录", root.shown) from None
            base, prefix = root.stage_prefix()
            try:
                base.mkdir(parents=True, exist_ok=True)
                stage = base / f"{prefix}{os.getpid()}.{secrets.token_hex(4)}"
                stage.mkdir()
            except OSError as exc:
                raise OutputError(
                    f"无法创建输出目录：{exc.strerror}",
                    file=root.shown,
                    hint="检查输出目录的上级路径是否存在、是否可写",
                ) from None
            root.stage = root.staged_at = stage
            self._staging.enter_context(staging(stage))

    def _close(self) -> None:
        self._staging.close()
        for root in self._roots:
            if root.stage is not None:
                rmtree(root.stage)
                root.stage = None
        for lock in reversed(self._locks):
            lock.release()
        self._sigterm.restore()

    # ------------------------------------------------------------------ staging

    def stage(self, target: Path | str) -> Path:
        """The staging folder the exporters of output folder ``target`` write into."""
        real = self._targets[Path(target)]
        root, rel = self._root_of[real]
        assert root.staged_at is not None, "OutputSet not entered"
        path = root.staged_at / rel if rel != "." else root.staged_at
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error(exc, "无法创建临时输出目录", path) from None
        return path

    def final(self, staged: Path) -> Path:
        """Where a file written under a staging folder is after the commit."""
        for root in self._roots:
            if root.staged_at is not None and staged.is_relative_to(root.staged_at):
                return root.shown / staged.relative_to(root.staged_at)
        return staged

    # ------------------------------------------------------------------ commit

    def commit(self) -> None:
        """Make every staged output folder visible, each in one step."""
        self._staging.close()  # from now on a staging path may hold the set being replaced
        for root in self._roots:
            assert root.stage is not None
            try:
                self._write_manifests(root)
                checkpoint("manifest")
                carried = self._carry(root)
                checkpoint("carried")
                if root.mounted:
                    commit_in_place(root.real, root.stage)
                    root.stage = None
                    checkpoint("cleaned")
                else:
                    self._swap(root)
            except OSError as exc:
                raise _os_error(exc, "写出输出目录时出错", root.shown) from None
            self._report(root, carried)
        self.committed = True

    def _nested(self, root: _Root) -> list[str]:
        return sorted(rel for r, rel in self._root_of.values() if r is root and rel != ".")

    def _write_manifests(self, root: _Root) -> None:
        assert root.stage is not None
        rels = [rel for r, rel in self._root_of.values() if r is root]
        for rel in sorted(rels, key=lambda x: -len(x)):  # innermost first
            base = root.stage / rel if rel != "." else root.stage
            inner = [
                (root.stage / o)
                for o in rels
                if o != rel and (rel == "." or o.startswith(rel + "/"))
            ]
            files = [
                p
                for p in sorted(base.rglob("*"))
                if p.is_file()
                and not INTERNAL.match(p.name)
                and not any(p.is_relative_to(i) for i in inner)
            ]
            parts = [Path(i).relative_to(base).as_posix() for i in inner]
            write_manifest(base, files, sorted(parts))

    def _carry(self, root: _Root) -> Carried:
        assert root.stage is not None
        if not root.real.is_dir():
            return Carried()
        return carry_foreign(root.real, root.stage)

    def _swap(self, root: _Root) -> None:
        assert root.stage is not None
        stage, real = root.stage, root.real
        checkpoint("swap")
        with signals_held():
            if not real.exists():
                os.rename(stage, real)
                root.stage = None
            elif exchange(stage, real):
                pass  # the staging path now holds the old set
            else:
                root.stage = two_step_swap(stage, real)
        checkpoint("swapped")
        if root.stage is not None:
            rmtree(root.stage)
            root.stage = None
        checkpoint("cleaned")

    # ------------------------------------------------------------------ report

    def _report(self, root: _Root, carried: Carried) -> None:
        def names(paths: list[str]) -> str:
            shown = "、".join(paths[:5])
            return shown + (f" 等 {len(paths)} 个" if len(paths) > 5 else "")

        if carried.kept:
            self.warnings.append(
                f"输出目录 {root.shown} 中有 {len(carried.kept)} 个文件不是本工具写出的，已原样保留："
                + names(carried.kept)
            )
        if carried.replaced:
            self.warnings.append(
                f"输出目录 {root.shown} 中有 {len(carried.replaced)} 个文件没有本工具的清单记录，"
                f"已被本次同名输出替换：{names(carried.replaced)}"
            )
