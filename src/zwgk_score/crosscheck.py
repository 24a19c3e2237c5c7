"""Cross-checks (交叉核对) between the config, the rubric, the data and the previous result.

Each file can be valid on its own and still contradict another: a config
``year`` that is not the rubric's, a ``[combine]`` listing the config itself,
a ``previous`` result of another region, an export whose dates all lie in
another year.  Contradictions that cannot be meant are a located
:class:`~zwgk_score.errors.ConfigError`; the ones an office may want (last
year's rubric on purpose, an indicator without any data) are a
:class:`RunWarning`, printed by the CLI and recorded in the outputs
(``warnings`` of results.json, sheet 运行提示 of the workbook).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from zwgk_score.errors import ConfigError, ZwgkError

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.collect.base import CollectContext
    from zwgk_score.config import AssessmentConfig
    from zwgk_score.methods.base import Method
    from zwgk_score.previous import PreviousPeriod
    from zwgk_score.rubric import Rubric


@attrs.frozen
class RunWarning:
    """A warning of a run (运行提示): what, where, and a stable ``kind`` for programs.

    ``str(warning)`` is the Chinese line the CLI prints; ``text in warning``
    searches that line.
    """

    kind: str
    message: str
    file: str | None = None
    path: str | None = None
    line: int | None = None

    @classmethod
    def of(cls, kind: str, error: ZwgkError) -> RunWarning:
        """The warning saying what ``error`` says (message and location)."""
        return cls(kind, error.message, error.file, error.path, error.line)

    def location(self) -> str:
        return ZwgkError("", file=self.file, path=self.path, line=self.line).location()

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}：{self.message}" if loc else self.message

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and text in str(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for results.json."""
        return attrs.asdict(self)


# -- config against rubric --------------------------------------------------------------------


def check_rubric_year(cfg: AssessmentConfig, rubric: Rubric) -> list[RunWarning]:
    """The config ``year`` must be the rubric's ``meta.year`` unless ``rubric_year`` says otherwise.

    Raises:
        ConfigError: at ``assessment.year`` (or ``assessment.rubric_year``).
    """
    meta = rubric.meta
    if cfg.rubric_year is None:
        if meta.year != cfg.year:
            raise cfg.error(
                f"考核年度 {cfg.year} 与考核细则《{meta.title}》的年度 {meta.year} 不一致",
                "assessment.year",
                hint=f"核对 year 与 rubric 是否对应；确要沿用 {meta.year} 年度的细则，"
                f"在 [assessment] 中写 rubric_year = {meta.year}",
            )
        return []
    if meta.year != cfg.rubric_year:
        raise cfg.error(
            f"rubric_year 写的是 {cfg.rubric_year}，考核细则《{meta.title}》的年度却是 {meta.year}",
            "assessment.rubric_year",
            hint="rubric_year 应等于所用细则的 meta.year；细则与考核同一年度时删去该键",
        )
    if cfg.rubric_year == cfg.year:
        return []
    warning = cfg.error(
        f"沿用 {meta.year} 年度的考核细则《{meta.title}》考核 {cfg.year} 年度",
        "assessment.rubric_year",
    )
    return [RunWarning.of("rubric_year", warning)]


# -- [combine] parts -----------------------------------------------------------------------------


