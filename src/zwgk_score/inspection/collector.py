"""Collector ``website_inspection`` (网站检查): crawl or read a saved crawl, emit evidence rows."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from zwgk_score.collect.base import (
    STATUS_MISSING,
    STATUS_NA,
    STATUS_OK,
    CollectContext,
    evidence_frame,
)
from zwgk_score.errors import DataError
from zwgk_score.inspection.config import (
    SETTINGS_PATH,
    InspectionSettings,
    inspection_day,
    keys_for,
    parse_settings,
)
from zwgk_score.inspection.measure import (
    Thresholds,
    availability,
    blank_columns,
    broken_links,
    failure,
    judged,
    present_columns,
    stale_columns,
    veto_reasons,
)
from zwgk_score.inspection.record import Crawl, SiteRecord
from zwgk_score.inspection.saved import load_crawl, save_after_run


def thresholds(s: InspectionSettings) -> Thresholds:
    """The judgement thresholds of the settings."""
    return Thresholds(
        s.slow_after, s.stale_days, s.veto_failed_share, s.veto_stale_columns, s.veto_blank_columns
    )


def badge_parts(site: SiteRecord) -> tuple[str, str]:
    """Checklist text (``visible;linked;codes``) and evidence of the site badge (网站标识)."""
    parts = []
    said = []
    if site.badge_image:
        parts.append("visible")
        said.append("首页展示党政机关网站标识")
        if site.badge_link:
            parts.append("linked")
            said.append(f"标识链接至 {site.badge_link}")
        else:
            said.append("标识未链接至开办单位信息")
    else:
        said.append("首页未找到党政机关网站标识")
    if site.badge:
        parts.append("codes")
        said.append(f"标注网站标识码 {site.badge}")
    else:
        said.append("未找到网站标识码")
    return ";".join(parts), "；".join(said)


def site_rows(
    site: SiteRecord, day: date, t: Thresholds, keys: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Evidence rows of one site (see :class:`WebsiteInspectionCollector`)."""
    unit, url = site.unit, site.url
    rows: list[dict[str, Any]] = []

    def add(role: str, value: float, evidence: str, source: str = url, **kw: Any) -> None:
        if role in keys:
            rows.append(
                {
                    "unit": unit,
                    "key": keys[role],
                    "value": value,
                    "evidence": evidence,
                    "source": source,
                    **kw,
                }
            )

    avail = availability(site.probes, t.slow_after)
    why = "；".join(f"{r} {n} 次" for r, n in avail.reasons)
    if avail.probes:
        add(
            "availability",
            avail.ok_share,
            f"首页访问探测 {avail.probes} 次，失败 {avail.failed} 次"
            + (f"（{why}）" if why else "")
            + f"，可用率 {avail.ok_share:.2%}"
            + f"，最长用时 {max(p.elapsed for p in site.probes):.2f} 秒",
        )
    elif site.probes:
        add(
            "availability",
            float("nan"),
            "robots.txt 不允许抓取首页，未检查可用性（被检查网站是本机关自己的网站时可列入 robots_exempt）",
            status=STATUS_MISSING,
        )
    else:
        add("availability", float("nan"), "没有访问探测记录", status=STATUS_MISSING)
    stale = stale_columns(site, day, t.stale_days)
    blank = blank_columns(site)
    for f in stale:
        add("stale_columns", 1.0, f.reason, f.column.fetch.url)
    for f in blank:
        add("blank_columns", 1.0, f.reason, f.column.fetch.url)
    for b in broken_links(site):
        add(
            "broken_links",
            1.0,
            f"链接 {b.link.fetch.url} 无法访问（{b.reason}），见于 {b.link.found_on}",
            b.link.fetch.url,
        )
    if not site.home_loaded:
        robots = bool(site.probes) and not avail.probes
        why = "robots.txt 不允许抓取首页" if robots else "首页始终无法访问"
        add("badge", float("nan"), f"{why}，未能检查网站标识", status=STATUS_MISSING)
    else:
        text, evidence = badge_parts(site)
        add("badge", 1.0 if site.badge else 0.0, evidence, text=text)
    have, missing = present_columns(site)
    gone = "、".join(f"{c.name}（{failure(c.fetch) or '不可访问'}）" for c in missing)
    n = len(have) + len(missing)
    unjudged = "、".join(c.name for c in site.columns if c.required and not judged(c.fetch))
    add(
        "required_columns",
        len(have) / n if n else float("nan"),
        f"必设栏目 {n} 个，可访问 {len(have)} 个"
        + (f"；缺少：{gone}" if gone else "")
        + (f"；robots.txt 不允许抓取、未检查：{unjudged}" if unjudged else ""),
        text=";".join(c.id for c in have),
        status=STATUS_OK if n else STATUS_NA,
    )
    vetoes = veto_reasons(avail, len(stale), len(blank), t)
    for reason in vetoes:
        add("veto", 1.0, reason)
    if not vetoes:
        add("veto", 0.0, "未触发单项否决")
    return rows


