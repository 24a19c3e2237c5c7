"""Validate the evidence table and aggregate it per (unit, indicator).

The long table (see :mod:`zwgk_score.collect.base`) is mapped onto the
rubric's leaves through their data keys; each leaf's rows are checked by its
method and summed with ``np.bincount`` over units (no per-unit loop).
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import (
    SELF_SUFFIX,
    STATUS_MISSING,
    STATUS_NA,
    STATUS_OK,
    TEXT_COLUMNS,
    evidence_frame,
    text_column,
)
from zwgk_score.errors import DataError
from zwgk_score.methods.base import Array, Role
from zwgk_score.rubric.model import Node


@attrs.frozen(eq=False)
class SourceTable:
    """The evidence table as given, made standard (:func:`evidence_frame`) only where read.

    Collectors' strings rarely need converting, but finding that out means a pass over
    every column; scoring reads only a few columns, so :attr:`frame` converts the whole
    table on first use and :meth:`at` just the rows asked for.

    Attributes:
        raw: the input table (a shallow copy: pandas copies on write), input order.
    """

    raw: pd.DataFrame
    _cache: dict[str, pd.DataFrame] = attrs.field(factory=dict, repr=False)

    @property
    def frame(self) -> pd.DataFrame:
        """The checked table (standard columns, dtypes and ``row_id``), input order; built once."""
        if "frame" not in self._cache:
            df = evidence_frame(self.raw)
            df["row_id"] = np.arange(len(df))
            self._cache["frame"] = df
        return self._cache["frame"]

    def at(self, name: str, positions: np.ndarray | None = None) -> np.ndarray:
        """Column ``name`` of :attr:`frame` at the given positions (all rows when None);
        strings as objects."""
        if name == "row_id" and "frame" not in self._cache:  # the checked table's row numbers
            return np.arange(len(self.raw)) if positions is None else np.asarray(positions)
        if "frame" in self._cache or name not in (*TEXT_COLUMNS, "value"):
            col = self.frame[name]
            if positions is not None:
                col = col.iloc[positions]
        else:
            col = column_at(self.raw, name, positions)
        arr: np.ndarray = col.to_numpy(dtype=object) if col.dtype != np.float64 else col.to_numpy()
        return arr


@attrs.frozen(eq=False)
class EvidenceRows:
    """The evidence rows in leaf order, kept as the input table and a permutation.

    Reordering ten million rows of strings costs seconds and a second copy of
    the table; the engine only needs a few numeric columns in leaf order, so the
    reordered frame (:attr:`Aggregates.rows`) is built only when asked for, and
    the outputs take the columns they need (:meth:`column`, :meth:`take`).

    Attributes:
        table: the input table, input order (:attr:`source` is its checked form).
        unit: unit of each row, in the order of ``positions`` (see below).
        status: status code of each row (0 ok, 1 na, 2 missing), same order.
        effect: each row's own effect in points (Method.row_effect), same order.
        leaf_sizes: number of rows of each leaf (rubric order).
        positions: for each row in leaf order, its position in ``source``; None when the
            table is in leaf order already.  ``unit``, ``status`` and ``effect`` are then
            in leaf order.
        starts: instead of ``positions``, when each leaf's rows are one run of the table:
            the first row of each leaf's run.  ``unit``, ``status`` and ``effect`` are then
            in the table's order, and the leaf-order views (:attr:`unit_idx` …) and
            :attr:`order` are built only if asked for.
        codes: instead of ``positions``, when each leaf has its own key but the rows are in
            any order: the leaf of each row (the table's rows less those in ``kept``'s gaps).
            ``unit``, ``status`` and ``effect`` are then in that order, and :attr:`order`
            (one stable sort of ``codes``) and the leaf-order views are built only if asked for.
        kept: with ``codes``, the table position of each row (None: every row of the table).
        effect_parts: instead of ``effect`` (None), the rows that have one and their effects,
            as (rows, effects) pairs; the whole array is built only if asked for.
    """

    table: SourceTable
    _unit: np.ndarray
    _status: np.ndarray
    _effect: np.ndarray | None
    leaf_sizes: np.ndarray
    positions: np.ndarray | None = None
    starts: np.ndarray | None = None
    codes: np.ndarray | None = None
    kept: np.ndarray | None = None
    effect_parts: list[tuple[np.ndarray, np.ndarray]] | None = None
    _cache: dict[str, Any] = attrs.field(factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self._unit)

    def _cached(self, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = make()
        out: np.ndarray = self._cache[name]
        return out

    def _by_leaf(self) -> np.ndarray:
        """With :attr:`codes`: each row in leaf order, as its place among the rows."""
        assert self.codes is not None
        codes = self.codes
        return self._cached("by_leaf", lambda: np.argsort(codes, kind="stable"))

    def _in_table_order(self) -> bool:
        """Whether leaf order is the table's order (positions are 0, 1, 2 …)."""
        if self.codes is not None:
            return False
        if self.starts is None:
            return self.positions is None
        if "in_order" not in self._cache:
            sizes = self.leaf_sizes
            firsts = np.cumsum(sizes) - sizes
            self._cache["in_order"] = bool((self.starts[sizes > 0] == firsts[sizes > 0]).all())
        return bool(self._cache["in_order"])

    @property
    def order(self) -> np.ndarray:
        """For each row in leaf order, its position in ``source``."""
        if self.positions is not None:
            return self.positions
        if self.codes is not None:
            kept = self.kept
            return self._cached(
                "order", lambda: self._by_leaf() if kept is None else kept[self._by_leaf()]
            )
        if self.starts is None or self._in_table_order():
            return self._cached("order", lambda: np.arange(len(self)))
        starts, sizes = self.starts, self.leaf_sizes
        return self._cached(
            "order",
            lambda: np.concatenate(
                [np.arange(a, a + n) for a, n in zip(starts.tolist(), sizes.tolist(), strict=True)]
                or [np.zeros(0, dtype=np.int64)]
            ),
        )

    def _leaf_order(self, arr: np.ndarray, name: str) -> np.ndarray:
        if self.codes is not None:
            return self._cached(name, lambda: arr[self._by_leaf()])
        if self.starts is None or self._in_table_order():
            return arr
        return self._cached(name, lambda: arr[self.order])

    @property
    def unit_idx(self) -> np.ndarray:
        """Unit of each row in leaf order (64-bit; the engine keeps narrower codes)."""
        arr = self._leaf_order(self._unit, "unit_order")
        return (
            arr if arr.dtype == np.int64 else self._cached("unit_idx", lambda: arr.astype(np.int64))
        )

    @property
    def status(self) -> np.ndarray:
        """Status code of each row in leaf order (0 ok, 1 na, 2 missing)."""
        return self._leaf_order(self._status, "status")

    @property
    def effect(self) -> np.ndarray:
        """Each row's own effect in points (Method.row_effect), leaf order."""
        return self._leaf_order(self._row_effect(), "effect")

    def _row_effect(self) -> np.ndarray:
        """Each row's own effect, in the order of ``unit`` and ``status``."""
        if self._effect is not None:
            return self._effect

        def build() -> np.ndarray:
            out = np.zeros(len(self))
            for rows, effects in self.effect_parts or ():
                out[rows] = effects
            return out

        return self._cached("row_effect", build)

    @property
    def leaf_idx(self) -> np.ndarray:
        """Leaf of each row in leaf order."""
        leaves = np.arange(len(self.leaf_sizes), dtype=np.int64)
        return self._cached("leaf_idx", lambda: np.repeat(leaves, self.leaf_sizes))

    def _source_at(self, positions: np.ndarray | None) -> np.ndarray | None:
        """Source positions of the given leaf-order positions (None: all, in leaf order)."""
        if self.positions is not None:
            return self.positions if positions is None else self.positions[positions]
        if (self.starts is None and self.codes is None) or self._in_table_order():
            return positions
        return self.order if positions is None else self.order[positions]

    @property
    def source(self) -> pd.DataFrame:
        """The checked table (standard columns and ``row_id``), input order."""
        return self.table.frame

    def take(self, name: str, positions: np.ndarray) -> np.ndarray:
        """Column ``name`` of ``source`` at the given leaf-order positions (strings as objects)."""
        return self.table.at(name, self._source_at(positions))

    def column(self, name: str) -> np.ndarray:
        """Column ``name`` of ``source`` in leaf order."""
        return self.table.at(name, self._source_at(None))

    def frame(self) -> pd.DataFrame:
        """The rows in leaf order with ``unit_idx``, ``effect`` and ``leaf_idx`` (built once)."""
        if "frame" not in self._cache:
            rows = self.source.take(self.order).reset_index(drop=True)
            rows["unit_idx"] = self.unit_idx
            rows["effect"] = self.effect
            rows["leaf_idx"] = self.leaf_idx
            self._cache["frame"] = rows
        out: pd.DataFrame = self._cache["frame"]
        return out

    @classmethod
    def of_frame(cls, rows: pd.DataFrame) -> EvidenceRows:
        """Rows already in leaf order (with ``unit_idx``, ``leaf_idx``, ``effect``)."""
        status = pd.Index([STATUS_OK, STATUS_NA, STATUS_MISSING]).get_indexer(rows["status"])
        leaf_idx = rows["leaf_idx"].to_numpy(dtype=np.int64)
        out = cls(
            SourceTable(rows, {"frame": rows}),
            rows["unit_idx"].to_numpy(dtype=np.int64),
            status.astype(np.int8),
            rows["effect"].to_numpy(dtype=float),
            np.bincount(leaf_idx) if len(leaf_idx) else np.zeros(0, dtype=np.int64),
        )
        out._cache.update(frame=rows, leaf_idx=leaf_idx)
        return out


