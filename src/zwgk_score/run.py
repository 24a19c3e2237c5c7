"""The whole job (一键考核): config → collect → score → combine → write outputs.

``run_assessment`` is what ``zwgk-score run`` calls.  Nothing is written
until every collector has run and scoring succeeded; the whole output set
becomes visible in one step (:mod:`zwgk_score.outputset`).
"""

from __future__ import annotations

import contextlib
import functools
import re
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import attrs
import pandas as pd

from zwgk_score import score_pair
from zwgk_score.collect.base import STATUS_MISSING, CollectContext, evidence_frame
from zwgk_score.config import AssessmentConfig, CollectorEntry, load_config
from zwgk_score.crosscheck import (
    RunWarning,
    check_data_keys,
    check_previous,
    check_rubric_year,
    load_parts,
    warnings_of,
)
from zwgk_score.engine import score
from zwgk_score.env import check_environment, check_plugin_names
from zwgk_score.errors import ConfigError, OutputError, PluginError, ZwgkError
from zwgk_score.inspection.saved import deferred_saves
from zwgk_score.output_pair import write_steps
from zwgk_score.outputs.memory import between_outputs
from zwgk_score.outputset import OutputSet
from zwgk_score.plugins import PluginHost
from zwgk_score.previous import load_previous
from zwgk_score.results import Results
from zwgk_score.roster import load_roster
from zwgk_score.rubric import load_rubric
from zwgk_score.run_progress import OutputPlan
from zwgk_score.structure import structure, with_toml_line
from zwgk_score.workdays import WorkCalendar

Progress = Callable[[str, int, int], None]
P = ParamSpec("P")
R = TypeVar("R")


@attrs.frozen
class RunOutcome:
    """What a run produced."""

    config: AssessmentConfig
    results: Results
    written: tuple[Path, ...]
    #: warnings of the run (plugin failures under allow_partial, cross-check findings);
    #: ``str(w)`` is the printed line, and they are recorded in the outputs
    warnings: tuple[RunWarning, ...]
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
) -> tuple[Results, list[RunWarning]]:
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
    warnings = warnings_of([f"插件「{f.name}」{f.stage}失败：{f.error}" for f in host.failures])
    rubric = load_rubric(cfg.rubric, methods=host.methods())
    warnings += check_rubric_year(cfg, rubric)
    roster = load_roster(cfg.roster, rubric)
    cal = WorkCalendar.from_years(cfg.calendar, file=cfg.file)
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
    warnings += warnings_of(more, "collector")
    warnings += check_data_keys(cfg, rubric, data)
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
    return results, warnings


def _template_dirs(cfg: AssessmentConfig, host: PluginHost) -> list[Path]:
    """The notice template set of this assessment (通报模板).

    ``[notice] templates = "NAME"`` picks a registered set; otherwise the first
    plugin named in ``assessment.plugins`` that registered one; otherwise only
    the built-in templates.  Sets are never mixed, so one region's wording
    cannot leak into another region's notice.
    """
    sets = host.notice_templates()
    own = _own_template_dirs(cfg)
    chosen = cfg.notice.get("templates")
    if chosen is not None:
        if not isinstance(chosen, str) or chosen not in sets:
            raise ConfigError(
                f"未注册的通报模板「{chosen}」",
                file=cfg.file,
                path="notice.templates",
                hint=f"已注册的模板：{'、'.join(sets)}",
            )
        return own + _existing(sets[chosen], chosen, host)
    for name in cfg.plugins:
        if name in sets:
            return own + _existing(sets[name], name, host)
    return own


def _own_template_dirs(cfg: AssessmentConfig) -> list[Path]:
    """``[notice] template_dirs``: folders of the office's own templates, relative to the config."""
    value = cfg.notice.get("template_dirs")
    if value is None:
        return []
    names = structure(
        [value] if isinstance(value, str) else value,
        list[str],
        error=ConfigError,
        file=cfg.file,
        path="notice.template_dirs",
        hint='如 template_dirs = ["templates/notice"]',
    )
    dirs = []
    for i, name in enumerate(names):
        folder = cfg.base_dir / name
        if not folder.is_dir():
            where = (
                "notice.template_dirs" if isinstance(value, str) else f"notice.template_dirs[{i}]"
            )
            raise cfg.error(
                f"通报模板目录「{name}」{'是一个文件' if folder.exists() else '不存在'}",
                where,
                hint="给出存放 *.md.j2 模板的目录（相对于考核配置所在目录）",
            )
        dirs.append(folder)
    return dirs


