"""The collector ``score_sheet`` (评分汇总表): one row per unit, one column per indicator.

Reviewers and inspection teams usually keep a wide sheet — 单位 | 指标1 |
指标2 | … — rather than a long table.  ``columns`` maps each data key to its
header; every non-blank cell becomes one evidence row:

* a number → ``value``; any other text → ``text`` (levels, checklist parts);
* 不适用 / 不涉及 / ``/`` → status ``na``;
* a blank cell → no row (the engine treats it per the rubric's missing policy).

Remarks: ``evidence_columns = { key = "备注列" }`` gives an indicator its own
remark column (the reviewer's reason for the score, shown as 失分原因);
``evidence_column`` is one remark per unit, attached to every cell of its row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import STATUS_NA, STATUS_OK, CollectContext, evidence_rows
from zwgk_score.collect.generic import NA_VALUES
from zwgk_score.collect.settings import ExportSettings, declared_settings
from zwgk_score.collect.tables import (
    MAX_VALUE,
    Column,
    collected,
    config_error,
    finite_numbers,
    load_records,
    to_numbers,
)


@attrs.frozen(kw_only=True)
class ScoreSheetSettings(ExportSettings):
    """``[collectors.score_sheet]``: the sheet, ``columns`` = ``{数据键 = "表头"}`` and its remarks.

    Attributes:
        unit_column: the header of the unit column (default 单位).
        evidence_column: one remark column per unit, attached to every cell of its row.
        evidence_columns: ``{数据键 = "备注列表头"}``: an indicator's own remark column.
    """

    unit_column: str = "单位"
    evidence_column: str | None = None
    evidence_columns: dict[str, str] = attrs.field(factory=dict)


class ScoreSheetCollector:
    """Collector ``score_sheet``: a wide sheet (单位 × 指标) typed in by reviewers."""

    name = "score_sheet"

    def collect(
        self, settings: Mapping[str, Any] | ScoreSheetSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Read the sheet named in ``settings`` and return one evidence row per filled cell."""
        path = f"collectors.{self.name}"
        s = declared_settings(settings, ScoreSheetSettings, self.name, ctx)
        mapping, remarks = s.columns, s.evidence_columns
        if not mapping:
            raise config_error(
                ctx,
                f"{path}.columns",
                "须用 columns 列出「数据键 = 表头」",
                hint='如 columns = { meeting_attend = "列席次数", D1_1 = "政策解读" }',
            )
        unit_header, evidence_header = s.unit_column, s.evidence_column
        for key, value in (("unit_column", unit_header), ("evidence_column", evidence_header)):
            if value is not None and not value.strip():
                raise config_error(ctx, f"{path}.{key}", f"{key} 应为表头名称")
        for key, header in remarks.items():
            if not header.strip():
                raise config_error(
                    ctx,
                    f"{path}.evidence_columns.{key}",
                    "evidence_columns 应为「数据键 = 备注列表头」",
                    hint='如 evidence_columns = { interp = "解读质量说明" }',
                )
            if key not in mapping:
                raise config_error(
                    ctx,
                    f"{path}.evidence_columns.{key}",
                    f"数据键「{key}」不在 columns 中",
                    hint="先在 columns 中列出该数据键的评分列",
                )
        cols = [Column("unit", unit_header, label="单位")]
        cols += [
            Column(str(key), str(key), blank_ok=True, label=str(header))
            for key, header in mapping.items()
        ]
        cols += [
            Column(f"_ev_{key}", f"_ev_{key}", blank_ok=True, label=str(h))
            for key, h in remarks.items()
        ]
        if evidence_header:
            cols.append(Column("_evidence", evidence_header, blank_ok=True, label="备注/佐证"))
        inner = attrs.evolve(
            s, columns={**mapping, **{f"_ev_{key}": h for key, h in remarks.items()}}
        )
        records = load_records(inner, ctx, cols, path=path)
        f = records.frame
        keys = [str(key) for key in mapping]
        n = len(f)
        # every indicator column at once, column after column (the order of the evidence rows)
        cells = pd.concat([f[key] for key in keys], ignore_index=True).astype(str)
        filled = (cells != "").to_numpy()
        na = cells.str.lower().isin(NA_VALUES).to_numpy()
        number = to_numbers(cells.where(filled & ~na)).to_numpy(dtype=float)
        bad = np.isinf(number) | (np.abs(np.nan_to_num(number)) > MAX_VALUE)
        if bad.any():  # the first offending column reports its first offending cell
            k = int(np.flatnonzero(bad)[0]) // n
            part = slice(k * n, (k + 1) * n)
            finite_numbers(records, keys[k], cells.iloc[part].reset_index(drop=True), number[part])
        is_text = filled & ~na & np.isnan(number)
        blank_remark = np.full(n, "", dtype=object)
        remark = f["_evidence"].to_numpy(dtype=object) if evidence_header else blank_remark
        evidence = np.concatenate(
            [
                f[f"_ev_{key}"].to_numpy(dtype=object) if key in remarks else remark
                for key in mapping
            ]
        )
        row_source = f["_source"].to_numpy(dtype=object)
        source = np.concatenate([row_source + f"，列 {mapping[key]}" for key in mapping])
        return collected(
            [
                evidence_rows(
                    np.tile(f["unit"].to_numpy(dtype=object), len(keys))[filled],
                    np.repeat(np.array(keys, dtype=object), n)[filled],
                    number[filled],
                    text=cells.where(is_text, "")[filled],
                    status=np.where(na, STATUS_NA, STATUS_OK)[filled],
                    evidence=evidence[filled],
                    source=source[filled],
                )
            ]
        )
