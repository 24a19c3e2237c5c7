"""Swapping two directories in one step (目录互换).

On Linux ``renameat2(RENAME_EXCHANGE)`` exchanges two paths atomically: a
reader sees the old folder or the new one, never neither and never a mix.
Where it is not available (another system, a file system without support)
:func:`exchange` reports so and the caller falls back to two renames.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Exchange paths ``a`` and ``b`` atomically; ``False`` if this system cannot.

    Raises:
        OSError: the exchange is supported but failed (permissions, a busy mount point…).
    """
    if _RENAMEAT2 is None:
        return False
    rc = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def own_file_system(target: Path) -> bool:
    """Whether ``target`` is a mount point (it cannot be renamed or swapped)."""
    try:
        return target.is_dir() and (
            os.path.ismount(target) or target.stat().st_dev != target.parent.stat().st_dev
        )
    except OSError:
        return False
