"""Options of the notice (通报设置): the ``[notice]`` table of the assessment config.

Every key is optional; :func:`notice_options` checks types and turns dates
given as ``2024-01-31`` strings into dates, raising :class:`ConfigError` with
the key's path (``notice.rectify_deadline``) on a mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from zwgk_score.errors import ConfigError

TEMPLATES = ("annual", "quarterly")
ATTACHMENTS = ("ranking", "deductions")


@attrs.frozen
class NoticeOptions:
    """Settings of one notice.

    Attributes:
        template: ``annual`` (年度考核通报) or ``quarterly`` (季度检查通报), or the
            name of a template file stem found in ``template_dirs``.
        template_dirs: folders searched before the built-in templates.
        title: the notice title; default built from the period.
        issuer: 发文机关 (default: the rubric's issuer).
        addressees: 主送机关, e.g. ``各县（市、区）人民政府，市政府各部门``.
        basis: the opening paragraph (依据); default generated.
        requirements: 工作要求 paragraphs; ``{rectify_deadline}`` and ``{issuer}`` are filled in.
        rectify_deadline: 整改期限.
        date: 成文日期 (落款日期).
        attachments: which attachments to add: ``ranking`` (排名表), ``deductions`` (失分明细).
        previous: the previous period's Results, for 排名变化 and 进步较快单位.
        problems_top: how many common problems to name.
        improved_top: how many most-improved units to name per group.
        period: label of the period; default from the Results.
        cc: 抄送机关 of the colophon (版记).
        printer: 印发机关 of the colophon (default: the issuer when ``cc`` is given).
        print_date: 印发日期 (default: the notice date).
        quarterly: a quarterly inspection notice (季度检查通报): set when the run
            is quarterly (``quarter`` option) or the template is ``quarterly``.
    """

    template: str = "annual"
    template_dirs: tuple[Path, ...] = ()
    title: str | None = None
    issuer: str | None = None
    addressees: str = "各有关单位"
    basis: str | None = None
    requirements: tuple[str, ...] | None = None
    rectify_deadline: dt.date | None = None
    date: dt.date | None = None
    attachments: tuple[str, ...] = ("ranking",)
    previous: Any = None
    problems_top: int = 6
    improved_top: int = 3
    period: str | None = None
    quarterly: bool = False
    cc: tuple[str, ...] = ()
    printer: str | None = None
    print_date: dt.date | None = None


def _as_date(value: Any, key: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(
        f"日期格式不正确：{value!r}", path=f"notice.{key}", hint="写成 2024-01-31 这样的日期"
    )


def _as_strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{key} 应为文字列表", path=f"notice.{key}", hint='例如 ["……", "……"]')


def notice_options(options: Mapping[str, Any] | NoticeOptions | None = None) -> NoticeOptions:
    """Check ``options`` (the ``[notice]`` / ``[outputs]`` keys) and build :class:`NoticeOptions`.

    Unknown keys are ignored (the same mapping feeds every exporter).
    """
    if isinstance(options, NoticeOptions):
        return options
    raw = dict(options or {})
    kw: dict[str, Any] = {}
    for key in ("title", "issuer", "addressees", "basis", "period", "printer"):
        if raw.get(key) is not None:
            if not isinstance(raw[key], str):
                raise ConfigError(f"{key} 应为文字", path=f"notice.{key}")
            kw[key] = raw[key]
    quarter = raw.get("quarter")
    template = raw.get("template", "quarterly" if quarter else "annual")
    if not isinstance(template, str) or not template:
        raise ConfigError(
            "template 应为模板名",
            path="notice.template",
            hint="annual（年度）或 quarterly（季度），或自定义模板名",
        )
    kw["template"] = template
    kw["quarterly"] = bool(quarter) or template.rsplit("/", 1)[-1] == "quarterly"
    dirs = raw.get("template_dirs") or ()
    kw["template_dirs"] = tuple(Path(d) for d in ([dirs] if isinstance(dirs, str | Path) else dirs))
    if raw.get("requirements") is not None:
        kw["requirements"] = _as_strings(raw["requirements"], "requirements")
    if raw.get("cc") is not None:
        kw["cc"] = _as_strings(raw["cc"], "cc")
    for key in ("rectify_deadline", "date", "print_date"):
        kw[key] = _as_date(raw.get(key), key)
    if raw.get("attachments") is not None:
        att = _as_strings(raw["attachments"], "attachments")
        bad = [a for a in att if a not in ATTACHMENTS]
        if bad:
            raise ConfigError(
                f"未知的附件类型「{bad[0]}」",
                path="notice.attachments",
                hint="可选：ranking（排名表）、deductions（失分明细）",
            )
        kw["attachments"] = att
    for key in ("problems_top", "improved_top"):
        if raw.get(key) is not None:
            if not isinstance(raw[key], int) or isinstance(raw[key], bool) or raw[key] < 0:
                raise ConfigError(f"{key} 应为非负整数", path=f"notice.{key}")
            kw[key] = raw[key]
    kw["previous"] = raw.get("previous")
    return NoticeOptions(**kw)
