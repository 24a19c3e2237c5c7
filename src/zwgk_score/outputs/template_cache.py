"""Compiled templates kept between runs (模板编译缓存): Jinja2's bytecode cache in the user's cache folder.

Compiling the notice and results-site templates (parse, generate Python,
``compile``) cost about 0.3 s of every ``zwgk-score run`` of a seed example,
the same work on the same files each time.  Jinja2 can keep the compiled code
of each template on disk (:class:`jinja2.FileSystemBytecodeCache`): a template
is looked up by its file name and the checksum of its source is checked on
every load, so a template that was edited (a plugin's, an office's own
``[notice] template_dirs``) is compiled afresh and the cache entry replaced.
The rendered text is the same whether a template came from the cache or not.

The folder: ``$ZWGK_SCORE_CACHE_DIR``, else the platform's user cache folder
for ``zwgk-score`` as :mod:`platformdirs` names it (``$XDG_CACHE_HOME/zwgk-score``
or ``~/.cache/zwgk-score`` on Linux); below
it ``jinja2-<version>/<flavour>`` (generated code depends on the Jinja2
version and on the environment's settings, which differ between the notice and
the site).  ``ZWGK_SCORE_CACHE_DIR`` set to an empty string turns the cache
off.  The cache is only a speed-up: a folder that cannot be created or written
(a read-only home) or an unreadable entry means the template is compiled as
without a cache, never an error.
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path

import jinja2
import platformdirs
from jinja2.bccache import Bucket

#: environment variable naming the cache folder (empty: no cache)
CACHE_VAR = "ZWGK_SCORE_CACHE_DIR"


def cache_root() -> Path | None:
    """The tool's cache folder (not created here), or None when turned off."""
    raw = os.environ.get(CACHE_VAR)
    if raw is not None:
        return Path(raw).expanduser() if raw.strip() else None
    return Path(platformdirs.user_cache_dir("zwgk-score", appauthor=False))


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """A file-system bytecode cache whose failures only mean "compile it": never an error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a truncated or foreign entry: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # full disk, read-only folder: compiled next time
            super().dump_bytecode(bucket)


def bytecode_cache(flavour: str) -> jinja2.BytecodeCache | None:
    """The bytecode cache of one kind of environment (``notice``, ``site``), or None.

    None when the cache is turned off or its folder cannot be created.
    """
    root = cache_root()
    if root is None:
        return None
    return _cache_at(root / f"jinja2-{jinja2.__version__}" / flavour)


@functools.lru_cache(maxsize=8)
def _cache_at(folder: Path) -> jinja2.BytecodeCache | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return None
    return _QuietCache(str(folder), "%s.cache")
