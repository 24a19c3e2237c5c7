"""The contract between collectors and the scoring engine.

A collector reads one kind of data export and returns *evidence rows*, one
row per observation, in the long table the engine scores (指标数据长表):

========  =========================================================
column    meaning
========  =========================================================
unit      unit name exactly as in the roster (单位)
key       the data key an indicator reads (数据键, ``data`` in the rubric)
value     number: a count, a ratio, a score, days taken … (数值)
text      text value: a level label, checklist parts ``a;b`` (文本)
status    ``ok`` | ``na`` (不适用) | ``missing`` (缺失)
evidence  human-readable evidence, shown as 失分原因 / 佐证 (佐证)
source    where the row came from: ``file:row`` or a URL (来源)
========  =========================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.workdays import WorkCalendar

EVIDENCE_COLUMNS = ("unit", "key", "value", "text", "status", "evidence", "source")
STATUS_OK = "ok"
STATUS_NA = "na"
STATUS_MISSING = "missing"
#: suffix of the data key under which a unit's self-assessment (自评分) of an indicator is given
SELF_SUFFIX = ".self"


@attrs.frozen
class CollectContext:
    """What a collector knows about the run (采集上下文).

    Attributes:
        year: assessment year (考核年度).
        quarter: 1–4 for a quarterly inspection, ``None`` for the annual one.
        period_start: first day of the assessed period.
        period_end: last day of the assessed period (the inspection date).
        base_dir: directory relative paths in the settings are resolved against.
        units: roster unit names (单位名单), in roster order.
        calendar: working-day calendar (工作日历) for timeliness rules.
        config_file: the assessment config file, for error messages.
    """

    year: int
    quarter: int | None
    period_start: date
    period_end: date
    base_dir: Path
    units: tuple[str, ...]
    calendar: WorkCalendar
    config_file: Path | None = None

    def resolve(self, path: str | Path) -> Path:
        """Resolve a path from the settings against :attr:`base_dir`."""
        p = Path(path)
        return p if p.is_absolute() else self.base_dir / p


@runtime_checkable
class Collector(Protocol):
    """A collector (采集器): ``name`` plus ``collect(settings, ctx) -> DataFrame``.

    ``settings`` is the collector's table from the assessment config (paths of
    the exports, column mappings, thresholds): an instance of the collector's
    ``settings_type`` (an attrs class) when it declares one, else a mapping.  The returned frame has the
    columns :data:`EVIDENCE_COLUMNS`; build it with :func:`evidence_frame`.
    Bad input raises :class:`zwgk_score.errors.DataError` naming the file,
    the row and the column; rows are never dropped silently.
    """

    name: str

    def collect(self, settings: Any, ctx: CollectContext) -> pd.DataFrame: ...


def evidence_frame(rows: Iterable[Mapping[str, Any]] | pd.DataFrame = ()) -> pd.DataFrame:
    """Build an evidence table with the standard columns and dtypes.

    Missing columns get defaults: ``value`` NaN, ``text``/``evidence``/``source``
    empty, ``status`` ``ok``.
    """
    df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    defaults: dict[str, Any] = {
        "unit": "",
        "key": "",
        "value": float("nan"),
        "text": "",
        "status": STATUS_OK,
        "evidence": "",
        "source": "",
    }
    for col, default in defaults.items():
        if col not in df.columns:
            df[col] = default
    # (a frame already in the standard columns and a default index, as evidence_rows builds
    # it, is kept: selecting and re-indexing it would copy it again for the same frame)
    standard = list(df.columns) == list(EVIDENCE_COLUMNS)
    default_index = isinstance(df.index, pd.RangeIndex) and df.index.equals(pd.RangeIndex(len(df)))
    if not (standard and default_index):
        df = df[list(EVIDENCE_COLUMNS)].reset_index(drop=True)
    if df["value"].dtype != "float64":
        df["value"] = pd.to_numeric(df["value"], errors="raise").astype("float64")
    for col in TEXT_COLUMNS:
        before = df[col]
        after = text_column(before, status=col == "status")
        if after is not before:  # (setting a column costs more than checking it)
            df[col] = after
    out: pd.DataFrame = df
    return out


#: the columns of strings (every one but ``value``)
TEXT_COLUMNS = ("unit", "key", "text", "status", "evidence", "source")


def text_column(col: pd.Series, *, status: bool = False) -> pd.Series:
    """A column of strings as :func:`evidence_frame` makes it: missing values become ``""``,
    other values their ``str``; with ``status`` a blank becomes ``ok``.

    Element by element, so converting some rows of a column gives what converting the
    whole column gives at those rows (the engine converts only the rows it reads).
    """
    # fast path: a column of plain strings (what collectors emit) is kept as it is
    if not _plain_strings(col):
        col = col.astype(object).where(col.notna(), "").astype(str)
    if status:
        blank = col == ""
        if blank.any():
            col = col.copy()
            col[blank] = STATUS_OK
    return col


def _plain_strings(col: pd.Series) -> bool:
    """Whether every cell of ``col`` is a string (none missing).

    An object column that pandas infers as ``string`` with ``skipna=False``
    holds no missing value (those make it ``mixed``), so only other dtypes
    (pandas' own string dtype) need the separate ``isna`` pass.
    """
    if isinstance(col.dtype, pd.StringDtype):  # strings by construction, or missing
        return not col.array.isna().any()  # (the array's mask: no Series built for it)
    if pd.api.types.infer_dtype(col, skipna=False) != "string":
        return False
    return pd.api.types.is_object_dtype(col.dtype) or not col.isna().any()


def evidence_rows(
    unit: Any,
    key: Any,
    value: Any = float("nan"),
    *,
    text: Any = "",
    status: Any = STATUS_OK,
    evidence: Any = "",
    source: Any = "",
) -> pd.DataFrame:
    """Evidence rows from columns (arrays, Series, lists) or scalars broadcast over them.

    ``evidence_rows(f["unit"], "hotline_overdue", 1.0, evidence=texts, source=f["_source"])``
    builds one row per element of the array arguments; with only scalars it
    builds a single row.  Series are taken by position (their index is ignored).
    """
    cols: dict[str, Any] = {
        "unit": unit,
        "key": key,
        "value": value,
        "text": text,
        "status": status,
        "evidence": evidence,
        "source": source,
    }
    n: int | None = None
    for name, col in cols.items():
        if isinstance(col, str | bytes) or not hasattr(col, "__len__"):
            continue
        if isinstance(col, pd.Series):
            col = col.to_numpy()
        col = list(col) if not hasattr(col, "dtype") else col
        if n is not None and len(col) != n:
            raise ValueError(f"evidence_rows: column {name!r} has {len(col)} rows, expected {n}")
        n = len(col)
        cols[name] = col
    if n is None:
        cols = {name: [col] for name, col in cols.items()}
        n = 1
    return evidence_frame(pd.DataFrame(cols, index=pd.RangeIndex(n)))