def _existing(folder: Path, name: str, host: PluginHost) -> list[Path]:
    """A registered template set's folder, which must exist."""
    if not Path(folder).is_dir():
        owner = host.owner("register_notice_templates", name) or "?"
        raise PluginError(
            f"插件「{owner}」注册的通报模板「{name}」的目录不存在：{folder}",
            hint="修复该插件（register_notice_templates 应给出模板所在目录）",
        )
    return [Path(folder)]


def _os_cause(exc: BaseException | None) -> OSError | None:
    """The OSError behind ``exc`` (itself, its first argument, its cause or context), if any."""
    for _ in range(5):
        if exc is None or isinstance(exc, OSError):
            return exc
        first = exc.args[0] if exc.args else None
        exc = first if isinstance(first, OSError) else (exc.__cause__ or exc.__context__)
    return None


@attrs.frozen(eq=False)
class PeriodOutputs:
    """What one period's exporters need: its results, config, staging folder and options."""

    results: Results
    cfg: AssessmentConfig
    out_dir: Path
    formats: tuple[str, ...]
    exporters: dict[str, Any]
    options: dict[str, Any]


def prepare_outputs(
    results: Results,
    cfg: AssessmentConfig,
    host: PluginHost,
    *,
    previous: Any = None,
    out_dir: Path | None = None,
    warnings: tuple[RunWarning, ...] = (),
    periods: tuple[Results, ...] = (),
) -> PeriodOutputs:
    """Check the formats a config asks for and gather the exporters' options (nothing written)."""
    out_dir = cfg.output if out_dir is None else out_dir
    exporters = host.exporters()
    formats = output_formats(cfg, host)
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
        warnings=tuple(warnings),
        template_dirs=_template_dirs(cfg, host),
        quarter=cfg.quarter,
        config_file=cfg.file,
        assessment_name=cfg.name,
        period_end=cfg.end,
        periods=periods,
    )
    if cfg.ledger:  # the ledger's earlier periods: trends in notice, workbook and site
        from zwgk_score.loop.history import config_history

        history = config_history(cfg, results, periods=periods, previous=previous)
        if history is not None:
            options["history"] = history
    return PeriodOutputs(results, cfg, out_dir, tuple(formats), exporters, options)


def export_format(
    outputs: PeriodOutputs, fmt: str, step: Callable[[int, int], None] | None = None
) -> list[Path]:
    """Run one exporter of a period; an OS error becomes an :class:`OutputError` naming the file."""
    cfg, out_dir = outputs.cfg, outputs.out_dir
    options = {**outputs.options, "progress": step}
    try:
        written: list[Path] = outputs.exporters[fmt].export(outputs.results, out_dir, options)
        return written
    except ZwgkError as exc:
        raise exc.at(file=cfg.file) from None
    except Exception as error:  # an OSError, or one wrapped by a library (xlsxwriter)
        os_exc = _os_cause(error)
        if os_exc is None:
            raise
        where = Path(os_exc.filename) if os_exc.filename else None
        if where is not None and where.is_relative_to(out_dir):
            where = cfg.output / where.relative_to(out_dir)  # name the file, not the staging
        raise OutputError(
            f"写出「{fmt}」时出错：{os_exc.strerror or os_exc}",
            file=where or cfg.output,
            hint="检查输出目录是否可写、磁盘空间是否充足",
        ) from None


def _export_step(
    outputs: PeriodOutputs, fmt: str, step: Callable[[int, int], None] | None
) -> list[Path]:
    """One output step of a run, then the heap of a national record trimmed (see memory)."""
    written = export_format(outputs, fmt, step)
    between_outputs(len(outputs.results.units) * len(outputs.results.leaves))
    return written


