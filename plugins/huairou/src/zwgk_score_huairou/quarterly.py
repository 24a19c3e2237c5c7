"""怀柔 register of the quarterly publications of the government work report's key tasks.

Task 19 of the 2024 plan: 按季度向社会公开区政府工作报告重点任务、重要民生实事项目的
执行情况.  The district office registers each publication: 公开单位 | 所属季度 |
公开日期 | 标题.  The fourth quarter's report is usually published in January of
the next year, so the register is read by the quarter it reports on, not by
its publication date.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    CollectContext,
    Column,
    TableSettings,
    collected,
    data_keys,
    declared_settings,
    load_records,
)

COLUMNS = (
    Column("unit", "公开单位", label="公开单位"),
    Column("quarter", "所属季度", label="所属季度"),
    Column("published", "公开日期", "date", label="公开日期"),
    Column("title", "标题", required=False, blank_ok=True, label="标题"),
)
#: Role → data key of rubrics/huairou-2024.toml (T19.1, count with target 4).
DEFAULT_KEYS = {"quarters": "report_quarterly"}
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = r"^(?:(?P<y>\d{4})\s*年(?:度)?)?\s*(?:第)?\s*(?P<q>[1-4一二三四])\s*(?:季度)?$"
_Q_FORM = r"^(?:(?P<y>\d{4})\s*[-_ ]?\s*)?[Qq](?P<q>[1-4])$"
_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")


def _either(first: pd.Series, second: pd.Series) -> pd.Series:
    """``first`` where it matched, else ``second``, kept as text (object dtype).

    Not ``first.fillna(second)``: on object columns pandas 2.2 would infer a
    float dtype from an all-unmatched result and warn that this downcasting
    goes away (FutureWarning); choosing the cells with numpy never infers.
    """
    picked = np.where(first.notna(), first, second)
    return cast("pd.Series", pd.Series(picked, index=first.index, dtype=object))


def parse_quarters(text: pd.Series, year: int) -> pd.DataFrame:
    """Parse 所属季度 cells into ``year`` and ``quarter`` columns (NaN when unreadable).

    Accepts ``第一季度``, ``一季度``, ``2024年第三季度``, ``第3季度``, ``3``,
    ``Q4`` and ``2024Q4``; without a year the assessment year is meant.
    """
    text = text.astype(str).str.strip()
    a = text.str.extract(_QUARTER)
    b = text.str.extract(_Q_FORM)
    q = _either(a["q"], b["q"]).map(_CN)
    y = pd.to_numeric(_either(a["y"], b["y"]), errors="coerce").fillna(year)
    return cast("pd.DataFrame", pd.DataFrame({"year": y.where(q.notna()), "quarter": q}))


class QuarterlyCollector:
    """Collector ``huairou_quarterly`` (重点任务执行情况按季度公开登记).

    Default headers: 公开单位, 所属季度, 公开日期, 标题 (optional); remap them
    with ``columns``.  Emits ``quarters`` (``report_quarterly``): one row per
    roster unit, value = how many distinct quarters of the assessment year
    the unit published (0 for a unit without any, so the indicator is never
    missing); a quarter published twice counts once, and publications for
    other years are named in the evidence but not counted.

    Raises:
        DataError: an unreadable 所属季度, or a publication dated before the
            quarter it reports on has begun — besides the usual errors of
            missing columns, blank cells, bad dates and unknown units.
    """

    name = "huairou_quarterly"

    def collect(
        self, settings: Mapping[str, Any] | TableSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the register in ``settings`` and return one evidence row per unit."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, TableSettings, self.name, ctx)
        records = load_records(settings, ctx, COLUMNS, path=path)
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx)
        f = records.frame
        parsed = parse_quarters(f["quarter"], ctx.year)
        bad = parsed["quarter"].isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise records.error(
                i,
                "quarter",
                f"无法识别的所属季度「{f['quarter'].iat[i]}」",
                hint="写成「第一季度」「2024年第三季度」或「Q4」",
            )
        start = pd.to_datetime(
            pd.DataFrame(
                {"year": parsed["year"].astype(int), "month": parsed["quarter"] * 3 - 2, "day": 1}
            )
        )
        early = (f["published"] < start).to_numpy()
        if early.any():
            i = int(np.flatnonzero(early)[0])
            raise records.error(
                i,
                "published",
                "公开日期早于所属季度开始",
                hint="核对所属季度和公开日期（执行情况只能在该季度开始后公开）",
            )
        if "quarters" not in keys:
            return collected([])
        this_year = (parsed["year"] == ctx.year).to_numpy()
        hits = f.loc[this_year].assign(q=parsed["quarter"][this_year].astype(int))
        done = hits.groupby("unit")["q"].agg(lambda s: sorted(set(s)))
        others = pd.Series(~this_year).groupby(f["unit"].to_numpy()).sum()
        sources = f["_source"].groupby(f["unit"]).agg("; ".join)
        frame = []
        for unit in ctx.units:
            quarters = done.get(unit, [])
            missing = [n for q, n in enumerate(_NAMES, 1) if q not in quarters]
            listed = "、".join(_NAMES[q - 1] for q in quarters)
            evidence = (
                f"{ctx.year}年已按季度公开 {len(quarters)} 次（{listed}）"
                if quarters
                else f"{ctx.year}年未按季度公开"
            )
            if missing and quarters:
                evidence += f"；未公开：{'、'.join(missing)}"
            if int(others.get(unit, 0)):
                evidence += f"（另有其他年度的公开 {int(others[unit])} 条，未计）"
            frame.append(
                {
                    "unit": unit,
                    "key": keys["quarters"],
                    "value": float(len(quarters)),
                    "evidence": evidence,
                    "source": sources.get(unit, settings.file),
                }
            )
        return collected([pd.DataFrame(frame)])


__all__ = ["QuarterlyCollector", "parse_quarters"]
