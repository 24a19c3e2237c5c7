"""Write a small run's output steps on two cores (两个进程写出输出).

A run's outputs are steps: every format of every period (``json``, ``excel``,
``notice`` … of 2018Q1, then of 2018Q2, …).  Each step depends only on the
scored results, which exist before the first step starts, and writes its own
files into the staging folder of :class:`~zwgk_score.outputset.OutputSet`, so
the steps can run in any order and in any process and still give the same bytes.

A seed example's steps each take 20–200 ms, so :func:`write_steps` forks one
helper process (after everything is imported and scored, nothing is copied);
this process takes the steps from the first on, the helper from the last
back (the year's own, the largest), until they meet.  Each process thus
writes whole periods but one, and a period's tables built for one of its
outputs (``Results.items()``, the rankings) serve its next outputs in the same
process instead of being built again in the other.  The paths come back in
step order, whoever wrote them.  Large runs
(above :data:`PAIR_MAX_WEIGHT`) stay in one process: their per-unit files
already use every core (:mod:`zwgk_score.outputs.feedback_pool`), and a second
process writing the workbook while this one writes the notice would double the
memory peak.

Interrupting is safe: Ctrl-C reaches only the parent (the helper ignores
SIGINT); on any exception or interrupt the parent sends SIGTERM to the helper,
which stops inside its current step (its temporary file is removed by
:func:`~zwgk_score.atomic.atomic_path`) and exits; the parent waits for it and
re-raises, and the output set then removes the staging folders.  A helper's
error (a full disk, a plugin's exporter) is raised in the parent as it happened,
with its file and place.
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
from typing import Any

from zwgk_score import atomic, forked
from zwgk_score.cores import available_cores, sharing
from zwgk_score.run_progress import OutputPlan

#: ``do_step(k, progress_within_step)`` → the paths step ``k`` wrote
DoStep = Callable[[int, Callable[[int, int], None] | None], list[Path]]

#: two processes only when the plan's estimated cost is at most this (milliseconds, see
#: :mod:`zwgk_score.run_progress`): a few thousand units; the seed examples weigh 2,000–13,000
PAIR_MAX_WEIGHT = 150_000
#: off for tests comparing the two ways (the bytes must be the same)
ENABLED = True
#: seconds a stopped helper gets to leave its current step before it is killed
STOP_GRACE = 10.0


class _Stopped(BaseException):
    """The parent asked the helper to stop (SIGTERM)."""


class _Failed(Exception):
    """Step ``k`` raised ``error`` (in either process)."""

    def __init__(self, k: int, error: BaseException) -> None:
        super().__init__(k)
        self.k = k
        self.error = error


def use_pair(plan: OutputPlan, n_steps: int) -> bool:
    """Whether to write these steps in two processes."""
    return (
        ENABLED
        and n_steps >= 2
        and plan.total <= PAIR_MAX_WEIGHT
        and available_cores() >= 2
        and "fork" in mp.get_all_start_methods()
        # the fault-injection hooks (tests) act on "this process": keep every step in it
        and not atomic.CHECKPOINT_HOOKS
    )


def write_steps(
    labels: Sequence[str],
    do_step: DoStep,
    plan: OutputPlan,
    reset: Callable[[], None] | None = None,
) -> list[list[Path]]:
    """Run every step; return each step's paths, in step order.

    ``plan`` has one weight per step (the same order) and reports progress.
    ``reset()`` empties the folders the steps write into, after a failed step of
    the pair (default: the finished steps' files are removed).
    """
    if use_pair(plan, len(labels)):
        try:
            with sharing(1):  # each process keeps one core busy: no pool inside a step
                return _Pair(labels, do_step, plan, reset).run()
        except _Failed:
            # a step failed: what the pair wrote is removed and the steps are run again here, in
            # order, so the error is the one a single process raises (the first failing step's;
            # a full disk fills in the same order), whichever process met which error first
            plan = OutputPlan(None, [])
    out: list[list[Path]] = []
    for label_k in labels:
        step = plan.start(label_k)
        out.append(do_step(len(out), step))
        plan.finish(label_k)
    return out


def _stop_requested(signum: int, frame: Any) -> None:
    raise _Stopped


def _helper(conn: Connection, ends: Any, n: int, do_step: DoStep) -> None:
    """Take step after step from the back until none is left; report each one's paths (or the error)."""
    forked.take_signals(_stop_requested)  # the parent's stop: leave the step now
    k = -1
    try:
        while (k := forked.take(ends, n, last=True)) < n:
            conn.send(("done", k, do_step(k, None)))
    except _Stopped:
        os._exit(1)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            payload = pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an error that cannot travel: send its text
            payload = pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))
        conn.send(("error", k, payload))
    finally:
        conn.close()


