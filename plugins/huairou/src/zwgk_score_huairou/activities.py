"""怀柔 activity registers: 政府开放 activities (task 35) and 政策公开讲 releases (task 34).

Both registers list one activity per row — 单位 | 活动日期 | 活动名称 — and the
rubric counts them per unit and year (T35 at least 2, T34 at least 1).  The
built-in ``meetings`` collector counts the same way but words its evidence as
public attendance at meetings; this collector names what was counted
(``label``), so the feedback sheets read e.g. “2024年开展政府开放活动 1 次”.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.collect.base import CollectContext
from zwgk_score.collect.tables import (
    Column,
    collected,
    config_error,
    data_keys,
    fmt_dates,
    load_records,
    per_unit,
)

COLUMNS = (
    Column("unit", "举办单位", label="举办单位"),
    Column("date", "活动日期", "date", label="活动日期"),
    Column("title", "活动名称", required=False, blank_ok=True, label="活动名称"),
)
#: Role → data key of rubrics/huairou-2024.toml (T35; use keys = { held = "t34_lectures" } for T34).
DEFAULT_KEYS = {"held": "t35_openday"}
DEFAULT_LABEL = "政府开放和公众参与活动"


class ActivitiesCollector:
    """Collector ``huairou_activities``: activities held per unit in the assessment year.

    Settings: ``file`` and the common settings, ``keys`` (role ``held``) and
    ``label`` (what an activity is called in the evidence, default
    ``政府开放和公众参与活动``).  Emits one row per roster unit, value = the
    activities dated in ``ctx.year`` (0 for a unit without any, so the count
    is never missing); rows of other years are named but not counted.
    """

    name = "huairou_activities"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Read the register in ``settings`` and return one evidence row per unit."""
        path = f"collectors.{self.name}"
        label = settings.get("label", DEFAULT_LABEL)
        if not isinstance(label, str) or not label.strip():
            raise config_error(
                ctx, f"{path}.label", "label 应为非空文字", hint='如 label = "政务开放日活动"'
            )
        inner = {k: v for k, v in settings.items() if k != "label"}
        records = load_records(inner, ctx, COLUMNS, path=path, extra=("keys",))
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx)
        if "held" not in keys:
            return collected([])
        f = records.frame
        in_year = (f["date"].dt.year == ctx.year).to_numpy()
        n = per_unit(ctx, f["unit"], in_year)
        other = per_unit(ctx, f["unit"], ~in_year)
        hits = f.loc[in_year].sort_values(["date", "_row"], kind="stable")
        listed = fmt_dates(hits["date"])
        if "title" in f.columns:
            listed = listed + pd.Series(
                np.where(hits["title"] != "", "「" + hits["title"] + "」", ""),
                index=hits.index,
                dtype=object,
            )
        units = list(ctx.units)
        dates = listed.groupby(hits["unit"]).agg("、".join).reindex(units, fill_value="")
        sources = f["_source"].groupby(f["unit"]).agg("; ".join).reindex(units, fill_value="")
        year = f"{ctx.year}年"
        count, others = (
            pd.Series(n, index=units).astype(str),
            pd.Series(other, index=units).astype(str),
        )
        evidence = (year + "开展" + label + " " + count + " 次：" + dates).where(
            n > 0, year + "无" + label + "记录"
        )
        evidence += ("（另有其他年度记录 " + others + " 条，未计）").where(other > 0, "")
        return collected(
            [
                pd.DataFrame(
                    {
                        "unit": units,
                        "key": keys["held"],
                        "value": n.astype(float),
                        "evidence": evidence.to_numpy(dtype=object),
                        "source": sources.where(sources != "", str(settings["file"])).to_numpy(
                            dtype=object
                        ),
                    }
                )
            ]
        )


__all__ = ["ActivitiesCollector"]