def load_parts(cfg: AssessmentConfig) -> dict[str, list[AssessmentConfig]]:
    """Load the configs of ``[combine]``, refusing the config itself, repeats and other years.

    Raises:
        ConfigError: at ``combine.<part>[i]`` of ``cfg``.
    """
    from zwgk_score.config import find_config, load_config

    seen: dict[Path, str] = {cfg.file.resolve(): "本配置"}
    periods: dict[str, str] = {cfg.period: "本配置"}
    parts: dict[str, list[AssessmentConfig]] = {}
    for part, files in cfg.combine.items():
        for i, f in enumerate(files):
            where = f"combine.{part}[{i}]"
            if not f.exists():
                raise cfg.error(f"阶段配置文件「{f.name}」不存在", where, hint="检查路径是否正确")
            real = find_config(f).resolve()
            if real in seen:
                what = seen[real]
                message = (
                    "阶段配置就是本配置自身，结果会与自己合成"
                    if what == "本配置"
                    else f"阶段配置与 {what} 重复"
                )
                raise cfg.error(
                    message, where, hint="[combine] 只列出其他阶段的配置文件，每个只列一次"
                )
            seen[real] = where
            sub = load_config(f)
            if sub.combine:
                raise cfg.error(
                    f"阶段配置 {f.name} 自己又有 [combine]",
                    where,
                    hint="阶段合成只有一层：删去阶段配置中的 [combine]",
                )
            if sub.year != cfg.year:
                raise cfg.error(
                    f"阶段配置 {f.name} 的考核年度是 {sub.year}，本配置是 {cfg.year}",
                    where,
                    hint="各阶段应属于同一考核年度；核对阶段配置的 year",
                )
            if sub.period in periods:
                raise cfg.error(
                    f"阶段配置 {f.name} 的期别「{sub.period}」与 {periods[sub.period]} 相同",
                    where,
                    hint="每个阶段的期别（quarter 或 period）应各不相同",
                )
            periods[sub.period] = where
            parts.setdefault(part, []).append(sub)
    return parts


# -- previous results ----------------------------------------------------------------------------


def check_previous(
    cfg: AssessmentConfig, previous: PreviousPeriod, rubric: Rubric, units: Iterable[str]
) -> list[RunWarning]:
    """Last period's result must be another period of the same units.

    Returns:
        warnings: the same period again, another rubric, units new to the roster.

    Raises:
        ConfigError: at ``assessment.previous``: a result sharing no unit with
            the roster (another region's file).
    """
    where = "assessment.previous"
    same_rubric = previous.rubric_id in (None, rubric.meta.id)
    roster = set(units)
    before = set(previous.summary["unit"])
    common = roster & before
    if not common:
        raise cfg.error(
            "上期结果中没有一个单位出现在本期名单中，每个单位都会显示为“新增”",
            where,
            hint="核对 previous 是否指向本地区上期的 results.json",
        )
    warnings = []
    if same_rubric and previous.period == cfg.period:
        # e.g. this run's own earlier output; an office may compare with a run before review
        same = cfg.error(
            f"上期结果与本期是同一期（{cfg.period}），排名变化是与该结果相比；"
            "previous 通常应指向上一期考核输出的 results.json",
            where,
        )
        warnings.append(RunWarning.of("previous_period", same))
    if not same_rubric:
        warnings.append(
            RunWarning.of(
                "previous_rubric",
                cfg.error(
                    f"上期结果按另一考核细则（{previous.rubric_id}）评分，本期细则为"
                    f" {rubric.meta.id}；排名变化按单位名称对比",
                    where,
                ),
            )
        )
    new = sorted(roster - before)
    if new:
        names = "、".join(new[:5]) + ("等" if len(new) > 5 else "")
        warnings.append(
            RunWarning.of(
                "previous_units",
                cfg.error(f"{len(new)} 个单位不在上期结果中（{names}），按“新增”显示", where),
            )
        )
    return warnings


# -- collector settings against the files ----------------------------------------------------------

_CSV = (".csv", ".txt", ".tsv")
_EXCEL = (".xlsx", ".xlsm", ".xls")


def check_file_settings(cfg: AssessmentConfig) -> None:
    """Reading settings that cannot apply: ``sheet`` on a CSV, ``encoding`` on a workbook, unknown encodings.

    Only the common reading settings of a collector table with one ``file``
    are looked at; everything else is the collector's own business.

    Raises:
        ConfigError: at ``collectors.<name>.sheet`` / ``.encoding``.
    """
    for entry in cfg.collectors:
        settings, where = entry.settings, entry.path
        file = settings.get("file")
        suffix = Path(file).suffix.lower() if isinstance(file, str) else ""
        if "sheet" in settings and suffix in _CSV:
            raise cfg.error(
                f"sheet 只适用于 Excel 文件，而「{file}」是 CSV 文件",
                f"{where}.sheet",
                hint="删去 sheet；或把 file 改为 Excel 导出文件",
            )
        encoding = settings.get("encoding")
        if encoding is None:
            continue
        if suffix in _EXCEL:
            raise cfg.error(
                f"encoding 只适用于 CSV 文件，而「{file}」是 Excel 文件",
                f"{where}.encoding",
                hint="删去 encoding（Excel 文件自带编码）",
            )
        try:
            codecs.lookup(str(encoding))
        except LookupError:
            raise cfg.error(
                f"未知的文字编码「{encoding}」",
                f"{where}.encoding",
                hint="常用：utf-8、gb18030（含 GBK、GB2312）；不写则自动识别",
            ) from None


