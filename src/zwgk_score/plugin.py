"""zwgk_score.plugin: the stable SDK for plugin authors (插件开发接口).

A plugin imports from this module only; everything here follows the
versioning promise in docs/plugins.md (a name is removed or changed
incompatibly only in a new major version, after a release that warns).

Contents:

- hooks: :data:`hookimpl`;
- protocols: :class:`Collector`, :class:`Exporter`, :class:`Method` (with
  :class:`InputKind`, :class:`Role`, :class:`LeafData`, :class:`Cell`,
  :class:`NoParams`), :class:`CollectContext`;
- evidence: :func:`evidence_rows` (build rows), :func:`evidence_frame`,
  :func:`collected` (concatenate parts), the status constants;
- declared settings: :class:`TableSettings` (the settings every export reader
  accepts, to subclass), :func:`structure_settings`;
- reading office exports: :class:`Column`, :func:`load_records` (CSV/XLSX,
  encodings, column mapping, dates, flags, numbers, unit names, strict cells),
  :func:`read_export`, :func:`parse_dates` and the date and counting helpers;
- recipes: :class:`DeadlineRegister` (items with a deadline in working days),
  :class:`EventCount` (events per unit and year), :class:`TaskLedgerCollector`
  (a task ledger: late tasks, on-time rate, dated tasks; settings
  :class:`TaskLedgerSettings`), :class:`ScoreSheetCollector` (a wide
  score sheet);
- errors: :class:`ZwgkError`, :class:`ConfigError`, :class:`DataError`,
  :class:`PluginError`, :class:`CalendarError`, :class:`OutputError`;
- for tests and helpers: :class:`WorkCalendar`, :class:`PluginHost`,
  :func:`load_rubric`, :func:`run_assessment`, :func:`config_rubric_file`,
  :func:`annual_context`,
  :func:`render_markdown`.

Heavy names (pandas-based helpers) are imported on first use, so that
``from zwgk_score.plugin import hookimpl`` in a plugin's hook module costs
nothing when the tool starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from zwgk_score._lazy import lazy_getattr
from zwgk_score.errors import (
    CalendarError,
    ConfigError,
    DataError,
    OutputError,
    PluginError,
    ZwgkError,
)
from zwgk_score.hookspecs import hookimpl

#: version of this API; see docs/plugins.md for the promise attached to it
API_VERSION = "1.0"


@runtime_checkable
class Exporter(Protocol):
    """An output format (输出格式): ``name`` plus ``export(results, out_dir, options)``.

    ``export`` writes its files into ``out_dir`` (a staging folder moved into
    place when every exporter has succeeded) and returns the paths written.
    ``options`` is the config's ``[notice]`` table merged with ``[outputs]``.
    """

    name: str

    def export(self, results: Any, out_dir: Path, options: Mapping[str, Any]) -> list[Path]: ...


_LAZY = {
    # evidence and context
    "CollectContext": "zwgk_score.collect.base",
    "Collector": "zwgk_score.collect.base",
    "EVIDENCE_COLUMNS": "zwgk_score.collect.base",
    "STATUS_OK": "zwgk_score.collect.base",
    "STATUS_NA": "zwgk_score.collect.base",
    "STATUS_MISSING": "zwgk_score.collect.base",
    "SELF_SUFFIX": "zwgk_score.collect.base",
    "evidence_frame": "zwgk_score.collect.base",
    "evidence_rows": "zwgk_score.collect.base",
    # declared settings
    "TableSettings": "zwgk_score.collect.settings",
    "ExportSettings": "zwgk_score.collect.settings",
    "declared_settings": "zwgk_score.collect.settings",
    "structure_settings": "zwgk_score.collect.settings",
    # reading exports
    "Column": "zwgk_score.collect.tables",
    "Records": "zwgk_score.collect.tables",
    "COMMON_SETTINGS": "zwgk_score.collect.tables",
    "TRUE_WORDS": "zwgk_score.collect.tables",
    "FALSE_WORDS": "zwgk_score.collect.tables",
    "MAX_CELL": "zwgk_score.collect.tables",
    "read_export": "zwgk_score.collect.tables",
    "load_records": "zwgk_score.collect.tables",
    "parse_dates": "zwgk_score.collect.tables",
    "fmt_dates": "zwgk_score.collect.tables",
    "check_keys": "zwgk_score.collect.tables",
    "check_unique": "zwgk_score.collect.tables",
    "check_order": "zwgk_score.collect.tables",
    "check_calendar": "zwgk_score.collect.tables",
    "config_error": "zwgk_score.collect.tables",
    "data_keys": "zwgk_score.collect.tables",
    "number_setting": "zwgk_score.collect.tables",
    "finite_numbers": "zwgk_score.collect.tables",
    "to_numbers": "zwgk_score.collect.tables",
    "per_unit": "zwgk_score.collect.tables",
    "period_mask": "zwgk_score.collect.tables",
    "workdays": "zwgk_score.collect.tables",
    "elapsed": "zwgk_score.collect.tables",
    "timing_evidence": "zwgk_score.collect.tables",
    "collected": "zwgk_score.collect.tables",
    # recipes
    "DeadlineRegister": "zwgk_score.collect.deadlines",
    "EventCount": "zwgk_score.collect.meetings",
    "HotlineCollector": "zwgk_score.collect.hotline",
    "HotlineSettings": "zwgk_score.collect.hotline",
    "DisclosureSettings": "zwgk_score.collect.disclosure",
    "DeadlineSettings": "zwgk_score.collect.deadlines",
    "EventCountSettings": "zwgk_score.collect.meetings",
    "DisclosureRequestsCollector": "zwgk_score.collect.disclosure",
    "MeetingsCollector": "zwgk_score.collect.meetings",
    "TASK_LEDGER_COLUMNS": "zwgk_score.collect.task_ledger",
    "TaskLedgerCollector": "zwgk_score.collect.task_ledger",
    "TaskLedgerSettings": "zwgk_score.collect.task_ledger",
    "ScoreSheetCollector": "zwgk_score.collect.wide",
    # scoring methods
    "Method": "zwgk_score.methods.base",
    "InputKind": "zwgk_score.methods.base",
    "Role": "zwgk_score.methods.base",
    "Cell": "zwgk_score.methods.base",
    "NoParams": "zwgk_score.methods.builtin",
    "LeafData": "zwgk_score.methods.base",
    "ROLE_SCORE": "zwgk_score.methods.base",
    "ROLE_BONUS": "zwgk_score.methods.base",
    "ROLE_MAJOR": "zwgk_score.methods.base",
    "ROLE_VETO": "zwgk_score.methods.base",
    "fmt": "zwgk_score.methods.base",
    "pct": "zwgk_score.methods.base",
    # tests and helpers
    "WorkCalendar": "zwgk_score.workdays",
    "PluginHost": "zwgk_score.plugins",
    "run_assessment": "zwgk_score.run",
    "load_rubric": "zwgk_score.rubric",
    "render_markdown": "zwgk_score.outputs.markdown",
}


def annual_context(
    year: int,
    units: tuple[str, ...],
    base_dir: str | Path = ".",
    *,
    config_file: str | Path | None = None,
) -> CollectContext:
    """The context of an annual assessment of ``year`` (1 January – 31 December), for tests.

    ``units`` is the roster, ``base_dir`` the folder relative ``file`` settings
    are read from, the calendar is China's working-day calendar
    (:meth:`WorkCalendar.china`); ``config_file`` names the assessment config
    in error messages.  A quarter or another inspection date:
    ``attrs.evolve(ctx, quarter=…, period_start=…, period_end=…)``.
    """
    from datetime import date

    from zwgk_score.collect.base import CollectContext
    from zwgk_score.workdays import WorkCalendar

    return CollectContext(
        year=year,
        quarter=None,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        base_dir=Path(base_dir),
        units=tuple(units),
        calendar=WorkCalendar.china(),
        config_file=Path(config_file) if config_file is not None else None,
    )


def config_rubric_file(ctx: Any) -> Path:
    """The rubric file named by the run's assessment config (``ctx.config_file``).

    Raises:
        ConfigError: the context has no config file (a collector called by hand).
    """
    if ctx.config_file is None:
        raise ConfigError(
            "未给出考核配置，无法确定考核细则", hint='在采集器设置中写 rubric = "细则.toml"'
        )
    from zwgk_score.config import load_config

    return Path(load_config(ctx.config_file).rubric)


__all__ = [
    "API_VERSION",
    "COMMON_SETTINGS",
    "CalendarError",
    "Cell",
    "CollectContext",
    "Collector",
    "Column",
    "ConfigError",
    "DataError",
    "DeadlineRegister",
    "DeadlineSettings",
    "DisclosureRequestsCollector",
    "DisclosureSettings",
    "EVIDENCE_COLUMNS",
    "EventCount",
    "EventCountSettings",
    "ExportSettings",
    "Exporter",
    "FALSE_WORDS",
    "HotlineCollector",
    "HotlineSettings",
    "InputKind",
    "LeafData",
    "MAX_CELL",
    "MeetingsCollector",
    "Method",
    "NoParams",
    "OutputError",
    "PluginError",
    "PluginHost",
    "ROLE_BONUS",
    "ROLE_MAJOR",
    "ROLE_SCORE",
    "ROLE_VETO",
    "Records",
    "Role",
    "SELF_SUFFIX",
    "STATUS_MISSING",
    "STATUS_NA",
    "STATUS_OK",
    "ScoreSheetCollector",
    "TASK_LEDGER_COLUMNS",
    "TRUE_WORDS",
    "TableSettings",
    "TaskLedgerCollector",
    "TaskLedgerSettings",
    "WorkCalendar",
    "ZwgkError",
    "check_calendar",
    "check_keys",
    "check_order",
    "check_unique",
    "collected",
    "config_error",
    "annual_context",
    "config_rubric_file",
    "data_keys",
    "declared_settings",
    "elapsed",
    "evidence_frame",
    "evidence_rows",
    "finite_numbers",
    "fmt",
    "fmt_dates",
    "hookimpl",
    "load_records",
    "load_rubric",
    "number_setting",
    "parse_dates",
    "pct",
    "per_unit",
    "period_mask",
    "read_export",
    "render_markdown",
    "run_assessment",
    "structure_settings",
    "timing_evidence",
    "to_numbers",
    "workdays",
]

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.collect.base import (
        EVIDENCE_COLUMNS,
        SELF_SUFFIX,
        STATUS_MISSING,
        STATUS_NA,
        STATUS_OK,
        CollectContext,
        Collector,
        evidence_frame,
        evidence_rows,
    )
    from zwgk_score.collect.deadlines import DeadlineRegister, DeadlineSettings
    from zwgk_score.collect.disclosure import DisclosureRequestsCollector, DisclosureSettings
    from zwgk_score.collect.hotline import HotlineCollector, HotlineSettings
    from zwgk_score.collect.meetings import EventCount, EventCountSettings, MeetingsCollector
    from zwgk_score.collect.settings import (
        ExportSettings,
        TableSettings,
        declared_settings,
        structure_settings,
    )
    from zwgk_score.collect.tables import (
        COMMON_SETTINGS,
        FALSE_WORDS,
        MAX_CELL,
        TRUE_WORDS,
        Column,
        Records,
        check_calendar,
        check_keys,
        check_order,
        check_unique,
        collected,
        config_error,
        data_keys,
        elapsed,
        finite_numbers,
        fmt_dates,
        load_records,
        number_setting,
        parse_dates,
        per_unit,
        period_mask,
        read_export,
        timing_evidence,
        to_numbers,
        workdays,
    )
    from zwgk_score.collect.task_ledger import (
        TASK_LEDGER_COLUMNS,
        TaskLedgerCollector,
        TaskLedgerSettings,
    )
    from zwgk_score.collect.wide import ScoreSheetCollector
    from zwgk_score.methods.base import (
        ROLE_BONUS,
        ROLE_MAJOR,
        ROLE_SCORE,
        ROLE_VETO,
        Cell,
        InputKind,
        LeafData,
        Method,
        Role,
        fmt,
        pct,
    )
    from zwgk_score.methods.builtin import NoParams
    from zwgk_score.outputs.markdown import render_markdown
    from zwgk_score.plugins import PluginHost
    from zwgk_score.rubric import load_rubric
    from zwgk_score.run import run_assessment
    from zwgk_score.workdays import WorkCalendar


__getattr__ = lazy_getattr(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted(__all__)
