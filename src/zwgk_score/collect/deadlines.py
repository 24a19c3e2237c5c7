"""Recipe: a register of items answered within a deadline in working days (时限台账).

The 12345 hotline export (留言办理), the 依申请公开 register and a region's
own consultation log all have one row per item: 单位 | 编号 | 收到日期 |
答复日期 (blank while open) and maybe flags changing the limit.  The recipe
reads such a register and emits, for the items received in the assessed
period:

- ``timeliness``: one row per item, value = working days taken (to the
  inspection date, text 未答复, when not answered);
- the late role (``overdue`` / ``late``): one row (value 1) per item over its limit;
- whatever further rows the subclass adds (:meth:`DeadlineRegister.extra_rows`).

A subclass sets the class attributes (its ``settings_type`` declares its
settings: :class:`DeadlineSettings` plus its own limits) and overrides
:meth:`limits` (and :meth:`check_settings`, :meth:`timeliness_keys`,
:meth:`extra_rows` when needed).  A region's variant of a register usually
only presets headers (``preset_columns``) and the defaults of its settings
class.
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
    COMMON_SETTINGS,
    Column,
    Records,
    check_calendar,
    check_order,
    check_unique,
    collected,
    data_keys,
    elapsed,
    load_records,
    period_mask,
    timing_evidence,
)


@attrs.frozen(kw_only=True)
class DeadlineSettings(TableSettings):
    """Settings of a deadline register: the table settings plus the period filter.

    Attributes:
        limit: the limit in working days (subclasses set the default).
        period_only: count only items received in the assessed period (default true).
    """

    limit: float = 20
    period_only: bool = True


class DeadlineRegister:
    """Base collector of a deadline register (时限台账); see the module docstring.

    Class attributes:
        name: the collector's name.
        columns: the canonical columns (``unit``, ``id``, ``received``, ``replied`` at least).
        default_keys: role → default data key (``timeliness`` and :attr:`late_role` at least).
        optional_keys: roles emitted only when listed in ``keys``.
        settings_type: the attrs class the ``[collectors.<name>]`` table is
            structured into (unknown keys and wrong types refused).
        preset_columns: headers preset by a region (``{规范列名: 表头}``); the
            config's ``columns`` override them one column at a time.
        id_label: what an item number is called (``留言编号``).
        order_message: the error when a reply predates its item (``答复早于来信``).
        late_role: the role of the late rows (``overdue``, ``late``).
        late_note: appended to the evidence of a late row (``，超期``).
    """

    name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    default_keys: ClassVar[dict[str, str]]
    optional_keys: ClassVar[tuple[str, ...]] = ()
    settings_type: ClassVar[type] = DeadlineSettings
    preset_columns: ClassVar[dict[str, str]] = {}
    id_label: ClassVar[str] = "编号"
    order_message: ClassVar[str] = "答复早于收到"
    late_role: ClassVar[str] = "late"
    late_note: ClassVar[str] = "，超期"

    def collect(self, settings: Mapping[str, Any] | Any, ctx: CollectContext) -> pd.DataFrame:
        """Read the register in ``settings`` and return evidence rows."""
        path = f"collectors.{self.name}"
        if isinstance(settings, Mapping):
            settings = structure_settings(
                settings, self.settings_type, table=path, file=ctx.config_file
            )
        settings = settings_mapping(settings)
        if self.preset_columns:
            settings["columns"] = {**self.preset_columns, **settings.get("columns", {})}
        own = tuple(k for k in settings if k not in COMMON_SETTINGS)
        records = load_records(settings, ctx, self.columns, path=path, extra=own)
        state = self.check_settings(records, settings, ctx, path)
        keys = data_keys(settings, self.default_keys, path, ctx, self.optional_keys)
        self.check_keys(records, settings, keys, state, ctx, path)
        check_unique(records, ["id"], self.id_label)
        check_order(records, "received", "replied", self.order_message)
        check_calendar(records, ctx, ["received", "replied"])

        f = records.frame
        f = f.loc[period_mask(settings, ctx, f["received"], path)].reset_index(drop=True)
        days, open_ = elapsed(ctx, f["received"], f["replied"])
        lim, label, note = self.limits(records, f, state)
        evidence = timing_evidence(
            ctx, label + f["id"], f["received"], f["replied"], days, lim, note=note
        )
        text = np.where(open_, "未答复", "")

        frames = []
        key = self.timeliness_keys(f, keys, state)
        if key is not None:
            rows = evidence_rows(
                f["unit"], key, days, text=text, evidence=evidence, source=f["_source"]
            )
            frames.append(rows.loc[rows["key"] != ""] if isinstance(key, np.ndarray) else rows)
        if self.late_role in keys:
            late = days > lim
            frames.append(
                evidence_rows(
                    f["unit"][late],
                    keys[self.late_role],
                    1.0,
                    text=np.where(open_[late], "未答复", "超期"),
                    evidence=evidence[late] + self.late_note,
                    source=f["_source"][late],
                )
            )
        frames.extend(self.extra_rows(records, f, open_, keys, settings, ctx))
        return collected(frames)

    # -- what a subclass adapts ------------------------------------------
    def check_settings(
        self, records: Records, settings: Mapping[str, Any], ctx: CollectContext, path: str
    ) -> Any:
        """Validate the collector's own settings; return what :meth:`limits` needs."""
        return None

    def check_keys(
        self,
        records: Records,
        settings: Mapping[str, Any],
        keys: dict[str, str],
        state: Any,
        ctx: CollectContext,
        path: str,
    ) -> None:
        """Refuse roles the register cannot provide (e.g. a flag column that is absent)."""

    def limits(
        self, records: Records, f: pd.DataFrame, state: Any
    ) -> tuple[np.ndarray, pd.Series | str, pd.Series | str]:
        """Per item: the limit in working days, the label before its number, a note."""
        raise NotImplementedError

    def timeliness_keys(
        self, f: pd.DataFrame, keys: dict[str, str], state: Any
    ) -> np.ndarray | str | None:
        """The data key of each item's timeliness row (``None``: not emitted)."""
        return keys.get("timeliness")

    def extra_rows(
        self,
        records: Records,
        f: pd.DataFrame,
        open_: np.ndarray,
        keys: dict[str, str],
        settings: Mapping[str, Any],
        ctx: CollectContext,
    ) -> list[pd.DataFrame]:
        """Further evidence rows after the timeliness and late rows."""
        return []
