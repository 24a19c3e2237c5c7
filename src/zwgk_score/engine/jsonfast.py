"""Exactly ``json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False)``, fast and in chunks.

The standard library only uses its C encoder without ``indent``; with it, every
value goes through a pure-Python generator.  results.json is written indented
(one value per line, diff-friendly), and most of it is two long lists of flat
records (indicators per unit, evidence rows): those are encoded column by
column — each column's values once, repeated numbers through their distinct
values — and each record is filled into one template.  Anything else goes
through a small recursive encoder with the same output; a value it does not
know (a dict with non-string keys, an unknown type) is handed to the standard
library, re-indented to its depth.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

#: the standard library's string encoder (its C version when available), ensure_ascii=False
_STR = json.encoder.encode_basestring
INDENT = 1


def _std(obj: Any, level: int) -> str:
    """The standard library's encoding of ``obj`` placed at depth ``level``."""
    text = json.dumps(obj, ensure_ascii=False, indent=INDENT, allow_nan=False)
    # strings never hold a raw newline (it is escaped), so every newline is layout
    return text.replace("\n", "\n" + " " * (INDENT * level))


def _float(x: float) -> str:
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("Out of range float values are not JSON compliant: " + repr(x))
    return float.__repr__(x)


class Lazy:
    """A list whose items are produced in chunks when encoded (see :func:`iter_encode`).

    ``chunks(level)`` yields the encoded items (each already placed at depth
    ``level + 1``), several items per chunk joined by ``,\\n`` + indent; ``empty``
    says whether there are none.
    """

    def __init__(self, chunks: Any, empty: bool) -> None:
        self.chunks = chunks
        self.empty = empty


def iter_encode(obj: Any, level: int = 0) -> Iterator[str]:
    """Chunks of ``obj`` encoded as :func:`dumps` does, ``obj`` at depth ``level``."""
    if isinstance(obj, Lazy):
        if obj.empty:
            yield "[]"
            return
        pad = "\n" + " " * (INDENT * (level + 1))
        yield "[" + pad
        first = True
        for chunk in obj.chunks(level):
            if not first:
                yield "," + pad
            first = False
            yield chunk
        yield "\n" + " " * (INDENT * level) + "]"
    elif isinstance(obj, dict) and any(isinstance(v, Lazy) for v in obj.values()):
        if not all(isinstance(k, str) for k in obj):
            raise TypeError("keys of a dict with lazy values must be strings")
        pad = "\n" + " " * (INDENT * (level + 1))
        sep = "{" + pad
        for k, v in obj.items():
            yield sep + _STR(k) + ": "
            yield from iter_encode(v, level + 1)
            sep = "," + pad
        yield "\n" + " " * (INDENT * level) + "}"
    else:
        yield encode(obj, level)


def encode(obj: Any, level: int = 0) -> str:
    """``obj`` encoded as :func:`dumps` does, placed at depth ``level``."""
    out: list[str] = []
    _encode(obj, level, out)
    return "".join(out)


def dumps(obj: Any) -> str:
    """Exactly ``json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False)``."""
    return "".join(iter_encode(obj))


