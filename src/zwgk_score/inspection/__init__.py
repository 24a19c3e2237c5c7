"""Website and new-media inspection (网站与新媒体检查).

A real crawler with the national website-check rules: availability probes,
column update dates, blank columns, broken links, the site-identity badge and
the required columns, turned into evidence rows and veto conditions.

Stages, one module each: :mod:`.config` (settings) → :mod:`.crawl` (live
crawl, using :mod:`.fetch` and :mod:`.extract`) or :mod:`.saved` (a saved
crawl) → :mod:`.record` (the crawl record) → :mod:`.measure` (pure
judgements) → :mod:`.collector` (evidence rows).
"""

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
