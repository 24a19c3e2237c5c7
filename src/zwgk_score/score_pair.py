"""Score a run's other periods in a helper process while this one scores its own (两个进程评分).

An annual assessment with ``[combine]`` scores its quarters too: five
independent collect-and-score passes.  For a small run (a roster of at most
:data:`PAIR_MAX_ROSTER_BYTES`) :func:`score_in_pair` forks one helper that
scores the first of the other periods, in their order, while this process
scores the assessment's own period and then the last of the others (:func:`split`: the
own period is the largest, and this process also imports the exporters
meanwhile); the helper sends its results back pickled (a seed example's
period is ~0.5 MB, a few milliseconds).  Nothing is written while
scoring, and the results are the same objects, value for value, as one
process makes, so every output is byte-identical (tests/test_output_pair.py).

The errors are those one process raises: this period's first (it is scored
first there), then the first of the other periods, each as it happened, with
its file and place.  A live crawl's ``save_to`` in the helper is handed back
and saved with the run (:func:`zwgk_score.inspection.saved.deferred_saves`).
Ctrl-C reaches only this process; it stops the helper (SIGTERM) and waits
for it before re-raising.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

from zwgk_score import forked
from zwgk_score.cores import available_cores
from zwgk_score.inspection import saved

T = TypeVar("T")
U = TypeVar("U")

#: only rosters up to this size (about 5,000 units): larger runs keep one process, so the
#: other periods' results are never held twice (pickled and unpickled) in memory
PAIR_MAX_ROSTER_BYTES = 200_000
#: off for tests comparing the two ways
ENABLED = True


def use_pair(n_others: int, rosters: Sequence[Path]) -> bool:
    """Whether to score ``n_others`` other periods in a helper process."""
    if not ENABLED or n_others < 1 or available_cores() < 2:
        return False
    if "fork" not in mp.get_all_start_methods():
        return False
    try:
        return all(Path(r).stat().st_size <= PAIR_MAX_ROSTER_BYTES for r in rosters)
    except OSError:  # a missing roster: one process reports it as usual
        return False


def _pending() -> list[Any]:
    return saved._RUNS[-1] if saved._RUNS else []


def _helper(conn: Connection, others: Sequence[Callable[[], U]]) -> None:
    forked.take_signals(signal.SIG_DFL)  # nothing is written while scoring: just stop
    mark = len(_pending())
    try:
        message: tuple[str, Any] = ("ok", [work() for work in others])
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        message = ("error", exc)
    later = _pending()[mark:]
    try:
        payload = pickle.dumps((*message, later), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - what cannot travel is sent as text
        text = RuntimeError(f"{type(message[1]).__name__}: {message[1]}; {exc}")
        payload = pickle.dumps(("error", text, []))
    conn.send_bytes(payload)
    conn.close()


def split(n_others: int) -> int:
    """How many of ``n_others`` other periods the helper scores (the rest are scored here).

    This process scores its own period, the largest (all indicators), and imports
    the exporters meanwhile (about one period's time): it also takes the last
    ``(n - 1) // 2`` others, e.g. one of four quarters, after those imports.
    """
    return n_others - (n_others - 1) // 2


def score_in_pair(
    main: Callable[[], T],
    others: Sequence[Callable[[], U]],
    meanwhile: Callable[[], object] | None = None,
) -> tuple[T, list[U]]:
    """``main()`` here, the first :func:`split` ``others`` in a helper process, the rest here.

    Returns ``main()``'s result and those of ``others`` in their order.  Errors are
    those of one process scoring them all in order: ``main()``'s, else the first
    of the others'.  ``meanwhile()`` runs here after ``main()`` while the helper may
    still be scoring (e.g. importing the exporters); what it raises is ignored: the
    step it prepares runs again later and raises at its own turn.
    """
    n_helper = split(len(others))
    ctx = mp.get_context("fork")  # the helper inherits the loaded configs and plugins
    receiver, sender = ctx.Pipe(duplex=False)
    proc: BaseProcess = ctx.Process(target=_helper, args=(sender, others[:n_helper]))
    own: list[U] = []
    failed: BaseException | None = None
    try:
        forked.started([proc])
        sender.close()
        first = main()
        if meanwhile is not None and not receiver.poll():
            with contextlib.suppress(Exception):
                meanwhile()
        mark = len(_pending())
        try:  # an error here counts only if the helper's earlier periods succeed
            own.extend(work() for work in others[n_helper:])
        except Exception as exc:  # noqa: BLE001 - raised below, in period order
            failed = exc
        mine = _pending()[mark:]
        del _pending()[mark:]
        kind, value, later = _receive(receiver, proc)
        proc.join()
    except BaseException:
        _stop(proc)
        raise
    finally:
        receiver.close()
    _pending().extend(later)  # the crawls to save, in period order
    if kind == "error":
        raise value
    _pending().extend(mine)
    if failed is not None:
        raise failed
    return first, [*value, *own]


def _receive(conn: Connection, proc: BaseProcess) -> tuple[str, Any, list[Any]]:
    while not conn.poll(0.5):
        if proc.exitcode is not None and not conn.poll():
            raise RuntimeError(f"评分的辅助进程意外退出（退出码 {proc.exitcode}）")
    try:
        got: tuple[str, Any, list[Any]] = pickle.loads(conn.recv_bytes())
    except EOFError:
        raise RuntimeError(f"评分的辅助进程意外退出（退出码 {proc.exitcode}）") from None
    return got


def _stop(proc: BaseProcess) -> None:
    if proc.pid is None:
        return
    if proc.is_alive():
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
    proc.join(10.0)
    if proc.is_alive():
        proc.kill()
        proc.join()
