"""The output manifest (输出清单): which files of a folder this tool wrote.

``.zwgk-manifest.json`` is written into the new output set last, just before
the set is made visible.  The next run uses it to tell its own earlier files
(replaced, or removed when no longer produced) from anybody else's files
(left alone).  It lists every file with its SHA-256, so it is byte-identical
when the outputs are.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from zwgk_score.atomic import atomic_write_text

MANIFEST_NAME = ".zwgk-manifest.json"
FORMAT = "zwgk-score/output-set"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_manifest(root: Path, files: list[Path], parts: list[str]) -> Path:
    """Write the manifest of ``files`` (inside ``root``) and nested output sets ``parts``."""
    listed = {p.relative_to(root).as_posix(): _digest(p) for p in files}
    data = {"format": FORMAT, "version": 1, "files": dict(sorted(listed.items())), "parts": parts}
    path = root / MANIFEST_NAME
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n")
    return path


def read_manifest(root: Path) -> set[str] | None:
    """The files (relative POSIX paths) an earlier run wrote into ``root``; ``None`` without a manifest.

    An unreadable or foreign manifest counts as none: then every file is
    treated as somebody else's and left alone.
    """
    try:
        data = json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    files = data.get("files")
    return {str(k) for k in files} if isinstance(files, dict) else None
