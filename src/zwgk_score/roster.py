"""Unit roster (单位名单): which units are assessed and in which group."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zwgk_score.errors import DataError
from zwgk_score.rubric.model import Rubric


def read_table(
    path: str | Path, *, error: type[DataError] = DataError, sheet: str | int | None = None
) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, or GBK/GB18030) or XLSX file as text cells.

    The same reader as every collector's export (:func:`zwgk_score.collect.tables.read_export`):
    the same encodings, the same refusal of control characters and over-long
    cells, and text cells stripped of surrounding whitespace.  A ``value``
    column (long data table) must hold finite numbers.
    """
    from zwgk_score.collect.tables import MAX_VALUE, normalise_text, read_export, to_numbers

    p = Path(path)
    raw = read_export(p, sheet=sheet, error=error)
    raw.columns = [str(c).strip() for c in raw.columns]
    out = raw.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            text = out[col].map(lambda v: isinstance(v, str))
            out[col] = out[col].where(~text, normalise_text(out[col].where(text, "")))
    # blank lines and rows of empty cells (the earlier reader skipped blank lines too)
    blank = out.apply(lambda c: c.isna() | (c.astype(str) == "")).all(axis=1)
    out = out.loc[~blank] if blank.any() else out
    if "value" in out.columns:
        cells = out["value"].astype("string").fillna("")
        number = to_numbers(cells.where(cells != ""))
        bad = np.isinf(number.to_numpy(dtype="float64", na_value=np.nan)) | (
            np.abs(number.fillna(0).to_numpy(dtype="float64")) > MAX_VALUE
        )
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise error(
                f"数值「{cells.iat[i]}」不是有限的合理数值（绝对值应不超过 {MAX_VALUE:.0e}）",
                file=p,
                path=f"第 {int(out.index[i]) + 2} 行，列 value",
                hint="核对该单元格：多为录入错误或公式结果溢出",
            )
    table: pd.DataFrame = out.reset_index(drop=True)
    return table


def load_roster(path: str | Path, rubric: Rubric) -> pd.DataFrame:
    """Read a roster CSV/XLSX with columns ``unit,group`` (extra columns kept)."""
    return validate_roster(read_table(path), rubric, file=path)


def validate_roster(
    df: pd.DataFrame, rubric: Rubric, *, file: str | Path | None = None
) -> pd.DataFrame:
    """Check a roster: columns ``unit`` and ``group``, unique non-empty units, known groups."""
    for col in ("unit", "group"):
        if col not in df.columns:
            raise DataError(
                f"单位名单缺少列「{col}」",
                file=file,
                path="表头",
                hint="名单须有 unit（单位）和 group（类别 id）两列",
            )
    out = df.copy()
    out["unit"] = out["unit"].fillna("").astype(str).str.strip()
    out["group"] = out["group"].fillna("").astype(str).str.strip()
    known = {g.id for g in rubric.groups}
    # the first row with an empty unit or an unknown group (checked whole columns at once)
    bad = (out["unit"] == "").to_numpy(dtype=bool) | ~out["group"].isin(known).to_numpy(dtype=bool)
    for i in bad.nonzero()[0][:1].tolist():
        unit, group = out["unit"].iloc[i], out["group"].iloc[i]
        row = f"第 {i + 2} 行"
        if not unit:
            raise DataError("单位名称为空", file=file, path=f"{row}，列 unit")
        if group not in known:
            raise DataError(
                f"单位「{unit}」的类别「{group}」不在考核细则中",
                file=file,
                path=f"{row}，列 group",
                hint=f"可选类别：{'、'.join(sorted(known))}",
            )
    dup = out["unit"].duplicated()
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(
            f"单位「{out['unit'].iloc[i]}」重复",
            file=file,
            path=f"第 {i + 2} 行，列 unit",
            hint="每个单位只能出现一次",
        )
    if out.empty:
        raise DataError("单位名单为空", file=file, hint="至少列出一个被考核单位")
    roster: pd.DataFrame = out.reset_index(drop=True)
    return roster
