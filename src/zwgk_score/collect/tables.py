"""Reading office exports for the built-in collectors (读取台账与导出表).

Every built-in collector reads a CSV or XLSX export, maps the office's own
column headers onto canonical names, parses dates and flags in one vectorised
pass and validates every row.  A bad row raises :class:`DataError` naming the
file, the row as the user sees it in Excel (header = row 1) and the column,
with a hint; rows are never dropped silently.

Settings shared by every collector (``[collectors.<name>]``):

- ``file``: the export (CSV in UTF-8 or GB18030, or XLSX).
- ``sheet``: XLSX sheet name or 0-based index (default: the first sheet).
- ``header_row``: the row holding the column headers (default 1).
- ``columns``: ``{canonical name = "表头"}`` overriding the default headers.
- ``aliases``: ``{"导出表中的单位名" = "名单中的单位名"}``.
- ``skip_units``: unit names in the export that are deliberately not assessed.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd

from zwgk_score.collect.base import CollectContext, evidence_frame
from zwgk_score.collect.settings import settings_mapping
from zwgk_score.crosscheck import check_period_rows
from zwgk_score.errors import ConfigError, DataError

#: Settings every table-reading collector accepts.
COMMON_SETTINGS = (
    "file",
    "sheet",
    "header_row",
    "encoding",
    "columns",
    "aliases",
    "skip_units",
    "control_chars",
    "long_cells",
)

#: the longest text an Excel cell holds; longer cells are refused (or, on request, cut and flagged)
MAX_CELL = 32767
#: the largest magnitude a value may have (counts, ratios, days, points); larger ones are typos
MAX_VALUE = 1e12
#: control characters other than tab, newline and carriage return
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"

TRUE_WORDS = ("是", "有", "y", "yes", "true", "1", "1.0", "√", "✓", "✔", "对", "已")
FALSE_WORDS = ("否", "无", "n", "no", "false", "0", "0.0", "×", "✗", "-", "—", "")

MULTI_SEPARATORS = r"\s*[、,，;；/／]\s*"
DATE_HINT = "日期请写成 2023-09-28、2023/9/28 或 2023年9月28日（可带时间）"


@attrs.frozen
class Column:
    """A canonical column a collector reads (规范列).

    Attributes:
        name: canonical name used in settings (``columns.<name>``) and code.
        header: default header in the export (Chinese).
        kind: ``text`` | ``date`` | ``flag`` | ``number``.
        required: the column must exist in the export.
        blank_ok: blank cells are allowed (dates: NaT, flags: False, numbers: NaN).
        label: what the column means, for error messages.
        multi: a text cell may name several values separated by 、，；/ (e.g.
            several responsible units); the row is repeated for each.
    """

    name: str
    header: str
    kind: str = "text"
    required: bool = True
    blank_ok: bool = False
    label: str = ""
    multi: bool = False


@attrs.frozen
class Records:
    """A validated export (已校验的记录).

    Attributes:
        frame: one row per data row; canonical columns plus ``_row`` (row
            number in the file) and ``_source`` (``file:row``).  Absent
            optional columns are missing from the frame.
        file: the resolved file path.
        headers: canonical name → header actually read.
    """

    frame: pd.DataFrame
    file: Path
    headers: dict[str, str]

    def has(self, name: str) -> bool:
        """Whether the optional column ``name`` is present."""
        return name in self.headers

    def where(self, pos: int, name: str) -> str:
        """Location text ``第 N 行，列 表头`` of positional row ``pos``."""
        row = int(self.frame["_row"].to_numpy()[pos])
        return f"第 {row} 行，列 {self.headers.get(name, name)}"

    def error(self, pos: int, name: str, message: str, hint: str | None = None) -> DataError:
        """A :class:`DataError` at positional row ``pos`` and column ``name``."""
        return DataError(message, file=self.file, path=self.where(pos, name), hint=hint)


# ---------------------------------------------------------------- settings


def config_error(
    ctx: CollectContext, path: str, message: str, hint: str | None = None
) -> ConfigError:
    """A :class:`ConfigError` in the assessment config at ``path``."""
    return ConfigError(message, file=ctx.config_file, path=path, hint=hint)


def check_keys(
    table: Mapping[str, Any], allowed: Iterable[str], path: str, ctx: CollectContext
) -> None:
    """Refuse unknown keys in a settings table (typos must not pass silently)."""
    if not isinstance(table, Mapping):
        raise config_error(ctx, path, "应为表（键 = 值）", hint=f"写成 [{path}]")
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            raise config_error(
                ctx,
                f"{path}.{key}",
                f"未知的设置项「{key}」",
                hint=f"可用的设置项：{'、'.join(allowed)}",
            )


def number_setting(
    settings: Mapping[str, Any] | Any,
    key: str,
    default: float | None,
    path: str,
    ctx: CollectContext,
) -> float | None:
    """A non-negative number setting (e.g. a limit in working days)."""
    value = settings_mapping(settings).get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise config_error(ctx, f"{path}.{key}", f"「{value}」不是非负数", hint="填写数字，如 5")
    return float(value)


def data_keys(
    settings: Mapping[str, Any] | Any,
    defaults: Mapping[str, str],
    path: str,
    ctx: CollectContext,
    optional: Iterable[str] = (),
) -> dict[str, str]:
    """The data keys to emit, by role (数据键).

    Without ``keys`` every role is emitted under its default key; with
    ``keys`` only the roles listed are emitted (so a rubric that scores only
    some of them does not meet unknown keys).  ``optional`` roles are never
    emitted by default.
    """
    raw = settings_mapping(settings).get("keys")
    if raw is None:
        return dict(defaults)
    check_keys(raw, (*defaults, *optional), f"{path}.keys", ctx)
    out = {}
    for role, key in raw.items():
        if not isinstance(key, str) or not key.strip():
            raise config_error(ctx, f"{path}.keys.{role}", "数据键应为非空字符串", hint='如 "D3.2"')
        out[role] = key.strip()
    return out


# ---------------------------------------------------------------- reading


def read_export(
    file: Path,
    *,
    sheet: str | int | None = None,
    header_row: int = 1,
    encoding: str | None = None,
    control_chars: str = "error",
    long_cells: str = "error",
    error: type[DataError] = DataError,
) -> pd.DataFrame:
    """Read a CSV or XLSX export with every cell as text or a native date, blank rows kept.

    This is the one reader of every table (exports, rosters, long data
    tables).  Cells are checked strictly (:func:`clean_cells`): control
    characters and cells over :data:`MAX_CELL` characters are refused with
    the file, row and column, unless ``control_chars = "strip"`` or
    ``long_cells = "truncate"`` asks to repair them; repaired rows are listed
    in ``frame.attrs["repaired"]`` (row number → what was done).
    """
    if file.is_dir():
        raise error("应为文件，而这是一个文件夹", file=file, hint="给出表格文件的路径")
    if not file.is_file():
        raise error(
            "文件不存在", file=file, hint="检查采集器设置中的 file 路径（相对于考核配置文件）"
        )
    raw = _read(file, sheet=sheet, header_row=header_row, encoding=encoding, error=error)
    return clean_cells(
        raw,
        file,
        header_row=header_row,
        control_chars=control_chars,
        long_cells=long_cells,
        error=error,
    )


def _read(
    file: Path,
    *,
    sheet: str | int | None,
    header_row: int,
    encoding: str | None,
    error: type[DataError],
) -> pd.DataFrame:
    suffix = file.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(
                file,
                sheet_name=sheet if sheet is not None else 0,
                header=header_row - 1,
                dtype=object,
            )
        if suffix == ".xls":
            raise error("不支持旧版 .xls 文件", file=file, hint="在 Excel 中另存为 .xlsx 或 CSV")
        return read_csv_text(_decode(file.read_bytes(), encoding), file, header_row, error)
    except DataError:
        raise
    except LookupError as exc:  # an unknown encoding name
        raise ConfigError(
            f"未知的文件编码「{encoding}」：{exc}",
            file=file,
            hint="encoding 一般不必设置（自动识别 UTF-8 和 GBK/GB18030）；确需设置时写 gb18030 或 utf-8",
        ) from None
    except (ValueError, KeyError, UnicodeDecodeError, csv.Error, OSError) as exc:
        raise error(
            f"无法读取表格：{exc}",
            file=file,
            hint="请使用 CSV（UTF-8 或 GBK）或 XLSX 文件；检查 sheet 名称",
        ) from None


def _decode(data: bytes, encoding: str | None) -> str:
    """The text of a CSV file: ``encoding`` when given, else UTF-8 (with or without BOM) or GB18030."""
    if encoding:
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_csv_text(
    text: str, file: Path, header_row: int = 1, error: type[DataError] = DataError
) -> pd.DataFrame:
    """Parse CSV text into a frame of text cells (the CSV half of :func:`read_export`).

    The standard library's :mod:`csv` module splits the records, so every
    cell arrives exactly as written, whatever the pandas version: a NUL or
    another control character stays in its cell for :func:`clean_cells` to
    refuse, a long cell is not cut.  Records before ``header_row`` are
    skipped; blank records are kept (as blank rows), so positions map onto
    the rows the user sees.  A record shorter than the header is padded with
    blank cells; a longer one is refused.  Headers are named as pandas names
    them: a blank header ``Unnamed: i``, a repeated one ``表头.1``.
    """
    stand_in = ""
    if "\x00" in text and sys.version_info < (3, 11):  # pragma: no cover - csv refuses NUL there
        stand_in = next(c for c in map(chr, range(0xFDD0, 0xFDF0)) if c not in text)
        text = text.replace("\x00", stand_in)
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a cell may be as long as the file
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(limit)
    if stand_in:  # pragma: no cover
        records = [[cell.replace(stand_in, "\x00") for cell in rec] for rec in records]
    if len(records) < header_row:
        raise error(
            f"表格中没有第 {header_row} 行（表头行）" if records else "表格为空",
            file=file,
            hint="检查文件是否选对；表头不在第 1 行时设置 header_row",
        )
    names = _header_names(records[header_row - 1])
    width = len(names)
    for i, rec in enumerate(records[header_row:]):
        if len(rec) > width:
            raise error(
                f"这一行有 {len(rec)} 个单元格，多于表头的 {width} 列",
                file=file,
                path=f"第 {i + header_row + 1} 行",
                hint="多为单元格中的英文逗号未加引号：在 Excel 中打开后另存为 CSV，或给该表头补上列名",
            )
    body = [rec + [""] * (width - len(rec)) for rec in records[header_row:]]
    frame: pd.DataFrame = pd.DataFrame(body, columns=names, dtype=str)
    return frame


def _header_names(header: list[str]) -> list[str]:
    """Column names of a header record: blank → ``Unnamed: i``, repeated → ``表头.1``, ``表头.2``."""
    names: list[str] = []
    used: set[str] = set()
    for i, cell in enumerate(header):
        base = cell if cell != "" else f"Unnamed: {i}"
        name, n = base, 0
        while name in used:
            n += 1
            name = f"{base}.{n}"
        used.add(name)
        names.append(name)
    return names


def clean_cells(
    raw: pd.DataFrame,
    file: Path,
    *,
    header_row: int = 1,
    control_chars: str = "error",
    long_cells: str = "error",
    error: type[DataError] = DataError,
) -> pd.DataFrame:
    """Refuse (or repair) control characters and over-long cells, naming file, row and column.

    Args:
        control_chars: ``error`` (default) or ``strip`` (remove them and flag the row).
        long_cells: ``error`` (default) or ``truncate`` (cut to :data:`MAX_CELL`
            characters and flag the row).
    """
    if _all_clean(raw):
        return raw
    repaired: dict[int, list[str]] = {}
    out = raw
    for pos, col in enumerate(raw.columns):
        series = raw.iloc[:, pos]
        if series.dtype != object and not pd.api.types.is_string_dtype(series):
            continue
        is_str = series.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if not is_str.any():
            continue
        text = series.where(is_str, "").astype(str)
        bad = text.str.contains(CONTROL, regex=True).to_numpy()
        if bad.any():
            if control_chars != "strip":
                i = _first(bad)
                char = re.search(CONTROL, text.iat[i])
                code = f"U+{ord(char.group()):04X}" if char else "?"
                raise error(
                    f"单元格含控制字符 {code}（不可见字符，多为复制粘贴带入）",
                    file=file,
                    path=f"第 {i + header_row + 1} 行，列 {col}",
                    hint='删除该字符后重新导出；或在采集器设置中写 control_chars = "strip" 自动删除并标注',
                )
            out = out.copy() if out is raw else out
            fixed = text.str.replace(CONTROL, "", regex=True)
            out.iloc[bad, pos] = fixed[bad].to_numpy()
            for i in np.flatnonzero(bad).tolist():
                repaired.setdefault(int(i) + header_row + 1, []).append("已删除控制字符")
            text = fixed
        long = (text.str.len() > MAX_CELL).to_numpy()
        if long.any():
            if long_cells != "truncate":
                i = _first(long)
                raise error(
                    f"单元格有 {len(text.iat[i])} 个字符，超过 Excel 单元格上限 {MAX_CELL}",
                    file=file,
                    path=f"第 {i + header_row + 1} 行，列 {col}",
                    hint='缩短该单元格（长文请放在附件中，表内写文件名）；或在采集器设置中写 long_cells = "truncate" 截断并标注',
                )
            out = out.copy() if out is raw else out
            out.iloc[long, pos] = text[long].str.slice(0, MAX_CELL).to_numpy()
            for i in np.flatnonzero(long).tolist():
                repaired.setdefault(int(i) + header_row + 1, []).append(f"已截断至 {MAX_CELL} 字符")
    if repaired:
        out.attrs["repaired"] = {row: "、".join(what) for row, what in sorted(repaired.items())}
    return out


def _all_clean(raw: pd.DataFrame) -> bool:
    """Whether no text cell of ``raw`` holds a control character or is over :data:`MAX_CELL`.

    One pass over the whole table (the common case: nothing to refuse or repair),
    instead of five pandas operations per column; when it is not clean the
    column-by-column check finds the first offending cell.
    """
    dtypes = raw.dtypes.tolist()
    texts = [
        v
        for pos, dtype in enumerate(dtypes)
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
        for v in raw.iloc[:, pos].to_numpy(dtype=object)
        if isinstance(v, str)
    ]
    if not texts:
        return True
    return max(map(len, texts)) <= MAX_CELL and re.search(CONTROL, "\n".join(texts)) is None


def _stripped(series: pd.Series) -> pd.Series:
    """:func:`_text`, without four pandas operations for a column of plain strings (a CSV's)."""
    values = series.to_numpy(dtype=object)
    if not all(type(v) is str for v in values):
        return _text(series)
    out: pd.Series = pd.Series([v.strip() for v in values], index=series.index, dtype=object)
    return out


def _any_filled(text: pd.DataFrame) -> np.ndarray:
    """Rows of ``text`` (cells already stripped) with at least one non-blank cell."""
    if not len(text.columns):
        return np.zeros(len(text), bool)
    filled = np.zeros(len(text), bool)
    for pos in range(text.shape[1]):
        filled |= text.iloc[:, pos].to_numpy(dtype=object) != ""
    return filled


def _text(series: pd.Series) -> pd.Series:
    """Cells as strings with surrounding whitespace removed ('' for blank).

    The same normalisation as the roster's unit names (:func:`normalise_text`).
    """
    return normalise_text(series.astype("string").fillna(""))


def normalise_text(series: pd.Series) -> pd.Series:
    """Strip surrounding whitespace (including full-width and no-break spaces) from text cells."""
    return series.astype("string").fillna("").str.strip().astype(object)


#: a plain decimal number (ASCII digits, optional sign, fraction and exponent)
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def to_numbers(cells: pd.Series) -> pd.Series:
    """Text cells as float64 (NaN for a blank or non-numeric cell), the same under every pandas.

    ``pd.to_numeric(errors="coerce")``, except that a decimal number too
    large for a float (``1e400``) is read as ±infinity, as pandas 3 reads it,
    and not as NaN (pandas 2.2), so that :func:`finite_numbers` refuses it as
    too large instead of it passing for a word.
    """
    number = pd.to_numeric(cells, errors="coerce").astype("float64")
    unread = np.flatnonzero((number.isna() & cells.notna()).to_numpy())
    if len(unread):
        values = number.to_numpy(copy=True)
        for i in unread.tolist():
            text = str(cells.iat[i]).strip()
            if _DECIMAL.fullmatch(text):
                values[i] = float(text)
        number = pd.Series(values, index=cells.index, dtype="float64")
    return number


def finite_numbers(
    records: Records, name: str, cells: pd.Series, number: pd.Series | np.ndarray
) -> None:
    """Refuse infinite values and magnitudes over :data:`MAX_VALUE` (e.g. ``inf``, ``1e400``, ``1e308``).

    ``number`` is the column read by :func:`to_numbers`.
    """
    values = np.asarray(number, dtype="float64")
    bad = np.isinf(values) | (np.abs(np.nan_to_num(values)) > MAX_VALUE)
    if bad.any():
        i = _first(bad)
        raise records.error(
            i,
            name,
            f"数值「{cells.iat[i]}」不是有限的合理数值（绝对值应不超过 {MAX_VALUE:.0e}）",
            hint="核对该单元格：多为录入错误或公式结果溢出",
        )


def parse_dates(text: pd.Series) -> pd.Series:
    """Parse date cells (vectorised): ISO, ``2023/9/28``, ``2023年9月28日``, ``2023.9.28``, Excel serials.

    A full year, month and day are required (``9-28`` or ``2023-05`` are not
    dates).  Returns ``datetime64`` normalised to midnight; unparseable or
    blank → NaT.
    """
    norm = text.str.strip().str.replace(
        r"^(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})(?:\s*日)?", r"\1-\2-\3", regex=True
    )
    serial = norm.str.fullmatch(r"\d{5}(?:\.\d+)?")
    full = norm.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
    parsed = pd.to_datetime(norm.where(full, ""), errors="coerce", format="mixed")
    if serial.any():
        days = pd.to_numeric(text.where(serial), errors="coerce")
        parsed = parsed.where(~serial, pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D"))
    return cast("pd.Series", parsed.dt.normalize())


def _first(mask: pd.Series | np.ndarray) -> int:
    return int(np.flatnonzero(np.asarray(mask))[0])


def load_records(
    settings: Mapping[str, Any] | Any,
    ctx: CollectContext,
    columns: Iterable[Column],
    *,
    path: str,
    extra: Iterable[str] = (),
) -> Records:
    """Read, map, parse and validate one export.

    Args:
        settings: the collector's (or a sub-table's) settings; keys other than
            :data:`COMMON_SETTINGS` and ``extra`` are refused.
        ctx: the run context (roster, base directory).
        columns: the canonical columns to read.
        path: settings path for config errors, e.g. ``collectors.hotline``.
        extra: further settings keys the caller handles itself.

    Raises:
        ConfigError: unknown settings, unknown column names in ``columns``.
        DataError: missing file/columns, blank required cells, unparseable
            dates or flags, negative numbers, units not in the roster.
    """
    columns = tuple(columns)
    if isinstance(settings, Mapping):
        check_keys(settings, (*COMMON_SETTINGS, *extra), path, ctx)
    settings = settings_mapping(settings)  # declared settings were checked when structured
    if not isinstance(settings.get("file"), str):
        raise config_error(
            ctx, f"{path}.file", "缺少导出文件路径 file", hint='如 file = "data/留言.xlsx"'
        )
    mapping = settings.get("columns", {})
    check_keys(mapping, [c.name for c in columns], f"{path}.columns", ctx)
    for key, header in mapping.items():
        if not isinstance(header, str) or not header.strip():
            raise config_error(
                ctx, f"{path}.columns.{key}", "表头应为非空字符串", hint='如 received = "来信时间"'
            )
    header_row = settings.get("header_row", 1)
    if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
        raise config_error(
            ctx, f"{path}.header_row", "表头行号应为正整数", hint="表头在第 1 行时不必设置"
        )
    file = ctx.resolve(settings["file"])
    repair = {}
    for key, allowed in (
        ("control_chars", ("error", "strip")),
        ("long_cells", ("error", "truncate")),
    ):
        value = settings.get(key, "error")
        if value not in allowed:
            raise config_error(
                ctx,
                f"{path}.{key}",
                f"{key} 应为 {' 或 '.join(allowed)}",
                hint=f'如 {key} = "{allowed[1]}"',
            )
        repair[key] = value
    raw = read_export(
        file,
        sheet=settings.get("sheet"),
        header_row=header_row,
        encoding=settings.get("encoding"),
        **repair,
    )
    repaired: dict[int, str] = raw.attrs.get("repaired", {})
    raw.columns = [str(c).strip() for c in raw.columns]
    rows = np.arange(len(raw)) + header_row + 1

    headers: dict[str, str] = {}
    for col in columns:
        header = mapping.get(col.name, col.header).strip()
        if header not in raw.columns and col.name not in mapping and col.name in raw.columns:
            header = col.name  # the canonical English name also works as a header
        if header in raw.columns:
            headers[col.name] = header
        elif col.required or col.name in mapping:
            raise DataError(
                f"缺少列「{header}」（{col.label or col.name}）",
                file=file,
                path=f"第 {header_row} 行（表头）",
                hint=f'在 [{path}.columns] 中设置 {col.name} = "实际表头"；现有表头：{"、".join(raw.columns)}',
            )

    text = pd.DataFrame({name: _stripped(raw[h]) for name, h in headers.items()}, index=raw.index)
    keep = _any_filled(text)
    text = text.loc[keep].reset_index(drop=True)
    frame = pd.DataFrame({"_row": rows[keep]})
    label = settings["file"]
    frame["_source"] = label + ":" + frame["_row"].astype(str)
    if repaired:
        note = frame["_row"].map(repaired)
        frame["_source"] = frame["_source"].where(
            note.isna(), frame["_source"] + "（" + note + "）"
        )
    records = Records(frame, file, headers)

    parsed: dict[str, pd.Series] = {}
    for col in columns:
        if col.name not in headers:
            continue
        cells = text[col.name]
        blank = cells == ""
        if blank.any() and not col.blank_ok:
            raise records.error(
                _first(blank),
                col.name,
                f"{col.label or headers[col.name]}为空",
                hint="补填该单元格",
            )
        parsed[col.name] = _parse(records, col, cells, blank)
    if parsed:  # one frame: inserting the columns one by one costs more than parsing them
        frame = pd.concat([frame, pd.DataFrame(parsed, index=frame.index)], axis=1)
        records = Records(frame, file, headers)

    for col in columns:
        if col.multi and col.name in headers:
            frame[col.name] = frame[col.name].str.split(MULTI_SEPARATORS, regex=True)
            frame = frame.explode(col.name, ignore_index=True)
            frame[col.name] = frame[col.name].fillna("").astype(object)
            frame = frame.loc[frame[col.name] != ""].reset_index(drop=True)
            records = Records(frame, file, headers)
    if "unit" in frame.columns:
        frame["unit"], skipped = map_units(records, settings, ctx, path)
        if skipped.any():
            records = Records(frame.loc[~skipped].reset_index(drop=True), file, headers)
    return records


def _parse(records: Records, col: Column, cells: pd.Series, blank: pd.Series) -> pd.Series:
    if col.kind == "text":
        return cells
    if col.kind == "date":
        parsed = parse_dates(cells)
        bad = parsed.isna() & ~blank
        if bad.any():
            i = _first(bad)
            raise records.error(i, col.name, f"无法识别的日期「{cells.iat[i]}」", hint=DATE_HINT)
        return parsed
    if col.kind == "flag":
        low = cells.str.lower()
        bad = ~low.isin(TRUE_WORDS + FALSE_WORDS)
        if bad.any():
            i = _first(bad)
            raise records.error(
                i,
                col.name,
                f"无法识别的是/否值「{cells.iat[i]}」",
                hint="填写 是/否（或 1/0、Y/N），留空表示否",
            )
        return low.isin(TRUE_WORDS)
    number = to_numbers(cells.where(~blank))
    bad = number.isna() & ~blank
    if bad.any():
        i = _first(bad)
        raise records.error(
            i, col.name, f"「{cells.iat[i]}」不是数字", hint="只填数字，说明文字请放在其他列"
        )
    finite_numbers(records, col.name, cells, number)
    neg = number < 0
    if neg.any():
        i = _first(neg)
        raise records.error(i, col.name, f"数值「{cells.iat[i]}」为负数", hint="填写不小于 0 的数")
    return cast("pd.Series", number.astype("float64"))


def map_units(
    records: Records, settings: Mapping[str, Any] | Any, ctx: CollectContext, path: str
) -> tuple[pd.Series, np.ndarray]:
    """Apply ``aliases`` and refuse units not in the roster.

    Returns:
        ``(units, skipped)``: roster names, and the rows of units listed in
        ``skip_units`` (deliberately not assessed).
    """
    settings = settings_mapping(settings)
    aliases = settings.get("aliases", {})
    if not isinstance(aliases, Mapping) or not all(isinstance(v, str) for v in aliases.values()):
        raise config_error(
            ctx, f"{path}.aliases", "aliases 应为「导出表中的名称 = 名单中的名称」的表"
        )
    skip = settings.get("skip_units", [])
    if not isinstance(skip, list) or not all(isinstance(v, str) for v in skip):
        raise config_error(
            ctx, f"{path}.skip_units", "skip_units 应为单位名称的数组", hint='如 ["市档案馆"]'
        )
    units = records.frame["unit"]
    skipped = units.isin(skip).to_numpy()
    units = units.replace(dict(aliases)) if aliases else units
    unknown = ~units.isin(ctx.units).to_numpy() & ~skipped
    if unknown.any():
        i = _first(unknown)
        raise records.error(
            i,
            "unit",
            f"单位「{units.to_numpy()[i]}」不在单位名单中",
            hint=f"核对名称是否与名单完全一致；名称不同请在 [{path}.aliases] 中对应，不考核的单位列入 skip_units",
        )
    return units, skipped


def check_unique(records: Records, names: Iterable[str], what: str) -> None:
    """Refuse duplicated identifiers (e.g. message numbers), naming both rows."""
    names = list(names)
    frame = records.frame
    dup = frame.duplicated(subset=names, keep=False).to_numpy()
    if not dup.any():
        return
    pos = np.flatnonzero(dup)
    first, second = pos[0], pos[1] if len(pos) > 1 else pos[0]
    for p in pos[1:]:
        if (frame.iloc[p][names] == frame.iloc[first][names]).all():
            second = p
            break
    value = "／".join(str(frame[n].iat[second]) for n in names)
    raise records.error(
        int(second),
        names[-1],
        f"{what}「{value}」重复（与第 {int(frame['_row'].to_numpy()[first])} 行相同）",
        hint="删除重复行，或给两条记录不同的编号",
    )


# ---------------------------------------------------------------- dates and days


def as_days(values: pd.Series | date) -> np.ndarray:
    """Dates as ``datetime64[D]`` (a scalar date becomes a 0-d array)."""
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype="datetime64[D]")
    return np.array(values, dtype="datetime64[D]")


def workdays(ctx: CollectContext, start: pd.Series, end: pd.Series) -> np.ndarray:
    """Working days strictly after ``start`` up to and including ``end`` (never negative)."""
    s, e = as_days(start), as_days(end)
    if len(s) == 0:
        return np.zeros(0, dtype=np.int64)
    e = np.maximum(s, e)
    return np.asarray(ctx.calendar.workdays_between(s, e), dtype=np.int64)


def fmt_dates(values: pd.Series) -> pd.Series:
    """Dates as ``2023-09-28`` text ('' for NaT)."""
    return cast("pd.Series", values.dt.strftime("%Y-%m-%d").fillna("").astype(object))


def period_end_text(ctx: CollectContext) -> str:
    """The inspection date as text."""
    return ctx.period_end.isoformat()


def elapsed(ctx: CollectContext, start: pd.Series, end: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Working days from ``start`` to ``end``, or to the inspection date where ``end`` is blank.

    Returns:
        ``(days, open_)``: working days taken, and whether the item was still
        open (no end date) and was counted up to ``ctx.period_end``.
    """
    open_ = end.isna().to_numpy()
    stop = end.where(~open_, pd.Timestamp(ctx.period_end))
    return workdays(ctx, start, stop), open_


def check_order(records: Records, first: str, then: str, what: str) -> None:
    """Refuse rows where date column ``then`` is before ``first`` (e.g. a reply before the message)."""
    frame = records.frame
    bad = (frame[then] < frame[first]).to_numpy()
    if bad.any():
        i = _first(bad)
        raise records.error(
            i,
            then,
            f"{what}：{records.headers[then]}「{frame[then].dt.strftime('%Y-%m-%d').iat[i]}」早于"
            f"{records.headers[first]}「{frame[first].dt.strftime('%Y-%m-%d').iat[i]}」",
            hint="核对两个日期是否填反或录错",
        )


def per_unit(
    ctx: CollectContext, units: pd.Series, weights: np.ndarray | None = None
) -> np.ndarray:
    """Count (or sum ``weights``) per roster unit, in roster order."""
    codes = pd.Categorical(units, categories=list(ctx.units)).codes
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    out = np.bincount(codes, weights=w, minlength=len(ctx.units))
    return out.astype(np.int64) if weights is None or np.asarray(weights).dtype == bool else out


def period_mask(
    settings: Mapping[str, Any] | Any, ctx: CollectContext, dates: pd.Series, path: str
) -> np.ndarray:
    """Rows dated inside the assessed period, unless ``period_only = false`` (then all rows)."""
    only = settings_mapping(settings).get("period_only", True)
    if not isinstance(only, bool):
        raise config_error(ctx, f"{path}.period_only", "period_only 应为 true 或 false")
    if not only:
        return np.ones(len(dates), bool)
    d = as_days(dates)
    check_period_rows(ctx, d, path)  # every row in another year: the config or the export is wrong
    return (d >= np.datetime64(ctx.period_start, "D")) & (d <= np.datetime64(ctx.period_end, "D"))


def collected(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate evidence parts into one evidence table."""
    return evidence_frame(pd.concat(frames, ignore_index=True)) if frames else evidence_frame()


def timing_evidence(
    ctx: CollectContext,
    label: pd.Series,
    start: pd.Series,
    end: pd.Series,
    days: np.ndarray,
    limit: np.ndarray,
    *,
    received: str = "收到",
    done: str = "答复",
    note: pd.Series | str = "",
) -> pd.Series:
    """Evidence text of timed items, e.g. ``留言 H1：2023-09-28 收到，2023-10-09 答复，用时 3 个工作日（时限 5 个工作日）``.

    Items without an ``end`` date read ``截至 <检查日> 未<done>，已 N 个工作日``.
    """
    open_ = end.isna().to_numpy()
    body = np.where(
        open_,
        f"截至 {ctx.period_end.isoformat()} 未{done}，已",
        (fmt_dates(end) + f" {done}，用时").to_numpy(dtype=object),
    )
    limit_text = pd.Series(limit, dtype="float64").map("{:g}".format)
    return cast(
        "pd.Series",
        label
        + "："
        + fmt_dates(start)
        + f" {received}，"
        + pd.Series(body, dtype=object)
        + " "
        + pd.Series(days).astype(str)
        + " 个工作日（时限 "
        + limit_text
        + " 个工作日"
        + note
        + "）",
    )


def check_calendar(
    records: Records, ctx: CollectContext, names: Iterable[str], frame: pd.DataFrame | None = None
) -> None:
    """Refuse dates the working-day calendar does not cover, naming the row (a typo such as 2032 for 2023)."""
    first, last = (
        getattr(ctx.calendar, "first_year", None),
        getattr(ctx.calendar, "last_year", None),
    )
    if first is None or last is None:
        return
    frame = records.frame if frame is None else frame
    for name in names:
        years = frame[name].dt.year
        bad = ((years < first) | (years > last)).to_numpy()
        if bad.any():
            i = _first(bad)
            raise records.error(
                i,
                name,
                f"日期「{frame[name].dt.strftime('%Y-%m-%d').iat[i]}」超出工作日历范围（{first}–{last} 年）",
                hint=f"核对年份是否录错；确为 {int(years.iat[i])} 年的，在考核配置中添加 [calendar.{int(years.iat[i])}]",
            )
