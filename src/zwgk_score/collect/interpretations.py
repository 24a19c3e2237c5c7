"""Policy documents and their interpretations (政策文件与解读, 三同步)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import CollectContext, evidence_rows
from zwgk_score.collect.settings import (
    ExportSettings,
    TableSettings,
    structure_settings,
)
from zwgk_score.collect.tables import (
    Column,
    check_calendar,
    check_unique,
    collected,
    config_error,
    data_keys,
    elapsed,
    load_records,
    number_setting,
    period_mask,
    timing_evidence,
)

POLICY_COLUMNS = (
    Column("unit", "单位", label="发文单位"),
    Column("id", "文号", label="政策文号"),
    Column("title", "标题", required=False, blank_ok=True, label="政策标题"),
    Column("published", "发布日期", "date", label="政策发布日期"),
    Column("required", "需解读", "flag", required=False, blank_ok=True, label="是否需要解读"),
)
#: In the one-file form the interpretation date is a column of the policy list.
ONE_FILE_COLUMNS = (
    *POLICY_COLUMNS,
    Column("interpreted", "解读日期", "date", blank_ok=True, label="解读发布日期"),
)
INTERPRETATION_COLUMNS = (
    Column("policy", "文号", label="所解读政策的文号"),
    Column("published", "发布日期", "date", label="解读发布日期"),
)
DEFAULT_KEYS = {
    "timeliness": "interpretation_timeliness",
    "missing": "interpretation_missing",
    "late": "interpretation_late",
}


@attrs.frozen(kw_only=True)
class InterpretationsSettings(TableSettings):
    """``[collectors.interpretations]``, one-file form: the policy list with a 解读日期 column.

    Attributes:
        limit: working days from a policy to its interpretation (default 3).
        period_only: count only policies published in the assessed period (default true).
    """

    limit: float = 3
    period_only: bool = True


@attrs.frozen(kw_only=True)
class TwoListSettings:
    """``[collectors.interpretations]``, two-file form: a policy list and an interpretation list.

    Attributes:
        policies: ``[collectors.interpretations.policies]``, the policy list.
        interpretations: ``[collectors.interpretations.interpretations]``, the
            interpretations, joined on the policy number.
        limit, period_only, keys: as in :class:`InterpretationsSettings`.
    """

    policies: ExportSettings
    interpretations: ExportSettings | None = None
    limit: float = 3
    period_only: bool = True
    keys: dict[str, str] | None = None


def interpretation_settings(
    settings: Mapping[str, Any] | InterpretationsSettings | TwoListSettings, ctx: CollectContext
) -> InterpretationsSettings | TwoListSettings:
    """The settings in the form they are written in (two files when ``policies`` is given)."""
    if not isinstance(settings, Mapping):
        return settings
    table, file = f"collectors.{InterpretationsCollector.name}", ctx.config_file
    if "policies" in settings:
        return structure_settings(settings, TwoListSettings, table=table, file=file)
    return structure_settings(settings, InterpretationsSettings, table=table, file=file)


class InterpretationsCollector:
    """Collector ``interpretations`` (政策解读): 三同步 of policies and interpretations.

    Two forms of settings: one file listing policies with a 解读日期 column
    (``file`` + ``columns``), or two files (``[collectors.interpretations.policies]``
    and ``[collectors.interpretations.interpretations]``) joined on the policy
    number; with several interpretations of one policy the earliest counts.

    Emits, for the policies published in the assessed period (and marked 需解读
    when that column exists):

    - ``timeliness``: one row per policy, value = working days from the policy
      to its interpretation (0 if the interpretation came first), or to the
      inspection date (text 未解读) when there is none;
    - ``missing``: one row (value 1) per policy without interpretation and past
      the limit at the inspection date;
    - ``late``: one row (value 1) per policy interpreted after the limit.
    """

    name = "interpretations"

    def collect(
        self,
        settings: Mapping[str, Any] | InterpretationsSettings | TwoListSettings,
        ctx: CollectContext,
    ) -> pd.DataFrame:
        """Read the policy list (and interpretation list) in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        settings = interpretation_settings(settings, ctx)
        f = self._policies(settings, ctx, path)
        limit = number_setting(settings, "limit", 3, path, ctx)
        keys = data_keys(settings, DEFAULT_KEYS, path, ctx)

        keep = period_mask(settings, ctx, f["published"], path)
        if "required" in f.columns:
            keep &= f["required"].to_numpy(bool)
        f = f.loc[keep].reset_index(drop=True)
        days, open_ = elapsed(ctx, f["published"], f["interpreted"])
        lim = np.full(len(f), limit)
        title = f["title"] if "title" in f.columns else pd.Series("", index=f.index, dtype=object)
        label = (
            "政策 "
            + f["id"]
            + pd.Series(np.where(title != "", "「" + title + "」", ""), dtype=object)
        )
        evidence = timing_evidence(
            ctx,
            label,
            f["published"],
            f["interpreted"],
            days,
            lim,
            received="发布",
            done="发布解读",
        )
        over = days > lim

        frames = []
        if "timeliness" in keys:
            frames.append(
                evidence_rows(
                    f["unit"],
                    keys["timeliness"],
                    days,
                    text=np.where(open_, "未解读", ""),
                    evidence=evidence,
                    source=f["_source"],
                )
            )
        for role, mask, text in (
            ("missing", over & open_, "未解读"),
            ("late", over & ~open_, "解读超期"),
        ):
            if role in keys:
                frames.append(
                    evidence_rows(
                        f["unit"][mask],
                        keys[role],
                        1.0,
                        text=text,
                        evidence=evidence[mask],
                        source=f["_source"][mask],
                    )
                )
        return collected(frames)

    @staticmethod
    def _policies(
        settings: InterpretationsSettings | TwoListSettings, ctx: CollectContext, path: str
    ) -> pd.DataFrame:
        """Policies with an ``interpreted`` date column (NaT when none)."""
        if isinstance(settings, InterpretationsSettings):
            records = load_records(settings, ctx, ONE_FILE_COLUMNS, path=path)
            check_unique(records, ["id"], "政策文号")
            check_calendar(records, ctx, ["published", "interpreted"])
            return records.frame
        if settings.interpretations is None:
            raise config_error(
                ctx,
                f"{path}.interpretations",
                "设置了 policies，但缺少 interpretations",
                hint=f"添加 [{path}.interpretations]，给出解读材料清单的 file 和 columns",
            )
        policies = load_records(settings.policies, ctx, POLICY_COLUMNS, path=f"{path}.policies")
        check_unique(policies, ["id"], "政策文号")
        check_calendar(policies, ctx, ["published"])
        interps = load_records(
            settings.interpretations,
            ctx,
            INTERPRETATION_COLUMNS,
            path=f"{path}.interpretations",
        )
        check_calendar(interps, ctx, ["published"])
        known = interps.frame["policy"].isin(policies.frame["id"]).to_numpy()
        if not known.all():
            i = int(np.flatnonzero(~known)[0])
            raise interps.error(
                i,
                "policy",
                f"文号「{interps.frame['policy'].iat[i]}」不在政策文件清单中",
                hint=f"核对文号是否与 {settings.policies.file} 中完全一致",
            )
        first = interps.frame.groupby("policy", sort=False)["published"].min()
        frame = policies.frame
        frame["interpreted"] = frame["id"].map(first)
        return frame
