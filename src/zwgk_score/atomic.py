"""Atomic file writing (原子写入): outputs appear whole or not at all.

A file is written to a temporary file beside it and renamed into place, unless
it is inside a staging folder (:func:`staging`): an output set's folder that
no one sees before it is swapped in whole (:mod:`zwgk_score.outputset`) and
that is removed if the run fails.  There the file is written in place, which
saves the temporary file's five system calls per output (a seed example
writes about 500 files).

:func:`checkpoint` marks the steps of writing and committing outputs; it does
nothing unless a hook is installed (the fault-injection tests install one that
kills the process at the N-th step, see tests/faults/).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

#: Functions called with the name of every commit step (tests only; empty in normal use).
CHECKPOINT_HOOKS: list[Callable[[str], None]] = []
#: staging folders of the open output sets (this process and the helpers it forks)
_STAGING: list[Path] = []


@contextlib.contextmanager
def staging(folder: Path) -> Iterator[None]:
    """Inside the block, files under ``folder`` are written in place (see the module docs).

    Only for a folder that nothing reads before the whole of it is published and
    that is removed when the block fails.
    """
    _STAGING.append(Path(folder))
    try:
        yield
    finally:
        _STAGING.remove(Path(folder))


def _staged(target: Path) -> bool:
    return any(target.is_relative_to(folder) for folder in _STAGING)


def checkpoint(step: str) -> None:
    """Announce a step of writing or committing outputs to the installed hooks."""
    for hook in CHECKPOINT_HOOKS:
        hook(step)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if _STAGING and _staged(target):
        with _named(target), _removed_on_error(target):
            yield target
            checkpoint(f"file:{target.name}")
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are ordinary files
        checkpoint(f"file:{target.name}")
        os.replace(tmp_path, target)
    except OSError as exc:
        if exc.filename is None:  # a failed write (disk full) names no file: name the target
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def _named(target: Path) -> Iterator[None]:
    """A failed write (disk full) names no file: name the target."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise


@contextlib.contextmanager
def _removed_on_error(target: Path) -> Iterator[None]:
    """A file written in place that did not finish is removed (its folder is private)."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(target: Path, text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write bytes to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
