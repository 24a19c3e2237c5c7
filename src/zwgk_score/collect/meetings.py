"""Recipe: events per unit and year (事件计数), and the built-in ``meetings`` collector.

A register lists one event per row — 单位 | 日期 | 名称 (and maybe who
attended) — and the rubric asks for "at least N a year" (会议列席、开放活动、
政策公开讲、内部培训 …).  :class:`EventCount` counts the events dated in the
assessment year per roster unit (0 for a unit without any, so the indicator
is never missing) and lists their dates in the evidence; events of other years
are named but not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import CollectContext, evidence_rows
from zwgk_score.collect.settings import TableSettings, settings_mapping, structure_settings
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


@attrs.frozen(kw_only=True)
class EventCountSettings(TableSettings):
    """Settings of an event register: the table settings plus ``label``.

    Attributes:
        label: what an event is called in the evidence (default: the collector's ``label``).
    """

    label: str | None = None


class EventCount:
    """Base collector counting events per unit in ``ctx.year`` (see the module docstring).

    Class attributes:
        name: the collector's name.
        columns: ``unit`` and ``date`` (required), ``title`` and ``attended``
            (optional: with ``attended``, a row counts only when the cell
            names someone — blank, 无, 否 or 0 mean nobody).
        default_keys: ``{role: data key}`` with exactly one role.
        label: default of the ``label`` setting (what an event is called).
        verb: written before the label in the evidence (``开展``).
        none_text: evidence of a unit without events, ``{year}`` and ``{label}`` filled.
        other_text: note on events of other years, ``{n}`` filled.
        label_hint: example of the ``label`` setting for error messages.
        sources_of_all_rows: the source lists every row of the unit (else only the counted ones).
        settings_type: the attrs class the settings are structured into.
    """

    name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    default_keys: ClassVar[dict[str, str]]
    label: ClassVar[str]
    verb: ClassVar[str] = ""
    none_text: ClassVar[str] = "{year}无{label}的记录"
    other_text: ClassVar[str] = "（另有其他年度记录 {n} 条，未计）"
    label_hint: ClassVar[str] = 'label = "开展政府开放活动"'
    sources_of_all_rows: ClassVar[bool] = False
    settings_type: ClassVar[type] = EventCountSettings

    def collect(self, settings: Mapping[str, Any] | Any, ctx: CollectContext) -> pd.DataFrame:
        """Read the register in ``settings`` and return one evidence row per unit."""
        path = f"collectors.{self.name}"
        if isinstance(settings, Mapping):
            settings = structure_settings(
                settings, self.settings_type, table=path, file=ctx.config_file
            )
        settings = settings_mapping(settings)
        label = settings.get("label", self.label)
        if not isinstance(label, str) or not label.strip():
            raise config_error(
                ctx, f"{path}.label", "label 应为非空文字", hint=f"如 {self.label_hint}"
            )
        inner = {k: v for k, v in settings.items() if k != "label"}
        records = load_records(inner, ctx, self.columns, path=path, extra=("keys",))
        keys = data_keys(settings, self.default_keys, path, ctx)
        (role,) = self.default_keys
        if role not in keys:
            return collected([])
        f = records.frame
        in_year = (f["date"].dt.year == ctx.year).to_numpy()
        if "attended" in f.columns:
            attended = ~f["attended"].str.lower().isin(FALSE_WORDS).to_numpy()
        else:
            attended = np.ones(len(f), bool)
        counted = in_year & attended
        n = per_unit(ctx, f["unit"], counted)
        other = per_unit(ctx, f["unit"], ~in_year)

        units = list(ctx.units)
        hits = f.loc[counted].sort_values(["date", "_row"], kind="stable")
        listed = fmt_dates(hits["date"])
        if "title" in f.columns:
            listed = listed + pd.Series(
                np.where(hits["title"] != "", "「" + hits["title"] + "」", ""),
                index=hits.index,
                dtype=object,
            )
        dates = listed.groupby(hits["unit"]).agg("、".join).reindex(units, fill_value="")
        rows = f if self.sources_of_all_rows else hits
        sources = rows["_source"].groupby(rows["unit"]).agg("; ".join)
        sources = sources.reindex(units, fill_value="")
        year = f"{ctx.year}年"
        count = pd.Series(n, index=units).astype(str)
        others = pd.Series(other, index=units).astype(str)
        evidence = (year + self.verb + label + " " + count + " 次：" + dates).where(
            n > 0, self.none_text.format(year=year, label=label)
        )
        prefix, _, suffix = self.other_text.partition("{n}")
        evidence += (prefix + others + suffix).where(other > 0, "")
        return collected(
            [
                evidence_rows(
                    units,
                    keys[role],
                    n.astype(float),
                    evidence=evidence.to_numpy(dtype=object),
                    source=sources.where(sources != "", str(settings["file"])).to_numpy(
                        dtype=object
                    ),
                )
            ]
        )


class MeetingsCollector(EventCount):
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
    columns = COLUMNS
    default_keys = DEFAULT_KEYS
    label = "公众代表、媒体等列席会议"
    other_text = "（另有非本年度会议 {n} 条，未计）"