def _encode(o: Any, level: int, out: list[str]) -> None:
    if isinstance(o, str):
        out.append(_STR(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, (list, tuple)):
        if not o:
            out.append("[]")
            return
        pad = "\n" + " " * (INDENT * (level + 1))
        out.append("[" + pad)
        for i, v in enumerate(o):
            if i:
                out.append("," + pad)
            _encode(v, level + 1, out)
        out.append("\n" + " " * (INDENT * level) + "]")
    elif isinstance(o, dict) and all(isinstance(k, str) for k in o):
        if not o:
            out.append("{}")
            return
        pad = "\n" + " " * (INDENT * (level + 1))
        sep = "{" + pad
        for k, v in o.items():
            out.append(sep + _STR(k) + ": ")
            _encode(v, level + 1, out)
            sep = "," + pad
        out.append("\n" + " " * (INDENT * level) + "}")
    else:
        out.append(_std(o, level))


def column(values: Sequence[Any] | np.ndarray, level: int) -> list[str]:
    """Each value encoded at depth ``level`` (a column of records).

    Float arrays are encoded through their distinct bit patterns (so 0.0 and
    -0.0 stay apart); NaN raises as in the standard library (see
    :func:`nullable_floats` for ``null``).  Other sequences are encoded value by
    value (strings through the C string encoder).
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        arr = np.ascontiguousarray(values, dtype=np.float64)
        codes, uniques = pd.factorize(arr.view(np.int64))
        texts = [_float(x) for x in uniques.view(np.float64).tolist()]
        out: list[str] = np.array(texts, dtype=object)[codes].tolist()
        return out
    if isinstance(values, np.ndarray) and values.dtype.kind == "b":
        return np.where(values, "true", "false").astype(object).tolist()  # type: ignore[no-any-return]
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return [int.__repr__(x) for x in values.tolist()]
    seq = values.tolist() if isinstance(values, np.ndarray) else list(values)
    try:
        return list(map(_STR, seq))
    except TypeError:
        return [encode(v, level) for v in seq]


def nullable_floats(values: np.ndarray, level: int) -> list[str]:
    """Floats where NaN is ``null`` (a score that does not exist)."""
    arr = np.asarray(values, dtype=np.float64)
    nan = np.isnan(arr)
    out = column(np.where(nan, 0.0, arr), level)
    if nan.any():
        for i in np.flatnonzero(nan).tolist():
            out[i] = "null"
    return out


def record_parts(keys: Sequence[str], level: int) -> list[str]:
    """The constant text around the values of a dict with ``keys`` (in order) at ``level``:
    ``len(keys) + 1`` parts, values go between them (see :func:`fill`)."""
    if not keys:
        return ["{}"]
    pad = "\n" + " " * (INDENT * (level + 1))
    parts = ["{" + pad + _STR(keys[0]) + ": "]
    parts += ["," + pad + _STR(k) + ": " for k in keys[1:]]
    return [*parts, "\n" + " " * (INDENT * level) + "}"]


def splice(parts: list[str], slot: int, inner: list[str]) -> list[str]:
    """``parts`` with value ``slot`` replaced by the parts of a nested template."""
    if len(inner) == 1:  # no values inside: one constant
        return [*parts[:slot], parts[slot] + inner[0] + parts[slot + 1], *parts[slot + 2 :]]
    head = parts[slot] + inner[0]
    tail = inner[-1] + parts[slot + 1]
    return [*parts[:slot], head, *inner[1:-1], tail, *parts[slot + 2 :]]


def fill(parts: Sequence[str], columns: Sequence[Sequence[str]], n: int) -> list[str]:
    """``n`` strings: the encoded ``columns`` (one per slot) placed between ``parts``."""
    if len(parts) == 1:
        return [parts[0]] * n
    template = "%s".join(p.replace("%", "%%") for p in parts)
    return [template % row for row in zip(*columns, strict=True)]


def joined(
    parts: Sequence[str], columns: Sequence[Sequence[str]], lo: int, hi: int, sep: str
) -> str:
    """Rows ``lo:hi`` of :func:`fill`, joined with ``sep``, built in one ``str.join``."""
    n = hi - lo
    if n <= 0:
        return ""
    if len(parts) == 1:
        return sep.join([parts[0]] * n)
    first = [parts[-1] + sep + parts[0]] * n
    first[0] = parts[0]
    streams: list[Iterable[str]] = [first, columns[0][lo:hi]]
    for p, c in zip(parts[1:-1], columns[1:], strict=True):
        streams += [itertools.repeat(p, n), c[lo:hi]]
    return "".join(itertools.chain.from_iterable(zip(*streams, strict=True))) + parts[-1]


def separator(level: int) -> str:
    """What separates the items of a list at ``level``."""
    return ",\n" + " " * (INDENT * (level + 1))


def join_items(items: Sequence[str], level: int) -> str:
    """Items already placed at depth ``level + 1``, joined as one chunk of a list at ``level``."""
    return separator(level).join(items)


def list_around(body: str, level: int) -> str:
    """A non-empty list at ``level`` around its items already joined (see :func:`joined`)."""
    pad = "\n" + " " * (INDENT * (level + 1))
    return "[" + pad + body + "\n" + " " * (INDENT * level) + "]"
