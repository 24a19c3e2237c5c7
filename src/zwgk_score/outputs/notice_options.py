"""Options of the notice (通报设置): the ``[notice]`` table of the assessment config.

The table is structured into the frozen attrs record :class:`NoticeConfig` by
:func:`zwgk_score.structure.structure` (cattrs, unknown keys refused): a typo
such as ``rectify_dedline`` stops the run with a Chinese message naming
``notice.rectify_dedline`` and the config file.  Dates may be TOML dates
(``2024-01-31``) or strings in that form.

The exporters receive the ``[notice]`` keys merged with values the run adds
(``previous``, ``template_dirs``, ``quarter`` …, :data:`RUNTIME_KEYS`);
:func:`notice_options` splits them again and returns :class:`NoticeOptions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from zwgk_score.errors import ConfigError
from zwgk_score.structure import CONVERTER, structure

TEMPLATES = ("annual", "quarterly")
ATTACHMENTS = ("ranking", "deductions")
#: keys the run adds to the ``[notice]`` table before calling the exporters
RUNTIME_KEYS = frozenset(
    {
        "previous",
        "template_dirs",
        "quarter",
        "config_file",
        "assessment_name",
        "period_end",
        "templates",
        "reported_back",
        "warnings",
        "periods",
        "history",
        "progress",
    }
)


def _strings(value: Any, _type: Any = None) -> tuple[str, ...]:
    """A string or a list of strings → a tuple (``"甲"`` → ``("甲",)``)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError("expected 文字列表")


CONVERTER.register_structure_hook_func(lambda tp: tp == tuple[str, ...], _strings)


@attrs.frozen
class NoticeConfig:
    """The ``[notice]`` table as written in the assessment config (every key optional).

    Attributes:
        template: ``annual`` (年度考核通报), ``quarterly`` (季度检查通报), or a
            template name registered by a region plugin (``tancheng/annual``).
        title: the notice title; default built from the period.
        issuer: 发文机关 (default: the rubric's issuer).
        masthead: 发文机关标志 of the 版头, printed in red over a red rule
            (``郯城县人民政府办公室文件``); no 版头 when absent.
        doc_number: 发文字号 (``郯政办字〔2024〕3号``).
        addressees: 主送机关.
        approved_by: who approved the result: ``县政府`` → “经县政府同意”.
        basis: the opening paragraph (依据); default generated.
        requirements: 工作要求 paragraphs; ``{rectify_deadline}``, ``{issuer}``,
            ``{performance_share}`` and ``{year}`` are filled in.
        rectify_deadline: 整改期限.
        date: 成文日期 (落款日期).
        attachments: ``ranking`` (排名表) and/or ``deductions`` (失分明细).
        named_grades: grades whose units the body names (default: the top two);
            the lowest grade (不合格) is always named.
        outstanding: 表现突出单位, named in the body.
        improved: 进步较快单位; default computed from the previous period.
        problems_top: how many common problems to name.
        improved_top: how many most-improved units to compute per group.
        improved_places: with history in the ledger, 进步较快 needs the rank to
            rise by at least this many places (and the total to rise).
        declined_places: with history in the ledger, units whose rank fell by at
            least this many places are named (排名下降较多); 0: none named.
        history_periods: periods (this one included) in the workbook's 历年对比.
        period: label of the period; default from the Results.
        cc: 抄送机关 of the 版记.
        printer: 印发机关 of the 版记 (default: the issuer).
        print_date: 印发日期 (default: the notice date).
        reported_back: units that reported their rectification of last period's
            problems (上期问题整改情况); the others are named as not reported.
        feedback_docx: also write the feedback sheets as DOCX.
        contact: 联系人 printed on the feedback sheets.
        phone: 联系电话 printed on the feedback sheets.
        feedback_workers: processes writing the feedback sheets.
        site_title: the results site's page title (read by the site exporter).
        site_internal: indicators the public site lists without their reasons.
    """

    template: str | None = None
    title: str | None = None
    issuer: str | None = None
    masthead: str | None = None
    doc_number: str | None = None
    addressees: str = "各有关单位"
    approved_by: str | None = None
    basis: str | None = None
    requirements: tuple[str, ...] | None = None
    rectify_deadline: dt.date | None = None
    date: dt.date | None = None
    attachments: tuple[str, ...] = ("ranking",)
    named_grades: tuple[str, ...] | None = None
    outstanding: tuple[str, ...] = ()
    improved: tuple[str, ...] | None = None
    problems_top: int = 6
    improved_top: int = 3
    improved_places: int = 1
    declined_places: int = 3
    history_periods: int = 5
    period: str | None = None
    cc: tuple[str, ...] = ()
    printer: str | None = None
    print_date: dt.date | None = None
    reported_back: tuple[str, ...] | None = None
    feedback_docx: bool = True
    contact: str | None = None
    phone: str | None = None
    # keys of the other exporters that read the same table (checked there)
    feedback_workers: int | None = None
    site_title: str | None = None
    site_internal: tuple[str, ...] | None = None


