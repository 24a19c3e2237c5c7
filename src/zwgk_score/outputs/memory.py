"""Memory of a national-scale run: give freed memory back before worker processes fork.

After the notice of 40,000 units the parent's heap holds gigabytes it has freed
but not returned.  A forked worker that allocates reuses those freed chunks, and
every page it writes is copied from the parent: the workers then grew by
gigabytes in seconds.  :func:`release_memory` returns the free pages to the
system first (glibc ``malloc_trim``) and collects garbage, and :func:`frozen`
keeps the collector of a worker from writing to every object it inherited.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
from collections.abc import Iterator


def release_memory() -> None:
    """Collect garbage and return the free heap pages to the system (glibc only; else no-op)."""
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl): nothing to trim
        return
    trim(0)


#: (unit, indicator) cells from which a record is large enough to trim the heap between outputs
LARGE_CELLS = 1_000_000


def between_outputs(cells: int) -> None:
    """After one output of a record of ``cells`` (unit, indicator) cells, before the next.

    An output of a national record frees gigabytes of short-lived rows and texts; the
    next one then starts from what is still in use, and its own peak does not sit on the
    freed heap of the one before.  A small record skips it (a collection costs a seed
    example's cold run more than it frees).
    """
    if cells >= LARGE_CELLS:
        release_memory()


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Objects that exist now are left alone by the garbage collector inside the block.

    Forked workers then never touch (and so never copy) the pages of what they inherited.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