class WebsiteInspectionCollector:
    """Collector ``website_inspection`` (网站与新媒体检查).

    Crawls the configured sites (or reads ``saved_crawl``) and emits, per unit:

    - ``availability``: one row, value = share of probes that loaded within
      ``slow_after`` seconds (可用率), evidence with the counts and reasons;
    - ``stale_columns``: one row (value 1) per column not updated for more
      than ``stale_days`` days, source = the column URL;
    - ``blank_columns``: one row (value 1) per blank or unreachable column;
    - ``broken_links``: one row (value 1) per broken internal link in the sample;
    - ``badge``: value 1 / 0 (site-identity code found or not, for
      ``binary``), text = the parts found among ``visible;linked;codes`` (for
      ``checklist``); status ``missing`` when the home page never loaded;
    - ``required_columns``: value = loaded ÷ required columns (for ``ratio``),
      text = ids of the required columns whose page loaded, joined by ``;``
      (for ``checklist``); status ``na`` when no column is required;
    - ``veto``: one row (value 1) per triggered veto condition, else one row
      with value 0 and evidence 未触发单项否决.
    """

    name = "website_inspection"

    def collect(self, settings: Mapping[str, Any], ctx: CollectContext) -> pd.DataFrame:
        """Crawl or read the saved crawl and return evidence rows."""
        s = parse_settings(settings, ctx)
        keys = keys_for(settings, ctx)
        crawl = self.crawl(s, ctx)
        day = inspection_day(s, ctx)
        t = thresholds(s)
        rows: list[dict[str, Any]] = []
        for spec in s.sites:
            site = crawl.site(spec.unit)
            if site is None:
                raise DataError(
                    f"保存的抓取结果中没有单位「{spec.unit}」的网站",
                    file=ctx.resolve(s.saved_crawl),
                    hint="重新进行在线检查生成抓取结果，或从设置中删除该网站",
                )
            rows += site_rows(site, day, t, keys)
        return evidence_frame(rows)

    @staticmethod
    def crawl(s: InspectionSettings, ctx: CollectContext) -> Crawl:
        """Read ``saved_crawl`` when set, else crawl live (and write ``save_to`` when set).

        ``save_to`` is written once the run succeeds (:func:`.saved.save_after_run`);
        a partial crawl (deadline reached) is never scored.
        """
        if s.saved_crawl:
            where: Path | None = ctx.resolve(s.saved_crawl)
            crawl = load_crawl(ctx.resolve(s.saved_crawl))
        else:
            from zwgk_score.inspection.crawl import crawl_sites  # httpx only for a live crawl

            crawl = crawl_sites(s)
            where = ctx.config_file
            if s.save_to:
                save_after_run(crawl, ctx.resolve(s.save_to), keep_on_failure=s.save_partial)
        if crawl.partial:
            raise DataError(
                f"网站抓取结果不完整：{crawl.partial_reason or '上次运行未完成'}",
                file=where,
                path=f"{SETTINGS_PATH}.crawl_timeout" if not s.saved_crawl else "partial",
                hint="加大 crawl_timeout 或减少 probes、link_sample 后重新在线检查；不完整的结果不用于评分",
            )
        return crawl
