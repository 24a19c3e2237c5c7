"""Assessment config (考核配置): one TOML file per assessment run.

```toml
[assessment]
name = "聊城市2018年度政务公开考核"
rubric = "../../rubrics/liaocheng-2018.toml"   # relative to this file
roster = "units.csv"
year = 2018
quarter = 2                 # optional: a quarterly inspection (季度检查)
start = "2018-04-01"        # optional; default: the year or the quarter
end = "2018-06-30"          # optional; also the inspection date
output = "out/2018Q2"
plugins = ["liaocheng"]     # plugins that must be loaded for this run
previous = "../2017/out/results.json"   # optional: last period, for 排名变化 / 进步较快单位
allow_partial = false       # true: a failing plugin/collector marks its indicators 缺失

[combine]                   # optional: other periods feeding this result (rubric [combine])
quarterly = ["q1.toml", "q2.toml", "q3.toml", "q4.toml"]

[calendar.2027]             # optional: holidays for years the calendar package lacks
holidays = ["2027-01-01"]
workdays = []

[collectors.hotline]        # one table per collector, keyed by its name…
file = "data/messages.csv"
[collectors.reviewer]       # …or any name with `use` naming the collector
use = "table"
file = "data/reviewer.csv"

[outputs]
formats = ["json", "excel", "notice", "feedback"]   # default: all registered

[notice]                    # passed to the exporters (see docs/outputs.md)
issuer = "聊城市人民政府办公室"

[ledger]                    # optional: the assessment ledger and loop (docs/loop.md)
file = "考核台账.db"          # or url = "postgresql+psycopg://…"
```
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, NewType

import attrs

from zwgk_score.crosscheck import check_file_settings, check_notice_dates
from zwgk_score.errors import ConfigError
from zwgk_score.structure import (
    Invalid,
    Year,
    make_converter,
    read_toml,
    structure,
    toml_line,
)
from zwgk_score.workdays import CalendarYear, calendar_years

CONFIG_NAMES = ("assessment.toml", "zwgk.toml")

#: a quarter of the year (季度), 1–4
Quarter = NewType("Quarter", int)


def _structure_quarter(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected int")
    if value not in (1, 2, 3, 4):
        raise Invalid(
            f"季度应为 1 到 4，不能是 {value}", hint="季度检查写 quarter = 1 到 4；年度考核删去该键"
        )
    return value


_CONVERTER = make_converter()
_CONVERTER.register_structure_hook(Quarter, _structure_quarter)


@attrs.define
class RawAssessment:
    """``[assessment]``: what is assessed, with which rubric and roster, for which period."""

    name: str
    rubric: str
    roster: str
    year: Year
    output: str = "out"
    quarter: Quarter | None = None
    start: date | None = None
    end: date | None = None
    plugins: list[str] = attrs.Factory(list)
    allow_partial: bool = False
    period: str | None = None
    previous: str | None = None
    #: the rubric's own year when the office deliberately uses another year's rubric
    rubric_year: Year | None = None


@attrs.define
class RawOutputs:
    """``[outputs]``: which exporters run."""

    formats: list[str] | None = None


@attrs.define
class RawConfig:
    """The whole assessment config file, one attribute per top-level table.

    ``[collectors.X]`` settings are structured by each collector and
    ``[notice]`` by the notice exporter; here they only have to be tables.
    """

    assessment: RawAssessment
    combine: dict[str, list[str]] = attrs.Factory(dict)
    calendar: dict[str, Any] = attrs.Factory(dict)
    collectors: dict[str, dict[str, Any]] = attrs.Factory(dict)
    outputs: RawOutputs = attrs.Factory(RawOutputs)
    notice: dict[str, Any] = attrs.Factory(dict)
    ledger: dict[str, Any] = attrs.Factory(dict)


@attrs.frozen
class CollectorEntry:
    """One collector run: the config table name, the collector used and its settings."""

    name: str
    collector: str
    settings: dict[str, Any]
    path: str


@attrs.frozen
class AssessmentConfig:
    """A validated assessment config with every path resolved.

    ``text`` is the config's TOML text, so that later checks (against the
    rubric, the data, the previous result) can name the line of a key.
    """

    file: Path
    name: str
    rubric: Path
    roster: Path
    year: int
    quarter: int | None
    start: date
    end: date
    output: Path
    plugins: tuple[str, ...]
    allow_partial: bool
    period: str
    collectors: tuple[CollectorEntry, ...]
    calendar: dict[int, CalendarYear] | None
    combine: dict[str, tuple[Path, ...]]
    formats: tuple[str, ...] | None
    notice: dict[str, Any]
    previous: Path | None = None
    rubric_year: int | None = None
    text: str = attrs.field(default="", repr=False)
    #: the ``[ledger]`` table as written (read by :mod:`zwgk_score.loop.settings`)
    ledger: dict[str, Any] = attrs.Factory(dict)

    @property
    def base_dir(self) -> Path:
        return self.file.parent

    def error(self, message: str, path: str, hint: str | None = None) -> ConfigError:
        """A :class:`ConfigError` at ``path`` of this config, with the key's line when found."""
        return ConfigError(
            message, file=self.file, path=path, line=toml_line(self.text, path), hint=hint
        )


