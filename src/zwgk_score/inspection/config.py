"""Inspection settings (网站检查设置): the ``[collectors.website_inspection]`` table.

The table is structured strictly into frozen attrs records: unknown keys,
wrong types and bad values raise :class:`~zwgk_score.errors.ConfigError`
naming the config file and the path inside it, e.g.
``collectors.website_inspection.sites[2].url``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import attrs
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from zwgk_score.collect.base import CollectContext
from zwgk_score.collect.settings import structure_settings
from zwgk_score.collect.tables import config_error, data_keys

#: Config path of the collector's table.
SETTINGS_PATH = "collectors.website_inspection"

#: Default date pattern: 2023-12-20, 2023/12/20, 2023.12.20, 2023年12月20日.
DEFAULT_DATE_PATTERN = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
#: Default pattern of the site-identity badge (网站标识码) on the home page.
DEFAULT_BADGE_PATTERN = r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{6,20})"
#: Default CSS selector of the 党政机关网站标识 image.
DEFAULT_BADGE_IMAGE = 'img[src*="conac"], img[alt*="党政机关"], img[src*="dzjg"]'
#: Default pattern of the badge link to the registration page (开办单位信息).
DEFAULT_BADGE_LINK = r"conac\.cn"

DEFAULT_KEYS = {
    "availability": "site_availability",
    "stale_columns": "site_stale_columns",
    "blank_columns": "site_blank_columns",
    "broken_links": "site_broken_links",
    "badge": "site_badge",
    "required_columns": "site_columns",
    "veto": "site_veto",
}


@attrs.frozen
class ColumnSpec:
    """A column (栏目) to inspect on a site.

    Attributes:
        name: column name as shown on the site, e.g. 政策文件 (栏目名称).
        path: the column's list page, relative to the site URL (or absolute on
            the same host).
        id: id used in the required-columns checklist text (default: ``name``).
        item_selector: CSS selector of one list item (信息条目).
        date_selector: optional CSS selector, inside an item, of the element
            holding its date; default: the item's whole text.
        date_pattern: regular expression finding the date; either three groups
            (year, month, day) or one group / the whole match holding a date.
        required: whether the column is one of the required columns (必设栏目).
    """

    name: str
    path: str
    id: str = ""
    item_selector: str = "li"
    date_selector: str = ""
    date_pattern: str = DEFAULT_DATE_PATTERN
    required: bool = True

    @property
    def key(self) -> str:
        """The id used in checklist text."""
        return self.id or self.name


@attrs.frozen
class SiteSpec:
    """One inspected site (被检查网站) and the unit it belongs to.

    Attributes:
        unit: unit name exactly as in the roster (单位).
        url: the site's home page (首页), ``http://`` or ``https://``.
        columns: the columns to inspect.
    """

    unit: str
    url: str
    columns: list[ColumnSpec] = attrs.Factory(list)

    def column_url(self, column: ColumnSpec) -> str:
        """Absolute URL of a column's list page."""
        return urljoin(self.url, column.path)


