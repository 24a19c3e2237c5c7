"""Settings of the results site (结果网站设置), read from the exporter options.

The site reads the same ``[notice]`` table as the other exporters (title,
issuer, date, period, ``improved_top``) plus its own keys:

``site_title``
    the heading of every page (default: the assessment's name);
``site_internal``
    indicator ids (指标编号) the office marks internal: the public site lists
    no 失分原因 of theirs (their points still count in every total).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from zwgk_score.errors import ConfigError
from zwgk_score.outputs.notice import cn_date, period_label
from zwgk_score.outputs.notice_options import notice_options
from zwgk_score.results import Results


@attrs.frozen
class SiteOptions:
    """What the site needs to know besides the results."""

    public: bool
    title: str
    period: str
    issuer: str
    date: str
    internal: frozenset[str] = frozenset()
    improved_top: int = 3
    #: 进步较快 needs the rank to rise by at least this many places ([notice] improved_places)
    improved_places: int = 1


def site_options(results: Results, options: Mapping[str, Any], *, public: bool) -> SiteOptions:
    """Check the site's keys and fill in defaults from the results."""
    opts = notice_options(options)
    meta = results.rubric.meta
    title = options.get("site_title") or options.get("assessment_name") or meta.title
    if not isinstance(title, str):
        raise ConfigError("site_title 应为文字", path="notice.site_title")
    raw = options.get("site_internal") or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ConfigError(
            "site_internal 应为指标编号列表",
            path="notice.site_internal",
            hint='例如 ["T28", "T29"]',
        )
    known = {leaf.id for leaf in results.leaves}
    for i, ident in enumerate(raw):
        if ident not in known:
            raise ConfigError(
                f"site_internal 中的指标「{ident}」不在考核细则中",
                path=f"notice.site_internal[{i}]",
                hint="写末级指标的编号（考核结果.xlsx「考核细则」表的指标编号列）",
            )
    return SiteOptions(
        public=public,
        title=title,
        period=opts.period or period_label(results.period, meta.year),
        issuer=opts.issuer or getattr(meta, "issuer", "") or "",
        date=cn_date(opts.date),
        internal=frozenset(raw),
        improved_top=opts.improved_top,
        improved_places=opts.improved_places,
    )
