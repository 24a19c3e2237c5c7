"""The whole job (一键考核): config → collect → score → combine → write outputs.

``run_assessment`` is what ``zwgk-score run`` calls.  Nothing is written
until every collector has run and scoring succeeded; each output file is
written atomically.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from zwgk_score.collect.base import STATUS_MISSING, CollectContext, evidence_frame
from zwgk_score.config import AssessmentConfig, CollectorEntry, load_config
from zwgk_score.engine import score
from zwgk_score.errors import ConfigError, OutputError, PluginError, ZwgkError
from zwgk_score.plugins import PluginHost
from zwgk_score.previous import load_previous
from zwgk_score.results import Results
from zwgk_score.roster import load_roster
from zwgk_score.rubric import load_rubric
from zwgk_score.workdays import WorkCalendar

Progress = Callable[[str, int, int], None]


@attrs.frozen
class RunOutcome:
    """What a run produced."""

    config: AssessmentConfig
    results: Results
    written: tuple[Path, ...]
    warnings: tuple[str, ...]
    periods: tuple[RunOutcome, ...] = ()


def _provided_keys(entry: CollectorEntry) -> list[str]:
    keys = entry.settings.get("provides") or entry.settings.get("keys") or []
    if isinstance(keys, dict):
        return [str(v) for v in keys.values()]
    return [str(k) for k in keys] if isinstance(keys, list) else []


def _at_entry(exc: ZwgkError, entry: CollectorEntry) -> ZwgkError:
    """Point a collector's error at the config table the user wrote (``[collectors.NAME]``).

    A collector names its own settings ``collectors.<collector>``; used under
    another table name (``[collectors.reviewer] use = "table"``) the path and
    the hint must say ``collectors.reviewer``.
    """
    if entry.name == entry.collector:
        return exc
    prefix = re.compile(rf"collectors\.{re.escape(entry.collector)}(?=$|[.\]])")
    path = prefix.sub(entry.path, exc.path) if exc.path else exc.path
    hint = prefix.sub(entry.path, exc.hint) if exc.hint else exc.hint
    return type(exc)(
        exc.message, file=exc.file, path=path, line=exc.line, column=exc.column, hint=hint
    )


def collect_all(
    cfg: AssessmentConfig,
    host: PluginHost,
    ctx: CollectContext,
    *,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Run every configured collector; return the evidence table and warnings."""
    collectors = host.collectors()
    frames, warnings = [], []
    for i, entry in enumerate(cfg.collectors):
        if progress:
            progress(f"采集：{entry.name}", i, len(cfg.collectors))
        collector = collectors.get(entry.collector)
        try:
            if collector is None:
                raise ConfigError(
                    f"未知的采集器「{entry.collector}」",
                    file=cfg.file,
                    path=entry.path,
                    hint=f"可用采集器：{'、'.join(sorted(collectors)) or '无'}；区域采集器需安装相应插件",
                )
            settings = {k: v for k, v in entry.settings.items() if k != "provides"}
            try:
                frame = collector.collect(settings, ctx)
            except ZwgkError as exc:
                raise _at_entry(exc, entry) from None
            except Exception as exc:  # noqa: BLE001 - a plugin bug is named, never a traceback
                owner = host.owner("register_collectors", entry.collector) or "?"
                raise PluginError(
                    f"插件「{owner}」的采集器「{entry.collector}」出错：{type(exc).__name__}: {exc}",
                    file=cfg.file,
                    path=entry.path,
                    hint="修复该插件；或设置 allow_partial = true 把相关指标标记为缺失",
                ) from None
            if not isinstance(frame, pd.DataFrame):
                raise PluginError(
                    f"采集器「{entry.collector}」返回了 {type(frame).__name__}，应返回 DataFrame",
                    file=cfg.file,
                    path=entry.path,
                    hint="用 zwgk_score.collect.evidence_frame 构造返回值",
                )
            frame = evidence_frame(frame)
            if not frame.empty:
                frame["source"] = frame["source"].where(frame["source"] != "", entry.name)
            frames.append(frame)
        except (PluginError, ConfigError) as exc:
            if not cfg.allow_partial or (isinstance(exc, ConfigError) and collector is not None):
                raise
            keys = _provided_keys(entry)
            warnings.append(f"{exc.message}；已将 {len(keys)} 个数据键标记为缺失")
            frames.append(
                evidence_frame(
                    {
                        "unit": u,
                        "key": k,
                        "status": STATUS_MISSING,
                        "evidence": f"采集器「{entry.name}」失败",
                        "source": entry.name,
                    }
                    for u in ctx.units
                    for k in keys
                )
            )
    if progress:
        progress("采集完成", len(cfg.collectors), len(cfg.collectors))
    data = pd.concat(frames, ignore_index=True) if frames else evidence_frame()
    return data, warnings


