"""Starting the run's helper processes with Ctrl-C and SIGTERM held until they can take them.

A forked helper inherits this process's signal handlers: the command line's
SIGTERM handler raises ``KeyboardInterrupt``, and so does Python's for SIGINT.
A stop that reached a helper before it had set its own handlers (an error in
the first period stops the scoring helper a few milliseconds after the fork)
printed the helper's traceback under the one-line message.  :func:`started`
blocks both signals across ``start()``; the helper calls :func:`take_signals`
with its own handlers, which also delivers a stop that arrived meanwhile.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.process import BaseProcess
from typing import Any

from zwgk_score.outputs.memory import frozen

_HELD = {signal.SIGINT, signal.SIGTERM}


#: signal masks exist on POSIX only; elsewhere (Windows: spawned workers) nothing is held
_MASKS = hasattr(signal, "pthread_sigmask")


@contextlib.contextmanager
def _held() -> Iterator[None]:
    if not _MASKS:
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def started(procs: Iterable[BaseProcess]) -> None:
    """Start ``procs`` with the stop signals held (and the inherited objects frozen)."""
    with _held(), frozen():  # the helpers' collector leaves the inherited objects' pages alone
        for proc in procs:
            proc.start()


def take_signals(on_term: Callable[[int, Any], Any] | int) -> None:
    """In a helper: ignore Ctrl-C (the parent's to handle), stop by ``on_term``, then unblock."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, on_term)
    if _MASKS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


def take(ends: Any, n: int, *, last: bool = False) -> int:
    """The next of ``n`` pieces of work not yet taken by either process of a pair.

    ``ends`` is a shared ``[next from the front, one past the back]`` array
    (``ctx.Array("q", [0, n])``); one process takes from the front, the other
    with ``last`` from the back, until they meet.  Returns ``n`` when every piece
    is taken.
    """
    with ends.get_lock():
        front, back = ends[0], ends[1]
        if front >= back:
            return n
        if last:
            ends[1] = back - 1
            return int(back - 1)
        ends[0] = front + 1
        return int(front)
