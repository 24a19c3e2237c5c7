"""How many CPU cores this process may use (for the process pool and the two-process runs).

A module of its own so that asking costs no import of the output modules: the
scoring helper (:mod:`zwgk_score.score_pair`) is forked before they are loaded.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

#: cores that sibling processes of this run keep busy meanwhile (see :func:`sharing`)
_SHARED: list[int] = []


def available_cores() -> int:
    """CPU cores this process may use, less those its sibling processes are using."""
    try:
        total = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        total = os.cpu_count() or 1
    return max(1, total - sum(_SHARED))


@contextlib.contextmanager
def sharing(siblings: int = 1) -> Iterator[None]:
    """While this process works beside ``siblings`` others of the same run, one core each.

    The two-process output steps (:mod:`zwgk_score.output_pair`) use it: both
    cores are then busy, so the feedback sheets are written in the process that
    takes their step instead of in a pool of two more (a forked helper inherits
    the count).
    """
    _SHARED.append(siblings)
    try:
        yield
    finally:
        _SHARED.pop()
