"""Score a run's other periods in a helper process while this one scores its own (两个进程评分).

An annual assessment with ``[combine]`` scores its quarters too: five
independent collect-and-score passes.  For a small run (a roster of at most
:data:`PAIR_MAX_ROSTER_BYTES`) :func:`score_in_pair` forks one helper that
scores the other periods from the first on, while this process scores the
assessment's own period (the largest), imports the exporters and then takes
the others the helper has not begun, from the last back, until the two meet
(a shared counter, :func:`zwgk_score.forked.take`: whichever process is faster
on the machine scores more); the helper sends its results back pickled in one
message (a seed example's period is ~0.5 MB, a few milliseconds).  Nothing is written while
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


def _helper(conn: Connection, ends: Any, others: Sequence[Callable[[], U]]) -> None:
    """Score other periods from the front until none is left or one fails; send them all at once.

    One message at the end: a message per period would fill the pipe and stop
    this process while the parent is still busy with its own periods.
    """
    forked.take_signals(signal.SIG_DFL)  # nothing is written while scoring: just stop
    n = len(others)
    done: list[tuple[int, str, Any, list[Any]]] = []
    while (k := forked.take(ends, n)) < n:
        mark = len(_pending())
        try:
            done.append((k, "ok", others[k](), _pending()[mark:]))
        except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
            done.append((k, "error", exc, _pending()[mark:]))
            break
    try:
        payload = pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - what cannot travel is sent as text
        _, kind, value, _ = done[-1]
        if kind == "error":  # the error this process met, as text
            text = RuntimeError(f"{type(value).__name__}: {value}")
        else:
            text = RuntimeError(f"评分的辅助进程无法传回结果：{type(exc).__name__}: {exc}")
        # in place of this process's first period: nothing it scored can be used
        payload = pickle.dumps([(done[0][0], "error", text, [])])
    conn.send_bytes(payload)
    conn.close()


def score_in_pair(
    main: Callable[[], T],
    others: Sequence[Callable[[], U]],
    meanwhile: Callable[[], object] | None = None,
) -> tuple[T, list[U]]:
    """``main()`` here while a helper process scores ``others`` from the first on.

    After ``main()`` and ``meanwhile()`` (e.g. importing the exporters; what it
    raises is ignored: the step it prepares runs again later and raises at its
    own turn), this process takes the others the helper has not begun, from the
    last back (:func:`zwgk_score.forked.take`), so that both finish within about
    one period of each other, whichever is faster.  Returns ``main()``'s result
    and those of ``others`` in their order.  Errors are those of one process
    scoring them all in order: ``main()``'s, else the first failing other period's.
    """
    n = len(others)
    ctx = mp.get_context("fork")  # the helper inherits the loaded configs and plugins
    ends = ctx.Array("q", [0, n])
    receiver, sender = ctx.Pipe(duplex=False)
    proc: BaseProcess = ctx.Process(target=_helper, args=(sender, ends, others))
    outcome: dict[int, tuple[str, Any, list[Any]]] = {}
    try:
        forked.started([proc])
        sender.close()
        first = main()
        if meanwhile is not None:
            with contextlib.suppress(Exception):
                meanwhile()
        while (k := forked.take(ends, n, last=True)) < n:
            mark = len(_pending())
            try:
                outcome[k] = ("ok", others[k](), _pending()[mark:])
            except Exception as exc:  # noqa: BLE001 - raised below, in period order
                outcome[k] = ("error", exc, _pending()[mark:])
            del _pending()[mark:]
            if outcome[k][0] == "error":
                break  # the helper goes on with the periods before it: the first error wins
        for k, kind, value, later in _receive(receiver, proc):
            outcome[k] = (kind, value, later)
        proc.join()
    except BaseException:
        _stop(proc)
        raise
    finally:
        receiver.close()
    results: list[U] = []
    for k in range(n):  # in period order: the crawls to save, then the first error
        kind, value, later = outcome[k]
        _pending().extend(later)
        if kind == "error":
            raise value
        results.append(value)
    return first, results


def _receive(conn: Connection, proc: BaseProcess) -> list[tuple[int, str, Any, list[Any]]]:
    while not conn.poll(0.5):
        if proc.exitcode is not None and not conn.poll():
            raise RuntimeError(f"评分的辅助进程意外退出（退出码 {proc.exitcode}）")
    try:
        got: list[tuple[int, str, Any, list[Any]]] = pickle.loads(conn.recv_bytes())
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
