"""Collector ``liaocheng_quarter_scope``: what a quarterly inspection (季度督查) covers.

聊城's 保障措施(四) runs a quarterly inspection (每季度督查并通报) scored on
the same rubric as the year-end assessment, but each quarter checks only some
items (the website, new media, 我为政府网站找错 messages …).  This collector
reads the rubric of the run and declares every indicator *not* listed in
``inspected`` not applicable (不适用) for every unit, so the quarter's total is
the points obtained on the inspected items rescaled to 100 (折算).

Settings: ``inspected`` (data keys or indicator ids), optional ``rubric``
(path; default: the rubric of the assessment config) and ``note`` (evidence
text of the not-applicable rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from zwgk_score.plugin import (
    STATUS_NA,
    CollectContext,
    config_error,
    config_rubric_file,
    declared_settings,
    evidence_frame,
    load_rubric,
)


@attrs.frozen(kw_only=True)
class QuarterScopeSettings:
    """Settings of ``liaocheng_quarter_scope``; see the module docstring."""

    inspected: list[str] = attrs.field(factory=list)
    rubric: str | None = None
    note: str | None = None


def _rubric_path(settings: QuarterScopeSettings, ctx: CollectContext, path: str) -> Path:
    if settings.rubric is not None:
        return ctx.resolve(settings.rubric)
    if ctx.config_file is None:
        raise config_error(
            ctx, f"{path}.rubric", "未给出考核细则", hint='设置 rubric = "细则.toml"'
        )
    return config_rubric_file(ctx)


class QuarterScopeCollector:
    """Collector ``liaocheng_quarter_scope`` (季度督查范围): not-inspected items become 不适用."""

    name = "liaocheng_quarter_scope"

    def collect(
        self, settings: Mapping[str, Any] | QuarterScopeSettings, ctx: CollectContext
    ) -> pd.DataFrame:
        """Return one ``na`` row per unit for every rubric data key the quarter does not inspect."""
        path = f"collectors.{self.name}"
        settings = declared_settings(settings, QuarterScopeSettings, self.name, ctx)
        inspected = settings.inspected
        if not inspected:
            raise config_error(
                ctx,
                f"{path}.inspected",
                "inspected 应为本季度督查的指标（数据键或指标编号）列表",
                hint='如 inspected = ["site_availability", "T34a"]',
            )
        rubric = load_rubric(_rubric_path(settings, ctx, path))
        leaves = [n for n in rubric.nodes() if n.is_leaf]
        by_id = {leaf.id: leaf.data for leaf in leaves}
        keys = list(dict.fromkeys(leaf.data for leaf in leaves))
        chosen = set()
        for i, item in enumerate(inspected):
            key = by_id.get(item, item)
            if key not in keys:
                raise config_error(
                    ctx,
                    f"{path}.inspected[{i}]",
                    f"「{item}」不是考核细则中的指标编号或数据键",
                    hint="检查拼写；数据键见细则中各指标的 data",
                )
            chosen.add(key)
        period = f"{ctx.year}年第{ctx.quarter}季度" if ctx.quarter else f"{ctx.year}年度"
        note = settings.note
        if note is None:
            note = f"{period}督查未检查此项，按不适用处理（按已检查项目折算）"
        skipped = [k for k in keys if k not in chosen]
        return evidence_frame(
            {"unit": u, "key": k, "status": STATUS_NA, "evidence": note, "source": "季度督查范围"}
            for k in skipped
            for u in ctx.units
        )
