"""The generic collector ``table`` (通用表格): evidence rows typed in by people.

For anything without a dedicated collector: reviewer scores (评审打分,
``manual``), checklist parts, levels, counts, bonus claims with their
evidence, and the units' self-assessment (自评分).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import (
    SELF_SUFFIX,
    STATUS_MISSING,
    STATUS_NA,
    STATUS_OK,
    CollectContext,
    evidence_rows,
)
from zwgk_score.collect.settings import ExportSettings, declared_settings
from zwgk_score.collect.tables import (
    Column,
    Records,
    collected,
    config_error,
    finite_numbers,
    load_records,
    to_numbers,
)

COLUMNS = (
    Column("unit", "单位", label="单位"),
    Column("key", "指标", label="数据键"),
    Column("value", "数值", required=False, blank_ok=True, label="数值"),
    Column("text", "文本", required=False, blank_ok=True, label="文本"),
    Column("status", "状态", required=False, blank_ok=True, label="状态"),
    Column("evidence", "佐证", required=False, blank_ok=True, label="佐证"),
    Column("source", "来源", required=False, blank_ok=True, label="来源"),
    Column("self_score", "自评分", required=False, blank_ok=True, label="自评分"),
)
STATUS_WORDS = {
    "": STATUS_OK,
    "ok": STATUS_OK,
    "正常": STATUS_OK,
    "有效": STATUS_OK,
    "na": STATUS_NA,
    "n/a": STATUS_NA,
    "不适用": STATUS_NA,
    "不涉及": STATUS_NA,
    "missing": STATUS_MISSING,
    "缺失": STATUS_MISSING,
    "缺": STATUS_MISSING,
}
#: Words in the value column that mean "not applicable" (不适用).
NA_VALUES = ("不适用", "不涉及", "/", "／", "na", "n/a")


@attrs.frozen(kw_only=True)
class TableCollectorSettings(ExportSettings):
    """``[collectors.table]``: how the table is read, plus what its rows mean.

    Attributes:
        key: one data key for every row (then the table has no 指标 column).
        key_suffix: appended to every row's data key (e.g. ``.q1``).
        self_suffix: suffix of the self-assessment rows' key (default ``.self``).
        keys: the data keys a row may have (a typo guard); default: any.
        allow_negative: accept negative values (default: refused).
    """

    key: str | None = None
    key_suffix: str = ""
    self_suffix: str = SELF_SUFFIX
    keys: list[str] | None = None
    allow_negative: bool = False


class TableCollector:
    """Collector ``table`` (通用表格): one row per evidence row, columns mapped by name.

    Columns (default headers; the English names work too): 单位 (unit), 指标
    (key; or a fixed ``key`` setting), 数值 (value), 文本 (text), 状态
    (status: 不适用 → ``na``, 缺失 → ``missing``), 佐证 (evidence), 来源
    (source), 自评分 (self_score: an extra row under ``key + self_suffix``).
    不适用 written in the value column also means ``na``.
    """

    name = "table"

    def collect(
        self, settings: Mapping[str, Any] | TableCollectorSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the table in ``settings`` and return its evidence rows."""
        path = f"collectors.{self.name}"
        s = declared_settings(settings, TableCollectorSettings, self.name, ctx)
        fixed = s.key
        if fixed is not None and not fixed.strip():
            raise config_error(
                ctx,
                f"{path}.key",
                "key 应为非空字符串（所有行使用的数据键）",
                hint='如 key = "D1.2"',
            )
        columns = COLUMNS if fixed is None else tuple(c for c in COLUMNS if c.name != "key")
        if fixed is not None and "key" in s.columns:
            raise config_error(
                ctx,
                f"{path}.columns.key",
                "已用 key 设置固定的数据键，不能再指定数据键列",
                hint="删除其中之一",
            )
        suffix, self_suffix = s.key_suffix, s.self_suffix
        records = load_records(s, ctx, columns, path=path)
        f = records.frame
        blank = pd.Series("", index=f.index, dtype=object)
        key = (
            f["key"] if fixed is None else pd.Series(fixed.strip(), index=f.index, dtype=object)
        ) + suffix
        self._check_keys(records, key, s.keys, suffix)

        status_text = f["status"] if "status" in f.columns else blank
        status = status_text.str.lower().map(STATUS_WORDS)
        if status.isna().any():
            i = int(np.flatnonzero(status.isna().to_numpy())[0])
            raise records.error(
                i,
                "status",
                f"无法识别的状态「{status_text.iat[i]}」",
                hint="状态填 不适用、缺失，或留空（正常）",
            )
        raw_value = f["value"] if "value" in f.columns else blank
        na_value = raw_value.str.lower().isin(NA_VALUES).to_numpy()
        status = status.where(~na_value, STATUS_NA)
        value = self._numbers(records, "value", raw_value.where(~na_value, ""), s.allow_negative)
        text = f["text"] if "text" in f.columns else blank
        evidence = f["evidence"] if "evidence" in f.columns else blank
        # a row with neither value nor text is a typing slip unless its evidence says what it
        # records (a 完成时限 row of a task still open: blank completion date, "截至检查未完成")
        empty = (
            (status == STATUS_OK).to_numpy()
            & value.isna().to_numpy()
            & (text == "").to_numpy()
            & (evidence == "").to_numpy()
        )
        if empty.any():
            i = int(np.flatnonzero(empty)[0])
            name = "value" if "value" in f.columns else "key"
            raise records.error(
                i,
                name,
                "数值和文本都为空",
                hint="填写数值或文本；不适用的填 不适用；尚未完成的完成时限行在佐证列写明",
            )
        source = (
            f["source"].where(f["source"] != "", f["_source"])
            if "source" in f.columns
            else f["_source"]
        )
        frames = [
            evidence_rows(
                f["unit"], key, value, text=text, status=status, evidence=evidence, source=source
            )
        ]
        if "self_score" in f.columns:
            score = self._numbers(records, "self_score", f["self_score"], s.allow_negative)
            has = score.notna().to_numpy()
            frames.append(
                evidence_rows(
                    f["unit"][has],
                    key[has] + self_suffix,
                    score[has],
                    evidence="自评分",
                    source=source[has],
                )
            )
        return collected(frames)

    @staticmethod
    def _numbers(records: Records, name: str, cells: pd.Series, allow_negative: bool) -> pd.Series:
        blank = cells == ""
        number = to_numbers(cells.where(~blank))
        bad = number.isna() & ~blank
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise records.error(
                i,
                name,
                f"「{cells.iat[i]}」不是数字",
                hint="只填数字；文字放在文本列，不适用的填 不适用",
            )
        finite_numbers(records, name, cells, number)
        neg = (number < 0).to_numpy()
        if neg.any() and not allow_negative:
            i = int(np.flatnonzero(neg)[0])
            raise records.error(
                i,
                name,
                f"数值「{cells.iat[i]}」为负数",
                hint="扣分项按次数填写正数；确需负数时设置 allow_negative = true",
            )
        return cast("pd.Series", number.astype("float64"))

    @staticmethod
    def _check_keys(
        records: Records, key: pd.Series, expected: list[str] | None, suffix: str
    ) -> None:
        """With ``keys = [...]`` every row's key must be one of them (typo guard)."""
        if expected is None:
            return
        unknown = ~key.isin([k + suffix for k in expected]).to_numpy()
        if unknown.any():
            i = int(np.flatnonzero(unknown)[0])
            raise records.error(
                i,
                "key" if "key" in records.headers else "unit",
                f"数据键「{key.iat[i]}」不在 keys 列出的范围内",
                hint=f"可用数据键：{'、'.join(expected)}",
            )
