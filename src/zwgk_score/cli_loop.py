"""Commands of the assessment loop: forms, status, appeal-forms, appeals, rectification, history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from zwgk_score.errors import ConfigError


def register(
    main: click.Group, friendly: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> None:
    wrap = friendly  # the CLI's error wrapper (ZwgkError → two Chinese lines, exit 2)

    @main.command(name="forms")
    @click.argument("config", type=click.Path(path_type=Path))
    @click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="输出目录")
    @click.option("--review", is_flag=True, help="生成复核表（每个复核组一份，附各单位自评分）")
    @wrap
    def forms_cmd(config: Path, output: Path, review: bool) -> None:
        """生成自评表（每个单位一份）或复核表（--review）。"""
        from zwgk_score.loop.assessment import Assessment

        with Assessment(config) as a:
            paths = a.issue_review_forms(output) if review else a.issue_forms(output)
        kind = "复核表" if review else "自评表"
        click.echo(f"已生成{kind} {len(paths)} 份：{output}")

    @main.command(name="status")
    @click.argument("config", type=click.Path(path_type=Path))
    @click.option(
        "--output",
        "-o",
        type=click.Path(path_type=Path),
        default=None,
        help="报送情况.xlsx 的目录（默认考核配置的输出目录）",
    )
    @wrap
    def status_cmd(config: Path, output: Path | None) -> None:
        """自评表报送情况：已报送、未报送、逾期、表单无效，并写出 报送情况.xlsx。"""
        from zwgk_score.loop.assessment import Assessment
        from zwgk_score.loop.status import status_text

        with Assessment(config) as a:
            out = output or a.ctx.config.output
            table = a.status(out)
        click.echo(status_text(table))
        click.echo(f"已写出 {Path(out) / '报送情况.xlsx'}")

    @main.command(name="appeal-forms")
    @click.argument("config", type=click.Path(path_type=Path))
    @click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="输出目录")
    @wrap
    def appeal_forms_cmd(config: Path, output: Path) -> None:
        """按本期最新结果给每个单位生成申诉表（列出每个失分项目）。"""
        from zwgk_score.loop.assessment import Assessment

        with Assessment(config) as a:
            paths = a.issue_appeal_forms(output)
        click.echo(f"已生成申诉表 {len(paths)} 份：{output}")

    @main.command(name="appeals")
    @click.argument("config", type=click.Path(path_type=Path))
    @click.option(
        "--output", "-o", type=click.Path(path_type=Path), default=None, help="写出申诉处理表的目录"
    )
    @click.option(
        "--decisions",
        "-d",
        type=click.Path(path_type=Path),
        default=None,
        help="填好的申诉处理表：记录处理结果",
    )
    @wrap
    def appeals_cmd(config: Path, output: Path | None, decisions: Path | None) -> None:
        """读入收回的申诉表并生成申诉处理表；-d 记录填好的处理结果。"""
        from zwgk_score.loop.assessment import Assessment

        with Assessment(config) as a:
            if decisions is not None:
                n = a.read_decisions(decisions)
                click.echo(f"已记录处理结果 {n} 项；运行 zwgk-score run 按处理结果重新评分")
                return
            if a.ctx.settings.appeals is None:
                raise ConfigError(
                    "没有给出收回申诉表的目录",
                    file=a.ctx.config.file,
                    path="ledger.appeals",
                    hint='在 [ledger] 中写 appeals = "returned/申诉"',
                )
            forms = a.read_appeals()
            for f in forms:
                for p in f.problems:
                    click.echo(f"问题：{p}")
            rows = a.appeals()
            rejected = [r for r in rows if r["status"] == "rejected"]
            for r in rejected:
                click.echo(f"不予受理：{r['unit']} {r['indicator']}：{r['reject_reason']}")
            out = output or a.ctx.config.output
            path = a.write_decision_form(Path(out) / "申诉处理表.xlsx")
            pending = sum(1 for r in rows if r["status"] == "pending")
        click.echo(
            f"申诉 {len(rows)} 项（待处理 {pending}，不予受理 {len(rejected)}）；申诉处理表：{path}"
        )

    @main.command(name="rectification")
    @click.argument("config", type=click.Path(path_type=Path))
    @click.option(
        "--output", "-o", type=click.Path(path_type=Path), default=None, help="整改台账.xlsx 的目录"
    )
    @wrap
    def rectification_cmd(config: Path, output: Path | None) -> None:
        """读入收回的反馈单（整改情况），生成整改台账（已整改 / 未整改 / 未反馈）。"""
        from zwgk_score.loop.assessment import Assessment

        with Assessment(config) as a:
            a.read_rectifications()
            out = output or a.ctx.config.output
            st = a.rectification(out)
        click.echo(
            f"已反馈 {len(st.reported)} 个单位，未反馈 {len(st.not_reported)} 个（视为未整改）："
            + ("、".join(st.not_reported) or "无")
        )
        click.echo(f"全部整改 {len(st.rectified)} 个单位；整改台账：{Path(out) / '整改台账.xlsx'}")

    @main.command(name="history")
    @click.argument("target")
    @click.option("--unit", "-u", default=None, help="单位名称")
    @click.option("--group", "-g", default=None, help="考核类别（id 或名称）")
    @click.option(
        "--import",
        "imports",
        multiple=True,
        type=click.Path(path_type=Path),
        help="先导入已有的 results.json（可多次）",
    )
    @click.option("--xlsx", type=click.Path(path_type=Path), default=None, help="导出为 xlsx")
    @wrap
    def history_cmd(
        target: str,
        unit: str | None,
        group: str | None,
        imports: tuple[Path, ...],
        xlsx: Path | None,
    ) -> None:
        """历年结果：TARGET 为考核配置（用其 [ledger]）或台账库文件/地址。"""
        from rich.console import Console
        from rich.table import Table

        from zwgk_score.ledger import open_ledger
        from zwgk_score.loop import history as H

        ledger_target = target
        if "://" not in target and (target.endswith(".toml") or Path(target).is_dir()):
            from zwgk_score.config import load_config
            from zwgk_score.loop.settings import loop_settings

            ledger_target = loop_settings(load_config(target)).target
        with open_ledger(ledger_target) as ledger:
            for p in imports:
                H.import_results(ledger, p)
            if (unit is None) == (group is None):
                raise ConfigError(
                    "请用 --unit 或 --group 指定一个单位或一个考核类别", hint="如 --unit 县财政局"
                )
            frame = H.unit_series(ledger, unit) if unit else H.group_series(ledger, str(group))
        title = f"{unit or group}历年考核结果"
        table = Table(title=title)
        shown = frame.drop(columns=[c for c in ("考核",) if c in frame.columns])
        for c in shown.columns:
            table.add_column(str(c), overflow="fold")
        for row in shown.itertuples(index=False):
            table.add_row(
                *[
                    "—" if v is None or v != v else (f"{v:g}" if isinstance(v, float) else str(v))
                    for v in row
                ]
            )
        Console(width=max(100, 12 * len(shown.columns))).print(table)
        if xlsx is not None:
            H.write_history(frame, xlsx, title=title)
            click.echo(f"已导出 {xlsx}")