def score_config(
    cfg: AssessmentConfig, host: PluginHost, *, progress: Progress | None = None
) -> tuple[Results, list[str]]:
    """Collect and score one config (no outputs written)."""
    for name in cfg.plugins:
        if name not in {n for n, _ in host.pm.list_name_plugin()}:
            raise PluginError(
                f"考核配置要求的插件「{name}」未安装或未加载",
                file=cfg.file,
                path="assessment.plugins",
                hint="安装该插件（pip install -e plugins/<地区>），或检查 ZWGK_SCORE_PLUGINS",
            )
    if not cfg.allow_partial:
        host.raise_failures()
    warnings = [f"插件「{f.name}」{f.stage}失败：{f.error}" for f in host.failures]
    rubric = load_rubric(cfg.rubric, methods=host.methods())
    roster = load_roster(cfg.roster, rubric)
    cal = WorkCalendar.from_config(cfg.calendar, file=cfg.file)
    ctx = CollectContext(
        year=cfg.year,
        quarter=cfg.quarter,
        period_start=cfg.start,
        period_end=cfg.end,
        base_dir=cfg.base_dir,
        units=tuple(roster["unit"]),
        calendar=cal,
        config_file=cfg.file,
    )
    data, more = collect_all(cfg, host, ctx, progress=progress)
    results = score(
        rubric,
        data,
        roster,
        data_file=cfg.file,
        roster_file=cfg.roster,
        period=cfg.period,
        methods=host.methods(),
    )
    if cfg.ledger:
        from zwgk_score.loop.runner import with_decisions

        results = with_decisions(results, cfg)
    return results, warnings + more


def _template_dirs(cfg: AssessmentConfig, host: PluginHost) -> list[Path]:
    """The notice template set of this assessment (通报模板).

    ``[notice] templates = "NAME"`` picks a registered set; otherwise the first
    plugin named in ``assessment.plugins`` that registered one; otherwise only
    the built-in templates.  Sets are never mixed, so one region's wording
    cannot leak into another region's notice.
    """
    sets = host.notice_templates()
    chosen = cfg.notice.get("templates")
    if chosen is not None:
        if not isinstance(chosen, str) or chosen not in sets:
            raise ConfigError(
                f"未注册的通报模板「{chosen}」",
                file=cfg.file,
                path="notice.templates",
                hint=f"已注册的模板：{'、'.join(sets)}",
            )
        return [sets[chosen]]
    for name in cfg.plugins:
        if name in sets:
            return [sets[name]]
    return []


class Staging:
    """Outputs are written into hidden staging folders and moved into place only when every one succeeded.

    A failing exporter (a bad notice template, a full disk) then leaves the
    output directories exactly as they were: no partial file, and no new file
    beside stale ones from an earlier run.
    """

    def __init__(self) -> None:
        self._stages: list[tuple[Path, Path]] = []

    def stage(self, target: Path) -> Path:
        """A fresh staging folder for ``target`` (created beside it, on the same file system)."""
        if target.exists() and not target.is_dir():
            raise OutputError(
                "输出目录是一个已存在的文件",
                file=target,
                hint="换一个输出目录（-o），或移走同名文件",
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            stage = Path(
                tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            )
        except OSError as exc:
            raise OutputError(
                f"无法创建输出目录：{exc.strerror}",
                file=target,
                hint="检查输出目录的上级路径是否存在、是否可写",
            ) from None
        self._stages.append((stage, target))
        return stage

    def commit(self) -> dict[Path, Path]:
        """Move every staged file to its place; return staged path → final path."""
        moved: dict[Path, Path] = {}
        for stage, target in self._stages:
            target.mkdir(parents=True, exist_ok=True)
            for src in sorted(p for p in stage.rglob("*") if p.is_file()):
                dest = target / src.relative_to(stage)
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dest)
                moved[src] = dest
        self.discard()
        return moved

    def discard(self) -> None:
        """Remove the staging folders (after a commit they are empty)."""
        for stage, _ in self._stages:
            shutil.rmtree(stage, ignore_errors=True)
        self._stages.clear()


def write_outputs(
    results: Results,
    cfg: AssessmentConfig,
    host: PluginHost,
    *,
    previous: Any = None,
    progress: Progress | None = None,
    out_dir: Path | None = None,
) -> list[Path]:
    """Run every requested exporter into ``out_dir`` (default: the config's output directory)."""
    out_dir = cfg.output if out_dir is None else out_dir
    exporters = host.exporters()
    formats = list(cfg.formats) if cfg.formats is not None else list(exporters)
    for i, f in enumerate(formats):
        if f not in exporters:
            raise ConfigError(
                f"未知的输出格式「{f}」",
                file=cfg.file,
                path=f"outputs.formats[{i}]",
                hint=f"可用格式：{'、'.join(exporters)}",
            )
    options: dict[str, Any] = {k: v for k, v in cfg.notice.items() if k != "templates"}
    options.update(
        previous=previous,
        template_dirs=_template_dirs(cfg, host),
        quarter=cfg.quarter,
        config_file=cfg.file,
        assessment_name=cfg.name,
        period_end=cfg.end,
    )
    written: list[Path] = []
    for i, f in enumerate(formats):
        if progress:
            progress(f"输出：{f}", i, len(formats))
        try:
            written.extend(exporters[f].export(results, out_dir, options))
        except ZwgkError as exc:
            raise exc.at(file=cfg.file) from None
        except OSError as exc:
            raise OutputError(
                f"写出「{f}」时出错：{exc.strerror or exc}",
                file=cfg.output,
                hint="检查输出目录是否可写、磁盘空间是否充足",
            ) from None
    if progress:
        progress("输出完成", len(formats), len(formats))
    return written