@attrs.frozen
class InspectionSettings:
    """Everything the collector reads from its settings table (网站检查设置).

    Attributes:
        sites: the sites to inspect, one per unit.
        saved_crawl: read this saved crawl instead of crawling (when the file exists).
        save_to: after a live crawl, write it to this file.
        inspection_date: a TOML date or ``"YYYY-MM-DD"``; default: the end of the assessed period.
        probes: number of availability probes of each home page (访问探测次数).
        probe_interval: seconds between two probes of one site.
        timeout: seconds before a request is abandoned.
        slow_after: a probe taking longer than this many seconds fails (national rule: 15 s).
        max_redirects: redirects followed before giving up.
        max_pages: at most this many pages fetched per site (probes not counted).
        max_bytes: at most this many bytes read of one page.
        concurrency: requests in flight at once.
        rate: at most this many requests per second (0: unlimited).
        stale_days: a column whose latest item is older than this is stale (未更新).
        link_sample: at most this many internal links checked per site.
        veto_failed_share: veto when this share of probes fails (0: never).
        veto_stale_columns: veto at this many stale columns (0: never).
        veto_blank_columns: veto at this many blank columns (0: never).
        badge_pattern: regular expression of the site-identity code; group 1 = the code.
        badge_image: CSS selector of the 党政机关网站标识 image.
        badge_link: regular expression the image's link must match (开办单位信息).
        crawl_timeout: seconds the whole crawl may take (a hard deadline).
        allow_hosts: extra hosts that may be fetched (e.g. a ``www.`` alias):
            ``host`` (its default ports) or ``host:port``.
        obey_robots: honour the sites' robots.txt.
        robots_exempt: hosts (``host`` or ``host:port``) whose robots.txt is not
            applied: the assessing office's own sites, with their owners' consent.
        save_partial: when the run fails after a live crawl, still write
            ``save_to``, marked as partial.
        user_agent: the User-Agent header sent.
        keys: data keys by role; see :data:`DEFAULT_KEYS`.
    """

    sites: list[SiteSpec]
    saved_crawl: str = ""
    save_to: str = ""
    inspection_date: date | None = None
    probes: int = 20
    probe_interval: float = 0.0
    timeout: float = 15.0
    slow_after: float = 15.0
    max_redirects: int = 5
    max_pages: int = 200
    max_bytes: int = 2_000_000
    concurrency: int = 4
    rate: float = 10.0
    stale_days: int = 90
    link_sample: int = 50
    veto_failed_share: float = 0.05
    veto_stale_columns: int = 5
    veto_blank_columns: int = 5
    badge_pattern: str = DEFAULT_BADGE_PATTERN
    badge_image: str = DEFAULT_BADGE_IMAGE
    badge_link: str = DEFAULT_BADGE_LINK
    crawl_timeout: float = 1800.0
    allow_hosts: list[str] = attrs.Factory(list)
    obey_robots: bool = True
    robots_exempt: list[str] = attrs.Factory(list)
    save_partial: bool = False
    user_agent: str = "zwgk-score website inspection"
    keys: dict[str, str] | None = None

    def hosts(self) -> frozenset[str]:
        """``host:port`` keys that may be fetched: those of the site URLs plus ``allow_hosts``.

        A site on a default port may also be fetched on the other default
        port (``http://`` → ``https://`` redirects); any other port must be
        the site's own or listed in ``allow_hosts`` as ``host:port``.
        """
        keys: set[str] = set()
        for entry in [s.url for s in self.sites] + [_as_url(h) for h in self.allow_hosts]:
            parts = urlsplit(entry)
            host = (parts.hostname or "").lower()
            if not host:
                continue
            if parts.port is None or parts.port in (80, 443):
                keys.update({f"{host}:80", f"{host}:443"})
            else:
                keys.add(f"{host}:{parts.port}")
        return frozenset(keys)


def _as_url(host: str) -> str:
    return host if "://" in host else f"http://{host.strip()}"


