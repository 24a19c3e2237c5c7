"""Declared collector settings (采集器设置): an attrs class per collector, structured by cattrs.

A collector declares ``settings_type`` (an attrs class).  Before ``collect`` is
called, the ``[collectors.<name>]`` table is structured into it
(:func:`structure_settings`): unknown keys, missing keys and wrong types are
refused with a :class:`ConfigError` naming the config file, the table and the
key, so a typo never passes silently.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from zwgk_score.errors import ConfigError
from zwgk_score.structure import CONVERTER, structure

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.collect.base import CollectContext

T = TypeVar("T")

#: a sheet is named or given by its 0-based index
Sheet = str | int | None


def _sheet(value: Any, _type: Any) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("expected str")
    return value


CONVERTER.register_structure_hook(Sheet, _sheet)


@attrs.frozen(kw_only=True)
class FileSettings:
    """How one table is read (表格文件的读取设置): the file, its sheet, header row, encoding, headers.

    The settings of a table without a unit column (a monitoring export of
    accounts); attributes as in :class:`TableSettings`.
    """

    file: str
    sheet: Sheet = None
    header_row: int = 1
    encoding: str | None = None
    columns: dict[str, str] = attrs.field(factory=dict)
    control_chars: str = "error"
    long_cells: str = "error"


@attrs.frozen(kw_only=True)
class ExportSettings(FileSettings):
    """How one office export is read (导出表的读取设置): :class:`TableSettings` without ``keys``.

    The base of a collector whose ``keys`` setting means something else than
    the usual ``{角色 = "数据键"}`` table (the ``table`` collector's list of
    accepted keys), or that has none.  Attributes as in :class:`TableSettings`.
    """

    aliases: dict[str, str] = attrs.field(factory=dict)
    skip_units: list[str] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class TableSettings(ExportSettings):
    """Settings every collector reading one office export accepts (表格设置).

    Subclass it (``@attrs.frozen(kw_only=True)``) to add a collector's own settings.

    Attributes:
        file: the export, relative to the assessment config (CSV in UTF-8 or
            GB18030, or XLSX).
        sheet: XLSX sheet name or 0-based index (default: the first sheet).
        header_row: the row holding the column headers (default 1).
        encoding: CSV encoding when it is neither UTF-8 nor GB18030.
        columns: ``{规范列名 = "表头"}`` overriding the default headers.
        aliases: ``{"导出表中的单位名" = "名单中的单位名"}``.
        skip_units: unit names in the export that are deliberately not assessed.
        keys: ``{角色 = "数据键"}``: the data keys to emit (default: every role).
        control_chars: ``error`` (default) or ``strip``: remove control
            characters from cells and flag the rows in their source.
        long_cells: ``error`` (default) or ``truncate``: cut cells over 32767
            characters and flag the rows.
    """

    keys: dict[str, str] | None = None


def settings_keys(cls: type) -> tuple[str, ...]:
    """The keys a settings class accepts, in declaration order."""
    return tuple(a.name for a in attrs.fields(cls))


def _record_type(tp: Any) -> type | None:
    """The attrs class of a field typed ``X`` or ``X | None`` (a sub-table), else ``None``."""
    union = typing.get_origin(tp) in (typing.Union, types.UnionType)
    for candidate in typing.get_args(tp) if union else (tp,):
        if isinstance(candidate, type) and attrs.has(candidate):
            return candidate
    return None


def _refuse_unknown(raw: Any, cls: type, table: str, file: str | Path | None) -> None:
    """Refuse the first unknown key of ``[table]`` or of one of its sub-tables, by name."""
    if not isinstance(raw, Mapping):
        raise ConfigError("应为表（键 = 值）", file=file, path=table, hint=f"写成 [{table}]")
    allowed = settings_keys(cls)
    for key in raw:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            guess = f"是否应为 {close[0]}？" if close else "检查拼写；"
            raise ConfigError(
                f"未知的设置项「{key}」",
                file=file,
                path=f"{table}.{key}",
                hint=f"{guess}[{table}] 可用的设置项：{'、'.join(allowed)}",
            )
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # annotations naming types imported only for type checking
        hints = {}
    for key, value in raw.items():
        sub = _record_type(hints.get(key))
        if sub is not None and value is not None:
            _refuse_unknown(value, sub, f"{table}.{key}", file)


def structure_settings(
    raw: Mapping[str, Any], cls: type[T], *, table: str, file: str | Path | None
) -> T:
    """Structure the ``[table]`` settings into ``cls``, refusing unknown keys by name.

    Raises:
        ConfigError: at ``table.key`` in ``file`` for an unknown key, a
            missing required key or a value of the wrong type.
    """
    _refuse_unknown(raw, cls, table, file)
    return structure(
        dict(raw),
        cls,
        error=ConfigError,
        file=file,
        path=table,
        hint=f"按 [{table}] 的说明修改该键",
    )


def declared_settings(
    settings: Mapping[str, Any] | T, cls: type[T], name: str, ctx: CollectContext
) -> T:
    """The settings of collector ``name`` as ``cls``: a ``[collectors.<name>]`` table is structured.

    A collector's ``collect`` starts with this, so that it receives its
    declared settings whether the engine, a test or another collector calls
    it with the raw table or with an instance already structured.
    """
    if isinstance(settings, Mapping):
        return structure_settings(settings, cls, table=f"collectors.{name}", file=ctx.config_file)
    return settings


def settings_mapping(settings: Mapping[str, Any] | Any) -> dict[str, Any]:
    """A settings object as the mapping the table helpers read (unset optional keys left out)."""
    if isinstance(settings, Mapping):
        return dict(settings)
    if attrs.has(type(settings)):
        out: dict[str, Any] = {}
        for a in attrs.fields(type(settings)):
            value = getattr(settings, a.name)
            if value is None:
                continue
            out[a.name] = value
        return out
    raise TypeError(
        f"settings must be a mapping or an attrs instance, not {type(settings).__name__}"
    )