def score_assessment(
    path: str | Path,
    *,
    host: PluginHost | None = None,
    plugins_dir: str | Path | None = None,
    progress: Progress | None = None,
    allow_partial: bool | None = None,
    output: str | Path | None = None,
) -> RunOutcome:
    """Collect and score the assessment of a config (and its other periods), writing nothing.

    The outcome's ``results`` is the published result (combined with the other
    periods when the config has ``[combine]``); ``periods`` holds each other
    period's outcome.  Arguments as for :func:`run_assessment`.
    """
    cfg = load_config(path)
    if allow_partial is not None:
        cfg = attrs.evolve(cfg, allow_partial=allow_partial)
    if output is not None:
        cfg = attrs.evolve(cfg, output=Path(output))
    host = host or PluginHost(plugins_dir)
    results, warnings = score_config(cfg, host, progress=progress)

    period_runs: list[RunOutcome] = []
    others: dict[str, list[Results]] = {}
    for part, files in cfg.combine.items():
        for f in files:
            sub_cfg = load_config(f)
            if allow_partial is not None:
                sub_cfg = attrs.evolve(sub_cfg, allow_partial=allow_partial)
            if output is not None:
                sub_cfg = attrs.evolve(sub_cfg, output=Path(output) / sub_cfg.period)
            sub, sub_warn = score_config(sub_cfg, host, progress=progress)
            others.setdefault(part, []).append(sub)
            period_runs.append(RunOutcome(sub_cfg, sub, (), tuple(sub_warn)))
            warnings.extend(sub_warn)
    final = results
    if others:
        from zwgk_score.combine import combine_results

        declared = [p.id for p in results.rubric.combine]
        current = [p for p in declared if p not in others]
        if len(current) != 1:
            raise ConfigError(
                "无法确定本次考核属于哪个阶段",
                file=cfg.file,
                path="combine",
                hint=f"[combine] 应列出除本次以外的全部阶段；细则阶段：{'、'.join(declared)}",
            )
        final = combine_results(current[0], results, others)
    return RunOutcome(cfg, final, (), tuple(warnings), tuple(period_runs))


def run_assessment(
    path: str | Path,
    *,
    host: PluginHost | None = None,
    plugins_dir: str | Path | None = None,
    progress: Progress | None = None,
    allow_partial: bool | None = None,
    output: str | Path | None = None,
) -> RunOutcome:
    """Run the assessment described by a config file or directory; write all outputs.

    Args:
        path: the config file or its directory.
        host: a plugin host (default: built-ins, installed plugins and ``plugins_dir``).
        plugins_dir: a directory of one-off ``*.py`` plugins.
        progress: callback ``(label, done, total)`` for a progress display.
        allow_partial: override the config's ``allow_partial``.
        output: write here instead of the config's output directory; the
            other periods' outputs go to ``output/<period>``.
    """
    host = host or PluginHost(plugins_dir)
    scored = score_assessment(
        path, host=host, progress=progress, allow_partial=allow_partial, output=output
    )
    cfg, final, period_runs = scored.config, scored.results, list(scored.periods)
    warnings = list(scored.warnings)

    # last period's published results (read before anything is written, so a bad file writes nothing)
    last = {
        c.file: load_previous(c.previous)
        for c in [cfg, *(r.config for r in period_runs)]
        if c.previous
    }

    # everything is scored: now write (quarterly outputs first, each to its own directory);
    # a quarter compares with the quarter before it unless its config names another previous result
    written: list[Path] = []
    done_periods = []
    previous: Any = None
    staging = Staging()
    try:
        staged_periods = []
        for run in period_runs:
            previous = last.get(run.config.file, previous)
            stage = staging.stage(run.config.output)
            w = write_outputs(
                run.results, run.config, host, previous=previous, progress=progress, out_dir=stage
            )
            previous = run.results
            staged_periods.append((run, w))
        stage = staging.stage(cfg.output)
        final_written = write_outputs(
            final, cfg, host, previous=last.get(cfg.file), progress=progress, out_dir=stage
        )
        from zwgk_score.loop.runner import publishing

        with publishing(
            cfg, final, stage, host
        ) as extra:  # the ledger commits only with the outputs
            final_written.extend(extra)
            moved = staging.commit()
    finally:
        staging.discard()
    for run, w in staged_periods:
        paths = tuple(moved.get(p, p) for p in w)
        done_periods.append(attrs.evolve(run, written=paths))
        written.extend(paths)
    written.extend(moved.get(p, p) for p in final_written)
    return RunOutcome(cfg, final, tuple(written), tuple(warnings), tuple(done_periods))