def write_outputs(
    results: Results,
    cfg: AssessmentConfig,
    host: PluginHost,
    *,
    previous: Any = None,
    progress: Progress | None = None,
    out_dir: Path | None = None,
    warnings: tuple[RunWarning, ...] = (),
    periods: tuple[Results, ...] = (),
    plan: OutputPlan | None = None,
) -> list[Path]:
    """Run every requested exporter into ``out_dir`` (default: the config's output directory).

    ``periods`` are the results of this run's earlier periods (the quarters before
    this one, or every quarter of a combined annual result), oldest first.
    ``plan``: the whole run's output steps (:func:`output_plan`), which then report
    ``progress`` in weighted units across every period instead of step by step.
    """
    outputs = prepare_outputs(
        results, cfg, host, previous=previous, out_dir=out_dir, warnings=warnings, periods=periods
    )
    if plan is None:
        plan = OutputPlan(progress, [(f, len(results.units)) for f in outputs.formats])
    written: list[Path] = []
    for f in outputs.formats:
        label = f"输出：{f}"
        step = plan.start(label)
        written.extend(_export_step(outputs, f, step))
        plan.finish(label)
    return written


def output_formats(cfg: AssessmentConfig, host: PluginHost) -> list[str]:
    """The formats the config asks for (all registered ones when it names none)."""
    return list(cfg.formats) if cfg.formats is not None else list(host.exporters())


def output_plan(
    runs: Sequence[tuple[AssessmentConfig, Results]],
    host: PluginHost,
    progress: Progress | None,
) -> OutputPlan:
    """The output steps of every period of a run, weighted by format and number of units."""
    return OutputPlan(
        progress,
        [(f, len(res.units)) for cfg, res in runs for f in output_formats(cfg, host)],
    )


