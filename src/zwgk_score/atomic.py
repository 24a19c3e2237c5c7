"""Atomic file writing (原子写入): outputs appear whole or not at all.

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


def checkpoint(step: str) -> None:
    """Announce a step of writing or committing outputs to the installed hooks."""
    for hook in CHECKPOINT_HOOKS:
        hook(step)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are ordinary files
        checkpoint(f"file:{target.name}")
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


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
