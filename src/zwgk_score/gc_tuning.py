"""Garbage-collector settings for one command-line process (垃圾回收设置).

A ``zwgk-score`` command builds hundreds of thousands of short-lived objects
(pandas frames, rubric and document nodes) that are freed by reference
counting; with CPython's default threshold (a young collection every 700 net
allocations) a seed example's run spends about a tenth of its time in the
collector, which finds almost nothing.  :func:`for_command` raises the young
threshold for the process, and :func:`before_exit` moves every object still
alive into the permanent generation, so the full collection the interpreter
runs on exit (0.1–0.2 s after a run) has nothing to walk: the process ends
right after the last output is written.

Only the console entry point (:func:`zwgk_score.cli.console`) calls these: a
library caller's process (tests, a notebook) keeps its own settings.
"""

from __future__ import annotations

import gc

#: net allocations between two young collections (CPython's default is 700); the cycles
#: they leave are at most this many objects, a few MiB even when every one is garbage
YOUNG_THRESHOLD = 10_000


def for_command() -> None:
    """Collect less often while the command runs (cycles are still collected)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def before_exit() -> None:
    """Skip the exit-time collection: the process is ending and gives all its memory back."""
    gc.freeze()
