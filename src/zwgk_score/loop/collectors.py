"""Built-in collectors ``self_assessment`` (收回的自评表) and ``review`` (收回的复核表).

```toml
[collectors.self_assessment]
folder = "returned/自评"      # the returned 自评表_<单位>.xlsx
invalid = "error"            # error（默认：有无效表单时列出全部问题并停止）| skip（跳过无效表单）

[collectors.review]
folder = "returned/复核"
```

Self-scores become rows under ``<数据键>.self`` (shown beside the score,
never scored); review results become the rows the indicator's method reads:
the level (分档), 1/0 (是否达标), the completed parts (分项) or the score
(评审打分), with the 扣分理由 as evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from zwgk_score.collect.base import SELF_SUFFIX, STATUS_NA, CollectContext, evidence_frame
from zwgk_score.errors import ConfigError, DataError

if TYPE_CHECKING:
    from zwgk_score.loop.context import LoopContext
    from zwgk_score.loop.readback import ReturnedForm

# the ledger (SQLAlchemy, Alembic) and the form reader (openpyxl) are imported when a
# collector runs: every run registers these collectors, few assessments use them


def _context(ctx: CollectContext) -> LoopContext:
    from zwgk_score.loop.context import load_context

    if ctx.config_file is None:
        raise ConfigError("表单采集器需要考核配置文件", hint="通过 zwgk-score run CONFIG 运行")
    return load_context(ctx.config_file)


def _forms(
    name: str, kind: str, settings: Mapping[str, Any], ctx: CollectContext
) -> list[ReturnedForm]:
    folder = settings.get("folder")
    if not isinstance(folder, str):
        raise ConfigError(
            "须用 folder 给出收回表单所在目录",
            file=ctx.config_file,
            path=f"collectors.{name}.folder",
            hint='如 folder = "returned/自评"',
        )
    path = ctx.resolve(folder)
    if not path.is_dir():
        raise ConfigError(
            "收回表单目录不存在",
            file=ctx.config_file,
            path=f"collectors.{name}.folder",
            hint=f"建立目录 {path}，把收回的表单放入其中",
        )
    invalid = settings.get("invalid", "error")
    if invalid not in ("error", "skip"):
        raise ConfigError(
            "invalid 应为 error 或 skip", file=ctx.config_file, path=f"collectors.{name}.invalid"
        )
    from zwgk_score.loop.readback import read_folder

    loop = _context(ctx)
    try:
        forms = read_folder(loop, path, kind)
    finally:
        loop.close()
    bad = [p for f in forms if f.status == "invalid" for p in f.problems]
    if bad and invalid == "error":
        more = "\n".join(str(p) for p in bad[1:])
        raise DataError(
            f"{bad[0].message}" + (f"（另有 {len(bad) - 1} 处问题：\n{more}）" if more else ""),
            file=path / bad[0].file,
            path=f"工作表 {bad[0].sheet}，单元格 {bad[0].cell}" if bad[0].cell else None,
            hint=f'退回报送单位更正；或设置 [collectors.{name}] invalid = "skip" 跳过无效表单（zwgk-score status 查看全部）',
        )
    return [f for f in forms if f.usable]


class SelfAssessmentCollector:
    """Collector ``self_assessment``: a folder of returned 自评表."""

    name = "self_assessment"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        from zwgk_score.ledger.schema import FORM_SELF

        loop = _context(ctx)
        keys = {leaf.id: str(leaf.data) for leaf in loop.rubric.leaves}
        loop.close()
        rows = []
        for form in _forms(self.name, FORM_SELF, settings, ctx):
            for v in form.values:
                note = "；".join(x for x in (v["note"], v["evidence"]) if x)
                rows.append(
                    {
                        "unit": v["unit"],
                        "key": keys[v["indicator"]] + SELF_SUFFIX,
                        "value": v["score"],
                        "evidence": f"自评：{note}" if note else "",
                        "source": f"{form.path.name} 单元格 {v['cell']}",
                    }
                )
        return evidence_frame(rows)


class ReviewCollector:
    """Collector ``review``: a folder of returned 复核表."""

    name = "review"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        from zwgk_score.ledger.schema import FORM_REVIEW
        from zwgk_score.loop.layout import YES

        loop = _context(ctx)
        rubric = loop.rubric
        loop.close()
        rows = []
        for form in _forms(self.name, FORM_REVIEW, settings, ctx):
            for v in form.values:
                leaf = rubric.node(v["indicator"])
                row: dict[str, Any] = {
                    "unit": v["unit"],
                    "key": leaf.data,
                    "evidence": v["reason"],
                    "source": f"{form.path.name} 单元格 {v['cell']}",
                }
                if v.get("na"):
                    row["status"] = STATUS_NA
                elif leaf.method == "manual":
                    row["value"] = v["score"]
                elif leaf.method == "binary":
                    row["value"] = 1.0 if v["choice"] == YES else 0.0
                else:
                    row["text"] = v["choice"]
                rows.append(row)
        return evidence_frame(rows)


__all__ = ["SelfAssessmentCollector", "ReviewCollector"]
