"""Website and new-media inspection (网站与新媒体检查).

A real crawler with the national website-check rules: availability probes,
column update dates, blank columns, broken links, the site-identity badge and
the required columns, turned into evidence rows and veto conditions.

Stages, one module each: :mod:`.config` (settings) → :mod:`.crawl` (live
crawl, using :mod:`.fetch` and :mod:`.extract`) or :mod:`.saved` (a saved
crawl) → :mod:`.record` (the crawl record) → :mod:`.measure` (pure
judgements) → :mod:`.collector` (evidence rows).

Names are imported lazily: a run that only defers saved crawls does not load the
crawler (httpx and its HTML parsers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zwgk_score._lazy import lazy_getattr

_EXPORTS = {
    "WebsiteInspectionCollector": "zwgk_score.inspection.collector",
    "site_rows": "zwgk_score.inspection.collector",
    "thresholds": "zwgk_score.inspection.collector",
    "DEFAULT_KEYS": "zwgk_score.inspection.config",
    "ColumnSpec": "zwgk_score.inspection.config",
    "InspectionSettings": "zwgk_score.inspection.config",
    "SiteSpec": "zwgk_score.inspection.config",
    "parse_settings": "zwgk_score.inspection.config",
    "crawl_sites": "zwgk_score.inspection.crawl",
    "LocalSite": "zwgk_score.inspection.localsite",
    "Route": "zwgk_score.inspection.localsite",
    "demo_columns": "zwgk_score.inspection.localsite",
    "demo_crawl": "zwgk_score.inspection.localsite",
    "demo_routes": "zwgk_score.inspection.localsite",
    "Thresholds": "zwgk_score.inspection.measure",
    "ColumnRecord": "zwgk_score.inspection.record",
    "Crawl": "zwgk_score.inspection.record",
    "Fetch": "zwgk_score.inspection.record",
    "LinkRecord": "zwgk_score.inspection.record",
    "SiteRecord": "zwgk_score.inspection.record",
    "load_crawl": "zwgk_score.inspection.saved",
    "save_crawl": "zwgk_score.inspection.saved",
}

__all__ = [
    "DEFAULT_KEYS",
    "ColumnRecord",
    "ColumnSpec",
    "Crawl",
    "Fetch",
    "InspectionSettings",
    "LinkRecord",
    "LocalSite",
    "Route",
    "SiteRecord",
    "SiteSpec",
    "Thresholds",
    "WebsiteInspectionCollector",
    "crawl_sites",
    "demo_columns",
    "demo_crawl",
    "demo_routes",
    "load_crawl",
    "parse_settings",
    "save_crawl",
    "site_rows",
    "thresholds",
]

if TYPE_CHECKING:  # pragma: no cover
    from zwgk_score.inspection.collector import WebsiteInspectionCollector, site_rows, thresholds
    from zwgk_score.inspection.config import (
        DEFAULT_KEYS,
        ColumnSpec,
        InspectionSettings,
        SiteSpec,
        parse_settings,
    )
    from zwgk_score.inspection.crawl import crawl_sites
    from zwgk_score.inspection.localsite import (
        LocalSite,
        Route,
        demo_columns,
        demo_crawl,
        demo_routes,
    )
    from zwgk_score.inspection.measure import Thresholds
    from zwgk_score.inspection.record import (
        ColumnRecord,
        Crawl,
        Fetch,
        LinkRecord,
        SiteRecord,
    )
    from zwgk_score.inspection.saved import load_crawl, save_crawl


__getattr__ = lazy_getattr(__name__, _EXPORTS)
