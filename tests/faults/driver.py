"""Run the command line with a fault hooked into the output commit (for the kill tests).

``ZWGK_FAULT="<action>@<step>#<n>"`` acts at the ``n``-th time (default 1) a
commit step named ``step`` is reached (:func:`zwgk_score.atomic.checkpoint`;
``file`` is each file moved into the staging folder, then ``manifest``,
``carried``, ``swap``, ``swapped``, ``cleaned``; ``entry`` and
``half-swapped`` in the in-place and two-rename commits).  Actions:

- ``kill``: SIGKILL this process;
- ``term``: send SIGTERM to this process;
- ``pause``: create ``$ZWGK_FAULT_DIR/paused``, then wait until
  ``$ZWGK_FAULT_DIR/go`` exists (at most 30 s).

``ZWGK_FAULT_LOG`` names a file that gets every step, one a line;
``ZWGK_FAULT_NO_EXCHANGE=1`` disables the atomic directory exchange (the
two-rename fallback is used).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from zwgk_score import atomic

SPEC = os.environ.get("ZWGK_FAULT", "")
LOG = os.environ.get("ZWGK_FAULT_LOG", "")
_counts: dict[str, int] = {}


def _hook(step: str) -> None:
    kind = step.split(":", 1)[0]
    _counts[kind] = _counts.get(kind, 0) + 1
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(step + "\n")
    if not SPEC:
        return
    action, _, at = SPEC.partition("@")
    name, _, n = at.partition("#")
    if kind != name or _counts[kind] != int(n or 1):
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "term":
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler interrupts this sleep
    elif action == "pause":
        folder = Path(os.environ["ZWGK_FAULT_DIR"])
        (folder / "paused").touch()
        end = time.monotonic() + 30
        while not (folder / "go").exists() and time.monotonic() < end:
            time.sleep(0.02)


def main() -> None:
    atomic.CHECKPOINT_HOOKS.append(_hook)
    if os.environ.get("ZWGK_FAULT_NO_EXCHANGE"):
        from zwgk_score.outputset import swap

        swap._RENAMEAT2 = None
    from zwgk_score.cli import console

    console()


if __name__ == "__main__":
    main()
