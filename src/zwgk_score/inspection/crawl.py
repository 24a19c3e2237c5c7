"""The live crawl (在线抓取): probes, column pages and a sample of links per site.

For every configured site, in this order:

1. ``probes`` GET requests of the home page, one after another, ``probe_interval``
   seconds apart (sites are probed in parallel); the first probe that loads
   supplies the home page for the badge and its links;
2. each column's list page (always; they are what is inspected);
3. the first ``link_sample`` distinct internal links found on the home page and
   the column pages (document order), excluding pages already fetched, within
   what the column pages leave of ``max_pages``; only the status is read.
   Links to other hosts are counted, never followed.

At most ``concurrency`` requests are in flight and at most ``rate`` start per second.
The whole crawl ends within ``crawl_timeout`` seconds; requests that deadline
cut short are recorded as timeouts and the crawl is marked partial.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone

import attrs
import httpx

from zwgk_score.inspection.config import InspectionSettings, SiteSpec
from zwgk_score.inspection.extract import (
    column_items,
    find_badge,
    find_badge_image,
    page_links,
    split_links,
)
from zwgk_score.inspection.fetch import Fetcher, Page
from zwgk_score.inspection.record import ColumnRecord, Crawl, Fetch, LinkRecord, SiteRecord


def _probe(
    fetcher: Fetcher, site: SiteSpec, settings: InspectionSettings
) -> tuple[list[Fetch], Page | None]:
    probes: list[Fetch] = []
    home: Page | None = None
    for i in range(settings.probes):
        if i and settings.probe_interval:
            time.sleep(max(0.0, min(settings.probe_interval, fetcher.crawl_end - time.monotonic())))
        page = fetcher.get(site.url)
        probes.append(page.fetch)
        if home is None and page.fetch.ok:
            home = page
    return probes, home


@attrs.define
class _SiteJob:
    """One site's requests in flight."""

    site: SiteSpec
    probes: Future[tuple[list[Fetch], Page | None]]
    columns: list[Future[Page]]
    links: list[tuple[str, Future[Page]]] = attrs.Factory(list)
    record: SiteRecord | None = None


def _read_pages(
    job: _SiteJob, fetcher: Fetcher, settings: InspectionSettings, pool: ThreadPoolExecutor
) -> None:
    """Wait for the probes and column pages of a site, then start its link checks."""
    site = job.site
    probes, home = job.probes.result()
    pages = [f.result() for f in job.columns]
    columns = []
    found: list[tuple[str, str]] = []
    if home is not None:
        found += [(u, site.url) for u in page_links(home.text, home.fetch.final_url)]
    for spec, page in zip(site.columns, pages, strict=True):
        items, dates = column_items(page.text, spec) if page.fetch.ok else (0, [])
        columns.append(
            ColumnRecord(
                spec.key,
                spec.name,
                spec.required,
                page.fetch,
                items,
                [d.isoformat() for d in dates],
            )
        )
        if page.fetch.ok:
            found += [(u, page.fetch.url) for u in page_links(page.text, page.fetch.final_url)]
    fetched = {site.url, *(p.fetch.url for p in pages), *(p.fetch.final_url for p in pages)}
    if home is not None:
        fetched.add(home.fetch.final_url)
    links, off_host = split_links(found, fetcher.hosts, fetched)
    budget = max(0, min(settings.link_sample, settings.max_pages - len(pages)))
    job.links = [(u, pool.submit(fetcher.get, u, body=False)) for u in list(links)[:budget]]
    badge, image, link = "", False, ""
    if home is not None:
        badge = find_badge(home.text, settings.badge_pattern)
        image, link = find_badge_image(home.text, settings.badge_image, settings.badge_link)
    job.record = SiteRecord(
        site.unit,
        site.url,
        probes,
        badge,
        home is not None,
        columns,
        [LinkRecord(Fetch(u), links[u]) for u, _ in job.links],
        len(links),
        off_host,
        image,
        link,
    )


def crawl_sites(
    settings: InspectionSettings, *, transport: httpx.BaseTransport | None = None
) -> Crawl:
    """Crawl every configured site and return the record.

    Network trouble (timeouts, refused connections, HTTP errors, redirect
    loops) is recorded in the :class:`~zwgk_score.inspection.record.Fetch`
    records, never raised.

    Args:
        settings: the parsed settings.
        transport: optional httpx transport (tests).
    """
    with Fetcher(settings, transport) as fetcher, ThreadPoolExecutor(settings.concurrency) as pool:
        jobs = [
            _SiteJob(
                site,
                pool.submit(_probe, fetcher, site, settings),
                [pool.submit(fetcher.get, site.column_url(c)) for c in site.columns],
            )
            for site in settings.sites
        ]
        for job in jobs:
            _read_pages(job, fetcher, settings, pool)
        sites = []
        for job in jobs:
            assert job.record is not None
            links = [
                attrs.evolve(rec, fetch=future.result().fetch)
                for rec, (_, future) in zip(job.record.links, job.links, strict=True)
            ]
            sites.append(attrs.evolve(job.record, links=links))
        cut = fetcher.cut_short
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    reason = (
        f"整次检查超过 crawl_timeout（{settings.crawl_timeout:g} 秒），部分页面未抓取"
        if cut
        else ""
    )
    return Crawl(sites=sites, crawled_at=stamp, partial=cut, partial_reason=reason)
