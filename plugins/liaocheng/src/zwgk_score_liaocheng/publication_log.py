"""Collector ``liaocheng_publication_log``: 公开时效登记 (decision → publication times).

Two rules of the 聊城 plan time a publication from a decision:

* (18) 召回决定 "在决定作出后24小时内在政府网站公开" — ``measure = "hours"``:
  value = hours from the decision to its publication (rubric T18b, limit 24,
  unit 小时);
* (39) 办事条件变化 "完成审批程序后1个工作日内公开" — ``measure = "workdays"``:
  value = working days after the approval (the approval day not counted;
  rubric T39b, limit 1).

Columns (default headers): 单位, 编号, 事项 (optional), 决定时间, 公开时间
(blank: not yet published, counted up to the inspection date, text 未公开).
Settings: ``key`` (the data key, required), ``measure``, ``limit`` (for the
evidence text only; the rubric decides what is late), ``what`` (a noun for
the evidence, e.g. 召回决定), ``period_only`` (default true: only decisions
made in the assessed period), and the usual file settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    CollectContext,
    Column,
    ExportSettings,
    Records,
    check_calendar,
    check_unique,
    collected,
    config_error,
    declared_settings,
    evidence_rows,
    load_records,
    number_setting,
    period_mask,
    workdays,
)

COLUMNS = (
    Column("unit", "单位", label="单位"),
    Column("id", "编号", label="编号"),
    Column("title", "事项", required=False, blank_ok=True, label="事项"),
    Column("decided", "决定时间", label="决定作出/审批完成时间"),
    Column("published", "公开时间", blank_ok=True, label="网站公开时间"),
)
MEASURES = {"hours": "小时", "workdays": "个工作日"}
TIME_HINT = "写成 2018-05-14 09:30 或 2018-05-14（不写时间按 0 点计）"


@attrs.frozen(kw_only=True)
class PublicationLogSettings(ExportSettings):
    """Settings of ``liaocheng_publication_log``; see the module docstring."""

    key: str = ""
    measure: str = "workdays"
    limit: float | None = None
    what: str = "事项"
    period_only: bool = True


def _times(records: Records, name: str) -> pd.Series:
    cells = records.frame[name]
    norm = cells.str.replace(
        r"^(\d{4})\s*[年/.]\s*(\d{1,2})\s*[月/.]\s*(\d{1,2})\s*日?", r"\1-\2-\3", regex=True
    )
    parsed = pd.to_datetime(norm.where(cells != ""), errors="coerce", format="mixed")
    bad = parsed.isna() & (cells != "")
    if bad.any():
        raise records.error(
            int(np.flatnonzero(bad.to_numpy())[0]),
            name,
            f"无法识别的时间「{cells[bad].iat[0]}」",
            hint=TIME_HINT,
        )
    return cast("pd.Series", parsed)


class PublicationLogCollector:
    """Collector ``liaocheng_publication_log`` (公开时效登记): time from a decision to its publication."""

    name = "liaocheng_publication_log"

    def collect(
        self, settings: Mapping[str, Any] | PublicationLogSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """One evidence row per decision: value = hours or working days taken."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, PublicationLogSettings, self.name, ctx)
        records = load_records(settings, ctx, COLUMNS, path=path)
        key = settings.key
        if not key.strip():
            raise config_error(
                ctx, f"{path}.key", "缺少数据键 key", hint='如 key = "recall_timeliness"'
            )
        measure = settings.measure
        if measure not in MEASURES:
            raise config_error(
                ctx,
                f"{path}.measure",
                f"未知的计量方式「{measure}」",
                hint="hours（小时，数值为小时÷24）或 workdays（工作日）",
            )
        limit = number_setting(settings, "limit", None, path, ctx)
        what = settings.what
        check_unique(records, ["unit", "id"], "编号")
        f = records.frame
        f["decided_at"], f["published_at"] = (
            _times(records, "decided"),
            _times(records, "published"),
        )
        late_first = (f["published_at"] < f["decided_at"]).to_numpy()
        if late_first.any():
            raise records.error(
                int(np.flatnonzero(late_first)[0]),
                "published",
                "公开时间早于决定时间",
                hint="核对两个时间是否填反或录错",
            )
        f["decided_day"], f["published_day"] = (
            f["decided_at"].dt.normalize(),
            f["published_at"].dt.normalize(),
        )
        check_calendar(records, ctx, ["decided_day"], f)
        f = f.loc[period_mask(settings, ctx, f["decided_day"], path)].reset_index(drop=True)
        open_ = f["published_at"].isna().to_numpy()
        stop = f["published_at"].where(~open_, pd.Timestamp(ctx.period_end) + pd.Timedelta(days=1))
        if measure == "hours":
            hours = ((stop - f["decided_at"]).dt.total_seconds() / 3600.0).to_numpy(dtype=float)
            value = amount = hours
        else:
            days = workdays(
                ctx,
                f["decided_day"],
                stop.dt.normalize().where(~open_, pd.Timestamp(ctx.period_end)),
            )
            value = amount = days.astype(float)
        unit_text = MEASURES[measure]
        amount_text = pd.Series(np.round(amount, 1)).map("{:g}".format)
        stamp = "%Y-%m-%d %H:%M" if measure == "hours" else "%Y-%m-%d"
        done = np.where(
            open_,
            f"截至 {ctx.period_end.isoformat()} 未公开，已",
            (f["published_at"].dt.strftime(stamp) + " 公开，用时").to_numpy(dtype=object),
        )
        limit_text = f"（时限 {limit:g} {unit_text}）" if limit is not None else ""
        title = f["title"] if "title" in f.columns else pd.Series("", index=f.index)
        evidence = (
            what
            + " "
            + f["id"]
            + np.where(title != "", "（" + title + "）", "")
            + "："
            + f["decided_at"].dt.strftime(stamp)
            + " 作出，"
            + pd.Series(done, dtype=object)
            + " "
            + amount_text
            + " "
            + unit_text
            + limit_text
        )
        return collected(
            [
                evidence_rows(
                    f["unit"],
                    key.strip(),
                    value,
                    text=np.where(open_, "未公开", ""),
                    evidence=evidence,
                    source=f["_source"],
                )
            ]
        )
