"""Command line (命令行): ``zwgk-score validate | score | explain | run | plugins | new-plugin``
(and the loop's ``forms | status | appeal-forms | appeals | rectification | history``, in cli_loop).

User mistakes are printed as one or two Chinese lines, without a traceback,
and the exit status is 2.
"""

from __future__ import annotations

import contextlib
import functools
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from zwgk_score import gc_tuning
from zwgk_score.errors import ZwgkError

EXIT_USER_ERROR = 2


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a :class:`ZwgkError` into a short Chinese message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ZwgkError as exc:
            click.echo(str(exc), err=True)
            sys.exit(EXIT_USER_ERROR)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zwgk-score", message="zwgk-score %(version)s")
def main() -> None:
    """政务公开考核评分工具：校验考核细则、评分、排名、输出得分表与通报。"""


@main.command()
@click.argument("rubric", type=click.Path(path_type=Path))
@friendly
def validate(rubric: Path) -> None:
    """校验考核细则 RUBRIC（TOML）。"""
    from zwgk_score.rubric import load_rubric

    r = load_rubric(rubric)
    leaves = r.leaves
    click.echo(
        f"考核细则有效：{r.meta.title}（{r.meta.year}年），一级指标 {len(r.domains)} 个，"
        f"末级指标 {len(leaves)} 个，考核类别 {len(r.groups)} 个，绩效考核权重 {r.meta.performance_share:g}%"
    )


def _read_data(path: Path) -> Any:
    from zwgk_score.roster import read_table

    return read_table(path)


def _check_part(r: Any, part: str | None) -> None:
    """A rubric with [combine] scores one part only when --part names it (never silently)."""
    from zwgk_score.errors import RubricError

    declared = [p.id for p in r.combine]
    if not declared:
        if part is not None:
            raise RubricError(
                "考核细则没有 [combine] 阶段合成设置，不能使用 --part",
                file=r.file,
                path="combine",
                hint="去掉 --part",
            )
        return
    if part is None:
        raise RubricError(
            "考核细则设有 [combine] 阶段合成，zwgk-score score 只能评单个阶段",
            file=r.file,
            path="combine",
            hint=(
                "合成各阶段请用 zwgk-score run <考核配置>（在配置的 [combine] 中列出其他阶段）；"
                f"只评一个阶段请加 --part（可选：{'、'.join(declared)}）"
            ),
        )
    if part not in declared:
        raise RubricError(
            f"考核细则的 combine 中没有阶段「{part}」",
            file=r.file,
            path="combine.parts",
            hint=f"可选：{'、'.join(declared)}",
        )


@main.command(name="score")
@click.argument("rubric", type=click.Path(path_type=Path))
@click.argument("data", type=click.Path(path_type=Path))
@click.option(
    "--roster",
    "-r",
    type=click.Path(path_type=Path),
    required=True,
    help="单位名单（CSV/XLSX，列 unit, group）",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="输出目录")
@click.option("--period", default=None, help="考核期，如 2023 或 2023Q1")
@click.option(
    "--part",
    default=None,
    help="细则设有 [combine] 阶段合成时，只评本阶段（阶段 id），不合成",
)
@friendly
def score_cmd(
    rubric: Path, data: Path, roster: Path, output: Path, period: str | None, part: str | None
) -> None:
    """按考核细则 RUBRIC 对指标数据 DATA 评分，结果写入 -o 目录。"""
    from zwgk_score.engine import score
    from zwgk_score.outputset import OutputSet
    from zwgk_score.plugins import PluginHost
    from zwgk_score.roster import read_table
    from zwgk_score.rubric import load_rubric

    host = PluginHost()
    host.raise_failures()
    r = load_rubric(rubric, methods=host.methods())
    _check_part(r, part)
    results = score(
        r,
        read_table(data),
        read_table(roster),
        data_file=data,
        roster_file=roster,
        period=period,
        methods=host.methods(),
    )
    with OutputSet([output]) as outputs:
        stage = outputs.stage(output)
        staged = [
            p for exporter in host.exporters().values() for p in exporter.export(results, stage, {})
        ]
        outputs.commit()
    written = [outputs.final(p) for p in staged]
    _print_summary(results)
    for w in outputs.warnings:
        click.echo(f"警告：{w}", err=True)
    for p in written:
        click.echo(f"已写入 {p}")


