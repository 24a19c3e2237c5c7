"""Unit roster (单位名单): which units are assessed and in which group."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from zwgk_score.errors import DataError
from zwgk_score.rubric.model import Rubric


def read_table(
    path: str | Path, *, error: type = DataError, sheet: str | int | None = None
) -> pd.DataFrame:
    """Read a CSV (UTF-8, with or without BOM) or XLSX file as strings-preserving DataFrame."""
    p = Path(path)
    if not p.exists():
        raise error("文件不存在", file=p, hint="检查路径是否正确")
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(p, sheet_name=sheet or 0, dtype=object)
        return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise error(
            f"无法读取表格：{exc}", file=p, hint="请使用 UTF-8 编码的 CSV 或 XLSX 文件"
        ) from None


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
    for i, (unit, group) in enumerate(zip(out["unit"], out["group"], strict=True)):
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
    return out.reset_index(drop=True)