class _Pair:
    """The parent's side: its own steps, the helper's reports, progress over both."""

    def __init__(
        self,
        labels: Sequence[str],
        do_step: DoStep,
        plan: OutputPlan,
        reset: Callable[[], None] | None = None,
    ) -> None:
        self.reset = reset
        self.labels = list(labels)
        self.do_step = do_step
        self.plan = plan
        self.paths: list[list[Path] | None] = [None] * len(labels)
        self.done_weight = 0
        self.closed = False  # the helper's end of the pipe is closed: no more reports

    def _weight(self, k: int) -> int:
        return self.plan.weights[k] if k < len(self.plan.weights) else 0

    def _report(self, label: str, done: int) -> None:
        if self.plan.progress is not None:
            self.plan.progress(label, min(done, self.plan.total), self.plan.total)

    def _within(self, k: int) -> Callable[[int, int], None]:
        """Progress inside step ``k`` (files done of its total), on top of the finished steps."""

        def within(done: int, total: int) -> None:
            share = min(max(done, 0), total) / total if total > 0 else 1.0
            self._report(self.labels[k], self.done_weight + round(self._weight(k) * share))

        return within

    def _finished(self, k: int, paths: list[Path]) -> None:
        self.paths[k] = paths
        self.done_weight += self._weight(k)
        self._report(self.labels[k], self.done_weight)

    def _receive(self, conn: Connection, proc: BaseProcess, *, wait: bool) -> None:
        """Take the helper's reports (all that are there; with ``wait``, at least one)."""
        while not self.closed and (wait or conn.poll()):
            if not conn.poll(0.5):
                if proc.exitcode is not None and not conn.poll():
                    self.closed = True
                continue
            try:
                kind, k, value = conn.recv()
            except EOFError:  # the helper has taken the last step and left
                self.closed = True
                continue
            if kind == "error":
                raise _Failed(k, pickle.loads(value))
            self._finished(k, value)
            wait = False
        if wait and self.closed:
            raise RuntimeError(f"写出结果的辅助进程意外退出（退出码 {proc.exitcode}）")

    def run(self) -> list[list[Path]]:
        n = len(self.labels)
        ctx = mp.get_context("fork")  # the helper inherits the scored results, nothing is copied
        ends = ctx.Array("q", [0, n])
        receiver, sender = ctx.Pipe(duplex=False)
        proc: BaseProcess = ctx.Process(target=_helper, args=(sender, ends, n, self.do_step))
        try:
            forked.started([proc])
            sender.close()
            while (k := forked.take(ends, n)) < n:
                self._report(self.labels[k], self.done_weight)
                try:
                    paths = self.do_step(k, self._within(k))
                except Exception as exc:  # noqa: BLE001 - raised below, after the earlier steps
                    raise _Failed(k, exc) from None
                self._finished(k, paths)
                self._receive(receiver, proc, wait=False)
            while any(p is None for p in self.paths):
                self._receive(receiver, proc, wait=True)
            proc.join()
        except _Failed:
            _stop(proc)
            self._undo()
            raise
        except BaseException:
            _stop(proc)
            raise
        finally:
            receiver.close()
        return [p if p is not None else [] for p in self.paths]

    def _undo(self) -> None:
        """Remove what the steps wrote (an unfinished step's temporary file is gone)."""
        if self.reset is not None:
            self.reset()
            return
        for paths in self.paths:
            for path in paths or ():
                with contextlib.suppress(OSError):
                    path.unlink()


def _stop(proc: BaseProcess) -> None:
    """Stop the helper (SIGTERM: it leaves its step, removing its temporary file) and wait."""
    if proc.pid is None:
        return
    if proc.is_alive():
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
    proc.join(STOP_GRACE)
    if proc.is_alive():
        proc.kill()
        proc.join()
