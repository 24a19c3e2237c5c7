"""郯城 decision register (重大决策事项意见征集及采纳情况公开登记表).

Item 7 of the 2023 plan (郯政办字〔2023〕37号): major decisions are put out
for public comment, and within 10 working days after the decision document
is issued the office in charge publishes how the comments were gathered and
used.  The county's register has one row per decision; this collector turns
it into the rubric's two data keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd

from zwgk_score.plugin import (
    STATUS_NA,
    STATUS_OK,
    CollectContext,
    Column,
    DeadlineSettings,
    check_calendar,
    check_order,
    check_unique,
    collected,
    data_keys,
    declared_settings,
    elapsed,
    evidence_rows,
    load_records,
    number_setting,
    per_unit,
    period_mask,
    timing_evidence,
)

COLUMNS = (
    Column("unit", "承办单位", label="决策承办单位"),
    Column("id", "事项编号", label="决策事项编号"),
    Column("title", "决策事项", required=False, blank_ok=True, label="决策事项名称"),
    Column("consulted", "是否公开征求意见", "flag", blank_ok=True, label="是否公开征求意见"),
    Column("issued", "决策文件印发日期", "date", label="决策文件印发日期"),
    Column("published", "采纳情况公开日期", "date", blank_ok=True, label="意见采纳情况公开日期"),
)
DEFAULT_KEYS = {
    "timeliness": "decision_feedback_timeliness",
    "consultation": "decision_consultation",
}
#: 决策文件出台后的10个工作日内 (plan item 7).
DEFAULT_LIMIT = 10


@attrs.frozen(kw_only=True)
class DecisionsSettings(DeadlineSettings):
    """Settings of ``tancheng_decisions``: the register, ``limit`` (default 10), ``keys``, ``period_only``."""

    limit: float = DEFAULT_LIMIT


class DecisionsCollector:
    """Collector ``tancheng_decisions`` (重大决策意见征集登记).

    Default headers: 承办单位, 事项编号, 决策事项 (optional), 是否公开征求意见,
    决策文件印发日期, 采纳情况公开日期 (blank = not yet published); remap them
    with ``columns``.  Settings also take ``limit`` (working days, default 10),
    ``keys`` and ``period_only`` like the built-in collectors.

    Emits, for the decisions issued in the assessed period:

    - ``timeliness`` (``decision_feedback_timeliness``): one row per decision,
      value = working days from the issue date to the publication of the
      comments' adoption (to the inspection date, text 未公开, when not
      published);
    - ``consultation`` (``decision_consultation``): one row per roster unit,
      value 1 when every decision was put out for public comment, else 0.

    A unit without any decision in the period gets status ``na`` on both keys
    (年内无重大决策事项的报不适用).
    """

    name = "tancheng_decisions"

    def collect(
        self, settings: Mapping[str, Any] | DecisionsSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the register in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, DecisionsSettings, self.name, ctx)
        records = load_records(settings, ctx, COLUMNS, path=path)
        limit = number_setting(settings, "limit", DEFAULT_LIMIT, path, ctx)
        assert limit is not None  # a default is given
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx)
        check_unique(records, ["id"], "决策事项编号")
        check_order(records, "issued", "published", "采纳情况公开早于决策文件印发")
        check_calendar(records, ctx, ["issued", "published"])

        f = records.frame
        f = f.loc[period_mask(settings, ctx, f["issued"], path)].reset_index(drop=True)
        n = per_unit(ctx, f["unit"])
        none = np.asarray(n == 0)
        year = f"{ctx.year}年" if ctx.quarter is None else f"{ctx.year}年第{ctx.quarter}季度"
        na_text = f"{year}无重大决策事项，不适用"
        frames = []
        if "timeliness" in keys:
            frames.append(self._timeliness(f, ctx, limit, keys["timeliness"]))
            frames.append(self._not_applicable(ctx, none, keys["timeliness"], na_text, settings))
        if "consultation" in keys:
            frames.append(self._consultation(f, ctx, n, keys["consultation"], year, settings))
            frames.append(self._not_applicable(ctx, none, keys["consultation"], na_text, settings))
        return collected(frames)

    @staticmethod
    def _label(f: pd.DataFrame) -> pd.Series:
        title = f["title"] if "title" in f.columns else pd.Series("", index=f.index, dtype=object)
        quoted = pd.Series(
            np.where(title != "", "「" + title + "」", ""), index=f.index, dtype=object
        )
        return cast("pd.Series", "决策事项 " + f["id"] + quoted)

    def _timeliness(
        self, f: pd.DataFrame, ctx: CollectContext, limit: float, key: str
    ) -> pd.DataFrame:
        days, open_ = elapsed(ctx, f["issued"], f["published"])
        evidence = timing_evidence(
            ctx,
            self._label(f),
            f["issued"],
            f["published"],
            days,
            np.full(len(f), limit),
            received="印发决策文件",
            done="公开意见采纳情况",
        )
        text = np.where(open_, "未公开", np.where(days > limit, "超期公开", ""))
        return evidence_rows(
            f["unit"], key, days.astype(float), text=text, evidence=evidence, source=f["_source"]
        )

    def _consultation(
        self,
        f: pd.DataFrame,
        ctx: CollectContext,
        n: np.ndarray,
        key: str,
        year: str,
        settings: DecisionsSettings,
    ) -> pd.DataFrame:
        not_consulted = ~f["consulted"].to_numpy(bool)
        misses = per_unit(ctx, f["unit"], not_consulted)
        listed = (
            self._label(f)[not_consulted]
            .groupby(f["unit"][not_consulted])
            .agg("、".join)
            .reindex(list(ctx.units), fill_value="")
            .to_numpy(dtype=object)
        )
        counts = n.astype(str)
        evidence = np.where(
            misses > 0,
            year
            + "重大决策事项 "
            + counts
            + " 件，其中 "
            + misses.astype(str)
            + " 件未公开征求意见："
            + listed,
            year + "重大决策事项 " + counts + " 件，均已公开征求意见",
        )
        sources = (
            f["_source"].groupby(f["unit"]).agg("; ".join).reindex(list(ctx.units), fill_value="")
        )
        keep = n > 0
        return evidence_rows(
            np.asarray(ctx.units, dtype=object)[keep],
            key,
            np.where(misses == 0, 1.0, 0.0)[keep],
            status=STATUS_OK,
            evidence=evidence[keep],
            source=sources.to_numpy(dtype=object)[keep],
        )

    @staticmethod
    def _not_applicable(
        ctx: CollectContext, none: np.ndarray, key: str, text: str, settings: DecisionsSettings
    ) -> pd.DataFrame:
        units = np.asarray(ctx.units, dtype=object)[none]
        return evidence_rows(units, key, status=STATUS_NA, evidence=text, source=settings.file)
