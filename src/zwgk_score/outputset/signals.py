"""Signals while outputs are written (信号处理): SIGTERM like Ctrl-C, none during a swap."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Terminated(KeyboardInterrupt):
    """``SIGTERM`` arrived while outputs were being written (handled like Ctrl-C)."""


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class SigtermAsInterrupt:
    """While installed, ``SIGTERM`` raises :class:`Terminated` (main thread only)."""

    def __init__(self) -> None:
        self._previous: object = None
        self._installed = False

    def install(self) -> None:
        if not _main_thread():
            return

        def handler(signum: int, frame: FrameType | None) -> None:
            raise Terminated

        self._previous = signal.signal(signal.SIGTERM, handler)
        self._installed = True

    def restore(self) -> None:
        if self._installed:
            previous = self._previous if self._previous is not None else signal.SIG_DFL
            signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]
            self._installed = False


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM (delivered on exit) so a swap is never interrupted halfway."""
    if not _main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
