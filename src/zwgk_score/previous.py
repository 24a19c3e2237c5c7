"""The previous period's result (上期结果), read back from its ``results.json``.

Rank changes (排名变化) and the most-improved units (进步较快单位) compare
this period with the last one.  Within a run the quarters compare with each
other directly; across runs (this year against last year) the assessment
config names last period's ``results.json``::

    [assessment]
    previous = "../2022/out/results.json"
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pandas as pd

from zwgk_score.errors import DataError
from zwgk_score.results import SCHEMA_VERSION


@attrs.frozen
class PreviousPeriod:
    """What a comparison needs of a previous period: its summary (unit, group, total, rank, grade)."""

    summary: pd.DataFrame
    period: str | None = None


def load_previous(path: str | Path) -> PreviousPeriod:
    """Read a ``results.json`` written by zwgk-score (schema in docs/results.md).

    Raises:
        DataError: the file is missing, not JSON, or not a zwgk-score result.
    """
    p = Path(path)
    hint = "给出上期考核输出目录中的 results.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("上期结果文件不存在", file=p, hint=hint) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"上期结果文件不是有效的 JSON：{exc}", file=p, hint=hint) from None
    if (
        not isinstance(data, dict)
        or data.get("schema") != SCHEMA_VERSION
        or not isinstance(data.get("units"), list)
    ):
        raise DataError(
            "不是 zwgk-score 的考核结果文件（或版本不符）", file=p, path="schema", hint=hint
        )
    rows = []
    for i, u in enumerate(data["units"]):
        try:
            rows.append(
                {
                    "unit": str(u["unit"]),
                    "group": str(u["group"]),
                    "total": u["total"],
                    "rank": int(u["rank"]),
                    "grade": str(u["grade"]),
                }
            )
        except (KeyError, TypeError, ValueError):
            raise DataError("单位记录不完整", file=p, path=f"units[{i}]", hint=hint) from None
    summary = pd.DataFrame(rows, columns=["unit", "group", "total", "rank", "grade"])
    summary["total"] = pd.to_numeric(summary["total"]).astype(float)
    return PreviousPeriod(summary, data.get("period"))