@main.command()
@click.argument("rubric", type=click.Path(path_type=Path))
@click.argument("data", type=click.Path(path_type=Path))
@click.argument("unit")
@click.option("--roster", "-r", type=click.Path(path_type=Path), required=True, help="单位名单")
@friendly
def explain(rubric: Path, data: Path, unit: str, roster: Path) -> None:
    """逐项说明单位 UNIT 的得分与扣分依据。"""
    from zwgk_score.engine import score
    from zwgk_score.errors import DataError
    from zwgk_score.roster import read_table
    from zwgk_score.rubric import load_rubric

    results = score(
        load_rubric(rubric),
        read_table(data),
        read_table(roster),
        data_file=data,
        roster_file=roster,
    )
    if unit not in results.units:
        raise DataError(f"单位「{unit}」不在名单中", file=roster, hint="检查单位名称")
    click.echo(results.explain(unit))


@main.command(name="explain-run")
@click.argument("target", type=click.Path(path_type=Path))
@click.argument("unit")
@click.option(
    "--plugins-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="额外加载该目录下的 *.py 插件",
)
@friendly
def explain_run(target: Path, unit: str, plugins_dir: Path | None) -> None:
    """按考核配置 TARGET 采集、评分（不写文件），逐项说明单位 UNIT 的得分与扣分依据（含阶段合成）。"""
    from zwgk_score.errors import DataError
    from zwgk_score.run import score_assessment

    scored = score_assessment(target, plugins_dir=plugins_dir)
    if unit not in scored.results.units:
        raise DataError(
            f"单位「{unit}」不在名单中",
            file=scored.config.roster,
            hint="检查单位名称是否与名单完全一致",
        )
    click.echo(scored.results.explain(unit))


def _print_summary(results: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=False)
    for group in results.rubric.groups:
        table = Table(title=f"{group.name} 排名")
        for col in ("排名", "单位", "总分", "等次"):
            table.add_column(col)
        for row in results.ranking(group.id).itertuples():
            total = (
                "—" if row.total != row.total else f"{row.total:.{results.rubric.meta.precision}f}"
            )
            table.add_row(
                str(row.rank), row.unit, total, row.grade + ("（否决）" if row.veto else "")
            )
        console.print(table)


@main.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--plugins-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="额外加载该目录下的 *.py 插件",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    default=None,
    help="插件或采集器失败时继续，受影响指标标记为缺失",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="输出目录（默认取考核配置中的 output）",
)
@friendly
def run(
    target: Path, plugins_dir: Path | None, allow_partial: bool | None, output: Path | None
) -> None:
    """按考核配置 TARGET（文件或目录）采集、评分、排名并写出全部结果。"""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from zwgk_score.run import run_assessment

    console = Console()
    # the progress bar goes to stderr, so stdout carries only the summary (and nothing on failure);
    # collecting counts collectors, writing counts every output of every period, weighted by cost
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("已用"),
        TimeElapsedColumn(),
        TextColumn("剩余约"),
        TimeRemainingColumn(),
    )
    errors = Console(stderr=True)
    # a bar only on a terminal: piped into a log, rich would print an empty line at its end
    # (before an error message too), and nobody watches it there
    with contextlib.ExitStack() as stack:
        progress: Callable[[str, int, int], None] | None = None
        if errors.is_terminal:
            bar = stack.enter_context(Progress(*columns, console=errors, transient=True))
            progress = _bar_progress(bar)
        outcome = run_assessment(
            target,
            plugins_dir=plugins_dir,
            progress=progress,
            allow_partial=allow_partial,
            output=output,
        )
    for w in outcome.warnings:
        console.print(f"[yellow]警告：{w}[/yellow]")
    _print_summary(outcome.results)
    console.print(f"共写出 {len(outcome.written)} 个文件，输出目录 {outcome.config.output}")


