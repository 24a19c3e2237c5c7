"""Garbage-collector settings for one command-line process (垃圾回收设置).

A ``zwgk-score`` command builds hundreds of thousands of short-lived objects
(pandas frames, rubric and document nodes) that are freed by reference
counting; with CPython's default threshold (a young collection every 700 net
allocations) a seed example's run spends about a tenth of its time in the
collector, which finds almost nothing.  :func:`for_command` raises the young
threshold for the process, and :func:`before_exit` moves every object still
alive into the permanent generation, so the full collection the interpreter
runs on exit (0.1–0.2 s after a run) has nothing to walk.  After a command
that succeeded, :func:`exit_now` ends the process without the interpreter
freeing its objects one by one (another ~25 ms after a seed example's run):
the exit handlers still run and the standard streams are flushed, and the
system takes the memory back at once.

Only the console entry point (:func:`zwgk_score.cli.console`) calls these: a
library caller's process (tests, a notebook) keeps its own settings.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from typing import NoReturn

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


def exit_now(status: int = 0) -> NoReturn:
    """End the process with ``status`` once a command is done: exit handlers run, the
    standard streams are flushed, the heap is not torn down object by object.

    Every file the command wrote is closed by then (outputs are written and
    swapped in before the command returns).  While a thread that is not a daemon
    is still running, or where the interpreter offers no way to run the exit
    handlers first, the process exits the ordinary way.
    """
    before_exit()
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    main = threading.main_thread()
    working = [t for t in threading.enumerate() if t is not main and not t.daemon and t.is_alive()]
    if run_handlers is None or working:  # a thread still at work is waited for, as on any exit
        sys.exit(status)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head): nothing to say
            stream.flush()
    os._exit(status)