def find_config(path: str | Path) -> Path:
    """``path`` itself if a file, else the config file inside the directory."""
    p = Path(path)
    if p.is_dir():
        for name in CONFIG_NAMES:
            if (p / name).is_file():
                return p / name
        raise ConfigError(
            "目录中没有考核配置文件",
            file=p,
            hint=f"在目录中放置 {CONFIG_NAMES[0]}，或直接给出配置文件路径",
        )
    if not p.exists():
        raise ConfigError("考核配置文件不存在", file=p, hint="检查路径是否正确")
    return p


def _period(a: RawAssessment) -> tuple[date, date]:
    """The default period: the year, or the quarter."""
    if a.quarter is None:
        return date(a.year, 1, 1), date(a.year, 12, 31)
    m0 = 3 * (a.quarter - 1) + 1
    return date(a.year, m0, 1), date(a.year, m0 + 2, _calendar.monthrange(a.year, m0 + 2)[1])


def _not_a_directory(base: Path, value: str, path: str, what: str) -> Path:
    target = base / value
    if target.is_dir():
        raise ConfigError(
            f"{what}应为文件，给出的「{value}」却是一个目录",
            path=path,
            hint=f"写出目录中{what}的文件名",
        )
    return target


def load_config(path: str | Path) -> AssessmentConfig:
    """Load an assessment config file (or the config inside a directory).

    Raises:
        ConfigError: naming the file, the key path and (where found) the line.
    """
    file = find_config(path)
    data, text = read_toml(file, error=ConfigError)
    try:
        cfg = _build(file, data, text)
        check_file_settings(cfg)
        check_notice_dates(cfg)
        return cfg
    except ConfigError as exc:
        raise exc.at(file=file, line=toml_line(text, exc.path)) from None


def _build(file: Path, data: Mapping[str, Any], text: str) -> AssessmentConfig:
    raw = structure(
        dict(data), RawConfig, error=ConfigError, file=file, text=text, converter=_CONVERTER
    )
    a = raw.assessment
    base = file.parent
    start0, end0 = _period(a)
    start, end = a.start or start0, a.end or end0
    if end < start:
        raise ConfigError("考核期结束日期早于开始日期", path="assessment.end")
    if end.year < a.year or start.year > a.year:
        key = "assessment.start" if start.year > a.year else "assessment.end"
        raise ConfigError(
            f"考核期（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）与考核年度 {a.year} 年不重叠",
            path=key,
            hint="核对 year、start、end 是否录错",
        )
    period = a.period or (f"{a.year}Q{a.quarter}" if a.quarter else str(a.year))

    collectors = []
    for name, settings in raw.collectors.items():
        settings = dict(settings)
        where = f"collectors.{name}"
        use = structure(
            settings.pop("use", name), str, error=ConfigError, file=file, path=f"{where}.use"
        )
        collectors.append(CollectorEntry(name, use, settings, where))

    combine = {part: tuple(base / f for f in files) for part, files in raw.combine.items()}
    return AssessmentConfig(
        file=file,
        name=a.name,
        rubric=_not_a_directory(base, a.rubric, "assessment.rubric", "考核细则"),
        roster=_not_a_directory(base, a.roster, "assessment.roster", "单位名单"),
        year=a.year,
        quarter=a.quarter,
        start=start,
        end=end,
        output=base / a.output,
        plugins=tuple(a.plugins),
        allow_partial=a.allow_partial,
        period=period,
        collectors=tuple(collectors),
        calendar=calendar_years(raw.calendar, file=file, text=text) if raw.calendar else None,
        combine=combine,
        formats=tuple(raw.outputs.formats) if raw.outputs.formats is not None else None,
        notice=dict(raw.notice),
        previous=(
            _not_a_directory(base, a.previous, "assessment.previous", "上期结果")
            if a.previous
            else None
        ),
        rubric_year=a.rubric_year,
        text=text,
        ledger=dict(raw.ledger),
    )
