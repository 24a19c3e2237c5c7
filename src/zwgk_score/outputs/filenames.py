"""Safe file names (安全文件名) built from user text such as unit names."""

from __future__ import annotations

import re
import unicodedata

#: characters Windows or POSIX refuse in a file name, plus path separators
_RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: device names Windows reserves whatever the extension
_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
#: stay well below the usual 255-byte limit, leaving room for prefix, suffix and a counter
_MAX_BYTES = 180


def safe_filename(name: str, *, default: str = "未命名") -> str:
    """Turn arbitrary text into one safe path component (no directory part).

    Reserved and control characters become ``_``, leading dots and trailing
    dots/spaces are removed (so ``..`` and hidden files cannot appear),
    Windows device names get a ``_`` suffix and the result is cut to at most
    180 UTF-8 bytes without splitting a character.

    Args:
        name: any text, e.g. a unit name (单位名称) such as ``../x``.
        default: used when nothing printable is left.

    Returns:
        A non-empty file name without separators, e.g. ``.._x`` → ``_x``.

    >>> safe_filename("../x")
    '_x'
    >>> safe_filename("a/b:c")
    'a_b_c'
    """
    text = unicodedata.normalize("NFC", str(name))
    text = _RESERVED.sub("_", text)
    text = text.strip().lstrip(".").rstrip(". ")
    if not text:
        return default
    if text.split(".")[0].upper() in _DEVICES:
        text = "_" + text
    encoded = text.encode("utf-8")
    if len(encoded) > _MAX_BYTES:
        text = encoded[:_MAX_BYTES].decode("utf-8", errors="ignore").rstrip(". ")
    return text or default


def unique_filenames(names: list[str], *, suffix: str = "") -> list[str]:
    """Safe, pairwise distinct file names (case-insensitively) for ``names``, in order.

    Distinct names that sanitise to the same text get ``_2``, ``_3`` … appended.
    """
    seen: set[str] = set()
    out = []
    for name in names:
        base = safe_filename(name)
        candidate, k = base + suffix, 1
        while candidate.casefold() in seen:
            k += 1
            candidate = f"{base}_{k}{suffix}"
        seen.add(candidate.casefold())
        out.append(candidate)
    return out
