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
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from zwgk_score.errors import ConfigError
from zwgk_score.structure import load_toml, structure

CONFIG_NAMES = ("assessment.toml", "zwgk.toml")


@attrs.define
class RawAssessment:
    name: str
    rubric: str
    roster: str
    year: int
    output: str = "out"
    quarter: int | None = None
    start: str | None = None
    end: str | None = None
    plugins: list[str] = attrs.Factory(list)
    allow_partial: bool = False
    period: str | None = None
    previous: str | None = None


@attrs.define
class RawOutputs:
    formats: list[str] | None = None


@attrs.frozen
class CollectorEntry:
    """One collector run: the config table name, the collector used and its settings."""

    name: str
    collector: str
    settings: dict[str, Any]
    path: str


@attrs.frozen
class AssessmentConfig:
    """A validated assessment config with every path resolved."""

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
    calendar: dict[str, Any] | None
    combine: dict[str, tuple[Path, ...]]
    formats: tuple[str, ...] | None
    notice: dict[str, Any]
    previous: Path | None = None
    #: the ``[ledger]`` table as written (read by :mod:`zwgk_score.loop.settings`)
    ledger: dict[str, Any] = attrs.Factory(dict)

    @property
    def base_dir(self) -> Path:
        return self.file.parent


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


def _date(value: Any, file: Path, path: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(
            f"日期「{value}」格式不正确",
            file=file,
            path=path,
            hint="使用 YYYY-MM-DD，如 2023-12-31",
        ) from None


def load_config(path: str | Path) -> AssessmentConfig:
    """Load an assessment config file (or the config inside a directory)."""
    file = find_config(path)
    data = load_toml(file, error=ConfigError)
    known = {"assessment", "combine", "calendar", "collectors", "outputs", "notice", "ledger"}
    for key in data:
        if key not in known:
            raise ConfigError(
                f"未知的键：{key}",
                file=file,
                path=key,
                hint=f"可用的顶层表：{'、'.join(sorted(known))}",
            )
    if "assessment" not in data:
        raise ConfigError(
            "缺少 [assessment] 表",
            file=file,
            path="assessment",
            hint="给出 name、rubric、roster、year",
        )
    a = structure(
        data["assessment"], RawAssessment, error=ConfigError, file=file, path="assessment"
    )
    base = file.parent
    if a.quarter is not None and a.quarter not in (1, 2, 3, 4):
        raise ConfigError("季度应为 1 到 4", file=file, path="assessment.quarter")
    if a.quarter is None:
        start0, end0 = date(a.year, 1, 1), date(a.year, 12, 31)
    else:
        m0 = 3 * (a.quarter - 1) + 1
        start0 = date(a.year, m0, 1)
        end0 = date(a.year, m0 + 2, _calendar.monthrange(a.year, m0 + 2)[1])
    start = _date(a.start, file, "assessment.start") if a.start else start0
    end = _date(a.end, file, "assessment.end") if a.end else end0
    if end < start:
        raise ConfigError("考核期结束日期早于开始日期", file=file, path="assessment.end")
    period = a.period or (f"{a.year}Q{a.quarter}" if a.quarter else str(a.year))

    collectors = []
    raw_collectors = data.get("collectors", {})
    if not isinstance(raw_collectors, dict):
        raise ConfigError("collectors 应为表", file=file, path="collectors")
    for name, settings in raw_collectors.items():
        if not isinstance(settings, dict):
            raise ConfigError(
                "采集器设置应为表",
                file=file,
                path=f"collectors.{name}",
                hint=f"写成 [collectors.{name}]",
            )
        settings = dict(settings)
        use = settings.pop("use", name)
        if not isinstance(use, str):
            raise ConfigError("use 应为采集器名称", file=file, path=f"collectors.{name}.use")
        collectors.append(CollectorEntry(name, use, settings, f"collectors.{name}"))

    combine: dict[str, tuple[Path, ...]] = {}
    for part, files in data.get("combine", {}).items():
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ConfigError(
                "应为配置文件路径的数组",
                file=file,
                path=f"combine.{part}",
                hint='如 quarterly = ["q1.toml", "q2.toml"]',
            )
        combine[part] = tuple(base / f for f in files)

    outputs = structure(
        data.get("outputs", {}), RawOutputs, error=ConfigError, file=file, path="outputs"
    )
    notice = data.get("notice", {})
    if not isinstance(notice, dict):
        raise ConfigError("notice 应为表", file=file, path="notice")
    return AssessmentConfig(
        file=file,
        name=a.name,
        rubric=base / a.rubric,
        roster=base / a.roster,
        year=a.year,
        quarter=a.quarter,
        start=start,
        end=end,
        output=base / a.output,
        plugins=tuple(a.plugins),
        allow_partial=a.allow_partial,
        period=period,
        collectors=tuple(collectors),
        calendar=data.get("calendar"),
        combine=combine,
        formats=tuple(outputs.formats) if outputs.formats is not None else None,
        notice=dict(notice),
        previous=base / a.previous if a.previous else None,
        ledger=_table(data, "ledger", file),
    )


def _table(data: dict[str, Any], key: str, file: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{key} 应为表", file=file, path=key, hint=f"写成 [{key}]")
    return dict(value)