def _bar_progress(bar: Any) -> Callable[[str, int, int], None]:
    """The ``progress`` callback of a run, drawn on a rich progress ``bar``."""
    task = bar.add_task("准备", total=1)
    phase = [0]

    def progress(label: str, done: int, total: int) -> None:
        total = max(total, 1)
        if total != phase[0]:  # a new phase (collecting, writing): estimate its speed anew
            phase[0] = total
            bar.reset(task, total=total, completed=done, description=label)
        else:
            bar.update(task, description=label, completed=done)

    return progress


@main.command()
@click.option(
    "--plugins-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="额外加载该目录下的 *.py 插件",
)
@friendly
def plugins(plugins_dir: Path | None) -> None:
    """列出已加载的插件、版本及其实现的钩子。"""
    from rich.console import Console
    from rich.table import Table

    from zwgk_score.plugins import PluginHost

    host = PluginHost(plugins_dir)
    table = Table(title="插件")
    for col in ("名称", "版本", "类型", "钩子"):
        table.add_column(
            col, overflow="fold"
        )  # wrap long plugin names instead of cutting them with …
    for info in host.info():
        table.add_row(
            info.name,
            info.version or "—",
            "内置" if info.builtin else "外部",
            "、".join(info.hooks),
        )
    console = Console()
    console.print(table)
    for f in host.failures:
        console.print(f"[red]插件「{f.name}」{f.stage}失败：{f.error}[/red]")


@main.command(name="new-plugin")
@click.argument("name")
@click.option(
    "--directory",
    "-d",
    type=click.Path(path_type=Path),
    default=Path("plugins"),
    help="放置插件的目录",
)
@friendly
def new_plugin(name: str, directory: Path) -> None:
    """生成地区插件骨架 plugins/NAME/（可直接安装并通过自带测试）。"""
    from zwgk_score.scaffold import scaffold_plugin

    target = scaffold_plugin(name, directory)
    click.echo(f"已生成插件骨架：{target}")
    click.echo(f"安装：pip install -e {target}；测试：pytest {target}")


from zwgk_score.cli_loop import register as _register_loop  # noqa: E402 - needs main and friendly

_register_loop(main, friendly)


def _usage_message(exc: click.UsageError) -> str:
    """A command-line usage mistake in Chinese (click's own messages are English)."""
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = (
            (exc.param.human_readable_name or "").upper()
            if exc.param.param_type_name == "argument"
            else "/".join(exc.param.opts)
        )
        return f"缺少参数 {name}"
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项 {exc.option_name}"
    if isinstance(exc, click.BadParameter):
        return f"参数取值无效：{exc.format_message()}"
    m = re.match(r"No such command '(.+)'", exc.format_message())
    if m:
        return f"没有命令 {m.group(1)}"
    m = re.match(r"Got unexpected extra arguments? \((.+)\)", exc.format_message())
    if m:
        return f"多余的参数 {m.group(1)}"
    return f"用法错误：{exc.format_message()}"


def _terminated(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM is handled like Ctrl-C: clean up, say so, exit 1


def console() -> None:
    """Console entry point: like ``main`` but with usage mistakes reported in Chinese (exit status 2)."""
    signal.signal(signal.SIGTERM, _terminated)
    gc_tuning.for_command()
    try:
        main(standalone_mode=False)
    except click.UsageError as exc:
        cmd = exc.ctx.command_path if exc.ctx else "zwgk-score"
        click.echo(
            f"命令行错误：{_usage_message(exc)}\n  处理办法：运行 {cmd} --help 查看用法", err=True
        )
        sys.exit(EXIT_USER_ERROR)
    except click.Abort:
        click.echo("已取消", err=True)
        sys.exit(1)
    finally:
        gc_tuning.before_exit()
    gc_tuning.exit_now(0)  # done: the process ends without freeing its heap object by object


if __name__ == "__main__":  # pragma: no cover
    console()