def _with_lines(fn: Callable[P, R]) -> Callable[P, R]:
    """Errors naming a key of a TOML file (config, rubric) also name its line."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except ZwgkError as exc:
            raise with_toml_line(exc) from None

    return wrapper


@_with_lines
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
    check_environment()
    cfg = load_config(path)
    if allow_partial is not None:
        cfg = attrs.evolve(cfg, allow_partial=allow_partial)
    if output is not None:
        cfg = attrs.evolve(cfg, output=Path(output))
    host = host or PluginHost(plugins_dir)
    check_plugin_names([n for n, _ in host.pm.list_name_plugin()] + [f.name for f in host.failures])
    sub_cfgs: list[tuple[str, AssessmentConfig]] = []
    for part, configs in load_parts(cfg).items():  # a bad [combine]: before anything is collected
        for sub_cfg in configs:
            if allow_partial is not None:
                sub_cfg = attrs.evolve(sub_cfg, allow_partial=allow_partial)
            if output is not None:
                sub_cfg = attrs.evolve(sub_cfg, output=Path(output) / sub_cfg.period)
            sub_cfgs.append((part, sub_cfg))
    if score_pair.use_pair(len(sub_cfgs), [cfg.roster, *(c.roster for _, c in sub_cfgs)]):
        # the other periods are scored in a helper process meanwhile (same results, same errors);
        # it is forked at once: loading the rubric and the collectors first, to share them, kept
        # the other core idle that long (~0.1 s), which costs more than loading them twice
        (results, warnings), subs = score_pair.score_in_pair(
            lambda: score_config(cfg, host, progress=progress),
            [functools.partial(score_config, c, host) for _, c in sub_cfgs],
            meanwhile=host.exporters,  # their imports (~0.3 s) while the helper finishes
        )
    else:
        results, warnings = score_config(cfg, host, progress=progress)
        subs = [score_config(c, host, progress=progress) for _, c in sub_cfgs]

    period_runs: list[RunOutcome] = []
    others: dict[str, list[Results]] = {}
    for (part, sub_cfg), (sub, sub_warn) in zip(sub_cfgs, subs, strict=True):
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


@_with_lines
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
    with deferred_saves():  # a live crawl's save_to is written only when the whole run succeeds
        return _run(path, host or PluginHost(plugins_dir), progress, allow_partial, output)


def _run(
    path: str | Path,
    host: PluginHost,
    progress: Progress | None,
    allow_partial: bool | None,
    output: str | Path | None,
) -> RunOutcome:
    scored = score_assessment(
        path, host=host, progress=progress, allow_partial=allow_partial, output=output
    )
    cfg, final, period_runs = scored.config, scored.results, list(scored.periods)
    warnings = list(scored.warnings)

    # last period's published results (read before anything is written, so a bad file writes nothing)
    last = {}
    for c, res in [(cfg, final), *((r.config, r.results) for r in period_runs)]:
        if c.previous:
            prev = load_previous(c.previous)
            warnings += check_previous(c, prev, res.rubric, res.summary["unit"])
            last[c.file] = prev

    # everything is scored: now write (quarterly outputs first, each to its own directory);
    # a quarter compares with the quarter before it unless its config names another previous result
    # one output set: every folder locked, staged on its own file system and swapped in one step
    written: list[Path] = []
    done_periods = []
    previous: Any = None
    plan = output_plan(
        [*((r.config, r.results) for r in period_runs), (cfg, final)], host, progress
    )
    with OutputSet([*(r.config.output for r in period_runs), cfg.output]) as outputs:
        prepared: list[PeriodOutputs] = []
        for run in period_runs:
            previous = last.get(run.config.file, previous)
            prepared.append(
                prepare_outputs(
                    run.results,
                    run.config,
                    host,
                    previous=previous,
                    out_dir=outputs.stage(run.config.output),
                    warnings=run.warnings,
                    periods=tuple(p.results for p in prepared),
                )
            )
            previous = run.results
        stage = outputs.stage(cfg.output)
        prepared.append(
            prepare_outputs(
                final,
                cfg,
                host,
                previous=last.get(cfg.file),
                out_dir=stage,
                warnings=tuple(warnings),
                periods=tuple(run.results for run in period_runs),
            )
        )
        # every period's every format is one step; a small run writes them on two cores
        steps = [(i, f) for i, p in enumerate(prepared) for f in p.formats]
        done = write_steps(
            [f"输出：{f}" for _, f in steps],
            lambda k, step: _export_step(prepared[steps[k][0]], steps[k][1], step),
            plan,
            reset=functools.partial(_emptied, [p.out_dir for p in prepared]),
        )
        by_period: list[list[Path]] = [[] for _ in prepared]
        for k, (i, _) in enumerate(steps):
            by_period[i].extend(done[k])
        staged_periods = list(zip(period_runs, by_period[:-1], strict=True))
        final_written = by_period[-1]
        if progress:
            progress("发布输出", plan.total, plan.total)
        # the ledger records the run in one transaction that commits only with the outputs
        # (imported only then: SQLAlchemy and Alembic cost a cold run without a ledger ~0.5 s)
        with _publishing(cfg, final, stage, host) as extra:
            final_written.extend(extra)
            outputs.commit()
        warnings.extend(warnings_of(outputs.warnings, "output"))
    for run, w in staged_periods:
        paths = tuple(outputs.final(p) for p in w)
        done_periods.append(attrs.evolve(run, written=paths))
        written.extend(paths)
    written.extend(outputs.final(p) for p in final_written)
    return RunOutcome(cfg, final, tuple(written), tuple(warnings), tuple(done_periods))


def _emptied(folders: Sequence[Path]) -> None:
    """Empty staging folders (a nested one, a quarter's inside the year's, stays, emptied too)."""
    keep = {Path(f).resolve() for f in folders}
    for folder in folders:
        for entry in Path(folder).iterdir():
            if entry.resolve() in keep:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


def _publishing(
    cfg: AssessmentConfig, final: Results, stage: Path, host: PluginHost
) -> contextlib.AbstractContextManager[list[Path]]:
    if not cfg.ledger:
        return contextlib.nullcontext([])
    from zwgk_score.loop.runner import publishing

    return publishing(cfg, final, stage, host)
