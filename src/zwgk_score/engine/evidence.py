"""Validate the evidence table and aggregate it per (unit, indicator).

The long table (see :mod:`zwgk_score.collect.base`) is mapped onto the
rubric's leaves through their data keys; each leaf's rows are checked by its
method and summed with ``np.bincount`` over units (no per-unit loop).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import STATUS_MISSING, STATUS_NA, STATUS_OK, evidence_frame
from zwgk_score.errors import DataError
from zwgk_score.methods.base import ROLE_BONUS, Method
from zwgk_score.rubric.model import Node


@attrs.frozen
class Aggregates:
    """Per (unit, leaf) aggregates: arrays of shape (units, leaves)."""

    n: np.ndarray
    total: np.ndarray
    value: np.ndarray
    text: np.ndarray
    over: np.ndarray
    na: np.ndarray
    missing: np.ndarray
    rows: pd.DataFrame  # evidence rows with unit_idx, leaf_idx, row_id, effect


def _where(df: pd.DataFrame, i: int) -> str:
    src = df["source"].iat[i] if "source" in df.columns else ""
    return f"第 {int(df['row_id'].iat[i]) + 2} 行" + (f"（来源 {src}）" if src else "")


def prepare(
    data: pd.DataFrame,
    units: Sequence[str],
    leaves: Sequence[Node],
    methods: dict[str, Method],
    *,
    file: str | Path | None,
) -> Aggregates:
    """Validate ``data`` against the roster and leaves and aggregate it."""
    missing_cols = [c for c in ("unit", "key") if c not in data.columns]
    if missing_cols:
        raise DataError(f"指标数据缺少列「{'、'.join(missing_cols)}」", file=file, path="表头",
                        hint="指标数据须有 unit、key 列，以及 value / text / status / evidence / source 中用到的列")  # fmt: skip
    try:
        df = evidence_frame(data)
    except (ValueError, TypeError):
        bad = (
            pd.to_numeric(data["value"], errors="coerce").isna()
            & data["value"].notna()
            & (data["value"].astype(str).str.strip() != "")
        )
        i = int(bad.to_numpy().nonzero()[0][0]) if bad.any() else 0
        raise DataError(f"value 列不是数字：「{data['value'].iat[i]}」", file=file, path=f"第 {i + 2} 行，列 value",
                        hint="value 只能填数字；文字请填在 text 列") from None  # fmt: skip
    df["row_id"] = np.arange(len(df))
    U, L = len(units), len(leaves)

    unit_idx = pd.Categorical(df["unit"], categories=list(units)).codes.astype(np.int64)
    if (unit_idx < 0).any():
        i = int((unit_idx < 0).nonzero()[0][0])
        raise DataError(f"单位「{df['unit'].iat[i]}」不在单位名单中", file=file, path=f"{_where(df, i)}，列 unit",
                        hint="检查单位名称是否与名单完全一致（含括号、空格）")  # fmt: skip
    bad_status = ~df["status"].isin((STATUS_OK, STATUS_NA, STATUS_MISSING))
    if bad_status.any():
        i = int(bad_status.to_numpy().nonzero()[0][0])
        raise DataError(f"未知的状态「{df['status'].iat[i]}」", file=file, path=f"{_where(df, i)}，列 status",
                        hint="status 只能是 ok、na（不适用）或 missing（缺失），留空即 ok")  # fmt: skip
    df["unit_idx"] = unit_idx

    key_map = pd.DataFrame(
        {"key": [leaf.data for leaf in leaves], "leaf_idx": np.arange(L, dtype=np.int64)}
    )
    known = set(key_map["key"])
    unknown = ~df["key"].isin(known)
    if unknown.any():
        i = int(unknown.to_numpy().nonzero()[0][0])
        raise DataError(f"数据键「{df['key'].iat[i]}」不对应考核细则中的任何指标", file=file, path=f"{_where(df, i)}，列 key",
                        hint="检查拼写，或在细则中为指标设置 data = 该键")  # fmt: skip
    rows = df.merge(key_map, on="key", how="inner", sort=False).sort_values(
        ["leaf_idx", "row_id"], kind="stable"
    )
    rows = rows.reset_index(drop=True)

    n = np.zeros((U, L), dtype=np.int64)
    total = np.zeros((U, L))
    value = np.full((U, L), np.nan)
    text = np.full((U, L), "", dtype=object)
    over = np.zeros((U, L))
    na = np.zeros((U, L), dtype=bool)
    missing = np.zeros((U, L), dtype=bool)
    effect = np.zeros(len(rows))

    leaf_col = rows["leaf_idx"].to_numpy()
    bounds = np.searchsorted(leaf_col, np.arange(L + 1))
    v_all = rows["value"].to_numpy()
    t_all = rows["text"].to_numpy(dtype=object)
    u_all = rows["unit_idx"].to_numpy()
    s_all = rows["status"].to_numpy(dtype=object)
    ev_all = rows["evidence"].to_numpy(dtype=object)
    for j, leaf in enumerate(leaves):
        lo, hi = bounds[j], bounds[j + 1]
        if lo == hi:
            continue
        method = methods[leaf.method]  # type: ignore[index]
        u, v, t, s = u_all[lo:hi], v_all[lo:hi], t_all[lo:hi], s_all[lo:hi]
        ok = s == STATUS_OK
        na[:, j] = np.bincount(u[s == STATUS_NA], minlength=U) > 0
        missing[:, j] = np.bincount(u[s == STATUS_MISSING], minlength=U) > 0
        uo, vo, to = u[ok], v[ok], t[ok]

        def fail(
            msg: str, k: int, col: str, hint: str | None = None, _lo: int = lo, _ok: np.ndarray = ok
        ) -> DataError:
            pos = _lo + int(np.nonzero(_ok)[0][k])
            return DataError(f"指标「{leaf.name}」（{leaf.id}）：{msg}", file=file,
                             path=f"{_where(rows, pos)}，列 {col}", hint=hint)  # fmt: skip

        if method.name not in ("checklist", "levels"):
            nan = np.isnan(vo)
            if nan.any():
                raise fail("value 为空或不是数字", int(nan.nonzero()[0][0]), "value",
                           "填写数值；确属不适用的，把 status 填为 na")  # fmt: skip
        msg = method.check_value(leaf.params, leaf.points, vo, to)
        if msg is not None:
            k = 0
            for k in range(len(vo)):
                if (
                    method.check_value(leaf.params, leaf.points, vo[k : k + 1], to[k : k + 1])
                    is not None
                ):
                    break
            raise fail(msg, k, "value" if method.name not in ("checklist", "levels") else "text")
        if method.role == ROLE_BONUS:
            no_ev = np.array([not str(e).strip() for e in ev_all[lo:hi][ok]], dtype=bool) & (vo > 0)
            if no_ev.any():
                raise fail("加分须附佐证材料，evidence 为空", int(no_ev.nonzero()[0][0]), "evidence",
                           "在 evidence 列写明表彰文件、链接等佐证")  # fmt: skip
        counts = np.bincount(uo, minlength=U)
        if method.single and (counts > 1).any():
            dup_u = int((counts > 1).nonzero()[0][0])
            k = int((uo == dup_u).nonzero()[0][1])
            raise fail(f"单位「{units[dup_u]}」有 {counts[dup_u]} 行数据，本方法只接受一行", k, "unit",
                       "删除重复行，或改用事件类方法（如 deduction）")  # fmt: skip
        n[:, j] = counts
        total[:, j] = np.bincount(uo, weights=vo, minlength=U)
        if method.single:
            value[uo, j] = vo
            text[uo, j] = to
        thr = method.threshold(leaf.params)
        if thr is not None:
            over[:, j] = np.bincount(uo, weights=(vo > thr).astype(float), minlength=U)
        eff = np.zeros(hi - lo)
        eff[ok] = method.row_effect(leaf.points, leaf.params, vo, to)
        effect[lo:hi] = eff

    rows["effect"] = effect
    rows = rows.drop(columns=["leaf_idx"]).assign(leaf_idx=leaf_col)
    return Aggregates(n, total, value, text, over, na, missing, rows)
