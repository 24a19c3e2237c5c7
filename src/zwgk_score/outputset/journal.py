"""Interrupted commits (中断的提交): journals, and what the next run finishes or removes.

Two commits are not a single exchange of folders and keep a journal so that a
run killed halfway is finished by the next run (which holds the lock):

- the two-rename fallback (no atomic exchange on this system): the journal
  ``.<out>.zwgk-old.<id>.journal`` beside the folder names the new and the old
  set; if the folder is missing, the complete new set is moved in (else the old
  one back);
- the in-place commit into a folder that is a mount point: the journal
  ``out/.zwgk-journal.json`` lists the staged entries, which are moved in one
  by one (idempotently; the manifest last).

Staging folders of killed runs (``.<out>.zwgk-new.*``, ``.<out>.zwgk-old.*``,
older versions' ``.<out>.xxxxxxxx.tmp``, and ``out/.zwgk-new.*``) are removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
from pathlib import Path

from zwgk_score.atomic import atomic_write_text, checkpoint
from zwgk_score.outputset.carry import INTERNAL
from zwgk_score.outputset.manifest import MANIFEST_NAME

JOURNAL_NAME = ".zwgk-journal.json"


def rmtree(path: Path) -> None:
    """Remove a folder or file, whatever is in it; never raises for what is gone already."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def two_step_swap(stage: Path, real: Path) -> Path:
    """Old set away, new set in (journal first); returns where the old set now is."""
    old = real.parent / f".{real.name}.zwgk-old.{os.getpid()}.{secrets.token_hex(4)}"
    journal = old.with_name(old.name + ".journal")
    atomic_write_text(journal, json.dumps({"new": stage.name, "old": old.name}))
    os.rename(real, old)
    checkpoint("half-swapped")
    os.rename(stage, real)
    journal.unlink()
    return old


def commit_in_place(real: Path, stage: Path) -> None:
    """Move the entries of ``stage`` (inside ``real``) into ``real`` one by one, journal first."""
    from zwgk_score.outputset.signals import signals_held

    entries = sorted(e.name for e in os.scandir(stage))
    journal = real / JOURNAL_NAME
    atomic_write_text(journal, json.dumps({"stage": stage.name, "entries": entries}))
    with signals_held():
        apply_journal(real, stage, entries)
        journal.unlink()
    rmtree(stage)


def apply_journal(real: Path, stage: Path, entries: list[str]) -> None:
    """Move the staged entries into ``real`` (manifest last), then drop entries no longer produced.

    Idempotent, so that a run killed halfway is finished by the next run.
    """
    order = sorted(entries, key=lambda e: (e == MANIFEST_NAME, e))
    for name in order:
        src, dest = stage / name, real / name
        away = stage / f".zwgk-away.{name}"
        if not src.exists() and not src.is_symlink():
            continue  # moved already
        if src.is_dir() and not src.is_symlink():
            if dest.exists() or dest.is_symlink():
                if away.exists():
                    rmtree(away)
                os.rename(dest, away)
            checkpoint("entry")
            os.rename(src, dest)
        else:
            if dest.is_dir() and not dest.is_symlink():
                os.rename(dest, away)
            checkpoint("entry")
            os.replace(src, dest)
    keep = set(entries)
    for p in real.iterdir():
        if p.name not in keep and not INTERNAL.match(p.name):
            rmtree(p)


def recover(real: Path, *, mounted: bool) -> None:
    """Finish an interrupted commit into output folder ``real``, then remove staging folders."""
    journal = real / JOURNAL_NAME
    if mounted and journal.exists():
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
            stage = real / str(data["stage"])
            if stage.is_dir():
                apply_journal(real, stage, [str(e) for e in data["entries"]])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        journal.unlink(missing_ok=True)
    parent = real.parent
    if parent.is_dir():
        for j in sorted(parent.glob(f".{real.name}.zwgk-old.*.journal")):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                data = json.loads(j.read_text(encoding="utf-8"))
                new, old = parent / str(data["new"]), parent / str(data["old"])
                if not real.exists() and (new / MANIFEST_NAME).exists():
                    os.rename(new, real)
                elif not real.exists() and old.is_dir():
                    os.rename(old, real)
            j.unlink(missing_ok=True)
        name = re.escape(real.name)
        stale = re.compile(rf"^\.{name}\.(zwgk-(new|old)\..+|[a-z0-9_]{{8}}\.tmp)$")
        for p in parent.iterdir():
            if stale.match(p.name) and p.is_dir():
                rmtree(p)
    if real.is_dir():
        for p in real.iterdir():
            if p.name.startswith(".zwgk-new.") and p.is_dir():
                rmtree(p)