# -- data against the rubric and the period --------------------------------------------------------


def _declaring_entry(cfg: AssessmentConfig, key: str) -> str | None:
    """The ``[collectors.X]`` table that names ``key`` in its settings, if any."""
    for entry in cfg.collectors:
        for name in ("keys", "provides", "columns"):
            value = entry.settings.get(name)
            named = (
                set(value) | {str(v) for v in value.values()}
                if isinstance(value, Mapping)
                else set(value)
                if isinstance(value, list)
                else set()
            )
            if key in named:
                return f"{entry.path}.{name}"
    return None


def check_data_keys(
    cfg: AssessmentConfig, rubric: Rubric, data: pd.DataFrame, methods: Mapping[str, Method]
) -> list[RunWarning]:
    """Indicators that read a data key no data row carries (a header-only export, a wrong key).

    Under ``meta.missing = "error"`` the engine refuses such data anyway; under
    ``"zero"`` or ``"not_applicable"`` every unit would silently get 0 or 不适用,
    so each such key is a warning.
    """
    if rubric.meta.missing == "error":
        return []
    present = set(data["key"].astype(str)) if len(data) else set()
    treated = "不适用" if rubric.meta.missing == "not_applicable" else "0 分"
    warnings = []
    for leaf in rubric.leaves:
        method = methods.get(leaf.method or "")
        if not leaf.data or leaf.data in present or not getattr(method, "requires_rows", True):
            continue
        path = _declaring_entry(cfg, leaf.data)
        warnings.append(
            RunWarning(
                "no_data",
                f"指标「{leaf.name}」（{leaf.id}）的数据键 {leaf.data} 没有任何数据行，"
                f"所有单位按{treated}处理（导出文件是否只有表头？）",
                str(cfg.file),
                path,
                None if path is None else _line(cfg, path),
            )
        )
    return warnings


def _line(cfg: AssessmentConfig, path: str) -> int | None:
    from zwgk_score.structure import toml_line

    return toml_line(cfg.text, path)


def check_period_rows(ctx: CollectContext, days: np.ndarray, path: str) -> None:
    """Refuse a dated table none of whose rows lies in the assessed year (or period).

    Rows outside the period are dropped by design (a quarterly check reads
    the year's register); if *every* row lies outside the year, the export or
    the config's ``year`` is wrong, and dropping them all would publish a
    ranking without that data.

    Raises:
        ConfigError: at the collector's table, naming the dates found.
    """
    valid = days[~np.isnat(days)] if days.dtype.kind == "M" else days
    if len(valid) == 0:
        return
    lo = min(np.datetime64(date(ctx.year, 1, 1), "D"), np.datetime64(ctx.period_start, "D"))
    hi = max(np.datetime64(date(ctx.year, 12, 31), "D"), np.datetime64(ctx.period_end, "D"))
    if ((valid >= lo) & (valid <= hi)).any():
        return
    first, last = (pd.Timestamp(d).date() for d in (valid.min(), valid.max()))
    raise ConfigError(
        f"全部 {len(valid)} 行的日期（{_cn(first)}至{_cn(last)}）都不在 {ctx.year} 年度内，"
        "按考核期筛选后将一行不剩",
        file=ctx.config_file,
        path=path,
        hint="核对考核配置的 year（及 start、end）与导出文件是否同一年度；"
        "确要使用全部行的，设置 period_only = false",
    )


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def warnings_of(errors: Sequence[str], kind: str = "plugin") -> list[RunWarning]:
    """Plain warning texts (plugin failures under ``allow_partial``) as records."""
    return [RunWarning(kind, text) for text in errors]