def host_key(url: str) -> str:
    """``host:port`` of ``url``, the default port of its scheme filled in.

    >>> host_key("http://www.a.gov.cn/x"), host_key("https://A.gov.cn:8443/")
    ('www.a.gov.cn:80', 'a.gov.cn:8443')
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return ""
    return f"{(parts.hostname or '').lower()}:{port or (443 if parts.scheme == 'https' else 80)}"


def parse_date(text: str) -> date | None:
    """Parse ``YYYY-MM-DD``-like text (any separators) into a date, or ``None``."""
    nums = re.findall(r"\d+", text)
    if len(nums) < 3 or len(nums[0]) != 4:
        return None
    try:
        return date(int(nums[0]), int(nums[1]), int(nums[2]))
    except ValueError:
        return None


def _regex(pattern: str, ctx: CollectContext, path: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise config_error(
            ctx, path, f"正则表达式有误：{exc}", hint='TOML 字符串中反斜杠要写两次，如 "\\\\d{4}"'
        ) from None


def _selector(selector: str, ctx: CollectContext, path: str) -> None:
    try:
        HTMLParser("<p></p>").css(selector)
    except Exception as exc:  # selectolax raises ValueError/SelectolaxError on bad selectors
        raise config_error(
            ctx, path, f"CSS 选择器「{selector}」无效（{exc}）", hint='如 "ul.list li"'
        ) from None


def _check_numbers(s: InspectionSettings, ctx: CollectContext) -> None:
    positive = (
        "probes",
        "timeout",
        "slow_after",
        "max_pages",
        "max_bytes",
        "concurrency",
        "crawl_timeout",
    )
    for name in positive:
        if getattr(s, name) <= 0:
            raise config_error(ctx, f"{SETTINGS_PATH}.{name}", f"{name} 应大于 0")
    for name in (
        "probe_interval",
        "max_redirects",
        "rate",
        "stale_days",
        "link_sample",
        "veto_stale_columns",
        "veto_blank_columns",
    ):
        if getattr(s, name) < 0:
            raise config_error(ctx, f"{SETTINGS_PATH}.{name}", f"{name} 不能为负数")
    if not 0 <= s.veto_failed_share <= 1:
        raise config_error(
            ctx, f"{SETTINGS_PATH}.veto_failed_share", "应在 0～1 之间", hint="如 0.05 表示 5%"
        )


def _check_site(site: SiteSpec, i: int, ctx: CollectContext, seen: dict[str, int]) -> None:
    at = f"{SETTINGS_PATH}.sites[{i}]"
    if ctx.units and site.unit not in ctx.units:
        raise config_error(
            ctx, f"{at}.unit", f"单位「{site.unit}」不在单位名单中", hint="写成名单中的单位全称"
        )
    if site.unit in seen:
        raise config_error(
            ctx,
            f"{at}.unit",
            f"单位「{site.unit}」重复（已见于 sites[{seen[site.unit]}]）",
            hint="每个单位只配置一个网站",
        )
    seen[site.unit] = i
    parts = urlsplit(site.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise config_error(
            ctx,
            f"{at}.url",
            f"「{site.url}」不是网站地址",
            hint='写成 "http://www.example.gov.cn/"',
        )
    names: set[str] = set()
    for j, col in enumerate(site.columns):
        cat = f"{at}.columns[{j}]"
        if not col.name.strip():
            raise config_error(ctx, f"{cat}.name", "栏目名称不能为空")
        if col.key in names:
            raise config_error(
                ctx, f"{cat}.id", f"栏目「{col.key}」重复", hint="每个栏目的 id 唯一"
            )
        names.add(col.key)
        if host_key(site.column_url(col)) != host_key(site.url):
            raise config_error(
                ctx, f"{cat}.path", f"栏目地址「{col.path}」不在本网站上", hint='写成 "/zcwj/"'
            )
        _selector(col.item_selector, ctx, f"{cat}.item_selector")
        if col.date_selector:
            _selector(col.date_selector, ctx, f"{cat}.date_selector")
        _regex(col.date_pattern, ctx, f"{cat}.date_pattern")


def parse_settings(settings: Mapping[str, Any], ctx: CollectContext) -> InspectionSettings:
    """Structure and validate the collector's settings table.

    Raises:
        ConfigError: naming ``collectors.website_inspection.<path>``.
    """
    s = structure_settings(settings, InspectionSettings, table=SETTINGS_PATH, file=ctx.config_file)
    if not s.sites:
        raise config_error(
            ctx,
            f"{SETTINGS_PATH}.sites",
            "没有配置被检查的网站",
            hint="添加 [[collectors.website_inspection.sites]]",
        )
    _check_numbers(s, ctx)
    _regex(s.badge_pattern, ctx, f"{SETTINGS_PATH}.badge_pattern")
    _regex(s.badge_link, ctx, f"{SETTINGS_PATH}.badge_link")
    _selector(s.badge_image, ctx, f"{SETTINGS_PATH}.badge_image")
    keys_for(settings, ctx)
    seen: dict[str, int] = {}
    for i, site in enumerate(s.sites):
        _check_site(site, i, ctx, seen)
    return s


def inspection_day(s: InspectionSettings, ctx: CollectContext) -> date:
    """The inspection date (检查日期): ``inspection_date`` or the end of the period."""
    return s.inspection_date or ctx.period_end


def keys_for(settings: Mapping[str, Any], ctx: CollectContext) -> dict[str, str]:
    """Data keys by role (数据键), with the usual ``keys`` semantics of the collectors."""
    return data_keys(settings, DEFAULT_KEYS, SETTINGS_PATH, ctx)