def column_at(raw: pd.DataFrame, name: str, positions: np.ndarray | None = None) -> pd.Series:
    """Column ``name`` of :func:`evidence_frame` (``raw``) at ``positions`` (all rows when None),
    converting only those rows; a missing column gives its default."""
    n = len(raw) if positions is None else len(positions)
    if name not in raw.columns:
        default: Any = float("nan") if name == "value" else (STATUS_OK if name == "status" else "")
        filled: pd.Series = pd.Series([default] * n, dtype="float64" if name == "value" else object)
        return filled
    col = raw[name]
    if positions is not None:
        col = col.iloc[positions]
    if name == "value":
        numbers: pd.Series = (
            col if col.dtype == np.float64 else pd.to_numeric(col).astype("float64")
        )
        return numbers
    if name != "status" and _plain_strings(col):
        return col  # (what text_column keeps as it is, found in one type check per row)
    return text_column(col, status=name == "status")


def _plain_strings(col: pd.Series) -> bool:
    """Whether every element of ``col`` is a string (none missing)."""
    if isinstance(col.dtype, pd.CategoricalDtype) or not (
        col.dtype == object or pd.api.types.is_string_dtype(col.dtype)
    ):
        return False
    # (one type check per element; no copy of an object or Python-string column)
    return bool(pd.api.types.infer_dtype(col.to_numpy(dtype=object), skipna=False) == "string")


