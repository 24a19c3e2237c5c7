"""Meeting records (会议记录): public representatives and media attending (列席)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from zwgk_score.collect.base import CollectContext
from zwgk_score.collect.tables import (
    FALSE_WORDS,
    Column,
    collected,
    config_error,
    data_keys,
    fmt_dates,
    load_records,
    per_unit,
)

COLUMNS = (
    Column("unit", "单位", label="召开会议的单位"),
    Column("date", "会议日期", "date", label="会议日期"),
    Column("title", "会议名称", required=False, blank_ok=True, label="会议名称"),
    Column("attended", "列席人员", required=False, blank_ok=True, label="列席的公众代表、媒体等"),
)
DEFAULT_KEYS = {"attended": "meeting_attendance"}


class MeetingsCollector:
    """Collector ``meetings`` (会议列席): how often the public attended a unit's meetings.

    A meeting counts when it falls in the assessment year (``ctx.year``) and
    its 列席人员 cell names someone (blank, 无, 否 or 0 mean nobody; without
    that column every listed meeting counts).

    The same register shape serves other "at least N a year" records (开放活动,
    内部培训, 听取汇报): ``label`` sets the wording of the evidence.

    Emits ``attended``: one row per roster unit, value = meetings attended
    (0 for a unit without any, so the indicator is never missing), evidence
    listing their dates.
    """

    name = "meetings"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Read the meeting records in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        records = load_records(settings, ctx, COLUMNS, path=path, extra=("keys", "label"))
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx)
        label = settings.get("label", "公众代表、媒体等列席会议")
        if not isinstance(label, str) or not label.strip():
            raise config_error(
                ctx, f"{path}.label", "label 应为非空文字", hint='如 label = "开展政府开放活动"'
            )
        if "attended" not in keys:
            return collected([])
        f = records.frame
        in_year = (f["date"].dt.year == ctx.year).to_numpy()
        if "attended" in f.columns:
            attended = ~f["attended"].str.lower().isin(FALSE_WORDS).to_numpy()
        else:
            attended = np.ones(len(f), bool)
        counted = in_year & attended
        n = per_unit(ctx, f["unit"], counted)
        other_years = per_unit(ctx, f["unit"], ~in_year)

        hits = f.loc[counted].sort_values(["date", "_row"], kind="stable")
        listed = fmt_dates(hits["date"])
        if "title" in f.columns:
            listed = listed + pd.Series(
                np.where(hits["title"] != "", "「" + hits["title"] + "」", ""),
                index=hits.index,
                dtype=object,
            )
        dates = listed.groupby(hits["unit"]).agg("、".join).reindex(list(ctx.units), fill_value="")
        sources = (
            hits["_source"]
            .groupby(hits["unit"])
            .agg("; ".join)
            .reindex(list(ctx.units), fill_value="")
        )
        year = f"{ctx.year}年"
        counts = pd.Series(n).astype(str).to_numpy()
        evidence = np.where(
            n > 0,
            year + label + " " + counts + " 次：" + dates.to_numpy(dtype=str),
            year + "无" + label + "的记录",
        )
        note = np.where(
            other_years > 0,
            "（另有非本年度会议 " + pd.Series(other_years).astype(str).to_numpy() + " 条，未计）",
            "",
        )
        return collected(
            [
                pd.DataFrame(
                    {
                        "unit": list(ctx.units),
                        "key": keys["attended"],
                        "value": n.astype(float),
                        "evidence": pd.Series(evidence, dtype=object)
                        + pd.Series(note, dtype=object),
                        "source": np.where(
                            sources.to_numpy(dtype=str) != "",
                            sources.to_numpy(dtype=str),
                            settings["file"],
                        ),
                    }
                )
            ]
        )
