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
from typing import Any, NewType

import attrs
import pandas as pd

from zwgk_score.errors import DataError
from zwgk_score.results import SCHEMA_VERSION
from zwgk_score.structure import (
    MAX_NESTING,
    Invalid,
    check_nesting,
    make_converter,
    read_text_file,
    structure,
)

_HINT = "给出上期考核输出目录中的 results.json"
_Schema = NewType("_Schema", int)


def _structure_schema(value: Any, _type: Any) -> int:
    if value != SCHEMA_VERSION or isinstance(value, bool):
        raise Invalid("不是 zwgk-score 的考核结果文件（或版本不符）", hint=_HINT)
    return SCHEMA_VERSION


@attrs.frozen
class PreviousUnit:
    """One unit of last period's ranking."""

    unit: str
    group: str
    #: ``None`` when the unit had no total (an explicit null in results.json)
    total: float | None
    rank: int
    grade: str


@attrs.frozen
class PreviousRubric:
    """Which rubric the previous result was scored with."""

    id: str
    year: int | None = None


@attrs.frozen
class PreviousFile:
    """The part of a ``results.json`` a comparison reads (other keys are left alone)."""

    schema: _Schema
    units: list[PreviousUnit]
    period: str | None = None
    rubric: PreviousRubric | None = None


# results.json carries much more than a comparison reads: unknown keys are skipped, not refused
_CONVERTER = make_converter(forbid_extra_keys=False)
_CONVERTER.register_structure_hook(_Schema, _structure_schema)


@attrs.frozen
class PreviousPeriod:
    """What a comparison needs of a previous period: its summary (unit, group, total, rank, grade)."""

    summary: pd.DataFrame
    period: str | None = None
    #: the id of the rubric the previous period was scored with (None: not recorded)
    rubric_id: str | None = None
    file: Path | None = None


def load_previous(path: str | Path) -> PreviousPeriod:
    """Read a ``results.json`` written by zwgk-score (schema in docs/results.md).

    Raises:
        DataError: the file is missing, a directory, not JSON, nested deeper
            than :data:`~zwgk_score.structure.MAX_NESTING`, or not a
            zwgk-score result (naming the key, e.g. ``units[3].rank``).
    """
    p = Path(path)
    text = read_text_file(p, error=DataError, what="上期结果文件")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"上期结果文件不是有效的 JSON：{exc.msg}",
            file=p,
            line=exc.lineno,
            column=exc.colno,
            hint=_HINT,
        ) from None
    except RecursionError:
        raise DataError(
            f"上期结果文件嵌套过深（超过 {MAX_NESTING} 层）", file=p, hint=_HINT
        ) from None
    check_nesting(data, error=DataError, file=p)
    raw = structure(data, PreviousFile, error=DataError, file=p, hint=_HINT, converter=_CONVERTER)
    summary = pd.DataFrame(
        [attrs.astuple(u) for u in raw.units], columns=["unit", "group", "total", "rank", "grade"]
    )
    summary["total"] = pd.to_numeric(summary["total"]).astype(float)
    return PreviousPeriod(summary, raw.period, raw.rubric.id if raw.rubric else None, p)
