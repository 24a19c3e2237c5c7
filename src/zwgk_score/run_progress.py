"""Whole-run progress (进度) over every output of every period, for a bar with an ETA.

Writing the outputs is most of a large run, and the formats cost very
different amounts per unit, so each output step gets a weight (its cost per
unit, measured at 300 units × 200 indicators, times the number of units, plus
a fixed part).  The steps report through the run's ``progress(label, done,
total)`` callback in these weighted units; exporters that write one file per
unit (feedback sheets, the results site) also report within their step
(``options["progress"](files_done, files_total)``), so the bar moves, and its
time-remaining estimate holds, all through a national-scale run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: ``progress(label, done, total)``, as :func:`zwgk_score.run.run_assessment` takes it
Progress = Callable[[str, int, int], None]
#: ``step(files_done, files_total)`` within one output step
StepProgress = Callable[[int, int], None]

#: CPU milliseconds per unit of each output format (whole run, 300 units × 200 indicators)
COST_PER_UNIT = {
    "json": 10.0,
    "excel": 12.0,
    "notice": 4.0,
    "feedback": 18.0,
    "html": 10.0,
    "html_public": 8.0,
}
#: a format not listed above (a plugin's), per unit
DEFAULT_COST = 5.0
#: milliseconds of every output step whatever the number of units
FIXED_COST = 50.0


def step_weight(fmt: str, units: int) -> int:
    """The weight (estimated milliseconds) of writing format ``fmt`` for ``units`` units."""
    return round(FIXED_COST + COST_PER_UNIT.get(fmt, DEFAULT_COST) * max(units, 0))


class OutputPlan:
    """The output steps of a run, in order, reporting one running total."""

    def __init__(self, progress: Progress | None, steps: Sequence[tuple[str, int]]) -> None:
        self.progress = progress
        self.weights = [step_weight(fmt, units) for fmt, units in steps]
        self.total = max(sum(self.weights), 1)
        self.done = 0
        self.next = 0

    def start(self, label: str) -> StepProgress:
        """Begin the next step; return the callback that reports progress within it."""
        base = self.done
        weight = self.weights[self.next] if self.next < len(self.weights) else 0
        self._report(label, base)

        def within(done: int, total: int) -> None:
            share = min(max(done, 0), total) / total if total > 0 else 1.0
            self._report(label, base + round(weight * share))

        return within

    def finish(self, label: str) -> None:
        """The current step is done."""
        if self.next < len(self.weights):
            self.done += self.weights[self.next]
            self.next += 1
        self._report(label, self.done)

    def _report(self, label: str, done: int) -> None:
        if self.progress is not None:
            self.progress(label, min(done, self.total), self.total)