def object_addresses(objects: np.ndarray) -> np.ndarray | None:
    """The addresses of the elements of a contiguous object array, as integers (a view: the
    array must be kept alive while they are read); None for another array."""
    if objects.dtype != object or not objects.flags.c_contiguous or not len(objects):
        return None
    out: np.ndarray = np.ctypeslib.as_array(
        ctypes.cast(objects.ctypes.data, ctypes.POINTER(ctypes.c_ssize_t)), objects.shape
    )
    return out


def _same_objects(objects: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The elements of an object array grouped by identity: (group of each element, one
    position of each group), or None when most elements are distinct objects.

    Collectors repeat a handful of string objects (a unit's name, a data key, a status)
    over millions of rows; grouping their addresses is an integer hash, several times
    cheaper than hashing and comparing the strings, and the same object always gives
    the same answer, so each group's string is looked up once.
    """
    n = len(objects)
    addresses = object_addresses(objects) if n >= 2 else None
    if addresses is None:
        return None
    of_row, distinct = pd.factorize(addresses)
    if len(distinct) > n // 2:
        return None
    first = np.empty(len(distinct), dtype=np.intp)
    first[of_row] = np.arange(n)  # (any row of each group will do)
    return of_row, first


#: rows looked up at a time: the lookup's 64-bit positions for a chunk stay small enough
#: to be recycled, and only the narrow codes of the whole table are kept
LOOKUP_CHUNK = 1 << 20


def codes_of(
    raw: pd.DataFrame,
    name: str,
    index: pd.Index,
    dtype: type[np.signedinteger[Any]] = np.int64,
    via: np.ndarray | None = None,
) -> np.ndarray:
    """Position in ``index`` of each row's ``name`` as :func:`evidence_frame` makes it (-1: none),
    as ``dtype``; with ``via``, ``via[position]`` instead (``via[-1]`` for none).

    One hash lookup of the values as given; only rows not found (a missing value, a
    number where a string belongs, a blank status) are converted and looked up again.
    A categorical column is looked up through its categories.
    """
    get = cast(Any, index).get_indexer  # takes any array-like (pandas' string hashing)

    def lookup(values: Any) -> np.ndarray:
        found: np.ndarray = get(values)
        return found if via is None else via[found]

    n = len(raw)
    if name not in raw.columns:
        return np.full(n, lookup(column_at(raw, name, np.arange(1)))[0], dtype=dtype)
    col = raw[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        found = lookup(text_column(pd.Series(col.cat.categories)))
        cat = col.cat.codes.to_numpy()
        codes = np.where(cat >= 0, found[cat], -1).astype(dtype)
    elif col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
        codes = np.empty(n, dtype=dtype)
        for lo in range(0, n, LOOKUP_CHUNK):
            part = col.iloc[lo : lo + LOOKUP_CHUNK]
            objects = part.to_numpy(dtype=object)
            same = _same_objects(objects)
            if same is None:  # (mostly distinct objects) every string hashed
                codes[lo : lo + LOOKUP_CHUNK] = lookup(part)
            else:  # each distinct object looked up once
                of_row, first = same
                codes[lo : lo + LOOKUP_CHUNK] = lookup(objects[first])[of_row]
    else:  # numbers, dates …: converted as a whole
        codes = lookup(column_at(raw, name)).astype(dtype)
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        codes[bad] = lookup(column_at(raw, name, bad))
    return codes


def _copy_on_write() -> bool:
    """Whether pandas copies shared data on write (always from pandas 3; an option in 2.x)."""
    return int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True


def _evidence_rows(rows: pd.DataFrame | EvidenceRows) -> EvidenceRows:
    return rows if isinstance(rows, EvidenceRows) else EvidenceRows.of_frame(rows)


@attrs.frozen
class Aggregates:
    """Per (unit, leaf) aggregates: arrays of shape (units, leaves).

    ``rows`` (the evidence rows in leaf order with unit_idx, leaf_idx, row_id,
    effect) is built on first use from :attr:`evidence_rows`.
    """

    n: Array
    total: Array
    value: Array
    text: Array
    over: Array
    na: Array
    missing: Array
    evidence_rows: EvidenceRows = attrs.field(converter=_evidence_rows)
    self_score: Array  # 自评分 per (unit, leaf); NaN where the unit gave none
    effect: Array  # Σ of the rows' own effects (Method.row_effect) per (unit, leaf)
    distinct: Array  # distinct row keys (Method.row_key ≥ 0) per (unit, leaf); 0 without keys

    @property
    def rows(self) -> pd.DataFrame:
        """Evidence rows in leaf order with unit_idx, leaf_idx, row_id, effect."""
        return self.evidence_rows.frame()


_SOURCE = re.compile(
    r"^(?P<file>[^:：]+?\.(?:csv|xlsx|xlsm|txt)):(?P<row>\d+)(?:，列 (?P<col>.+))?$", re.IGNORECASE
)


def _locate(
    df: pd.DataFrame, i: int, col: str, file: str | Path | None
) -> tuple[str | Path | None, str]:
    """Where row ``i`` is, as the user knows it: (file, location).

    A row collected from an export carries ``source`` = ``file:row`` (and the
    column it came from): the error then names that file and row.  Other
    sources (a URL, a collector) are quoted; a plain table gives its row number
    (header = row 1) and the column.
    """
    src = str(df["source"].iat[i]) if "source" in df.columns else ""
    m = _SOURCE.match(src) if src else None
    if m:
        return m.group("file"), f"第 {m.group('row')} 行，列 {m.group('col') or col}"
    if src:
        return file, f"来源 {src}"
    row = int(df["row_id"].to_numpy()[i])
    return file, f"第 {row + 2} 行，列 {col}"


def _key_codes(keys: Sequence[str]) -> tuple[pd.Index, np.ndarray]:
    """What each data key of a row means: the position of a rubric key (``0 … K-1``), or
    ``K + position`` for its 自评分 key ``<key>.self`` (which wins should the rubric also
    use that name as a key of its own)."""
    code_of = {k: c for c, k in enumerate(keys)}
    code_of.update({k + SELF_SUFFIX: len(keys) + c for c, k in enumerate(keys)})
    return pd.Index(list(code_of)), np.array(list(code_of.values()), dtype=np.int64)


def _key_runs(codes: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(first row, number of rows) of each key when each key's rows are one run of ``codes``
    (one pass, no sort), else None."""
    starts = np.zeros(n_keys, dtype=np.int64)
    sizes = np.zeros(n_keys, dtype=np.int64)
    if not len(codes):
        return starts, sizes
    change = codes[1:] != codes[:-1]
    if np.count_nonzero(change) >= n_keys:  # more runs than keys (rows interleaved): give up
        return None
    first = np.concatenate([[0], np.flatnonzero(change) + 1])
    run_key = codes[first].astype(np.int64)
    if len(np.unique(run_key)) != len(run_key):
        return None
    starts[run_key] = first
    sizes[run_key] = np.diff(np.append(first, len(codes)))
    return starts, sizes


@attrs.frozen(eq=False)
class _Grouped:
    """Rows in any order, grouped by leaf with one stable sort (no reordered copy of them).

    Attributes:
        codes: the leaf of each row.
        perm: the rows by (leaf, status, place): each leaf's ok rows in the table's
            order, then its na rows, then its missing rows.
        bounds: ``perm[bounds[3j]:bounds[3j+1]]`` are leaf ``j``'s ok rows,
            ``perm[bounds[3j+1]:bounds[3j+2]]`` its na rows, ``perm[bounds[3j+2]:bounds[3j+3]]``
            its missing rows.
    """

    codes: np.ndarray
    perm: np.ndarray
    bounds: np.ndarray

    @classmethod
    def of(
        cls,
        codes: np.ndarray,
        status: np.ndarray,
        n_leaves: int,
        kept: np.ndarray | None,
        columns: Sequence[tuple[np.ndarray, bool]] = (),
    ) -> tuple[_Grouped, list[np.ndarray]]:
        """The grouping, and ``columns`` (row space; ``True``: table positions, read through
        ``kept``) in ``perm``'s order.

        A counting sort, block by block: each block of rows is sorted on its own (it fits
        in the cache) and its rows are written to each group's next free places, so the
        columns are read in order and written in ``3 × leaves`` sequential streams, never
        gathered from random places of the whole table (rows interleaved unit by unit put
        one leaf's rows hundreds of rows apart).  Same order as one stable sort.
        """
        # (16-bit sort keys when they fit: NumPy's stable sort is then a radix sort)
        dtype = np.int16 if 3 * n_leaves < 2**15 else np.int64
        sort_key = codes.astype(dtype) * 3
        sort_key += status
        n, k2 = len(sort_key), 3 * n_leaves
        counts = np.zeros(k2, dtype=np.int64)
        for lo in range(0, n, LOOKUP_CHUNK):  # (bincount makes 64-bit copies)
            counts += np.bincount(sort_key[lo : lo + LOOKUP_CHUNK], minlength=k2)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        perm = np.empty(n, dtype=np.int32 if n < 2**31 else np.int64)
        out = [np.empty(n, dtype=col.dtype) for col, _ in columns]
        free = bounds[:-1].copy()  # each group's next free place
        for lo in range(0, n, SORT_BLOCK):
            key = sort_key[lo : lo + SORT_BLOCK]
            p = np.argsort(key, kind="stable")
            c = np.bincount(key, minlength=k2)
            # place of the block's i-th row in sorted order: its group's next free place
            # plus its rank inside the group within the block
            in_order = (free - (np.cumsum(c) - c))[key[p]]
            in_order += np.arange(len(key))
            dest = np.empty(len(key), dtype=np.intp)
            dest[p] = in_order  # the place of each of the block's rows, in the block's order
            hi = lo + len(key)
            perm[dest] = np.arange(lo, hi)
            for (col, through_kept), res in zip(columns, out, strict=True):
                # (one write per row; the block is read in order)
                res[dest] = col[kept[lo:hi]] if through_kept and kept is not None else col[lo:hi]
            free += c
        return cls(codes, perm, bounds), out

    @property
    def sizes(self) -> np.ndarray:
        """Number of rows of each leaf."""
        sizes: np.ndarray = self.bounds[3::3] - self.bounds[:-1:3]
        return sizes

    def span(self, j: int) -> tuple[int, int, int, int]:
        """Places in ``perm`` of leaf ``j``: (first ok row, first na row, first missing row, end)."""
        lo, na, missing, hi = (int(b) for b in self.bounds[3 * j : 3 * j + 4])
        return lo, na, missing, hi


#: rows sorted at a time by :meth:`_Grouped.of` (a block's columns stay in the cache)
SORT_BLOCK = 1 << 15


def _table_positions(rows: np.ndarray, kept: np.ndarray | None) -> np.ndarray:
    """Table positions of the given rows (row space; ``kept``: see :class:`EvidenceRows`)."""
    return rows.copy() if kept is None else kept.take(rows)


def _ok_positions(lo: int, hi: int, ok: np.ndarray | None, order: np.ndarray | None) -> np.ndarray:
    """Table positions of the ok rows among leaf-order rows ``lo … hi`` (``ok``: mask; None: all)."""
    at = np.arange(lo, hi) if ok is None else lo + np.flatnonzero(ok)
    return at if order is None else order[at]


def _self_scores(
    values: np.ndarray,
    unit_idx: np.ndarray,
    leaves: Sequence[Node],
    n_units: int,
    codes: np.ndarray,
    keys: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """自评分: rows keyed ``<data key>.self`` as (units x leaves, NaN where none), and the mask of other rows.

    ``codes`` are the rows' key codes (:func:`_key_codes`: ``K + c`` for the self key of
    ``keys[c]``); a "<key>.self" row whose key is not in the rubric has code -1 and is
    left in (an error below).
    """
    K = len(keys)
    is_self = codes >= K
    if not is_self.any():  # (the usual case) a read-only view: no (units × leaves) array
        return np.broadcast_to(np.nan, (n_units, len(leaves))), ~is_self
    out = np.full((n_units, len(leaves)), np.nan)
    sums = pd.DataFrame(
        {
            "u": unit_idx[is_self],
            "base": codes[is_self] - K,
            "v": values[is_self],
        }
    )
    sums = sums.groupby(["base", "u"])["v"].sum()
    code_of = {k: c for c, k in enumerate(keys)}
    for j, leaf in enumerate(leaves):
        c = code_of[leaf.key]
        if c in sums.index.levels[0]:
            part = sums.loc[c]
            out[part.index.to_numpy(dtype=np.int64), j] = part.to_numpy()
    return out, ~is_self


def prepare(
    data: pd.DataFrame,
    units: Sequence[str],
    leaves: Sequence[Node],
    *,
    file: str | Path | None,
) -> Aggregates:
    """Validate ``data`` against the roster and leaves and aggregate it.

    Each leaf's rows are checked by what its method reads (:class:`InputKind`):
    non-textual kinds need a numeric ``value``; single-row kinds one row per
    unit; then the method's own ``check_value``.
    """
    missing_cols = [c for c in ("unit", "key") if c not in data.columns]
    if missing_cols:
        raise DataError(
            f"指标数据缺少列「{'、'.join(missing_cols)}」",
            file=file,
            path="表头",
            hint="指标数据须有 unit、key 列，以及 value / text / status / evidence / source 中用到的列",
        )
    # the table as given (pandas copies on write): strings are made standard only where
    # read (EvidenceRows), rows are addressed through positions
    raw = data.copy(deep=not _copy_on_write())
    table = SourceTable(raw)
    try:
        values = column_at(raw, "value").to_numpy()
    except (ValueError, TypeError):
        bad = (
            pd.to_numeric(data["value"], errors="coerce").isna()
            & data["value"].notna()
            & (data["value"].astype(str).str.strip() != "")
        )
        i = int(bad.to_numpy().nonzero()[0][0]) if bad.any() else 0
        raise DataError(
            f"value 列不是数字：「{data['value'].iat[i]}」",
            file=file,
            path=f"第 {i + 2} 行，列 value",
            hint="value 只能填数字；文字请填在 text 列",
        ) from None
    U, L = len(units), len(leaves)

    # positions by hash lookup; -1 marks a value outside the list (an error below)
    unit_idx = codes_of(raw, "unit", pd.Index(list(units)), np.int32 if U < 2**31 else np.int64)
    if (unit_idx < 0).any():
        i = int((unit_idx < 0).nonzero()[0][0])
        f_, where = _locate(table.frame, i, "unit", file)
        raise DataError(
            f"单位「{table.frame['unit'].iat[i]}」不在单位名单中",
            file=f_,
            path=where,
            hint="检查单位名称是否与名单完全一致（含括号、空格）",
        )
    # status codes 0 ok / 1 na / 2 missing, -1 unknown (one hash pass, no per-leaf string compares)
    status_code = codes_of(raw, "status", pd.Index([STATUS_OK, STATUS_NA, STATUS_MISSING]), np.int8)
    if (status_code < 0).any():
        i = int((status_code < 0).nonzero()[0][0])
        f_, where = _locate(table.frame, i, "status", file)
        raise DataError(
            f"未知的状态「{table.frame['status'].iat[i]}」",
            file=f_,
            path=where,
            hint="status 只能是 ok、na（不适用）或 missing（缺失），留空即 ok",
        )
    # 自评分: "<key>.self" rows sit beside the reviewer's score and are never scored
    keys = list(dict.fromkeys(leaf.key for leaf in leaves))  # several leaves may share a key
    # one hash lookup per row against the rubric's keys and their self keys (-1: neither)
    names, meaning = _key_codes(keys)
    # (16-bit codes: a quarter of the memory, and they sort by radix, linear in the rows)
    small = np.int16 if 2 * len(keys) < 2**15 else np.int64
    # (a key not found, position -1, takes the last entry: -1)
    key_rows = codes_of(raw, "key", names, small, via=np.append(meaning, -1).astype(small))
    self_score, keep = _self_scores(values, unit_idx, leaves, U, key_rows, keys)
    kept = None if keep.all() else np.flatnonzero(keep)  # rows left after the 自评分 rows
    if kept is not None:
        unit_idx, status_code, key_rows = unit_idx[kept], status_code[kept], key_rows[kept]
    key_code = key_rows
    del key_rows
    if (key_code < 0).any():
        i = int((key_code < 0).nonzero()[0][0])
        i = i if kept is None else int(kept[i])
        f_, where = _locate(table.frame, i, "key", file)
        raise DataError(
            f"数据键「{table.frame['key'].iat[i]}」不对应考核细则中的任何指标",
            file=f_,
            path=where,
            hint="检查拼写，或在细则中为指标设置 data = 该键",
        )
    texts = table.at("text")
    runs = _key_runs(key_code, len(keys)) if kept is None and len(keys) == L else None
    order: np.ndarray | None = None  # leaf order → table position (None: the same)
    grouped: _Grouped | None = None
    if runs is not None:
        # each leaf its own key, and each key's rows one run of the table (what collectors
        # emit): every leaf reads a slice of the table's own columns, nothing is reordered
        starts, sizes = runs
        u_all, s_all, v_all, t_all = unit_idx, status_code, values, texts
    elif len(keys) == L:
        # each leaf its own key (code j is leaves[j]'s key), rows in any order: a counting
        # sort, block by block, puts each leaf's ok, na and missing rows together and writes
        # the unit, value and text columns in that order once (three columns, not the
        # table); each leaf reads slices of them
        grouped, (u_by, v_by, t_by) = _Grouped.of(
            key_code,
            status_code,
            len(keys),
            kept,
            [(unit_idx, False), (values, True), (texts, True)],
        )
        sizes = grouped.sizes
        starts = np.zeros(L, dtype=np.int64)  # (unused)
        u_all, s_all, v_all, t_all = unit_idx, status_code, v_by, t_by
    else:
        # rows ordered by leaf, then by row number: one stable sort and one take (each
        # leaf gets its key's rows, so a key shared by two leaves feeds both)
        by_key = np.argsort(key_code, kind="stable")
        key_bounds = np.searchsorted(key_code[by_key], np.arange(len(keys) + 1))
        code_of = {k: c for c, k in enumerate(keys)}
        spans = [(key_bounds[code_of[lf.key]], key_bounds[code_of[lf.key] + 1]) for lf in leaves]
        order = np.concatenate([by_key[lo:hi] for lo, hi in spans] or [by_key[:0]])
        sizes = np.array([hi - lo for lo, hi in spans], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        u_all, s_all = unit_idx[order], status_code[order]
        if kept is not None:  # positions into the whole table (no filtered copy of it)
            order = kept[order]
        v_all, t_all = values[order], texts[order]
        del by_key
    # free the copies before the (units × leaves) arrays are allocated
    del unit_idx, status_code, key_code, texts, values

    # filled one leaf at a time: (leaves × units) in memory, handed on as (units × leaves) views
    n = np.zeros((L, U), dtype=np.int64)
    total = np.zeros((L, U))
    value = np.empty((L, U))  # (NaN filled a row at a time, while the row is being written)
    text = np.full((L, U), "", dtype=object)
    over = np.zeros((L, U))
    na = np.zeros((L, U), dtype=bool)
    missing = np.zeros((L, U), dtype=bool)
    # (rows in any order: the rows with an effect are kept per leaf, the array is built if asked)
    effect = np.zeros(len(u_all) if grouped is None else 0)
    effect_parts: list[tuple[np.ndarray, np.ndarray]] = []
    effect_sum = np.zeros((L, U))
    distinct = np.zeros((L, U))

    ok_rows: Callable[[], np.ndarray]  # table positions of a leaf's ok rows (messages, evidence)
    for j, leaf in enumerate(leaves):
        value[j] = np.nan
        if grouped is not None:
            # the leaf's ok rows (table order), then its na / missing rows: slices of the
            # columns put in that order once
            lo, mid, at_missing, hi = grouped.span(j)
            if lo == hi:
                continue
            pos_ok = grouped.perm[lo:mid]  # (row space)
            uo, vo, to = u_by[lo:mid], v_by[lo:mid], t_by[lo:mid]
            u_na, u_missing = u_by[mid:at_missing], u_by[at_missing:hi]
            ok_rows = functools.partial(_table_positions, pos_ok, kept)
        else:
            lo, hi = int(starts[j]), int(starts[j] + sizes[j])
            if lo == hi:
                continue
            u, v, t, s = u_all[lo:hi], v_all[lo:hi], t_all[lo:hi], s_all[lo:hi]
            ok: np.ndarray | None = None
            if s.any():
                ok = s == 0
                uo, vo, to = u[ok], v[ok], t[ok]
                u_na, u_missing = u[s == 1], u[s == 2]
            else:  # (all rows ok) the slices themselves
                uo, vo, to = u, v, t
                u_na = u_missing = u[:0]
            ok_rows = functools.partial(_ok_positions, lo, hi, ok, order)

        na[j] = np.bincount(u_na, minlength=U) > 0
        missing[j] = np.bincount(u_missing, minlength=U) > 0
        method = leaf.rule
        kind = method.kind

        def fail(
            msg: str,
            k: int,
            col: str,
            hint: str | None = None,
            _rows: Callable[[], np.ndarray] = ok_rows,
            _leaf: Node = leaf,
        ) -> DataError:
            f_, where = _locate(table.frame, int(_rows()[k]), col, file)
            return DataError(
                f"指标「{_leaf.name}」（{_leaf.id}）：{msg}",
                file=f_,
                path=where,
                hint=hint or f"按「{_leaf.method}」方法的要求填写该数据（见 docs/rubric.md）",
            )

        if not kind.textual:
            nan = np.isnan(vo)
            if nan.any():
                raise fail(
                    "value 为空或不是数字",
                    int(nan.nonzero()[0][0]),
                    "value",
                    "填写数值；确属不适用的，把 status 填为 na",
                )
        msg = method.check_value(leaf.params, leaf.points, vo, to)
        if msg is not None:
            k = 0
            for k in range(len(vo)):
                if (
                    method.check_value(leaf.params, leaf.points, vo[k : k + 1], to[k : k + 1])
                    is not None
                ):
                    break
            raise fail(msg, k, "text" if kind.textual else "value")
        row_eff = np.asarray(method.row_effect(leaf.params, leaf.points, vo, to), dtype=float)
        if method.role == Role.BONUS:
            # a row that adds points needs its evidence (表彰文件、链接…)
            ev = table.at("evidence", ok_rows())
            no_ev = np.array([not str(e).strip() for e in ev], dtype=bool) & (row_eff > 0)
            if no_ev.any():
                raise fail(
                    "加分须附佐证材料，evidence 为空",
                    int(no_ev.nonzero()[0][0]),
                    "evidence",
                    "在 evidence 列写明表彰文件、链接等佐证",
                )
        counts = np.bincount(uo, minlength=U)
        if kind.single and (counts > 1).any():
            dup_u = int((counts > 1).nonzero()[0][0])
            k = int((uo == dup_u).nonzero()[0][1])
            raise fail(
                f"单位「{units[dup_u]}」有 {counts[dup_u]} 行数据，本方法只接受一行",
                k,
                "unit",
                "删除重复行，或改用事件类方法（如 deduction）",
            )
        n[j] = counts
        total[j] = np.bincount(uo, weights=vo, minlength=U)
        if kind.single:
            value[j, uo] = vo
            text[j, uo] = to
        thr = method.threshold(leaf.params)
        if thr is not None:
            over[j] = np.bincount(uo, weights=(vo > thr).astype(float), minlength=U)
        if row_eff.any() or np.signbit(row_eff).any():  # most rules' rows have none
            if grouped is not None:
                effect_parts.append((pos_ok.copy(), row_eff))
            elif ok is None:
                effect[lo:hi] = row_eff
            else:
                effect[lo:hi][ok] = row_eff
            effect_sum[j] = np.bincount(uo, weights=row_eff, minlength=U)
        row_keys = method.row_key(leaf.params, vo, to)
        if row_keys is not None:
            counted = np.asarray(row_keys) >= 0
            pairs = np.unique(np.stack([uo[counted], np.asarray(row_keys)[counted]]), axis=1)
            distinct[j] = np.bincount(pairs[0].astype(np.int64), minlength=U)

    rows = EvidenceRows(
        table,
        u_all,
        s_all,
        effect if grouped is None else None,
        sizes,
        order,
        starts if runs is not None else None,
        grouped.codes if grouped is not None else None,
        kept if grouped is not None else None,
        effect_parts if grouped is not None else None,
    )
    return Aggregates(
        n.T,
        total.T,
        value.T,
        text.T,
        over.T,
        na.T,
        missing.T,
        rows,
        self_score,
        effect_sum.T,
        distinct.T,
    )
