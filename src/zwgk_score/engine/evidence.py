"""Validate the evidence table and aggregate it per (unit, indicator).

The long table (see :mod:`zwgk_score.collect.base`) is mapped onto the
rubric's leaves through their data keys; each leaf's rows are checked by its
method and summed with ``np.bincount`` over units (no per-unit loop).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    evidence_frame,
)
from zwgk_score.errors import DataError
from zwgk_score.methods.base import Array, Role
from zwgk_score.rubric.model import Node


@attrs.frozen(eq=False)
class EvidenceRows:
    """The evidence rows in leaf order, kept as the checked table and a permutation.

    Reordering ten million rows of strings costs seconds and a second copy of
    the table; the engine only needs a few numeric columns in leaf order, so the
    reordered frame (:attr:`Aggregates.rows`) is built only when asked for, and
    the outputs take the columns they need (:meth:`column`, :meth:`take`).

    Attributes:
        source: the checked table (standard columns and ``row_id``), input order.
        order: for each row in leaf order, its position in ``source``.
        unit_idx, leaf_idx: unit and leaf of each row in leaf order.
        status: status code of each row in leaf order (0 ok, 1 na, 2 missing).
        effect: each row's own effect in points (Method.row_effect), leaf order.
    """

    source: pd.DataFrame
    order: np.ndarray
    unit_idx: np.ndarray
    leaf_idx: np.ndarray
    status: np.ndarray
    effect: np.ndarray
    _cache: list[pd.DataFrame] = attrs.field(factory=list, repr=False)

    def __len__(self) -> int:
        return len(self.order)

    def take(self, name: str, positions: np.ndarray) -> np.ndarray:
        """Column ``name`` of ``source`` at the given leaf-order positions (strings as objects)."""
        col = self.source[name]
        arr = col.to_numpy(dtype=object) if col.dtype != np.float64 else col.to_numpy()
        out: np.ndarray = arr[self.order[positions]]
        return out

    def column(self, name: str) -> np.ndarray:
        """Column ``name`` of ``source`` in leaf order."""
        return self.take(name, np.arange(len(self.order)))

    def frame(self) -> pd.DataFrame:
        """The rows in leaf order with ``unit_idx``, ``effect`` and ``leaf_idx`` (built once)."""
        if not self._cache:
            rows = self.source.take(self.order).reset_index(drop=True)
            rows["unit_idx"] = self.unit_idx
            rows["effect"] = self.effect
            rows["leaf_idx"] = self.leaf_idx
            self._cache.append(rows)
        return self._cache[0]

    @classmethod
    def of_frame(cls, rows: pd.DataFrame) -> EvidenceRows:
        """Rows already in leaf order (with ``unit_idx``, ``leaf_idx``, ``effect``)."""
        status = pd.Index([STATUS_OK, STATUS_NA, STATUS_MISSING]).get_indexer(rows["status"])
        out = cls(
            rows,
            np.arange(len(rows)),
            rows["unit_idx"].to_numpy(dtype=np.int64),
            rows["leaf_idx"].to_numpy(dtype=np.int64),
            status.astype(np.int8),
            rows["effect"].to_numpy(dtype=float),
        )
        out._cache.append(rows)
        return out


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


def _self_scores(
    df: pd.DataFrame,
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
    out = np.full((n_units, len(leaves)), np.nan)
    K = len(keys)
    is_self = codes >= K
    if not is_self.any():
        return out, ~is_self
    sums = pd.DataFrame(
        {
            "u": unit_idx[is_self],
            "base": codes[is_self] - K,
            "v": df["value"].to_numpy()[is_self],
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
    try:
        df = evidence_frame(data)
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
    df["row_id"] = np.arange(len(df))
    U, L = len(units), len(leaves)

    # positions by hash lookup; -1 marks a value outside the list (an error below)
    unit_idx = pd.Index(list(units)).get_indexer(df["unit"]).astype(np.int64)
    if (unit_idx < 0).any():
        i = int((unit_idx < 0).nonzero()[0][0])
        f_, where = _locate(df, i, "unit", file)
        raise DataError(
            f"单位「{df['unit'].iat[i]}」不在单位名单中",
            file=f_,
            path=where,
            hint="检查单位名称是否与名单完全一致（含括号、空格）",
        )
    # status codes 0 ok / 1 na / 2 missing, -1 unknown (one hash pass, no per-leaf string compares)
    status_code = pd.Index([STATUS_OK, STATUS_NA, STATUS_MISSING]).get_indexer(df["status"])
    if (status_code < 0).any():
        i = int((status_code < 0).nonzero()[0][0])
        f_, where = _locate(df, i, "status", file)
        raise DataError(
            f"未知的状态「{df['status'].iat[i]}」",
            file=f_,
            path=where,
            hint="status 只能是 ok、na（不适用）或 missing（缺失），留空即 ok",
        )
    # 自评分: "<key>.self" rows sit beside the reviewer's score and are never scored
    keys = list(dict.fromkeys(leaf.key for leaf in leaves))  # several leaves may share a key
    # one hash lookup per row against the rubric's keys and their self keys (-1: neither)
    names, meaning = _key_codes(keys)
    found = cast(Any, names).get_indexer(df["key"])  # a Series: pandas' string hashing
    key_rows = np.where(found >= 0, meaning[found], -1)
    del found
    self_score, keep = _self_scores(df, unit_idx, leaves, U, key_rows, keys)
    source = df  # the checked table, kept whole: rows are addressed through positions
    del df
    kept = None if keep.all() else np.flatnonzero(keep)  # rows left after the 自评分 rows
    if kept is not None:
        unit_idx, status_code, key_rows = unit_idx[kept], status_code[kept], key_rows[kept]
    key_code = key_rows
    del key_rows
    if (key_code < 0).any():
        i = int((key_code < 0).nonzero()[0][0])
        i = i if kept is None else int(kept[i])
        f_, where = _locate(source, i, "key", file)
        raise DataError(
            f"数据键「{source['key'].iat[i]}」不对应考核细则中的任何指标",
            file=f_,
            path=where,
            hint="检查拼写，或在细则中为指标设置 data = 该键",
        )
    # rows ordered by leaf, then by row number: one stable sort and one take (each
    # leaf gets its key's rows, so a key shared by two leaves feeds both)
    # (16-bit codes sort by radix: linear in the rows)
    small = np.int16 if len(keys) < 2**15 else np.int64
    by_key = np.argsort(key_code.astype(small), kind="stable")
    key_bounds = np.searchsorted(key_code[by_key], np.arange(len(keys) + 1))
    code_of = {k: c for c, k in enumerate(keys)}
    spans = [(key_bounds[code_of[leaf.key]], key_bounds[code_of[leaf.key] + 1]) for leaf in leaves]
    order = np.concatenate([by_key[lo:hi] for lo, hi in spans]) if spans else by_key[:0]
    u_all = unit_idx[order]
    s_all = status_code[order].astype(np.int8)
    if kept is not None:  # positions into the whole table (no filtered copy of it)
        order = kept[order]
    v_all = source["value"].to_numpy()[order]
    t_all = source["text"].to_numpy(dtype=object)[order]
    # free the copies before the (units × leaves) arrays are allocated
    del unit_idx, status_code, key_code, by_key

    n = np.zeros((U, L), dtype=np.int64)
    total = np.zeros((U, L))
    value = np.full((U, L), np.nan)
    text = np.full((U, L), "", dtype=object)
    over = np.zeros((U, L))
    na = np.zeros((U, L), dtype=bool)
    missing = np.zeros((U, L), dtype=bool)
    effect = np.zeros(len(order))
    effect_sum = np.zeros((U, L))
    distinct = np.zeros((U, L))

    sizes = np.array([hi - lo for lo, hi in spans], dtype=np.int64)
    leaf_col = np.repeat(np.arange(L, dtype=np.int64), sizes)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    for j, leaf in enumerate(leaves):
        lo, hi = bounds[j], bounds[j + 1]
        if lo == hi:
            continue
        method = leaf.rule
        kind = method.kind
        u, v, t, s = u_all[lo:hi], v_all[lo:hi], t_all[lo:hi], s_all[lo:hi]
        ok = s == 0
        na[:, j] = np.bincount(u[s == 1], minlength=U) > 0
        missing[:, j] = np.bincount(u[s == 2], minlength=U) > 0
        uo, vo, to = u[ok], v[ok], t[ok]

        def fail(
            msg: str,
            k: int,
            col: str,
            hint: str | None = None,
            _lo: int = lo,
            _ok: np.ndarray = ok,
            _leaf: Node = leaf,
        ) -> DataError:
            pos = _lo + int(np.nonzero(_ok)[0][k])
            f_, where = _locate(source, int(order[pos]), col, file)
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
        row_eff = method.row_effect(leaf.params, leaf.points, vo, to)
        if method.role == Role.BONUS:
            # a row that adds points needs its evidence (表彰文件、链接…)
            ev = source["evidence"].to_numpy(dtype=object)[order[lo:hi][ok]]
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
        n[:, j] = counts
        total[:, j] = np.bincount(uo, weights=vo, minlength=U)
        if kind.single:
            value[uo, j] = vo
            text[uo, j] = to
        thr = method.threshold(leaf.params)
        if thr is not None:
            over[:, j] = np.bincount(uo, weights=(vo > thr).astype(float), minlength=U)
        eff = np.zeros(hi - lo)
        eff[ok] = row_eff
        effect[lo:hi] = eff
        effect_sum[:, j] = np.bincount(uo, weights=row_eff, minlength=U)
        row_keys = method.row_key(leaf.params, vo, to)
        if row_keys is not None:
            counted = np.asarray(row_keys) >= 0
            pairs = np.unique(np.stack([uo[counted], np.asarray(row_keys)[counted]]), axis=1)
            distinct[:, j] = np.bincount(pairs[0].astype(np.int64), minlength=U)

    rows = EvidenceRows(source, order, u_all, leaf_col, s_all, effect)
    return Aggregates(
        n, total, value, text, over, na, missing, rows, self_score, effect_sum, distinct
    )
