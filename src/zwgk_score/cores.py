"""How many CPU cores this process may use (for the process pool and the two-process runs).

A module of its own so that asking costs no import of the output modules: the
scoring helper (:mod:`zwgk_score.score_pair`) is forked before they are loaded.
"""

from __future__ import annotations

import os


def available_cores() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