@attrs.frozen
class NoticeOptions:
    """Settings of one notice: the ``[notice]`` table plus what the run adds.

    Attributes:
        config: the ``[notice]`` table (:class:`NoticeConfig`).
        template: the template to render (``annual`` / ``quarterly`` / a plugin's).
        template_dirs: folders searched before the built-in templates.
        previous: the previous period's Results (排名变化, 进步较快, 上期问题整改情况).
        quarterly: a quarterly inspection notice (季度检查通报).
        reported_back: units that reported back on last period's problems
            (from the config or, later, from the rectification ledger).
        history: earlier periods from the assessment ledger
            (:class:`zwgk_score.outputs.periods.PeriodHistory`), or None.
    """

    config: NoticeConfig = NoticeConfig()
    template: str = "annual"
    template_dirs: tuple[Path, ...] = ()
    previous: Any = None
    quarterly: bool = False
    reported_back: tuple[str, ...] | None = None
    history: Any = None

    def __getattr__(self, name: str) -> Any:
        # the [notice] keys read as attributes of the options (opts.date, opts.issuer …)
        if name.startswith("_") or name == "config":
            raise AttributeError(name)
        return getattr(self.config, name)


def notice_options(options: Mapping[str, Any] | NoticeOptions | None = None) -> NoticeOptions:
    """Check ``options`` (the ``[notice]`` keys plus :data:`RUNTIME_KEYS`) and build :class:`NoticeOptions`.

    Raises:
        ConfigError: an unknown ``[notice]`` key, a wrong type or an invalid date,
            located as ``notice.<key>`` in the config file.
    """
    if isinstance(options, NoticeOptions):
        return options
    raw = dict(options or {})
    table = {k: v for k, v in raw.items() if k not in RUNTIME_KEYS and v is not None}
    file = raw.get("config_file")
    config = structure(
        table,
        NoticeConfig,
        error=ConfigError,
        file=file,
        path="notice",
    )
    bad = [a for a in config.attachments if a not in ATTACHMENTS]
    if bad:
        raise ConfigError(
            f"未知的附件类型「{bad[0]}」",
            file=file,
            path="notice.attachments",
            hint="可选：ranking（排名表）、deductions（失分明细）",
        )
    for key in ("problems_top", "improved_top", "declined_places"):
        if getattr(config, key) < 0:
            raise ConfigError(f"{key} 应为非负整数", file=file, path=f"notice.{key}")
    for key in ("improved_places", "history_periods"):
        if getattr(config, key) < 1:
            raise ConfigError(f"{key} 应为正整数", file=file, path=f"notice.{key}")
    quarter = raw.get("quarter")
    template = config.template or ("quarterly" if quarter else "annual")
    if not template:
        raise ConfigError(
            "template 应为模板名",
            file=file,
            path="notice.template",
            hint="annual（年度）或 quarterly（季度），或自定义模板名",
        )
    dirs = raw.get("template_dirs") or ()
    reported = raw.get("reported_back")
    return NoticeOptions(
        config=config,
        template=template,
        template_dirs=tuple(Path(d) for d in ([dirs] if isinstance(dirs, str | Path) else dirs)),
        previous=raw.get("previous"),
        quarterly=bool(quarter) or template.rsplit("/", 1)[-1] == "quarterly",
        reported_back=tuple(reported) if reported is not None else config.reported_back,
        history=raw.get("history"),
    )
