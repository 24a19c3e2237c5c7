"""The crawl record (抓取记录): what a live crawl observed, and a saved crawl holds.

Plain frozen attrs records, free of HTTP objects, so that a crawl can be
written to JSON (:mod:`zwgk_score.inspection.saved`) and scored again later
by the pure functions of :mod:`zwgk_score.inspection.measure`.
"""

from __future__ import annotations

import attrs

#: Version of the record layout written to saved crawls.
CRAWL_VERSION = 1

# Failure kinds (``Fetch.error``); an empty string means a response arrived.
TIMEOUT = "timeout"
CONNECT = "connect"
REDIRECT_LOOP = "redirect_loop"
TOO_MANY_REDIRECTS = "too_many_redirects"
OFF_HOST = "off_host"
INVALID_URL = "invalid_url"
#: Not requested: the site's robots.txt disallows it (not judged).
ROBOTS = "robots"


@attrs.frozen
class Fetch:
    """One request and its outcome (一次访问).

    Attributes:
        url: the URL requested.
        status: HTTP status of the final response (0 when none arrived).
        error: failure kind (``timeout``, ``connect``, ``redirect_loop``,
            ``too_many_redirects``, ``off_host``, ``invalid_url``) or ``""``.
        detail: more about the failure (the exception text, the redirect target).
        elapsed: seconds from the first byte sent to the last byte read.
        final_url: URL of the final response after redirects.
        redirects: redirects followed.
        encoding: text encoding used to decode the page (pages only).
        truncated: the page was longer than ``max_bytes`` and was cut.
        declared_encoding: the charset the server or page declared, when the
            bytes did not fit it and ``encoding`` was taken from the bytes.
    """

    url: str
    status: int = 0
    error: str = ""
    detail: str = ""
    elapsed: float = 0.0
    final_url: str = ""
    redirects: int = 0
    encoding: str = ""
    truncated: bool = False
    declared_encoding: str = ""

    @property
    def ok(self) -> bool:
        """A response arrived with a status below 400."""
        return not self.error and 0 < self.status < 400


@attrs.frozen
class ColumnRecord:
    """What was found on one column's list page (栏目页).

    Attributes:
        id: column id (checklist part).
        name: column name (栏目名称).
        required: whether it is a required column (必设栏目).
        fetch: the request of the list page.
        items: non-empty list items found (信息条数).
        dates: ISO dates found in those items, in page order.
    """

    id: str
    name: str
    required: bool
    fetch: Fetch
    items: int = 0
    dates: list[str] = attrs.Factory(list)


@attrs.frozen
class LinkRecord:
    """One internal link checked (链接检查).

    Attributes:
        fetch: the request of the link target.
        found_on: URL of the page the link was found on.
    """

    fetch: Fetch
    found_on: str


@attrs.frozen
class SiteRecord:
    """Everything observed on one site (一个网站的抓取结果).

    Attributes:
        unit: the unit the site belongs to.
        url: the home page URL.
        probes: availability probes of the home page, in order.
        badge: the site-identity code found on the home page (网站标识码), ``""`` if none.
        home_loaded: whether any probe loaded the home page (badge checked).
        columns: column pages, in configured order.
        links: internal links checked, in sample order.
        links_found: distinct internal links found on the pages read.
        off_host_links: distinct links to other hosts (not followed).
        badge_image: the 党政机关网站标识 image was found on the home page.
        badge_link: where that image links to, when it links to the
            registration page (开办单位信息), else ``""``.
    """

    unit: str
    url: str
    probes: list[Fetch] = attrs.Factory(list)
    badge: str = ""
    home_loaded: bool = False
    columns: list[ColumnRecord] = attrs.Factory(list)
    links: list[LinkRecord] = attrs.Factory(list)
    links_found: int = 0
    off_host_links: int = 0
    badge_image: bool = False
    badge_link: str = ""


@attrs.frozen
class Crawl:
    """A whole crawl (一次网站检查的抓取结果).

    Attributes:
        sites: one record per site, in configured order.
        crawled_at: when the crawl ran (ISO date-time, UTC).
        version: record layout version (:data:`CRAWL_VERSION`).
        partial: the crawl is incomplete (its deadline cut it short, or the
            run it belonged to failed and ``save_partial`` kept it); a partial
            crawl is never scored.
        partial_reason: why it is partial, in Chinese.
    """

    sites: list[SiteRecord]
    crawled_at: str = ""
    version: int = CRAWL_VERSION
    partial: bool = False
    partial_reason: str = ""

    def site(self, unit: str) -> SiteRecord | None:
        """The record of ``unit``'s site, or ``None``."""
        return next((s for s in self.sites if s.unit == unit), None)
